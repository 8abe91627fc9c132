//! The Markdown summary, for a review comment or `$GITHUB_STEP_SUMMARY`: the scorecard table and
//! the findings (new and remaining when a baseline was applied, then waived), each linked to its
//! rule's documentation. Rendered from `templates/report.md.tera`; model text goes through the
//! `md` filter.

use crate::view::{self, FindingView};
use crate::{Report, ReportError};
use serde::Serialize;

/// Rows per table; the rest are counted ("… N more findings").
pub const MAX_ROWS: usize = 100;

#[derive(Serialize)]
struct Table {
    /// `new`, `remaining` or `waived`.
    kind: &'static str,
    total: usize,
    hidden: usize,
    findings: Vec<FindingView>,
}

fn table(kind: &'static str, findings: Vec<FindingView>) -> Table {
    let total = findings.len();
    Table {
        kind,
        total,
        hidden: total.saturating_sub(MAX_ROWS),
        findings: findings.into_iter().take(MAX_ROWS).collect(),
    }
}

pub fn render(report: &Report<'_>) -> Result<String, ReportError> {
    let options = report.options;
    let view = view::build(report);
    let mut context = crate::html::context(&view, options)?;
    let pick = |status: &str| -> Vec<FindingView> {
        let mut findings: Vec<FindingView> = view
            .findings
            .iter()
            .filter(|finding| finding.status == status)
            .cloned()
            .collect();
        // Most severe first, then in the checker's order.
        findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
        findings
    };
    let mut tables = vec![table("new", pick("open"))];
    if options.baseline {
        tables.push(table("remaining", pick("baselined")));
    }
    let waived = pick("waived");
    if !waived.is_empty() {
        tables.push(table("waived", waived));
    }
    context.insert("tables", &tables);
    options.templates.render("report.md", &context)
}
