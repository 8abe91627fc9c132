//! The model as a graph (petgraph): one node per element, one edge per link. Links are the
//! model's relations and its reference-typed properties (`owner`, `hosted_in`, …), so rules can
//! name either as a relation type. A relation with `via` intermediaries becomes a chain of edges
//! (source → via… → target) in the flow graph that path rules walk. Lookups by kind and tag are
//! indexed once; rules never scan the model per element.

use kientruc_dsl::model::{ElementId, Model, PropertyValue};
use kientruc_dsl::text::Span;
use petgraph::graph::{DiGraph, NodeIndex};

/// A directed link between two elements.
#[derive(Debug, Clone)]
pub struct Link<'a> {
    /// The relation type, or the name of the reference-typed property.
    pub link_type: &'a str,
    pub source: ElementId,
    pub target: ElementId,
    pub via: &'a [ElementId],
    /// Index into `model.relations`, or `None` for a property reference.
    pub relation: Option<usize>,
    pub span: Span,
}

pub struct ModelGraph<'a> {
    pub model: &'a Model,
    pub links: Vec<Link<'a>>,
    /// Flow graph: node index = element index; edge weight = link index. Via chains expanded.
    pub flow: DiGraph<ElementId, usize>,
    links_from: Adjacency,
    links_to: Adjacency,
    by_kind: foldhash::HashMap<&'a str, Vec<ElementId>>,
    by_layer: foldhash::HashMap<&'a str, Vec<ElementId>>,
    by_tag: foldhash::HashMap<&'a str, Vec<ElementId>>,
    /// Elements of imported models (not of the workspace).
    imported: Vec<ElementId>,
    /// Interned link types: the id of each link's type, and the ids by name.
    link_type_ids: Vec<u16>,
    type_ids: foldhash::HashMap<&'a str, u16>,
}

/// A set of link types as a mask over interned type ids (built once per rule, so traversals
/// compare integers, not strings). `None`: every type.
/// The links of every element in one flat array (compressed sparse rows): element `e`'s links
/// are `links[offsets[e]..offsets[e + 1]]`, in link order. Two allocations for the whole model
/// instead of one per element.
struct Adjacency {
    offsets: Vec<u32>,
    links: Vec<u32>,
}

impl Adjacency {
    /// Groups link indexes by the element `endpoint` picks from each link.
    fn build(count: usize, links: &[Link<'_>], endpoint: impl Fn(&Link<'_>) -> ElementId) -> Self {
        let mut offsets = vec![0u32; count + 1];
        for link in links {
            offsets[endpoint(link).index() + 1] += 1;
        }
        for index in 0..count {
            offsets[index + 1] += offsets[index];
        }
        let mut next = offsets.clone();
        let mut grouped = vec![0u32; links.len()];
        for (index, link) in links.iter().enumerate() {
            let slot = &mut next[endpoint(link).index()];
            grouped[*slot as usize] = index as u32;
            *slot += 1;
        }
        Self {
            offsets,
            links: grouped,
        }
    }

    fn of(&self, element: ElementId) -> &[u32] {
        let index = element.index();
        &self.links[self.offsets[index] as usize..self.offsets[index + 1] as usize]
    }
}

pub struct TypeMask(Option<Vec<bool>>);

impl TypeMask {
    /// A mask that allows no type.
    pub fn none() -> TypeMask {
        TypeMask(Some(Vec::new()))
    }

    pub fn allows(&self, type_id: u16) -> bool {
        self.0
            .as_ref()
            .is_none_or(|mask| mask.get(usize::from(type_id)).copied().unwrap_or(false))
    }
}

