//! The model built from the pending rows: ids given, references resolved by id, name or
//! abbreviation through a [`Directory`] (created when the mapping says so), children nested.

use super::Context;
use super::rows::{PendingElement, PendingReference, PendingRelation};
use super::sheet::Position;
use crate::imported::{ATTRIBUTES, Identifiers, ImportedElement, ImportedRelation, ImportedValue};
use crate::inventory::Problem;
use crate::inventory::mapping::{Mapping, fold, normalise};
use crate::inventory::values::{self, CellValue};
use kientruc_dsl::diacritics::is_identifier;
use std::collections::{BTreeMap, HashMap};

/// Every element a reference may name: by id, by name (exact after [`normalise`], then
/// [`fold`]ed) and by abbreviation.
#[derive(Debug, Default)]
pub(super) struct Directory {
    pub(super) kinds: HashMap<String, String>,
    pub(super) by_name: HashMap<String, Vec<String>>,
    pub(super) by_folded_name: HashMap<String, Vec<String>>,
    pub(super) known: std::collections::HashSet<String>,
}

impl Directory {
    pub(super) fn add(&mut self, id: &str, kind: &str, name: &str, abbreviation: Option<&str>) {
        self.kinds.insert(id.to_owned(), kind.to_owned());
        for text in std::iter::once(name).chain(abbreviation) {
            for (map, key) in [
                (&mut self.by_name, normalise(text)),
                (&mut self.by_folded_name, fold(text)),
            ] {
                let ids = map.entry(key).or_default();
                if !ids.iter().any(|existing| existing == id) {
                    ids.push(id.to_owned());
                }
            }
        }
    }

    /// The element `text` names, among those of `kinds` (any when empty) for a name: `Ok(None)`
    /// when none, `Err` with the candidates when several.
    pub(super) fn find(&self, text: &str, kinds: &[String]) -> Result<Option<String>, Vec<String>> {
        if self.kinds.contains_key(text) {
            return Ok(Some(text.to_owned()));
        }
        match self.find_among(text, kinds)? {
            // None of those kinds has the name: one of another kind, to say so.
            None if !kinds.is_empty() => self.find_among(text, &[]),
            found => Ok(found),
        }
    }

    pub(super) fn find_among(
        &self,
        text: &str,
        kinds: &[String],
    ) -> Result<Option<String>, Vec<String>> {
        let fits = |id: &&String| kinds.is_empty() || kinds.contains(&self.kinds[*id]);
        for (map, key) in [
            (&self.by_name, normalise(text)),
            (&self.by_folded_name, fold(text)),
        ] {
            if let Some(ids) = map.get(&key) {
                let fitting: Vec<String> = ids.iter().filter(fits).cloned().collect();
                match fitting.len() {
                    0 => {}
                    1 => return Ok(fitting.into_iter().next()),
                    _ => return Err(fitting),
                }
            }
        }
        Ok(None)
    }
}

/// Builds the model's elements and relations from the pending rows: ids, references, nesting.
pub(super) struct Builder<'a> {
    pub(super) mapping: &'a Mapping,
    pub(super) context: &'a Context<'a>,
    pub(super) identifiers: Identifiers,
    pub(super) directory: Directory,
    pub(super) created_elements: Vec<ImportedElement>,
    pub(super) created_list: Vec<(String, String, String)>,
    /// Relations of `relation` columns, made with the elements.
    pub(super) link_relations: Vec<ImportedRelation>,
    /// Elements of the national reference model that rows list by id: the header's `owns`.
    pub(super) owned: Vec<String>,
    pub(super) uses_known: bool,
}

impl<'a> Builder<'a> {
    pub(super) fn new(mapping: &'a Mapping, context: &'a Context<'a>) -> Self {
        let mut identifiers = Identifiers::new();
        let mut directory = Directory::default();
        if let Some(import) = &context.known_import {
            identifiers.reserve(&import.alias);
        }
        for known in context.known {
            directory.add(
                &known.id,
                &known.kind,
                &known.name,
                known.abbreviation.as_deref(),
            );
            directory.known.insert(known.id.clone());
        }
        Builder {
            mapping,
            context,
            identifiers,
            directory,
            created_elements: Vec::new(),
            created_list: Vec::new(),
            link_relations: Vec::new(),
            owned: Vec::new(),
            uses_known: false,
        }
    }

