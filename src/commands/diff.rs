//! `check --diff REV`: analyse the workspace as it was at a git revision (read with `git archive`
//! into a temporary folder; the working tree and index are never touched) and as it is now, then
//! accept the findings that already existed at REV: only introduced findings fail. Findings of
//! REV that no longer occur are reported as resolved.

use crate::commands::check::run_pipeline_from;
use kientruc_checker::Checked;
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

/// Compares `checked` (the workspace now) with the same paths at `revision`.
pub fn apply(
    revision: &str,
    paths: &[PathBuf],
    checked: &mut Checked,
    today: crate::commands::check::Dates<'_>,
    select: &[String],
    ignore: &[String],
) -> Result<DiffOutcome, String> {
    let discovered = crate::host::discover(paths).map_err(|error| error.0)?;
    let top = git(&discovered.root, &["rev-parse", "--show-toplevel"]).map_err(|_| {
        format!(
            "--diff: {} is not inside a git repository",
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
        format!("--diff: unknown revision `{revision}` (in a shallow clone, fetch it first)")
    })?;
    let temporary = tempfile::tempdir()
        .map_err(|error| format!("cannot create a temporary folder: {error}"))?;
    extract(&top, revision, temporary.path())?;
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
            .map_err(|_| format!("--diff: {} is outside the git repository", path.display()))?;
        let at_revision = temporary.path().join(relative);
        if at_revision.exists() {
            before_paths.push(at_revision);
        }
    }
    let before_findings = if before_paths.is_empty() {
        Vec::new()
    } else {
        run_pipeline_from(&working_folder, &before_paths, today, select, ignore)
            .map(|before| before.findings)
            .unwrap_or_default()
    };
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
