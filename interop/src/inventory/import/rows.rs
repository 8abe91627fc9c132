//! Rows read into pending elements and relations: cells read as values, references kept as texts
//! until every row is read, every unreadable cell a problem at its file, sheet, row and column.

use super::sheet::{Cell, Position, RowCells};
use crate::imported::ImportedValue;
use crate::inventory::Problem;
use crate::inventory::mapping::{Field, Mapping, Target, fold, normalise};
use crate::inventory::values::{self, CellValue};
use kientruc_dsl::metamodel::{Metamodel, ValueType};
use std::collections::BTreeMap;

/// A reference a cell makes, resolved once every row is read.
#[derive(Debug, Clone)]
pub(super) struct PendingReference {
    pub(super) property: String,
    pub(super) items: Vec<String>,
    pub(super) list: bool,
    pub(super) kinds: Vec<String>,
    pub(super) create: Option<String>,
    pub(super) cell: Cell,
}

/// A relation a cell of an element row makes (a `relation` column).
#[derive(Debug, Clone)]
pub(super) struct PendingLink {
    pub(super) relation_type: String,
    pub(super) target: String,
    pub(super) create: Option<String>,
    pub(super) cell: Cell,
}

#[derive(Debug, Clone)]
pub(super) struct PendingElement {
    pub(super) id: Option<(String, Cell)>,
    pub(super) kind: String,
    pub(super) name: String,
    pub(super) nested_in: Option<(String, Cell)>,
    pub(super) tags: Vec<String>,
    pub(super) doc: Option<String>,
    pub(super) properties: Vec<(String, ImportedValue)>,
    pub(super) references: Vec<PendingReference>,
    pub(super) links: Vec<PendingLink>,
    pub(super) attributes: Vec<String>,
    pub(super) file: String,
}

#[derive(Debug, Clone)]
pub(super) struct PendingRelation {
    pub(super) from: (String, Cell),
    pub(super) relation_type: String,
    pub(super) to: (String, Cell),
    pub(super) label: Option<String>,
    pub(super) via: Option<(Vec<String>, Cell)>,
    pub(super) doc: Option<String>,
    pub(super) properties: Vec<(String, ImportedValue)>,
    pub(super) references: Vec<PendingReference>,
    pub(super) attributes: Vec<String>,
}

/// Reads rows into pending elements and relations, collecting problems.
pub(super) struct RowReader<'a> {
    pub(super) mapping: &'a Mapping,
    pub(super) metamodel: &'a Metamodel,
    pub(super) problems: Vec<(Position, Problem)>,
}

