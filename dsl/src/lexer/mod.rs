//! A light lexical pass over a whole file, run before pest. It records comments, finds
//! unterminated strings and unbalanced delimiters, enforces the nesting limit, and splits the
//! file into top-level chunks so that each declaration is parsed on its own: one broken
//! declaration never hides the rest of the file.
//!
//! It also finds identifiers written with letters outside ASCII (`ở_xây_dựng`) and hands pest a
//! placeholder of the same length instead (`__________`). When the declaration then parses, the
//! parser reports each of them (KT0012) and the lowering keeps the name as written; when it does
//! not, they were probably not identifiers (the words of a display name whose opening quote is
//! missing), and the syntax error or the lexical error is reported instead.
//!
//! Chunks start at lines that begin (in column 0) with an identifier at nesting depth 0, moved up
//! over the comment lines directly above; indented lines continue the declaration above them.
//! When the file's delimiters do not balance, a second pass also starts a chunk at any identifier
//! in column 0, which is where an unclosed block most likely ended: a well-formatted file never
//! has one inside a block. Identifiers outside ASCII are found and reported in `identifiers`.

mod identifiers;

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::{Comment, CommentKind};
use crate::text::{FileId, TextRange};
use identifiers::{is_identifier_start, is_word_character, non_ascii_identifier, word_around};

/// Elements and lists may nest at most this deep.
pub const MAX_NESTING_DEPTH: usize = 64;

/// A string literal may hold at most this many bytes between its quotes (64 KiB): enough for any
/// name or description, small enough that no report, hover or diagnostic carries megabytes.
pub const MAX_STRING_LENGTH: usize = 64 * 1024;

#[derive(Debug)]
pub(crate) struct Chunk {
    pub range: TextRange,
    /// Lexical errors in this chunk (already reported); its declarations are parsed only if the
    /// repaired text below parses, and pest's own errors are then not reported.
    pub has_lexical_error: bool,
    /// Repairs applied before parsing (absolute offsets, in order): stray closers blanked,
    /// wrong closers replaced, missing closers inserted. Already reported.
    pub edits: Vec<(usize, Edit)>,
    /// Closing delimiters to append (for blocks left open), innermost first.
    pub missing_closers: String,
    /// Parsing is pointless (unterminated string, nesting beyond the limit).
    pub skip: bool,
    /// KT0012 for each identifier written outside ASCII (replaced by a placeholder in `edits`):
    /// reported only if the chunk parses.
    pub identifiers: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Edit {
    /// Replace the one-byte delimiter at the offset with this character.
    Replace(char),
    /// Replace this many bytes at the offset (an identifier written with characters outside
    /// ASCII, already reported) with as many `_`, a valid identifier of the same length.
    Placeholder(usize),
    /// Insert this text before the offset.
    Insert(String),
}

fn closer_of(opener: char) -> char {
    if opener == '{' { '}' } else { ']' }
}

#[derive(Debug)]
pub(crate) struct Scan {
    pub chunks: Vec<Chunk>,
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<Diagnostic>,
}

pub(crate) fn scan(file: FileId, text: &str) -> Scan {
    let first = scan_pass(file, text, false);
    if first.balanced {
        return first.scan;
    }
    scan_pass(file, text, true).scan
}

struct PassResult {
    scan: Scan,
    balanced: bool,
}

/// The bytes that matter on a line past its first code: quotes, comment slashes, delimiters and
/// the bytes of characters outside ASCII, which are in strings and comments in a valid file
/// (a table lookup per byte instead of seven comparisons).
static SIGNIFICANT_AFTER_CODE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0x80;
    while byte < 256 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'/' as usize] = true;
    table[b'{' as usize] = true;
    table[b'[' as usize] = true;
    table[b'}' as usize] = true;
    table[b']' as usize] = true;
    table
};

struct ChunkBuilder {
    start: usize,
    has_code: bool,
    has_lexical_error: bool,
    skip: bool,
    edits: Vec<(usize, Edit)>,
    depth_reported: bool,
    identifiers: Vec<Diagnostic>,
}

impl ChunkBuilder {
    fn new(start: usize) -> Self {
        Self {
            start,
            has_code: false,
            has_lexical_error: false,
            skip: false,
            edits: Vec::new(),
            depth_reported: false,
            identifiers: Vec::new(),
        }
    }
}

