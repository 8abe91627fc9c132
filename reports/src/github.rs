//! GitHub Actions workflow commands (`check --format github`): one annotation per open problem,
//! input errors (titled with their KT code) first, then findings that fail (not waived, not
//! accepted by a baseline or `--diff`; titled with their rule id, the citation after the
//! message).
//!
//! Each annotation is one line that starts with the command, so no model text can start a line of
//! the log (a `::error::` of its own): line breaks and carriage returns are encoded (`%0A`,
//! `%0D`), `%` too, and `:` and `,` in property values, as GitHub's runner decodes them; escape
//! sequences and bidirectional controls are shown as `⟨U+XXXX⟩` ([`crate::escape::neutralise`]).

use crate::Report;
use crate::escape::{Breaks, neutralise};
use crate::problem::Problem;
use kientruc_dsl::Severity;
use std::fmt::Write as _;

/// Escapes a workflow-command message (`data`) or, with `property`, a property value.
fn escape(text: &str, property: bool) -> String {
    let mut escaped = neutralise(text, Breaks::Keep)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        escaped = escaped.replace(':', "%3A").replace(',', "%2C");
    }
    escaped
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub fn render(report: &Report<'_>) -> String {
    let files = report.files();
    let language = report.language();
    let mut out = String::new();
    for problem in report.problems.iter().filter(|problem| problem.is_open()) {
        let location = problem.location(files).map(|location| {
            format!(
                "file={},line={},col={},endLine={},endColumn={},",
                escape(&location.file, true),
                location.line,
                location.column,
                location.end_line,
                location.end_column
            )
        });
        let mut message = problem.message(language).to_owned();
        if let Problem::Finding(finding) = problem
            && let Some(rule) = report.checked.rule(&finding.rule)
        {
            let citation = crate::view::citation_view(report.checked, rule, language);
            let _ = write!(message, " [{}]", citation.text);
        }
        let _ = writeln!(
            out,
            "::{} {}title={}::{}",
            level(problem.severity()),
            location.unwrap_or_default(),
            escape(problem.code(), true),
            escape(&message, false)
        );
    }
    out
}
