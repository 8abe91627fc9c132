//! `path-through`: every path (a sequence of routes, see [`crate::routes`]) from a `from`
//! element to a `to` element passes through a `through` element. One finding per offending
//! source with one shortest path, at the relation where it starts. `{target}`, `{path}`.

use super::{Check, CheckInput, CheckRule, CheckType, PropertyReads};
use crate::engine::{Context, Hit, selection};
use crate::graph::{ModelGraph, TypeMask};
use crate::routes::{Search, Walk};
use crate::selector::Selector;
use kientruc_dsl::model::ElementId;
use std::collections::BTreeMap;
use std::sync::Arc;

pub const TYPE: CheckType = CheckType {
    name: "path-through",
    keys: &["from", "to", "through", "relation"],
    load,
};

#[derive(Debug)]
pub struct PathThrough {
    from: Selector,
    to: Selector,
    through: Selector,
    relations: Vec<String>,
}

fn load(input: &mut CheckInput<'_>) -> Option<Check> {
    input.require(&["from", "to", "through"])?;
    Some(Arc::new(PathThrough {
        from: input.selector("from", None)?,
        to: input.selector("to", None)?,
        through: input.selector("through", None)?,
        relations: input.relations(),
    }))
}

impl CheckRule for PathThrough {
    /// Routes may pass through links of any type on their way (intermediaries): every link.
    fn property_reads(&self) -> PropertyReads {
        PropertyReads::of_selectors(&[&self.from, &self.to, &self.through]).and_links(&[])
    }

    fn type_name(&self) -> &'static str {
        TYPE.name
    }

    fn subject(&self) -> Option<&Selector> {
        Some(&self.from)
    }

    fn selected(&self) -> Vec<&Selector> {
        vec![&self.from, &self.to, &self.through]
    }

    fn evaluate(&self, context: &Context<'_>) -> Vec<Hit> {
        path_through(
            context,
            &self.from,
            &self.to,
            &self.through,
            &self.relations,
        )
    }
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
        .filter(|id| context.graph.is_subject(*id) && !blocked[id.index()])
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
    let ends = Ends {
        sources: &sources,
        targets: &targets,
        blocked: &blocked,
        is_source: &is_source,
        is_target: &is_target,
    };
    offending_walks(graph, &mask, &ends)
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

/// The ends of the paths a `path-through` rule looks for, as lists and as flags by element.
struct Ends<'a> {
    sources: &'a [ElementId],
    targets: &'a [ElementId],
    blocked: &'a [bool],
    is_source: &'a [bool],
    is_target: &'a [bool],
}

/// For each source with a path to a target that avoids the blocked elements, the target and a
/// shortest such walk: from the smaller side, backward from each target or forward from each
/// source.
fn offending_walks(
    graph: &ModelGraph<'_>,
    mask: &TypeMask,
    ends: &Ends<'_>,
) -> BTreeMap<ElementId, (ElementId, Walk)> {
    let mut found: BTreeMap<ElementId, (ElementId, Walk)> = BTreeMap::new();
    let mut search = Search::new(graph);
    if ends.targets.len() <= ends.sources.len() {
        for target in ends.targets {
            let mut record = |source, walk| {
                found.entry(source).or_insert((*target, walk));
            };
            search.backward(
                graph,
                mask,
                *target,
                ends.blocked,
                ends.is_source,
                &mut record,
            );
        }
    } else {
        for source in ends.sources {
            if let Some(walk) = search.forward(graph, mask, *source, ends.blocked, ends.is_target)
                && let Some(target) = walk.end(graph)
            {
                found.insert(*source, (target, walk));
            }
        }
    }
    found
}