/// The flow graph: one node per element (node index = element index), one edge per hop of each
/// link (a link via intermediaries is a chain of hops); edge weight = link index.
fn flow_graph(model: &Model, links: &[Link<'_>]) -> DiGraph<ElementId, usize> {
    let mut flow = DiGraph::with_capacity(model.elements.len(), links.len());
    for element in &model.elements {
        flow.add_node(element.id);
    }
    for (index, link) in links.iter().enumerate() {
        let mut previous = link.source;
        for hop in link.via.iter().chain(std::iter::once(&link.target)) {
            flow.add_edge(
                NodeIndex::new(previous.index()),
                NodeIndex::new(hop.index()),
                index,
            );
            previous = *hop;
        }
    }
    flow
}

/// Elements by kind, by layer and by tag, and the imported elements; each list in element order.
struct ElementIndexes<'a> {
    by_kind: foldhash::HashMap<&'a str, Vec<ElementId>>,
    by_layer: foldhash::HashMap<&'a str, Vec<ElementId>>,
    by_tag: foldhash::HashMap<&'a str, Vec<ElementId>>,
    imported: Vec<ElementId>,
}

fn element_indexes(model: &Model) -> ElementIndexes<'_> {
    let mut indexes = ElementIndexes {
        by_kind: foldhash::HashMap::default(),
        by_layer: foldhash::HashMap::default(),
        by_tag: foldhash::HashMap::default(),
        imported: Vec::new(),
    };
    for element in &model.elements {
        indexes
            .by_kind
            .entry(&element.kind)
            .or_default()
            .push(element.id);
        if let Some(layer) = &element.layer {
            indexes.by_layer.entry(layer).or_default().push(element.id);
        }
        for tag in &element.tags {
            indexes.by_tag.entry(tag).or_default().push(element.id);
        }
        if !element.in_workspace {
            indexes.imported.push(element.id);
        }
    }
    indexes
}

/// Interned link types: ids by name (in order of first use), and each link's type id.
fn intern_types<'a>(links: &[Link<'a>]) -> (foldhash::HashMap<&'a str, u16>, Vec<u16>) {
    let mut type_ids: foldhash::HashMap<&'a str, u16> = foldhash::HashMap::default();
    let link_type_ids = links
        .iter()
        .map(|link| {
            let next = type_ids.len() as u16;
            *type_ids.entry(link.link_type).or_insert(next)
        })
        .collect();
    (type_ids, link_type_ids)
}

