//! The JSON `kientruc serve` answers, built from one analysis: the list of views with the
//! workspace's input diagnostics, a laid-out view (`kientruc_reports::views::payload`, what the
//! language server's preview also sends), and an element's details (its properties and relations
//! from the model, its findings from the report's view model). Model strings are left as written:
//! the page sets them as text.

use super::Analysed;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::model::{Model, PropertyValue};
use kientruc_reports::i18n::Texts;
use kientruc_reports::view::FindingView;
use kientruc_reports::views;
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn code(language: Language) -> &'static str {
    kientruc_reports::i18n::code(language)
}

/// A finding as the page shows it: rule, severity, reference model, message, citation and fix.
fn finding(finding: &FindingView) -> Value {
    json!({
        "id": finding.id,
        "rule": finding.rule,
        "rule_title": finding.rule_title,
        "severity": finding.severity,
        "severity_label": finding.severity_label,
        "reference_model": finding.reference_model,
        "message": finding.message,
        "element": finding.element,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "citation": finding.citation.as_ref().map(|citation| citation.text.clone()),
        "citation_url": finding.citation.as_ref().and_then(|citation| citation.url.clone()),
        "fix": finding.fix,
        "status": finding.status,
    })
}

/// `/api/views`: the views, the input diagnostics (file, line, column, code, message), and the
/// analysis version the page compares with the events it receives.
pub fn views(analysed: &Analysed, language: Language) -> Value {
    let checked = &analysed.project.checked;
    let texts = Texts::of(checked, language);
    let mut entries = views::catalogue(checked, &texts);
    // A view the broken model lost is still listed, drawn from the last good analysis.
    if let Some(last_good) = &analysed.last_good {
        let good_texts = Texts::of(&last_good.checked, language);
        for entry in views::catalogue(&last_good.checked, &good_texts) {
            if !entries.iter().any(|known| known.id == entry.id) {
                entries.push(entry);
            }
        }
    }
    let report = analysed.report(language);
    let header = checked.analysis.model.header.as_ref();
    json!({
        "version": analysed.version,
        "language": code(language),
        "architecture": {
            "id": header.map(|header| header.id.clone()),
            "name": header.map(|header| header.name.clone()),
        },
        "views": entries.iter().map(|entry| json!({
            "id": entry.id,
            "title": entry.title,
            "description": entry.description,
            "builtin": entry.builtin,
        })).collect::<Vec<_>>(),
        "errors": analysed.errors(),
        "diagnostics": report.diagnostics,
    })
}

/// `/api/elements`: every element of the model (the workspace's and those it imports), by id,
/// name and kind, for the page's search beyond the view it shows.
pub fn elements(analysed: &Analysed) -> Value {
    let model = &analysed.project.checked.analysis.model;
    Value::Array(
        model
            .elements
            .iter()
            .map(|element| {
                json!({
                    "id": element.qualified_id.as_str(),
                    "name": element.name,
                    "kind": element.kind.as_str(),
                    "workspace": element.in_workspace,
                })
            })
            .collect(),
    )
}

/// `/api/view/ID`: the view laid out ([`views::payload`]), with the findings of its elements
/// (open, accepted or waived: `status`) for the page's filters. A view a broken model cannot draw,
/// or draws empty, comes from the last good analysis, marked `stale`.
pub fn view(analysed: &Analysed, language: Language, id: &str) -> Option<Value> {
    let current = {
        let checked = &analysed.project.checked;
        views::render(checked, &Texts::of(checked, language), id)
    };
    // A broken model that cannot draw the view, or draws it empty, shows the last good drawing.
    let broken = analysed.errors() > 0
        && current
            .as_ref()
            .is_none_or(|rendered| rendered.laid_out.nodes.is_empty());
    let last_good = broken
        .then(|| {
            let checked = &analysed.last_good.as_ref()?.checked;
            views::render(checked, &Texts::of(checked, language), id)
        })
        .flatten();
    let stale = last_good.is_some();
    let rendered = last_good.or(current)?;
    let report = analysed.report(language);
    // The findings of the last good analysis are not kept: a stale view shows none.
    let all_findings: &[FindingView] = if stale { &[] } else { &report.findings };
    let mut value = views::payload(&rendered);
    let elements: BTreeSet<&str> = rendered
        .laid_out
        .nodes
        .iter()
        .map(|node| node.id.as_str())
        .collect();
    let findings: Vec<Value> = all_findings
        .iter()
        .filter(|found| {
            found
                .element
                .as_deref()
                .is_some_and(|element| elements.contains(element))
        })
        .map(finding)
        .collect();
    value["findings"] = Value::Array(findings);
    value["version"] = json!(analysed.version);
    value["language"] = json!(code(language));
    value["stale"] = json!(stale);
    value["errors"] = json!(analysed.errors());
    Some(value)
}

/// A property's value as the page shows it: a string as it reads (not quoted), a reference as the
/// element's id, a list joined with commas, anything else as written in the model.
fn property_text(model: &Model, value: &PropertyValue) -> String {
    match value {
        PropertyValue::String(text) => text.clone(),
        PropertyValue::List(items) => items
            .iter()
            .map(|item| property_text(model, item))
            .collect::<Vec<_>>()
            .join(", "),
        other => kientruc_reports::changes::value_text(model, other),
    }
}

/// `/api/element/ID`: the element's kind, place, documentation, properties, relations (both
/// ways) and findings, and the id of its neighbourhood view.
pub fn element(analysed: &Analysed, language: Language, id: &str) -> Option<Value> {
    let checked = &analysed.project.checked;
    let model = &checked.analysis.model;
    let element = model.find(id)?;
    let report = analysed.report(language);
    let listed = report.elements.iter().find(|listed| listed.id == id);
    let properties: Vec<Value> = element
        .properties
        .iter()
        .map(|(name, entry)| {
            json!({
                "name": name,
                "value": property_text(model, &entry.value),
                "element": match &entry.value {
                    PropertyValue::Reference(target) => {
                        Some(model.element(*target).qualified_id.as_str())
                    }
                    _ => None,
                },
            })
        })
        .collect();
    let relations: Vec<Value> = model
        .relations
        .iter()
        .filter(|relation| relation.source == element.id || relation.target == element.id)
        .map(|relation| {
            let outgoing = relation.source == element.id;
            let other = model.element(if outgoing {
                relation.target
            } else {
                relation.source
            });
            json!({
                "direction": if outgoing { "out" } else { "in" },
                "type": relation.relation_type.as_str(),
                "label": relation.label,
                "element": other.qualified_id.as_str(),
                "element_name": other.name,
            })
        })
        .collect();
    let findings: Vec<Value> = report
        .findings
        .iter()
        .filter(|found| found.element.as_deref() == Some(id))
        .map(finding)
        .collect();
    Some(json!({
        "id": element.qualified_id.as_str(),
        "name": element.name,
        "kind": element.kind.as_str(),
        "kind_name": listed.map_or_else(
            || kientruc_reports::view::kind_name(checked, &element.kind, language),
            |listed| listed.kind_name.clone(),
        ),
        "layer": listed.and_then(|listed| listed.layer_name.clone()),
        "file": listed.map(|listed| listed.file.clone()),
        "line": listed.map(|listed| listed.line),
        "doc": element.doc,
        "tags": element.tags.iter().map(kientruc_dsl::syntax::CompactString::as_str).collect::<Vec<_>>(),
        "properties": properties,
        "relations": relations,
        "findings": findings,
        "neighbourhood": format!("neighbourhood:{}", element.qualified_id),
        "version": analysed.version,
    }))
}