fn scan_pass(file: FileId, text: &str, recover_at_column_zero: bool) -> PassResult {
    let mut chunks = Vec::new();
    let mut comments: Vec<Comment> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut balanced = true;
    // Open delimiters: (character, byte offset).
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut current = ChunkBuilder::new(0);
    // Start of the run of comment-only lines directly above the current line, if any.
    let mut comment_run_start: Option<usize> = None;

    let mut line_start = 0usize;
    while line_start < text.len() || (line_start == 0 && text.is_empty()) {
        if text.is_empty() {
            break;
        }
        // A plain byte loop: lines are short, and `str::find` costs more to set up.
        let line_end = text.as_bytes()[line_start..]
            .iter()
            .position(|&byte| byte == b'\n')
            .map_or(text.len(), |index| line_start + index);
        let line = &text[line_start..line_end];
        let first_significant = line
            .char_indices()
            .find(|(_, character)| !matches!(character, ' ' | '\t' | '\r' | '\u{feff}'))
            .map(|(index, character)| (line_start + index, character));

        if let Some((offset, character)) = first_significant {
            // Declarations start in column 0 (a BOM before the first one is fine); an indented
            // line continues the declaration above it.
            let at_column_zero = line[..offset - line_start].chars().all(|c| c == '\u{feff}');
            let starts_declaration = is_identifier_start(character)
                && at_column_zero
                && (open.is_empty() || recover_at_column_zero);
            if starts_declaration {
                let missing = if open.is_empty() {
                    String::new()
                } else {
                    // Recovery: the previous declaration left blocks open.
                    close_unclosed(file, &mut open, &mut current, &mut diagnostics)
                };
                let boundary = comment_run_start.unwrap_or(line_start);
                if current.has_code {
                    chunks.push(finish(&current, boundary, missing));
                    current = ChunkBuilder::new(boundary);
                }
            }
        }

        // Tokens of this line.
        let mut code_seen = false;
        let mut is_comment_line = false;
        // After a character outside ASCII that is not a letter (`“`, `→`, a no-break space),
        // the line is not a model pest could read; its words are not reported as identifiers
        // (the words of `“Sở Khoa học”` are text), and pest reports the character.
        let mut words_are_text = false;
        // Bytes, not characters: everything the lexer looks for is ASCII (or the byte-order
        // mark), and a byte of a multi-byte character is code like the character itself.
        let bytes = line.as_bytes();
        let mut index = 0;
        while index < bytes.len() {
            if code_seen {
                // Past the first code on the line, only these bytes matter.
                match bytes[index..]
                    .iter()
                    .position(|byte| SIGNIFICANT_AFTER_CODE[usize::from(*byte)])
                {
                    Some(skipped) => index += skipped,
                    None => break,
                }
            }
            let byte = bytes[index];
            let character = char::from(byte);
            let offset = line_start + index;
            index += 1;
            match byte {
                b' ' | b'\t' | b'\r' => {}
                0xEF if line[offset - line_start..].starts_with('\u{feff}') => {
                    index += '\u{feff}'.len_utf8() - 1;
                }
                0x80..=0xFF => {
                    code_seen = true;
                    let at = offset - line_start;
                    let Some(character) = line.get(at..).and_then(|rest| rest.chars().next())
                    else {
                        // Not the start of a character (never happens: the scan moves by
                        // whole characters outside strings); move on rather than panic.
                        continue;
                    };
                    if words_are_text || !is_word_character(character) {
                        words_are_text = true;
                        index = at + character.len_utf8().max(1);
                        continue;
                    }
                    let (start, end) = word_around(line, at);
                    index = end;
                    let next = line[end..].chars().next();
                    if next.is_some_and(|next| {
                        !next.is_ascii() && next != '\u{feff}' && !is_word_character(next)
                    }) {
                        words_are_text = true;
                        continue;
                    }
                    current.identifiers.push(non_ascii_identifier(
                        file,
                        line_start + start,
                        &line[start..end],
                    ));
                    current
                        .edits
                        .push((line_start + start, Edit::Placeholder(end - start)));
                }
                b'/' if bytes.get(index) == Some(&b'/') => {
                    let index = offset - line_start;
                    let comment_text = line[index..].trim_end_matches('\r');
                    let kind =
                        if comment_text.starts_with("///") && !comment_text.starts_with("////") {
                            CommentKind::Doc
                        } else {
                            CommentKind::Line
                        };
                    comments.push(Comment {
                        kind,
                        text: comment_text.to_owned(),
                        range: TextRange::new(offset, offset + comment_text.len()),
                        trailing: code_seen,
                    });
                    is_comment_line = !code_seen;
                    break;
                }
                b'"' => {
                    code_seen = true;
                    let index_of_quote = offset - line_start;
                    let mut closed = false;
                    while index < bytes.len() {
                        let inner_index = index;
                        index += 1;
                        match bytes[inner_index] {
                            b'\\' => {
                                // Skips the escaped character's first byte; the others are
                                // neither a quote nor a backslash.
                                index += 1;
                            }
                            b'"' => {
                                closed = true;
                                let length = inner_index - index_of_quote - 1;
                                if length > MAX_STRING_LENGTH {
                                    let end = line_start + inner_index + 1;
                                    diagnostics.push(
                                        Diagnostic::new(
                                            Code::StringTooLong,
                                            format!(
                                                "string of {length} bytes; the limit is {MAX_STRING_LENGTH}"
                                            ),
                                        )
                                        .at(
                                            file,
                                            TextRange::new(offset, end),
                                            "this string is too long",
                                        ),
                                    );
                                }
                                break;
                            }
                            _ => {}
                        }
                    }
                    if !closed {
                        let end = line_start + line.trim_end_matches('\r').len();
                        diagnostics.push(
                            Diagnostic::new(Code::UnterminatedString, "unterminated string").at(
                                file,
                                TextRange::new(offset, end),
                                "this string is never closed",
                            ),
                        );
                        current.has_lexical_error = true;
                        current.skip = true;
                        // `"Name {`: the quote was probably forgotten before the brace; keep
                        // the brace so the following lines stay in this declaration.
                        let tail = line[index_of_quote..].trim_end();
                        if let Some(opener) =
                            tail.chars().last().filter(|last| matches!(last, '{' | '['))
                        {
                            open.push((opener, line_start + index_of_quote + tail.len() - 1));
                        }
                    }
                }
                b'{' | b'[' => {
                    code_seen = true;
                    open.push((character, offset));
                    if open.len() > MAX_NESTING_DEPTH && !current.depth_reported {
                        current.depth_reported = true;
                        current.has_lexical_error = true;
                        current.skip = true;
                        diagnostics.push(
                            Diagnostic::new(
                                Code::NestingTooDeep,
                                format!("nesting deeper than {MAX_NESTING_DEPTH} levels"),
                            )
                            .at(
                                file,
                                TextRange::new(offset, offset + 1),
                                "this opens level 65",
                            ),
                        );
                    }
                }
                b'}' | b']' => {
                    code_seen = true;
                    let expected_opener = if character == '}' { '{' } else { '[' };
                    match open.last().copied() {
                        Some((opener, _)) if opener == expected_opener => {
                            open.pop();
                        }
                        Some((top, top_offset)) => {
                            balanced = false;
                            current.has_lexical_error = true;
                            if let Some(matching) = open
                                .iter()
                                .rposition(|(opener, _)| *opener == expected_opener)
                            {
                                // The closer matches an outer opener: the inner ones were never closed.
                                let (unclosed, unclosed_offset) = open[matching + 1];
                                let closers: String = open[matching + 1..]
                                    .iter()
                                    .rev()
                                    .map(|(opener, _)| closer_of(*opener))
                                    .collect();
                                diagnostics.push(
                                    Diagnostic::new(
                                        Code::UnclosedDelimiter,
                                        format!("`{unclosed}` is never closed"),
                                    )
                                    .at(
                                        file,
                                        TextRange::new(unclosed_offset, unclosed_offset + 1),
                                        format!(
                                            "this `{unclosed}` needs a matching `{}`",
                                            closer_of(unclosed)
                                        ),
                                    )
                                    .with_secondary(
                                        crate::text::Span::new(
                                            file,
                                            TextRange::new(offset, offset + 1),
                                        ),
                                        format!(
                                            "`{character}` closes an outer `{expected_opener}` here"
                                        ),
                                    ),
                                );
                                current.edits.push((offset, Edit::Insert(closers)));
                                open.truncate(matching);
                            } else {
                                // A wrong closer for the innermost opener: most likely a typo.
                                diagnostics.push(
                                    Diagnostic::new(
                                        Code::UnexpectedCloser,
                                        format!("`{character}` does not match the open `{top}`"),
                                    )
                                    .at(
                                        file,
                                        TextRange::new(offset, offset + 1),
                                        format!("expected `{}`", closer_of(top)),
                                    )
                                    .with_secondary(
                                        crate::text::Span::new(
                                            file,
                                            TextRange::new(top_offset, top_offset + 1),
                                        ),
                                        format!("the `{top}` opened here"),
                                    )
                                    .with_help(format!("replace it with `{}`", closer_of(top))),
                                );
                                current.edits.push((offset, Edit::Replace(closer_of(top))));
                                open.pop();
                            }
                        }
                        None => {
                            balanced = false;
                            current.has_lexical_error = true;
                            current.edits.push((offset, Edit::Replace(' ')));
                            diagnostics.push(
                                Diagnostic::new(
                                    Code::UnexpectedCloser,
                                    format!("`{character}` closes nothing"),
                                )
                                .at(
                                    file,
                                    TextRange::new(offset, offset + 1),
                                    "unexpected",
                                ),
                            );
                        }
                    }
                }
                _ => code_seen = true,
            }
        }
        if code_seen {
            current.has_code = true;
        }
        if is_comment_line {
            comment_run_start.get_or_insert(line_start);
        } else {
            comment_run_start = None;
        }
        if line_end >= text.len() {
            break;
        }
        line_start = line_end + 1;
    }

    let mut missing = String::new();
    if !open.is_empty() {
        balanced = false;
        missing = close_unclosed(file, &mut open, &mut current, &mut diagnostics);
    }
    if current.has_code || chunks.is_empty() {
        chunks.push(finish(&current, text.len(), missing));
    }
    PassResult {
        scan: Scan {
            chunks,
            comments,
            diagnostics,
        },
        balanced,
    }
}

