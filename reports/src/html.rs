//! The HTML report: one self-contained file (inline CSS and SVG, no script, no network request;
//! a Content-Security-Policy forbids both), rendered from `templates/report.html.tera`.

use crate::view::{self, ReportView};
use crate::{Report, ReportError, ReportOptions, diagram, i18n};
use kientruc_dsl::metamodel::Language;
use rayon::prelude::*;

/// The tera context shared by the HTML and Markdown templates: the view, the fixed texts (`t`),
/// the findings grouped by reference model (`groups`) and a few counts. `elements` is the element
/// index: every element, or, in a model of more than [`ReportOptions::index_shared_above`]
/// elements (`index_shared`), only those with findings; the others are then listed once in the
/// HTML page ([`render`]) and counted (`clean_elements`).
pub fn context(
    view: &mut ReportView,
    options: &ReportOptions,
) -> Result<tera::Context, ReportError> {
    // The element index is inserted on its own: serialised with the rest, a large model's index
    // would be copied into the context only to be filtered.
    let elements = std::mem::take(&mut view.elements);
    let context = tera::Context::from_serialize(&*view);
    view.elements = elements;
    let mut context = context.map_err(|error| ReportError::Template {
        template: "report context".to_owned(),
        line: None,
        message: error.to_string(),
    })?;
    let shared = index_shared(view, options);
    if shared {
        let flagged: Vec<&view::ElementView> = view
            .elements
            .iter()
            .filter(|element| !element.findings.is_empty())
            .collect();
        context.insert("elements", &flagged);
    } else {
        context.insert("elements", &view.elements);
    }
    context.insert("index_shared", &shared);
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

/// Whether the model is large enough for its elements without findings to be listed once for
/// every language ([`ReportOptions::index_shared_above`]).
fn index_shared(view: &ReportView, options: &ReportOptions) -> bool {
    view.elements.len() > options.index_shared_above
}

/// The list items of the elements without findings, as the template would write them: written
/// here, once, for a large model.
fn clean_index(view: &ReportView, prefix: &str) -> String {
    use crate::escape::html_to;
    let prefix = crate::escape::html(prefix);
    let mut out = String::with_capacity(view.elements.len() * 128);
    for element in view
        .elements
        .iter()
        .filter(|element| element.findings.is_empty())
    {
        out.push_str("<li id=\"");
        out.push_str(&prefix);
        html_to(&mut out, &element.anchor);
        out.push_str("\">");
        html_to(&mut out, &element.name);
        out.push_str(" <code>");
        html_to(&mut out, &element.id);
        out.push_str("</code></li>\n");
    }
    out
}

/// The name of a language in itself, for the language switch.
fn language_name(language: Language) -> &'static str {
    match language {
        Language::Vi => "Tiếng Việt",
        Language::En => "English",
    }
}

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
            "summary": drawn.summary,
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
pub fn render(report: &Report<'_>, views: &mut crate::Views) -> Result<String, ReportError> {
    let context = page(report, views)?;
    report.options.templates.render("report.html", &context)
}

/// [`render`] written to `out` as it is rendered.
pub fn write(
    report: &Report<'_>,
    views: &mut crate::Views,
    out: &mut dyn std::io::Write,
) -> Result<(), ReportError> {
    let context = page(report, views)?;
    report
        .options
        .templates
        .render_to("report.html", &context, out)
}

/// The page's context: the first language's, with every language's document (`languages`).
fn page(report: &Report<'_>, views: &mut crate::Views) -> Result<tera::Context, ReportError> {
    let languages = report.options.languages();
    let prefixed = languages.len() > 1;
    let prefix_of = |language: Language| {
        if prefixed {
            format!("{}-", i18n::code(language))
        } else {
            String::new()
        }
    };
    // In a large model the elements without findings are listed once, in the first language's
    // document; the others link there (`ip`, the prefix of the element anchors they link to).
    let first_prefix = prefix_of(languages[0]);
    // The languages' documents are independent: their views are built, and their bodies
    // rendered, in parallel.
    views.build_all(report.checked, report.options, &languages);
    let mut rendered: Vec<(usize, Result<Body, ReportError>)> = views
        .iter_mut()
        .filter_map(|(language, view)| {
            let position = languages.iter().position(|wanted| wanted == language)?;
            Some((position, *language, view))
        })
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(position, language, view)| {
            let options = ReportOptions {
                language,
                ..report.options.clone()
            };
            let prefix = prefix_of(language);
            let body = body(
                report.checked,
                view,
                &options,
                position,
                &prefix,
                &first_prefix,
            )
            .map(|(body, context)| {
                (
                    LanguageBody {
                        code: i18n::code(language),
                        name: language_name(language),
                        body,
                    },
                    context,
                )
            });
            (position, body)
        })
        .collect();
    rendered.sort_by_key(|(position, _)| *position);
    let mut bodies = Vec::new();
    let mut page = None;
    for (_, result) in rendered {
        let (body, context) = result?;
        bodies.push(body);
        if page.is_none() {
            page = Some(context);
        }
    }
    let mut context = page.expect("at least one language");
    // Moved in, not copied: each document is as large as the model's element index.
    let bodies = bodies
        .into_iter()
        .map(|body| {
            serde_json::json!({
                "code": body.code,
                "name": body.name,
                "body": serde_json::Value::String(body.body),
            })
        })
        .collect();
    insert_owned(&mut context, "languages", serde_json::Value::Array(bodies));
    Ok(context)
}

/// Inserts `value` into `context` as it is ([`tera::Context::insert`] would copy it): for the
/// large values, a document or the element index.
fn insert_owned(context: &mut tera::Context, key: &str, value: serde_json::Value) {
    let mut object = serde_json::Map::new();
    object.insert(key.to_owned(), value);
    context.extend(
        tera::Context::from_value(serde_json::Value::Object(object))
            .expect("an object is a context"),
    );
}

/// A language's document in the page, and the context it was rendered with.
type Body = (LanguageBody, tera::Context);

/// One language's document (`report-body.html`, its ids prefixed by `prefix`) and its context.
fn body(
    checked: &kientruc_checker::Checked,
    view: &mut ReportView,
    options: &ReportOptions,
    position: usize,
    prefix: &str,
    first_prefix: &str,
) -> Result<(String, tera::Context), ReportError> {
    let mut context = context(view, options)?;
    let shared = index_shared(view, options);
    let index_prefix = if shared { first_prefix } else { prefix };
    if shared && position == 0 {
        insert_owned(
            &mut context,
            "index_html",
            serde_json::Value::String(clean_index(view, prefix)),
        );
    }
    let diagrams = diagram::render(
        checked,
        &view.texts,
        &diagram::Page {
            ids: prefix,
            index_ids: index_prefix,
            max_boxes: options.diagram_max_boxes,
        },
    );
    insert_owned(&mut context, "diagrams", diagrams_context(&diagrams));
    drop(diagrams);
    context.insert("p", prefix);
    context.insert("ip", index_prefix);
    let body = options.templates.render("report-body.html", &context)?;
    Ok((body, context))
}
