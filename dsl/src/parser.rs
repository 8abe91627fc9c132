//! The parser: runs pest on each top-level chunk found by the lexer and lowers pest's pairs into
//! the typed syntax tree. Parsing never fails: it returns the tree of everything that parsed
//! plus diagnostics for everything that did not. pest's types stay private to this module.
//!
//! Speed: pest sees the text with comments blanked out (the lexer has recorded them), and a file
//! the lexer found clean is parsed in one pest run rather than chunk by chunk when that provably
//! gives the same result (see `parse_whole_file`). The grammar is left-factored (see
//! grammar.pest); its rule names and the order of its alternatives are chosen so that syntax
//! messages, which list the rules pest tried, read as they did for the textbook grammar.

use crate::diagnostic::{Code, Diagnostic};
use crate::lexer::{self, Chunk};
use crate::literal::string_literal;
use crate::reader;
use crate::syntax::{
    Architecture, Block, Comment, CommentKind, CompactString, Date, Declaration, Element, Entry,
    Import, Name, Property, Relation, SourceFile, StringLiteral, Value, ValueKind, Waiver,
};
use crate::text::{FileId, TextRange};
use pest::Parser as _;
use pest::iterators::{Pair, Pairs};
use std::borrow::Cow;

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct EaParser;

/// The result of parsing one file: a (possibly partial) tree and its syntax diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parse {
    pub tree: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one file's text. Never fails and never panics; see the module docs.
pub fn parse(file: FileId, text: &str) -> Parse {
    let scan = lexer::scan(file, text);
    let mut diagnostics = scan.diagnostics;
    let mut declarations = Vec::new();
    if !parse_whole_file(
        file,
        text,
        &scan.chunks,
        &scan.comments,
        &mut declarations,
        &mut diagnostics,
    ) {
        for chunk in &scan.chunks {
            if chunk.skip {
                continue;
            }
            parse_chunk(
                file,
                text,
                chunk,
                &scan.comments,
                &mut declarations,
                &mut diagnostics,
            );
        }
    }
    attach_doc_comments(text, &scan.comments, &mut declarations);
    diagnostics.sort_by_key(Diagnostic::sort_key);
    Parse {
        tree: SourceFile {
            declarations,
            comments: scan.comments,
        },
        diagnostics,
    }
}

/// The comments that lie in `range` (comments are sorted and never overlap).
fn comments_in(comments: &[Comment], range: TextRange) -> &[Comment] {
    let first = comments.partition_point(|comment| comment.range.start < range.start);
    let last = comments.partition_point(|comment| comment.range.start < range.end);
    &comments[first..last.max(first)]
}

/// `text` (which starts at byte `start` of the file) with the comments replaced by spaces, so
/// that byte offsets stay the same and the grammar needs no comment rule. Borrows when there
/// is nothing to blank.
fn blank_comments<'t>(text: &'t str, start: usize, comments: &[Comment]) -> Cow<'t, str> {
    if comments.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut blanked = String::with_capacity(text.len());
    let mut copied = 0;
    for comment in comments {
        let from = (comment.range.start as usize - start).max(copied);
        let to = (comment.range.end as usize - start).min(text.len());
        if from >= to {
            continue;
        }
        blanked.push_str(&text[copied..from]);
        blanked.extend(std::iter::repeat_n(' ', to - from));
        copied = to;
    }
    blanked.push_str(&text[copied..]);
    Cow::Owned(blanked)
}

/// The fast path for files the lexer found clean: one pest run over the whole file instead of
/// one per chunk. It gives the same declarations as chunk-by-chunk parsing when it succeeds and
/// no declaration crosses a chunk boundary (then every chunk parses on its own to exactly the
/// declarations inside it); otherwise it returns `false`, leaves the outputs untouched, and the
/// caller parses chunk by chunk.
fn parse_whole_file(
    file: FileId,
    text: &str,
    chunks: &[Chunk],
    comments: &[Comment],
    declarations: &mut Vec<Declaration>,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let clean = chunks.iter().all(|chunk| {
        !chunk.skip
            && !chunk.has_lexical_error
            && chunk.edits.is_empty()
            && chunk.missing_closers.is_empty()
    });
    if !clean || chunks.len() < 2 {
        return false;
    }
    let input = blank_comments(text, 0, comments);
    // The direct reader gives pest's declarations for a file with no error at all, faster (see
    // reader.rs); pest parses whatever it gives up on.
    let (mut lowered, mut lowered_diagnostics, ranges) = match reader::read(&input) {
        Some(read) => {
            let ranges = read.iter().map(Declaration::range).collect();
            (read, Vec::new(), ranges)
        }
        None => match pest_whole_file(file, &input) {
            Some(parsed) => parsed,
            None => return false,
        },
    };
    let mut chunk_index = 0;
    for range in ranges {
        while chunk_index < chunks.len() && chunks[chunk_index].range.end <= range.start {
            chunk_index += 1;
        }
        if chunks
            .get(chunk_index)
            .is_none_or(|chunk| chunk.range.start > range.start || chunk.range.end < range.end)
        {
            return false;
        }
    }
    if declarations.is_empty() {
        *declarations = lowered;
    } else {
        declarations.append(&mut lowered);
    }
    diagnostics.append(&mut lowered_diagnostics);
    true
}

