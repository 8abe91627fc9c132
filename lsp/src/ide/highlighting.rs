//! Semantic tokens (kinds, element ids, properties, enum values, relation types, rule ids,
//! literals, comments and keywords, from the syntax tree and the model's references; in views,
//! the selectors' functions, keywords, kinds, ids and values) and folding
//! ranges (multi-line bodies and runs of comment lines).

use super::ProjectAnalysis;
use super::views::{self, SelectorTokenKind};
use kientruc_dsl::syntax::{
    Block, CommentKind, Declaration, Element, Entry, Name, Relation, SelectorText, Value,
    ValueKind, View, ViewItem,
};
use kientruc_dsl::text::{FileId, TextRange};
use std::collections::HashMap;

/// Token types, in the order of the legend the server announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HighlightKind {
    Keyword = 0,
    Kind,
    Element,
    Property,
    EnumValue,
    RelationType,
    String,
    Number,
    Comment,
    Namespace,
    Rule,
}

/// Modifier bits, in the order of the legend.
pub const MODIFIER_DECLARATION: u32 = 1;
pub const MODIFIER_DOCUMENTATION: u32 = 1 << 1;
/// An element of an imported framework model (the national reference model).
pub const MODIFIER_FRAMEWORK: u32 = 1 << 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HighlightToken {
    pub range: TextRange,
    pub kind: HighlightKind,
    pub modifiers: u32,
}

struct Collector<'a> {
    text: &'a str,
    /// Resolved uses of element ids in this file, and whether the element is a workspace one.
    references: HashMap<TextRange, bool>,
    tokens: Vec<HighlightToken>,
}

