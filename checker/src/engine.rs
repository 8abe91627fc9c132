//! Evaluation of every rule type over the immutable graph. Per-element rules check elements of
//! the workspace only (imported reference models are context, not subjects); selectors on the
//! other end (targets, intermediaries) see every element. Graph rules walk routes (a relation
//! with its `via` intermediaries is one route; see [`crate::routes`]) with linear traversals:
//! breadth-first search over route positions with the "through" elements removed for
//! path-through (from the smaller side), one multi-source backward search for reachable,
//! strongly connected components of the route graph for acyclic. No path is ever enumerated.

use crate::graph::{Link, ModelGraph, TypeMask};
use crate::routes::{Search, Walk};
use crate::rules::{Check, Direction, Rule};
use crate::selector::{Rest, Selector};
use kientruc_dsl::Label;
use kientruc_dsl::model::{Element, ElementId, Model, PropertyValue};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::text::Span;
use kientruc_dsl::workspace::FrameworkInfo;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, VecDeque};

/// What every rule sees.
pub struct Context<'a> {
    pub graph: &'a ModelGraph<'a>,
    /// The selections of the rules' selectors, computed together before the rules run.
    pub selections: &'a Selections,
    pub model: &'a Model,
    pub framework: Option<&'a FrameworkInfo>,
    pub today: Date,
}

/// One violation found by a rule, before messages are rendered and waivers applied.
#[derive(Debug, Clone)]
pub struct Hit {
    pub element: Option<ElementId>,
    pub span: Span,
    /// The rule's own key for this violation (with the rule id and element, the fingerprint).
    pub key: String,
    /// Values for the message placeholders (`{property}`, `{target}`, `{count}`, …).
    pub values: BTreeMap<&'static str, String>,
    pub related: Vec<Label>,
    /// For route rules: the elements the offending path or route passes, in order.
    pub path: Vec<ElementId>,
    /// For route rules: the routes (relations or reference properties) the path takes, in order.
    pub routes: Vec<RouteRef>,
}

/// One route of a finding's path: its relation type (or reference property) and its elements
/// (source, intermediaries, target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteRef {
    pub relation: String,
    pub elements: Vec<ElementId>,
    pub span: Span,
}

impl RouteRef {
    fn of(link: &Link<'_>) -> RouteRef {
        RouteRef {
            relation: link.link_type.to_owned(),
            elements: link.route().collect(),
            span: link.span,
        }
    }
}

/// The elements of a path as text: `a → lgsp → national.ndxp → national.db`.
fn path_text(model: &Model, path: &[ElementId]) -> String {
    path.iter()
        .map(|id| model.element(*id).qualified_id.as_str())
        .collect::<Vec<_>>()
        .join(" → ")
}

impl Hit {
    fn on(element: &Element) -> Hit {
        Hit {
            element: Some(element.id),
            span: element.id_span,
            key: String::new(),
            values: BTreeMap::new(),
            related: Vec::new(),
            path: Vec::new(),
            routes: Vec::new(),
        }
    }

    /// Points the hit at the first route of `walk` (where the offending path starts) and records
    /// its routes and elements; the later routes become related labels.
    fn along(mut self, graph: &ModelGraph<'_>, walk: &Walk) -> Hit {
        let model = graph.model;
        for (index, link) in walk.links().iter().enumerate() {
            let link = &graph.links[*link];
            if index == 0 {
                self.span = link.span;
            } else {
                self.related.push(Label {
                    span: link.span,
                    message: format!(
                        "then {}",
                        path_text(model, &link.route().collect::<Vec<_>>())
                    ),
                });
            }
            self.routes.push(RouteRef::of(link));
        }
        self.path = walk.elements(graph);
        self.values.insert("path", path_text(model, &self.path));
        self
    }

    fn with(mut self, name: &'static str, value: impl Into<String>) -> Hit {
        self.values.insert(name, value.into());
        self
    }
}

/// The elements a selector picks, in element order: computed in advance (see [`Selections`]) or
/// now.
fn selection<'a>(context: &'a Context<'_>, selector: &Selector) -> Cow<'a, [ElementId]> {
    match context.selections.get(selector) {
        Some(ids) => Cow::Borrowed(ids),
        None => Cow::Owned(selector.select(context.graph)),
    }
}

