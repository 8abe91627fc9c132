//! Hover: what an element is (kind, display name, doc comment, properties, file), what a kind,
//! property or relation type means in the framework's metamodel, and what a rule requires (title,
//! citation, fix) — for the rule of a `waive` line and for findings under the cursor.

use super::ProjectAnalysis;
use super::views;
use super::{FilePosition, PropertyOwner, Target, target_at};
use kientruc_checker::rules::Rule;
use kientruc_dsl::metamodel::{Language, Metamodel};
use kientruc_dsl::model::{Element, ElementId, PropertyValue};
use kientruc_dsl::text::TextRange;
use std::fmt::Write as _;

/// Markdown to show, and the range it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverResult {
    pub markdown: String,
    pub range: TextRange,
}

/// The hover at `position`.
pub fn hover(project: &ProjectAnalysis, position: FilePosition) -> Option<HoverResult> {
    let target = target_at(project, position);
    let metamodel = project.metamodel();
    let (mut markdown, range) = match &target {
        Some(
            Target::ElementDeclaration { element, span }
            | Target::ElementReference { element, span },
        ) => (element_markdown(project, *element), span.range),
        Some(Target::ElementKind { kind, range }) => (kind_markdown(metamodel?, kind)?, *range),
        Some(Target::PropertyName {
            property,
            owner,
            range,
        }) => (property_markdown(metamodel?, property, owner)?, *range),
        Some(Target::RelationType {
            relation_type,
            range,
        }) => (relation_markdown(metamodel?, relation_type)?, *range),
        Some(Target::WaiverRule { rule, range }) => (
            rule_markdown(project, project.checked.rule(rule)?, project.language),
            *range,
        ),
        Some(Target::ImportPath { written, range }) => (format!("imports `{written}`"), *range),
        Some(Target::ViewName { id, range }) => {
            let view = views::declared_view(project, position.file, id)?;
            (views::view_markdown(project, view), *range)
        }
        Some(Target::SelectorIdPattern { pattern, range }) => {
            (pattern_markdown(project, pattern), *range)
        }
        None => (String::new(), TextRange::empty(position.offset)),
    };
    let findings_here = findings_markdown(project, position);
    if !findings_here.is_empty() {
        if !markdown.is_empty() {
            markdown.push_str("\n\n---\n\n");
        }
        markdown.push_str(&findings_here);
    }
    (!markdown.is_empty()).then_some(HoverResult { markdown, range })
}

/// The most characters of a string value a hover shows.
const MAX_STRING_SHOWN: usize = 160;