impl Collector<'_> {
    fn push(&mut self, range: TextRange, kind: HighlightKind, modifiers: u32) {
        if !range.is_empty() {
            self.tokens.push(HighlightToken {
                range,
                kind,
                modifiers,
            });
        }
    }

    fn element_name(&mut self, name: &Name) {
        let modifiers = match self.references.get(&name.range) {
            Some(false) => MODIFIER_FRAMEWORK,
            _ => 0,
        };
        self.push(name.range, HighlightKind::Element, modifiers);
    }

    /// A keyword searched for in the text between two positions.
    fn keyword_between(&mut self, keyword: &str, from: u32, to: u32) {
        let Some(between) = self.text.get(from as usize..to as usize) else {
            return;
        };
        if let Some(at) = between.find(keyword) {
            let start = from as usize + at;
            self.push(
                TextRange::new(start, start + keyword.len()),
                HighlightKind::Keyword,
                0,
            );
        }
    }

    fn value(&mut self, value: &Value) {
        match &value.kind {
            ValueKind::String(_) => self.push(value.range, HighlightKind::String, 0),
            ValueKind::Integer(_) | ValueKind::Date(_) => {
                self.push(value.range, HighlightKind::Number, 0);
            }
            ValueKind::Path(name) if self.references.contains_key(&name.range) => {
                self.element_name(name);
            }
            ValueKind::Path(name) => self.push(name.range, HighlightKind::EnumValue, 0),
            ValueKind::List(items) => items.iter().for_each(|item| self.value(item)),
        }
    }

    fn block(&mut self, block: &Block) {
        for entry in &block.entries {
            match entry {
                Entry::Property(property) => {
                    self.push(property.name.range, HighlightKind::Property, 0);
                    self.value(&property.value);
                }
                Entry::Relation(relation) => self.relation(relation),
                Entry::Element(element) => self.element(element),
            }
        }
    }

    fn element(&mut self, element: &Element) {
        self.push(element.kind.range, HighlightKind::Kind, 0);
        self.push(
            element.id.range,
            HighlightKind::Element,
            MODIFIER_DECLARATION,
        );
        self.push(element.name.range, HighlightKind::String, 0);
        if let Some(body) = &element.body {
            self.block(body);
        }
    }

    /// A view: `view`, its id and title, the keywords of its lines, and its selectors' words.
    fn view(&mut self, view: &View) {
        // The last `view` before the id (a doc comment above may say "view" too).
        let head = self
            .text
            .get(view.range.start as usize..view.id.range.start as usize)
            .and_then(|head| head.rfind("view"));
        if let Some(at) = head {
            let start = view.range.start as usize + at;
            self.push(
                TextRange::new(start, start + "view".len()),
                HighlightKind::Keyword,
                0,
            );
        }
        self.push(
            view.id.range,
            HighlightKind::Namespace,
            MODIFIER_DECLARATION,
        );
        self.push(view.title.range, HighlightKind::String, 0);
        for item in &view.items {
            match item {
                ViewItem::Statement(statement) => {
                    self.push(statement.keyword, HighlightKind::Keyword, 0);
                    self.selector(&statement.selector);
                    if let Some(target) = &statement.target {
                        self.selector(target);
                    }
                }
                ViewItem::GroupBy { word, range } => {
                    self.keyword_between("group", range.start, word.range.start);
                    self.keyword_between("by", range.start + 5, word.range.start);
                    self.push(word.range, HighlightKind::EnumValue, 0);
                }
                ViewItem::Property(property) => {
                    self.push(property.name.range, HighlightKind::Property, 0);
                    self.value(&property.value);
                }
            }
        }
    }

    /// A selector's words: functions, keywords, kinds, element ids, properties and values.
    fn selector(&mut self, selector: &SelectorText) {
        let base = selector.range.start as usize;
        let tokens = views::selector_tokens(&selector.text, base);
        let functions = views::enclosing_functions(&selector.text, base, &tokens);
        for (index, (token, function)) in tokens.iter().zip(functions).enumerate() {
            let next = tokens.get(index + 1).map(|next| next.kind);
            let kind = match token.kind {
                SelectorTokenKind::String => HighlightKind::String,
                SelectorTokenKind::Number => HighlightKind::Number,
                SelectorTokenKind::Word => {
                    let word = self.text.get(token.range.to_range()).unwrap_or_default();
                    if next == Some(SelectorTokenKind::Open)
                        && views::SELECTOR_FUNCTIONS
                            .iter()
                            .any(|(name, _)| *name == word)
                    {
                        HighlightKind::RelationType
                    } else if views::SELECTOR_KEYWORDS.contains(&word) {
                        HighlightKind::Keyword
                    } else {
                        match function {
                            Some("kind") => HighlightKind::Kind,
                            Some("id") => HighlightKind::Element,
                            Some("has") => HighlightKind::Property,
                            // A property compared (`status != retiring`, `level in [..]`).
                            None if next == Some(SelectorTokenKind::Other)
                                || tokens.get(index + 1).is_some_and(|next| {
                                    self.text.get(next.range.to_range()) == Some("in")
                                }) =>
                            {
                                HighlightKind::Property
                            }
                            // Layers, tags, values.
                            _ => HighlightKind::EnumValue,
                        }
                    }
                }
                _ => continue,
            };
            self.push(token.range, kind, 0);
        }
    }

    fn relation(&mut self, relation: &Relation) {
        self.push(relation.relation_type.range, HighlightKind::RelationType, 0);
        if let Some(source) = &relation.source {
            self.element_name(source);
        }
        self.element_name(&relation.target);
        if let Some(label) = &relation.label {
            self.push(label.range, HighlightKind::String, 0);
        }
        if let Some(first) = relation.via.first() {
            let after = relation
                .label
                .as_ref()
                .map_or(relation.target.range.end, |label| label.range.end);
            self.keyword_between("via", after, first.range.start);
        }
        for via in &relation.via {
            self.element_name(via);
        }
        if let Some(body) = &relation.body {
            self.block(body);
        }
    }
}