/// The workspace elements a selector picks (the subjects of per-element rules).
fn subjects<'a>(
    context: &'a Context<'_>,
    selector: &Selector,
) -> impl Iterator<Item = &'a Element> + 'a {
    let ids = selection(context, selector);
    (0..ids.len())
        .map(move |index| context.model.element(ids[index]))
        .filter(|element| element.in_workspace)
}

/// Sorts `ids[from..]` and removes its repeats (the ids before `from` are all smaller).
fn sort_and_dedup_from(ids: &mut Vec<ElementId>, from: usize) {
    ids[from..].sort_unstable();
    let mut kept = from;
    for index in from..ids.len() {
        if kept == from || ids[kept - 1] != ids[index] {
            ids[kept] = ids[index];
            kept += 1;
        }
    }
    ids.truncate(kept);
}

/// The selectors whose whole selection a check takes (those it tests link by link are not
/// among them).
pub fn selected_by(check: &Check) -> Vec<&Selector> {
    match check {
        Check::RequiredProperty { select, .. }
        | Check::RequiredRelation { select, .. }
        | Check::ForbiddenRelation { select, .. }
        | Check::Acyclic { select, .. }
        | Check::Unique { select, .. }
        | Check::Cardinality { select, .. } => vec![select],
        Check::PathThrough {
            from, to, through, ..
        } => vec![from, to, through],
        Check::Reachable { from, to, .. } => vec![from, to],
        Check::Builtin(_) => Vec::new(),
    }
}

/// The selections of many selectors, computed together block by block of elements: a block's
/// elements (and their properties) are read from memory once for every selector instead of
/// once per rule. At a million elements, fetching each element's properties again for each rule
/// was most of the time rules took. Each selection equals [`Selector::select`]'s.
#[derive(Debug, Default)]
pub struct Selections {
    /// The index in `selections` of each selector, by its address (the selectors live in the
    /// rule pack while the rules run).
    by_selector: HashMap<usize, usize>,
    /// One selection per distinct selector: rules often share one (`kind(database) and status
    /// != retiring`), and it is computed once.
    selections: Vec<Vec<ElementId>>,
}

/// Elements per block: about a megabyte of elements and properties, which stays in cache while
/// every selector tests the block.
const SELECTION_BLOCK: usize = 1024;
/// Elements per parallel task (a run of blocks).
const SELECTION_TASK: usize = 32 * SELECTION_BLOCK;

impl Selections {
    pub fn compute(graph: &ModelGraph<'_>, selectors: &[&Selector]) -> Selections {
        // Enough tasks to keep every core busy on a small model too (eight per thread, so that
        // the threads finish together).
        let per_task = graph
            .model
            .elements
            .len()
            .div_ceil(rayon::current_num_threads() * 8)
            .next_multiple_of(SELECTION_BLOCK);
        Self::compute_in_blocks(
            graph,
            selectors,
            SELECTION_BLOCK,
            per_task.clamp(SELECTION_BLOCK, SELECTION_TASK),
        )
    }

