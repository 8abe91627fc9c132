//! The resolved model: elements, relations and waivers with their kinds checked against the
//! metamodel and every reference turned into an [`ElementId`]. Immutable once built; the checker
//! builds its graph from it and the LSP answers navigation from it.

use crate::syntax::Date;
use crate::text::Span;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ElementId(pub u32);

impl ElementId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PropertyValue {
    String(String),
    Integer(i64),
    Boolean(bool),
    Date(Date),
    /// An enum word.
    Enum(String),
    Reference(ElementId),
    List(Vec<PropertyValue>),
}

impl PropertyValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PropertyValue::String(text) | PropertyValue::Enum(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_integer(&self) -> Option<i64> {
        match self {
            PropertyValue::Integer(value) => Some(*value),
            _ => None,
        }
    }

    pub fn as_date(&self) -> Option<Date> {
        match self {
            PropertyValue::Date(value) => Some(*value),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            PropertyValue::Boolean(value) => Some(*value),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyEntry {
    pub value: PropertyValue,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Element {
    pub id: ElementId,
    /// The id as declared (`ndxp`).
    pub local_id: String,
    /// The id as written from the workspace (`national.ndxp` for imported models, `ndxp` in the
    /// workspace itself). Unique across the model; used in findings and outputs.
    pub qualified_id: String,
    pub kind: String,
    /// The kind's layer; `None` when the kind is unknown.
    pub layer: Option<String>,
    pub name: String,
    pub doc: Option<String>,
    pub properties: BTreeMap<String, PropertyEntry>,
    pub tags: Vec<String>,
    pub parent: Option<ElementId>,
    pub children: Vec<ElementId>,
    /// The whole declaration.
    pub span: Span,
    /// The id token of the declaration (where diagnostics about the element point).
    pub id_span: Span,
    /// False for elements of imported models outside the checked workspace (the national
    /// reference model): rules report on workspace elements only.
    pub in_workspace: bool,
}

impl Element {
    pub fn property(&self, name: &str) -> Option<&PropertyValue> {
        self.properties.get(name).map(|entry| &entry.value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relation {
    pub relation_type: String,
    pub source: ElementId,
    pub target: ElementId,
    pub label: Option<String>,
    pub via: Vec<ElementId>,
    pub properties: BTreeMap<String, PropertyEntry>,
    pub doc: Option<String>,
    pub span: Span,
    pub in_workspace: bool,
}

impl Relation {
    pub fn property(&self, name: &str) -> Option<&PropertyValue> {
        self.properties.get(name).map(|entry| &entry.value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waiver {
    pub rule: String,
    pub rule_span: Span,
    pub element: ElementId,
    pub until: Option<Date>,
    pub reason: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    pub id: String,
    pub name: String,
    pub framework: Option<String>,
    pub version: Option<String>,
    pub as_of: Option<Date>,
    pub doc: Option<String>,
    pub properties: BTreeMap<String, PropertyEntry>,
    pub span: Span,
}

/// A use of an element's id somewhere in the source (relation ends, `via`, reference-typed
/// properties, waivers). The LSP answers references and rename from these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reference {
    pub span: Span,
    pub target: ElementId,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Model {
    pub header: Option<Header>,
    pub elements: Vec<Element>,
    pub relations: Vec<Relation>,
    pub waivers: Vec<Waiver>,
    #[serde(skip)]
    pub references: Vec<Reference>,
    #[serde(skip)]
    pub by_qualified_id: HashMap<String, ElementId>,
}

impl Model {
    pub fn element(&self, id: ElementId) -> &Element {
        &self.elements[id.index()]
    }

    pub fn find(&self, qualified_id: &str) -> Option<&Element> {
        self.by_qualified_id
            .get(qualified_id)
            .map(|id| self.element(*id))
    }

    pub fn workspace_elements(&self) -> impl Iterator<Item = &Element> {
        self.elements.iter().filter(|element| element.in_workspace)
    }
}