/// The semantic tokens of `file`, sorted and without overlaps.
pub fn semantic_tokens(project: &ProjectAnalysis, file: FileId) -> Vec<HighlightToken> {
    let model = &project.checked.analysis.model;
    let references = model
        .references
        .iter()
        .filter(|reference| reference.span.file == file)
        .map(|reference| {
            (
                reference.span.range,
                model.element(reference.target).in_workspace,
            )
        })
        .collect();
    let tree = project.tree(file);
    let mut collector = Collector {
        text: project.text(file),
        references,
        tokens: Vec::new(),
    };
    for comment in &tree.comments {
        let modifiers = if comment.kind == CommentKind::Doc {
            MODIFIER_DOCUMENTATION
        } else {
            0
        };
        collector.push(comment.range, HighlightKind::Comment, modifiers);
    }
    for declaration in &tree.declarations {
        let start = declaration.range().start as usize;
        match declaration {
            Declaration::Architecture(header) => {
                collector.push(
                    TextRange::new(start, start + "architecture".len()),
                    HighlightKind::Keyword,
                    0,
                );
                collector.push(
                    header.id.range,
                    HighlightKind::Namespace,
                    MODIFIER_DECLARATION,
                );
                collector.push(header.name.range, HighlightKind::String, 0);
                if let Some(body) = &header.body {
                    collector.block(body);
                }
            }
            Declaration::Import(import) => {
                collector.push(
                    TextRange::new(start, start + "import".len()),
                    HighlightKind::Keyword,
                    0,
                );
                collector.push(import.path.range, HighlightKind::String, 0);
                if let Some(alias) = &import.alias {
                    collector.keyword_between("as", import.path.range.end, alias.range.start);
                    collector.push(alias.range, HighlightKind::Namespace, MODIFIER_DECLARATION);
                }
            }
            Declaration::Element(element) => collector.element(element),
            Declaration::Relation(relation) => collector.relation(relation),
            Declaration::View(view) => collector.view(view),
            Declaration::Waiver(waiver) => {
                collector.push(
                    TextRange::new(start, start + "waive".len()),
                    HighlightKind::Keyword,
                    0,
                );
                collector.push(waiver.rule.range, HighlightKind::Rule, 0);
                collector.keyword_between("on", waiver.rule.range.end, waiver.element.range.start);
                collector.element_name(&waiver.element);
                if let Some((_, range)) = waiver.until {
                    collector.keyword_between("until", waiver.element.range.end, range.start);
                    collector.push(range, HighlightKind::Number, 0);
                }
                if let Some(reason) = &waiver.reason {
                    collector.push(reason.range, HighlightKind::String, 0);
                }
            }
        }
    }
    let mut tokens = collector.tokens;
    tokens.sort_by_key(|token| (token.range.start, token.range.end));
    let mut last_end = 0;
    tokens.retain(|token| {
        let keep = token.range.start >= last_end;
        if keep {
            last_end = token.range.end;
        }
        keep
    });
    tokens
}

/// A foldable region: 0-based first and last line, and whether it is a comment run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    pub start_line: u32,
    pub end_line: u32,
    pub is_comment: bool,
}

/// Calls `add` on `block` and every block nested in it.
fn walk_block(block: &Block, add: &mut dyn FnMut(&Block)) {
    add(block);
    for entry in &block.entries {
        let body = match entry {
            Entry::Element(element) => element.body.as_ref(),
            Entry::Relation(relation) => relation.body.as_ref(),
            Entry::Property(_) => None,
        };
        if let Some(body) = body {
            walk_block(body, add);
        }
    }
}

/// Folds for every body spanning several lines (up to the line before its `}`) and every run of
/// two or more comment lines.
pub fn folding_ranges(project: &ProjectAnalysis, file: FileId) -> Vec<Fold> {
    let source = project.source(file);
    let line_of = |offset: u32| source.line_index.line_of(offset as usize) as u32;
    let mut folds = Vec::new();
    let add_block = |block: &Block, folds: &mut Vec<Fold>| {
        let (start_line, end_line) = (line_of(block.range.start), line_of(block.range.end));
        if end_line > start_line + 1 {
            folds.push(Fold {
                start_line,
                end_line: end_line - 1,
                is_comment: false,
            });
        }
    };
    for declaration in &project.tree(file).declarations {
        let body = match declaration {
            Declaration::Architecture(header) => header.body.as_ref(),
            Declaration::Element(element) => element.body.as_ref(),
            Declaration::Relation(relation) => relation.body.as_ref(),
            Declaration::View(view) => {
                let (start_line, end_line) =
                    (line_of(view.body_range.start), line_of(view.body_range.end));
                if end_line > start_line + 1 {
                    folds.push(Fold {
                        start_line,
                        end_line: end_line - 1,
                        is_comment: false,
                    });
                }
                None
            }
            Declaration::Import(_) | Declaration::Waiver(_) => None,
        };
        if let Some(body) = body {
            walk_block(body, &mut |block| add_block(block, &mut folds));
        }
    }
    let mut run: Option<(u32, u32)> = None;
    for comment in project
        .tree(file)
        .comments
        .iter()
        .filter(|comment| !comment.trailing)
    {
        let line = line_of(comment.range.start);
        run = match run {
            Some((start, end)) if line == end + 1 => Some((start, line)),
            Some((start, end)) => {
                if end > start {
                    folds.push(Fold {
                        start_line: start,
                        end_line: end,
                        is_comment: true,
                    });
                }
                Some((line, line))
            }
            None => Some((line, line)),
        };
    }
    if let Some((start, end)) = run
        && end > start
    {
        folds.push(Fold {
            start_line: start,
            end_line: end,
            is_comment: true,
        });
    }
    folds.sort_by_key(|fold| (fold.start_line, fold.end_line));
    folds
}