    /// Ids for every row (a valid `id` cell kept, else made from the name), references
    /// resolved, children moved into their parents.
    pub(super) fn elements(
        &mut self,
        mut pending: Vec<PendingElement>,
        problems: &mut Vec<(Position, Problem)>,
    ) -> Vec<ImportedElement> {
        // A row whose id is an element of the national reference model (an exported ministry's
        // owned database) is not declared again: the header owns it.
        pending.retain(|element| match &element.id {
            Some((id, _)) if self.directory.known.contains(id) => {
                self.owned.push(id.clone());
                self.uses_known = true;
                false
            }
            _ => true,
        });
        // Ids given in the sheets first, so that a name never takes an id a later row gives.
        let mut ids: Vec<Option<String>> = vec![None; pending.len()];
        let mut first_row: HashMap<String, usize> = HashMap::new();
        for (index, element) in pending.iter_mut().enumerate() {
            let Some((id, cell)) = &element.id else {
                continue;
            };
            if is_identifier(id) {
                if self.identifiers.reserve(id) {
                    ids[index] = Some(id.clone());
                    first_row.insert(id.clone(), cell.row);
                } else {
                    problems.push(cell.problem(match first_row.get(id) {
                        Some(row) => format!("the id `{id}` is row {row}'s already"),
                        None => format!("`{id}` is a word of the language; it cannot be an id"),
                    }));
                }
            } else {
                element.attributes.insert(0, cell.attribute(id));
            }
        }
        // Else from the id cell's text, the abbreviation (`LGSP` → `lgsp`) or the name.
        for (index, element) in pending.iter().enumerate() {
            if ids[index].is_none() {
                let from_cell = element.id.as_ref().map_or("", |(id, _)| id.as_str());
                let abbreviation = abbreviation(element).unwrap_or("");
                ids[index] = Some(
                    self.identifiers
                        .allocate(&[from_cell, abbreviation, &element.name], &element.kind),
                );
            }
        }
        let ids: Vec<String> = ids.into_iter().map(Option::unwrap_or_default).collect();
        for (element, id) in pending.iter().zip(&ids) {
            self.directory
                .add(id, &element.kind, &element.name, abbreviation(element));
        }
        let mut built: Vec<ImportedElement> = Vec::with_capacity(pending.len());
        let mut relations_out = Vec::new();
        let mut parents: Vec<Option<usize>> = vec![None; pending.len()];
        let index_of: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(index, id)| (id.as_str(), index))
            .collect();
        for (index, element) in pending.iter().enumerate() {
            let id = &ids[index];
            let mut properties = element.properties.clone();
            let mut attributes = element.attributes.clone();
            for reference in &element.references {
                if let Some(value) = self.reference(reference, problems) {
                    properties.push((reference.property.clone(), value));
                } else {
                    attributes.push(reference.cell.attribute(&reference.items.join("; ")));
                }
            }
            for link in &element.links {
                let definition = self.context.metamodel.relation(&link.relation_type);
                if let Some(sources) = definition.and_then(|definition| definition.from.as_ref())
                    && !sources.contains(&element.kind)
                {
                    problems.push(link.cell.problem(format!(
                        "{} cannot be the source of `{}`",
                        kientruc_dsl::metamodel::with_article(&element.kind),
                        link.relation_type
                    )));
                    attributes.push(link.cell.attribute(&link.target));
                    continue;
                }
                let kinds = definition
                    .and_then(|definition| definition.to.clone())
                    .unwrap_or_default();
                match self.resolve(&link.target, &kinds, link.create.as_deref()) {
                    Ok(target) => relations_out.push(ImportedRelation {
                        source: id.clone(),
                        relation_type: link.relation_type.clone(),
                        target,
                        ..ImportedRelation::default()
                    }),
                    Err(message) => {
                        problems.push(link.cell.problem(message));
                        attributes.push(link.cell.attribute(&link.target));
                    }
                }
            }
            if let Some((parent, cell)) = &element.nested_in {
                match self.directory.find(parent, &[]) {
                    Ok(Some(parent_id)) if index_of.contains_key(parent_id.as_str()) => {
                        parents[index] = Some(index_of[parent_id.as_str()]);
                    }
                    Ok(Some(parent_id)) => {
                        problems.push(cell.problem(format!(
                            "`{parent_id}` is not an element of this import; an element can be nested only in one of them"
                        )));
                        attributes.push(cell.attribute(parent));
                    }
                    Ok(None) => {
                        problems
                            .push(cell.problem(format!("no row has the id or name `{parent}`")));
                        attributes.push(cell.attribute(parent));
                    }
                    Err(candidates) => {
                        problems.push(cell.problem(ambiguous(parent, &candidates)));
                        attributes.push(cell.attribute(parent));
                    }
                }
            }
            if !attributes.is_empty() {
                properties.push((
                    ATTRIBUTES.to_owned(),
                    ImportedValue::List(
                        attributes.into_iter().map(ImportedValue::String).collect(),
                    ),
                ));
            }
            built.push(ImportedElement {
                id: id.clone(),
                kind: element.kind.clone(),
                name: element.name.clone(),
                doc: element.doc.clone(),
                properties,
                tags: element.tags.clone(),
                file: element.file.clone(),
                children: Vec::new(),
            });
        }
        self.link_relations = relations_out;
        // Nesting: an element goes into its parent unless that would make a cycle.
        for index in 0..pending.len() {
            let mut seen = vec![index];
            let mut current = parents[index];
            while let Some(parent) = current {
                if seen.contains(&parent) {
                    let (_, cell) = pending[index].nested_in.as_ref().expect("it has a parent");
                    problems.push(cell.problem(format!(
                        "`{}` would be nested in itself through `{}`",
                        ids[index],
                        ids[parents[index].unwrap_or(index)]
                    )));
                    parents[index] = None;
                    break;
                }
                seen.push(parent);
                current = parents[parent];
            }
        }
        nest(built, &parents)
    }

    /// A reference property's value, or `None` (with a problem) when a name does not resolve.
    pub(super) fn reference(
        &mut self,
        reference: &PendingReference,
        problems: &mut Vec<(Position, Problem)>,
    ) -> Option<ImportedValue> {
        let mut resolved = Vec::new();
        let mut failed = false;
        for item in &reference.items {
            match self.resolve(item, &reference.kinds, reference.create.as_deref()) {
                Ok(id) => resolved.push(ImportedValue::Reference(id)),
                Err(message) => {
                    problems.push(reference.cell.problem(message));
                    failed = true;
                }
            }
        }
        if failed {
            return None;
        }
        if reference.list {
            Some(ImportedValue::List(resolved))
        } else if resolved.len() == 1 {
            resolved.pop()
        } else {
            problems.push(reference.cell.problem(format!(
                "`{}` holds one element, and the cell names {}",
                reference.property,
                resolved.len()
            )));
            None
        }
    }

    /// The id of the element `text` names (by id or name, among `kinds`), created when `create`
    /// says so and none has it.
    pub(super) fn resolve(
        &mut self,
        text: &str,
        kinds: &[String],
        create: Option<&str>,
    ) -> Result<String, String> {
        let text = text.trim();
        match self.directory.find(text, kinds) {
            Ok(Some(id)) => {
                let kind = &self.directory.kinds[&id];
                if !kinds.is_empty() && !kinds.contains(kind) {
                    let wanted = match kinds {
                        [one] => kientruc_dsl::metamodel::with_article(one),
                        _ => format!("one of the kinds {}", kinds.join(", ")),
                    };
                    return Err(format!(
                        "`{text}` is {} (`{id}`); this column takes {wanted}",
                        kientruc_dsl::metamodel::with_article(kind),
                    ));
                }
                if self.directory.known.contains(&id) {
                    self.uses_known = true;
                }
                Ok(id)
            }
            Ok(None) => {
                match create.filter(|kind| kinds.is_empty() || kinds.iter().any(|k| k == kind)) {
                    Some(kind) => Ok(self.create(text, kind)),
                    None => Err(format!(
                        "no element has the id or name `{text}` (the rows, the national reference model)"
                    )),
                }
            }
            Err(candidates) => Err(ambiguous(text, &candidates)),
        }
    }

    /// A new element of `kind` named `name`, with the mapping's properties for created elements.
    pub(super) fn create(&mut self, name: &str, kind: &str) -> String {
        let id = self.identifiers.allocate(&[name], kind);
        self.directory.add(&id, kind, name, None);
        let rule = self.mapping.create.get(kind).cloned().unwrap_or_default();
        let mut properties = Vec::new();
        for (property, text) in &rule.properties {
            if let Some(definition) = self.context.metamodel.property(property)
                && let Ok(CellValue::Value(value)) = values::read(
                    text,
                    definition,
                    &BTreeMap::new(),
                    &self.mapping.list_separators,
                )
            {
                properties.push((property.clone(), value));
            }
        }
        self.created_list
            .push((id.clone(), kind.to_owned(), name.to_owned()));
        self.created_elements.push(ImportedElement {
            id: id.clone(),
            kind: kind.to_owned(),
            name: name.to_owned(),
            doc: None,
            properties,
            tags: Vec::new(),
            file: rule.file.unwrap_or_else(|| format!("{kind}.ea")),
            children: Vec::new(),
        });
        id
    }

    /// The relations of relation rows and of `relation` columns.
    pub(super) fn relations(
        &mut self,
        pending: Vec<PendingRelation>,
        problems: &mut Vec<(Position, Problem)>,
    ) -> Vec<ImportedRelation> {
        let mut relations = std::mem::take(&mut self.link_relations);
        for relation in pending {
            let definition = self.context.metamodel.relation(&relation.relation_type);
            let from_kinds = definition.and_then(|d| d.from.clone()).unwrap_or_default();
            let to_kinds = definition.and_then(|d| d.to.clone()).unwrap_or_default();
            let from = self
                .resolve(&relation.from.0, &from_kinds, None)
                .map_err(|message| relation.from.1.problem(message));
            let to = self
                .resolve(&relation.to.0, &to_kinds, None)
                .map_err(|message| relation.to.1.problem(message));
            let (from, to) = match (from, to) {
                (Ok(from), Ok(to)) => (from, to),
                (from, to) => {
                    problems.extend(from.err());
                    problems.extend(to.err());
                    continue;
                }
            };
            let mut via = Vec::new();
            let mut attributes = relation.attributes.clone();
            if let Some((items, cell)) = &relation.via {
                for item in items {
                    match self.resolve(item, &[], None) {
                        Ok(id) => via.push(id),
                        Err(message) => {
                            problems.push(cell.problem(message));
                            attributes.push(cell.attribute(item));
                        }
                    }
                }
            }
            let mut properties = relation.properties.clone();
            for reference in &relation.references {
                if let Some(value) = self.reference(reference, problems) {
                    properties.push((reference.property.clone(), value));
                } else {
                    attributes.push(reference.cell.attribute(&reference.items.join("; ")));
                }
            }
            if !attributes.is_empty() {
                properties.push((
                    ATTRIBUTES.to_owned(),
                    ImportedValue::List(
                        attributes.into_iter().map(ImportedValue::String).collect(),
                    ),
                ));
            }
            relations.push(ImportedRelation {
                source: from,
                relation_type: relation.relation_type,
                target: to,
                label: relation.label,
                via,
                doc: relation.doc,
                properties,
            });
        }
        relations
    }
}

