//! `required-relation`: a selected workspace element has between `min` (default 1) and `max`
//! links of the given types to (or, `direction = "incoming"`, from) elements matching `target`
//! (default `*`); with `count-via`, a link also counts when one of its intermediaries matches.
//! `{count}`, `{min}`, `{max}`, `{relation}`.

use super::{Check, CheckInput, CheckRule, CheckType, Direction, PropertyReads};
use crate::engine::{Context, Hit, subjects};
use crate::graph::TypeMask;
use crate::selector::{Evaluate as _, Selector};
use std::sync::Arc;

pub const TYPE: CheckType = CheckType {
    name: "required-relation",
    keys: &[
        "select",
        "relation",
        "target",
        "min",
        "max",
        "direction",
        "count-via",
    ],
    load,
};

#[derive(Debug)]
pub struct RequiredRelation {
    select: Selector,
    relations: Vec<String>,
    target: Selector,
    min: usize,
    max: Option<usize>,
    direction: Direction,
    count_via: bool,
}

fn load(input: &mut CheckInput<'_>) -> Option<Check> {
    input.require(&["select"])?;
    let relations = input.relations();
    if relations.is_empty() {
        input.missing("relation");
        return None;
    }
    let direction = input.direction(&[Direction::Outgoing, Direction::Incoming])?;
    Some(Arc::new(RequiredRelation {
        select: input.selector("select", None)?,
        relations,
        target: input.selector("target", Some("*"))?,
        min: input.count("min").unwrap_or(1),
        max: input.count("max"),
        direction,
        count_via: input.count_via(),
    }))
}

impl CheckRule for RequiredRelation {
    fn property_reads(&self) -> PropertyReads {
        PropertyReads::of_selectors(&[&self.select, &self.target]).and_links(&self.relations)
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
        let (graph, model, target) = (context.graph, context.model, &self.target);
        // An empty list names no relation (nothing counts), unlike an empty mask.
        let mask = if self.relations.is_empty() {
            TypeMask::none()
        } else {
            graph.type_mask(&self.relations)
        };
        subjects(context, &self.select)
            .filter_map(|element| {
                let outgoing = || {
                    graph
                        .links_from_typed(element.id, &mask)
                        .filter(|link| {
                            target.matches(graph, model.element(link.target))
                                || (self.count_via
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
                let count = match self.direction {
                    Direction::Outgoing => outgoing(),
                    Direction::Incoming => incoming(),
                    Direction::Both => outgoing() + incoming(),
                };
                let violated = count < self.min || self.max.is_some_and(|max| count > max);
                violated.then(|| {
                    Hit::on(element)
                        .with("count", count.to_string())
                        .with("min", self.min.to_string())
                        .with(
                            "max",
                            self.max.map_or_else(String::new, |max| max.to_string()),
                        )
                        .with("relation", self.relations.join(", "))
                })
            })
            .collect()
    }
}
