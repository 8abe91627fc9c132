//! Go to definition, find references, document highlight and rename, all answered from the
//! model's element declarations (`id_span`) and its `references` (every use of an element id).

use super::ProjectAnalysis;
use super::{FilePosition, Target, element_at, target_at};
use kientruc_dsl::model::ElementId;
use kientruc_dsl::text::{FileId, Span, TextRange};
use kientruc_dsl::workspace::{FRAMEWORK_PREFIX, Origin, normalize};
use std::path::{Path, PathBuf};

/// Where the thing at `position` is declared: an element's id, or the start of an imported file.
pub fn definition(project: &ProjectAnalysis, position: FilePosition) -> Vec<Span> {
    match target_at(project, position) {
        Some(
            Target::ElementDeclaration { element, .. } | Target::ElementReference { element, .. },
        ) => {
            vec![project.checked.analysis.model.element(element).id_span]
        }
        Some(Target::ImportPath { written, .. }) => imported_file(project, position.file, &written)
            .map(|file| Span::new(file, TextRange::empty(0)))
            .into_iter()
            .collect(),
        Some(Target::SelectorIdPattern { pattern, .. }) => {
            let model = &project.checked.analysis.model;
            super::views::elements_matching(project, &pattern)
                .into_iter()
                .map(|element| model.element(element).id_span)
                .collect()
        }
        Some(Target::ViewName { range, .. }) => vec![Span::new(position.file, range)],
        _ => Vec::new(),
    }
}

/// The file an import of `written` in `importer` loaded.
fn imported_file(project: &ProjectAnalysis, importer: FileId, written: &str) -> Option<FileId> {
    let files = &project.checked.analysis.workspace.files;
    let path = if let Some(name) = written.strip_prefix(FRAMEWORK_PREFIX) {
        let framework = project.checked.analysis.workspace.framework.as_ref()?;
        PathBuf::from(format!("{FRAMEWORK_PREFIX}{}/{name}", framework.pack.id))
    } else {
        let importer_path = &files.get(importer).path;
        normalize(importer_path.parent().unwrap_or(Path::new("")), written)
    };
    files.find(&path)
}

/// Every use of `element`, and its declaration first when `include_declaration`.
pub fn element_references(
    project: &ProjectAnalysis,
    element: ElementId,
    include_declaration: bool,
) -> Vec<Span> {
    let model = &project.checked.analysis.model;
    let declaration = include_declaration.then(|| model.element(element).id_span);
    declaration
        .into_iter()
        .chain(
            model
                .references
                .iter()
                .filter(|reference| reference.target == element)
                .map(|reference| reference.span),
        )
        .collect()
}

/// References of the element at `position`.
pub fn references(
    project: &ProjectAnalysis,
    position: FilePosition,
    include_declaration: bool,
) -> Vec<Span> {
    element_at(project, position)
        .map(|(element, _)| element_references(project, element, include_declaration))
        .unwrap_or_default()
}

/// A highlighted occurrence in the current file: its range and whether it is the declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub is_declaration: bool,
}

/// The occurrences, in the cursor's file, of the element at `position`.
pub fn highlights(project: &ProjectAnalysis, position: FilePosition) -> Vec<Highlight> {
    let Some((element, _)) = element_at(project, position) else {
        return Vec::new();
    };
    let declaration = project.checked.analysis.model.element(element).id_span;
    element_references(project, element, true)
        .into_iter()
        .filter(|span| span.file == position.file)
        .map(|span| Highlight {
            range: span.range,
            is_declaration: span == declaration,
        })
        .collect()
}

/// Words that may not be used as element ids (the language's keywords and boolean values).
pub const RESERVED_WORDS: &[&str] = &[
    "architecture",
    "import",
    "waive",
    "as",
    "on",
    "until",
    "via",
    "true",
    "false",
];

/// The part of a use or declaration that names the element's local id (`ndxp` in
/// `national.ndxp`).
fn local_part(project: &ProjectAnalysis, span: Span, local_id: &str) -> TextRange {
    let written = project
        .text(span.file)
        .get(span.range.to_range())
        .unwrap_or_default();
    if written != local_id && written.ends_with(local_id) {
        let end = span.range.end as usize;
        TextRange::new(end - local_id.len(), end)
    } else {
        span.range
    }
}

/// The element at `position` if it may be renamed, and the range of its id there.
pub fn prepare_rename(
    project: &ProjectAnalysis,
    position: FilePosition,
) -> Result<(ElementId, TextRange), String> {
    let (element_id, span) = element_at(project, position)
        .ok_or_else(|| "only element ids can be renamed".to_owned())?;
    let element = project.checked.analysis.model.element(element_id);
    if project.source(element.id_span.file).origin == Origin::Framework {
        return Err(format!(
            "`{}` is declared by the framework pack and cannot be renamed",
            element.qualified_id
        ));
    }
    Ok((element_id, local_part(project, span, &element.local_id)))
}

/// True for a word the grammar accepts as an identifier.
pub fn is_identifier(word: &str) -> bool {
    let mut characters = word.chars().peekable();
    let Some(first) = characters.next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return false;
    }
    while let Some(character) = characters.next() {
        let allowed = character.is_ascii_alphanumeric()
            || character == '_'
            || (character == '-' && characters.peek().is_some_and(|next| *next != '>'));
        if !allowed {
            return false;
        }
    }
    true
}

/// The edits renaming the element at `position` to `new_name`: its declaration and every use
/// (only the last segment of qualified uses). Refuses keywords, malformed names and names
/// already declared in the element's namespace.
pub fn rename(
    project: &ProjectAnalysis,
    position: FilePosition,
    new_name: &str,
) -> Result<Vec<(FileId, TextRange)>, String> {
    let (element_id, _) = prepare_rename(project, position)?;
    if RESERVED_WORDS.contains(&new_name) {
        return Err(format!("`{new_name}` is a keyword of the language"));
    }
    if !is_identifier(new_name) {
        return Err(format!(
            "`{new_name}` is not an identifier (letters, digits, `_` and `-`, starting with a letter or `_`)"
        ));
    }
    let model = &project.checked.analysis.model;
    let element = model.element(element_id);
    let module = project.module_of_file(element.id_span.file);
    if let Some(clash) = model.elements.iter().find(|other| {
        other.id != element_id
            && other.local_id == new_name
            && project.module_of_file(other.id_span.file) == module
    }) {
        let file = &project.source(clash.id_span.file).name;
        return Err(format!("`{new_name}` is already declared (in {file})"));
    }
    Ok(element_references(project, element_id, true)
        .into_iter()
        .map(|span| (span.file, local_part(project, span, &element.local_id)))
        .collect())
}
