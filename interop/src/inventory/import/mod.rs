//! Inventories read into an [`ImportedModel`]: each sheet's header row found and its columns
//! matched through the [`Mapping`], each row read as an element (or, on a sheet with `from`,
//! `relation` and `to` columns, as a relation), references resolved by id or name once every row
//! is read, elements created for references the mapping says to create. Every problem names the
//! file, sheet, row and column; the model holds what could be read, so that the caller writes it
//! only when there is no problem, or with `--keep-going`.
//!
//! Steps: `sheet` finds a sheet's header row and what each column holds → `rows` reads rows into
//! pending elements and relations (cell texts read as values; references kept as texts) → `build`
//! gives ids (a valid id in the `id` column is kept, else one is made from the abbreviation or
//! the name), resolves references through a directory of the rows' elements, the known ones (the
//! national reference model) and the created ones, and nests children → the [`ImportedModel`].
//!
//! A cell that cannot be read (a value of the wrong type, a name no element has) is a problem;
//! with `--keep-going` its text is kept as an `attributes` item `Header: text`, like the cells of
//! columns the mapping does not know, so that nothing the sheet says is lost.

mod build;
mod rows;
mod sheet;

use super::mapping::Mapping;
use super::{Problem, Sheet};
use crate::imported::{ImportedHeader, ImportedImport, ImportedModel, ImportedValue};
use build::Builder;
use kientruc_dsl::diacritics::is_identifier;
use kientruc_dsl::metamodel::Metamodel;
use rows::RowReader;
pub use sheet::Reading;
use sheet::{RowCells, describe, element_file, element_sheet_counts, file_stem, read_sheet};

/// An element of an imported model the rows may name (`national.ndxp`, by id, name or
/// abbreviation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownElement {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub abbreviation: Option<String>,
}

/// What an import reads against.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub metamodel: &'a Metamodel,
    /// The framework pack's id (the header's `framework`).
    pub framework: String,
    /// Elements the rows may refer to without declaring them.
    pub known: &'a [KnownElement],
    /// The import that brings the known elements in (`framework:national.ea` as `national`),
    /// written when a reference names one of them.
    pub known_import: Option<ImportedImport>,
}

/// What an import read.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// What could be read (rows with problems in part or, for a row without a name, not at all).
    pub model: ImportedModel,
    /// Every problem, by file, sheet, row and column.
    pub problems: Vec<Problem>,
    /// How each sheet was read.
    pub sheets: Vec<SheetReport>,
    /// Elements created for references: (id, kind, name).
    pub created: Vec<(String, String, String)>,
    /// Rows that list an element of the national reference model by its id: not declared again,
    /// but listed in the header's `owns` (their other cells are the national model's).
    pub owned: Vec<String>,
}

/// How a sheet was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetReport {
    pub file: String,
    pub sheet: Option<String>,
    pub reading: Reading,
    /// The header row's number (0 when none was found).
    pub header_row: usize,
    /// Each column: its 0-based index, its header, and what it holds (`name`, `property owner`,
    /// `relation exchanges_with`, `attributes`, `skipped`).
    pub columns: Vec<(usize, String, String)>,
    /// Rows read (elements or relations), and section headings left out.
    pub rows: usize,
    pub headings: usize,
}

