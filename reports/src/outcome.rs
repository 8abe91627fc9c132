//! What `check --baseline FILE` and `check --diff REV` found. The CLI computes them (they read a
//! file and a git revision) and passes them in [`crate::ReportOptions`]; the human and
//! check-JSON formats show them.

use kientruc_checker::baseline::BaselineEntry;
use serde::Serialize;

/// The outcome of applying a baseline file.
#[derive(Debug, Clone)]
pub struct BaselineOutcome {
    /// The baseline file, as the user named it.
    pub file: String,
    /// Findings the baseline accepted.
    pub matched: usize,
    /// Baseline entries that no longer occur.
    pub fixed: Vec<BaselineEntry>,
    /// Whether the fixed entries were removed from the file (`--update-baseline`).
    pub updated: bool,
}

/// A finding of the revision that no longer occurs.
#[derive(Debug, Clone, Serialize)]
pub struct ResolvedFinding {
    pub rule: String,
    pub element: Option<String>,
    pub message: String,
    pub fingerprint: String,
}

/// The outcome of comparing with a git revision.
#[derive(Debug, Clone, Serialize)]
pub struct DiffOutcome {
    pub revision: String,
    /// Findings present now but not at the revision (these can fail the check).
    pub introduced: usize,
    /// Findings present at both (accepted, like baselined ones).
    pub preexisting: usize,
    /// Findings at the revision that no longer occur.
    pub resolved: Vec<ResolvedFinding>,
}
