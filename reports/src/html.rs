//! The HTML report: one self-contained file (inline CSS and SVG, no script, no network request;
//! a Content-Security-Policy forbids both), rendered from `templates/report.html.tera`.

use crate::view::{self, ReportView};
use crate::{Report, ReportError, ReportOptions, diagram};
use std::collections::BTreeMap;

/// The tera context shared by the HTML and Markdown templates: the view, the fixed texts (`t`),
/// the findings grouped by reference model (`groups`) and a few counts.
pub fn context(view: &ReportView, options: &ReportOptions) -> Result<tera::Context, ReportError> {
    let mut context =
        tera::Context::from_serialize(view).map_err(|error| ReportError::Template {
            template: "report context".to_owned(),
            line: None,
            message: error.to_string(),
        })?;
    context.insert("t", &view.texts.table());
    context.insert("groups", &view::groups(view));
    context.insert("baseline", &options.baseline);
    let flagged = view
        .elements
        .iter()
        .filter(|element| !element.findings.is_empty())
        .count();
    context.insert("flagged_elements", &flagged);
    context.insert("clean_elements", &(view.elements.len() - flagged));
    context.insert(
        "score_class",
        match view.score {
            Some(score) if score >= 80 => "score-good",
            Some(score) if score >= 50 => "score-medium",
            Some(_) => "score-poor",
            None => "",
        },
    );
    Ok(context)
}

pub fn render(report: &Report<'_>) -> Result<String, ReportError> {
    let options = report.options;
    let view = view::build(report);
    let mut context = context(&view, options)?;
    let diagrams = diagram::render(report.checked, &view.texts);
    let mut svg = BTreeMap::new();
    svg.insert("overview", diagrams.overview);
    svg.insert("integration", diagrams.integration);
    context.insert("diagrams", &svg);
    options.templates.render("report.html", &context)
}
