//! Which view the editor's preview shows (`kientruc/view`), from the model's declared views: the
//! view asked for by name, else the declared view whose declaration holds the cursor, else the
//! first view the document declares, else the built-in overview. Drawing the view is
//! `kientruc_reports::views`' job, not this module's. Also what the other features need inside a
//! view declaration: a lenient reading of its selectors (for completion, highlighting and go to
//! definition on `id(…)`), and the hover of a view's id (what the view selects).

use super::{FilePosition, ProjectAnalysis};
use kientruc_checker::graph::ModelIndex;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::model::{ElementId, View, ViewGrouping, ViewLayout};
use kientruc_dsl::selector::glob;
use kientruc_dsl::syntax::{Declaration, SelectorText, View as SyntaxView, ViewItem};
use kientruc_dsl::text::{FileId, TextRange};
use std::fmt::Write as _;

/// The view shown when the document declares none and none is asked for.
pub const DEFAULT_VIEW: &str = "overview";

/// The views declared in `file`, in declaration order: each id with its declaration's range
/// (from `view` to the closing brace), from the syntax tree.
pub fn declared_in_file(project: &ProjectAnalysis, file: FileId) -> Vec<(&str, TextRange)> {
    project
        .tree(file)
        .declarations
        .iter()
        .filter_map(|declaration| match declaration {
            Declaration::View(view) => {
                Some((view.id.text.as_str(), view.range.cover(view.body_range)))
            }
            _ => None,
        })
        .collect()
}

/// The id of the view declared in `file` whose declaration holds `offset` (its closing brace
/// included).
pub fn view_at(project: &ProjectAnalysis, file: FileId, offset: usize) -> Option<&str> {
    declared_in_file(project, file)
        .into_iter()
        .find(|(_, range)| range.contains(offset))
        .map(|(id, _)| id)
}

/// The id of the view a preview of `file` shows: `requested` when given, else the view declared
/// under the cursor, else the first view `file` declares, else [`DEFAULT_VIEW`].
pub fn chosen_view(
    project: &ProjectAnalysis,
    file: FileId,
    cursor: Option<usize>,
    requested: Option<&str>,
) -> String {
    if let Some(requested) = requested {
        return requested.to_owned();
    }
    cursor
        .and_then(|offset| view_at(project, file, offset))
        .or_else(|| declared_in_file(project, file).first().map(|(id, _)| *id))
        .unwrap_or(DEFAULT_VIEW)
        .to_owned()
}

/// What a token of a selector is (the selector language of `dsl/src/selector.pest`, read
/// leniently: the text being typed rarely parses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectorTokenKind {
    /// A word: a function, keyword, property, value or id pattern.
    Word,
    /// A `"string"` (possibly unterminated).
    String,
    /// An integer or a date.
    Number,
    Open,
    Close,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelectorToken {
    pub kind: SelectorTokenKind,
    /// In the file.
    pub range: TextRange,
}

/// The functions of the selector language, with what they take.
pub const SELECTOR_FUNCTIONS: &[(&str, &str)] = &[
    ("kind", "elements of these kinds"),
    ("layer", "elements in these layers"),
    ("tag", "elements with one of these tags"),
    (
        "id",
        "elements whose id matches one of these patterns (`*`: any characters)",
    ),
    ("has", "elements that set these properties"),
    ("parent", "elements whose parent the selector picks"),
    ("child", "elements with a child the selector picks"),
    ("ancestor", "elements with an ancestor the selector picks"),
];

/// The words of the selector language that are not functions.
pub const SELECTOR_KEYWORDS: &[&str] = &["and", "or", "not", "in", "workspace", "imported"];

fn is_selector_word_character(character: char) -> bool {
    character.is_ascii_alphanumeric() || matches!(character, '_' | '-' | '.' | '*')
}

/// The tokens of the selector `text`, which starts at byte `base` of its file.
pub fn selector_tokens(text: &str, base: usize) -> Vec<SelectorToken> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let start = index;
        let character = bytes[index];
        let kind = match character {
            b'"' => {
                index += 1;
                while index < bytes.len() && bytes[index] != b'"' {
                    index += 1;
                }
                index = (index + 1).min(bytes.len());
                SelectorTokenKind::String
            }
            b'(' => {
                index += 1;
                SelectorTokenKind::Open
            }
            b')' => {
                index += 1;
                SelectorTokenKind::Close
            }
            _ if character.is_ascii_alphabetic() || character == b'_' => {
                while index < bytes.len() && is_selector_word_character(char::from(bytes[index])) {
                    index += 1;
                }
                SelectorTokenKind::Word
            }
            _ if character.is_ascii_digit()
                || (character == b'-' && bytes.get(index + 1).is_some_and(u8::is_ascii_digit)) =>
            {
                index += 1;
                while index < bytes.len() && (bytes[index].is_ascii_digit() || bytes[index] == b'-')
                {
                    index += 1;
                }
                SelectorTokenKind::Number
            }
            _ if character.is_ascii_whitespace() => {
                index += 1;
                continue;
            }
            _ => {
                // One character (a multi-byte one whole), or `->`.
                index += if text[index..].starts_with("->") {
                    2
                } else {
                    text[index..].chars().next().map_or(1, char::len_utf8)
                };
                SelectorTokenKind::Other
            }
        };
        tokens.push(SelectorToken {
            kind,
            range: TextRange::new(base + start, base + index),
        });
    }
    tokens
}