/// Reports every open delimiter and returns the closers that would balance them.
fn close_unclosed(
    file: FileId,
    open: &mut Vec<(char, usize)>,
    current: &mut ChunkBuilder,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let mut closers = String::new();
    // Report only the outermost unclosed delimiter: inner ones are usually the same mistake.
    if let Some((opener, offset)) = open.first() {
        let closer = if *opener == '{' { '}' } else { ']' };
        diagnostics.push(
            Diagnostic::new(
                Code::UnclosedDelimiter,
                format!("`{opener}` is never closed"),
            )
            .at(
                file,
                TextRange::new(*offset, offset + 1),
                format!("this `{opener}` needs a matching `{closer}`"),
            ),
        );
    }
    while let Some((opener, _)) = open.pop() {
        closers.push(if opener == '{' { '}' } else { ']' });
    }
    current.has_lexical_error = true;
    closers
}

fn finish(builder: &ChunkBuilder, end: usize, missing_closers: String) -> Chunk {
    Chunk {
        range: TextRange::new(builder.start, end),
        has_lexical_error: builder.has_lexical_error,
        edits: builder.edits.clone(),
        missing_closers,
        skip: builder.skip,
        identifiers: builder.identifiers.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk_texts(text: &str) -> Vec<&str> {
        scan(FileId(0), text)
            .chunks
            .iter()
            .map(|chunk| &text[chunk.range.to_range()])
            .collect()
    }

    #[test]
    fn splits_at_top_level_declarations_and_keeps_comments_with_the_next_one() {
        let text = "import \"a.ea\"\n\n/// doc\nsystem a \"A\" {\n  owner x\n}\nwaive R on a\n";
        assert_eq!(
            chunk_texts(text),
            vec![
                "import \"a.ea\"\n\n",
                "/// doc\nsystem a \"A\" {\n  owner x\n}\n",
                "waive R on a\n"
            ]
        );
    }

    #[test]
    fn unclosed_block_recovers_at_column_zero() {
        let text = "system a \"A\" {\n  owner x\nsystem b \"B\" {}\n";
        let scan = scan(FileId(0), text);
        assert_eq!(scan.chunks.len(), 2);
        assert_eq!(scan.diagnostics.len(), 1);
        assert_eq!(scan.diagnostics[0].code, Code::UnclosedDelimiter);
        assert_eq!(scan.chunks[0].missing_closers, "}");
    }

    #[test]
    fn balanced_file_does_not_split_inside_blocks_even_at_column_zero() {
        let text = "system a \"A\" {\nowner x\n}\n";
        assert_eq!(chunk_texts(text).len(), 1);
    }

    #[test]
    fn comments_inside_strings_are_not_comments() {
        let scan = scan(FileId(0), "system a \"http://x\" // real\n");
        assert_eq!(scan.comments.len(), 1);
        assert!(scan.comments[0].trailing);
    }
}
