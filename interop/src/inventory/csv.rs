//! Tables as CSV files, and CSV files read back into rows.
//!
//! Written: UTF-8 with a byte-order mark (so that Excel reads Vietnamese letters right), a header
//! row, fields separated by commas and quoted as RFC 4180 says (a field holding a comma, a quote
//! or a line break is quoted, its quotes doubled), lines ended by CR LF. A cell that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return would be taken for a formula by a spreadsheet
//! (CSV injection): it is written with a `'` before it, as OWASP advises, and so is a cell that
//! starts with `'`, so that reading strips exactly the `'` that writing added.
//!
//! Read: UTF-8, with or without the byte-order mark; the separator is the one of `,`, `;` (Excel's
//! in locales such as Vietnamese whose decimal mark is a comma) and tab that one of the top lines
//! uses most. A `'` before `=`, `+`, `-`, `@`, tab, CR or `'` is removed.

use super::{Problem, Sheet, Table};

/// The characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `table` as CSV bytes: BOM, header row, rows.
pub fn write(table: &Table) -> Vec<u8> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    let header: Vec<String> = table
        .columns
        .iter()
        .map(|column| neutralise(&column.header))
        .collect();
    writer
        .write_record(&header)
        .expect("writing to memory does not fail");
    for row in &table.rows {
        writer
            .write_record(row.iter().map(|cell| neutralise(cell)))
            .expect("writing to memory does not fail");
    }
    writer
        .into_inner()
        .expect("writing to memory does not fail")
}

/// `cell` as written: with a `'` before it when it starts like a formula (or with a `'`).
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) || cell.starts_with('\'') {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// `cell` as it was before [`neutralise`].
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => cell,
    }
}

/// The rows of the CSV file `file` (named so in problems). A file that is not UTF-8 text or not
/// CSV is one problem, with the row where reading stopped.
pub fn read(file: &str, bytes: &[u8]) -> Result<Sheet, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|error| Problem {
        row: Some(
            std::str::from_utf8(&bytes[..error.valid_up_to()])
                .map_or(0, |valid| valid.matches('\n').count())
                + 1,
        ),
        ..Problem::in_file(
            file,
            None,
            "the file is not UTF-8 text; save it from the spreadsheet as \"CSV UTF-8\"",
        )
    })?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = ::csv::StringRecord::new();
    // Rows as a spreadsheet numbers them: the reader skips blank lines, which are rows too, and a
    // cell may hold line breaks, which are not. Between the ends of two records lie the first's
    // line break, the blank lines and the second record.
    let mut number = 0;
    let mut end = 0;
    let newlines = |text: &str| text.matches('\n').count();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let record_end = reader.position().byte() as usize;
                let inside: usize = record.iter().map(newlines).sum();
                let breaks = text.get(end..record_end).map_or(0, newlines);
                number = if end == 0 { 1 } else { number } + breaks - inside.min(breaks);
                end = record_end.min(text.len());
                let cells: Vec<String> =
                    record.iter().map(|cell| restore(cell).to_owned()).collect();
                if cells.iter().any(|cell| !cell.trim().is_empty()) {
                    rows.push((number, cells));
                }
            }
            Err(error) => {
                return Err(Problem {
                    row: Some(number + 1),
                    ..Problem::in_file(file, None, format!("not CSV: {error}"))
                });
            }
        }
    }
    Ok(Sheet {
        file: file.to_owned(),
        sheet: None,
        rows,
    })
}

/// The separator used most in one line of the top lines (outside quotes): `,`, `;` or tab; `,`
/// when none. The top lines, not only the first: a title may stand above the header row.
fn separator(text: &str) -> u8 {
    const LINES: usize = 20;
    let candidates = [b',', b';', b'\t'];
    let mut best = [0usize; 3];
    let mut counts = [0usize; 3];
    let mut quoted = false;
    let mut lines = 0;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                for (best, count) in best.iter_mut().zip(&mut counts) {
                    *best = (*best).max(std::mem::take(count));
                }
                lines += 1;
                if lines == LINES {
                    break;
                }
            }
            _ if !quoted => {
                if let Some(index) = candidates.iter().position(|candidate| *candidate == byte) {
                    counts[index] += 1;
                }
            }
            _ => {}
        }
    }
    for (best, count) in best.iter_mut().zip(&counts) {
        *best = (*best).max(*count);
    }
    let mut chosen = 0;
    for index in 1..candidates.len() {
        if best[index] > best[chosen] {
            chosen = index;
        }
    }
    candidates[chosen]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let text = "title\r\n\r\na;b\r\n\"x\r\ny\";z\r\n\r\n\r\nlast;1\r\n";
        let sheet = read("f.csv", text.as_bytes()).unwrap();
        let numbers: Vec<usize> = sheet.rows.iter().map(|(number, _)| *number).collect();
        assert_eq!(numbers, vec![1, 3, 4, 7]);
        assert_eq!(sheet.rows[2].1, vec!["x\r\ny", "z"]);
    }
}