/// pest's `chunk` rule over a whole (comment-blanked) file, lowered: the declarations, the
/// lowering's diagnostics, and the range of every top-level declaration pest found (a
/// declaration the lowering rejected still has one). `None` when pest fails.
fn pest_whole_file(
    file: FileId,
    input: &str,
) -> Option<(Vec<Declaration>, Vec<Diagnostic>, Vec<TextRange>)> {
    let mut pairs = EaParser::parse(Rule::chunk, input).ok()?;
    let mut diagnostics = Vec::new();
    let chunk_pair = pairs.next().expect("the chunk rule always yields one pair");
    let inner = chunk_pair.into_inner();
    let mut declarations = Vec::with_capacity(inner.len());
    let mut ranges = Vec::with_capacity(inner.len());
    let mut lowering = Lowering {
        file,
        offset: 0,
        limit: input.len(),
        insertions: Vec::new(),
        names_from: None,
        diagnostics: &mut diagnostics,
    };
    for pair in inner {
        if pair.as_rule() == Rule::EOI {
            continue;
        }
        let probe = pair.clone();
        let declaration = lowering.declaration(pair);
        ranges.push(
            declaration
                .as_ref()
                .map_or_else(|| lowering.node_range(&probe), Declaration::range),
        );
        declarations.extend(declaration);
    }
    Some((declarations, diagnostics, ranges))
}

/// The declarations pest and the lowering give for `text` (comments blanked out) read as one
/// chunk, or `None` when pest fails or the lowering reports anything. For tests and fuzzing:
/// the direct reader must give exactly this (see [`direct_declarations`]).
#[doc(hidden)]
pub fn reference_declarations(text: &str) -> Option<Vec<Declaration>> {
    let comments = lexer::scan(FileId(0), text).comments;
    pest_whole_file(FileId(0), &blank_comments(text, 0, &comments))
        .filter(|(_, diagnostics, _)| diagnostics.is_empty())
        .map(|(declarations, _, _)| declarations)
}

/// The direct reader's declarations for `text` (comments blanked out; see reader.rs). For
/// tests and fuzzing.
#[doc(hidden)]
pub fn direct_declarations(text: &str) -> Option<Vec<Declaration>> {
    let comments = lexer::scan(FileId(0), text).comments;
    reader::read(&blank_comments(text, 0, &comments))
}

/// The chunk text pest sees: the source with the lexer's repairs applied (and, if `blank`,
/// comments blanked; if `placeholders`, identifiers written outside ASCII replaced by `_`s),
/// and the repairs' insertions to map positions back to the source.
fn chunk_text<'t>(
    original: &'t str,
    start: usize,
    chunk: &Chunk,
    comments: &[Comment],
    blank: bool,
    placeholders: bool,
) -> (Cow<'t, str>, Vec<(usize, usize)>) {
    let base = if blank {
        blank_comments(original, start, comments)
    } else {
        Cow::Borrowed(original)
    };
    if chunk.edits.is_empty() && chunk.missing_closers.is_empty() {
        return (base, Vec::new());
    }
    let source: &str = &base;
    let mut text = String::with_capacity(source.len() + chunk.missing_closers.len());
    let mut insertions: Vec<(usize, usize)> = Vec::new();
    let mut copied = 0;
    for (offset, edit) in &chunk.edits {
        let at = offset - start;
        text.push_str(&source[copied..at]);
        match edit {
            lexer::Edit::Replace(character) => {
                text.push(*character);
                copied = at + 1;
            }
            lexer::Edit::Placeholder(length) => {
                if placeholders {
                    text.extend(std::iter::repeat_n('_', *length));
                    copied = at + length;
                } else {
                    copied = at;
                }
            }
            lexer::Edit::Insert(inserted) => {
                insertions.push((text.len(), inserted.len()));
                text.push_str(inserted);
                copied = at;
            }
        }
    }
    text.push_str(&source[copied..]);
    text.push_str(&chunk.missing_closers);
    (Cow::Owned(text), insertions)
}

