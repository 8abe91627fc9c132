//! The Markdown summary, for a review comment or `$GITHUB_STEP_SUMMARY`: the scorecard table, the
//! input errors (each KT code linked to its section of `docs/language.md`) and the findings (new
//! and remaining when a baseline was applied, then waived), each linked to its rule's
//! documentation. Rendered from `templates/report.md.tera`; model text goes through the `md`
//! filter.

use crate::view::{self, FindingView, language_doc, severity_label};
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

/// An input error as a row: severity, KT code and its documentation, message, place.
#[derive(Serialize)]
struct InputRow {
    severity_label: &'static str,
    code: &'static str,
    doc: String,
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
                doc: language_doc(diagnostic.code, report.options),
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
    context.insert("inputs", &input_table(report));
    options.templates.render("report.md", &context)
}
