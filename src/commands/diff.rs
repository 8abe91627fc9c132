//! The workspace at a git revision, and what `check --diff REV` does with it.
//!
//! [`check_at_revision`] reads the tree of a revision with `git archive` into a temporary folder
//! (the working tree and index are never touched) and checks the same paths there, from the same
//! place, as `kientruc check` checks them now. `check --diff`, `report --since` and `kientruc
//! diff` all use it. A revision that cannot be read (not a git repository, an unknown revision)
//! or whose model does not analyse (syntax or resolution errors at that revision) is an error,
//! never an empty model; a path that did not exist at the revision is not an error: there is
//! then nothing to compare with.
//!
//! `check --diff REV` ([`apply`]) accepts the findings that already existed at REV: only
//! introduced findings fail. Findings of REV that no longer occur are reported as resolved.

use crate::commands::check::run_pipeline_from;
use kientruc_checker::Checked;
use kientruc_dsl::{Diagnostic, Severity};
use kientruc_reports::{DiffOutcome, ResolvedFinding};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn git(directory: &Path, arguments: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(directory)
        .args(arguments)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Extracts the tree of `revision` into `target` with `git archive | tar -x`.
fn extract(top: &Path, revision: &str, target: &Path) -> Result<(), String> {
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["archive", "--format=tar", revision])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run git archive: {error}"))?;
    let stdout = archive
        .stdout
        .take()
        .ok_or("git archive produced no output")?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(target)
        .stdin(stdout)
        .output()
        .map_err(|error| format!("cannot run tar: {error}"))?;
    let archived = archive
        .wait_with_output()
        .map_err(|error| format!("git archive failed: {error}"))?;
    if !archived.status.success() {
        return Err(format!(
            "git archive {revision} failed: {}",
            String::from_utf8_lossy(&archived.stderr).trim()
        ));
    }
    if !tar.status.success() {
        return Err(format!(
            "cannot extract {revision}: {}",
            String::from_utf8_lossy(&tar.stderr).trim()
        ));
    }
    Ok(())
}

/// The paths checked at `revision`, as `kientruc check` would check them from the same place in
/// that revision: `Ok(None)` when none of the paths existed there. `Err` carries the message
/// for exit code 2, starting with `option` (`--diff`, `--since`, `diff`).
pub fn check_at_revision(
    option: &str,
    revision: &str,
    paths: &[PathBuf],
    dates: crate::commands::check::Dates<'_>,
    select: &[String],
    ignore: &[String],
) -> Result<Option<Checked>, String> {
    let discovered = crate::host::discover(paths).map_err(|error| error.0)?;
    let top = git(&discovered.root, &["rev-parse", "--show-toplevel"]).map_err(|_| {
        format!(
            "{option}: {} is not inside a git repository",
            discovered.root.display()
        )
    })?;
    let top = PathBuf::from(top);
    git(
        &top,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ],
    )
    .map_err(|_| {
        format!("{option}: unknown revision `{revision}` (in a shallow clone, fetch it first)")
    })?;
    let temporary = tempfile::tempdir()
        .map_err(|error| format!("cannot create a temporary folder: {error}"))?;
    extract(&top, revision, temporary.path()).map_err(|error| format!("{option}: {error}"))?;
    // The extracted tree counts as a repository, so that its `.gitignore` files count as they
    // do in the working tree.
    std::fs::create_dir(temporary.path().join(".git"))
        .map_err(|error| format!("cannot prepare the extracted revision: {error}"))?;
    let canonical_top = std::fs::canonicalize(&top).unwrap_or(top.clone());
    // The revision is checked as if run from the same place in it, so its roots are the same.
    let current_folder = crate::host::current_folder();
    let working_folder = std::fs::canonicalize(&current_folder)
        .unwrap_or_else(|_| current_folder.clone())
        .strip_prefix(&canonical_top)
        .map_or(current_folder, |relative| temporary.path().join(relative));
    let mut before_paths = Vec::new();
    for path in if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    } {
        let absolute = std::fs::canonicalize(crate::host::absolute(&path))
            .unwrap_or_else(|_| crate::host::absolute(&path));
        let relative = absolute
            .strip_prefix(&canonical_top)
            .map_err(|_| format!("{option}: {} is outside the git repository", path.display()))?;
        let at_revision = temporary.path().join(relative);
        if at_revision.exists() {
            before_paths.push(at_revision);
        }
    }
    if before_paths.is_empty() {
        return Ok(None);
    }
    let before = run_pipeline_from(&working_folder, &before_paths, dates, select, ignore).map_err(
        |error| format!("{option}: cannot check the workspace at `{revision}`: {error}"),
    )?;
    let option_errors: Vec<&Diagnostic> = before.option_errors().collect();
    let errors: Vec<&Diagnostic> = before
        .analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| {
            diagnostic.severity == Severity::Error
                && !option_errors
                    .iter()
                    .any(|option_error| std::ptr::eq(*option_error, *diagnostic))
        })
        .collect();
    if let Some(first) = errors.first() {
        let files = &before.analysis.workspace.files;
        let place = kientruc_reports::Problem::Input(first)
            .location(files)
            .map(|location| {
                format!(
                    "{}:{}:{}: ",
                    revision_path(&location.file, temporary.path()),
                    location.line,
                    location.column
                )
            })
            .unwrap_or_default();
        return Err(format!(
            "{option}: the workspace at `{revision}` does not analyse ({} {} in its input), so \
             it cannot be compared; the first: {place}{}: {}",
            errors.len(),
            if errors.len() == 1 { "error" } else { "errors" },
            first.code,
            first.message
        ));
    }
    Ok(Some(before))
}

