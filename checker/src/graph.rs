//! The model as a graph: one node per element, one *route* per link. Links are the model's
//! relations and its reference-typed properties (`owner`, `hosted_in`, …), so rules can name
//! either as a relation type. A relation with `via` intermediaries is one route
//! `source → via… → target`: its hops belong to it and to no other route, so a path that reaches
//! an intermediary can only go on along that same route (see the `routes` module for the paths
//! rules walk). Lookups by kind and tag are indexed once; rules never scan the model per element.

use crate::boundary::Boundary;
use kientruc_dsl::model::{ElementId, Model, PropertyValue};
use kientruc_dsl::text::Span;

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

impl Link<'_> {
    /// The number of hops of the route (`via.len() + 1`).
    pub fn hops(&self) -> u32 {
        self.via.len() as u32 + 1
    }

    /// The route's element at `position`: 0 is the source, `1..=via.len()` the intermediaries,
    /// `hops()` the target.
    pub fn element_at(&self, position: u32) -> ElementId {
        let position = position as usize;
        if position == 0 {
            self.source
        } else if position <= self.via.len() {
            self.via[position - 1]
        } else {
            self.target
        }
    }

    /// The whole route: source, intermediaries, target.
    pub fn route(&self) -> impl Iterator<Item = ElementId> + '_ {
        std::iter::once(self.source)
            .chain(self.via.iter().copied())
            .chain(std::iter::once(self.target))
    }
}

pub struct ModelGraph<'a> {
    /// The model, its elements by kind, layer and tag, and the boundary: what selectors read
    /// (`graph.model`, `graph.elements_of_kind(…)` reach it through `Deref`).
    pub index: ModelIndex<'a>,
    pub links: Vec<Link<'a>>,
    /// The first position index of each link's hops (see `routes::Position`): element
    /// positions are `0..elements`, then each link's hops in link order. One entry more than
    /// links: the last is the number of positions.
    pub(crate) hop_base: Vec<u32>,
    /// For each element, the position indexes where it is an intermediary of a route.
    pub(crate) intermediary_at: Adjacency,
    links_from: Adjacency,
    links_to: Adjacency,
    /// Interned link types: the id of each link's type, and the ids by name.
    link_type_ids: Vec<u16>,
    type_ids: foldhash::HashMap<&'a str, u16>,
}

impl<'a> std::ops::Deref for ModelGraph<'a> {
    type Target = ModelIndex<'a>;

    fn deref(&self) -> &ModelIndex<'a> {
        &self.index
    }
}

/// The model with its elements indexed by kind, layer and tag, and the boundary: everything a
/// selector reads, without the links. A view's selection needs only this, so a view drawn on
/// request (`kientruc serve`, the editor's preview) builds it, not the whole graph, which costs
/// several times more on a large model.
pub struct ModelIndex<'a> {
    pub model: &'a Model,
    by_kind: foldhash::HashMap<&'a str, Vec<ElementId>>,
    by_layer: foldhash::HashMap<&'a str, Vec<ElementId>>,
    by_tag: foldhash::HashMap<&'a str, Vec<ElementId>>,
    /// The elements that are not rule subjects (imported and not owned, or context), in order.
    imported: Vec<ElementId>,
    /// Which elements the architecture answers for.
    boundary: Boundary,
}

/// Values grouped by element in one flat array (compressed sparse rows): element `e`'s values
/// are `values[offsets[e]..offsets[e + 1]]`, in the order given. Two allocations for the whole
/// model instead of one per element.
pub(crate) struct Adjacency {
    offsets: Vec<u32>,
    values: Vec<u32>,
}

impl Adjacency {
    /// Groups link indexes by the element `endpoint` picks from each link.
    fn build(count: usize, links: &[Link<'_>], endpoint: impl Fn(&Link<'_>) -> ElementId) -> Self {
        Self::group(
            count,
            links
                .iter()
                .enumerate()
                .map(|(index, link)| (endpoint(link), index as u32)),
        )
    }

    /// Groups `(element, value)` pairs by element, keeping their order within an element.
    fn group(count: usize, pairs: impl Iterator<Item = (ElementId, u32)> + Clone) -> Self {
        let mut offsets = vec![0u32; count + 1];
        let mut total = 0;
        for (element, _) in pairs.clone() {
            offsets[element.index() + 1] += 1;
            total += 1;
        }
        for index in 0..count {
            offsets[index + 1] += offsets[index];
        }
        let mut next = offsets.clone();
        let mut grouped = vec![0u32; total];
        for (element, value) in pairs {
            let slot = &mut next[element.index()];
            grouped[*slot as usize] = value;
            *slot += 1;
        }
        Self {
            offsets,
            values: grouped,
        }
    }

