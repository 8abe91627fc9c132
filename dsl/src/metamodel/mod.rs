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
//! [property.status]
//! type = "enum"
//! values = ["operational", "planned"]
//!
//! [property.status.value_names]
//! operational = { vi = "Đang vận hành", en = "Operational" }
//! planned = { vi = "Kế hoạch", en = "Planned" }
//!
//! [kind.system]
//! layer = "application"
//! name = { vi = "Hệ thống thông tin", en = "Information system" }
//! properties = ["security_level", "status"]
//! required = []
//!
//! [relation.uses]
//! name = { vi = "sử dụng", en = "uses" }
//! from = ["system"]
//! to = ["*"]
//! ```
//!
//! Reading and checking `metamodel.toml` is in `validate`.

mod validate;

pub use validate::schema;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A text in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// In Vietnamese, with its diacritics.
    pub vi: String,
    /// In English.
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
    /// The names of an enum's values (or a list of enums' items) in both languages, from the
    /// property's `value_names`: what a report shows instead of the bare word. A pack may leave
    /// values unnamed; only values of `values` are kept.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub value_names: BTreeMap<String, Localized>,
}

impl PropertyDefinition {
    /// The name of enum value `value` in `language`, if the metamodel gives one.
    pub fn value_name(&self, value: &str, language: Language) -> Option<&str> {
        self.value_names.get(value).map(|name| name.get(language))
    }
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

    /// The name of value `value` of enum property `property` (or of a list of enums) in
    /// `language`, e.g. `status` `operational` → "Đang vận hành"; `None` for an unknown
    /// property or a value the metamodel does not name.
    pub fn value_name(&self, property: &str, value: &str, language: Language) -> Option<&str> {
        self.property(property)?.value_name(value, language)
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

    /// A metamodel of these definitions, with its hashed lookups built.
    fn new(
        layers: Vec<LayerDefinition>,
        kinds: BTreeMap<String, KindDefinition>,
        properties: BTreeMap<String, PropertyDefinition>,
        relations: BTreeMap<String, RelationDefinition>,
        header: HeaderDefinition,
    ) -> Metamodel {
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
            header,
            lookup,
        }
    }
}
