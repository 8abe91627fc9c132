//! `kientruc import csv|xlsx FILE… --out DIR [--mapping FILE.toml] [--keep-going] [--force]`:
//! spreadsheet inventories read ([`kientruc_interop::inventory`]) and written as formatted `.ea`
//! files. Only the named files (and the mapping) are read. Every problem is printed with its file,
//! sheet, row and column; nothing is written when there is one, unless `--keep-going`; the written
//! files are analysed in memory first and never written when they would not analyse; `.ea` files
//! already in `DIR` are not overwritten unless `--force`. Exit 0 when everything was read, 2 when
//! something was not (written or not).

use crate::args::{ImportArgs, ImportKind};
use crate::exit::ExitStatus;
use crate::host;
use kientruc_dsl::workspace::FrameworkRegistry as _;
use kientruc_interop::inventory::import::{Context, Outcome, Reading, import, pack_context};
use kientruc_interop::inventory::mapping::Mapping;
use kientruc_interop::inventory::{Problem, Sheet, csv, xlsx};
use kientruc_reports::escape::terminal;
use std::path::Path;

/// The largest spreadsheet read, in bytes (an inventory of thousands of rows is a few MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

pub fn run(args: &ImportArgs) -> anyhow::Result<ExitStatus> {
    let current = host::current_folder();
    let mapping = match &args.mapping {
        None => Mapping::default_mapping(),
        Some(path) => {
            let shown = host::display_path(path, &current);
            let text = match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(error) => {
                    eprintln!("error: {}: {error}", terminal(&shown));
                    return Ok(ExitStatus::InvalidInput);
                }
            };
            match Mapping::from_toml(&text) {
                Ok(mapping) => mapping,
                Err(message) => {
                    eprintln!("error: {}: {}", terminal(&shown), terminal(&message));
                    return Ok(ExitStatus::InvalidInput);
                }
            }
        }
    };
    let registry = host::registry(&current);
    let Some(pack) = registry.get(&args.framework) else {
        eprintln!(
            "error: no framework pack `{}` (known: {})",
            terminal(&args.framework),
            registry.ids().join(", ")
        );
        return Ok(ExitStatus::InvalidInput);
    };
    let context = match pack_context(&pack) {
        Ok(context) => context,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let metamodel = &context.metamodel;
    let mapping_problems = mapping.check(metamodel);
    if !mapping_problems.is_empty() {
        let shown = args.mapping.as_ref().map_or_else(
            || "the default mapping".to_owned(),
            |path| host::display_path(path, &current),
        );
        for problem in mapping_problems {
            eprintln!("error: {}: {}", terminal(&shown), terminal(&problem));
        }
        return Ok(ExitStatus::InvalidInput);
    }

    let mut sheets: Vec<Sheet> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    for path in &args.files {
        let shown = host::display_path(path, &current);
        match read(path, &shown, args.kind == ImportKind::Xlsx) {
            Ok((read_sheets, read_problems)) => {
                sheets.extend(read_sheets);
                problems.extend(read_problems);
            }
            Err(problem) => problems.push(problem),
        }
    }
    let outcome = import(
        &sheets,
        &mapping,
        &Context {
            metamodel,
            framework: pack.id.clone(),
            known: &context.known,
            known_import: context.known_import.clone(),
        },
    );
    problems.extend(outcome.problems.iter().cloned());
    let mut stdout = crate::output::chatter();
    report(&mut stdout, &outcome)?;
    for problem in &problems {
        eprintln!("error: {}", terminal(&problem.to_string()));
    }
    if !problems.is_empty() && !args.keep_going {
        eprintln!(
            "error: {} problem(s) in the input; nothing was written (--keep-going writes what could be read)",
            problems.len()
        );
        return Ok(ExitStatus::InvalidInput);
    }

    if !crate::commands::import::write_model(&outcome.model, metamodel, &pack, args, &mut stdout)? {
        return Ok(ExitStatus::InvalidInput);
    }
    Ok(if problems.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::InvalidInput
    })
}

/// The sheets of one file (a CSV file, or a workbook), and the problems of its cells; `Err` when
/// the file cannot be read.
fn read(path: &Path, shown: &str, workbook: bool) -> Result<(Vec<Sheet>, Vec<Problem>), Problem> {
    let size = std::fs::metadata(path)
        .map_err(|error| Problem::in_file(shown, None, error.to_string()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(Problem::in_file(
            shown,
            None,
            format!(
                "the file has {size} bytes; a spreadsheet import reads at most {MAX_FILE_BYTES}"
            ),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|error| Problem::in_file(shown, None, error.to_string()))?;
    if workbook {
        xlsx::read(shown, &bytes)
    } else {
        csv::read(shown, &bytes).map(|sheet| (vec![sheet], Vec::new()))
    }
}

/// How each sheet was read, its columns, and the elements created for references.
fn report(out: &mut impl std::io::Write, outcome: &Outcome) -> std::io::Result<()> {
    for sheet in &outcome.sheets {
        let name = match &sheet.sheet {
            Some(name) => format!("{}, sheet \"{name}\"", sheet.file),
            None => sheet.file.clone(),
        };
        let reading = match &sheet.reading {
            Reading::Elements => format!("{} element row(s)", sheet.rows),
            Reading::Relations => format!("{} relation row(s)", sheet.rows),
            Reading::Skipped(reason) => format!("skipped: {reason}"),
        };
        let headings = if sheet.headings > 0 {
            format!(", {} section heading(s) left out", sheet.headings)
        } else {
            String::new()
        };
        writeln!(out, "read {}: {reading}{headings}", terminal(&name))?;
        if sheet.reading != Reading::Elements && sheet.reading != Reading::Relations {
            continue;
        }
        writeln!(out, "  header row {}:", sheet.header_row)?;
        for (column, header, meaning) in &sheet.columns {
            writeln!(
                out,
                "    {} \"{}\" → {meaning}",
                kientruc_interop::inventory::column_letter(*column),
                terminal(&header.split_whitespace().collect::<Vec<_>>().join(" "))
            )?;
        }
    }
    if !outcome.owned.is_empty() {
        writeln!(
            out,
            "owns {} element(s) of the national reference model that rows list by id (not declared again): {}",
            outcome.owned.len(),
            outcome.owned.join(", ")
        )?;
    }
    if !outcome.created.is_empty() {
        writeln!(
            out,
            "created {} element(s) that rows name and none declares:",
            outcome.created.len()
        )?;
        for (id, kind, name) in &outcome.created {
            writeln!(out, "  {kind} {id} \"{}\"", terminal(name))?;
        }
    }
    Ok(())
}