    pub(crate) fn of(&self, element: ElementId) -> &[u32] {
        let index = element.index();
        &self.values[self.offsets[index] as usize..self.offsets[index + 1] as usize]
    }
}

/// A set of link types as a mask over interned type ids (built once per rule, so traversals
/// compare integers, not strings). `None`: every type.
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

/// The first position index of each link's hops, after the element positions; the last entry
/// is the number of positions.
fn hop_bases(count: usize, links: &[Link<'_>]) -> Vec<u32> {
    let mut bases = Vec::with_capacity(links.len() + 1);
    let mut next = count as u32;
    for link in links {
        bases.push(next);
        next += link.hops();
    }
    bases.push(next);
    bases
}

/// For each element, the positions where it is an intermediary (hop `h` of link `l` is
/// position `bases[l] + h - 1`).
fn intermediaries(count: usize, links: &[Link<'_>], bases: &[u32]) -> Adjacency {
    Adjacency::group(
        count,
        links.iter().enumerate().flat_map(move |(index, link)| {
            link.via
                .iter()
                .enumerate()
                .map(move |(offset, via)| (*via, bases[index] + offset as u32))
        }),
    )
}

impl<'a> ModelIndex<'a> {
    /// Indexes the elements of `model` by kind, layer and tag, each list in element order.
    pub fn build(model: &'a Model, boundary: Boundary) -> Self {
        let mut index = ModelIndex {
            model,
            by_kind: foldhash::HashMap::default(),
            by_layer: foldhash::HashMap::default(),
            by_tag: foldhash::HashMap::default(),
            imported: Vec::new(),
            boundary,
        };
        for element in &model.elements {
            index
                .by_kind
                .entry(&element.kind)
                .or_default()
                .push(element.id);
            if let Some(layer) = &element.layer {
                index.by_layer.entry(layer).or_default().push(element.id);
            }
            for tag in &element.tags {
                index.by_tag.entry(tag).or_default().push(element.id);
            }
            if !index.boundary.is_subject(element.id) {
                index.imported.push(element.id);
            }
        }
        index
    }

    pub fn elements_of_kind(&self, kind: &str) -> &[ElementId] {
        self.by_kind.get(kind).map_or(&[], Vec::as_slice)
    }

    pub fn elements_in_layer(&self, layer: &str) -> &[ElementId] {
        self.by_layer.get(layer).map_or(&[], Vec::as_slice)
    }

    /// The elements that are not rule subjects (of imported models and not owned, or context),
    /// in element order.
    pub fn imported_elements(&self) -> &[ElementId] {
        &self.imported
    }

    /// Whether rules report on the element.
    pub fn is_subject(&self, id: ElementId) -> bool {
        self.boundary.is_subject(id)
    }

    pub fn elements_tagged(&self, tag: &str) -> &[ElementId] {
        self.by_tag.get(tag).map_or(&[], Vec::as_slice)
    }

    /// The boundary, once the index is no longer needed.
    pub fn into_boundary(self) -> Boundary {
        self.boundary
    }
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

/// The element ids a reference-typed property value names (a reference, or a list's references).
fn referenced(value: &PropertyValue) -> impl Iterator<Item = ElementId> + '_ {
    let items = match value {
        PropertyValue::List(items) => items.as_slice(),
        single => std::slice::from_ref(single),
    };
    items.iter().filter_map(|item| match item {
        PropertyValue::Reference(target) => Some(*target),
        _ => None,
    })
}

/// The model's links: its relations (in order), then each element's reference-typed properties.
/// The vector is sized exactly first (counting the references is a fraction of filling it):
/// growing it by doubling held up to twice its size at the peak of a large check.
fn model_links(model: &Model) -> Vec<Link<'_>> {
    model_links_of(model, |_| true)
}

/// The links of `model` whose type `wanted` accepts, in the order of [`model_links`].
fn model_links_of(model: &Model, wanted: impl Fn(&str) -> bool) -> Vec<Link<'_>> {
    let references: usize = model
        .elements
        .iter()
        .flat_map(|element| element.properties.iter())
        .filter(|(name, _)| wanted(name))
        .map(|(_, entry)| referenced(&entry.value).count())
        .sum();
    let relations = model
        .relations
        .iter()
        .filter(|relation| wanted(&relation.relation_type))
        .count();
    let mut links = Vec::with_capacity(relations + references);
    for (index, relation) in model.relations.iter().enumerate() {
        if !wanted(&relation.relation_type) {
            continue;
        }
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
            if !wanted(name) {
                continue;
            }
            for target in referenced(&entry.value) {
                links.push(Link {
                    link_type: name,
                    source: element.id,
                    target,
                    via: &[],
                    relation: None,
                    span: entry.span,
                });
            }
        }
    }
    links
}

