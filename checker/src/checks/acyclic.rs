//! `acyclic`: routes of the given relation types among the selected elements form no cycle (a
//! cycle of routes: each starts where the previous one ends). One finding per strongly
//! connected component, at its first element, with a shortest cycle. `{path}`.

use super::{Check, CheckInput, CheckRule, CheckType, PropertyReads};
use crate::engine::{Context, Hit, selection};
use crate::graph::{ModelGraph, TypeMask};
use crate::routes::{Position, Walk};
use crate::selector::Selector;
use kientruc_dsl::model::ElementId;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

pub const TYPE: CheckType = CheckType {
    name: "acyclic",
    keys: &["select", "relation"],
    load,
};

#[derive(Debug)]
pub struct Acyclic {
    select: Selector,
    relations: Vec<String>,
}

fn load(input: &mut CheckInput<'_>) -> Option<Check> {
    Some(Arc::new(Acyclic {
        select: input.selector("select", Some("*"))?,
        relations: input.relations(),
    }))
}

impl CheckRule for Acyclic {
    /// Every link: a cycle's route may pass through intermediaries.
    fn property_reads(&self) -> PropertyReads {
        PropertyReads::of_selectors(&[&self.select]).and_links(&[])
    }

    fn type_name(&self) -> &'static str {
        TYPE.name
    }

    fn subject(&self) -> Option<&Selector> {
        Some(&self.select)
    }

    fn selected(&self) -> Vec<&Selector> {
        vec![&self.select]
    }

    fn evaluate(&self, context: &Context<'_>) -> Vec<Hit> {
        acyclic(context, &self.select, &self.relations)
    }
}

/// The routes of `types` among `members`: one node per member, one edge per route whose source
/// and target are both members, weighted by the route's link index.
type RouteGraph = DiGraph<ElementId, u32>;

fn route_graph(graph: &ModelGraph<'_>, members: &[ElementId], types: &TypeMask) -> RouteGraph {
    let mut local: HashMap<ElementId, NodeIndex> = HashMap::with_capacity(members.len());
    let mut routes = RouteGraph::with_capacity(members.len(), members.len());
    for id in members {
        local.insert(*id, routes.add_node(*id));
    }
    for id in members {
        for link in graph.link_indexes_from(*id, types) {
            if let Some(target) = local.get(&graph.links[link as usize].target) {
                routes.add_edge(local[id], *target, link);
            }
        }
    }
    routes
}

/// Routes of `relations` among `select` elements must form no cycle: a cycle is a sequence of
/// routes, each starting where the previous one ends, back to where the first started (a
/// route's intermediaries do not join it to other routes). One finding per cycle (strongly
/// connected component of the graph whose edges are routes, source → target), at its smallest
/// element, with a shortest cycle through it as the path. O(E + L) (L routes).
fn acyclic(context: &Context<'_>, select: &Selector, relations: &[String]) -> Vec<Hit> {
    let graph = context.graph;
    let model = context.model;
    let routes = route_graph(
        graph,
        &selection(context, select),
        &graph.type_mask(relations),
    );
    let mut hits = Vec::new();
    for component in petgraph::algo::tarjan_scc(&routes) {
        let self_loop = component.len() == 1 && routes.contains_edge(component[0], component[0]);
        if component.len() < 2 && !self_loop {
            continue;
        }
        let start = *component
            .iter()
            .min_by_key(|node| routes[**node])
            .expect("non-empty component");
        let Some(walk) = shortest_cycle(graph, &routes, &component, start) else {
            continue;
        };
        if walk.elements(graph).iter().all(|id| !graph.is_subject(*id)) {
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

/// A shortest cycle of routes through `start` inside `component` (breadth-first back to
/// `start`, routes in link order), as a walk with every hop of its routes.
fn shortest_cycle(
    graph: &ModelGraph<'_>,
    routes: &RouteGraph,
    component: &[NodeIndex],
    start: NodeIndex,
) -> Option<Walk> {
    let in_component: HashSet<NodeIndex> = component.iter().copied().collect();
    // Each node's parent: the node and route that reached it.
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
    let (mut node, closing_link) = closing?;
    let mut cycle_links = vec![closing_link];
    while node != start {
        let (previous, link) = parent[&node];
        cycle_links.push(link);
        node = previous;
    }
    cycle_links.reverse();
    let mut positions = vec![Position::At(routes[start])];
    for link in &cycle_links {
        let route = &graph.links[*link as usize];
        positions.extend((1..=route.hops()).map(|hop| Position::OnRoute { link: *link, hop }));
        positions.push(Position::At(route.target));
    }
    Some(Walk { positions })
}
