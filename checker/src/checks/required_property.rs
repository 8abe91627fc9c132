//! `required-property`: a selected workspace element must have a property, with a value in a
//! set (`values`) or an integer range (`min`..`max`) when given. The finding points at the
//! element, or at the property when its value is wrong; `{property}`, `{value}`.

use super::{Check, CheckInput, CheckRule, CheckType, PropertyReads};
use crate::engine::{Context, Hit, subjects, value_text};
use crate::selector::Selector;
use std::sync::Arc;

pub const TYPE: CheckType = CheckType {
    name: "required-property",
    keys: &["select", "property", "values", "min", "max"],
    load,
};

#[derive(Debug)]
pub struct RequiredProperty {
    select: Selector,
    property: String,
    values: Vec<String>,
    min: Option<i64>,
    max: Option<i64>,
}

fn load(input: &mut CheckInput<'_>) -> Option<Check> {
    input.require(&["select", "property"])?;
    let property = input.known_property()?;
    Some(Arc::new(RequiredProperty {
        select: input.selector("select", None)?,
        property,
        values: input.values(),
        min: input.integer("min"),
        max: input.integer("max"),
    }))
}

impl CheckRule for RequiredProperty {
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
        let model = context.model;
        let (property, values) = (&self.property, &self.values);
        subjects(context, &self.select)
            .filter_map(|element| {
                let Some(entry) = element.property_entry(property) else {
                    return Some(Hit::on(element).with("property", property.clone()));
                };
                // The value's text only when a set constrains it or a finding quotes it.
                let text = (!values.is_empty()).then(|| value_text(model, &entry.value));
                let out_of_set = text.as_ref().is_some_and(|text| !values.contains(text));
                let out_of_range = entry.value.as_integer().is_some_and(|number| {
                    self.min.is_some_and(|min| number < min)
                        || self.max.is_some_and(|max| number > max)
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
            .collect()
    }
}
