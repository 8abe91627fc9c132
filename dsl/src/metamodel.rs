//! The framework's metamodel, loaded from TOML: layers, element kinds, typed properties, and
//! relation types with the kinds they may join. Nothing about kinds is hard-coded in the
//! language; a new framework version is a new `metamodel.toml`, not new code.
//!
//! ```toml
//! [layer.application]
//! name = { vi = "Ứng dụng", en = "Application" }
//!
//! [property.security_level]
//! type = "integer"
//! min = 1
//! max = 5
//!
//! [kind.system]
//! layer = "application"
//! name = { vi = "Hệ thống thông tin", en = "Information system" }
//! properties = ["security_level"]
//! required = []
//!
//! [relation.uses]
//! name = { vi = "sử dụng", en = "uses" }
//! from = ["system"]
//! to = ["*"]
//! ```

use crate::diagnostic::{Code, Diagnostic};
use crate::text::{FileId, TextRange};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// A text in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub vi: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Vi => &self.vi,
            Language::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Vi,
    En,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ValueType {
    String,
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Boolean,
    Date,
    Enum {
        values: Vec<String>,
    },
    /// A reference to an element of one of `kinds` (empty: any kind).
    Reference {
        kinds: Vec<String>,
    },
    List {
        item: Box<ValueType>,
    },
}

impl ValueType {
    /// How the type reads in messages and hovers: `integer 1..5`, `one of a, b`, `list of ...`.
    pub fn describe(&self) -> String {
        match self {
            ValueType::String => "a string".to_owned(),
            ValueType::Integer {
                min: Some(min),
                max: Some(max),
            } => format!("an integer from {min} to {max}"),
            ValueType::Integer {
                min: Some(min),
                max: None,
            } => format!("an integer of at least {min}"),
            ValueType::Integer {
                min: None,
                max: Some(max),
            } => format!("an integer of at most {max}"),
            ValueType::Integer { .. } => "an integer".to_owned(),
            ValueType::Boolean => "`true` or `false`".to_owned(),
            ValueType::Date => "a date (YYYY-MM-DD)".to_owned(),
            ValueType::Enum { values } => format!("one of {}", values.join(", ")),
            ValueType::Reference { kinds } if kinds.is_empty() => {
                "a reference to an element".to_owned()
            }
            ValueType::Reference { kinds } => {
                format!("a reference to {}", with_article(&kinds.join(" or ")))
            }
            ValueType::List { item } => format!(
                "a list of {}",
                item.describe()
                    .trim_start_matches("a ")
                    .trim_start_matches("an ")
            ),
        }
    }
}