/// Reads `sheets` (every sheet of every file, in order) through `mapping`.
pub fn import(sheets: &[Sheet], mapping: &Mapping, context: &Context<'_>) -> Outcome {
    let mut reader = RowReader {
        mapping,
        metamodel: context.metamodel,
        problems: Vec::new(),
    };
    let mut outcome = Outcome::default();
    let mut elements = Vec::new();
    let mut relations = Vec::new();
    let mut title = None;
    let element_sheets_per_file = element_sheet_counts(sheets, mapping, context.metamodel);
    for (order, sheet) in sheets.iter().enumerate() {
        let layout = read_sheet(sheet, mapping, context.metamodel);
        if title.is_none() {
            title.clone_from(&layout.title);
        }
        let mut report = SheetReport {
            file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
            reading: layout.reading.clone(),
            header_row: layout.header_row,
            columns: layout
                .columns
                .iter()
                .enumerate()
                .filter(|(_, (header, _))| !header.trim().is_empty())
                .map(|(index, (header, target))| (index, header.clone(), describe(target)))
                .collect(),
            rows: 0,
            headings: 0,
        };
        for problem in &layout.problems {
            reader
                .problems
                .push(((order, layout.header_row, 0), problem.clone()));
        }
        if sheet.sheet.is_none()
            && let Reading::Skipped(reason) = &layout.reading
            && layout.problems.is_empty()
        {
            // A CSV file is one table: not reading it is a problem (a workbook may hold a
            // sheet of notes).
            reader.problems.push((
                (order, 0, 0),
                Problem::in_file(&sheet.file, None, format!("{reason}; it was not read")),
            ));
        }
        let file = element_file(sheet, element_sheets_per_file.get(&sheet.file).copied());
        let data_rows = sheet
            .rows
            .iter()
            .filter(|(number, _)| *number > layout.header_row);
        match layout.reading {
            Reading::Elements => {
                for (number, cells) in data_rows {
                    let row = RowCells::new(sheet, order, *number, cells, &layout.columns);
                    if row.is_heading() {
                        report.headings += 1;
                        continue;
                    }
                    if let Some(element) = reader.element(&row, &file) {
                        elements.push(element);
                    }
                    report.rows += 1;
                }
            }
            Reading::Relations => {
                for (number, cells) in data_rows {
                    let row = RowCells::new(sheet, order, *number, cells, &layout.columns);
                    if let Some(relation) = reader.relation(&row) {
                        relations.push(relation);
                    }
                    report.rows += 1;
                }
            }
            Reading::Skipped(_) => {}
        }
        outcome.sheets.push(report);
    }
    for (order, sheet) in sheets.iter().enumerate() {
        let first_of_file = sheets.iter().position(|other| other.file == sheet.file) == Some(order);
        let read_any = outcome
            .sheets
            .iter()
            .filter(|report| report.file == sheet.file)
            .any(|report| !matches!(report.reading, Reading::Skipped(_)));
        if first_of_file && sheet.sheet.is_some() && !read_any {
            reader.problems.push((
                (order, 0, 0),
                Problem::in_file(
                    &sheet.file,
                    None,
                    "no sheet has a row of headers the mapping knows (a name column, or from, relation and to)",
                ),
            ));
        }
    }
    let mut problems = reader.problems;
    let mut builder = Builder::new(mapping, context);
    let model_elements = builder.elements(elements, &mut problems);
    let model_relations = builder.relations(relations, &mut problems);
    problems.sort_by_key(|(position, _)| *position);
    outcome.problems = problems.into_iter().map(|(_, problem)| problem).collect();
    outcome.created.clone_from(&builder.created_list);
    outcome.owned.clone_from(&builder.owned);
    let first_file = sheets
        .first()
        .map_or("inventory", |sheet| sheet.file.as_str());
    let stem = file_stem(first_file);
    let mut imports = Vec::new();
    if builder.uses_known
        && let Some(import) = &context.known_import
    {
        imports.push(import.clone());
    }
    let mut all_elements = model_elements;
    all_elements.extend(builder.created_elements);
    outcome.model = ImportedModel {
        header: ImportedHeader {
            id: mapping
                .header
                .id
                .clone()
                .filter(|id| is_identifier(id))
                .unwrap_or_else(|| {
                    let id = crate::imported::sanitize(&stem);
                    if id.is_empty() || id.starts_with(|c: char| c.is_ascii_digit()) {
                        format!("inventory_{id}").trim_end_matches('_').to_owned()
                    } else {
                        id
                    }
                }),
            name: mapping.header.name.clone().or(title).unwrap_or_else(|| {
                first_file
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or(first_file)
                    .to_owned()
            }),
            framework: context.framework.clone(),
            version: mapping
                .header
                .version
                .clone()
                .unwrap_or_else(|| "1.0".to_owned()),
            scope: mapping.header.scope.clone(),
            as_of: None,
            doc: Some(format!(
                "Imported from {} by `kientruc import`.",
                sheets
                    .iter()
                    .map(|sheet| sheet.file.as_str())
                    .fold(Vec::<&str>::new(), |mut files, file| {
                        if !files.contains(&file) {
                            files.push(file);
                        }
                        files
                    })
                    .join(", ")
            )),
            properties: if builder.owned.is_empty() {
                Vec::new()
            } else {
                vec![(
                    "owns".to_owned(),
                    ImportedValue::List(
                        builder
                            .owned
                            .iter()
                            .cloned()
                            .map(ImportedValue::Reference)
                            .collect(),
                    ),
                )]
            },
            file: "architecture.ea".to_owned(),
        },
        imports,
        elements: all_elements,
        relations: model_relations,
        waivers: Vec::new(),
        views: Vec::new(),
        warnings: Vec::new(),
    };
    outcome
}

/// The architecture file [`pack_context`] analyses: a header that imports the pack's national
/// reference model.
const PROBE: &str = "architecture probe \"probe\" {\n  framework \"{framework}\"\n  version \"1\"\n}\n\nimport \"framework:national.ea\" as national\n";

/// What an import of spreadsheets reads against, from a framework pack.
#[derive(Debug, Clone)]
pub struct PackContext {
    pub metamodel: std::sync::Arc<Metamodel>,
    /// The elements of its national reference model (`national.ea`), by qualified id.
    pub known: Vec<KnownElement>,
    /// The import that brings them in (`framework:national.ea` as `national`).
    pub known_import: Option<ImportedImport>,
}

/// The [`PackContext`] of `pack`: its metamodel and its national reference model's elements,
/// read by analysing a header that imports the model. `Err` when the pack has no metamodel that
/// loads.
pub fn pack_context(pack: &kientruc_dsl::workspace::FrameworkPack) -> Result<PackContext, String> {
    let has_national = pack.files.contains_key("national.ea");
    let text = if has_national {
        PROBE.replace("{framework}", &pack.id)
    } else {
        PROBE
            .replace("{framework}", &pack.id)
            .replace("\nimport \"framework:national.ea\" as national\n", "")
    };
    let analysis = crate::imported::verify(&[("architecture.ea".to_owned(), text)], pack);
    let metamodel = analysis
        .workspace
        .framework
        .as_ref()
        .and_then(|framework| framework.metamodel.clone())
        .ok_or_else(|| {
            format!(
                "the framework pack `{}` has no metamodel that loads",
                pack.id
            )
        })?;
    let known: Vec<KnownElement> = analysis
        .model
        .elements
        .iter()
        .filter(|element| !element.in_workspace)
        .map(|element| KnownElement {
            id: element.qualified_id.to_string(),
            kind: element.kind.to_string(),
            name: element.name.clone(),
            abbreviation: element
                .property("abbreviation")
                .and_then(|value| value.as_str())
                .map(str::to_owned),
        })
        .collect();
    let import = (has_national && !known.is_empty()).then(|| ImportedImport {
        path: "framework:national.ea".to_owned(),
        alias: "national".to_owned(),
    });
    Ok(PackContext {
        metamodel,
        known,
        known_import: import,
    })
}
