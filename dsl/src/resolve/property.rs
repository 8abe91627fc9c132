//! Properties: each checked against the names its owner (an element's kind, a relation type or
//! the header) allows, its value converted to the property's type (a reference resolved), and
//! entries other than properties reported where only properties may appear.

use super::resolver::Resolver;
use crate::diagnostic::{Code, Diagnostic};
use crate::metamodel::{ValueType, with_article};
use crate::model::{Properties, PropertyEntry, PropertyValue};
use crate::suggest::suggest;
use crate::syntax::{self, Entry, Value, ValueKind};
use crate::text::{FileId, Span};

/// The properties an owner allows: its name for messages, the names in metamodel order, and for
/// an element its kind (whose hashed set in the metamodel answers membership).
#[derive(Clone, Copy)]
pub(super) struct AllowedProperties<'m> {
    pub(super) owner: &'m str,
    pub(super) names: &'m [String],
    pub(super) kind: Option<&'m str>,
}

impl Resolver<'_, '_> {
    /// Checks one property against the names `allowed` for its owner (`None`: owner unknown, so
    /// the property is kept untyped) and stores it.
    pub(super) fn property(
        &mut self,
        module: usize,
        file: FileId,
        property: &syntax::Property,
        allowed: Option<AllowedProperties<'_>>,
        properties: &mut Properties,
    ) {
        let name = &property.name.text;
        if properties.contains_key(name) {
            let first = properties[name].span;
            self.error(
                Diagnostic::new(Code::DuplicateProperty, format!("`{name}` is set twice"))
                    .at(file, property.name.range, "set again here")
                    .with_secondary(first, "first set here"),
            );
            return;
        }
        let Some(metamodel) = self.metamodel else {
            return;
        };
        let Some(AllowedProperties {
            owner,
            names: allowed,
            kind,
        }) = allowed
        else {
            return;
        };
        // A kind allows dozens of properties: ask the metamodel's hashed set.
        let known = match kind {
            Some(kind) => metamodel.kind_allows_property(kind, name),
            None => allowed.iter().any(|allowed_name| allowed_name == name),
        };
        if !known {
            let mut diagnostic = Diagnostic::new(
                Code::UnknownProperty,
                format!("{owner} has no property `{name}`"),
            )
            .at(file, property.name.range, "unknown property");
            diagnostic = if metamodel.relation(name).is_some() {
                diagnostic.with_help(format!("`{name}` is a relation: write `{name} -> target`"))
            } else if let Some(best) = suggest(name, allowed.iter().map(String::as_str)) {
                diagnostic.with_help(format!("did you mean `{best}`?"))
            } else if allowed.is_empty() {
                diagnostic.with_help(format!("{owner} takes no properties besides `tags`"))
            } else {
                diagnostic.with_help(format!("properties of {owner}: {}", allowed.join(", ")))
            };
            self.error(diagnostic);
            return;
        }
        let Some(definition) = metamodel.property(name) else {
            return;
        };
        if let Some(value) =
            self.convert(module, file, name, &property.value, &definition.value_type)
        {
            properties.insert(
                name.clone(),
                PropertyEntry {
                    value,
                    span: Span::new(file, property.range),
                },
            );
        }
    }