impl<'a> ModelGraph<'a> {
    pub fn build(model: &'a Model) -> Self {
        let mut links = Vec::with_capacity(model.relations.len() * 2);
        for (index, relation) in model.relations.iter().enumerate() {
            links.push(Link {
                link_type: &relation.relation_type,
                source: relation.source,
                target: relation.target,
                via: &relation.via,
                relation: Some(index),
                span: relation.span,
            });
        }
        for element in &model.elements {
            for (name, entry) in &element.properties {
                let mut push = |target: ElementId| {
                    links.push(Link {
                        link_type: name,
                        source: element.id,
                        target,
                        via: &[],
                        relation: None,
                        span: entry.span,
                    });
                };
                match &entry.value {
                    PropertyValue::Reference(target) => push(*target),
                    PropertyValue::List(items) => {
                        for item in items {
                            if let PropertyValue::Reference(target) = item {
                                push(*target);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        // The indexes are independent of each other: build them on both cores.
        let count = model.elements.len();
        let links_ref = &links;
        let ((flow, (links_from, links_to)), (indexes, (type_ids, link_type_ids))) = rayon::join(
            || {
                rayon::join(
                    || flow_graph(model, links_ref),
                    || {
                        rayon::join(
                            || Adjacency::build(count, links_ref, |link| link.source),
                            || Adjacency::build(count, links_ref, |link| link.target),
                        )
                    },
                )
            },
            || rayon::join(|| element_indexes(model), || intern_types(links_ref)),
        );
        Self {
            model,
            links,
            flow,
            links_from,
            links_to,
            by_kind: indexes.by_kind,
            by_layer: indexes.by_layer,
            by_tag: indexes.by_tag,
            imported: indexes.imported,
            link_type_ids,
            type_ids,
        }
    }

    /// The mask of `types` (relation types or reference-property names; empty: all).
    pub fn type_mask(&self, types: &[String]) -> TypeMask {
        if types.is_empty() {
            return TypeMask(None);
        }
        let mut mask = vec![false; self.type_ids.len()];
        for name in types {
            if let Some(id) = self.type_ids.get(name.as_str()) {
                mask[usize::from(*id)] = true;
            }
        }
        TypeMask(Some(mask))
    }

    pub fn elements_of_kind(&self, kind: &str) -> &[ElementId] {
        self.by_kind.get(kind).map_or(&[], Vec::as_slice)
    }

    pub fn elements_in_layer(&self, layer: &str) -> &[ElementId] {
        self.by_layer.get(layer).map_or(&[], Vec::as_slice)
    }

    /// The elements of imported models, in element order.
    pub fn imported_elements(&self) -> &[ElementId] {
        &self.imported
    }

    pub fn elements_tagged(&self, tag: &str) -> &[ElementId] {
        self.by_tag.get(tag).map_or(&[], Vec::as_slice)
    }

    pub fn links_from(&self, element: ElementId) -> impl Iterator<Item = &Link<'a>> {
        self.links_from
            .of(element)
            .iter()
            .map(|index| &self.links[*index as usize])
    }

    /// The links from `element` whose type `types` allows (integer compares, no string ones).
    pub fn links_from_typed<'g>(
        &'g self,
        element: ElementId,
        types: &'g TypeMask,
    ) -> impl Iterator<Item = &'g Link<'a>> + 'g {
        self.typed(&self.links_from, element, types)
    }

    /// The links to `element` whose type `types` allows.
    pub fn links_to_typed<'g>(
        &'g self,
        element: ElementId,
        types: &'g TypeMask,
    ) -> impl Iterator<Item = &'g Link<'a>> + 'g {
        self.typed(&self.links_to, element, types)
    }

    fn typed<'g>(
        &'g self,
        adjacency: &'g Adjacency,
        element: ElementId,
        types: &'g TypeMask,
    ) -> impl Iterator<Item = &'g Link<'a>> + 'g {
        adjacency
            .of(element)
            .iter()
            .filter(move |index| types.allows(self.link_type_ids[**index as usize]))
            .map(|index| &self.links[*index as usize])
    }

    pub fn links_to(&self, element: ElementId) -> impl Iterator<Item = &Link<'a>> {
        self.links_to
            .of(element)
            .iter()
            .map(|index| &self.links[*index as usize])
    }

    /// Successors of `element` in the flow graph over links whose type is in `types` (empty: all).
    pub fn flow_successors<'g>(
        &'g self,
        element: ElementId,
        types: &'g TypeMask,
    ) -> impl Iterator<Item = ElementId> + 'g {
        self.flow
            .edges(NodeIndex::new(element.index()))
            .filter(move |edge| types.allows(self.link_type_ids[*edge.weight()]))
            .map(|edge| ElementId(petgraph::visit::EdgeRef::target(&edge).index() as u32))
    }

    /// Predecessors of `element` in the flow graph over links of `types` (empty: all).
    pub fn flow_predecessors<'g>(
        &'g self,
        element: ElementId,
        types: &'g TypeMask,
    ) -> impl Iterator<Item = ElementId> + 'g {
        self.flow
            .edges_directed(
                NodeIndex::new(element.index()),
                petgraph::Direction::Incoming,
            )
            .filter(move |edge| types.allows(self.link_type_ids[*edge.weight()]))
            .map(|edge| ElementId(petgraph::visit::EdgeRef::source(&edge).index() as u32))
    }

    /// The link index of a flow edge from `source` to `target` of `types`, if any.
    pub fn flow_link(
        &self,
        source: ElementId,
        target: ElementId,
        types: &TypeMask,
    ) -> Option<usize> {
        self.flow
            .edges_connecting(
                NodeIndex::new(source.index()),
                NodeIndex::new(target.index()),
            )
            .map(|edge| *edge.weight())
            .find(|index| types.allows(self.link_type_ids[*index]))
    }
}
