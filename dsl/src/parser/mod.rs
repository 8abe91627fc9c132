//! The parser: runs pest on each top-level chunk found by the lexer and lowers pest's pairs into
//! the typed syntax tree. Parsing never fails: it returns the tree of everything that parsed
//! plus diagnostics for everything that did not. pest's types (generated in `grammar`) stay
//! private to this module.
//!
//! Speed: pest sees the text with comments blanked out (the lexer has recorded them), and a file
//! the lexer found clean is parsed in one pest run rather than chunk by chunk when that provably
//! gives the same result (see `parse_whole_file`). The grammar is left-factored (see
//! grammar.pest); its rule names and the order of its alternatives are chosen so that syntax
//! messages, which list the rules pest tried, read as they did for the textbook grammar.

mod doc_comments;
mod grammar;
mod lower;
mod syntax_error;

use crate::diagnostic::Diagnostic;
use crate::lexer::{self, Chunk};
use crate::reader;
use crate::syntax::{Comment, Declaration, SourceFile};
use crate::text::{FileId, TextRange};
use doc_comments::attach_doc_comments;
use grammar::{EaParser, Rule};
use lower::Lowering;
use pest::Parser as _;
use std::borrow::Cow;
use syntax_error::syntax_error;

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