    /// [`Selections::compute`] with other block and task sizes (in elements), so that tests
    /// cross block and task boundaries on small models.
    #[doc(hidden)]
    pub fn compute_in_blocks(
        graph: &ModelGraph<'_>,
        selectors: &[&Selector],
        block_size: usize,
        task_size: usize,
    ) -> Selections {
        let (block_size, task_size) = (block_size.max(1), task_size.max(1));
        // The distinct selectors, and for each selector given, the index of its equal there.
        let mut unique: Vec<&Selector> = Vec::new();
        let mut by_selector = HashMap::with_capacity(selectors.len());
        for selector in selectors {
            let index = unique
                .iter()
                .position(|seen| *seen == *selector)
                .unwrap_or_else(|| {
                    unique.push(selector);
                    unique.len() - 1
                });
            by_selector.insert(std::ptr::from_ref(*selector) as usize, index);
        }
        // Each selector's candidate lists (each in element order) and what is left to test of a
        // candidate, or `None`: every element, tested whole.
        let candidates: Vec<Option<(Vec<&[ElementId]>, Rest)>> = unique
            .iter()
            .map(|selector| selector.candidates_and_rest(graph))
            .collect();
        let count = graph.model.elements.len();
        let tasks: Vec<Vec<Vec<ElementId>>> = (0..count.div_ceil(task_size))
            .into_par_iter()
            .map(|task| {
                let task_start = task * task_size;
                let task_end = (task_start + task_size).min(count);
                let mut found: Vec<Vec<ElementId>> = vec![Vec::new(); unique.len()];
                // A cursor into each candidate list of each selector.
                let mut cursors: Vec<Vec<usize>> = candidates
                    .iter()
                    .map(|plan| {
                        plan.as_ref().map_or_else(Vec::new, |(lists, _)| {
                            lists
                                .iter()
                                .map(|ids| ids.partition_point(|id| id.index() < task_start))
                                .collect()
                        })
                    })
                    .collect();
                for block_start in (task_start..task_end).step_by(block_size) {
                    let block_end = (block_start + block_size).min(task_end);
                    for (index, selector) in unique.iter().enumerate() {
                        let out = &mut found[index];
                        let Some((lists, rest)) = &candidates[index] else {
                            out.extend(
                                graph.model.elements[block_start..block_end]
                                    .iter()
                                    .filter(|element| selector.matches(graph, element))
                                    .map(|element| element.id),
                            );
                            continue;
                        };
                        let first = out.len();
                        for (ids, cursor) in lists.iter().zip(&mut cursors[index]) {
                            while let Some(id) =
                                ids.get(*cursor).filter(|id| id.index() < block_end)
                            {
                                if selector.candidate_matches(
                                    *rest,
                                    graph,
                                    graph.model.element(*id),
                                ) {
                                    out.push(*id);
                                }
                                *cursor += 1;
                            }
                        }
                        if lists.len() > 1 {
                            // Several lists (kinds, tags, parts of an `or`) interleave and may
                            // repeat an element: this block's share is put in order.
                            sort_and_dedup_from(out, first);
                        }
                    }
                }
                found
            })
            .collect();
        let selections = (0..unique.len())
            .map(|index| {
                let total = tasks.iter().map(|found| found[index].len()).sum();
                let mut ids = Vec::with_capacity(total);
                for found in &tasks {
                    ids.extend_from_slice(&found[index]);
                }
                ids
            })
            .collect();
        Selections {
            by_selector,
            selections,
        }
    }

    /// The selection of `selector`, if it was computed.
    pub fn get(&self, selector: &Selector) -> Option<&[ElementId]> {
        self.by_selector
            .get(&(std::ptr::from_ref(selector) as usize))
            .map(|index| self.selections[*index].as_slice())
    }
}

