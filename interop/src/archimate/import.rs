//! [`import`]: an exchange file as an [`ImportedModel`], with a report of what became of each
//! `ArchiMate` type. Elements become elements of the kind `archimate.toml` maps their type to
//! (generalised types keep it in `archimate_type`); relationships become the first relation type
//! the metamodel allows between the two kinds; every identifier is kept in `archimate_id` (unless
//! it is the one the export would write anyway); organization folders become files; views are
//! counted, not imported. Files written by `kientruc export` come back as they were, through
//! their `kientruc:*` properties.

use super::export::marker;
use super::mapping::{Fit, Mapping};
use super::read::{Concept, ExchangeFile, LangText, ReadError, preferred, read};
use super::report::{ImportReport, Outcome, Tally};
use super::types::is_junction;
use crate::imported::{
    Identifiers, ImportedElement, ImportedHeader, ImportedImport, ImportedModel, ImportedRelation,
    ImportedValue, ImportedWaiver, split_list,
};
use kientruc_dsl::diacritics::is_identifier;
use kientruc_dsl::metamodel::Metamodel;
use kientruc_dsl::syntax::{Date, Declaration};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// What the import needs besides the file and the mapping.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions<'a> {
    /// The framework pack the written model names (`vn-egov-3.0`).
    pub framework: &'a str,
    /// Its metamodel.
    pub metamodel: &'a Metamodel,
}

/// Why an import failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(#[from] ReadError),
}

