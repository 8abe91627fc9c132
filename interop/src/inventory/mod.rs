//! Spreadsheet inventories ("danh mục hệ thống thông tin", "danh mục cơ sở dữ liệu"): a checked
//! model written as two tables, `elements` and `relations` (CSV files or the two sheets of an
//! XLSX workbook), and inventories read back, with their columns matched by header through a
//! mapping (TOML; [`mapping::Mapping::default_mapping`] reads a typical provincial inventory).
//!
//! - [`export`]: the tables of a checked model (the workspace's elements and the ones it owns,
//!   like the report's element index; not the national reference model).
//! - [`csv`]: tables as CSV (UTF-8 with a BOM, RFC 4180, formula injection neutralised) and
//!   CSV text read back into rows.
//! - [`xlsx`]: tables as an XLSX workbook (`rust_xlsxwriter`) and workbooks read back
//!   (`calamine`).
//! - [`mapping`]: which column holds what, and how cell texts become property values.
//! - [`import`]: rows read from spreadsheets turned into an imported model, every problem named
//!   by file, sheet, row and column; [`values`]: cell texts read as property values.
//!
//! Pure: bytes and checked models in, bytes and values out.

pub mod csv;
pub mod export;
pub mod import;
pub mod mapping;
pub mod values;
pub mod xlsx;

/// A table of text cells with a header row: what a CSV file or a worksheet holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// The sheet's name (`elements`, `relations`); for CSV, the file is `{name}.csv`.
    pub name: String,
    pub columns: Vec<Column>,
    /// One text per column in each row; an empty text is an empty cell.
    pub rows: Vec<Vec<String>>,
}

/// A column of a [`Table`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    /// The column holds integers (an integer property): a workbook stores them as numbers.
    pub integer: bool,
}

impl Column {
    pub fn text(header: &str) -> Column {
        Column {
            header: header.to_owned(),
            integer: false,
        }
    }
}

/// The two tables of an exported model.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inventory {
    pub elements: Table,
    pub relations: Table,
}

/// A sheet read from a file: its rows of cell texts as the file numbers them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    /// The file as the user named it (for messages).
    pub file: String,
    /// The worksheet's name; `None` for a CSV file.
    pub sheet: Option<String>,
    /// Each row with its number in the file (1-based, as a spreadsheet shows it) and its cells
    /// from column A on (trailing empty cells may be missing). Empty rows are left out.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// The spreadsheet name of a 0-based column: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut rest = index + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A problem with an inventory read: where it is (file, sheet, row, column) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub sheet: Option<String>,
    /// The row as the spreadsheet numbers it (1 is the header row).
    pub row: Option<usize>,
    /// The 0-based column and its header.
    pub column: Option<(usize, String)>,
    pub message: String,
}

impl Problem {
    /// A problem with the whole file (or sheet).
    pub fn in_file(file: &str, sheet: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            file: file.to_owned(),
            sheet: sheet.map(str::to_owned),
            row: None,
            column: None,
            message: message.into(),
        }
    }
}

/// `FILE: sheet "S", row N, column C "HEADER": message` (no sheet for a CSV file).
impl std::fmt::Display for Problem {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}", self.file)?;
        let mut separator = ": ";
        if let Some(sheet) = &self.sheet {
            write!(formatter, "{separator}sheet \"{sheet}\"")?;
            separator = ", ";
        }
        if let Some(row) = self.row {
            write!(formatter, "{separator}row {row}")?;
            separator = ", ";
        }
        if let Some((index, header)) = &self.column {
            write!(formatter, "{separator}column {}", column_letter(*index))?;
            if !header.is_empty() {
                write!(formatter, " \"{header}\"")?;
            }
        }
        write!(formatter, ": {}", self.message)
    }
}
