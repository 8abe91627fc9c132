//! Completion from the framework's vocabulary: keywords; element kinds where a declaration may
//! start; property names of the enclosing element's kind and relation types allowed from it at
//! the start of a body line; enum values after a property name; element ids (with `alias.`
//! qualified ids of imported models) where a reference is expected; rule ids after `waive`; in a
//! `view`'s body, its keywords and the selector language (functions, kinds, layers, ids).
//!
//! The text being typed rarely parses, so the context comes from a small scan of the text
//! before the cursor (open blocks and the current statement's words), not from the tree.

use super::FilePosition;
use super::ProjectAnalysis;
use kientruc_dsl::metamodel::{Metamodel, ValueType};
use kientruc_dsl::text::{TextRange, floor_char_boundary};

/// What a completion item is, for the client's icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionCategory {
    Keyword,
    ElementKind,
    RelationType,
    Property,
    EnumValue,
    Element,
    Rule,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub category: CompletionCategory,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    /// What to insert when it differs from the label.
    pub insert_text: Option<String>,
    /// Items of a lower group are listed first.
    pub sort_group: u8,
}

/// The items, and the range the chosen item replaces (the word before the cursor, dots
/// included, so `national.nd` is replaced whole).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completions {
    pub replace: TextRange,
    pub items: Vec<Completion>,
}

const TOP_LEVEL_KEYWORDS: &[&str] = &["architecture", "import", "waive"];

/// Properties every architecture header accepts besides the metamodel's.
const HEADER_PROPERTIES: &[&str] = &["framework", "version", "as_of"];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    /// A string, number or date.
    Literal,
    Arrow,
    OpenBracket,
    CloseBracket,
    Comma,
}

/// The open blocks and the current statement before the cursor.
#[derive(Debug, Default)]
struct Context {
    /// For each open `{`, the words of the statement that opened it (innermost last).
    open_blocks: Vec<Vec<Token>>,
    statement: Vec<Token>,
    previous_statement: Vec<Token>,
    open_brackets: usize,
    inside_string_or_comment: bool,
}

fn is_word_character(character: char) -> bool {
    character.is_ascii_alphanumeric() || matches!(character, '_' | '-' | '.')
}

fn scan(text: &str) -> Context {
    let mut context = Context::default();
    let characters: Vec<(usize, char)> = text.char_indices().collect();
    let mut index = 0;
    let end_statement = |context: &mut Context| {
        if !context.statement.is_empty() {
            context.previous_statement = std::mem::take(&mut context.statement);
        }
    };
    while index < characters.len() {
        let (_, character) = characters[index];
        let next = characters.get(index + 1).map(|(_, next)| *next);
        match character {
            '/' if next == Some('/') => {
                while index < characters.len() && characters[index].1 != '\n' {
                    index += 1;
                }
                if index == characters.len() {
                    context.inside_string_or_comment = true;
                }
                continue;
            }
            '"' => {
                index += 1;
                while index < characters.len() && !matches!(characters[index].1, '"' | '\n') {
                    if characters[index].1 == '\\' {
                        index += 1;
                    }
                    index += 1;
                }
                if index >= characters.len() {
                    context.inside_string_or_comment = true;
                }
                context.statement.push(Token::Literal);
            }
            '\n' if context.open_brackets == 0 => end_statement(&mut context),
            '{' => {
                let head = if context.statement.is_empty() {
                    std::mem::take(&mut context.previous_statement)
                } else {
                    std::mem::take(&mut context.statement)
                };
                context.open_blocks.push(head);
                context.previous_statement.clear();
                context.open_brackets = 0;
            }
            '}' => {
                context.open_blocks.pop();
                context.statement.clear();
                context.previous_statement.clear();
                context.open_brackets = 0;
            }
            '[' => {
                context.open_brackets += 1;
                context.statement.push(Token::OpenBracket);
            }
            ']' => {
                context.open_brackets = context.open_brackets.saturating_sub(1);
                context.statement.push(Token::CloseBracket);
            }
            ',' => context.statement.push(Token::Comma),
            '-' if next == Some('>') => {
                context.statement.push(Token::Arrow);
                index += 1;
            }
            _ if character.is_ascii_alphabetic() || character == '_' => {
                let start = characters[index].0;
                while index + 1 < characters.len() {
                    let (_, following) = characters[index + 1];
                    let arrow_follows = following == '-'
                        && characters
                            .get(index + 2)
                            .is_some_and(|(_, after)| *after == '>');
                    if !is_word_character(following) || arrow_follows {
                        break;
                    }
                    index += 1;
                }
                let end = characters[index].0 + characters[index].1.len_utf8();
                context
                    .statement
                    .push(Token::Word(text[start..end].to_owned()));
            }
            _ if character.is_ascii_digit() || character == '-' => {
                while index + 1 < characters.len() && is_word_character(characters[index + 1].1) {
                    index += 1;
                }
                context.statement.push(Token::Literal);
            }
            _ => {}
        }
        index += 1;
    }
    context
}

