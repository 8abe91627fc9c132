//! The tables of a checked model: `elements` (one row per element of the architecture: the
//! workspace's own and the imported ones its header `owns`, as in the report's element index;
//! the national reference model is not listed) and `relations` (one row per relation the workspace
//! declares; the relations the national model declares on an owned element stay in it).
//!
//! Columns: `elements` starts with `id`, `kind`, `name`, `nested_in` (the element it is declared
//! in), `tags`, `doc`, `relations` with `from`, `relation` (the type), `to`, `label`, `via`, `doc`
//! (names no property of the metamodel has: `parent` and `source` are properties); then one
//! column per property present in the rows, sorted by name. Cells hold the model's own words, so that the tables import back
//! without a mapping: enum values and kinds as their identifiers, references as the element's
//! qualified id (`national.ndxp`), dates as `YYYY-MM-DD`, booleans as `true`/`false`, lists
//! joined by `; `. Rows are sorted by id (relations by source, type, target and label, then in
//! model order), so the same model always gives the same tables.

use super::{Column, Inventory, Table};
use kientruc_checker::Checked;
use kientruc_dsl::metamodel::ValueType;
use kientruc_dsl::model::{Element, Model, Properties, PropertyValue, Relation};
use kientruc_dsl::syntax::CompactString;
use std::collections::BTreeSet;

/// The columns every `elements` table starts with.
pub const ELEMENT_COLUMNS: [&str; 6] = ["id", "kind", "name", "nested_in", "tags", "doc"];
/// The columns every `relations` table starts with.
pub const RELATION_COLUMNS: [&str; 6] = ["from", "relation", "to", "label", "via", "doc"];
/// What joins the items of a list in a cell.
pub const LIST_SEPARATOR: &str = "; ";

/// The `elements` and `relations` tables of the checked model.
pub fn inventory(checked: &Checked) -> Inventory {
    let model = &checked.analysis.model;
    let mut elements: Vec<&Element> = model
        .elements
        .iter()
        .filter(|element| checked.boundary.is_declared_or_owned(element))
        .collect();
    elements.sort_by(|a, b| a.qualified_id.cmp(&b.qualified_id));
    let mut relations: Vec<&Relation> = model
        .relations
        .iter()
        .filter(|relation| relation.in_workspace)
        .collect();
    let key = |relation: &Relation| {
        (
            model.element(relation.source).qualified_id.clone(),
            relation.relation_type.clone(),
            model.element(relation.target).qualified_id.clone(),
            relation.label.clone(),
        )
    };
    relations.sort_by_cached_key(|relation| key(relation));

    let integer = |name: &str| {
        checked.metamodel().is_some_and(|metamodel| {
            metamodel
                .property(name)
                .is_some_and(|property| matches!(property.value_type, ValueType::Integer { .. }))
        })
    };

    let element_properties = property_names(elements.iter().map(|element| &element.properties));
    let mut element_table = Table {
        name: "elements".to_owned(),
        columns: columns(&ELEMENT_COLUMNS, &element_properties, integer),
        rows: Vec::with_capacity(elements.len()),
    };
    for element in elements {
        let mut row = vec![
            element.qualified_id.to_string(),
            element.kind.to_string(),
            element.name.clone(),
            element
                .parent
                .map(|parent| model.element(parent).qualified_id.to_string())
                .unwrap_or_default(),
            element
                .tags
                .iter()
                .map(CompactString::as_str)
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
            element.doc.clone().unwrap_or_default(),
        ];
        push_properties(&mut row, &element_properties, &element.properties, model);
        element_table.rows.push(row);
    }

    let relation_properties = property_names(relations.iter().map(|relation| &relation.properties));
    let mut relation_table = Table {
        name: "relations".to_owned(),
        columns: columns(&RELATION_COLUMNS, &relation_properties, integer),
        rows: Vec::with_capacity(relations.len()),
    };
    for relation in relations {
        let mut row = vec![
            model.element(relation.source).qualified_id.to_string(),
            relation.relation_type.to_string(),
            model.element(relation.target).qualified_id.to_string(),
            relation.label.clone().unwrap_or_default(),
            relation
                .via
                .iter()
                .map(|id| model.element(*id).qualified_id.as_str())
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
            relation.doc.clone().unwrap_or_default(),
        ];
        push_properties(&mut row, &relation_properties, &relation.properties, model);
        relation_table.rows.push(row);
    }
    Inventory {
        elements: element_table,
        relations: relation_table,
    }
}

/// The names of the properties any of `properties` holds, sorted.
fn property_names<'a>(properties: impl Iterator<Item = &'a Properties>) -> Vec<String> {
    let names: BTreeSet<&str> = properties
        .flat_map(|properties| properties.keys().map(CompactString::as_str))
        .collect();
    names.into_iter().map(str::to_owned).collect()
}

fn columns(fixed: &[&str], properties: &[String], integer: impl Fn(&str) -> bool) -> Vec<Column> {
    fixed
        .iter()
        .map(|header| Column::text(header))
        .chain(properties.iter().map(|name| Column {
            header: name.clone(),
            integer: integer(name),
        }))
        .collect()
}

fn push_properties(
    row: &mut Vec<String>,
    names: &[String],
    properties: &Properties,
    model: &Model,
) {
    for name in names {
        row.push(
            properties
                .get(name)
                .map(|entry| value_text(&entry.value, model))
                .unwrap_or_default(),
        );
    }
}

/// How a property value reads in a cell.
pub fn value_text(value: &PropertyValue, model: &Model) -> String {
    match value {
        PropertyValue::String(text) => text.clone(),
        PropertyValue::Integer(number) => number.to_string(),
        PropertyValue::Boolean(flag) => flag.to_string(),
        PropertyValue::Date(date) => date.to_string(),
        PropertyValue::Enum(word) => word.to_string(),
        PropertyValue::Reference(id) => model.element(*id).qualified_id.to_string(),
        PropertyValue::List(items) => items
            .iter()
            .map(|item| value_text(item, model))
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR),
    }
}