fn value_text(model: &Model, value: &PropertyValue) -> String {
    match value {
        PropertyValue::String(text) => text.clone(),
        PropertyValue::Enum(text) => text.to_string(),
        PropertyValue::Integer(number) => number.to_string(),
        PropertyValue::Boolean(flag) => flag.to_string(),
        PropertyValue::Date(date) => date.to_string(),
        PropertyValue::Reference(id) => model.element(*id).qualified_id.to_string(),
        PropertyValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| value_text(model, item))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub fn evaluate(rule: &Rule, context: &Context<'_>) -> Vec<Hit> {
    let graph = context.graph;
    let model = context.model;
    match &rule.check {
        Check::RequiredProperty {
            select,
            property,
            values,
            min,
            max,
        } => subjects(context, select)
            .filter_map(|element| {
                let Some(entry) = element.property_entry(property) else {
                    return Some(Hit::on(element).with("property", property.clone()));
                };
                // The value's text only when a set constrains it or a finding quotes it.
                let text = (!values.is_empty()).then(|| value_text(model, &entry.value));
                let out_of_set = text.as_ref().is_some_and(|text| !values.contains(text));
                let out_of_range = entry.value.as_integer().is_some_and(|number| {
                    min.is_some_and(|min| number < min) || max.is_some_and(|max| number > max)
                });
                (out_of_set || out_of_range).then(|| {
                    let text = text.unwrap_or_else(|| value_text(model, &entry.value));
                    let mut hit = Hit::on(element)
                        .with("property", property.clone())
                        .with("value", text);
                    hit.span = entry.span;
                    hit
                })
            })
            .collect(),
        Check::RequiredRelation {
            select,
            relations,
            target,
            min,
            max,
            direction,
            count_via,
        } => {
            // An empty list names no relation (nothing counts), unlike an empty mask.
            let mask = if relations.is_empty() {
                TypeMask::none()
            } else {
                graph.type_mask(relations)
            };
            subjects(context, select)
                .filter_map(|element| {
                    let outgoing = || {
                        graph
                            .links_from_typed(element.id, &mask)
                            .filter(|link| {
                                target.matches(graph, model.element(link.target))
                                    || (*count_via
                                        && link
                                            .via
                                            .iter()
                                            .any(|via| target.matches(graph, model.element(*via))))
                            })
                            .count()
                    };
                    let incoming = || {
                        graph
                            .links_to_typed(element.id, &mask)
                            .filter(|link| target.matches(graph, model.element(link.source)))
                            .count()
                    };
                    let count = match direction {
                        Direction::Outgoing => outgoing(),
                        Direction::Incoming => incoming(),
                        Direction::Both => outgoing() + incoming(),
                    };
                    let violated = count < *min || max.is_some_and(|max| count > max);
                    violated.then(|| {
                        Hit::on(element)
                            .with("count", count.to_string())
                            .with("min", min.to_string())
                            .with("max", max.map_or_else(String::new, |max| max.to_string()))
                            .with("relation", relations.join(", "))
                    })
                })
                .collect()
        }
        Check::ForbiddenRelation {
            select,
            relations,
            target,
            unless_via,
            direction,
        } => forbidden_relation(
            context,
            select,
            relations,
            target,
            unless_via.as_ref(),
            *direction,
        ),
        Check::PathThrough {
            from,
            to,
            through,
            relations,
        } => path_through(context, from, to, through, relations),
        Check::Reachable {
            from,
            to,
            relations,
        } => {
            let mask = graph.type_mask(relations);
            let reaches = crate::routes::reaching(graph, &mask, &selection(context, to));
            subjects(context, from)
                .filter(|element| !reaches[element.id.index()])
                .map(|element| Hit::on(element).with("relation", relations.join(", ")))
                .collect()
        }
        Check::Acyclic { select, relations } => acyclic(context, select, relations),
        Check::Unique { select, property } => {
            let mut first: HashMap<String, &Element> = HashMap::new();
            let mut hits = Vec::new();
            let mut elements: Vec<&Element> = subjects(context, select).collect();
            elements.sort_by_key(|element| element.span);
            for element in elements {
                let Some(entry) = element.property_entry(property) else {
                    continue;
                };
                let text = value_text(model, &entry.value);
                match first.get(&text) {
                    Some(original) => {
                        let mut hit = Hit::on(element)
                            .with("property", property.clone())
                            .with("value", text.clone())
                            .with("target", original.qualified_id.clone());
                        hit.span = entry.span;
                        hit.key = text;
                        hit.related.push(Label {
                            span: original.id_span,
                            message: format!("{} has the same {property}", original.qualified_id),
                        });
                        hits.push(hit);
                    }
                    None => {
                        first.insert(text, element);
                    }
                }
            }
            hits
        }
        Check::Cardinality { select, min, max } => {
            let count = selection(context, select).len();
            let violated = min.is_some_and(|min| count < min) || max.is_some_and(|max| count > max);
            if !violated {
                return Vec::new();
            }
            let span = model
                .header
                .as_ref()
                .map(|header| header.span)
                .or_else(|| model.elements.first().map(|element| element.span));
            let Some(span) = span else { return Vec::new() };
            let mut values = BTreeMap::new();
            values.insert("count", count.to_string());
            values.insert("min", min.map_or_else(String::new, |min| min.to_string()));
            values.insert("max", max.map_or_else(String::new, |max| max.to_string()));
            vec![Hit {
                element: None,
                span,
                key: String::new(),
                values,
                related: Vec::new(),
                path: Vec::new(),
                routes: Vec::new(),
            }]
        }
        Check::Builtin(builtin) => builtin.evaluate(context),
    }
}

/// A relation of `relations` from a subject whose route ends at, or passes through, a `target`
/// element is a violation, unless one of its intermediaries is an `unless-via` element (then the
/// whole route is allowed). One finding per route, at the relation: `{target}` is the route's
/// target when it matches, else its first matching intermediary, and `{path}` the route. With
/// `direction = "incoming"` (or `"both"`), the relations ending at a subject are looked at the
/// same way, from their source: a route that starts at, or passes through, a `target` element.
fn forbidden_relation(
    context: &Context<'_>,
    select: &Selector,
    relations: &[String],
    target: &Selector,
    unless_via: Option<&Selector>,
    direction: Direction,
) -> Vec<Hit> {
    let graph = context.graph;
    let model = context.model;
    let mask = graph.type_mask(relations);
    let forbidden = |id: ElementId| target.matches(graph, model.element(id));
    let allowed_route = |link: &Link<'_>| {
        unless_via.is_some_and(|allowed| {
            link.via
                .iter()
                .any(|via| allowed.matches(graph, model.element(*via)))
        })
    };
    let outgoing = matches!(direction, Direction::Outgoing | Direction::Both);
    let incoming = matches!(direction, Direction::Incoming | Direction::Both);
    let mut hits = Vec::new();
    for element in subjects(context, select) {
        if outgoing {
            for link in graph.links_from_typed(element.id, &mask) {
                // The route's target first (the key findings had before routes were checked).
                let matched = std::iter::once(link.target)
                    .chain(link.via.iter().copied())
                    .find(|id| forbidden(*id));
                if let Some(matched) = matched
                    && !allowed_route(link)
                {
                    let end = link.target;
                    hits.push(forbidden_hit(context, element, link, matched, end, "->"));
                }
            }
        }
        if incoming {
            for link in graph.links_to_typed(element.id, &mask) {
                // A loop is an outgoing relation too: reported once.
                if outgoing && link.source == element.id {
                    continue;
                }
                let matched = std::iter::once(link.source)
                    .chain(link.via.iter().copied())
                    .find(|id| forbidden(*id));
                if let Some(matched) = matched
                    && !allowed_route(link)
                {
                    let end = link.source;
                    hits.push(forbidden_hit(context, element, link, matched, end, "<-"));
                }
            }
        }
    }
    hits
}

