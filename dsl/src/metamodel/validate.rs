//! Reading `metamodel.toml`: the TOML's raw form, checked (every layer, kind and property it names
//! is defined, required properties are listed, names do not clash) and converted into a
//! [`Metamodel`]. Problems are diagnostics with the span of the TOML value at fault.

use super::{
    HeaderDefinition, KindDefinition, LayerDefinition, Localized, Metamodel, PropertyDefinition,
    RelationDefinition, ValueType,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::text::{FileId, TextRange};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

impl Metamodel {
    /// Parses and validates a metamodel. Never fails: problems come back as diagnostics, and
    /// the metamodel is `None` only when the TOML itself cannot be read.
    pub fn from_toml(file: FileId, text: &str) -> (Option<Metamodel>, Vec<Diagnostic>) {
        let raw: RawMetamodel = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(error) => {
                let range = error.span().map_or(TextRange::empty(0), |span| {
                    TextRange::new(span.start, span.end)
                });
                let message = error.message().to_owned();
                let diagnostic =
                    Diagnostic::new(Code::MetamodelError, format!("metamodel: {message}"))
                        .at(file, range, "here");
                return (None, vec![diagnostic]);
            }
        };
        let mut validation = Validation {
            file,
            diagnostics: Vec::new(),
        };
        let metamodel = validation.convert(raw);
        (Some(metamodel), validation.diagnostics)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetamodel {
    #[serde(default)]
    layer: BTreeMap<String, RawLayer>,
    #[serde(default)]
    header: RawHeader,
    #[serde(default)]
    property: BTreeMap<Spanned<String>, RawProperty>,
    #[serde(default)]
    kind: BTreeMap<Spanned<String>, RawKind>,
    #[serde(default)]
    relation: BTreeMap<Spanned<String>, RawRelation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayer {
    name: Localized,
    #[serde(default)]
    order: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    #[serde(default)]
    properties: Vec<Spanned<String>>,
    #[serde(default)]
    required: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProperty {
    #[serde(rename = "type")]
    value_type: Spanned<String>,
    #[serde(default)]
    item: Option<Spanned<String>>,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    kinds: Vec<Spanned<String>>,
    #[serde(default)]
    min: Option<i64>,
    #[serde(default)]
    max: Option<i64>,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    layer: Spanned<String>,
    name: Localized,
    #[serde(default)]
    description: String,
    #[serde(default)]
    properties: Vec<Spanned<String>>,
    #[serde(default)]
    required: Vec<Spanned<String>>,
    #[serde(default)]
    nested_in: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelation {
    name: Localized,
    #[serde(default)]
    description: String,
    from: Vec<Spanned<String>>,
    to: Vec<Spanned<String>>,
    #[serde(default)]
    properties: Vec<Spanned<String>>,
    #[serde(default)]
    required: Vec<Spanned<String>>,
}

struct Validation {
    file: FileId,
    diagnostics: Vec<Diagnostic>,
}

/// The names the metamodel defines, which its definitions may refer to.
struct Names {
    kinds: Vec<String>,
    properties: Vec<String>,
}

fn range_of<T>(spanned: &Spanned<T>) -> TextRange {
    let span = spanned.span();
    TextRange::new(span.start, span.end)
}

/// The layers in their `order` (then by id).
fn ordered_layers(raw: BTreeMap<String, RawLayer>) -> Vec<LayerDefinition> {
    let mut layers: Vec<(Option<i64>, LayerDefinition)> = raw
        .into_iter()
        .map(|(id, layer)| {
            (
                layer.order,
                LayerDefinition {
                    id,
                    name: layer.name,
                },
            )
        })
        .collect();
    layers.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    layers.into_iter().map(|(_, layer)| layer).collect()
}

impl Validation {
    fn error(&mut self, range: TextRange, message: String) {
        self.diagnostics
            .push(Diagnostic::new(Code::MetamodelError, message).at(self.file, range, "here"));
    }

    fn convert(&mut self, raw: RawMetamodel) -> Metamodel {
        let names = Names {
            kinds: raw.kind.keys().map(|key| key.get_ref().clone()).collect(),
            properties: raw
                .property
                .keys()
                .map(|key| key.get_ref().clone())
                .collect(),
        };
        let layers = ordered_layers(raw.layer);
        let properties = self.properties(&raw.property, &names);
        let kinds = self.kinds(&raw.kind, &layers, &names);
        let relations = self.relations(&raw.relation, &names);
        self.check_property_names(&raw.property, &raw.relation, &names);
        let header = self.header(&raw.header, &names);
        Metamodel::new(layers, kinds, properties, relations, header)
    }

    /// The properties whose type is valid.
    fn properties(
        &mut self,
        raw: &BTreeMap<Spanned<String>, RawProperty>,
        names: &Names,
    ) -> BTreeMap<String, PropertyDefinition> {
        let mut properties = BTreeMap::new();
        for (name, property) in raw {
            if let Some(value_type) = self.value_type(name.get_ref(), property, &names.kinds) {
                let definition = PropertyDefinition {
                    name: name.get_ref().clone(),
                    value_type,
                    description: property.description.clone(),
                };
                properties.insert(name.get_ref().clone(), definition);
            }
        }
        properties
    }

    fn kinds(
        &mut self,
        raw: &BTreeMap<Spanned<String>, RawKind>,
        layers: &[LayerDefinition],
        names: &Names,
    ) -> BTreeMap<String, KindDefinition> {
        let mut kinds = BTreeMap::new();
        for (id, kind) in raw {
            let context = format!("kind `{}`", id.get_ref());
            if !layers.iter().any(|layer| &layer.id == kind.layer.get_ref()) {
                self.error(
                    range_of(&kind.layer),
                    format!(
                        "{context} is in layer `{}`, which no `[layer.{0}]` defines",
                        kind.layer.get_ref()
                    ),
                );
            }
            let kind_properties = self.known_properties(&context, &kind.properties, names);
            let required = self.required(&context, &kind.required, &kind_properties);
            let nested_in = kind
                .nested_in
                .as_ref()
                .and_then(|nested_in| self.known_kinds(&context, nested_in, names));
            kinds.insert(
                id.get_ref().clone(),
                KindDefinition {
                    id: id.get_ref().clone(),
                    layer: kind.layer.get_ref().clone(),
                    name: kind.name.clone(),
                    description: kind.description.clone(),
                    properties: kind_properties,
                    required,
                    nested_in,
                },
            );
        }
        kinds
    }

    fn relations(
        &mut self,
        raw: &BTreeMap<Spanned<String>, RawRelation>,
        names: &Names,
    ) -> BTreeMap<String, RelationDefinition> {
        let mut relations = BTreeMap::new();
        for (id, relation) in raw {
            let context = format!("relation `{}`", id.get_ref());
            if names.kinds.contains(id.get_ref()) {
                self.error(range_of(id), format!("{context} has the same name as a kind; the two would be ambiguous in a body"));
            }
            let relation_properties = self.known_properties(&context, &relation.properties, names);
            let required = self.required(&context, &relation.required, &relation_properties);
            relations.insert(
                id.get_ref().clone(),
                RelationDefinition {
                    id: id.get_ref().clone(),
                    name: relation.name.clone(),
                    description: relation.description.clone(),
                    from: self.known_kinds(&context, &relation.from, names),
                    to: self.known_kinds(&context, &relation.to, names),
                    properties: relation_properties,
                    required,
                },
            );
        }
        relations
    }

    /// A property may not share its name with a kind or a relation.
    fn check_property_names(
        &mut self,
        properties: &BTreeMap<Spanned<String>, RawProperty>,
        relations: &BTreeMap<Spanned<String>, RawRelation>,
        names: &Names,
    ) {
        for name in properties.keys() {
            if names.kinds.contains(name.get_ref())
                || relations.keys().any(|key| key.get_ref() == name.get_ref())
            {
                self.error(
                    range_of(name),
                    format!(
                        "property `{}` has the same name as a kind or relation",
                        name.get_ref()
                    ),
                );
            }
        }
    }

    fn header(&mut self, raw: &RawHeader, names: &Names) -> HeaderDefinition {
        let properties = self.known_properties("the header", &raw.properties, names);
        let required = self.required("the header", &raw.required, &properties);
        HeaderDefinition {
            properties,
            required,
        }
    }

    /// The names in `listed` that some `[property.…]` defines; an error for each other one.
    fn known_properties(
        &mut self,
        context: &str,
        listed: &[Spanned<String>],
        names: &Names,
    ) -> Vec<String> {
        let mut result = Vec::new();
        for name in listed {
            if names.properties.contains(name.get_ref()) {
                result.push(name.get_ref().clone());
            } else {
                self.error(
                    range_of(name),
                    format!(
                        "{context} lists property `{}`, which no `[property.{0}]` defines",
                        name.get_ref()
                    ),
                );
            }
        }
        result
    }

    /// The names in `required` that are also `allowed`; an error for each other one.
    fn required(
        &mut self,
        context: &str,
        required: &[Spanned<String>],
        allowed: &[String],
    ) -> Vec<String> {
        let mut result = Vec::new();
        for name in required {
            if allowed.contains(name.get_ref()) {
                result.push(name.get_ref().clone());
            } else {
                self.error(
                    range_of(name),
                    format!(
                        "{context} requires `{}` but does not list it in `properties`",
                        name.get_ref()
                    ),
                );
            }
        }
        result
    }

    /// The kinds in `listed` that some `[kind.…]` defines (an error for each other one), or
    /// `None` (any kind) when `listed` holds `*`.
    fn known_kinds(
        &mut self,
        context: &str,
        listed: &[Spanned<String>],
        names: &Names,
    ) -> Option<Vec<String>> {
        if listed.iter().any(|name| name.get_ref() == "*") {
            return None;
        }
        let mut result = Vec::new();
        for name in listed {
            if names.kinds.contains(name.get_ref()) {
                result.push(name.get_ref().clone());
            } else {
                self.error(
                    range_of(name),
                    format!(
                        "{context} names kind `{}`, which no `[kind.{0}]` defines",
                        name.get_ref()
                    ),
                );
            }
        }
        Some(result)
    }

    fn value_type(
        &mut self,
        name: &str,
        property: &RawProperty,
        kind_names: &[String],
    ) -> Option<ValueType> {
        let scalar = |validation: &mut Self, type_name: &Spanned<String>| -> Option<ValueType> {
            Some(match type_name.get_ref().as_str() {
                "string" => ValueType::String,
                "integer" => ValueType::Integer {
                    min: property.min,
                    max: property.max,
                },
                "boolean" => ValueType::Boolean,
                "date" => ValueType::Date,
                "enum" => {
                    if property.values.is_empty() {
                        validation.error(
                            range_of(type_name),
                            format!("enum property `{name}` lists no `values`"),
                        );
                    }
                    ValueType::Enum {
                        values: property.values.clone(),
                    }
                }
                "reference" => {
                    for kind in &property.kinds {
                        if !kind_names.contains(kind.get_ref()) {
                            validation.error(range_of(kind), format!("property `{name}` refers to kind `{}`, which no `[kind.{0}]` defines", kind.get_ref()));
                        }
                    }
                    ValueType::Reference {
                        kinds: property
                            .kinds
                            .iter()
                            .map(|kind| kind.get_ref().clone())
                            .collect(),
                    }
                }
                other => {
                    validation.error(
                        range_of(type_name),
                        format!("property `{name}` has unknown type `{other}`; use string, integer, boolean, date, enum, reference or list"),
                    );
                    return None;
                }
            })
        };
        if property.value_type.get_ref() == "list" {
            let Some(item) = &property.item else {
                self.error(
                    range_of(&property.value_type),
                    format!("list property `{name}` needs an `item` type"),
                );
                return None;
            };
            if item.get_ref() == "list" {
                self.error(
                    range_of(item),
                    format!("list property `{name}` cannot hold lists"),
                );
                return None;
            }
            return scalar(self, item).map(|item| ValueType::List {
                item: Box::new(item),
            });
        }
        scalar(self, &property.value_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_unknown_references_inside_the_metamodel_with_spans() {
        let text = r#"
[layer.application]
name = { vi = "Ứng dụng", en = "Application" }

[property.owner]
type = "reference"
kinds = ["agencyy"]

[kind.system]
layer = "application"
name = { vi = "Hệ thống", en = "System" }
properties = ["owner", "colour"]
"#;
        let (metamodel, diagnostics) = Metamodel::from_toml(FileId(0), text);
        assert!(metamodel.is_some());
        let messages: Vec<(&str, &str)> = diagnostics
            .iter()
            .map(|d| {
                (
                    d.message.as_str(),
                    &text[d.primary.as_ref().unwrap().span.range.to_range()],
                )
            })
            .collect();
        assert_eq!(
            messages,
            vec![
                (
                    "property `owner` refers to kind `agencyy`, which no `[kind.agencyy]` defines",
                    "\"agencyy\""
                ),
                (
                    "kind `system` lists property `colour`, which no `[property.colour]` defines",
                    "\"colour\""
                ),
            ]
        );
    }

    #[test]
    fn toml_syntax_errors_have_a_location() {
        let (metamodel, diagnostics) = Metamodel::from_toml(FileId(3), "[kind.system\nlayer = 1");
        assert!(metamodel.is_none());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::MetamodelError);
        assert_eq!(
            diagnostics[0].primary.as_ref().unwrap().span.file,
            FileId(3)
        );
    }
}
