//! A sheet's layout: its header row (the top row with the most headers the mapping knows), what
//! each column holds, whether it lists elements or relations, and its data rows with their cells.

use crate::imported::ATTRIBUTES;
use crate::inventory::mapping::{Field, Mapping, Target};
use crate::inventory::values;
use crate::inventory::{Problem, Sheet};
use kientruc_dsl::metamodel::Metamodel;
use std::collections::HashMap;

/// How a sheet is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    Elements,
    Relations,
    /// Not read, and why.
    Skipped(String),
}

/// Sheet order, row, column: problems are listed in this order.
pub(super) type Position = (usize, usize, usize);

/// Where a cell is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cell {
    pub(super) order: usize,
    pub(super) file: String,
    pub(super) sheet: Option<String>,
    pub(super) row: usize,
    pub(super) column: usize,
    pub(super) header: String,
}

impl Cell {
    pub(super) fn problem(&self, message: impl Into<String>) -> (Position, Problem) {
        (
            (self.order, self.row, self.column),
            Problem {
                file: self.file.clone(),
                sheet: self.sheet.clone(),
                row: Some(self.row),
                column: Some((self.column, self.header.clone())),
                message: message.into(),
            },
        )
    }

    /// `Header: text`, what an unreadable cell leaves in `attributes`.
    pub(super) fn attribute(&self, text: &str) -> String {
        format!("{}: {}", self.header.trim(), text.trim())
    }
}

/// How many rows from the top of a sheet are searched for its header row.
pub(super) const HEADER_SEARCH_ROWS: usize = 20;

/// How a sheet is laid out.
#[derive(Debug, Clone)]
pub(super) struct Layout {
    pub(super) reading: Reading,
    pub(super) header_row: usize,
    /// Each column's header and what it holds.
    pub(super) columns: Vec<(String, Target)>,
    /// A title above the header row (one cell alone in its row).
    pub(super) title: Option<String>,
    pub(super) problems: Vec<Problem>,
}

/// The sheet's header row (the first of the top rows with the most headers the mapping knows, at
/// least two, or one on a sheet of a single column), what each column holds, and whether the
/// sheet lists elements or relations.
pub(super) fn read_sheet(sheet: &Sheet, mapping: &Mapping, metamodel: &Metamodel) -> Layout {
    let mut best: Option<(usize, usize)> = None;
    for (index, (_, cells)) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let known = cells
            .iter()
            .filter(|cell| mapping.knows(cell, metamodel))
            .count();
        if known > best.map_or(0, |(_, count)| count) {
            best = Some((index, known));
        }
    }
    let skipped = |reason: &str| Layout {
        reading: Reading::Skipped(reason.to_owned()),
        header_row: 0,
        columns: Vec::new(),
        title: None,
        problems: Vec::new(),
    };
    let Some((index, known)) = best.filter(|(index, known)| {
        *known >= 2
            || sheet.rows[*index]
                .1
                .iter()
                .filter(|c| !c.trim().is_empty())
                .count()
                == 1
    }) else {
        return skipped("no row of headers the mapping knows");
    };
    let _ = known;
    let (header_row, headers) = &sheet.rows[index];
    let title = sheet.rows[..index].iter().find_map(|(_, cells)| {
        let filled: Vec<&String> = cells
            .iter()
            .filter(|cell| !cell.trim().is_empty())
            .collect();
        (filled.len() == 1).then(|| filled[0].split_whitespace().collect::<Vec<_>>().join(" "))
    });
    let columns: Vec<(String, Target)> = headers
        .iter()
        .map(|header| {
            let target = if header.trim().is_empty() {
                Target::Attribute
            } else {
                mapping.target(header, metamodel)
            };
            (header.clone(), target)
        })
        .collect();
    let mut problems = Vec::new();
    // Columns by what they hold (`property owner`): two columns must not hold the same thing.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (column, (header, target)) in columns.iter().enumerate() {
        if matches!(target, Target::Attribute | Target::Field(Field::Skip)) {
            continue;
        }
        if let Some(first) = seen.get(&describe(target)) {
            problems.push(Problem {
                row: Some(*header_row),
                column: Some((column, header.clone())),
                ..Problem::in_file(
                    &sheet.file,
                    sheet.sheet.as_deref(),
                    format!(
                        "this column holds {} too, like column {} \"{}\"; the mapping must tell them apart",
                        describe(target),
                        crate::inventory::column_letter(*first),
                        columns[*first].0.trim()
                    ),
                )
            });
        } else {
            seen.insert(describe(target), column);
        }
    }
    let has = |field: Field| seen.contains_key(field.name());
    let reading = if has(Field::From) || has(Field::To) || has(Field::Relation) {
        for (field, what) in [
            (Field::From, "the relations' sources"),
            (Field::Relation, "the relations' types"),
            (Field::To, "the relations' targets"),
        ] {
            if !has(field) {
                problems.push(Problem {
                    row: Some(*header_row),
                    ..Problem::in_file(
                        &sheet.file,
                        sheet.sheet.as_deref(),
                        format!(
                            "no column gives {what} (a `{}` column: {})",
                            field.name(),
                            headers_of(mapping, field)
                        ),
                    )
                });
            }
        }
        Reading::Relations
    } else if has(Field::Name) {
        Reading::Elements
    } else {
        problems.push(Problem {
            row: Some(*header_row),
            ..Problem::in_file(
                &sheet.file,
                sheet.sheet.as_deref(),
                format!(
                    "no column gives the elements' names (a `name` column: {})",
                    headers_of(mapping, Field::Name)
                ),
            )
        });
        Reading::Skipped("no column gives the elements' names".to_owned())
    };
    Layout {
        reading,
        header_row: *header_row,
        columns,
        title,
        problems,
    }
}