/// `agency` → `an agency`, `system` → `a system`.
pub fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyDefinition {
    pub name: String,
    pub value_type: ValueType,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerDefinition {
    pub id: String,
    pub name: Localized,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindDefinition {
    pub id: String,
    pub layer: String,
    pub name: Localized,
    pub description: String,
    pub properties: Vec<String>,
    pub required: Vec<String>,
    /// Kinds this kind may be nested in; `None`: any.
    pub nested_in: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationDefinition {
    pub id: String,
    pub name: Localized,
    pub description: String,
    /// Allowed source kinds; `None`: any.
    pub from: Option<Vec<String>>,
    /// Allowed target kinds; `None`: any.
    pub to: Option<Vec<String>>,
    pub properties: Vec<String>,
    pub required: Vec<String>,
}

impl RelationDefinition {
    pub fn allows(&self, source_kind: &str, target_kind: &str) -> bool {
        let matches = |set: &Option<Vec<String>>, kind: &str| {
            set.as_ref()
                .is_none_or(|kinds| kinds.iter().any(|k| k == kind))
        };
        matches(&self.from, source_kind) && matches(&self.to, target_kind)
    }
}

/// The properties the `architecture` header accepts besides the built-in `framework` and
/// `version` (and `as_of`, a date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct HeaderDefinition {
    pub properties: Vec<String>,
    pub required: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Metamodel {
    pub layers: Vec<LayerDefinition>,
    pub kinds: BTreeMap<String, KindDefinition>,
    pub properties: BTreeMap<String, PropertyDefinition>,
    pub relations: BTreeMap<String, RelationDefinition>,
    pub header: HeaderDefinition,
    /// Hashed copies of the three maps for [`Metamodel::kind`], [`Metamodel::property`] and
    /// [`Metamodel::relation`]: resolution asks them for every element and property, and a
    /// hash lookup beats an ordered search through a hundred names. The ordered maps stay for
    /// listing (documentation, completion) in a stable order.
    #[serde(skip)]
    lookup: Lookup,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Lookup {
    kinds: foldhash::HashMap<String, KindDefinition>,
    /// The properties each kind allows (a kind may allow dozens; resolution asks per property).
    kind_properties: foldhash::HashMap<String, foldhash::HashSet<String>>,
    properties: foldhash::HashMap<String, PropertyDefinition>,
    relations: foldhash::HashMap<String, RelationDefinition>,
}

impl Metamodel {
    pub fn kind(&self, id: &str) -> Option<&KindDefinition> {
        self.lookup.kinds.get(id)
    }

    pub fn relation(&self, id: &str) -> Option<&RelationDefinition> {
        self.lookup.relations.get(id)
    }

    /// Whether kind `kind` allows property `property` (false for an unknown kind).
    pub fn kind_allows_property(&self, kind: &str, property: &str) -> bool {
        self.lookup
            .kind_properties
            .get(kind)
            .is_some_and(|properties| properties.contains(property))
    }

    pub fn property(&self, id: &str) -> Option<&PropertyDefinition> {
        self.lookup.properties.get(id)
    }

    pub fn layer(&self, id: &str) -> Option<&LayerDefinition> {
        self.layers.iter().find(|layer| layer.id == id)
    }

    /// Relation types whose source may be an element of `kind`.
    pub fn relations_from<'a>(
        &'a self,
        kind: &'a str,
    ) -> impl Iterator<Item = &'a RelationDefinition> + 'a {
        self.relations.values().filter(move |relation| {
            relation
                .from
                .as_ref()
                .is_none_or(|kinds| kinds.iter().any(|k| k == kind))
        })
    }

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

fn range_of<T>(spanned: &Spanned<T>) -> TextRange {
    let span = spanned.span();
    TextRange::new(span.start, span.end)
}

impl Validation {
    fn error(&mut self, range: TextRange, message: String) {
        self.diagnostics
            .push(Diagnostic::new(Code::MetamodelError, message).at(self.file, range, "here"));
    }

    fn convert(&mut self, raw: RawMetamodel) -> Metamodel {
        let mut layers: Vec<(Option<i64>, LayerDefinition)> = raw
            .layer
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
        let layers: Vec<LayerDefinition> = layers.into_iter().map(|(_, layer)| layer).collect();
        let kind_names: Vec<String> = raw.kind.keys().map(|key| key.get_ref().clone()).collect();

        let mut properties = BTreeMap::new();
        for (name, property) in &raw.property {
            if let Some(value_type) = self.value_type(name.get_ref(), property, &kind_names) {
                let definition = PropertyDefinition {
                    name: name.get_ref().clone(),
                    value_type,
                    description: property.description.clone(),
                };
                properties.insert(name.get_ref().clone(), definition);
            }
        }
        let known_property =
            |validation: &mut Self, context: &str, names: &[Spanned<String>]| -> Vec<String> {
                let mut result = Vec::new();
                for name in names {
                    if raw
                        .property
                        .keys()
                        .any(|key| key.get_ref() == name.get_ref())
                    {
                        result.push(name.get_ref().clone());
                    } else {
                        validation.error(
                            range_of(name),
                            format!(
                                "{context} lists property `{}`, which no `[property.{0}]` defines",
                                name.get_ref()
                            ),
                        );
                    }
                }
                result
            };
        let check_required = |validation: &mut Self,
                              context: &str,
                              required: &[Spanned<String>],
                              allowed: &[String]|
         -> Vec<String> {
            let mut result = Vec::new();
            for name in required {
                if allowed.contains(name.get_ref()) {
                    result.push(name.get_ref().clone());
                } else {
                    validation.error(
                        range_of(name),
                        format!(
                            "{context} requires `{}` but does not list it in `properties`",
                            name.get_ref()
                        ),
                    );
                }
            }
            result
        };
        let check_kinds = |validation: &mut Self,
                           context: &str,
                           names: &[Spanned<String>]|
         -> Option<Vec<String>> {
            if names.iter().any(|name| name.get_ref() == "*") {
                return None;
            }
            let mut result = Vec::new();
            for name in names {
                if kind_names.contains(name.get_ref()) {
                    result.push(name.get_ref().clone());
                } else {
                    validation.error(
                        range_of(name),
                        format!(
                            "{context} names kind `{}`, which no `[kind.{0}]` defines",
                            name.get_ref()
                        ),
                    );
                }
            }
            Some(result)
        };

        let mut kinds = BTreeMap::new();
        for (id, kind) in &raw.kind {
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
            let kind_properties = known_property(self, &context, &kind.properties);
            let required = check_required(self, &context, &kind.required, &kind_properties);
            let nested_in = kind
                .nested_in
                .as_ref()
                .and_then(|names| check_kinds(self, &context, names));
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

        let mut relations = BTreeMap::new();
        for (id, relation) in &raw.relation {
            let context = format!("relation `{}`", id.get_ref());
            if kind_names.contains(id.get_ref()) {
                self.error(range_of(id), format!("{context} has the same name as a kind; the two would be ambiguous in a body"));
            }
            let relation_properties = known_property(self, &context, &relation.properties);
            let required = check_required(self, &context, &relation.required, &relation_properties);
            relations.insert(
                id.get_ref().clone(),
                RelationDefinition {
                    id: id.get_ref().clone(),
                    name: relation.name.clone(),
                    description: relation.description.clone(),
                    from: check_kinds(self, &context, &relation.from),
                    to: check_kinds(self, &context, &relation.to),
                    properties: relation_properties,
                    required,
                },
            );
        }
        for name in raw.property.keys() {
            if kind_names.contains(name.get_ref())
                || raw
                    .relation
                    .keys()
                    .any(|key| key.get_ref() == name.get_ref())
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
        let header_properties = known_property(self, "the header", &raw.header.properties);
        let header_required =
            check_required(self, "the header", &raw.header.required, &header_properties);
        let lookup = Lookup {
            kind_properties: kinds
                .values()
                .map(|kind| (kind.id.clone(), kind.properties.iter().cloned().collect()))
                .collect(),
            kinds: kinds.clone().into_iter().collect(),
            properties: properties.clone().into_iter().collect(),
            relations: relations.clone().into_iter().collect(),
        };
        Metamodel {
            layers,
            kinds,
            properties,
            relations,
            header: HeaderDefinition {
                properties: header_properties,
                required: header_required,
            },
            lookup,
        }
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