/// The value of the first property named `name`.
fn property<'a>(properties: &'a [(String, String)], name: &str) -> Option<&'a str> {
    properties
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn all<'a>(properties: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
    properties
        .iter()
        .filter(move |(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The properties that are not kientruc's markers, as values for the writer.
fn ordinary(properties: &[(String, String)]) -> Vec<(String, ImportedValue)> {
    properties
        .iter()
        .filter(|(name, _)| !name.starts_with("kientruc:"))
        .map(|(name, value)| (name.clone(), ImportedValue::String(value.clone())))
        .collect()
}

/// The English name, when the concept has a Vietnamese one too.
fn english(names: &[LangText], chosen: &str) -> Option<String> {
    let has_vietnamese = names.iter().any(|name| name.lang.as_deref() == Some("vi"));
    names
        .iter()
        .find(|name| name.lang.as_deref() == Some("en"))
        .filter(|name| has_vietnamese && name.text != chosen && !name.text.trim().is_empty())
        .map(|name| name.text.clone())
}

/// An imported element before it is written: where it goes, and its parent if nested.
struct Pending {
    element: ImportedElement,
    parent: Option<String>,
}

struct Importer<'a> {
    file: &'a ExchangeFile,
    mapping: &'a Mapping,
    options: ImportOptions<'a>,
    ids: Identifiers,
    tally: Tally,
    warnings: Vec<String>,
    /// Element identifier → the id the written model refers to it by (`dvc_hn`, `national.ndxp`).
    refer: HashMap<String, String>,
    /// Element identifier → its kind (written elements only).
    kinds: HashMap<String, String>,
    /// Namespace → import path, from the model's `kientruc:import` properties.
    imports: BTreeMap<String, String>,
    /// Qualified id (`kientruc:id`) → element identifier.
    by_qualified_id: HashMap<String, String>,
}

/// Reads `xml` and builds the model it describes.
pub fn import(
    xml: &str,
    mapping: &Mapping,
    options: ImportOptions,
) -> Result<(ImportedModel, ImportReport), ImportError> {
    let file = read(xml)?;
    let mut importer = Importer {
        file: &file,
        mapping,
        options,
        ids: Identifiers::new(),
        tally: Tally::default(),
        warnings: Vec::new(),
        refer: HashMap::new(),
        kinds: HashMap::new(),
        imports: BTreeMap::new(),
        by_qualified_id: file
            .elements
            .iter()
            .filter_map(|element| {
                property(&element.properties, marker::ID)
                    .map(|id| (id.to_owned(), element.identifier.clone()))
            })
            .collect(),
    };
    for import in all(&file.properties, marker::IMPORT) {
        if let Some((namespace, path)) = import.split_once(" = ")
            && is_identifier(namespace.trim())
        {
            importer
                .imports
                .insert(namespace.trim().to_owned(), path.trim().to_owned());
        }
    }
    for namespace in importer.imports.keys() {
        importer.ids.reserve(namespace);
    }
    let header = importer.header();
    let pending = importer.elements();
    let relations = importer.relations();
    let elements = nest(pending);
    let waivers = importer.waivers(&header.id);
    let mut views = importer.views();
    // A file kientruc wrote draws its views in its diagrams, and carries them as kientruc:view
    // properties; another tool's diagrams become views that include the elements they show.
    let written_by_kientruc = property(&file.properties, marker::FRAMEWORK).is_some();
    let from_diagrams = if written_by_kientruc {
        Vec::new()
    } else {
        importer.diagram_views()
    };
    importer.tally.add_many(
        "view",
        "Diagram",
        if written_by_kientruc {
            "not imported: kientruc draws its own"
        } else {
            "a view of the elements it shows"
        },
        if written_by_kientruc {
            Outcome::Dropped
        } else {
            Outcome::Generalised
        },
        file.views,
    );
    if file.views > 0 {
        let declared = if views.is_empty() {
            String::new()
        } else {
            format!(
                "; the {} views the model declares come back from their kientruc:view properties",
                views.len()
            )
        };
        let listed = if written_by_kientruc {
            String::new()
        } else {
            format!(
                "; {} become views that include the elements they show (views.ea)",
                from_diagrams.len()
            )
        };
        importer.warnings.push(format!(
            "{} views ({} nodes, {} connections) are not imported as drawn: kientruc lays its views out itself{declared}{listed}",
            file.views, file.nodes, file.connections
        ));
    }
    views.extend(from_diagrams);
    let model = ImportedModel {
        header,
        imports: importer
            .imports
            .iter()
            .map(|(alias, path)| ImportedImport {
                path: path.clone(),
                alias: alias.clone(),
            })
            .collect(),
        elements,
        relations,
        waivers,
        views,
        warnings: importer.warnings,
    };
    Ok((model, importer.tally.report()))
}

/// Puts nested elements inside their parents (in file order); the rest stay top-level.
fn nest(pending: Vec<Pending>) -> Vec<ImportedElement> {
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (index, item) in pending.iter().enumerate() {
        by_id.insert(item.element.id.clone(), index);
    }
    // Children lists by parent index; an element whose parent is missing stays at the top.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); pending.len()];
    let mut top = Vec::new();
    for (index, item) in pending.iter().enumerate() {
        match item.parent.as_ref().and_then(|parent| by_id.get(parent)) {
            Some(&parent) if parent != index => children[parent].push(index),
            _ => top.push(index),
        }
    }
    let mut slots: Vec<Option<ImportedElement>> =
        pending.into_iter().map(|item| Some(item.element)).collect();
    // Build bottom-up without recursion: post-order over the forest.
    let mut order = Vec::new();
    let mut stack: Vec<(usize, bool)> = top.iter().rev().map(|index| (*index, false)).collect();
    let mut seen = vec![false; slots.len()];
    while let Some((index, expanded)) = stack.pop() {
        if expanded {
            order.push(index);
            continue;
        }
        if seen[index] {
            continue;
        }
        seen[index] = true;
        stack.push((index, true));
        for child in children[index].iter().rev() {
            stack.push((*child, false));
        }
    }
    for index in &order {
        let kids: Vec<ImportedElement> = children[*index]
            .iter()
            .filter_map(|child| slots[*child].take())
            .collect();
        if let Some(element) = slots[*index].as_mut() {
            element.children = kids;
        }
    }
    // Elements caught in a nesting cycle were never reached from the top: keep them at the top.
    let mut elements: Vec<ImportedElement> = top
        .iter()
        .filter_map(|index| slots[*index].take())
        .collect();
    elements.extend(slots.into_iter().flatten());
    elements
}

impl Importer<'_> {
    fn metamodel(&self) -> &Metamodel {
        self.options.metamodel
    }

    fn header(&mut self) -> ImportedHeader {
        let file = self.file;
        let name = preferred(&file.names)
            .filter(|name| !name.trim().is_empty())
            .unwrap_or("Kiến trúc")
            .to_owned();
        let id = match property(&file.properties, marker::ID) {
            Some(id) if is_identifier(id) && self.ids.reserve(id) => id.to_owned(),
            _ => self.ids.allocate(&[&name], "architecture"),
        };
        let version = file.version.clone().unwrap_or_else(|| {
            self.warnings.push(format!(
                "the model has no version; the header says {:?} (archimate.toml [import.header])",
                self.mapping.header.version
            ));
            self.mapping.header.version.clone()
        });
        let scope = if let Some(scope) = property(&file.properties, "scope") {
            Some(scope.to_owned())
        } else {
            if let Some(scope) = &self.mapping.header.scope {
                self.warnings.push(format!(
                    "the model does not say its level; the header says `scope {scope}` (archimate.toml [import.header])"
                ));
            }
            self.mapping.header.scope.clone()
        };
        let mut properties: Vec<(String, ImportedValue)> = ordinary(&file.properties)
            .into_iter()
            .filter(|(name, _)| name != "scope")
            .collect();
        if let Some(documentation) = preferred(&file.documentation) {
            properties.push((
                "description".to_owned(),
                ImportedValue::String(documentation.to_owned()),
            ));
        }
        if !file.identifier.is_empty() && file.identifier != format!("id-model-{id}") {
            properties.push((
                "archimate_id".to_owned(),
                ImportedValue::String(file.identifier.clone()),
            ));
        }
        ImportedHeader {
            id,
            name,
            framework: self.options.framework.to_owned(),
            version,
            scope,
            as_of: property(&file.properties, marker::AS_OF).and_then(Date::parse),
            doc: property(&file.properties, marker::DOC).map(str::to_owned),
            properties,
            file: "architecture.ea".to_owned(),
        }
    }

    /// The kind of an element: its `kientruc:kind`, else its type's by the mapping.
    fn kind_of(&self, element: &Concept) -> Option<(String, Fit)> {
        if let Some(kind) = property(&element.properties, marker::KIND)
            && self.metamodel().kind(kind).is_some()
        {
            let exported = self.mapping.kinds.get(kind);
            let fit = if exported.is_some_and(|exported| *exported == element.archimate_type) {
                Fit::Mapped
            } else {
                Fit::Generalised
            };
            return Some((kind.to_owned(), fit));
        }
        self.mapping
            .classify_element(&element.archimate_type)
            .map(|(kind, fit)| (kind.to_owned(), fit))
    }

    fn elements(&mut self) -> Vec<Pending> {
        let file = self.file;
        // Kinds first (junctions take their neighbours'), then ids, then the elements.
        let mut kinds: HashMap<&str, (String, Fit)> = HashMap::new();
        for element in &file.elements {
            if is_junction(&element.archimate_type) {
                continue;
            }
            if let Some(kind) = self.kind_of(element) {
                kinds.insert(&element.identifier, kind);
            }
        }
        for element in file
            .elements
            .iter()
            .filter(|e| is_junction(&e.archimate_type))
        {
            let kind = property(&element.properties, marker::KIND)
                .filter(|kind| self.metamodel().kind(kind).is_some())
                .map_or_else(
                    || self.junction_kind(&element.identifier, &kinds),
                    str::to_owned,
                );
            kinds.insert(&element.identifier, (kind, Fit::Generalised));
        }
        let mut pending = Vec::new();
        for element in &file.elements {
            let Some((kind, fit)) = kinds.get(element.identifier.as_str()).cloned() else {
                let what = if element.archimate_type.is_empty() {
                    "(no xsi:type)"
                } else {
                    &element.archimate_type
                };
                self.tally
                    .add("element", what, "unknown type", Outcome::Dropped);
                self.warnings.push(format!(
                    "element `{}`: the type `{what}` is not an ArchiMate element type; it is not imported",
                    element.identifier
                ));
                continue;
            };
            // An element of an imported model (the national reference model) stays there: the
            // written model refers to it.
            if let Some(namespace) = property(&element.properties, marker::MODEL)
                && self.imports.contains_key(namespace)
                && let Some(id) = property(&element.properties, marker::ID)
                && id
                    .strip_prefix(namespace)
                    .is_some_and(|rest| rest.starts_with('.'))
            {
                self.refer.insert(element.identifier.clone(), id.to_owned());
                self.kinds.insert(element.identifier.clone(), kind.clone());
                self.tally.add(
                    "element",
                    &element.archimate_type,
                    &format!("{namespace} (imported model, referred to)"),
                    Outcome::Mapped,
                );
                continue;
            }
            let outcome = match fit {
                Fit::Mapped => Outcome::Mapped,
                Fit::Generalised => Outcome::Generalised,
            };
            self.tally
                .add("element", &element.archimate_type, &kind, outcome);
            pending.push(self.element(element, kind, fit));
        }
        // Nesting, from the Compositions the export marks.
        let parents: HashMap<String, String> = file
            .relationships
            .iter()
            .filter(|relationship| {
                property(&relationship.properties, marker::LINK) == Some("nesting")
            })
            .filter_map(|relationship| {
                Some((
                    self.refer.get(&relationship.target)?.clone(),
                    self.refer.get(&relationship.source)?.clone(),
                ))
            })
            .collect();
        for item in &mut pending {
            item.parent = parents.get(&item.element.id).cloned();
        }
        pending
    }

    /// The kind most of a junction's neighbours have (ties by kind id), else the mapping's.
    fn junction_kind(&self, junction: &str, kinds: &HashMap<&str, (String, Fit)>) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for relationship in &self.file.relationships {
            let other = if relationship.source == junction {
                &relationship.target
            } else if relationship.target == junction {
                &relationship.source
            } else {
                continue;
            };
            if let Some((kind, _)) = kinds.get(other.as_str()) {
                *counts.entry(kind).or_default() += 1;
            }
        }
        counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map_or_else(
                || self.mapping.junction_kind.clone(),
                |(kind, _)| (*kind).to_owned(),
            )
    }

    fn element(&mut self, element: &Concept, kind: String, fit: Fit) -> Pending {
        let name = preferred(&element.names)
            .filter(|name| !name.trim().is_empty())
            .map_or_else(
                || {
                    if !is_junction(&element.archimate_type) {
                        self.warnings.push(format!(
                            "element `{}` ({}) has no name; it is named after its identifier",
                            element.identifier, element.archimate_type
                        ));
                    }
                    element.identifier.clone()
                },
                str::to_owned,
            );
        let kept_id = property(&element.properties, marker::ID)
            .filter(|id| is_identifier(id))
            .filter(|id| self.ids.reserve(id));
        let id = match kept_id {
            Some(id) => id.to_owned(),
            None => self.ids.allocate(&[&name, &element.identifier], &kind),
        };
        self.refer.insert(element.identifier.clone(), id.clone());
        self.kinds.insert(element.identifier.clone(), kind.clone());
        let documentation_is_doc =
            property(&element.properties, marker::DOCUMENTATION) == Some("doc");
        let mut doc = property(&element.properties, marker::DOC).map(str::to_owned);
        let mut properties = Vec::new();
        if fit == Fit::Generalised && !element.archimate_type.is_empty() {
            properties.push((
                "archimate_type".to_owned(),
                ImportedValue::String(element.archimate_type.clone()),
            ));
        }
        // The English name: the `name_en` property (what survives Archi, which keeps one name),
        // else the name in English.
        if property(&element.properties, "name_en").is_none()
            && let Some(english) = english(&element.names, &name)
        {
            properties.push(("name_en".to_owned(), ImportedValue::String(english)));
        }
        if let Some(documentation) = preferred(&element.documentation) {
            if documentation_is_doc {
                doc.get_or_insert_with(|| documentation.to_owned());
            } else {
                properties.push((
                    "description".to_owned(),
                    ImportedValue::String(documentation.to_owned()),
                ));
            }
        }
        let mut tags = Vec::new();
        for (property_name, value) in ordinary(&element.properties) {
            if property_name == "tags"
                && let ImportedValue::String(text) = &value
            {
                tags.extend(split_list(text).unwrap_or_else(|| vec![text.clone()]));
                continue;
            }
            properties.push((property_name, value));
        }
        let exported_id = format!(
            "id-{}",
            property(&element.properties, marker::ID).unwrap_or(&id)
        );
        if !element.identifier.is_empty() && element.identifier != exported_id {
            properties.push((
                "archimate_id".to_owned(),
                ImportedValue::String(element.identifier.clone()),
            ));
        }
        // What the metamodel requires and the file does not say.
        if let Some(required) = self.mapping.required.get(&kind) {
            for (property_name, value) in required {
                if !properties.iter().any(|(name, _)| name == property_name) {
                    self.warnings.push(format!(
                        "`{id}` ({kind}) has no `{property_name}`, which the metamodel requires: it is set to `{value}` (archimate.toml [import.required]); check it"
                    ));
                    properties.push((property_name.clone(), ImportedValue::String(value.clone())));
                }
            }
        }
        let file = self.file_of(&element.identifier, &kind);
        Pending {
            element: ImportedElement {
                id,
                kind,
                name,
                doc,
                properties,
                tags,
                file,
                children: Vec::new(),
            },
            parent: None,
        }
    }

    /// The file an element goes to: its organization folder (`Business/Actors` →
    /// `business/actors.ea`), else its kind's layer (`application.ea`).
    fn file_of(&self, identifier: &str, kind: &str) -> String {
        match self.file.folders.get(identifier) {
            Some(path) if path.iter().any(|label| !label.is_empty()) => path
                .iter()
                .filter(|label| !label.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("/"),
            _ => self
                .metamodel()
                .kind(kind)
                .map_or_else(|| "model".to_owned(), |kind| kind.layer.clone()),
        }
    }

    /// The relations: every relationship but the links the export marks and the imported
    /// models' own.
    fn relations(&mut self) -> Vec<ImportedRelation> {
        let file = self.file;
        let mut relations = Vec::new();
        for relationship in &file.relationships {
            let kind = relationship.archimate_type.as_str();
            match property(&relationship.properties, marker::LINK) {
                Some("nesting") => {
                    self.tally
                        .add("relationship", kind, "nesting", Outcome::Mapped);
                    continue;
                }
                Some("reference") => {
                    let name = preferred(&relationship.names).unwrap_or("?");
                    self.tally.add(
                        "relationship",
                        kind,
                        &format!("property {name}"),
                        Outcome::Mapped,
                    );
                    continue;
                }
                _ => {}
            }
            if let Some(namespace) = property(&relationship.properties, marker::MODEL)
                && self.imports.contains_key(namespace)
            {
                self.tally.add(
                    "relationship",
                    kind,
                    &format!("{namespace} (imported model's own)"),
                    Outcome::Mapped,
                );
                continue;
            }
            if let Some(relation) = self.relation(relationship) {
                relations.push(relation);
            }
        }
        relations
    }

    fn relation(&mut self, relationship: &Concept) -> Option<ImportedRelation> {
        let kind = relationship.archimate_type.as_str();
        let ends = (
            self.refer.get(&relationship.source).cloned(),
            self.refer.get(&relationship.target).cloned(),
        );
        let (Some(source), Some(target)) = ends else {
            let reason = if self.file.relationships.iter().any(|other| {
                other.identifier == relationship.source || other.identifier == relationship.target
            }) {
                "joins a relationship"
            } else {
                "an end is not imported"
            };
            self.tally
                .add("relationship", kind, reason, Outcome::Dropped);
            self.warnings.push(format!(
                "relationship `{}` ({kind}) {reason}; it is not imported",
                relationship.identifier
            ));
            return None;
        };
        let kind_of = |identifier: &str| self.kinds.get(identifier).cloned().unwrap_or_default();
        let source_kind = kind_of(&relationship.source);
        let target_kind = kind_of(&relationship.target);
        let metamodel = self.options.metamodel;
        // The relation type the export wrote, when it still fits; else the mapping's choice.
        let marked =
            property(&relationship.properties, marker::RELATION).and_then(|relation_type| {
                let definition = metamodel.relation(relation_type)?;
                let exported = self.mapping.relations.get(relation_type)?;
                let reverse = if exported.relationship == kind {
                    exported.reverse
                } else {
                    self.mapping.import_direction(kind, relation_type)?
                };
                let allowed = if reverse {
                    definition.allows(&target_kind, &source_kind)
                } else {
                    definition.allows(&source_kind, &target_kind)
                };
                allowed.then(|| {
                    let fit = if exported.relationship == kind && exported.reverse == reverse {
                        Fit::Mapped
                    } else {
                        Fit::Generalised
                    };
                    (relation_type.to_owned(), reverse, fit)
                })
            });
        let (relation_type, reverse, fit) = if let Some(choice) = marked {
            choice
        } else {
            let choice = self.mapping.relation_for(
                kind,
                relationship.access.as_deref(),
                &source_kind,
                &target_kind,
                metamodel,
            );
            let Some(choice) = choice else {
                self.tally
                    .add("relationship", kind, "unknown type", Outcome::Dropped);
                self.warnings.push(format!(
                    "relationship `{}`: the type `{kind}` is not an ArchiMate relationship type; it is not imported",
                    relationship.identifier
                ));
                return None;
            };
            (choice.relation_type, choice.reverse, choice.fit)
        };
        let outcome = if fit == Fit::Mapped {
            Outcome::Mapped
        } else {
            Outcome::Generalised
        };
        self.tally
            .add("relationship", kind, &relation_type, outcome);
        let (from, to) = if reverse {
            (target, source)
        } else {
            (source, target)
        };
        let mut properties = Vec::new();
        if fit == Fit::Generalised {
            properties.push((
                "archimate_type".to_owned(),
                ImportedValue::String(kind.to_owned()),
            ));
        }
        if let Some(documentation) = preferred(&relationship.documentation) {
            properties.push((
                "description".to_owned(),
                ImportedValue::String(documentation.to_owned()),
            ));
        }
        properties.extend(ordinary(&relationship.properties));
        for (name, value) in &relationship.extra {
            properties.push((name.clone(), ImportedValue::String(value.clone())));
        }
        if let Some(access) = relationship.access.as_deref().filter(|access| {
            self.mapping
                .relations
                .get(&relation_type)
                .is_none_or(|export| export.access.as_deref() != Some(*access))
        }) {
            properties.push((
                "accessType".to_owned(),
                ImportedValue::String(access.to_owned()),
            ));
        }
        let exported_id = format!(
            "{}-{relation_type}-{}",
            relationship.source,
            relationship
                .target
                .strip_prefix("id-")
                .unwrap_or(&relationship.target)
        );
        if !relationship.identifier.is_empty() && relationship.identifier != exported_id {
            properties.push((
                "archimate_id".to_owned(),
                ImportedValue::String(relationship.identifier.clone()),
            ));
        }
        let via = property(&relationship.properties, marker::VIA)
            .and_then(split_list)
            .unwrap_or_default()
            .into_iter()
            .map(|qualified| self.reference_to(&qualified))
            .collect();
        Some(ImportedRelation {
            source: from,
            relation_type,
            target: to,
            label: preferred(&relationship.names)
                .filter(|name| !name.is_empty())
                .map(str::to_owned),
            via,
            doc: property(&relationship.properties, marker::DOC).map(str::to_owned),
            properties,
        })
    }

    /// The id the written model refers to an element by, from the qualified id the export
    /// wrote (`dvc_hn`, `national.ndxp`).
    fn reference_to(&self, qualified: &str) -> String {
        self.by_qualified_id
            .get(qualified)
            .and_then(|identifier| self.refer.get(identifier))
            .cloned()
            .unwrap_or_else(|| qualified.to_owned())
    }

    /// The views the model's `kientruc:view` properties hold: each `.ea` declaration, kept when it
    /// parses as one view and nothing else (its selectors are checked when the written model is).
    fn views(&mut self) -> Vec<String> {
        let mut views = Vec::new();
        for text in all(&self.file.properties, marker::VIEW) {
            let parsed = kientruc_dsl::parse(kientruc_dsl::FileId(0), text);
            match parsed.tree.declarations.as_slice() {
                [Declaration::View(_)] if parsed.diagnostics.is_empty() => {
                    views.push(text.to_owned());
                }
                _ => self.warnings.push(format!(
                    "the view `{}` does not read as a view; it is not imported",
                    text.lines().next().unwrap_or_default()
                )),
            }
        }
        views
    }

    /// Another tool's diagrams as views: `view ID "Name" { include id("a", "b", …) }`, listing
    /// the written ids of the elements each diagram shows (six to a line). A diagram that shows
    /// no imported element is left out. Ids come from the diagram's name, made unique.
    fn diagram_views(&mut self) -> Vec<String> {
        // View ids are a namespace of their own.
        let mut ids = Identifiers::new();
        let mut views = Vec::new();
        for diagram in &self.file.diagrams {
            let elements: Vec<&String> = diagram
                .elements
                .iter()
                .filter_map(|identifier| self.refer.get(identifier))
                .collect();
            let name = preferred(&diagram.names)
                .filter(|name| !name.trim().is_empty())
                .unwrap_or(&diagram.identifier);
            if elements.is_empty() {
                self.warnings.push(format!(
                    "the diagram `{name}` shows no imported element; it is not imported"
                ));
                continue;
            }
            let id = ids.allocate(&[name, &diagram.identifier], "view");
            let mut text = format!("view {id} {} {{\n", crate::imported::quote(name));
            for chunk in elements.chunks(6) {
                let listed: Vec<String> =
                    chunk.iter().map(|id| crate::imported::quote(id)).collect();
                let _ = writeln!(text, "  include id({})", listed.join(", "));
            }
            text.push_str("}\n");
            views.push(text);
        }
        views
    }

    /// The waivers the model's `kientruc:waiver` properties hold (each `.ea` text parsed).
    fn waivers(&mut self, architecture: &str) -> Vec<ImportedWaiver> {
        let mut waivers = Vec::new();
        for text in all(&self.file.properties, marker::WAIVER) {
            let parsed = kientruc_dsl::parse(kientruc_dsl::FileId(0), text);
            let waiver = match parsed.tree.declarations.as_slice() {
                [Declaration::Waiver(waiver)] if parsed.diagnostics.is_empty() => waiver,
                _ => {
                    self.warnings.push(format!(
                        "the waiver `{text}` does not read as a waiver; it is not imported"
                    ));
                    continue;
                }
            };
            let target = waiver.element.text.to_string();
            let target = if target == architecture
                || self
                    .file
                    .properties
                    .iter()
                    .any(|(name, value)| name == marker::ID && *value == target)
            {
                architecture.to_owned()
            } else {
                self.reference_to(&target)
            };
            waivers.push(ImportedWaiver {
                rule: waiver.rule.text.to_string(),
                target,
                until: waiver.until.map(|(until, _)| until),
                reason: waiver
                    .reason
                    .as_ref()
                    .map(|reason| reason.value.clone())
                    .unwrap_or_default(),
            });
        }
        waivers
    }
}
