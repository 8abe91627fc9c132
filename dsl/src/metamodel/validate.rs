//! Reading `metamodel.toml`: the TOML's raw form, checked (every layer, kind and property it names
//! is defined, required properties are listed, names do not clash) and converted into a
//! [`Metamodel`]. Problems are diagnostics with the span of the TOML value at fault.

use super::{
    HeaderDefinition, KindDefinition, LayerDefinition, Localized, Metamodel, PropertyDefinition,
    RelationDefinition, ValueType,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::suggest::suggest;
use crate::text::{FileId, TextRange};
use schemars::JsonSchema;
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

/// A framework's metamodel (`metamodel.toml`): its layers, the properties elements may carry,
/// the kinds of element and the relation types between them.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawMetamodel {
    /// The layers of the architecture (`[layer.application]`), by id.
    #[serde(default)]
    layer: BTreeMap<String, RawLayer>,
    /// The properties the `architecture` header accepts besides `framework`, `version` and
    /// `as_of`, and which of them it requires.
    #[serde(default)]
    header: RawHeader,
    /// The properties elements and relations may carry (`[property.security_level]`), by name.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawProperty>")]
    property: BTreeMap<Spanned<String>, RawProperty>,
    /// The kinds of element (`[kind.system]`), by id: the keyword a model declares them with.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawKind>")]
    kind: BTreeMap<Spanned<String>, RawKind>,
    /// The relation types (`[relation.uses]`), by id.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawRelation>")]
    relation: BTreeMap<Spanned<String>, RawRelation>,
}

/// A layer of the architecture.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawLayer {
    /// The layer's name in Vietnamese and English.
    name: Localized,
    /// Where the layer comes in listings and diagrams (smaller first).
    #[serde(default)]
    order: Option<i64>,
}

/// The properties of the `architecture` header.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    /// The properties the header accepts (each defined under `[property]`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    properties: Vec<Spanned<String>>,
    /// The properties the header must give (each also under `properties`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    required: Vec<Spanned<String>>,
}

/// A property: its value type and constraints.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawProperty {
    /// The value type.
    #[serde(rename = "type")]
    #[schemars(with = "ValueTypeName")]
    value_type: Spanned<String>,
    /// For a `list`: the type of its items (any type but `list`).
    #[serde(default)]
    #[schemars(with = "Option<ValueTypeName>")]
    item: Option<Spanned<String>>,
    /// For an `enum` (or a list of enums): the values it allows.
    #[serde(default)]
    values: Vec<String>,
    /// The values' names in both languages (only for `enum` and lists of enums).
    #[serde(default)]
    #[schemars(with = "Option<BTreeMap<String, Localized>>")]
    value_names: Option<Spanned<BTreeMap<Spanned<String>, Localized>>>,
    /// For a `reference` (or a list of references): the kinds it may refer to (empty: any).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    kinds: Vec<Spanned<String>>,
    /// For an `integer`: the smallest value allowed.
    #[serde(default)]
    min: Option<i64>,
    /// For an `integer`: the largest value allowed.
    #[serde(default)]
    max: Option<i64>,
    /// What the property means, for hovers and documentation.
    #[serde(default)]
    description: String,
}

/// The value types of a property (`type`, and a list's `item`).
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[expect(
    dead_code,
    reason = "schema only: the loader reads the type as a string and reports unknown ones"
)]
enum ValueTypeName {
    String,
    Integer,
    Boolean,
    /// A date, `YYYY-MM-DD`.
    Date,
    Enum,
    Reference,
    List,
}

/// A kind of element.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawKind {
    /// The layer it belongs to (an id of `[layer]`).
    #[schemars(with = "String")]
    layer: Spanned<String>,
    /// The kind's name in Vietnamese and English.
    name: Localized,
    /// What the kind is, for hovers and documentation.
    #[serde(default)]
    description: String,
    /// The properties its elements may carry (each defined under `[property]`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    properties: Vec<Spanned<String>>,
    /// The properties its elements must give (each also under `properties`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    required: Vec<Spanned<String>>,
    /// The kinds its elements may be nested in (absent: any).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    nested_in: Option<Vec<Spanned<String>>>,
}