/// For each token of the selector `text` (which starts at byte `base` of its file), the function
/// whose parentheses hold it (innermost), if any.
pub fn enclosing_functions<'a>(
    text: &'a str,
    base: usize,
    tokens: &[SelectorToken],
) -> Vec<Option<&'a str>> {
    let text_of = |token: &SelectorToken| {
        let range = token.range.to_range();
        &text[range.start - base..range.end - base]
    };
    let mut stack: Vec<Option<&str>> = Vec::new();
    let mut enclosing = Vec::with_capacity(tokens.len());
    for (index, token) in tokens.iter().enumerate() {
        match token.kind {
            SelectorTokenKind::Open => {
                enclosing.push(stack.last().copied().flatten());
                let function = index
                    .checked_sub(1)
                    .map(|previous| &tokens[previous])
                    .filter(|previous| previous.kind == SelectorTokenKind::Word)
                    .map(text_of);
                stack.push(function);
            }
            SelectorTokenKind::Close => {
                stack.pop();
                enclosing.push(stack.last().copied().flatten());
            }
            _ => enclosing.push(stack.last().copied().flatten()),
        }
    }
    enclosing
}

/// The syntax of the view declared in `file` around `offset`.
pub fn syntax_view_at(
    project: &ProjectAnalysis,
    file: FileId,
    offset: usize,
) -> Option<&SyntaxView> {
    project
        .tree(file)
        .declarations
        .iter()
        .find_map(|declaration| match declaration {
            Declaration::View(view) if view.range.cover(view.body_range).contains(offset) => {
                Some(view)
            }
            _ => None,
        })
}

/// The selectors of a view's statements (each `include`/`exclude` line's one or two).
pub fn selectors(view: &SyntaxView) -> impl Iterator<Item = &SelectorText> {
    view.items
        .iter()
        .filter_map(|item| match item {
            ViewItem::Statement(statement) => Some(statement),
            _ => None,
        })
        .flat_map(|statement| std::iter::once(&statement.selector).chain(&statement.target))
}

/// A word of a view's selector under the cursor, with the function whose parentheses hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorWord<'a> {
    /// `kind`, `id`, … (`None` outside any function's parentheses).
    pub function: Option<&'a str>,
    /// The word, or a string's contents.
    pub text: String,
    /// The word or the string, quotes included.
    pub range: TextRange,
}

/// The word or string under the cursor in a view's selector.
pub fn selector_word_at(
    project: &ProjectAnalysis,
    position: FilePosition,
) -> Option<SelectorWord<'_>> {
    let view = syntax_view_at(project, position.file, position.offset)?;
    let selector = selectors(view).find(|selector| selector.range.contains(position.offset))?;
    let base = selector.range.start as usize;
    let tokens = selector_tokens(&selector.text, base);
    let enclosing = enclosing_functions(&selector.text, base, &tokens);
    tokens.iter().zip(enclosing).find_map(|(token, function)| {
        let range = token.range;
        if !range.contains(position.offset) {
            return None;
        }
        let written = &selector.text[range.start as usize - base..range.end as usize - base];
        let text = match token.kind {
            SelectorTokenKind::Word => written,
            SelectorTokenKind::String => written.trim_start_matches('"').trim_end_matches('"'),
            _ => return None,
        };
        Some(SelectorWord {
            function,
            text: text.to_owned(),
            range,
        })
    })
}

/// The most places an `id(…)` pattern's definition lists.
pub const MAX_PATTERN_DEFINITIONS: usize = 64;

/// The elements an `id(…)` pattern names (by qualified or local id), the first
/// [`MAX_PATTERN_DEFINITIONS`].
pub fn elements_matching(project: &ProjectAnalysis, pattern: &str) -> Vec<ElementId> {
    project
        .checked
        .analysis
        .model
        .elements
        .iter()
        .filter(|element| glob(pattern, &element.qualified_id) || glob(pattern, &element.local_id))
        .take(MAX_PATTERN_DEFINITIONS)
        .map(|element| element.id)
        .collect()
}

/// The view `id` as the model resolved it from its declaration in `file`.
pub fn declared_view<'a>(project: &'a ProjectAnalysis, file: FileId, id: &str) -> Option<&'a View> {
    project
        .checked
        .analysis
        .model
        .views
        .iter()
        .find(|view| view.id == id && view.id_span.file == file)
}

/// The hover of a declared view: its titles and descriptions, and what it selects.
pub fn view_markdown(project: &ProjectAnalysis, view: &View) -> String {
    let checked = &project.checked;
    let graph = ModelIndex::build(&checked.analysis.model, checked.boundary.clone());
    let selection = kientruc_checker::views::select(&graph, view);
    let english = project.language == Language::En;
    let mut markdown = format!("**{}** — view `{}`", view.title_in(english), view.id);
    if let Some(other) = view.title_en.as_deref().filter(|_| !english) {
        let _ = write!(markdown, " · {other}");
    }
    if let Some(description) = view.description_in(english) {
        let _ = write!(markdown, "\n\n{description}");
    }
    let elements = selection.elements.len();
    let _ = write!(
        markdown,
        "\n\nselects {elements} element{}",
        if elements == 1 { "" } else { "s" }
    );
    if let Some(relations) = &selection.relations {
        let count = relations.len();
        let _ = write!(
            markdown,
            " and {count} relation{}",
            if count == 1 { "" } else { "s" }
        );
    }
    let _ = write!(
        markdown,
        " · layout `{}` · grouped by `{}`",
        layout_word(view.layout),
        grouping_word(view.group_by)
    );
    markdown
}

fn layout_word(layout: ViewLayout) -> &'static str {
    match layout {
        ViewLayout::Bands => "bands",
        ViewLayout::TopDown => "top-down",
    }
}

fn grouping_word(grouping: ViewGrouping) -> &'static str {
    match grouping {
        ViewGrouping::Kind => "kind",
        ViewGrouping::Layer => "layer",
        ViewGrouping::Owner => "owner",
    }
}
