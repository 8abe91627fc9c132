//! [`export`]: a checked model as an exchange file. Every element of the model (the workspace's
//! and the imported national reference model's), every relation, the reference-typed properties
//! and nesting as relationships too, properties with their definitions, one organization folder
//! per model file, and the report's overview and integration diagrams as views with the report's
//! node bounds.
//!
//! What the format has no place for travels as properties named `kientruc:…` (the element's id
//! and kind, doc comments, a relation's `via`, the header's imports and waivers), so that
//! [`super::import`] gives the model back; docs/interop.md lists them.

mod views;

use super::mapping::{ACCESS_TYPES, Fit, Mapping, MappingError};
use super::read::MAX_FILE_SIZE;
use super::types::EXPORT_ELEMENT_TYPES;
use super::xml::{NAMESPACE, SCHEMA_LOCATION, Writer, XSI_NAMESPACE, has_unwritable, is_ncname};
use crate::imported::quote;
use kientruc_checker::Checked;
use kientruc_dsl::diacritics::{is_identifier, remove_diacritics};
use kientruc_dsl::metamodel::{Language, Metamodel, ValueType};
use kientruc_dsl::model::{Element, ElementId, Model, PropertyValue, Relation};
use kientruc_dsl::workspace::FRAMEWORK_PREFIX;
use kientruc_reports::diagram::{LaidOutView, layouts};
use kientruc_reports::i18n::Texts;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

/// Properties the exchange file carries for kientruc (never written as `.ea` properties).
pub mod marker {
    /// The element's qualified id (`dvc_hn`, `national.ndxp`); the model's id on the model.
    pub const ID: &str = "kientruc:id";
    /// The element's kind, when its type does not say it (`shared_application` is an
    /// `ApplicationComponent`, which imports as `system`).
    pub const KIND: &str = "kientruc:kind";
    /// A doc comment (`///`).
    pub const DOC: &str = "kientruc:doc";
    /// `doc` on an element whose `documentation` is its doc comment (it has no description).
    pub const DOCUMENTATION: &str = "kientruc:documentation";
    /// The relation type of a relationship, when the import would not choose it from the
    /// relationship's type and the two kinds.
    pub const RELATION: &str = "kientruc:relation";
    /// A relation's `via` elements, as a list of qualified ids (`[lgsp_hn, national.ndxp]`).
    pub const VIA: &str = "kientruc:via";
    /// The namespace of the imported model (`national`) that declares an element or relation.
    pub const MODEL: &str = "kientruc:model";
    /// A relationship that is no relation: `nesting` (a nested element) or `reference` (a
    /// reference-typed property; the relationship is named after it).
    pub const LINK: &str = "kientruc:link";
    /// On the model: the framework pack, an import (`national = framework:national.ea`) and a
    /// waiver (its `.ea` text), one property each.
    pub const FRAMEWORK: &str = "kientruc:framework";
    pub const IMPORT: &str = "kientruc:import";
    pub const WAIVER: &str = "kientruc:waiver";
    /// On the model: a view the workspace declares, its `.ea` declaration as written (the
    /// diagrams are its drawing; the declaration is what the import writes back).
    pub const VIEW: &str = "kientruc:view";
    /// On the model: the header's `as_of`.
    pub const AS_OF: &str = "kientruc:as_of";
}

/// Properties written elsewhere than in `<properties>`.
/// (`name_en` is written both as the English name and as a property: Archi keeps one name per
/// element, so the property is what brings the English name back through Archi.)
const NOT_PROPERTIES: &[&str] = &[
    "description",
    "archimate_id",
    "archimate_type",
    "attributes",
];

/// How to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportOptions {
    /// The language of the views' band and group labels (view names are in both).
    pub language: Language,
}

/// An exchange file, and what it could not carry exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub xml: String,
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the model has no framework metamodel to export with")]
    NoMetamodel,
    #[error(transparent)]
    Mapping(#[from] MappingError),
}

/// A relationship to write.
struct Relationship {
    identifier: String,
    kind: String,
    access: Option<String>,
    /// Influence: the `modifier`.
    modifier: Option<String>,
    source: String,
    target: String,
    name: Option<String>,
    documentation: Option<String>,
    properties: Vec<(String, String)>,
}