fn parse_chunk(
    file: FileId,
    text: &str,
    chunk: &Chunk,
    comments: &[Comment],
    declarations: &mut Vec<Declaration>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let start = chunk.range.start as usize;
    let original = &text[chunk.range.to_range()];
    let comments = comments_in(comments, chunk.range);
    // A comment on the last line of the file runs to the end of the text, so the closers the
    // lexer appends would be part of it: the chunk cannot parse (and, as it has a lexical error,
    // reports nothing).
    if !chunk.missing_closers.is_empty()
        && comments
            .last()
            .is_some_and(|comment| !original[comment.range.end as usize - start..].contains('\n'))
    {
        return;
    }
    let (input, insertions) = chunk_text(original, start, chunk, comments, true, true);
    match EaParser::parse(Rule::chunk, &input) {
        Ok(mut pairs) => {
            // With placeholders for its identifiers written outside ASCII the declaration
            // parses: they are the mistake (KT0012), and the names are kept as written.
            diagnostics.extend(chunk.identifiers.iter().cloned());
            let mut lowering = Lowering {
                file,
                offset: start,
                limit: chunk.range.end as usize,
                insertions,
                names_from: (!chunk.identifiers.is_empty()).then_some(text),
                diagnostics,
            };
            let chunk_pair = pairs.next().expect("the chunk rule always yields one pair");
            for pair in chunk_pair.into_inner() {
                if let Some(declaration) = lowering.declaration(pair) {
                    declarations.push(declaration);
                }
            }
        }
        Err(error) if !chunk.has_lexical_error => {
            // Messages quote the text as written, comments and identifiers outside ASCII
            // included (placeholders have the same length, so positions agree).
            let (written, _) = chunk_text(original, start, chunk, comments, false, false);
            diagnostics.push(syntax_error(file, start, &written, &error));
        }
        Err(_) => {}
    }
}

fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::ident => "an identifier",
        Rule::path | Rule::element_id => "an identifier",
        Rule::string => "a string",
        Rule::date => "a date",
        Rule::integer => "an integer",
        Rule::list => "a list",
        Rule::arrow => "`->`",
        Rule::block => "`{`",
        Rule::via | Rule::kw_via => "`via`",
        Rule::kw_as => "`as`",
        Rule::kw_on => "`on`",
        Rule::kw_until => "`until`",
        Rule::kw_import => "`import`",
        Rule::kw_waive => "`waive`",
        Rule::kw_architecture => "`architecture`",
        Rule::EOI => "the end of the declaration",
        Rule::entry => "a property, an element or a relation",
        Rule::declaration_ident => "an element or a relation",
        Rule::architecture => "an architecture header",
        Rule::import => "an import",
        Rule::waiver => "a waiver",
        _ => "something else",
    }
}

fn syntax_error(
    file: FileId,
    chunk_start: usize,
    chunk_text: &str,
    error: &pest::error::Error<Rule>,
) -> Diagnostic {
    let position = match error.location {
        pest::error::InputLocation::Pos(position) => position,
        pest::error::InputLocation::Span((start, _)) => start,
    };
    let found = token_at(chunk_text, position);
    let mut expected: Vec<&str> = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().map(|rule| describe(*rule)).collect()
        }
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();
    let expectation = match expected.as_slice() {
        [] => String::new(),
        [one] => format!(", expected {one}"),
        [init @ .., last] => format!(", expected {} or {last}", init.join(", ")),
    };
    let found_text = if found.is_empty() {
        "end of input".to_owned()
    } else {
        format!("`{found}`")
    };
    let end = position + found.len();
    let mut diagnostic = Diagnostic::new(
        Code::SyntaxError,
        format!("unexpected {found_text}{expectation}"),
    )
    .at(
        file,
        TextRange::new(chunk_start + position, chunk_start + end),
        "unexpected here",
    );
    diagnostic.help = Some(syntax_help(chunk_text, position, &expected));
    diagnostic
}

