//! `kientruc diff REV [PATHS]`: what changed since a git revision, without a full report. The
//! workspace is checked now and at REV ([`crate::commands::diff::check_at_revision`]), compared
//! ([`kientruc_reports::changes`]) and printed as text, JSON or Markdown. It is informational:
//! exit 0 whatever changed; 2 when REV cannot be read or either revision does not analyse.

use crate::args::{DiffArgs, DiffFormat};
use crate::commands::check::{Dates, language, run_pipeline};
use crate::exit::ExitStatus;
use kientruc_checker::Checked;
use kientruc_reports::changes::{self, Changes};
use std::io::Write as _;

pub fn run(args: &DiffArgs) -> anyhow::Result<ExitStatus> {
    let dates = Dates {
        today: args.today.as_deref(),
        as_of: args.as_of.as_deref(),
    };
    let checked = match run_pipeline(&args.paths, dates, &args.select, &args.ignore) {
        Ok(checked) => checked,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    if let Some(message) = input_errors(&checked) {
        eprint!("{message}");
        return Ok(ExitStatus::InvalidInput);
    }
    let changes = match changes_since(
        "diff",
        &args.revision,
        &args.paths,
        &checked,
        dates,
        &args.select,
        &args.ignore,
    ) {
        Ok(changes) => changes,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let language = language(args.lang, &checked);
    let text = match args.format {
        DiffFormat::Human => changes::human(&changes, language, crate::output::color()),
        DiffFormat::Json => changes::json(&changes)?,
        DiffFormat::Markdown => changes::markdown(
            &changes,
            &kientruc_reports::i18n::Texts::of(&checked, language),
            &kientruc_reports::Templates::default(),
        )?,
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitStatus::Success)
}

/// The changes between `revision` and the checked workspace (`report --since` uses it too).
pub fn changes_since(
    option: &str,
    revision: &str,
    paths: &[std::path::PathBuf],
    checked: &Checked,
    dates: Dates<'_>,
    select: &[String],
    ignore: &[String],
) -> Result<Changes, String> {
    let before =
        crate::commands::diff::check_at_revision(option, revision, paths, dates, select, ignore)?;
    Ok(Changes::between(revision, before.as_ref(), checked))
}

/// The input errors of the workspace now, rendered, with a last line saying why nothing is
/// compared; `None` when it analyses.
fn input_errors(checked: &Checked) -> Option<String> {
    let errors: Vec<kientruc_dsl::Diagnostic> = checked
        .analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == kientruc_dsl::Severity::Error)
        .cloned()
        .collect();
    if errors.is_empty() {
        return None;
    }
    Some(format!(
        "{}error: the workspace has {} {} in its input, so it cannot be compared\n",
        kientruc_reports::human::diagnostics(&checked.analysis.workspace.files, &errors, false),
        errors.len(),
        if errors.len() == 1 { "error" } else { "errors" },
    ))
}
