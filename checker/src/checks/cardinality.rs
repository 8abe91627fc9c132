//! `cardinality`: the number of selected elements is within `min`..`max` (at least one given).
//! Reported on the architecture header (or the first element without one). `{count}`, `{min}`,
//! `{max}`.

use super::{Check, CheckInput, CheckRule, CheckType, PropertyReads};
use crate::engine::{Context, Hit, selection};
use crate::selector::Selector;
use std::collections::BTreeMap;
use std::sync::Arc;

pub const TYPE: CheckType = CheckType {
    name: "cardinality",
    keys: &["select", "min", "max"],
    load,
};

#[derive(Debug)]
pub struct Cardinality {
    select: Selector,
    min: Option<usize>,
    max: Option<usize>,
}

fn load(input: &mut CheckInput<'_>) -> Option<Check> {
    input.require(&["select"])?;
    if input.integer("min").is_none() && input.integer("max").is_none() {
        input.missing("min or max");
        return None;
    }
    Some(Arc::new(Cardinality {
        select: input.selector("select", None)?,
        min: input.count("min"),
        max: input.count("max"),
    }))
}

impl CheckRule for Cardinality {
    fn property_reads(&self) -> PropertyReads {
        PropertyReads::of_selectors(&[&self.select])
    }

    fn type_name(&self) -> &'static str {
        TYPE.name
    }

    fn selected(&self) -> Vec<&Selector> {
        vec![&self.select]
    }

    fn evaluate(&self, context: &Context<'_>) -> Vec<Hit> {
        let model = context.model;
        let count = selection(context, &self.select).len();
        let (min, max) = (self.min, self.max);
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
}