impl<'a> ModelGraph<'a> {
    /// The graph of `model`, within the boundary its header draws.
    pub fn build(model: &'a Model) -> Self {
        Self::build_within(model, Boundary::of(model).0)
    }

    /// The graph of `model` within `boundary` (computed once by the caller, which also reports
    /// its problems).
    pub fn build_within(model: &'a Model, boundary: Boundary) -> Self {
        Self::with_links(model, boundary, model_links(model))
    }

    /// The graph of `model` without any link: its indexes of elements (kinds, layers, tags, the
    /// boundary) alone, for checks that follow no link (whose
    /// [`PropertyReads`](crate::checks::PropertyReads) name no links) when only they run again.
    pub fn without_links(model: &'a Model, boundary: Boundary) -> Self {
        Self::with_links(model, boundary, Vec::new())
    }

    /// The graph of `model` with the links of `types` only (relation types and reference
    /// properties), for checks that follow no other when only they run again.
    pub fn with_link_types(model: &'a Model, boundary: Boundary, types: &[String]) -> Self {
        let links = model_links_of(model, |name| types.iter().any(|wanted| wanted == name));
        Self::with_links(model, boundary, links)
    }

    fn with_links(model: &'a Model, boundary: Boundary, links: Vec<Link<'a>>) -> Self {
        // The indexes are independent of each other: build them on both cores.
        let count = model.elements.len();
        let links_ref = &links;
        let (
            ((hop_base, intermediary_at), (links_from, links_to)),
            (index, (type_ids, link_type_ids)),
        ) = rayon::join(
            || {
                rayon::join(
                    || {
                        let bases = hop_bases(count, links_ref);
                        let at = intermediaries(count, links_ref, &bases);
                        (bases, at)
                    },
                    || {
                        rayon::join(
                            || Adjacency::build(count, links_ref, |link| link.source),
                            || Adjacency::build(count, links_ref, |link| link.target),
                        )
                    },
                )
            },
            || {
                rayon::join(
                    || ModelIndex::build(model, boundary),
                    || intern_types(links_ref),
                )
            },
        );
        Self {
            index,
            links,
            hop_base,
            intermediary_at,
            links_from,
            links_to,
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

    /// The boundary, once the graph is no longer needed.
    pub fn into_boundary(self) -> Boundary {
        self.index.into_boundary()
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
        self.typed_indexes(adjacency, element, types)
            .map(|index| &self.links[index as usize])
    }

    /// The indexes of `adjacency`'s links of `element` whose type `types` allows.
    fn typed_indexes<'g>(
        &'g self,
        adjacency: &'g Adjacency,
        element: ElementId,
        types: &'g TypeMask,
    ) -> impl Iterator<Item = u32> + 'g {
        adjacency
            .of(element)
            .iter()
            .copied()
            .filter(move |index| self.link_allowed(*index, types))
    }

    /// Whether `types` allows link `index`'s type.
    pub(crate) fn link_allowed(&self, index: u32, types: &TypeMask) -> bool {
        types.allows(self.link_type_ids[index as usize])
    }

    pub fn links_to(&self, element: ElementId) -> impl Iterator<Item = &Link<'a>> {
        self.links_to
            .of(element)
            .iter()
            .map(|index| &self.links[*index as usize])
    }

    /// The indexes of the links from `element` whose type `types` allows, in link order.
    pub(crate) fn link_indexes_from<'g>(
        &'g self,
        element: ElementId,
        types: &'g TypeMask,
    ) -> impl Iterator<Item = u32> + 'g {
        self.typed_indexes(&self.links_from, element, types)
    }

    /// The indexes of the links to `element` whose type `types` allows, in link order.
    pub(crate) fn link_indexes_to<'g>(
        &'g self,
        element: ElementId,
        types: &'g TypeMask,
    ) -> impl Iterator<Item = u32> + 'g {
        self.typed_indexes(&self.links_to, element, types)
    }
}
