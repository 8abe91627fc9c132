//! `unique`: no two selected workspace elements share a value of the property; each repeat is
//! a finding at its property, with the first holder (in source order) as a related location.
//! `{property}`, `{value}`, `{target}`.

use super::{Check, CheckInput, CheckRule, CheckType, PropertyReads};
use crate::engine::{Context, Hit, subjects, value_text};
use crate::selector::Selector;
use kientruc_dsl::Label;
use kientruc_dsl::model::Element;
use std::collections::HashMap;
use std::sync::Arc;

pub const TYPE: CheckType = CheckType {
    name: "unique",
    keys: &["select", "property"],
    load,
};

#[derive(Debug)]
pub struct Unique {
    select: Selector,
    property: String,
}

fn load(input: &mut CheckInput<'_>) -> Option<Check> {
    input.require(&["select", "property"])?;
    let property = input.property()?;
    Some(Arc::new(Unique {
        select: input.selector("select", None)?,
        property,
    }))
}

impl CheckRule for Unique {
    fn property_reads(&self) -> PropertyReads {
        PropertyReads::of_selectors(&[&self.select]).and_property(&self.property)
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
        let property = &self.property;
        let mut first: HashMap<String, &Element> = HashMap::new();
        let mut hits = Vec::new();
        let mut elements: Vec<&Element> = subjects(context, &self.select).collect();
        elements.sort_by_key(|element| element.span);
        for element in elements {
            let Some(entry) = element.property_entry(property) else {
                continue;
            };
            let text = value_text(context.model, &entry.value);
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
}