fn syntax_help(chunk_text: &str, position: usize, expected: &[&str]) -> String {
    let before = chunk_text[..position].trim_end();
    let words: Vec<&str> = before.split_whitespace().collect();
    if let [word] = words.as_slice()
        && let Some(keyword) =
            crate::suggest::suggest(word, ["architecture", "import", "waive"].into_iter())
    {
        return format!("`{word}` is not a keyword; did you mean `{keyword}`?");
    }
    if expected.contains(&"a string") && words.len() == 2 && !before.contains('{') {
        return "an element is declared as `kind id \"Display name\" { ... }`; the display name is required".to_owned();
    }
    if expected.contains(&"an identifier")
        && words.len() == 1
        && chunk_text[position..].starts_with('"')
    {
        return "the element id is missing: write `kind id \"Display name\"`".to_owned();
    }
    if before.ends_with("->") {
        return "a relation needs a target after `->`: `uses -> target`".to_owned();
    }
    "declarations are `architecture`, `import`, `waive`, elements (`kind id \"Name\" { ... }`) and relations (`type source -> target`); see docs/language.md".to_owned()
}

fn token_at(text: &str, position: usize) -> &str {
    let rest = &text[position.min(text.len())..];
    let first = rest.chars().next();
    match first {
        None => "",
        Some(character) if character.is_alphanumeric() || character == '_' => {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
                .unwrap_or(rest.len());
            &rest[..end]
        }
        Some('"') => {
            let end = rest[1..].find('"').map_or(rest.len(), |index| index + 2);
            let end = rest[..end].find('\n').unwrap_or(end);
            &rest[..end]
        }
        Some(character) => &rest[..character.len_utf8()],
    }
}