/// A file of the extracted revision as the repository names it (relative to its top).
fn revision_path(file: &str, extracted: &Path) -> String {
    let canonical = std::fs::canonicalize(extracted).unwrap_or_else(|_| extracted.to_path_buf());
    for folder in [extracted, canonical.as_path()] {
        if let Ok(relative) = Path::new(file).strip_prefix(folder) {
            return relative.display().to_string();
        }
    }
    file.to_owned()
}

/// Compares `checked` (the workspace now) with the same paths at `revision`: the findings that
/// were open there are accepted (marked baselined), the others are introduced.
pub fn apply(
    revision: &str,
    paths: &[PathBuf],
    checked: &mut Checked,
    dates: crate::commands::check::Dates<'_>,
    select: &[String],
    ignore: &[String],
) -> Result<DiffOutcome, String> {
    let before = check_at_revision("--diff", revision, paths, dates, select, ignore)?;
    let before_findings = before.map(|before| before.findings).unwrap_or_default();
    let mut available: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, finding) in before_findings
        .iter()
        .enumerate()
        .filter(|(_, finding)| !finding.is_waived())
    {
        available
            .entry(finding.fingerprint.clone())
            .or_default()
            .push(index);
    }
    let mut preexisting = 0;
    let mut introduced = 0;
    for finding in checked
        .findings
        .iter_mut()
        .filter(|finding| !finding.is_waived())
    {
        if available
            .get_mut(&finding.fingerprint)
            .and_then(Vec::pop)
            .is_some()
        {
            finding.baselined = true;
            preexisting += 1;
        } else if !finding.baselined {
            introduced += 1;
        }
    }
    let mut resolved: Vec<ResolvedFinding> = available
        .into_values()
        .flatten()
        .map(|index| {
            let finding = &before_findings[index];
            ResolvedFinding {
                rule: finding.rule.clone(),
                element: finding.element.clone(),
                message: finding.message.vi.clone(),
                fingerprint: finding.fingerprint.clone(),
            }
        })
        .collect();
    resolved.sort_by(|left, right| {
        (&left.rule, &left.element, &left.fingerprint).cmp(&(
            &right.rule,
            &right.element,
            &right.fingerprint,
        ))
    });
    Ok(DiffOutcome {
        revision: revision.to_owned(),
        introduced,
        preexisting,
        resolved,
    })
}