/// What the views draw connections for: a relation (its index in the model) or a link.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Drawn {
    Relation(usize),
    Reference(ElementId, String),
}

struct Exporter<'a> {
    checked: &'a Checked,
    /// The language of the views' labels.
    language: Language,
    model: &'a Model,
    metamodel: &'a Metamodel,
    mapping: Mapping,
    used: HashSet<String>,
    warnings: Vec<String>,
    /// Element identifiers, by element.
    element_ids: Vec<String>,
    relationships: Vec<Relationship>,
    /// Relationship index of each drawable relation or reference.
    drawn: HashMap<Drawn, usize>,
    /// Property name → (definition identifier, data type).
    definitions: BTreeMap<String, (String, &'static str)>,
}

/// The model of `checked` (which must have analysed without errors) as an `ArchiMate` exchange
/// file that validates against the 3.0 exchange schema.
pub fn export(checked: &Checked, options: &ExportOptions) -> Result<Exported, ExportError> {
    let framework = checked
        .analysis
        .workspace
        .framework
        .as_ref()
        .ok_or(ExportError::NoMetamodel)?;
    let metamodel = framework
        .metamodel
        .as_deref()
        .ok_or(ExportError::NoMetamodel)?;
    let mapping = super::mapping_of(&framework.pack, metamodel)?;
    let mut exporter = Exporter {
        checked,
        language: options.language,
        model: &checked.analysis.model,
        metamodel,
        mapping,
        used: HashSet::new(),
        warnings: Vec::new(),
        element_ids: Vec::new(),
        relationships: Vec::new(),
        drawn: HashMap::new(),
        definitions: BTreeMap::new(),
    };
    exporter.assign_element_ids();
    exporter.collect_relationships();
    let views = {
        let texts = Texts::of(checked, options.language);
        layouts(checked, &texts)
    };
    let xml = exporter.write(&views);
    if xml.len() > MAX_FILE_SIZE {
        exporter.warnings.push(format!(
            "the file is {} bytes, over the {MAX_FILE_SIZE} bytes (64 MiB) `kientruc import archimate` reads; Archi and other tools read it",
            xml.len()
        ));
    }
    Ok(Exported {
        xml,
        warnings: exporter.warnings,
    })
}

/// `id-` and `text` with every character an `NCName` does not allow as `-`.
fn identifier_of(text: &str) -> String {
    let body: String = remove_diacritics(text)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("id-{body}")
}

/// The items of an `attributes` list as (name, value) (`Name: value`; an item without `: ` is
/// named `attribute`).
fn attribute_items(properties: &kientruc_dsl::model::Properties) -> Vec<(&str, &str)> {
    let Some(PropertyValue::List(items)) = properties.get("attributes").map(|entry| &entry.value)
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            PropertyValue::String(text) => {
                Some(text.split_once(": ").unwrap_or(("attribute", text)))
            }
            _ => None,
        })
        .collect()
}