struct Lowering<'a> {
    file: FileId,
    offset: usize,
    /// End of the real chunk text: ranges of appended closers are clamped here.
    limit: usize,
    /// Text inserted by repairs: (position in the repaired text, length).
    insertions: Vec<(usize, usize)>,
    /// The file's text, when pest read placeholders for identifiers written outside ASCII
    /// (KT0012): names are then taken from it, as written, rather than from pest's input.
    names_from: Option<&'a str>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Lowering<'_> {
    fn range(&self, pair: &Pair<'_, Rule>) -> TextRange {
        let span = pair.as_span();
        TextRange::new(
            self.source_position(span.start()),
            self.source_position(span.end()),
        )
    }

    /// The range of a compound node: from its start to the end of its last token, so trailing
    /// whitespace and comments that pest consumed are not part of it.
    fn node_range(&self, pair: &Pair<'_, Rule>) -> TextRange {
        let start = pair.as_span().start();
        let mut last = pair.clone();
        // Blocks and lists end with their closing delimiter, which is not a pair of its own.
        while !matches!(last.as_rule(), Rule::block | Rule::list)
            && let Some(child) = last.clone().into_inner().next_back()
        {
            last = child;
        }
        let end = if last.as_span().end() > start {
            last.as_span().end()
        } else {
            pair.as_span().end()
        };
        TextRange::new(self.source_position(start), self.source_position(end))
    }

    fn span_range(&self, start: usize, end: usize) -> TextRange {
        TextRange::new(self.source_position(start), self.source_position(end))
    }

    /// Maps a position in the repaired chunk text back to the source file.
    fn source_position(&self, position: usize) -> usize {
        let mut shift = 0;
        for (inserted_at, length) in &self.insertions {
            if position >= inserted_at + length {
                shift += length;
            } else if position > *inserted_at {
                shift += position - inserted_at;
            }
        }
        (position - shift + self.offset).min(self.limit)
    }

    fn name(&self, pair: &Pair<'_, Rule>) -> Name {
        let range = self.range(pair);
        let text = match self.names_from {
            Some(source) => source.get(range.to_range()).unwrap_or(pair.as_str()),
            None => pair.as_str(),
        };
        Name {
            text: CompactString::new(text),
            range,
        }
    }

    fn error(&mut self, code: Code, range: TextRange, message: impl Into<String>, label: &str) {
        self.diagnostics
            .push(Diagnostic::new(code, message).at(self.file, range, label));
    }

    fn declaration(&mut self, pair: Pair<'_, Rule>) -> Option<Declaration> {
        match pair.as_rule() {
            Rule::architecture => {
                let range = self.node_range(&pair);
                let mut inner = pair.into_inner();
                inner.next(); // keyword
                let id = self.name(&inner.next()?);
                let name = self.string(&inner.next()?)?;
                let body = inner.next().map(|block| self.block(block));
                Some(Declaration::Architecture(Architecture {
                    doc: None,
                    id,
                    name,
                    body,
                    range,
                }))
            }
            Rule::import => {
                let range = self.node_range(&pair);
                let mut inner = pair.into_inner();
                inner.next(); // keyword
                let path = self.string(&inner.next()?)?;
                inner.next(); // `as`
                let alias = inner.next().map(|alias| self.name(&alias));
                Some(Declaration::Import(Import { path, alias, range }))
            }
            Rule::waiver => {
                let range = self.node_range(&pair);
                let mut inner = pair.into_inner();
                inner.next(); // keyword
                let rule = self.name(&inner.next()?);
                inner.next(); // `on`
                let element = self.name(&inner.next()?);
                let mut until = None;
                let mut reason = None;
                for part in inner {
                    match part.as_rule() {
                        Rule::date => {
                            until = self.date(&part).map(|date| (date, self.range(&part)))
                        }
                        Rule::string => reason = self.string(&part),
                        _ => {}
                    }
                }
                Some(Declaration::Waiver(Waiver {
                    doc: None,
                    rule,
                    element,
                    until,
                    reason,
                    range,
                }))
            }
            Rule::declaration_ident => {
                let start = pair.as_span().start();
                let mut inner = pair.into_inner();
                let first = self.name(&inner.next()?);
                let second = inner.next()?;
                // `kind id "Name" ...` or `type source -> target ...`.
                if inner.peek()?.as_rule() == Rule::string {
                    self.element(start, first, &second, inner)
                        .map(Declaration::Element)
                } else {
                    let source = self.name(&second);
                    let arrow = inner.next()?;
                    let relation = self.relation(start, first, Some(source), &arrow, inner)?;
                    Some(Declaration::Relation(relation))
                }
            }
            _ => None,
        }
    }

    /// An element after its kind: `id "Name" { ... }`. Like every node, it ranges from `start`
    /// to the end of its last token (trailing trivia that pest consumed are not part of it).
    fn element(
        &mut self,
        start: usize,
        kind: Name,
        id: &Pair<'_, Rule>,
        mut inner: Pairs<'_, Rule>,
    ) -> Option<Element> {
        let id = self.name(id);
        let name = inner.next()?;
        let block = inner.next();
        let end = block.as_ref().unwrap_or(&name).as_span().end();
        let range = self.span_range(start, end);
        let name = self.string(&name)?;
        let body = block.map(|block| self.block(block));
        Some(Element {
            doc: None,
            kind,
            id,
            name,
            body,
            range,
        })
    }

    /// A relation from its arrow on: `-> target "label" via x { ... }`.
    fn relation(
        &mut self,
        start: usize,
        relation_type: Name,
        source: Option<Name>,
        arrow: &Pair<'_, Rule>,
        mut inner: Pairs<'_, Rule>,
    ) -> Option<Relation> {
        let arrow = self.range(arrow);
        let target = inner.next()?;
        let mut end = target.as_span().end();
        let target = self.name(&target);
        let mut relation = Relation {
            doc: None,
            relation_type,
            source,
            arrow,
            target,
            label: None,
            via: Vec::new(),
            body: None,
            range: TextRange::default(),
        };
        for part in inner {
            match part.as_rule() {
                Rule::string => {
                    end = part.as_span().end();
                    relation.label = self.string(&part);
                }
                Rule::via => {
                    relation.via = part
                        .into_inner()
                        .filter(|path| path.as_rule() == Rule::path)
                        .map(|path| {
                            end = path.as_span().end();
                            self.name(&path)
                        })
                        .collect();
                }
                Rule::block => {
                    end = part.as_span().end();
                    relation.body = Some(self.block(part));
                }
                _ => {}
            }
        }
        relation.range = self.span_range(start, end);
        Some(relation)
    }

    fn block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let range = self.range(&pair);
        let inner = pair.into_inner();
        let mut entries = Vec::with_capacity(inner.len());
        for entry in inner {
            if entry.as_rule() == Rule::entry {
                entries.extend(self.entry(entry));
            }
        }
        Block { entries, range }
    }

    /// An entry of a block: a relation (`uses -> x`), an element (`kind id "Name"`) or a
    /// property (`name value`).
    fn entry(&mut self, pair: Pair<'_, Rule>) -> Option<Entry> {
        let start = pair.as_span().start();
        let mut inner = pair.into_inner();
        let first = self.name(&inner.next()?);
        let second = inner.next()?;
        match second.as_rule() {
            Rule::arrow => {
                let relation = self.relation(start, first, None, &second, inner)?;
                Some(Entry::Relation(Box::new(relation)))
            }
            Rule::element_id if inner.peek().is_some() => self
                .element(start, first, &second, inner)
                .map(|element| Entry::Element(Box::new(element))),
            _ => {
                let range = self.span_range(start, second.as_span().end());
                let value = self.value(second)?;
                Some(Entry::Property(Property {
                    name: first,
                    value,
                    range,
                }))
            }
        }
    }

    fn value(&mut self, pair: Pair<'_, Rule>) -> Option<Value> {
        let range = self.range(&pair);
        let kind = match pair.as_rule() {
            Rule::string => ValueKind::String(self.string(&pair)?),
            Rule::integer => match pair.as_str().parse::<i64>() {
                Ok(value) => ValueKind::Integer(value),
                Err(_) => {
                    self.error(
                        Code::InvalidInteger,
                        range,
                        format!("`{}` is not a valid integer", pair.as_str()),
                        "out of range",
                    );
                    return None;
                }
            },
            Rule::date => ValueKind::Date(self.date(&pair)?),
            Rule::path | Rule::element_id => ValueKind::Path(self.name(&pair)),
            Rule::list => {
                let items: Vec<Value> = pair
                    .into_inner()
                    .filter_map(|item| self.value(item))
                    .collect();
                ValueKind::List(items)
            }
            _ => return None,
        };
        Some(Value { kind, range })
    }

    fn date(&mut self, pair: &Pair<'_, Rule>) -> Option<Date> {
        let date = Date::parse(pair.as_str());
        if date.is_none() {
            let range = self.range(pair);
            self.error(
                Code::InvalidDate,
                range,
                format!("`{}` is not a calendar date", pair.as_str()),
                "no such day",
            );
        }
        date
    }

    fn string(&mut self, pair: &Pair<'_, Rule>) -> Option<StringLiteral> {
        let range = self.range(pair);
        match string_literal(pair.as_str(), range) {
            Ok(string) => Some(string),
            Err(bad) => {
                let start = range.start as usize + 1 + bad.start;
                self.error(
                    Code::InvalidEscape,
                    TextRange::new(start, start + bad.len),
                    "invalid escape sequence in string",
                    "not a valid escape",
                );
                None
            }
        }
    }
}