/// How a property value reads in a hover.
pub fn describe_value(project: &ProjectAnalysis, value: &PropertyValue) -> String {
    match value {
        PropertyValue::String(text) => {
            let shown: String = text.chars().take(MAX_STRING_SHOWN).collect();
            let ellipsis = if shown.len() < text.len() { "…" } else { "" };
            format!("\"{shown}{ellipsis}\"")
        }
        PropertyValue::Integer(number) => number.to_string(),
        PropertyValue::Boolean(flag) => flag.to_string(),
        PropertyValue::Date(date) => date.to_string(),
        PropertyValue::Enum(word) => word.to_string(),
        PropertyValue::Reference(id) => project
            .checked
            .analysis
            .model
            .element(*id)
            .qualified_id
            .to_string(),
        PropertyValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| describe_value(project, item))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The most properties a hover lists.
const MAX_PROPERTIES_SHOWN: usize = 12;

/// An `id(…)` pattern of a view: the element it names, or how many it matches.
fn pattern_markdown(project: &ProjectAnalysis, pattern: &str) -> String {
    let matching = views::elements_matching(project, pattern);
    match matching.as_slice() {
        [element] if !pattern.contains('*') => element_markdown(project, *element),
        [] => format!("`{pattern}` matches no element"),
        _ => {
            let model = &project.checked.analysis.model;
            let shown: Vec<String> = matching
                .iter()
                .take(10)
                .map(|element| format!("`{}`", model.element(*element).qualified_id))
                .collect();
            let more = if matching.len() > shown.len() {
                ", …"
            } else {
                ""
            };
            let count = if matching.len() >= views::MAX_PATTERN_DEFINITIONS {
                format!("{}+", matching.len())
            } else {
                matching.len().to_string()
            };
            format!(
                "`{pattern}` matches {count} element{}: {}{more}",
                if matching.len() == 1 { "" } else { "s" },
                shown.join(", ")
            )
        }
    }
}

fn element_markdown(project: &ProjectAnalysis, element_id: ElementId) -> String {
    let element: &Element = project.checked.analysis.model.element(element_id);
    let mut out = format!(
        "```kientruc\n{} {} \"{}\"\n```\n",
        element.kind, element.qualified_id, element.name
    );
    if let Some(kind) = project
        .metamodel()
        .and_then(|metamodel| metamodel.kind(&element.kind))
    {
        let _ = write!(out, "\n**{}** · {}", kind.name.vi, kind.name.en);
        if let Some(layer) = &element.layer {
            let _ = write!(out, " · layer `{layer}`");
        }
        out.push('\n');
    }
    if let Some(doc) = &element.doc {
        let _ = write!(out, "\n{}\n", doc.trim());
    }
    if !element.properties.is_empty() || !element.tags.is_empty() {
        out.push('\n');
    }
    for (name, entry) in element.properties.iter().take(MAX_PROPERTIES_SHOWN) {
        let _ = writeln!(out, "- `{name}`: {}", describe_value(project, &entry.value));
    }
    if element.properties.len() > MAX_PROPERTIES_SHOWN {
        let _ = writeln!(
            out,
            "- … {} more",
            element.properties.len() - MAX_PROPERTIES_SHOWN
        );
    }
    if !element.tags.is_empty() {
        let _ = writeln!(out, "- `tags`: {}", element.tags.join(", "));
    }
    let files = &project.checked.analysis.workspace.files;
    let (start, _) = files.line_columns(element.id_span);
    let _ = write!(
        out,
        "\n*declared in `{}`, line {}*",
        files.get(element.id_span.file).name,
        start.line
    );
    out
}

fn kind_markdown(metamodel: &Metamodel, kind_id: &str) -> Option<String> {
    let kind = metamodel.kind(kind_id)?;
    let mut out = format!(
        "**{}** · {} — element kind `{}`, layer `{}`\n",
        kind.name.vi, kind.name.en, kind.id, kind.layer
    );
    if !kind.description.is_empty() {
        let _ = write!(out, "\n{}\n", kind.description);
    }
    if !kind.properties.is_empty() {
        let _ = write!(out, "\nproperties: {}\n", kind.properties.join(", "));
    }
    if !kind.required.is_empty() {
        let _ = write!(out, "\nrequired: {}\n", kind.required.join(", "));
    }
    Some(out.trim_end().to_owned())
}

fn property_markdown(metamodel: &Metamodel, name: &str, owner: &PropertyOwner) -> Option<String> {
    let builtin = match name {
        "tags" => Some("a list of words"),
        "framework" if *owner == PropertyOwner::Header => {
            Some("the framework pack, e.g. \"vn-egov-3.0\"")
        }
        "version" if *owner == PropertyOwner::Header => {
            Some("a string: the architecture's version")
        }
        "as_of" if *owner == PropertyOwner::Header => Some("a date (YYYY-MM-DD)"),
        _ => None,
    };
    if let Some(description) = builtin {
        return Some(format!("`{name}`: {description}"));
    }
    let property = metamodel.property(name)?;
    let mut out = format!("`{name}`: {}\n", property.value_type.describe());
    if !property.description.is_empty() {
        let _ = write!(out, "\n{}\n", property.description);
    }
    let required_by_owner = match owner {
        PropertyOwner::Element { kind } => metamodel
            .kind(kind)
            .is_some_and(|kind| kind.required.iter().any(|required| required == name)),
        PropertyOwner::Header => metamodel
            .header
            .required
            .iter()
            .any(|required| required == name),
        PropertyOwner::Relation { relation_type } => metamodel
            .relation(relation_type)
            .is_some_and(|relation| relation.required.iter().any(|required| required == name)),
    };
    if required_by_owner {
        out.push_str("\nrequired here\n");
    }
    Some(out.trim_end().to_owned())
}

fn relation_markdown(metamodel: &Metamodel, relation_id: &str) -> Option<String> {
    let relation = metamodel.relation(relation_id)?;
    let kinds = |set: &Option<Vec<String>>| {
        set.as_ref()
            .map_or_else(|| "any kind".to_owned(), |kinds| kinds.join(", "))
    };
    let mut out = format!(
        "**{}** · {} — relation `{}`\n\nfrom: {}\n\nto: {}\n",
        relation.name.vi,
        relation.name.en,
        relation.id,
        kinds(&relation.from),
        kinds(&relation.to)
    );
    if !relation.description.is_empty() {
        let _ = write!(out, "\n{}\n", relation.description);
    }
    if !relation.properties.is_empty() {
        let _ = write!(out, "\nproperties: {}\n", relation.properties.join(", "));
    }
    Some(out.trim_end().to_owned())
}

/// A rule's title, severity, citation and fix, in the chosen language first.
pub fn rule_markdown(project: &ProjectAnalysis, rule: &Rule, language: Language) -> String {
    let other = match language {
        Language::Vi => Language::En,
        Language::En => Language::Vi,
    };
    let mut out = format!(
        "**{}** — {}\n\n*{}*\n\nseverity `{}` · reference model {}\n\ncitation: {}",
        rule.id,
        rule.title.get(language),
        rule.title.get(other),
        rule.severity.as_str(),
        rule.reference_model.as_str(),
        project.checked.citation_text(rule, language)
    );
    if let Some(url) = rule.citation.url() {
        let _ = write!(out, " — <{url}>");
    }
    let _ = write!(out, "\n\nfix: {}", rule.fix.get(language));
    out
}

fn findings_markdown(project: &ProjectAnalysis, position: FilePosition) -> String {
    let mut sections = Vec::new();
    for finding in &project.checked.findings {
        let here =
            finding.span.file == position.file && finding.span.range.contains(position.offset);
        if !here {
            continue;
        }
        let waived = if finding.is_waived() { " (waived)" } else { "" };
        let mut section = format!(
            "{}{waived}: {}",
            finding.rule,
            finding.message.get(project.language)
        );
        if let Some(rule) = project.checked.rule(&finding.rule) {
            section.push_str("\n\n");
            section.push_str(&rule_markdown(project, rule, project.language));
        }
        if !sections.contains(&section) {
            sections.push(section);
        }
    }
    sections.join("\n\n---\n\n")
}