/// A property value as text: strings as they are, words, dates and numbers as written, a
/// reference as the qualified id, a list in `.ea` syntax (`[a, "b c"]`).
fn value_text(model: &Model, value: &PropertyValue) -> String {
    match value {
        PropertyValue::String(text) => text.clone(),
        PropertyValue::Integer(number) => number.to_string(),
        PropertyValue::Boolean(flag) => flag.to_string(),
        PropertyValue::Date(date) => date.to_string(),
        PropertyValue::Enum(word) => word.to_string(),
        PropertyValue::Reference(id) => model.element(*id).qualified_id.to_string(),
        PropertyValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| match item {
                    PropertyValue::String(text) => quote(text),
                    other => value_text(model, other),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl Exporter<'_> {
    fn language_code(&self) -> &'static str {
        match self.language {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }

    /// A unique identifier: `preferred` when it is an unused `NCName`, else `fallback` made
    /// unique with `-2`, `-3`, ….
    fn unique(&mut self, preferred: Option<&str>, fallback: &str, what: &str) -> String {
        if let Some(preferred) = preferred {
            if is_ncname(preferred) && !self.used.contains(preferred) {
                self.used.insert(preferred.to_owned());
                return preferred.to_owned();
            }
            self.warnings.push(format!(
                "{what}: its archimate_id `{preferred}` is {}; it is written as another identifier",
                if is_ncname(preferred) {
                    "used twice"
                } else {
                    "not a valid XML identifier"
                }
            ));
        }
        let mut candidate = fallback.to_owned();
        let mut counter = 2;
        while self.used.contains(&candidate) {
            candidate = format!("{fallback}-{counter}");
            counter += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }

    fn assign_element_ids(&mut self) {
        let model = self.model;
        for element in &model.elements {
            let kept = element
                .property("archimate_id")
                .and_then(PropertyValue::as_str);
            let id = self.unique(
                kept,
                &identifier_of(&element.qualified_id),
                &format!("`{}`", element.qualified_id),
            );
            self.element_ids.push(id);
        }
    }

    /// The namespace of the imported model that declares `span`'s file (`None`: the workspace).
    fn namespace_of(&self, file: kientruc_dsl::FileId) -> Option<&str> {
        let workspace = &self.checked.analysis.workspace;
        workspace
            .module_of_file
            .get(file.0 as usize)
            .copied()
            .flatten()
            .and_then(|module| workspace.modules[module].namespace.as_deref())
    }

    fn collect_relationships(&mut self) {
        let model = self.model;
        for (index, relation) in model.relations.iter().enumerate() {
            let relationship = self.relation(relation);
            self.drawn
                .insert(Drawn::Relation(index), self.relationships.len());
            self.relationships.push(relationship);
        }
        // Nesting, then reference-typed properties, element by element.
        for element in &model.elements {
            let namespace = (!element.in_workspace)
                .then(|| self.namespace_of(element.span.file))
                .flatten()
                .map(|namespace| (marker::MODEL.to_owned(), namespace.to_owned()));
            if let Some(parent) = element.parent {
                let source = self.element_ids[parent.index()].clone();
                let target = self.element_ids[element.id.index()].clone();
                let identifier = self.unique(
                    None,
                    &format!("{source}-nesting-{}", &target[3.min(target.len())..]),
                    "",
                );
                self.relationships.push(Relationship {
                    identifier,
                    kind: self.mapping.links.nesting.clone(),
                    access: None,
                    modifier: None,
                    source,
                    target,
                    name: None,
                    documentation: None,
                    properties: [(marker::LINK.to_owned(), "nesting".to_owned())]
                        .into_iter()
                        .chain(namespace.clone())
                        .collect(),
                });
            }
            for (name, entry) in element.properties.iter() {
                if let PropertyValue::Reference(target) = entry.value {
                    let source = self.element_ids[element.id.index()].clone();
                    let target_id = self.element_ids[target.index()].clone();
                    let identifier = self.unique(
                        None,
                        &format!("{source}-{name}-{}", &target_id[3.min(target_id.len())..]),
                        "",
                    );
                    self.drawn.insert(
                        Drawn::Reference(element.id, name.to_string()),
                        self.relationships.len(),
                    );
                    self.relationships.push(Relationship {
                        identifier,
                        kind: self.mapping.links.references.clone(),
                        access: None,
                        modifier: None,
                        source,
                        target: target_id,
                        name: Some(name.to_string()),
                        documentation: None,
                        properties: [(marker::LINK.to_owned(), "reference".to_owned())]
                            .into_iter()
                            .chain(namespace.clone())
                            .collect(),
                    });
                }
            }
        }
    }

    /// A relation as a relationship: its type by the mapping (or its kept `archimate_type`, in
    /// the direction the import read it), its properties and markers.
    fn relation(&mut self, relation: &Relation) -> Relationship {
        let model = self.model;
        let (source, target) = (
            model.element(relation.source),
            model.element(relation.target),
        );
        let what = format!(
            "the relation `{} {} -> {}`",
            relation.relation_type, source.qualified_id, target.qualified_id
        );
        let export = self
            .mapping
            .relations
            .get(relation.relation_type.as_str())
            .cloned()
            .expect("the mapping covers every relation type of the metamodel");
        let kept = relation
            .property("archimate_type")
            .and_then(PropertyValue::as_str);
        let by_mapping = (
            export.relationship.clone(),
            export.reverse,
            export.access.clone(),
        );
        let (kind, reverse, access) = match kept {
            None => by_mapping,
            Some(kept) => {
                if let Some(reverse) = self.mapping.import_direction(kept, &relation.relation_type)
                {
                    let access = (kept == "Access" && export.relationship == "Access")
                        .then(|| export.access.clone())
                        .flatten();
                    (kept.to_owned(), reverse, access)
                } else {
                    self.warnings.push(format!(
                        "{what}: its archimate_type `{kept}` is not a relationship this relation type imports from; it is written as {}",
                        export.relationship
                    ));
                    by_mapping
                }
            }
        };
        let (from, to) = if reverse {
            (relation.target, relation.source)
        } else {
            (relation.source, relation.target)
        };
        let (from_id, to_id) = (
            self.element_ids[from.index()].clone(),
            self.element_ids[to.index()].clone(),
        );
        let kept_id = relation
            .property("archimate_id")
            .and_then(PropertyValue::as_str);
        let identifier = self.unique(
            kept_id,
            &format!(
                "{from_id}-{}-{}",
                relation.relation_type,
                &to_id[3.min(to_id.len())..]
            ),
            &what,
        );
        // Attributes the import kept from the relationship itself (an accessType the mapping
        // does not give, an Influence's modifier) go back where they came from.
        let mut access = access;
        let mut modifier = None;
        let mut skipped = Vec::new();
        for item in attribute_items(&relation.properties) {
            match item {
                ("accessType", value) if kind == "Access" && ACCESS_TYPES.contains(&value) => {
                    access = Some(value.to_owned());
                    skipped.push("accessType");
                }
                ("modifier", value) if kind == "Influence" => {
                    modifier = Some(value.to_owned());
                    skipped.push("modifier");
                }
                _ => {}
            }
        }
        // The relation type, unless the import would choose it anyway from the relationship's
        // type and the two kinds (what keeps large files small).
        let implied = self
            .mapping
            .relation_for(
                &kind,
                access.as_deref(),
                &model.element(from).kind,
                &model.element(to).kind,
                self.metamodel,
            )
            .is_some_and(|choice| {
                choice.relation_type == relation.relation_type.as_str()
                    && choice.reverse == reverse
                    && choice.fit == Fit::Mapped
            });
        let mut properties = Vec::new();
        if !implied {
            properties.push((
                marker::RELATION.to_owned(),
                relation.relation_type.to_string(),
            ));
        }
        if !relation.via.is_empty() {
            let via: Vec<&str> = relation
                .via
                .iter()
                .map(|id| model.element(*id).qualified_id.as_str())
                .collect();
            properties.push((marker::VIA.to_owned(), format!("[{}]", via.join(", "))));
        }
        if let Some(doc) = &relation.doc {
            properties.push((marker::DOC.to_owned(), doc.clone()));
        }
        if !relation.in_workspace
            && let Some(namespace) = self.namespace_of(relation.span.file)
        {
            properties.push((marker::MODEL.to_owned(), namespace.to_owned()));
        }
        self.model_properties(&relation.properties, &mut properties);
        properties.retain(|(name, _)| !skipped.contains(&name.as_str()));
        Relationship {
            identifier,
            kind,
            access,
            modifier,
            source: from_id,
            target: to_id,
            name: relation.label.clone(),
            documentation: relation
                .property("description")
                .and_then(PropertyValue::as_str)
                .map(str::to_owned),
            properties,
        }
    }

    /// The metamodel properties of an element or relation as (name, text), in name order, with
    /// each `attributes` item as a property of its own name.
    fn model_properties(
        &self,
        properties: &kientruc_dsl::model::Properties,
        out: &mut Vec<(String, String)>,
    ) {
        for (name, entry) in properties.iter() {
            if NOT_PROPERTIES.contains(&name.as_str()) {
                continue;
            }
            out.push((name.to_string(), value_text(self.model, &entry.value)));
        }
        out.extend(
            attribute_items(properties)
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned())),
        );
    }

    /// The identifier of a property definition, made when first asked.
    fn definition(&mut self, name: &str) -> String {
        if let Some((identifier, _)) = self.definitions.get(name) {
            return identifier.clone();
        }
        let data_type = match self
            .metamodel
            .property(name)
            .map(|definition| &definition.value_type)
        {
            _ if name.starts_with("kientruc:") && name != marker::AS_OF => "string",
            _ if name == marker::AS_OF => "date",
            Some(ValueType::Integer { .. }) => "number",
            Some(ValueType::Boolean) => "boolean",
            Some(ValueType::Date) => "date",
            _ => "string",
        };
        let body: String = remove_diacritics(name)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let identifier = self.unique(None, &format!("propid-{body}"), "");
        self.definitions
            .insert(name.to_owned(), (identifier.clone(), data_type));
        identifier
    }

    fn names(writer: &mut Writer, tag: &str, vi: &str, en: Option<&str>) {
        writer.text(tag, &[("xml:lang", "vi")], vi);
        if let Some(en) = en.filter(|en| !en.is_empty()) {
            writer.text(tag, &[("xml:lang", "en")], en);
        }
    }

    fn properties(&mut self, writer: &mut Writer, properties: &[(String, String)]) {
        if properties.is_empty() {
            return;
        }
        writer.open("properties", &[]);
        for (name, value) in properties {
            let reference = self.definition(name);
            writer.property(&reference, value);
        }
        writer.close("properties");
    }

    fn note_unwritable(&mut self, what: &str, texts: &[&str]) {
        if texts.iter().any(|text| has_unwritable(text)) {
            self.warnings.push(format!(
                "{what}: a character XML cannot carry (a control character) is written as ⟨U+XXXX⟩"
            ));
        }
    }

    fn element_type(&mut self, element: &Element) -> (String, Option<String>) {
        let by_kind = self
            .mapping
            .kinds
            .get(element.kind.as_str())
            .cloned()
            .expect("the mapping covers every kind of the metamodel");
        match element
            .property("archimate_type")
            .and_then(PropertyValue::as_str)
        {
            Some(kept) if EXPORT_ELEMENT_TYPES.contains(&kept) => (kept.to_owned(), None),
            // A type the 3.0 schema does not have (ValueStream): the kind's, the type kept as a
            // property.
            Some(kept) => (by_kind, Some(kept.to_owned())),
            None => (by_kind, None),
        }
    }

    fn write(&mut self, views: &[LaidOutView]) -> String {
        let model = self.model;
        let mut writer = Writer::new();
        let header = model.header.as_ref();
        let model_id = self.unique(
            header
                .and_then(|header| header.properties.get("archimate_id"))
                .and_then(|entry| entry.value.as_str()),
            &identifier_of(&format!(
                "model-{}",
                header.map_or("model", |h| h.id.as_str())
            )),
            "the model",
        );
        let mut root_attributes = vec![
            ("xmlns", NAMESPACE.to_owned()),
            ("xmlns:xsi", XSI_NAMESPACE.to_owned()),
            ("xsi:schemaLocation", SCHEMA_LOCATION.to_owned()),
            ("identifier", model_id),
        ];
        if let Some(version) = header.and_then(|header| header.version.clone()) {
            root_attributes.push(("version", version));
        }
        let root_attributes: Vec<(&str, &str)> = root_attributes
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        writer.open("model", &root_attributes);
        let name = header.map_or("", |header| header.name.as_str());
        Self::names(&mut writer, "name", name, None);
        let description = header
            .and_then(|header| header.properties.get("description"))
            .and_then(|entry| entry.value.as_str());
        if let Some(description) = description {
            writer.text("documentation", &[("xml:lang", "vi")], description);
        }
        let header_properties = self.header_properties();
        self.properties(&mut writer, &header_properties);
        self.write_elements(&mut writer);
        self.write_relationships(&mut writer);
        self.write_organizations(&mut writer);
        // Every property is written by now, so every definition is known.
        self.write_definitions(&mut writer);
        self.write_views(&mut writer, views);
        writer.close("model");
        writer.finish()
    }

    fn header_properties(&mut self) -> Vec<(String, String)> {
        let model = self.model;
        let mut properties = Vec::new();
        let Some(header) = model.header.as_ref() else {
            return properties;
        };
        properties.push((marker::ID.to_owned(), header.id.clone()));
        if let Some(framework) = &header.framework {
            properties.push((marker::FRAMEWORK.to_owned(), framework.clone()));
        }
        if let Some(as_of) = header.as_of {
            properties.push((marker::AS_OF.to_owned(), as_of.to_string()));
        }
        if let Some(doc) = &header.doc {
            properties.push((marker::DOC.to_owned(), doc.clone()));
        }
        self.model_properties(&header.properties, &mut properties);
        // Imports of the workspace, by namespace: the framework's files only travel (a
        // relative import names a file the exchange file does not hold).
        let workspace = &self.checked.analysis.workspace;
        let mut imports = BTreeSet::new();
        if let Some(module) = workspace.modules.first() {
            for (imported, _) in module.aliases.values() {
                let imported = &workspace.modules[*imported];
                if let (Some(namespace), Some(file)) = (&imported.namespace, imported.files.first())
                {
                    let path = workspace
                        .files
                        .get(*file)
                        .path
                        .to_string_lossy()
                        .into_owned();
                    if let Some(rest) = path.strip_prefix(FRAMEWORK_PREFIX)
                        && let Some((_, name)) = rest.split_once('/')
                    {
                        imports.insert(format!("{namespace} = {FRAMEWORK_PREFIX}{name}"));
                    }
                }
            }
        }
        properties.extend(
            imports
                .into_iter()
                .map(|import| (marker::IMPORT.to_owned(), import)),
        );
        for waiver in &model.waivers {
            let target = waiver.element.map_or_else(
                || header.id.clone(),
                |element| model.element(element).qualified_id.to_string(),
            );
            let mut text = format!("waive {} on {target}", waiver.rule);
            if let Some(until) = waiver.until {
                let _ = write!(text, " until {until}");
            }
            if let Some(reason) = &waiver.reason {
                text.push(' ');
                text.push_str(&quote(reason));
            }
            properties.push((marker::WAIVER.to_owned(), text));
        }
        for view in &model.views {
            let source = &workspace.files.get(view.span.file).text;
            if let Some(text) = source.get(view.span.range.to_range()) {
                let mut declaration = String::new();
                for line in view.doc.iter().flat_map(|doc| doc.lines()) {
                    let _ = writeln!(declaration, "/// {line}");
                }
                declaration.push_str(&text.replace("\r\n", "\n"));
                properties.push((marker::VIEW.to_owned(), declaration));
            }
        }
        properties
    }

    fn write_elements(&mut self, writer: &mut Writer) {
        let model = self.model;
        writer.open("elements", &[]);
        for element in &model.elements {
            let (element_type, kept_type) = self.element_type(element);
            let identifier = self.element_ids[element.id.index()].clone();
            writer.open(
                "element",
                &[("identifier", &identifier), ("xsi:type", &element_type)],
            );
            let name_en = element.property("name_en").and_then(PropertyValue::as_str);
            // A junction imported without a name was named after its identifier: it has none.
            let unnamed = super::types::is_junction(&element_type) && element.name == identifier;
            if !unnamed {
                Self::names(writer, "name", &element.name, name_en);
            }
            let description = element
                .property("description")
                .and_then(PropertyValue::as_str);
            let mut properties = vec![(marker::ID.to_owned(), element.qualified_id.to_string())];
            // The kind, unless the import reads it from the type anyway.
            if self
                .mapping
                .classify_element(&element_type)
                .is_none_or(|(kind, fit)| kind != element.kind.as_str() || fit != Fit::Mapped)
            {
                properties.push((marker::KIND.to_owned(), element.kind.to_string()));
            }
            match (description, &element.doc) {
                (Some(description), _) => {
                    writer.text("documentation", &[("xml:lang", "vi")], description);
                }
                (None, Some(doc)) => {
                    writer.text("documentation", &[("xml:lang", "vi")], doc);
                    properties.push((marker::DOCUMENTATION.to_owned(), "doc".to_owned()));
                }
                (None, None) => {}
            }
            if let Some(doc) = &element.doc {
                properties.push((marker::DOC.to_owned(), doc.clone()));
            }
            if !element.in_workspace
                && let Some(namespace) = self.namespace_of(element.span.file)
            {
                properties.push((marker::MODEL.to_owned(), namespace.to_owned()));
            }
            if let Some(kept) = kept_type {
                properties.push(("archimate_type".to_owned(), kept));
            }
            self.model_properties(&element.properties, &mut properties);
            if !element.tags.is_empty() {
                let tags: Vec<String> = element
                    .tags
                    .iter()
                    .map(|tag| {
                        if is_identifier(tag) {
                            tag.to_string()
                        } else {
                            quote(tag)
                        }
                    })
                    .collect();
                properties.push(("tags".to_owned(), format!("[{}]", tags.join(", "))));
            }
            self.note_unwritable(
                &format!("`{}`", element.qualified_id),
                &[&element.name, description.unwrap_or_default()],
            );
            self.properties(writer, &properties);
            writer.close("element");
        }
        writer.close("elements");
    }

    fn write_relationships(&mut self, writer: &mut Writer) {
        if self.relationships.is_empty() {
            return;
        }
        writer.open("relationships", &[]);
        let relationships = std::mem::take(&mut self.relationships);
        for relationship in &relationships {
            let mut attributes = vec![
                ("identifier", relationship.identifier.as_str()),
                ("source", relationship.source.as_str()),
                ("target", relationship.target.as_str()),
                ("xsi:type", relationship.kind.as_str()),
            ];
            if let Some(access) = &relationship.access {
                attributes.push(("accessType", access.as_str()));
            }
            if let Some(modifier) = &relationship.modifier {
                attributes.push(("modifier", modifier.as_str()));
            }
            let has_content = relationship.name.is_some()
                || relationship.documentation.is_some()
                || !relationship.properties.is_empty();
            if !has_content {
                writer.empty("relationship", &attributes);
                continue;
            }
            writer.open("relationship", &attributes);
            if let Some(name) = &relationship.name {
                Self::names(writer, "name", name, None);
            }
            if let Some(documentation) = &relationship.documentation {
                writer.text("documentation", &[("xml:lang", "vi")], documentation);
            }
            self.properties(writer, &relationship.properties);
            writer.close("relationship");
        }
        self.relationships = relationships;
        writer.close("relationships");
    }

    /// One folder per model file (workspace files by their path from the root, framework files
    /// as `framework:PACK/NAME`), holding the file's elements in model order.
    fn write_organizations(&mut self, writer: &mut Writer) {
        let model = self.model;
        let workspace = &self.checked.analysis.workspace;
        let mut folders: BTreeMap<(bool, String), Vec<usize>> = BTreeMap::new();
        for element in &model.elements {
            let file = workspace.files.get(element.span.file);
            let path = file.path.to_string_lossy().replace('\\', "/");
            let label = if path.starts_with(FRAMEWORK_PREFIX) {
                path
            } else {
                file.path
                    .strip_prefix(&workspace.root)
                    .map_or(path.clone(), |relative| {
                        relative.to_string_lossy().replace('\\', "/")
                    })
            };
            folders
                .entry((!element.in_workspace, label))
                .or_default()
                .push(element.id.index());
        }
        writer.open("organizations", &[]);
        for ((_, label), elements) in &folders {
            writer.open("item", &[]);
            writer.text("label", &[("xml:lang", "vi")], label);
            for index in elements {
                writer.empty("item", &[("identifierRef", &self.element_ids[*index])]);
            }
            writer.close("item");
        }
        writer.close("organizations");
    }

    fn write_definitions(&mut self, writer: &mut Writer) {
        if self.definitions.is_empty() {
            return;
        }
        writer.open("propertyDefinitions", &[]);
        for (name, (identifier, data_type)) in &self.definitions {
            writer.open(
                "propertyDefinition",
                &[("identifier", identifier), ("type", data_type)],
            );
            writer.text("name", &[("xml:lang", "vi")], name);
            writer.close("propertyDefinition");
        }
        writer.close("propertyDefinitions");
    }
}
