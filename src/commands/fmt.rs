//! `kientruc fmt`: canonical formatting, in place (atomically) or `--check`.

use crate::args::FmtArgs;
use crate::exit::ExitStatus;
use crate::host::{self, DiskProvider, display_path};
use kientruc_dsl::format::format_text;
use kientruc_dsl::workspace::{Files, Origin, SourceProvider as _, decode};
use kientruc_dsl::{FileId, parse};
use std::io::Write as _;
use std::sync::Arc;

pub fn run(args: &FmtArgs) -> anyhow::Result<ExitStatus> {
    let discovered = match host::discover(&args.paths) {
        Ok(discovered) => discovered,
        Err(error) => {
            eprintln!("error: {}", error.0);
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let current_directory = host::current_folder();
    // Confined like `check`: a file that is a link leading out of the root is not formatted.
    let reader = DiskProvider::new(&discovered.root);
    let mut invalid = false;
    let mut would_change = Vec::new();
    let mut stdout = std::io::stdout().lock();
    for path in &discovered.files {
        let name = display_path(path, &current_directory);
        let bytes = match reader.read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("error: cannot read {name}: {error}");
                invalid = true;
                continue;
            }
        };
        let mut files = Files::default();
        let text = match decode(FileId(0), bytes) {
            Ok(text) => text,
            Err(diagnostic) => {
                files.add(name.clone(), path.clone(), Arc::from(""), Origin::Workspace);
                stdout.write_all(
                    kientruc_reports::human::diagnostics(&files, &[diagnostic], false).as_bytes(),
                )?;
                invalid = true;
                continue;
            }
        };
        let Some(formatted) = format_text(&text) else {
            let parsed = parse(FileId(0), &text);
            files.add(
                name.clone(),
                path.clone(),
                Arc::from(text.as_str()),
                Origin::Workspace,
            );
            stdout.write_all(
                kientruc_reports::human::diagnostics(&files, &parsed.diagnostics, false).as_bytes(),
            )?;
            writeln!(stdout, "not formatted: {name} has syntax errors")?;
            invalid = true;
            continue;
        };
        if formatted == text {
            continue;
        }
        if args.check {
            writeln!(stdout, "would reformat: {name}")?;
            would_change.push(name);
        } else {
            kientruc_host::write_atomically(path, &formatted)?;
            writeln!(stdout, "formatted: {name}")?;
        }
    }
    if invalid {
        return Ok(ExitStatus::InvalidInput);
    }
    if args.check && !would_change.is_empty() {
        writeln!(
            stdout,
            "{} of {} files would be reformatted",
            would_change.len(),
            discovered.files.len()
        )?;
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Success)
}