/// The finding of a forbidden route of `element`: `matched` is the forbidden element on it,
/// `end` the route's other end, `arrow` its direction seen from `element`.
fn forbidden_hit(
    context: &Context<'_>,
    element: &Element,
    link: &Link<'_>,
    matched: ElementId,
    end: ElementId,
    arrow: &str,
) -> Hit {
    let model = context.model;
    let matched_element = model.element(matched);
    let route: Vec<ElementId> = link.route().collect();
    let mut hit = Hit::on(element)
        .with("target", matched_element.qualified_id.clone())
        .with("relation", link.link_type.to_owned())
        .with("path", path_text(model, &route));
    hit.span = link.span;
    let at_end = matched == end;
    let end = &model.element(end).qualified_id;
    // A match at the route's end keys as findings did before routes were checked (outgoing:
    // `type->target`), so their fingerprints and baselines stay valid.
    hit.key = if at_end {
        format!("{}{arrow}{end}", link.link_type)
    } else {
        format!(
            "{}{arrow}{end} via {}",
            link.link_type, matched_element.qualified_id
        )
    };
    hit.related.push(Label {
        span: matched_element.id_span,
        message: format!("{} is declared here", matched_element.qualified_id),
    });
    if !link.via.is_empty() {
        hit.path = route;
        hit.routes.push(RouteRef::of(link));
    }
    hit
}

/// Every path (a sequence of routes, see [`crate::routes`]) from a `from` element to a `to`
/// element must pass through a `through` element: search with the `through` elements removed;
/// whatever is still connected is a violation. One finding per offending source, with one
/// shortest offending path, at the relation where that path starts. The search runs from the
/// smaller side: backward from each target, or forward from each source, each O(E + H) (E
/// elements, H hops of all routes), so O(min(sources, targets) · (E + H)) in all.
fn path_through(
    context: &Context<'_>,
    from: &Selector,
    to: &Selector,
    through: &Selector,
    relations: &[String],
) -> Vec<Hit> {
    let graph = context.graph;
    let mask = graph.type_mask(relations);
    let model = context.model;
    let count = model.elements.len();
    let mut blocked = vec![false; count];
    for id in selection(context, through).iter() {
        blocked[id.index()] = true;
    }
    let sources: Vec<ElementId> = selection(context, from)
        .iter()
        .copied()
        .filter(|id| model.element(*id).in_workspace && !blocked[id.index()])
        .collect();
    let targets: Vec<ElementId> = selection(context, to)
        .iter()
        .copied()
        .filter(|id| !blocked[id.index()])
        .collect();
    if sources.is_empty() || targets.is_empty() {
        return Vec::new();
    }
    let mut is_target = vec![false; count];
    for target in &targets {
        is_target[target.index()] = true;
    }
    let mut is_source = vec![false; count];
    for source in &sources {
        is_source[source.index()] = true;
    }
    // source → (target, a shortest walk from source to target)
    let mut found: BTreeMap<ElementId, (ElementId, Walk)> = BTreeMap::new();
    let mut search = Search::new(graph);
    if targets.len() <= sources.len() {
        for target in &targets {
            search.backward(
                graph,
                &mask,
                *target,
                &blocked,
                &is_source,
                |source, walk| {
                    found.entry(source).or_insert((*target, walk));
                },
            );
        }
    } else {
        for source in &sources {
            if let Some(walk) = search.forward(graph, &mask, *source, &blocked, &is_target)
                && let Some(target) = walk.end(graph)
            {
                found.insert(*source, (target, walk));
            }
        }
    }
    found
        .into_iter()
        .map(|(source, (target, walk))| {
            let target_element = model.element(target);
            let mut hit = Hit::on(model.element(source))
                .with("target", target_element.qualified_id.clone())
                .along(graph, &walk);
            hit.key = target_element.qualified_id.to_string();
            hit
        })
        .collect()
}