    fn convert(
        &mut self,
        module: usize,
        file: FileId,
        name: &str,
        value: &Value,
        value_type: &ValueType,
    ) -> Option<PropertyValue> {
        let wrong_type = |resolver: &mut Self, help: Option<String>| {
            let mut diagnostic = Diagnostic::new(
                Code::WrongValueType,
                format!(
                    "`{name}` expects {}, found {}",
                    value_type.describe(),
                    describe_found(value)
                ),
            )
            .at(
                file,
                value.range,
                format!("expected {}", value_type.describe()),
            );
            if let Some(help) = help {
                diagnostic = diagnostic.with_help(help);
            }
            resolver.error(diagnostic);
            None
        };
        match (value_type, &value.kind) {
            (ValueType::String, ValueKind::String(literal)) => {
                Some(PropertyValue::String(literal.value.clone()))
            }
            (ValueType::String, _) => {
                wrong_type(self, Some("put the text in double quotes".to_owned()))
            }
            (ValueType::Integer { min, max }, ValueKind::Integer(number)) => {
                let below = min.is_some_and(|min| *number < min);
                let above = max.is_some_and(|max| *number > max);
                if below || above {
                    self.error(
                        Diagnostic::new(
                            Code::ValueNotAllowed,
                            format!("`{name}` is {number}, outside the allowed range"),
                        )
                        .at(
                            file,
                            value.range,
                            format!("expected {}", value_type.describe()),
                        ),
                    );
                    return None;
                }
                Some(PropertyValue::Integer(*number))
            }
            (ValueType::Boolean, ValueKind::Path(word))
                if word.text == "true" || word.text == "false" =>
            {
                Some(PropertyValue::Boolean(word.text == "true"))
            }
            (ValueType::Date, ValueKind::Date(date)) => Some(PropertyValue::Date(*date)),
            (ValueType::Enum { values }, ValueKind::Path(word)) => {
                if values.iter().any(|value| *value == word.text.as_str()) {
                    return Some(PropertyValue::Enum(word.text.clone()));
                }
                let help = match suggest(&word.text, values.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("allowed values: {}", values.join(", ")),
                };
                self.error(
                    Diagnostic::new(
                        Code::ValueNotAllowed,
                        format!("`{}` is not an allowed value of `{name}`", word.text),
                    )
                    .at(file, value.range, "not allowed")
                    .with_help(help),
                );
                None
            }
            (ValueType::Enum { values }, ValueKind::String(literal))
                if values.contains(&literal.value) =>
            {
                wrong_type(
                    self,
                    Some(format!(
                        "write the value without quotes: `{}`",
                        literal.value
                    )),
                )
            }
            (ValueType::Reference { kinds }, ValueKind::Path(target)) => {
                let id = self.resolve_reference(module, file, target, "element")?;
                let target_kind = self.element(id).kind.clone();
                if !kinds.is_empty() && !kinds.iter().any(|kind| *kind == target_kind.as_str()) {
                    self.error(
                        Diagnostic::new(
                            Code::ReferenceKind,
                            format!(
                                "`{name}` must refer to {}, but `{}` is {}",
                                with_article(&kinds.join(" or ")),
                                target.text,
                                with_article(&target_kind)
                            ),
                        )
                        .at(file, value.range, format!("a {target_kind}"))
                        .with_secondary(self.element(id).id_span, "declared here"),
                    );
                    return None;
                }
                Some(PropertyValue::Reference(id))
            }
            (ValueType::List { item }, ValueKind::List(items)) => {
                let converted: Vec<PropertyValue> = items
                    .iter()
                    .filter_map(|element| self.convert(module, file, name, element, item))
                    .collect();
                Some(PropertyValue::List(converted))
            }
            (ValueType::List { .. }, _) => {
                wrong_type(self, Some(format!("write a list: `{name} [ … ]`")))
            }
            _ => wrong_type(self, None),
        }
    }

    pub(super) fn header_entry_error(&mut self, file: FileId, entry: &Entry) {
        let what = match entry {
            Entry::Relation(_) => "a relation",
            Entry::Element(_) => "an element",
            Entry::Property(_) => "a property",
        };
        self.error(
            Diagnostic::new(Code::HeaderEntry, format!("{what} cannot appear here")).at(
                file,
                entry.range(),
                "only properties are allowed in this block",
            ),
        );
    }
}

fn describe_found(value: &Value) -> &'static str {
    match value.kind {
        ValueKind::String(_) => "a string",
        ValueKind::Integer(_) => "an integer",
        ValueKind::Date(_) => "a date",
        ValueKind::Path(_) => "a name",
        ValueKind::List(_) => "a list",
    }
}