/// The element's `abbreviation`, if its row gives one.
pub(super) fn abbreviation(element: &PendingElement) -> Option<&str> {
    element
        .properties
        .iter()
        .find_map(|(name, value)| match value {
            ImportedValue::String(text) if name == "abbreviation" => Some(text.as_str()),
            _ => None,
        })
}

pub(super) fn ambiguous(text: &str, candidates: &[String]) -> String {
    format!(
        "`{text}` names {} elements ({}); give the id",
        candidates.len(),
        candidates
            .iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The elements with each child moved into its parent's `children` (in row order).
pub(super) fn nest(
    elements: Vec<ImportedElement>,
    parents: &[Option<usize>],
) -> Vec<ImportedElement> {
    let mut slots: Vec<Option<ImportedElement>> = elements.into_iter().map(Some).collect();
    // Children first: deepest elements are moved before their parents are.
    let depth = |mut index: usize| {
        let mut depth = 0;
        while let Some(parent) = parents[index] {
            depth += 1;
            index = parent;
        }
        depth
    };
    let mut order: Vec<usize> = (0..slots.len()).collect();
    order.sort_by_key(|index| std::cmp::Reverse(depth(*index)));
    let mut children: Vec<Vec<(usize, ImportedElement)>> = vec![Vec::new(); slots.len()];
    for index in order {
        let mut element = slots[index].take().expect("each element is moved once");
        let mut own = std::mem::take(&mut children[index]);
        own.sort_by_key(|(row, _)| *row);
        element.children = own.into_iter().map(|(_, child)| child).collect();
        match parents[index] {
            Some(parent) => children[parent].push((index, element)),
            None => slots[index] = Some(element),
        }
    }
    slots.into_iter().flatten().collect()
}
