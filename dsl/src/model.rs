//! The resolved model: elements, relations and waivers with their kinds checked against the
//! metamodel and every reference turned into an [`ElementId`]. Immutable once built; the checker
//! builds its graph from it and the LSP answers navigation from it.

use crate::syntax::{CompactString, Date};
use crate::text::Span;
use serde::Serialize;

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
    Enum(CompactString),
    Reference(ElementId),
    List(Vec<PropertyValue>),
}

impl PropertyValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PropertyValue::String(text) => Some(text),
            PropertyValue::Enum(text) => Some(text),
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
    pub local_id: CompactString,
    /// The id as written from the workspace (`national.ndxp` for imported models, `ndxp` in the
    /// workspace itself). Unique across the model; used in findings and outputs.
    pub qualified_id: CompactString,
    pub kind: CompactString,
    /// The kind's layer; `None` when the kind is unknown.
    pub layer: Option<CompactString>,
    pub name: String,
    pub doc: Option<String>,
    pub properties: Properties,
    pub tags: Vec<CompactString>,
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
        self.property_entry(name).map(|entry| &entry.value)
    }

    /// The property `name` with its span (see [`Properties`] for why this is fast).
    pub fn property_entry(&self, name: &str) -> Option<&PropertyEntry> {
        self.properties.get(name)
    }

    pub fn has_property(&self, name: &str) -> bool {
        self.property_entry(name).is_some()
    }
}

/// The properties of an element, relation or header: a small map (an element has about ten),
/// kept as a vector sorted by name. Rules look properties up for every element they select, so
/// this is the hottest lookup of a check: a scan of a contiguous vector that compares lengths and
/// first bytes before any bytes is several times faster than a `BTreeMap`'s ordered search, which
/// calls `memcmp` on every key it passes. Iterates and serialises in name order, like a
/// `BTreeMap`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties {
    entries: Vec<(CompactString, PropertyEntry)>,
}

impl Properties {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Vec::with_capacity(capacity),
        }
    }

    pub fn get(&self, name: &str) -> Option<&PropertyEntry> {
        let wanted = name.as_bytes();
        self.entries
            .iter()
            .find(|(key, _)| {
                let key = key.as_bytes();
                key.len() == wanted.len() && key.first() == wanted.first() && key == wanted
            })
            .map(|(_, entry)| entry)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets `name`, returning the value it replaces.
    pub fn insert(&mut self, name: CompactString, entry: PropertyEntry) -> Option<PropertyEntry> {
        match self
            .entries
            .binary_search_by(|(key, _)| key.as_str().cmp(name.as_str()))
        {
            Ok(index) => Some(std::mem::replace(&mut self.entries[index].1, entry)),
            Err(index) => {
                self.entries.insert(index, (name, entry));
                None
            }
        }
    }

    /// The properties in name order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&CompactString, &PropertyEntry)> {
        self.entries.iter().map(|(key, entry)| (key, entry))
    }

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &CompactString> {
        self.entries.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &PropertyEntry> {
        self.entries.iter().map(|(_, entry)| entry)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl std::ops::Index<&str> for Properties {
    type Output = PropertyEntry;

    fn index(&self, name: &str) -> &PropertyEntry {
        self.get(name)
            .unwrap_or_else(|| panic!("no property `{name}`"))
    }
}

impl<'a> IntoIterator for &'a Properties {
    type Item = (&'a CompactString, &'a PropertyEntry);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (CompactString, PropertyEntry)>,
        fn(&'a (CompactString, PropertyEntry)) -> (&'a CompactString, &'a PropertyEntry),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(key, entry)| (key, entry))
    }
}

impl Serialize for Properties {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, entry) in &self.entries {
            map.serialize_entry(key, entry)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relation {
    pub relation_type: CompactString,
    pub source: ElementId,
    pub target: ElementId,
    pub label: Option<String>,
    pub via: Vec<ElementId>,
    pub properties: Properties,
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
    /// The waived element; `None` when the waiver names the architecture's id: it waives the
    /// rule's findings that have no element (model-wide findings, reported on the header).
    pub element: Option<ElementId>,
    pub until: Option<Date>,
    pub reason: Option<String>,
    pub span: Span,
}

/// A view the workspace declares (`view id "Title" { include … }`): which elements and relations a
/// diagram shows and how it lays them out. Its selectors are the rule packs' selector language
/// ([`crate::selector`]), parsed and validated against the metamodel when the model resolves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct View {
    pub id: CompactString,
    /// The doc comment (`///`) above the declaration.
    pub doc: Option<String>,
    pub id_span: Span,
    pub title: String,
    /// `title_en`: the title in English (the Vietnamese title is the one after the id).
    pub title_en: Option<String>,
    pub description: Option<String>,
    pub description_en: Option<String>,
    /// `include` and `exclude` lines, in order; a later line wins over an earlier one.
    pub statements: Vec<ViewStatement>,
    pub layout: ViewLayout,
    pub group_by: ViewGrouping,
    /// The whole declaration.
    pub span: Span,
}

impl View {
    /// The title in `language`: the English one when asked for and given, else the declared one.
    pub fn title_in(&self, english: bool) -> &str {
        match (&self.title_en, english) {
            (Some(title), true) => title,
            _ => &self.title,
        }
    }

    pub fn description_in(&self, english: bool) -> Option<&str> {
        match (&self.description_en, english) {
            (Some(description), true) => Some(description),
            _ => self.description.as_deref(),
        }
    }
}

/// `include SELECTOR`, `exclude SELECTOR`, or `include SELECTOR -> SELECTOR` (the relations from
/// the first set to the second, and their ends).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ViewStatement {
    pub include: bool,
    #[serde(skip)]
    pub selector: crate::selector::Selector,
    pub selector_text: String,
    pub selector_span: Span,
    #[serde(skip)]
    pub target: Option<crate::selector::Selector>,
    pub target_text: Option<String>,
    pub target_span: Option<Span>,
    pub span: Span,
}

/// `layout bands|top-down`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ViewLayout {
    /// Horizontal bands by layer (the default), as the overview draws them.
    #[default]
    Bands,
    /// Rows by rank along the relations, sources on top.
    TopDown,
}

/// `group by layer|owner|kind`: the frames inside a band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ViewGrouping {
    /// One frame per kind (the default).
    #[default]
    Kind,
    /// One frame per layer.
    Layer,
    /// One frame per owner (the `owner` property; elements without one stand together).
    Owner,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    pub id: String,
    pub name: String,
    pub framework: Option<String>,
    pub version: Option<String>,
    pub as_of: Option<Date>,
    pub doc: Option<String>,
    pub properties: Properties,
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
    /// The declared views, in declaration order (files in workspace order).
    pub views: Vec<View>,
    #[serde(skip)]
    pub references: Vec<Reference>,
    #[serde(skip)]
    pub by_qualified_id: foldhash::HashMap<CompactString, ElementId>,
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
