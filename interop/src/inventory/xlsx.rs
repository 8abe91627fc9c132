//! Tables as an XLSX workbook, and workbooks read back into rows.
//!
//! Written with `rust_xlsxwriter`: one worksheet per table (`elements`, `relations`), the header
//! row in bold with an autofilter, the panes frozen below the header and right of the first
//! column (the id or the source), each column as wide as its longest line (between 8 and 60
//! characters), integer columns as numbers, every other cell as a text cell (a text cell is never
//! a formula, so no cell needs the `'` of the CSV files). The workbook's creation date is fixed
//! (1980-01-01, like the dates of its zip entries), so the same model gives the same bytes.
//!
//! Read with `calamine`: every worksheet, numbers written without a useless `.0`, dates as
//! `YYYY-MM-DD`, booleans as `true`/`false`; a cell holding an error (`#N/A`, …) is a problem. A
//! workbook whose parts unpack to more than [`MAX_UNPACKED_BYTES`] is refused first.

use super::{Problem, Sheet, Table};
use calamine::{Data, Reader as _};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

/// The narrowest and widest column, in characters.
const WIDTH: (usize, usize) = (8, 60);
/// The largest integer a workbook stores exactly as a number (2^53).
const EXACT_INTEGER: i64 = 1 << 53;

/// The tables as the bytes of an XLSX workbook, one worksheet each. `Err` for what a workbook
/// cannot hold (a text over 32,767 characters, over 1,048,576 rows).
pub fn write(tables: &[&Table]) -> Result<Vec<u8>, String> {
    let mut workbook = Workbook::new();
    let epoch = ExcelDateTime::from_ymd(1980, 1, 1).map_err(|error| error.to_string())?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    let bold = Format::new().set_bold();
    for table in tables {
        let sheet = workbook.add_worksheet();
        let failed = |error: XlsxError| format!("sheet \"{}\": {error}", table.name);
        sheet.set_name(&table.name).map_err(failed)?;
        for (index, column) in table.columns.iter().enumerate() {
            let index = index as u16;
            sheet
                .write_string_with_format(0, index, &column.header, &bold)
                .map_err(failed)?;
            let widest = std::iter::once(column.header.as_str())
                .chain(
                    table
                        .rows
                        .iter()
                        .filter_map(|row| row.get(usize::from(index)).map(String::as_str)),
                )
                .flat_map(str::lines)
                .map(|line| line.chars().count())
                .max()
                .unwrap_or(0);
            sheet
                .set_column_width(
                    index,
                    f64::from(widest.clamp(WIDTH.0, WIDTH.1) as u32) + 1.0,
                )
                .map_err(failed)?;
        }
        for (number, row) in table.rows.iter().enumerate() {
            let at = u32::try_from(number + 1)
                .map_err(|_| format!("sheet \"{}\": too many rows", table.name))?;
            for (index, (cell, column)) in row.iter().zip(&table.columns).enumerate() {
                let index = index as u16;
                if cell.is_empty() {
                    continue;
                }
                match cell.parse::<i64>() {
                    Ok(number) if column.integer && number.abs() <= EXACT_INTEGER => {
                        #[allow(clippy::cast_precision_loss)] // |number| ≤ 2^53: exact
                        sheet
                            .write_number(at, index, number as f64)
                            .map_err(failed)?;
                    }
                    _ => {
                        sheet.write_string(at, index, cell).map_err(|error| {
                            format!(
                                "sheet \"{}\", row {}, column {}: {error}",
                                table.name,
                                at + 1,
                                super::column_letter(usize::from(index))
                            )
                        })?;
                    }
                }
            }
        }
        let last_column = table.columns.len().saturating_sub(1) as u16;
        let last_row = table.rows.len() as u32;
        sheet
            .autofilter(0, 0, last_row, last_column)
            .map_err(failed)?;
        sheet.set_freeze_panes(1, 1).map_err(failed)?;
    }
    workbook.save_to_buffer().map_err(|error| error.to_string())
}

/// The most a workbook's parts may unpack to, in bytes, by the sizes its zip declares: a
/// workbook of 100,000 rows of 30 columns unpacks to about 100 MiB, and a zip bomb (a few
/// kilobytes that unpack to gigabytes) is refused before anything is unpacked.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// Every worksheet of the workbook `file` (named so in problems), with the problems of its cells.
/// A file that is not an XLSX workbook, or that unpacks to more than [`MAX_UNPACKED_BYTES`], is
/// one problem.
pub fn read(file: &str, bytes: &[u8]) -> Result<(Vec<Sheet>, Vec<Problem>), Problem> {
    read_at_most(file, bytes, MAX_UNPACKED_BYTES)
}

/// [`read`] with a limit on the unpacked size.
pub fn read_at_most(
    file: &str,
    bytes: &[u8],
    limit: u64,
) -> Result<(Vec<Sheet>, Vec<Problem>), Problem> {
    let not_a_workbook = |error: &dyn std::fmt::Display| {
        Problem::in_file(file, None, format!("not an XLSX workbook: {error}"))
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|error| not_a_workbook(&error))?;
    let mut unpacked: u64 = 0;
    for index in 0..archive.len() {
        let part = archive
            .by_index_raw(index)
            .map_err(|error| not_a_workbook(&error))?;
        unpacked = unpacked.saturating_add(part.size());
    }
    if unpacked > limit {
        return Err(Problem::in_file(
            file,
            None,
            format!(
                "the workbook unpacks to {unpacked} bytes; a spreadsheet import reads at most {limit}"
            ),
        ));
    }
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
            .map_err(|error| not_a_workbook(&error))?;
    let mut sheets = Vec::new();
    let mut problems = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(|error| {
            Problem::in_file(
                file,
                Some(&name),
                format!("the sheet cannot be read: {error}"),
            )
        })?;
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for (offset, cells) in range.rows().enumerate() {
            let number = first_row as usize + offset + 1;
            let mut texts = vec![String::new(); first_column as usize];
            for (index, cell) in cells.iter().enumerate() {
                let column = first_column as usize + index;
                match text(cell) {
                    Ok(text) => texts.push(text),
                    Err(message) => {
                        problems.push(Problem {
                            row: Some(number),
                            column: Some((column, String::new())),
                            ..Problem::in_file(file, Some(&name), message)
                        });
                        texts.push(String::new());
                    }
                }
            }
            if texts.iter().any(|cell| !cell.trim().is_empty()) {
                rows.push((number, texts));
            }
        }
        sheets.push(Sheet {
            file: file.to_owned(),
            sheet: Some(name),
            rows,
        });
    }
    Ok((sheets, problems))
}

/// A cell's text.
fn text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        Data::Float(number) => number.to_string(),
        Data::Bool(flag) => flag.to_string(),
        Data::DateTime(moment) if moment.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = moment.to_ymd_hms_milli();
            if (hour, minute, second) == (0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            }
        }
        Data::DateTime(duration) => duration.as_f64().to_string(),
        Data::Error(error) => return Err(format!("the cell holds the error {error}")),
    })
}