/// The headers the mapping gives a field, for messages.
pub(super) fn headers_of(mapping: &Mapping, field: Field) -> String {
    let mut headers: Vec<String> = mapping
        .columns
        .iter()
        .filter(|rule| rule.field == Some(field))
        .flat_map(|rule| rule.headers.iter().map(|header| format!("\"{header}\"")))
        .collect();
    headers.push(format!("\"{}\"", field.name()));
    headers.join(", ")
}

/// What a column holds, as the import's table says it.
pub(super) fn describe(target: &Target) -> String {
    match target {
        Target::Field(Field::Skip) => "skipped".to_owned(),
        Target::Field(field) => field.name().to_owned(),
        Target::Property(property, _) => format!("property {property}"),
        Target::Relation(relation, _) => format!("relation {relation}"),
        Target::Attribute => ATTRIBUTES.to_owned(),
    }
}

/// How many sheets of each file list elements (a workbook with several writes one `.ea` file
/// per sheet).
pub(super) fn element_sheet_counts<'a>(
    sheets: &'a [Sheet],
    mapping: &Mapping,
    metamodel: &Metamodel,
) -> HashMap<&'a String, usize> {
    let mut counts = HashMap::new();
    for sheet in sheets {
        if read_sheet(sheet, mapping, metamodel).reading == Reading::Elements {
            *counts.entry(&sheet.file).or_insert(0) += 1;
        }
    }
    counts
}

/// The `.ea` file a sheet's elements go to: the file's name, and the sheet's when the workbook
/// has several sheets of elements.
pub(super) fn element_file(sheet: &Sheet, element_sheets: Option<usize>) -> String {
    let stem = file_stem(&sheet.file);
    match &sheet.sheet {
        Some(name) if element_sheets.unwrap_or(0) > 1 => format!("{stem}-{name}.ea"),
        _ => format!("{stem}.ea"),
    }
}

/// A file's name without its folders and extension.
pub(super) fn file_stem(file: &str) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    match name.rfind('.') {
        Some(dot) if dot > 0 => name[..dot].to_owned(),
        _ => name.to_owned(),
    }
}

/// A data row with its columns.
pub(super) struct RowCells<'a> {
    pub(super) order: usize,
    pub(super) sheet: &'a Sheet,
    pub(super) number: usize,
    pub(super) cells: &'a [String],
    pub(super) columns: &'a [(String, Target)],
}

impl<'a> RowCells<'a> {
    pub(super) fn new(
        sheet: &'a Sheet,
        order: usize,
        number: usize,
        cells: &'a [String],
        columns: &'a [(String, Target)],
    ) -> Self {
        RowCells {
            order,
            sheet,
            number,
            cells,
            columns,
        }
    }

    pub(super) fn cell(&self, column: usize) -> Cell {
        Cell {
            order: self.order,
            file: self.sheet.file.clone(),
            sheet: self.sheet.sheet.clone(),
            row: self.number,
            column,
            header: self
                .columns
                .get(column)
                .map(|(header, _)| header.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default(),
        }
    }

    /// The non-empty cells with their column and target (cells beyond the header's columns
    /// included, as attributes).
    pub(super) fn filled(&self) -> impl Iterator<Item = (usize, &'a str, &'a Target)> + '_ {
        self.cells
            .iter()
            .enumerate()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(column, text)| {
                let target = self
                    .columns
                    .get(column)
                    .map_or(&Target::Attribute, |(_, target)| target);
                (column, text.as_str(), target)
            })
    }

    pub(super) fn field(&self, field: Field) -> Option<(usize, &'a str)> {
        self.filled()
            .find(|(_, _, target)| **target == Target::Field(field))
            .map(|(column, text, _)| (column, text))
    }

    /// A section heading ("I. Hệ thống dùng chung", "A"), not an element: its only cells are
    /// skipped ones (the `STT` column), or a skipped one that is not a number and the name.
    pub(super) fn is_heading(&self) -> bool {
        let mut skipped_text = false;
        let mut other = false;
        let mut named = false;
        for (_, text, target) in self.filled() {
            match target {
                Target::Field(Field::Skip) => {
                    skipped_text |= values::integer(text).is_none();
                }
                Target::Field(Field::Name) => named = true,
                _ => other = true,
            }
        }
        !other && (!named || skipped_text)
    }
}
