//! The Markdown summary, for a review comment or `$GITHUB_STEP_SUMMARY`: the scorecard table, the
//! input errors (each KT code linked to its section of `docs/language.md`) and the findings (new
//! and remaining when a baseline was applied, then waived), each linked to its rule's
//! documentation. Rendered from `templates/report.md.tera`; model text goes through the `md`
//! filter.

use crate::view::{self, FindingView, severity_label};
use crate::{Report, ReportError};
use serde::Serialize;

/// Rows per table; the rest are counted ("… N more findings").
pub const MAX_ROWS: usize = 100;

#[derive(Serialize)]
struct Table {
    total: usize,
    hidden: usize,
    findings: Vec<FindingView>,
}

/// An input error as a row: severity, KT code and its documentation, message, place.
#[derive(Serialize)]
struct InputRow {
    severity_label: &'static str,
    code: &'static str,
    message: String,
    file: Option<String>,
    line: Option<u32>,
}

#[derive(Serialize)]
struct InputTable {
    total: usize,
    hidden: usize,
    rows: Vec<InputRow>,
}

fn input_table(report: &Report<'_>) -> InputTable {
    let language = report.language();
    let rows: Vec<InputRow> = report
        .inputs()
        .map(|diagnostic| {
            let location = crate::Problem::Input(diagnostic).location(report.files());
            InputRow {
                severity_label: severity_label(language, diagnostic.severity),
                code: diagnostic.code.as_str(),
                message: diagnostic.message.clone(),
                file: location.as_ref().map(|location| location.file.clone()),
                line: location.as_ref().map(|location| location.line),
            }
        })
        .collect();
    let total = rows.len();
    InputTable {
        total,
        hidden: total.saturating_sub(MAX_ROWS),
        rows: rows.into_iter().take(MAX_ROWS).collect(),
    }
}

fn table(findings: Vec<FindingView>) -> Table {
    let total = findings.len();
    Table {
        total,
        hidden: total.saturating_sub(MAX_ROWS),
        findings: findings.into_iter().take(MAX_ROWS).collect(),
    }
}

/// The Markdown report: the open findings in a table (new ones when a baseline was applied),
/// the accepted and waived ones one row per rule (with their shared reason, responsible agency
/// and date), the input errors and the rules' outcomes.
pub fn render(report: &Report<'_>, views: &mut crate::Views) -> Result<String, ReportError> {
    let options = report.options;
    let view = views.get(report);
    let mut context = crate::html::context(view, options)?;
    let mut open: Vec<FindingView> = view
        .findings
        .iter()
        .filter(|finding| finding.status == "open")
        .cloned()
        .collect();
    // Most severe first, then in the checker's order.
    open.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    let folds: Vec<view::Fold> = view::groups(view)
        .into_iter()
        .flat_map(|group| group.folds)
        .map(|mut fold| {
            // The table counts them; the findings themselves are in the HTML and JSON reports.
            let count = fold.findings.len();
            fold.findings.truncate(1);
            fold.count = count;
            fold
        })
        .collect();
    context.insert("open", &table(open));
    context.insert("folds", &folds);
    context.insert("inputs", &input_table(report));
    options.templates.render("report.md", &context)
}
