//! The one view of a problem that every emitter takes, in the spirit of ruff's `Message`: either
//! a problem in the input (a language [`Diagnostic`] with its KT code: syntax, files, resolution,
//! configuration) or a rule's [`Finding`] on the model. Emitters ask a problem for its code,
//! severity, message, place and status instead of converting the two types each on its own, so
//! no format can forget one of them.

use kientruc_checker::Checked;
use kientruc_checker::findings::Finding;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::workspace::Files;
use kientruc_dsl::{Diagnostic, Label, Severity, Span};

/// A problem in the input or a finding on the model.
#[derive(Debug, Clone, Copy)]
pub enum Problem<'a> {
    /// A problem in the input itself (KT code): the check may be incomplete.
    Input(&'a Diagnostic),
    /// A rule's finding.
    Finding(&'a Finding),
}

/// Whether a problem counts against the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    /// Accepted by a waiver in the model.
    Waived,
    /// Accepted by the baseline (`--baseline FILE`, `--diff REV`).
    Baselined,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Waived => "waived",
            Status::Baselined => "baselined",
        }
    }
}

/// Where a problem is, as people count: 1-based lines, columns in characters (`LineIndex`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file's display name.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Location {
    pub fn of(files: &Files, span: Span) -> Location {
        let (start, end) = files.line_columns(span);
        Location {
            file: files.get(span.file).name.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

impl<'a> Problem<'a> {
    /// The KT code of an input problem, the rule id of a finding.
    pub fn code(self) -> &'a str {
        match self {
            Problem::Input(diagnostic) => diagnostic.code.as_str(),
            Problem::Finding(finding) => &finding.rule,
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Problem::Input(diagnostic) => diagnostic.severity,
            Problem::Finding(finding) => finding.severity,
        }
    }

    /// The message; an input problem's is in English only.
    pub fn message(self, language: Language) -> &'a str {
        match self {
            Problem::Input(diagnostic) => &diagnostic.message,
            Problem::Finding(finding) => finding.message.get(language),
        }
    }

    /// Where the problem is; an input problem may have no place (no `.ea` files at all).
    pub fn span(self) -> Option<Span> {
        match self {
            Problem::Input(diagnostic) => diagnostic.primary.as_ref().map(|label| label.span),
            Problem::Finding(finding) => Some(finding.span),
        }
    }

    pub fn location(self, files: &Files) -> Option<Location> {
        self.span().map(|span| Location::of(files, span))
    }

    /// The other places that explain the problem.
    pub fn related(self) -> &'a [Label] {
        match self {
            Problem::Input(diagnostic) => &diagnostic.secondary,
            Problem::Finding(finding) => &finding.related,
        }
    }

    /// An input problem is always open: nothing can waive a broken model.
    pub fn status(self) -> Status {
        match self {
            Problem::Finding(finding) if finding.is_waived() => Status::Waived,
            Problem::Finding(finding) if finding.baselined => Status::Baselined,
            Problem::Input(_) | Problem::Finding(_) => Status::Open,
        }
    }

    pub fn is_input(self) -> bool {
        matches!(self, Problem::Input(_))
    }

    pub fn is_open(self) -> bool {
        self.status() == Status::Open
    }

    pub fn diagnostic(self) -> Option<&'a Diagnostic> {
        match self {
            Problem::Input(diagnostic) => Some(diagnostic),
            Problem::Finding(_) => None,
        }
    }

    pub fn finding(self) -> Option<&'a Finding> {
        match self {
            Problem::Input(_) => None,
            Problem::Finding(finding) => Some(finding),
        }
    }
}

/// Every problem of a check, in output order: the input's diagnostics as the analysis reported
/// them, then the findings in the checker's order (file, offset, rule id, fingerprint).
pub fn problems(checked: &Checked) -> Vec<Problem<'_>> {
    checked
        .analysis
        .diagnostics
        .iter()
        .map(Problem::Input)
        .chain(checked.findings.iter().map(Problem::Finding))
        .collect()
}
