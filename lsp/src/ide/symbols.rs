//! The outline of a file (the header, elements with their nested elements, top-level relations,
//! waivers and views, from the syntax tree) and workspace-wide symbol search over the model.

use super::ProjectAnalysis;
use kientruc_dsl::syntax::{Declaration, Element, Entry};
use kientruc_dsl::text::{FileId, Span, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolCategory {
    Architecture,
    Import,
    Element,
    Relation,
    Waiver,
    View,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub category: SymbolCategory,
    /// The whole declaration.
    pub range: TextRange,
    /// The name to select.
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

fn element_symbol(element: &Element) -> Symbol {
    let children = element
        .body
        .iter()
        .flat_map(|body| &body.entries)
        .filter_map(|entry| match entry {
            Entry::Element(child) => Some(element_symbol(child)),
            _ => None,
        })
        .collect();
    Symbol {
        name: element.id.text.to_string(),
        detail: Some(format!("{} \"{}\"", element.kind.text, element.name.value)),
        category: SymbolCategory::Element,
        range: element.range,
        selection: element.id.range,
        children,
    }
}

/// The outline of `file`.
pub fn document_symbols(project: &ProjectAnalysis, file: FileId) -> Vec<Symbol> {
    project
        .tree(file)
        .declarations
        .iter()
        .map(|declaration| match declaration {
            Declaration::Architecture(header) => Symbol {
                name: header.id.text.to_string(),
                detail: Some(format!("architecture \"{}\"", header.name.value)),
                category: SymbolCategory::Architecture,
                range: header.range,
                selection: header.id.range,
                children: Vec::new(),
            },
            Declaration::Import(import) => Symbol {
                name: import
                    .alias
                    .as_ref()
                    .map_or_else(|| import.path.value.clone(), |alias| alias.text.to_string()),
                detail: Some(format!("import \"{}\"", import.path.value)),
                category: SymbolCategory::Import,
                range: import.range,
                selection: import
                    .alias
                    .as_ref()
                    .map_or(import.path.range, |alias| alias.range),
                children: Vec::new(),
            },
            Declaration::Element(element) => element_symbol(element),
            Declaration::Relation(relation) => Symbol {
                name: format!(
                    "{} {} -> {}",
                    relation.relation_type.text,
                    relation
                        .source
                        .as_ref()
                        .map_or("", |source| source.text.as_str()),
                    relation.target.text
                ),
                detail: relation.label.as_ref().map(|label| label.value.clone()),
                category: SymbolCategory::Relation,
                range: relation.range,
                selection: relation.relation_type.range,
                children: Vec::new(),
            },
            Declaration::Waiver(waiver) => Symbol {
                name: format!("waive {} on {}", waiver.rule.text, waiver.element.text),
                detail: waiver.until.map(|(date, _)| format!("until {date}")),
                category: SymbolCategory::Waiver,
                range: waiver.range,
                selection: waiver.rule.range,
                children: Vec::new(),
            },
            Declaration::View(view) => Symbol {
                name: view.id.text.to_string(),
                detail: Some(format!("view \"{}\"", view.title.value)),
                category: SymbolCategory::View,
                range: view.range,
                selection: view.id.range,
                children: Vec::new(),
            },
        })
        .collect()
}

/// An element or a view found by workspace symbol search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub container: String,
    pub category: SymbolCategory,
    pub span: Span,
}

/// True when every character of `query` appears in `candidate` in order (case-insensitive).
fn fuzzy_matches(candidate: &str, query: &str) -> bool {
    let mut candidate = candidate.chars().flat_map(char::to_lowercase);
    query
        .chars()
        .flat_map(char::to_lowercase)
        .all(|wanted| candidate.any(|character| character == wanted))
}

/// The most workspace symbols one query returns.
pub const MAX_WORKSPACE_SYMBOLS: usize = 256;

/// Elements, then views, whose id or display name (title) matches `query`.
pub fn workspace_symbols(project: &ProjectAnalysis, query: &str) -> Vec<WorkspaceSymbol> {
    let model = &project.checked.analysis.model;
    let elements = model
        .elements
        .iter()
        .filter(|element| {
            fuzzy_matches(&element.qualified_id, query) || fuzzy_matches(&element.name, query)
        })
        .map(|element| WorkspaceSymbol {
            name: element.qualified_id.to_string(),
            container: format!("{} \"{}\"", element.kind, element.name),
            category: SymbolCategory::Element,
            span: element.id_span,
        });
    let views = model
        .views
        .iter()
        .filter(|view| fuzzy_matches(&view.id, query) || fuzzy_matches(&view.title, query))
        .map(|view| WorkspaceSymbol {
            name: view.id.to_string(),
            container: format!("view \"{}\"", view.title),
            category: SymbolCategory::View,
            span: view.id_span,
        });
    elements.chain(views).take(MAX_WORKSPACE_SYMBOLS).collect()
}