/// Routes of `relations` among `select` elements must form no cycle: a cycle is a sequence of
/// routes, each starting where the previous one ends, back to where the first started (a
/// route's intermediaries do not join it to other routes). One finding per cycle (strongly
/// connected component of the graph whose edges are routes, source → target), at its smallest
/// element, with a shortest cycle through it as the path. O(E + L) (L routes).
fn acyclic(context: &Context<'_>, select: &Selector, relations: &[String]) -> Vec<Hit> {
    use crate::routes::Position;
    use petgraph::graph::{DiGraph, NodeIndex};
    use petgraph::visit::EdgeRef;
    let graph = context.graph;
    let mask = graph.type_mask(relations);
    let model = context.model;
    let members = selection(context, select);
    let mut local: HashMap<ElementId, NodeIndex> = HashMap::with_capacity(members.len());
    let mut routes: DiGraph<ElementId, u32> = DiGraph::with_capacity(members.len(), members.len());
    for id in members.iter() {
        local.insert(*id, routes.add_node(*id));
    }
    for id in members.iter() {
        for link in graph.link_indexes_from(*id) {
            if !mask.allows(graph.link_type_id(*link as usize)) {
                continue;
            }
            if let Some(target) = local.get(&graph.links[*link as usize].target) {
                routes.add_edge(local[id], *target, *link);
            }
        }
    }
    let mut hits = Vec::new();
    for component in petgraph::algo::tarjan_scc(&routes) {
        let self_loop = component.len() == 1 && routes.contains_edge(component[0], component[0]);
        if component.len() < 2 && !self_loop {
            continue;
        }
        let in_component: std::collections::HashSet<NodeIndex> =
            component.iter().copied().collect();
        let start = *component
            .iter()
            .min_by_key(|node| routes[**node])
            .expect("non-empty component");
        // A shortest cycle of routes through `start` inside the component (BFS back to start);
        // each node's parent is the node and route that reached it.
        let mut parent: HashMap<NodeIndex, (NodeIndex, u32)> = HashMap::new();
        let mut queue = VecDeque::from([start]);
        let mut closing = None;
        'search: while let Some(node) = queue.pop_front() {
            let mut edges: Vec<_> = routes.edges(node).collect();
            edges.sort_by_key(|edge| *edge.weight());
            for edge in edges {
                let next = edge.target();
                if next == start {
                    closing = Some((node, *edge.weight()));
                    break 'search;
                }
                if in_component.contains(&next) && !parent.contains_key(&next) {
                    parent.insert(next, (node, *edge.weight()));
                    queue.push_back(next);
                }
            }
        }
        let Some((mut node, closing_link)) = closing else {
            continue;
        };
        let mut cycle_links = vec![closing_link];
        while node != start {
            let (previous, link) = parent[&node];
            cycle_links.push(link);
            node = previous;
        }
        cycle_links.reverse();
        let mut positions = vec![Position::At(routes[start])];
        for link in &cycle_links {
            for hop in 1..=graph.links[*link as usize].hops() {
                positions.push(Position::OnRoute { link: *link, hop });
            }
            positions.push(Position::At(graph.links[*link as usize].target));
        }
        let walk = Walk { positions };
        if walk
            .elements(graph)
            .iter()
            .all(|id| !model.element(*id).in_workspace)
        {
            continue;
        }
        let mut hit = Hit::on(model.element(routes[start])).along(graph, &walk);
        let mut member_ids: Vec<&str> = component
            .iter()
            .map(|node| model.element(routes[*node]).qualified_id.as_str())
            .collect();
        member_ids.sort_unstable();
        hit.key = member_ids.join(",");
        hits.push(hit);
    }
    hits
}
