//! `kientruc export --format csv|xlsx`: the checked model as a spreadsheet inventory
//! ([`kientruc_interop::inventory`]): `-o DIR` receives `elements.csv` and `relations.csv`,
//! `-o FILE.xlsx` one workbook with both sheets. Every file is rendered before any is written, and
//! each is replaced atomically.

use crate::args::{ExportArgs, ExportFormat};
use crate::exit::ExitStatus;
use kientruc_checker::Checked;
use kientruc_interop::inventory::{csv, export, xlsx};
use kientruc_reports::Language;
use std::io::Write as _;
use std::path::PathBuf;

pub fn run(args: &ExportArgs, checked: &Checked, language: Language) -> anyhow::Result<ExitStatus> {
    if args.output.as_os_str() == "-" {
        eprintln!(
            "error: `--format {}` writes files, not standard output: give `-o` a {}",
            format_name(args.format),
            if args.format == ExportFormat::Csv {
                "folder"
            } else {
                "file name (.xlsx)"
            }
        );
        return Ok(ExitStatus::InvalidInput);
    }
    let inventory = export::inventory(checked);
    let files: Vec<(PathBuf, Vec<u8>)> = if args.format == ExportFormat::Csv {
        if args.output.is_file() {
            eprintln!(
                "error: `{}` is a file; `--format csv` writes `elements.csv` and `relations.csv` into a folder",
                args.output.display()
            );
            return Ok(ExitStatus::InvalidInput);
        }
        std::fs::create_dir_all(&args.output)?;
        [&inventory.elements, &inventory.relations]
            .into_iter()
            .map(|table| {
                (
                    args.output.join(format!("{}.csv", table.name)),
                    csv::write(table),
                )
            })
            .collect()
    } else {
        if args.output.is_dir() {
            eprintln!(
                "error: `{}` is a folder; `--format xlsx` writes one workbook: give `-o` a file name (.xlsx)",
                args.output.display()
            );
            return Ok(ExitStatus::InvalidInput);
        }
        match xlsx::write(&[&inventory.elements, &inventory.relations]) {
            Ok(bytes) => vec![(args.output.clone(), bytes)],
            Err(message) => {
                eprintln!("error: the workbook cannot hold the model: {message}");
                return Ok(ExitStatus::InvalidInput);
            }
        }
    };
    let mut stdout = crate::output::chatter();
    for (path, bytes) in &files {
        kientruc_host::write_bytes_atomically(path, bytes)?;
        writeln!(
            stdout,
            "{}",
            kientruc_reports::human::fill(
                kientruc_reports::i18n::text(language, "cli_wrote"),
                &[
                    (
                        "file",
                        &kientruc_reports::escape::terminal(&path.display().to_string())
                    ),
                    ("bytes", &bytes.len().to_string()),
                ],
            )
        )?;
    }
    Ok(ExitStatus::Success)
}

fn format_name(format: ExportFormat) -> &'static str {
    if format == ExportFormat::Csv {
        "csv"
    } else {
        "xlsx"
    }
}