fn word(token: &Token) -> Option<&str> {
    match token {
        Token::Word(word) => Some(word),
        _ => None,
    }
}

/// The completions at `position`.
pub fn completions(project: &ProjectAnalysis, position: FilePosition) -> Completions {
    let text = project.text(position.file);
    let offset = floor_char_boundary(text, position.offset.min(text.len()));
    let word_start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, character)| is_word_character(*character))
        .last()
        .map_or(offset, |(index, _)| index);
    let replace = TextRange::new(word_start, offset);
    if let Some(items) = in_view(project, text, word_start) {
        return Completions { replace, items };
    }
    let context = scan(&text[..word_start]);
    if context.inside_string_or_comment {
        return Completions {
            replace,
            items: Vec::new(),
        };
    }
    let metamodel = project.metamodel();
    let items = match context.open_blocks.last() {
        None => top_level(project, metamodel, &context.statement),
        Some(head) => in_block(project, metamodel, head, &context.statement),
    };
    Completions { replace, items }
}

/// What may start a line in a view's body.
const VIEW_LINE_KEYWORDS: &[(&str, &str)] = &[
    ("include", "include "),
    ("exclude", "exclude "),
    ("layout", "layout "),
    ("group", "group by "),
    ("title_en", "title_en "),
    ("description", "description "),
    ("description_en", "description_en "),
];

/// Completion in the body of a `view` (`None` when the cursor is not in one): the keywords at
/// the start of a line, the words of `layout` and `group by`, and the selector language after
/// `include` and `exclude`.
fn in_view(project: &ProjectAnalysis, text: &str, word_start: usize) -> Option<Vec<Completion>> {
    let line_start = text[..word_start].rfind('\n').map_or(0, |at| at + 1);
    let before_line = scan(&text[..line_start]);
    let [head] = before_line.open_blocks.as_slice() else {
        return None;
    };
    if head.first().and_then(word) != Some("view") || before_line.inside_string_or_comment {
        return None;
    }
    let line = &text[line_start..word_start];
    let trimmed = line.trim_start();
    if trimmed.contains("//") || trimmed.contains('}') {
        return Some(Vec::new());
    }
    let keyword_start = line_start + (line.len() - trimmed.len());
    let first = trimmed.split_whitespace().next().unwrap_or_default();
    let rest: Vec<&str> = trimmed.split_whitespace().skip(1).collect();
    let typed_past_first = trimmed.len() > first.len();
    Some(match (first, typed_past_first, rest.as_slice()) {
        ("", _, _) => VIEW_LINE_KEYWORDS
            .iter()
            .map(|(label, insert)| Completion {
                insert_text: Some((*insert).to_owned()),
                ..keyword(label)
            })
            .collect(),
        ("include" | "exclude", true, _) => {
            selector_completions(project, text, keyword_start + first.len(), word_start)
        }
        ("layout", true, []) => ["bands", "top-down"]
            .iter()
            .map(|label| keyword(label))
            .collect(),
        ("group", true, []) => vec![keyword("by")],
        ("group", true, ["by"]) => ["kind", "layer", "owner"]
            .iter()
            .map(|label| keyword(label))
            .collect(),
        _ => Vec::new(),
    })
}