impl RowReader<'_> {
    pub(super) fn element(&mut self, row: &RowCells<'_>, file: &str) -> Option<PendingElement> {
        let Some((_, name)) = row.field(Field::Name) else {
            let column = row
                .columns
                .iter()
                .position(|(_, target)| *target == Target::Field(Field::Name))
                .unwrap_or(0);
            self.problems.push(
                row.cell(column)
                    .problem("the row has no name; it is left out"),
            );
            return None;
        };
        let mut element = PendingElement {
            id: row
                .field(Field::Id)
                .map(|(column, text)| (text.trim().to_owned(), row.cell(column))),
            kind: self.mapping.kind.clone(),
            name: name.trim().to_owned(),
            nested_in: row
                .field(Field::NestedIn)
                .map(|(column, text)| (text.trim().to_owned(), row.cell(column))),
            tags: Vec::new(),
            doc: None,
            properties: Vec::new(),
            references: Vec::new(),
            links: Vec::new(),
            attributes: Vec::new(),
            file: file.to_owned(),
        };
        if let Some((column, text)) = row.field(Field::Kind) {
            if let Some(kind) = kind_by_name(self.metamodel, text) {
                element.kind = kind;
            } else {
                let cell = row.cell(column);
                self.problems.push(cell.problem(format!(
                    "`{}` is not a kind of the metamodel (by its id or its name){}",
                    text.trim(),
                    kind_suggestion(self.metamodel, text)
                )));
                element.attributes.push(cell.attribute(text));
            }
        }
        for (column, text, target) in row.filled() {
            let cell = row.cell(column);
            match target {
                Target::Field(Field::Tags) => {
                    element.tags = values::split(text, &self.mapping.list_separators);
                }
                Target::Field(Field::Doc) => element.doc = Some(text.to_owned()),
                Target::Field(
                    Field::Label | Field::Via | Field::From | Field::To | Field::Relation,
                ) => {
                    element.attributes.push(cell.attribute(text));
                }
                Target::Field(_) => {}
                Target::Property(property, rule) => {
                    self.property(
                        property,
                        *rule,
                        text,
                        &cell,
                        &mut element.properties,
                        &mut element.references,
                        &mut element.attributes,
                    );
                }
                Target::Relation(relation_type, rule) => {
                    for target in values::split(text, &self.mapping.list_separators) {
                        element.links.push(PendingLink {
                            relation_type: relation_type.clone(),
                            target,
                            create: self.mapping.columns[*rule].create.clone(),
                            cell: cell.clone(),
                        });
                    }
                }
                Target::Attribute => element.attributes.push(cell.attribute(text)),
            }
        }
        Some(element)
    }

    pub(super) fn relation(&mut self, row: &RowCells<'_>) -> Option<PendingRelation> {
        let required = |field: Field| {
            row.field(field)
                .map(|(column, text)| (text.trim().to_owned(), row.cell(column)))
        };
        let (from, relation, to) = (
            required(Field::From),
            required(Field::Relation),
            required(Field::To),
        );
        let (Some(from), Some((relation_text, relation_cell)), Some(to)) = (from, relation, to)
        else {
            let column = row
                .columns
                .iter()
                .position(|(_, target)| {
                    matches!(
                        target,
                        Target::Field(Field::From | Field::Relation | Field::To)
                    )
                })
                .unwrap_or(0);
            self.problems.push(row.cell(column).problem(
                "the row does not give a relation's source, type and target; it is left out",
            ));
            return None;
        };
        let Some(relation_type) = relation_by_name(self.metamodel, &relation_text) else {
            self.problems.push(relation_cell.problem(format!(
                "`{relation_text}` is not a relation type of the metamodel (by its id or name)"
            )));
            return None;
        };
        let mut relation = PendingRelation {
            from,
            relation_type,
            to,
            label: None,
            via: None,
            doc: None,
            properties: Vec::new(),
            references: Vec::new(),
            attributes: Vec::new(),
        };
        for (column, text, target) in row.filled() {
            let cell = row.cell(column);
            match target {
                Target::Field(Field::Label) => relation.label = Some(text.trim().to_owned()),
                Target::Field(Field::Via) => {
                    relation.via = Some((values::split(text, &self.mapping.list_separators), cell));
                }
                Target::Field(Field::Doc) => relation.doc = Some(text.to_owned()),
                Target::Field(Field::From | Field::To | Field::Relation | Field::Skip) => {}
                Target::Field(_) | Target::Relation(..) | Target::Attribute => {
                    relation.attributes.push(cell.attribute(text));
                }
                Target::Property(property, rule) => {
                    self.property(
                        property,
                        *rule,
                        text,
                        &cell,
                        &mut relation.properties,
                        &mut relation.references,
                        &mut relation.attributes,
                    );
                }
            }
        }
        Some(relation)
    }

    /// A property cell read into `properties` (or `references`, resolved later); a problem and
    /// an attribute when it cannot be read.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn property(
        &mut self,
        property: &str,
        rule: Option<usize>,
        text: &str,
        cell: &Cell,
        properties: &mut Vec<(String, ImportedValue)>,
        references: &mut Vec<PendingReference>,
        attributes: &mut Vec<String>,
    ) {
        let Some(definition) = self.metamodel.property(property) else {
            attributes.push(cell.attribute(text));
            return;
        };
        let rule = rule.map(|index| &self.mapping.columns[index]);
        let empty = BTreeMap::new();
        let extra = rule.map_or(&empty, |rule| &rule.values);
        match values::read(text, definition, extra, &self.mapping.list_separators) {
            Ok(CellValue::Value(value)) => properties.push((property.to_owned(), value)),
            Ok(CellValue::References { items, list }) => references.push(PendingReference {
                property: property.to_owned(),
                items,
                list,
                kinds: reference_kinds(&definition.value_type),
                create: rule.and_then(|rule| rule.create.clone()),
                cell: cell.clone(),
            }),
            Err(message) => {
                self.problems.push(cell.problem(message));
                attributes.push(cell.attribute(text));
            }
        }
    }
}

/// The kinds a reference property accepts (empty: any).
pub(super) fn reference_kinds(value_type: &ValueType) -> Vec<String> {
    match value_type {
        ValueType::Reference { kinds } => kinds.clone(),
        ValueType::List { item } => reference_kinds(item),
        _ => Vec::new(),
    }
}

/// A kind by its id or its name in Vietnamese or English (case, then diacritics ignored).
pub(super) fn kind_by_name(metamodel: &Metamodel, text: &str) -> Option<String> {
    let wanted = normalise(text);
    let folded = fold(text);
    let find = |compare: &dyn Fn(&str) -> bool| {
        metamodel
            .kinds
            .values()
            .find(|kind| compare(&kind.id) || compare(&kind.name.vi) || compare(&kind.name.en))
            .map(|kind| kind.id.clone())
    };
    find(&|candidate| normalise(candidate) == wanted)
        .or_else(|| find(&|candidate| fold(candidate) == folded))
}

/// `; did you mean X (id)?` for the kind whose id or name is closest to `text`, if one is close.
pub(super) fn kind_suggestion(metamodel: &Metamodel, text: &str) -> String {
    let folded = fold(text);
    let names: Vec<(String, &str)> = metamodel
        .kinds
        .values()
        .flat_map(|kind| {
            [&kind.id, &kind.name.vi, &kind.name.en]
                .into_iter()
                .map(move |name| (fold(name), kind.id.as_str()))
        })
        .collect();
    kientruc_dsl::suggest::suggest(&folded, names.iter().map(|(name, _)| name.as_str()))
        .and_then(|close| names.iter().find(|(name, _)| name == close))
        .and_then(|(_, id)| metamodel.kind(id))
        .map_or_else(String::new, |kind| {
            format!("; did you mean \"{}\" ({})?", kind.name.vi, kind.id)
        })
}

/// A relation type by its id or its name in Vietnamese or English.
pub(super) fn relation_by_name(metamodel: &Metamodel, text: &str) -> Option<String> {
    let wanted = normalise(text);
    let folded = fold(text);
    let find = |compare: &dyn Fn(&str) -> bool| {
        metamodel
            .relations
            .values()
            .find(|relation| {
                compare(&relation.id) || compare(&relation.name.vi) || compare(&relation.name.en)
            })
            .map(|relation| relation.id.clone())
    };
    find(&|candidate| normalise(candidate) == wanted)
        .or_else(|| find(&|candidate| fold(candidate) == folded))
}
