//! The HTML report: one self-contained file (inline CSS and SVG, no script, no network request;
//! a Content-Security-Policy forbids both), rendered from `templates/report.html.tera`.

use crate::view::{self, ReportView};
use crate::{Report, ReportError, ReportOptions, diagram, i18n};
use kientruc_dsl::metamodel::Language;

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

/// The name of a language in itself, for the language switch.
fn language_name(language: Language) -> &'static str {
    match language {
        Language::Vi => "Tiếng Việt",
        Language::En => "English",
    }
}

#[derive(serde::Serialize)]
struct LanguageBody {
    code: &'static str,
    name: &'static str,
    body: String,
}

/// The template's `diagrams`: `overview` and `integration` (their SVG, as before views could be
/// declared), `overview_view` and `integration_view` (title, description and whether it is the
/// built-in one), and `views`, the other declared views (id, title, description, svg).
fn diagrams_context(diagrams: &diagram::Diagrams) -> serde_json::Value {
    let view = |drawn: &diagram::DrawnView| {
        serde_json::json!({
            "id": drawn.entry.id,
            "title": drawn.entry.title,
            "description": drawn.entry.description,
            "builtin": drawn.entry.builtin,
            "svg": drawn.svg,
        })
    };
    serde_json::json!({
        "overview": diagrams.overview.svg,
        "integration": diagrams.integration.svg,
        "overview_view": view(&diagrams.overview),
        "integration_view": view(&diagrams.integration),
        "views": diagrams.views.iter().map(view).collect::<Vec<_>>(),
    })
}

/// The HTML report: the body rendered once per language of [`ReportOptions::languages`] (the
/// first shown; a script-free switch of radio buttons and CSS shows another), each with its ids
/// prefixed by its language when there are several.
pub fn render(report: &Report<'_>) -> Result<String, ReportError> {
    let languages = report.options.languages();
    let prefixed = languages.len() > 1;
    let mut bodies = Vec::new();
    let mut page = None;
    for language in &languages {
        let options = ReportOptions {
            language: *language,
            ..report.options.clone()
        };
        let report = Report::new(report.checked, &options);
        let view = view::build(&report);
        let prefix = if prefixed {
            format!("{}-", i18n::code(*language))
        } else {
            String::new()
        };
        let mut context = context(&view, &options)?;
        let diagrams = diagram::render(report.checked, &view.texts, &prefix);
        context.insert("diagrams", &diagrams_context(&diagrams));
        context.insert("p", &prefix);
        bodies.push(LanguageBody {
            code: i18n::code(*language),
            name: language_name(*language),
            body: options.templates.render("report-body.html", &context)?,
        });
        if page.is_none() {
            page = Some(context);
        }
    }
    let mut context = page.expect("at least one language");
    context.insert("languages", &bodies);
    report.options.templates.render("report.html", &context)
}