/// A relation type.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawRelation {
    /// The relation's name in Vietnamese and English (a verb phrase: "sử dụng" / "uses").
    name: Localized,
    /// What the relation means, for hovers and documentation.
    #[serde(default)]
    description: String,
    /// The kinds it may start from (`"*"`: any).
    #[schemars(with = "Vec<String>")]
    from: Vec<Spanned<String>>,
    /// The kinds it may lead to (`"*"`: any).
    #[schemars(with = "Vec<String>")]
    to: Vec<Spanned<String>>,
    /// The properties a relation of this type may carry.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    properties: Vec<Spanned<String>>,
    /// The properties it must give.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    required: Vec<Spanned<String>>,
}

/// The schema of `metamodel.toml` (`schemas/metamodel.schema.json`).
pub fn schema() -> schemars::Schema {
    crate::schema::document::<RawMetamodel>(
        "metamodel.schema.json",
        "kientruc framework metamodel (metamodel.toml)",
        "The metamodel of a framework pack: layers, element kinds, typed properties and \
         relation types with the kinds they may join. A model's keywords are the kinds it defines.",
    )
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
                let value_names = self.value_names(name.get_ref(), property, &value_type);
                let definition = PropertyDefinition {
                    name: name.get_ref().clone(),
                    value_type,
                    description: property.description.clone(),
                    value_names,
                };
                properties.insert(name.get_ref().clone(), definition);
            }
        }
        properties
    }

    /// The property's `value_names` whose keys are among its enum `values`; an error for each
    /// other key, and for `value_names` on a property that is not an enum or a list of enums.
    fn value_names(
        &mut self,
        name: &str,
        property: &RawProperty,
        value_type: &ValueType,
    ) -> BTreeMap<String, Localized> {
        let Some(value_names) = &property.value_names else {
            return BTreeMap::new();
        };
        let values = match value_type {
            ValueType::Enum { values } => values,
            ValueType::List { item } => match item.as_ref() {
                ValueType::Enum { values } => values,
                _ => return self.value_names_not_enum(name, value_names),
            },
            _ => return self.value_names_not_enum(name, value_names),
        };
        let mut result = BTreeMap::new();
        for (value, value_name) in value_names.get_ref() {
            if values.contains(value.get_ref()) {
                result.insert(value.get_ref().clone(), value_name.clone());
            } else {
                let help = match suggest(value.get_ref(), values.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("the values of `{name}`: {}", values.join(", ")),
                };
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::MetamodelError,
                        format!(
                            "property `{name}` names value `{}` in `value_names`, which is not one of its `values`",
                            value.get_ref()
                        ),
                    )
                    .at(self.file, range_of(value), "here")
                    .with_help(help),
                );
            }
        }
        result
    }

    fn value_names_not_enum(
        &mut self,
        name: &str,
        value_names: &Spanned<BTreeMap<Spanned<String>, Localized>>,
    ) -> BTreeMap<String, Localized> {
        self.error(
            range_of(value_names),
            format!("property `{name}` has `value_names` but is not an enum or a list of enums"),
        );
        BTreeMap::new()
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
    use crate::metamodel::Language;

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

    /// Each diagnostic's message with the TOML text it points at.
    fn located(text: &str, diagnostics: &[Diagnostic]) -> Vec<(String, String)> {
        diagnostics
            .iter()
            .map(|d| {
                (
                    d.message.clone(),
                    text[d.primary.as_ref().unwrap().span.range.to_range()].to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn value_names_name_the_values_of_enums_and_lists_of_enums() {
        let text = r#"
[property.status]
type = "enum"
values = ["operational", "planned"]
value_names = { operational = { vi = "Đang vận hành", en = "Operational" } }

[property.covers]
type = "list"
item = "enum"
values = ["policy", "network"]

[property.covers.value_names]
policy = { vi = "Chính sách", en = "Policy" }
network = { vi = "Mạng", en = "Network" }
"#;
        let (metamodel, diagnostics) = Metamodel::from_toml(FileId(0), text);
        assert_eq!(located(text, &diagnostics), vec![]);
        let metamodel = metamodel.unwrap();
        let name = |property, value, language| metamodel.value_name(property, value, language);
        assert_eq!(
            name("status", "operational", Language::Vi),
            Some("Đang vận hành")
        );
        assert_eq!(
            name("status", "operational", Language::En),
            Some("Operational")
        );
        assert_eq!(name("covers", "network", Language::Vi), Some("Mạng"));
        assert_eq!(name("covers", "policy", Language::En), Some("Policy"));
        // A value the pack leaves unnamed, a value that is not one, an unknown property.
        assert_eq!(name("status", "planned", Language::Vi), None);
        assert_eq!(name("status", "retiring", Language::Vi), None);
        assert_eq!(name("colour", "operational", Language::Vi), None);
    }

    #[test]
    fn value_names_of_values_that_are_not_in_values_are_errors_at_the_key() {
        let text = r#"
[property.status]
type = "enum"
values = ["operational", "planned"]

[property.status.value_names]
operational = { vi = "Đang vận hành", en = "Operational" }
retired = { vi = "Đã ngừng", en = "Retired" }
planed = { vi = "Kế hoạch", en = "Planned" }
"#;
        let (metamodel, diagnostics) = Metamodel::from_toml(FileId(0), text);
        assert!(diagnostics.iter().all(|d| d.code == Code::MetamodelError));
        assert_eq!(
            located(text, &diagnostics),
            vec![
                (
                    "property `status` names value `planed` in `value_names`, which is not one of its `values`".to_owned(),
                    "planed".to_owned()
                ),
                (
                    "property `status` names value `retired` in `value_names`, which is not one of its `values`".to_owned(),
                    "retired".to_owned()
                ),
            ]
        );
        let helps: Vec<_> = diagnostics.iter().map(|d| d.help.as_deref()).collect();
        assert_eq!(
            helps,
            vec![
                Some("did you mean `planned`?"),
                Some("the values of `status`: operational, planned")
            ]
        );
        // The valid names are kept, the others dropped.
        let metamodel = metamodel.unwrap();
        assert_eq!(
            metamodel
                .property("status")
                .unwrap()
                .value_names
                .keys()
                .collect::<Vec<_>>(),
            vec!["operational"]
        );
    }

    #[test]
    fn value_names_on_a_property_that_is_not_an_enum_are_an_error_at_the_table_or_its_header() {
        let text = r#"
[property.owner_name]
type = "string"
value_names = { ubnd = { vi = "Ủy ban nhân dân", en = "People's Committee" } }

[property.data]
type = "list"
item = "string"
value_names = { csv = { vi = "CSV", en = "CSV" } }

[property.size]
type = "integer"

[property.size.value_names]
one = { vi = "Một", en = "One" }
"#;
        let (metamodel, diagnostics) = Metamodel::from_toml(FileId(0), text);
        assert!(diagnostics.iter().all(|d| d.code == Code::MetamodelError));
        assert_eq!(
            located(text, &diagnostics),
            vec![
                (
                    "property `data` has `value_names` but is not an enum or a list of enums"
                        .to_owned(),
                    r#"{ csv = { vi = "CSV", en = "CSV" } }"#.to_owned()
                ),
                (
                    "property `owner_name` has `value_names` but is not an enum or a list of enums"
                        .to_owned(),
                    r#"{ ubnd = { vi = "Ủy ban nhân dân", en = "People's Committee" } }"#
                        .to_owned()
                ),
                (
                    "property `size` has `value_names` but is not an enum or a list of enums"
                        .to_owned(),
                    "[property.size.value_names]".to_owned()
                ),
            ]
        );
        let metamodel = metamodel.unwrap();
        assert!(
            metamodel
                .property("owner_name")
                .unwrap()
                .value_names
                .is_empty()
        );
    }

    #[test]
    fn a_value_name_needs_both_languages() {
        let text = r#"
[property.status]
type = "enum"
values = ["operational"]
value_names = { operational = { vi = "Đang vận hành" } }
"#;
        let (metamodel, diagnostics) = Metamodel::from_toml(FileId(0), text);
        assert!(metamodel.is_none());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, Code::MetamodelError);
        assert!(
            diagnostics[0].message.contains("missing field `en`"),
            "{}",
            diagnostics[0].message
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
