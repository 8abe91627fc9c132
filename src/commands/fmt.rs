//! `kientruc fmt`: canonical formatting, in place (atomically), `--check` (list what would
//! change) or `--diff` (show it); `-` formats standard input to standard output.

use crate::args::FmtArgs;
use crate::exit::ExitStatus;
use crate::host::{self, DiskProvider, display_path};
use kientruc_dsl::format::format_text;
use kientruc_dsl::workspace::{Files, Origin, SourceProvider as _, decode};
use kientruc_dsl::{FileId, parse};
use std::io::Write as _;
use std::sync::Arc;

/// A unified diff of `before` and `after`, headed with the file's name (`--- a/NAME`,
/// `+++ b/NAME`; an absolute path as it is, not `a//tmp/…`), with three lines
/// of context.
fn unified_diff(name: &str, before: &str, after: &str) -> String {
    let (old, new) = if name.starts_with('/') {
        (name.to_owned(), name.to_owned())
    } else {
        (format!("a/{name}"), format!("b/{name}"))
    };
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&old, &new)
        .to_string()
}

/// `fmt -`: standard input formatted to standard output; with `--check` or `--diff` nothing
/// formatted is printed (`--diff` prints the diff) and exit 1 says the text would change.
fn run_stdin(args: &FmtArgs) -> anyhow::Result<ExitStatus> {
    let name = args
        .stdin_filename
        .as_ref()
        .map_or_else(|| "-".to_owned(), |path| path.display().to_string());
    let name = kientruc_reports::escape::terminal(&name).into_owned();
    let bytes = match crate::commands::check::read_stdin() {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: cannot read standard input: {error}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let mut files = Files::default();
    let path = std::path::PathBuf::from(&name);
    let text = match decode(FileId(0), bytes) {
        Ok(text) => text,
        Err(diagnostic) => {
            files.add(name, path, Arc::from(""), Origin::Workspace);
            eprint!(
                "{}",
                kientruc_reports::human::diagnostics(&files, &[diagnostic], false)
            );
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let Some(formatted) = format_text(&text) else {
        let parsed = parse(FileId(0), &text);
        files.add(
            name.clone(),
            path,
            Arc::from(text.as_str()),
            Origin::Workspace,
        );
        eprint!(
            "{}",
            kientruc_reports::human::diagnostics(&files, &parsed.diagnostics, false)
        );
        eprintln!("not formatted: {name} has syntax errors");
        return Ok(ExitStatus::InvalidInput);
    };
    let mut stdout = std::io::stdout().lock();
    if args.diff {
        stdout.write_all(unified_diff(&name, &text, &formatted).as_bytes())?;
    } else if !args.check {
        stdout.write_all(formatted.as_bytes())?;
    } else if formatted != text && !crate::output::quiet() {
        writeln!(stdout, "would reformat: {name}")?;
    }
    Ok(if (args.check || args.diff) && formatted != text {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

pub fn run(args: &FmtArgs) -> anyhow::Result<ExitStatus> {
    let from_stdin = args.paths.iter().any(|path| path.as_os_str() == "-");
    if from_stdin && args.paths.len() > 1 {
        eprintln!("error: `-` (standard input) cannot be formatted with other paths");
        return Ok(ExitStatus::InvalidInput);
    }
    if args.stdin_filename.is_some() && !from_stdin {
        eprintln!("error: --stdin-filename names standard input; format it with `kientruc fmt -`");
        return Ok(ExitStatus::InvalidInput);
    }
    if from_stdin {
        return run_stdin(args);
    }
    let quiet = crate::output::quiet();
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
        if args.diff {
            stdout.write_all(
                unified_diff(
                    &kientruc_reports::escape::terminal(&name),
                    &text,
                    &formatted,
                )
                .as_bytes(),
            )?;
            would_change.push(name);
        } else if args.check {
            if !quiet {
                writeln!(stdout, "would reformat: {name}")?;
            }
            would_change.push(name);
        } else {
            kientruc_host::write_atomically(path, &formatted)?;
            if !quiet {
                writeln!(stdout, "formatted: {name}")?;
            }
        }
    }
    if invalid {
        return Ok(ExitStatus::InvalidInput);
    }
    if (args.check || args.diff) && !would_change.is_empty() {
        if !quiet {
            // After a diff, the count goes to stderr so that stdout stays a patch.
            let line = format!(
                "{} of {} files would be reformatted",
                would_change.len(),
                discovered.files.len()
            );
            if args.diff {
                eprintln!("{line}");
            } else {
                writeln!(stdout, "{line}")?;
            }
        }
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Success)
}
