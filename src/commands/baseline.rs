//! `kientruc baseline` writes the current findings as accepted; `check --baseline FILE` applies
//! one (only new findings fail) and, with `--update-baseline`, removes entries that were fixed.

use crate::args::BaselineArgs;
use crate::commands::check::run_pipeline;
use crate::exit::ExitStatus;
use kientruc_checker::Checked;
use kientruc_checker::baseline::Baseline;
use kientruc_host::write_atomically;
use kientruc_reports::BaselineOutcome;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The default baseline file name, in the workspace root.
pub const DEFAULT_FILE: &str = ".kientruc-baseline.json";

/// The baseline file `check` and `report` apply: `--baseline FILE` when given, else the
/// configuration's `baseline` (relative to the workspace root, where `kientruc.toml` lives),
/// else none. A configured file that does not exist is an error (a message for exit code 2).
pub fn resolve(given: Option<&Path>, checked: &Checked) -> Result<Option<PathBuf>, String> {
    if let Some(file) = given {
        return Ok(Some(file.to_path_buf()));
    }
    let Some(configured) = &checked.config.baseline else {
        return Ok(None);
    };
    let file = in_root(checked, configured);
    if file.is_file() {
        Ok(Some(file))
    } else {
        Err(format!(
            "baseline {} (named by `baseline` in kientruc.toml) does not exist; run `kientruc \
             baseline` to record the current findings there",
            file.display()
        ))
    }
}

/// `name` in the workspace root (or the folder of `--config FILE`), relative to the current folder when the root lies in it (as
/// the user would type it), so that messages and reports do not depend on the machine.
fn in_root(checked: &Checked, name: &str) -> PathBuf {
    // `--config FILE`: its paths count from its folder.
    let folder = crate::output::config()
        .and_then(Path::parent)
        .unwrap_or(&checked.analysis.workspace.root);
    let file = folder.join(name);
    std::env::current_dir()
        .ok()
        .and_then(|current| file.strip_prefix(&current).ok().map(Path::to_path_buf))
        .unwrap_or(file)
}

/// Applies the baseline file to the findings; `Err` is a message for exit code 2.
pub fn apply(file: &Path, checked: &mut Checked, update: bool) -> Result<BaselineOutcome, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|error| format!("cannot read baseline {}: {error}", file.display()))?;
    let (baseline, fixed) = checked
        .apply_baseline(&text)
        .map_err(|message| format!("baseline {}: {message}", file.display()))?;
    let matched = checked
        .findings
        .iter()
        .filter(|finding| finding.baselined)
        .count();
    let mut updated = false;
    if update && !fixed.is_empty() {
        write_atomically(file, &baseline.without(&fixed).to_json())
            .map_err(|error| format!("cannot write baseline {}: {error}", file.display()))?;
        updated = true;
    }
    Ok(BaselineOutcome {
        file: file.display().to_string(),
        matched,
        fixed,
        updated,
    })
}

pub fn run(args: &BaselineArgs) -> anyhow::Result<ExitStatus> {
    let checked = match run_pipeline(
        &args.paths,
        crate::commands::check::Dates {
            today: args.today.as_deref(),
            as_of: args.as_of.as_deref(),
        },
        &[],
        &[],
    ) {
        Ok(checked) => checked,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    if checked.analysis.error_count() > 0 {
        let rendered = kientruc_reports::human::diagnostics(
            &checked.analysis.workspace.files,
            &checked.analysis.diagnostics,
            false,
        );
        eprint!("{rendered}");
        eprintln!("error: the workspace has invalid input; fix it before recording a baseline");
        return Ok(ExitStatus::InvalidInput);
    }
    let framework = checked
        .analysis
        .model
        .header
        .as_ref()
        .and_then(|header| header.framework.clone())
        .unwrap_or_default();
    let baseline = Baseline::from_findings(&framework, &checked.findings, args.reason.as_deref());
    // Without `-o`: the configuration's `baseline`, else the default name, in the root.
    let output = match &args.output {
        Some(path) => path.clone(),
        None => in_root(
            &checked,
            checked.config.baseline.as_deref().unwrap_or(DEFAULT_FILE),
        ),
    };
    write_atomically(&output, &baseline.to_json())?;
    // In the configuration's language (`language` in `kientruc.toml`), Vietnamese by default.
    let language = crate::commands::check::language(None, &checked);
    writeln!(
        crate::output::chatter(),
        "{}",
        kientruc_reports::human::fill(
            kientruc_reports::i18n::text(language, "cli_wrote_baseline"),
            &[
                (
                    "file",
                    &kientruc_reports::escape::terminal(&output.display().to_string())
                ),
                (
                    "findings",
                    &kientruc_reports::human::count(language, baseline.findings.len(), "finding")
                ),
            ]
        )
    )?;
    Ok(ExitStatus::Success)
}
