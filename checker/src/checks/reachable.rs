//! `reachable`: a selected workspace element from which no path (a sequence of routes, see
//! [`crate::routes`]) of the given relation types reaches a `to` element. One backward search
//! from every target, O(E + H). `{relation}`.
//!
//! `served-by` (relation types, optional) lets the elements that link *to* a subject by one of
//! those types stand for it: a database reaches the NDXP when a system that reads or writes it
//! does (`served-by = ["reads", "writes"]`), since in the model data leaves a database through
//! the systems that serve it.

use super::{Check, CheckInput, CheckRule, CheckType, PropertyReads};
use crate::engine::{Context, Hit, selection, subjects};
use crate::selector::Selector;
use std::sync::Arc;

pub const TYPE: CheckType = CheckType {
    name: "reachable",
    keys: &["from", "to", "relation", "served-by"],
    load,
};

#[derive(Debug)]
pub struct Reachable {
    from: Selector,
    to: Selector,
    relations: Vec<String>,
    served_by: Vec<String>,
}

fn load(input: &mut CheckInput<'_>) -> Option<Check> {
    input.require(&["from", "to"])?;
    Some(Arc::new(Reachable {
        from: input.selector("from", None)?,
        to: input.selector("to", None)?,
        relations: input.relations(),
        served_by: input.served_by(),
    }))
}

impl CheckRule for Reachable {
    /// Every link: the walk and the elements that serve others.
    fn property_reads(&self) -> PropertyReads {
        PropertyReads::of_selectors(&[&self.from, &self.to]).and_links(&[])
    }

    fn type_name(&self) -> &'static str {
        TYPE.name
    }

    fn subject(&self) -> Option<&Selector> {
        Some(&self.from)
    }

    fn selected(&self) -> Vec<&Selector> {
        vec![&self.from, &self.to]
    }

    fn evaluate(&self, context: &Context<'_>) -> Vec<Hit> {
        let graph = context.graph;
        let mask = graph.type_mask(&self.relations);
        let reaches = crate::routes::reaching(graph, &mask, &selection(context, &self.to));
        let served = (!self.served_by.is_empty()).then(|| graph.type_mask(&self.served_by));
        let stands_reached = |id: kientruc_dsl::model::ElementId| {
            reaches[id.index()]
                || served.as_ref().is_some_and(|served| {
                    graph
                        .links_to_typed(id, served)
                        .any(|link| reaches[link.source.index()])
                })
        };
        subjects(context, &self.from)
            .filter(|element| !stands_reached(element.id))
            .map(|element| Hit::on(element).with("relation", self.relations.join(", ")))
            .collect()
    }
}