/// Attaches `///` comment runs to the declaration that directly follows them (top-level and
/// nested elements, relations, waivers, the header).
fn attach_doc_comments(text: &str, comments: &[Comment], declarations: &mut [Declaration]) {
    if !comments
        .iter()
        .any(|comment| comment.kind == CommentKind::Doc)
    {
        return;
    }
    let doc_for = |start: u32| -> Option<String> {
        let mut index = comments.partition_point(|comment| comment.range.end <= start);
        let mut lines = Vec::new();
        let mut next_start = start as usize;
        while index > 0 {
            let comment = &comments[index - 1];
            let between = &text[comment.range.end as usize..next_start];
            // Only whitespace with at most one line break may separate the run from the item.
            if comment.kind != CommentKind::Doc
                || comment.trailing
                || !between.trim().is_empty()
                || between.matches('\n').count() > 1
            {
                break;
            }
            lines.push(
                comment
                    .text
                    .trim_start_matches("///")
                    .strip_prefix(' ')
                    .unwrap_or(comment.text.trim_start_matches("///"))
                    .trim_end(),
            );
            next_start = comment.range.start as usize;
            index -= 1;
        }
        (!lines.is_empty()).then(|| {
            lines.reverse();
            lines.join("\n")
        })
    };
    fn visit_block(block: &mut Block, doc_for: &dyn Fn(u32) -> Option<String>) {
        for entry in &mut block.entries {
            match entry {
                Entry::Element(element) => visit_element(element, doc_for),
                Entry::Relation(relation) => relation.doc = doc_for(relation.range.start),
                Entry::Property(_) => {}
            }
        }
    }
    fn visit_element(element: &mut Element, doc_for: &dyn Fn(u32) -> Option<String>) {
        element.doc = doc_for(element.range.start);
        if let Some(body) = &mut element.body {
            visit_block(body, doc_for);
        }
    }
    for declaration in declarations {
        match declaration {
            Declaration::Architecture(header) => header.doc = doc_for(header.range.start),
            Declaration::Element(element) => visit_element(element, &doc_for),
            Declaration::Relation(relation) => relation.doc = doc_for(relation.range.start),
            Declaration::Waiver(waiver) => waiver.doc = doc_for(waiver.range.start),
            Declaration::Import(_) => {}
        }
    }
}