/// Completion in a selector written from `start` to the word being typed at `word_start`: the
/// functions and keywords where a selector may go on, kinds in `kind(`, layers in `layer(`,
/// property names in `has(`, the model's tags in `tag(`, element ids in `id(` (as words or inside
/// a string).
fn selector_completions(
    project: &ProjectAnalysis,
    text: &str,
    start: usize,
    word_start: usize,
) -> Vec<Completion> {
    use super::views::{SELECTOR_FUNCTIONS, SELECTOR_KEYWORDS, SelectorTokenKind, selector_tokens};
    let written = &text[start..word_start];
    let tokens = selector_tokens(written, start);
    let mut functions: Vec<Option<&str>> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        match token.kind {
            SelectorTokenKind::Open => functions.push(
                index
                    .checked_sub(1)
                    .map(|previous| tokens[previous])
                    .filter(|previous| previous.kind == SelectorTokenKind::Word)
                    .map(|previous| &text[previous.range.to_range()]),
            ),
            SelectorTokenKind::Close => {
                functions.pop();
            }
            SelectorTokenKind::Other if &text[token.range.to_range()] == "->" => functions.clear(),
            _ => {}
        }
    }
    let function = functions.last().copied().flatten();
    let inside_string = tokens.last().is_some_and(|token| {
        let written = &text[token.range.to_range()];
        token.kind == SelectorTokenKind::String
            && token.range.end as usize == word_start
            && (written.len() == 1 || !written.ends_with('"'))
    });
    let metamodel = project.metamodel();
    match (function, inside_string) {
        (Some("id"), _) => element_ids(project, None),
        (_, true) => Vec::new(),
        (Some("kind"), false) => metamodel
            .map(|metamodel| element_kinds(metamodel, None))
            .unwrap_or_default(),
        (Some("layer"), false) => metamodel
            .map(|metamodel| {
                metamodel
                    .layers
                    .iter()
                    .map(|layer| Completion {
                        label: layer.id.clone(),
                        category: CompletionCategory::EnumValue,
                        detail: Some(format!("{} · {}", layer.name.vi, layer.name.en)),
                        documentation: None,
                        insert_text: None,
                        sort_group: 0,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        (Some("has"), false) => metamodel
            .map(|metamodel| {
                metamodel
                    .properties
                    .keys()
                    .map(|name| property_item(metamodel, name, false))
                    .collect()
            })
            .unwrap_or_default(),
        (Some("tag"), false) => {
            let tags: std::collections::BTreeSet<&str> = project
                .checked
                .analysis
                .model
                .elements
                .iter()
                .flat_map(|element| {
                    element
                        .tags
                        .iter()
                        .map(kientruc_dsl::syntax::CompactString::as_str)
                })
                .collect();
            tags.into_iter()
                .map(|tag| Completion {
                    category: CompletionCategory::EnumValue,
                    detail: Some("a tag the model uses".to_owned()),
                    ..keyword(tag)
                })
                .collect()
        }
        (_, false) => {
            let mut items: Vec<Completion> = SELECTOR_FUNCTIONS
                .iter()
                .map(|(name, description)| Completion {
                    label: (*name).to_owned(),
                    category: CompletionCategory::Keyword,
                    detail: Some((*description).to_owned()),
                    documentation: None,
                    insert_text: Some(format!("{name}(")),
                    sort_group: 0,
                })
                .collect();
            items.extend(SELECTOR_KEYWORDS.iter().map(|label| Completion {
                sort_group: 1,
                ..keyword(label)
            }));
            items
        }
    }
}

fn keyword(label: &str) -> Completion {
    Completion {
        label: label.to_owned(),
        category: CompletionCategory::Keyword,
        detail: None,
        documentation: None,
        insert_text: None,
        sort_group: 0,
    }
}

fn top_level(
    project: &ProjectAnalysis,
    metamodel: Option<&Metamodel>,
    statement: &[Token],
) -> Vec<Completion> {
    let words: Vec<Option<&str>> = statement.iter().map(word).collect();
    match words.as_slice() {
        [] => {
            let mut items: Vec<Completion> = TOP_LEVEL_KEYWORDS
                .iter()
                .map(|label| keyword(label))
                .collect();
            if let Some(metamodel) = metamodel {
                items.extend(element_kinds(metamodel, None));
                items.extend(relation_types(metamodel, None, false));
            }
            items
        }
        [Some("waive")] => rule_ids(project),
        [Some("waive"), Some(_)] => vec![keyword("on")],
        [Some("waive"), Some(_), Some("on")] => waiver_targets(project),
        [Some("waive"), Some(_), Some("on"), Some(_)] => vec![keyword("until")],
        [Some("import"), None] => vec![keyword("as")],
        [Some(relation_type)] => {
            match metamodel.and_then(|metamodel| metamodel.relation(relation_type)) {
                Some(relation) => element_ids(project, relation.from.as_deref()),
                None => Vec::new(),
            }
        }
        _ => reference_position(project, metamodel, statement),
    }
}

/// Element ids after `->` (targets of the statement's relation type) or in a `via` list.
fn reference_position(
    project: &ProjectAnalysis,
    metamodel: Option<&Metamodel>,
    statement: &[Token],
) -> Vec<Completion> {
    match statement.last() {
        Some(Token::Arrow) => {
            let relation = statement
                .first()
                .and_then(word)
                .and_then(|relation_type| metamodel?.relation(relation_type));
            element_ids(
                project,
                relation.and_then(|relation| relation.to.as_deref()),
            )
        }
        Some(Token::Word(last)) if last == "via" => element_ids(project, None),
        Some(Token::Comma) if statement.iter().any(|token| word(token) == Some("via")) => {
            element_ids(project, None)
        }
        _ => Vec::new(),
    }
}

/// What owns the block a head opened.
enum BlockOwner<'a> {
    Header,
    Element(&'a str),
    Relation(&'a str),
}

fn in_block(
    project: &ProjectAnalysis,
    metamodel: Option<&Metamodel>,
    head: &[Token],
    statement: &[Token],
) -> Vec<Completion> {
    let Some(metamodel) = metamodel else {
        return Vec::new();
    };
    let owner = match head.first().and_then(word) {
        Some("architecture") => BlockOwner::Header,
        Some(first) if head.contains(&Token::Arrow) => BlockOwner::Relation(first),
        Some(first) => BlockOwner::Element(first),
        None => return Vec::new(),
    };
    match statement {
        [] => line_start_in_block(metamodel, &owner),
        [Token::Word(property)] => property_values(project, metamodel, property, false),
        [Token::Word(property), Token::OpenBracket, rest @ ..]
            if !rest.contains(&Token::CloseBracket)
                && matches!(rest.last(), None | Some(Token::Comma)) =>
        {
            property_values(project, metamodel, property, true)
        }
        _ => reference_position(project, Some(metamodel), statement),
    }
}

fn line_start_in_block(metamodel: &Metamodel, owner: &BlockOwner) -> Vec<Completion> {
    match owner {
        BlockOwner::Header => {
            let mut items: Vec<Completion> = HEADER_PROPERTIES
                .iter()
                .map(|name| property_item(metamodel, name, false))
                .collect();
            items.extend(metamodel.header.properties.iter().map(|name| {
                property_item(metamodel, name, metamodel.header.required.contains(name))
            }));
            items
        }
        BlockOwner::Element(kind_id) => {
            let Some(kind) = metamodel.kind(kind_id) else {
                return Vec::new();
            };
            let mut items: Vec<Completion> = kind
                .properties
                .iter()
                .map(|name| property_item(metamodel, name, kind.required.contains(name)))
                .collect();
            items.push(property_item(metamodel, "tags", false));
            items.extend(relation_types(metamodel, Some(kind_id), true));
            items.extend(element_kinds(metamodel, Some(kind_id)));
            items
        }
        BlockOwner::Relation(relation_type) => metamodel
            .relation(relation_type)
            .map(|relation| {
                relation
                    .properties
                    .iter()
                    .map(|name| property_item(metamodel, name, relation.required.contains(name)))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn property_item(metamodel: &Metamodel, name: &str, required: bool) -> Completion {
    let described = match name {
        "tags" => Some("a list of words".to_owned()),
        _ => metamodel
            .property(name)
            .map(|property| property.value_type.describe()),
    };
    Completion {
        label: name.to_owned(),
        category: CompletionCategory::Property,
        detail: described.map(|text| {
            if required {
                format!("{text} (required)")
            } else {
                text
            }
        }),
        documentation: metamodel
            .property(name)
            .map(|property| property.description.clone())
            .filter(|description| !description.is_empty()),
        insert_text: None,
        sort_group: u8::from(!required),
    }
}

/// Kinds that may be declared here: anywhere at the top level, or nested in `parent_kind`.
fn element_kinds(metamodel: &Metamodel, parent_kind: Option<&str>) -> Vec<Completion> {
    metamodel
        .kinds
        .values()
        .filter(|kind| match (parent_kind, &kind.nested_in) {
            (None, _) | (Some(_), None) => true,
            (Some(parent), Some(allowed)) => allowed.iter().any(|allowed| allowed == parent),
        })
        .map(|kind| Completion {
            label: kind.id.clone(),
            category: CompletionCategory::ElementKind,
            detail: Some(format!("{} · {}", kind.name.vi, kind.name.en)),
            documentation: (!kind.description.is_empty()).then(|| kind.description.clone()),
            insert_text: None,
            sort_group: 3,
        })
        .collect()
}

/// Relation types whose source may be `source_kind` (any, at the top level). Inside a body the
/// arrow is inserted too.
fn relation_types(
    metamodel: &Metamodel,
    source_kind: Option<&str>,
    with_arrow: bool,
) -> Vec<Completion> {
    let kinds = |set: &Option<Vec<String>>| {
        set.as_ref()
            .map_or_else(|| "any".to_owned(), |kinds| kinds.join(", "))
    };
    metamodel
        .relations
        .values()
        .filter(|relation| {
            source_kind.is_none_or(|kind| {
                relation
                    .from
                    .as_ref()
                    .is_none_or(|from| from.iter().any(|allowed| allowed == kind || allowed == "*"))
            })
        })
        .map(|relation| Completion {
            label: relation.id.clone(),
            category: CompletionCategory::RelationType,
            detail: Some(format!(
                "{} · {} ({} → {})",
                relation.name.vi,
                relation.name.en,
                kinds(&relation.from),
                kinds(&relation.to)
            )),
            documentation: (!relation.description.is_empty()).then(|| relation.description.clone()),
            insert_text: with_arrow.then(|| format!("{} -> ", relation.id)),
            sort_group: 2,
        })
        .collect()
}

/// Values of a property: enum values, booleans, or element ids of the referenced kinds.
fn property_values(
    project: &ProjectAnalysis,
    metamodel: &Metamodel,
    property: &str,
    inside_list: bool,
) -> Vec<Completion> {
    let Some(definition) = metamodel.property(property) else {
        return Vec::new();
    };
    let mut value_type = &definition.value_type;
    if let ValueType::List { item } = value_type {
        if !inside_list {
            return Vec::new();
        }
        value_type = item;
    }
    match value_type {
        ValueType::Enum { values } => values
            .iter()
            .map(|value| Completion {
                label: value.clone(),
                category: CompletionCategory::EnumValue,
                detail: Some(format!("{property}: {}", definition.value_type.describe())),
                documentation: None,
                insert_text: None,
                sort_group: 0,
            })
            .collect(),
        ValueType::Boolean => ["true", "false"]
            .iter()
            .map(|label| keyword(label))
            .collect(),
        ValueType::Reference { kinds } => element_ids(project, Some(kinds)),
        _ => Vec::new(),
    }
}

/// The ids that resolve from the workspace: its own elements, and `alias.id` for the elements
/// of every imported model; only elements of `kinds` when given (empty or `*`: any kind).
/// What a waiver can name after `on`: an element, or the architecture's id (for findings on the
/// whole model, reported on the header).
fn waiver_targets(project: &ProjectAnalysis) -> Vec<Completion> {
    let mut items = element_ids(project, None);
    if let Some(header) = &project.checked.analysis.model.header {
        items.push(Completion {
            label: header.id.clone(),
            category: CompletionCategory::Element,
            detail: Some(format!("architecture · {}", header.name)),
            documentation: Some(
                "Waives the rule's findings on the whole model (reported on the header)."
                    .to_owned(),
            ),
            insert_text: None,
            sort_group: 2,
        });
    }
    items
}

fn element_ids(project: &ProjectAnalysis, kinds: Option<&[String]>) -> Vec<Completion> {
    let workspace = &project.checked.analysis.workspace;
    let model = &project.checked.analysis.model;
    let accepts = |kind: &str| {
        kinds.is_none_or(|kinds| {
            kinds.is_empty()
                || kinds
                    .iter()
                    .any(|allowed| allowed == kind || allowed == "*")
        })
    };
    let Some(workspace_module) = workspace.modules.first() else {
        return Vec::new();
    };
    let mut items = Vec::new();
    let mut add = |label: String, element: &kientruc_dsl::model::Element, sort_group| {
        items.push(Completion {
            label,
            category: CompletionCategory::Element,
            detail: Some(format!("{} · {}", element.kind, element.name)),
            documentation: element.doc.clone(),
            insert_text: None,
            sort_group,
        });
    };
    for element in &model.elements {
        if !accepts(&element.kind) {
            continue;
        }
        let module = project.module_of_file(element.id_span.file);
        if module == Some(0) {
            add(element.local_id.to_string(), element, 0);
        }
        for (alias, (target_module, _)) in &workspace_module.aliases {
            if module == Some(*target_module) {
                add(format!("{alias}.{}", element.local_id), element, 1);
            }
        }
    }
    items
}

fn rule_ids(project: &ProjectAnalysis) -> Vec<Completion> {
    project
        .checked
        .pack
        .rules
        .iter()
        .map(|rule| Completion {
            label: rule.id.clone(),
            category: CompletionCategory::Rule,
            detail: Some(rule.title.get(project.language).to_owned()),
            documentation: Some(format!(
                "{}\n\nfix: {}",
                project.checked.citation_text(rule, project.language),
                rule.fix.get(project.language)
            )),
            insert_text: None,
            sort_group: 0,
        })
        .collect()
}
