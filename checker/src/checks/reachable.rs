//! `reachable`: a selected workspace element from which no path (a sequence of routes, see
//! [`crate::routes`]) of the given relation types reaches a `to` element. One backward search
//! from every target, O(E + H). `{relation}`.

use super::{Check, CheckInput, CheckRule, CheckType};
use crate::engine::{Context, Hit, selection, subjects};
use crate::selector::Selector;
use std::sync::Arc;

pub const TYPE: CheckType = CheckType {
    name: "reachable",
    keys: &["from", "to", "relation"],
    load,
};

#[derive(Debug)]
pub struct Reachable {
    from: Selector,
    to: Selector,
    relations: Vec<String>,
}

fn load(input: &mut CheckInput<'_>) -> Option<Check> {
    input.require(&["from", "to"])?;
    Some(Arc::new(Reachable {
        from: input.selector("from", None)?,
        to: input.selector("to", None)?,
        relations: input.relations(),
    }))
}

impl CheckRule for Reachable {
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
        subjects(context, &self.from)
            .filter(|element| !reaches[element.id.index()])
            .map(|element| Hit::on(element).with("relation", self.relations.join(", ")))
            .collect()
    }
}
