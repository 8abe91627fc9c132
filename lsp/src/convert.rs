//! Conversions between the core's values (byte offsets, spans, paths) and protocol types (UTF-16
//! positions, ranges, `file:` URIs). Every position conversion goes through the file's
//! [`LineIndex`]; nothing else in the server counts characters.

use crate::host;
use crate::ide::ProjectAnalysis;
use crate::ide::highlighting::HighlightToken;
use kientruc_dsl::text::{FileId, LineIndex, Span, TextRange};
use kientruc_dsl::workspace::FRAMEWORK_PREFIX;
use lsp_types::{Position, Range, SemanticToken, TextDocumentContentChangeEvent, Uri};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;

/// The LSP position of a byte offset in `text`.
pub fn position(line_index: &LineIndex, text: &str, offset: usize) -> Position {
    let (line, character) = line_index.utf16_position(text, offset);
    Position { line, character }
}

/// The LSP range of a byte range in `text`.
pub fn range(line_index: &LineIndex, text: &str, text_range: TextRange) -> Range {
    Range {
        start: position(line_index, text, text_range.start as usize),
        end: position(line_index, text, text_range.end as usize),
    }
}

/// The byte offset of an LSP position (clamped to the line and the text; never fails).
pub fn offset(line_index: &LineIndex, text: &str, position: Position) -> usize {
    line_index.offset_of_utf16(text, position.line, position.character)
}

/// The byte range of an LSP range (start and end clamped; a reversed range is made empty).
pub fn text_range(line_index: &LineIndex, text: &str, range: Range) -> TextRange {
    let start = offset(line_index, text, range.start);
    let end = offset(line_index, text, range.end).max(start);
    TextRange::new(start, end)
}

/// Characters left as they are in a `file:` URI path; every other byte is percent-encoded.
fn is_unreserved_path_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
}

/// The `file:` URI of an absolute path (UTF-8 percent-encoded: Vietnamese folder names work).
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut encoded = String::with_capacity(text.len() + 8);
    encoded.push_str("file://");
    // Windows paths (`C:/x`) get a leading slash: `file:///C:/x`.
    if !text.starts_with('/') {
        encoded.push('/');
    }
    for (index, byte) in text.bytes().enumerate() {
        let is_drive_colon = index == 1 && byte == b':' && text.as_bytes()[0].is_ascii_alphabetic();
        if is_unreserved_path_byte(byte) || is_drive_colon {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    Uri::from_str(&encoded).ok()
}

/// The path of a `file:` URI; `None` for other schemes or malformed URIs.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    // Drop an authority (`localhost`), keep the path; ignore a query or fragment.
    let path_start = rest.find('/')?;
    let authority = &rest[..path_start];
    if !(authority.is_empty() || authority.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let encoded = rest[path_start..]
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    let decoded = percent_decode(encoded)?;
    // `/C:/x` on Windows-style URIs.
    let bytes = decoded.as_bytes();
    let decoded = if bytes.len() >= 3
        && bytes[0] == b'/'
        && bytes[2] == b':'
        && bytes[1].is_ascii_alphabetic()
    {
        decoded[1..].to_owned()
    } else {
        decoded
    };
    Some(kientruc_dsl::workspace::normalize(Path::new(&decoded), "."))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Applies a `didChange` notification's changes in order (ranged or whole-text).
pub fn apply_changes(text: &str, changes: &[TextDocumentContentChangeEvent]) -> String {
    let mut text = text.to_owned();
    for change in changes {
        match change.range {
            Some(changed_range) => {
                let line_index = LineIndex::new(&text);
                let replaced = text_range(&line_index, &text, changed_range);
                text.replace_range(replaced.to_range(), &change.text);
            }
            None => text.clone_from(&change.text),
        }
    }
    text
}

/// Encodes highlight tokens the protocol's way: relative lines and UTF-16 columns. Tokens that
/// span lines (none in this language) are dropped.
pub fn semantic_tokens(
    line_index: &LineIndex,
    text: &str,
    tokens: &[HighlightToken],
) -> Vec<SemanticToken> {
    let mut encoded = Vec::with_capacity(tokens.len());
    let (mut previous_line, mut previous_start) = (0, 0);
    for token in tokens {
        let start = position(line_index, text, token.range.start as usize);
        let end = position(line_index, text, token.range.end as usize);
        if start.line != end.line {
            continue;
        }
        let delta_line = start.line - previous_line;
        let delta_start = if delta_line == 0 {
            start.character - previous_start
        } else {
            start.character
        };
        encoded.push(SemanticToken {
            delta_line,
            delta_start,
            length: end.character - start.character,
            token_type: token.kind as u32,
            token_modifiers_bitset: token.modifiers,
        });
        (previous_line, previous_start) = (start.line, start.character);
    }
    encoded
}

/// The protocol side of a [`ProjectAnalysis`]: the paths and URIs an editor can open for its
/// files, and its spans as protocol ranges and locations (through `LineIndex`).
pub trait ProtocolPositions {
    /// The path an editor can open for a file.
    fn client_path(&self, file: FileId) -> Option<PathBuf>;
    /// The client path of a file as a URI.
    fn client_uri(&self, file: FileId) -> Option<Uri>;
    /// The protocol range of a span (in its own file).
    fn range(&self, span: Span) -> lsp_types::Range;
    /// The protocol location of a span, when its file can be shown to the client.
    fn location(&self, span: Span) -> Option<lsp_types::Location>;
    /// The byte offset of a protocol position in a file.
    fn offset(&self, file: FileId, position: lsp_types::Position) -> usize;
}

impl ProtocolPositions for ProjectAnalysis {
    /// The path an editor can open for a file: the file itself, the pack file of a pack read
    /// from disk, or a cached copy of an embedded pack file.
    fn client_path(&self, file: FileId) -> Option<PathBuf> {
        let source = self.source(file);
        let path_text = source.path.to_string_lossy();
        let Some(framework_path) = path_text.strip_prefix(FRAMEWORK_PREFIX) else {
            return source.path.is_absolute().then(|| source.path.clone());
        };
        let (pack_id, name) = framework_path.split_once('/')?;
        let framework = self.checked.analysis.workspace.framework.as_ref()?;
        if framework.pack.id != pack_id {
            return None;
        }
        host::framework_file_on_disk(&framework.pack, name, &self.cache_directory)
    }

    /// The client path of a file as a URI.
    fn client_uri(&self, file: FileId) -> Option<Uri> {
        path_to_uri(&self.client_path(file)?)
    }

    /// The protocol range of a span (in its own file).
    fn range(&self, span: Span) -> lsp_types::Range {
        let source = self.source(span.file);
        range(&source.line_index, &source.text, span.range)
    }

    /// The protocol location of a span, when its file can be shown to the client.
    fn location(&self, span: Span) -> Option<lsp_types::Location> {
        Some(lsp_types::Location {
            uri: self.client_uri(span.file)?,
            range: self.range(span),
        })
    }

    /// The byte offset of a protocol position in a file.
    fn offset(&self, file: FileId, position: lsp_types::Position) -> usize {
        let source = self.source(file);
        offset(&source.line_index, &source.text, position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_vietnamese_names_round_trip_through_uris() {
        let path = Path::new("/home/kiến trúc/Hà Nội/ứng dụng.ea");
        let uri = path_to_uri(path).expect("a valid uri");
        assert_eq!(
            uri.as_str(),
            "file:///home/ki%E1%BA%BFn%20tr%C3%BAc/H%C3%A0%20N%E1%BB%99i/%E1%BB%A9ng%20d%E1%BB%A5ng.ea"
        );
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
    }

    #[test]
    fn uris_of_other_schemes_and_hosts_are_not_paths() {
        let untitled = Uri::from_str("untitled:Untitled-1").expect("uri");
        assert_eq!(uri_to_path(&untitled), None);
        let remote = Uri::from_str("file://server/share/a.ea").expect("uri");
        assert_eq!(uri_to_path(&remote), None);
        let local = Uri::from_str("file://localhost/tmp/a.ea").expect("uri");
        assert_eq!(uri_to_path(&local), Some(PathBuf::from("/tmp/a.ea")));
    }

    #[test]
    fn ranged_changes_apply_in_order_at_utf16_positions() {
        let text = "system a \"Hà Nội\" {}\n";
        let changes = vec![
            TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(0, 16), Position::new(0, 16))),
                range_length: None,
                text: " mới".to_owned(),
            },
            TextDocumentContentChangeEvent {
                range: Some(Range::new(Position::new(0, 7), Position::new(0, 8))),
                range_length: None,
                text: "b".to_owned(),
            },
        ];
        assert_eq!(
            apply_changes(text, &changes),
            "system b \"Hà Nội mới\" {}\n"
        );
    }

    #[test]
    fn positions_count_utf16_units_in_vietnamese_text() {
        let text = "system a \"Hệ thống\" {\n  owner ubnd\n}\n";
        let index = LineIndex::new(text);
        let quote = text.rfind('"').expect("closing quote");
        assert_eq!(position(&index, text, quote), Position::new(0, 18));
        assert_eq!(offset(&index, text, Position::new(0, 18)), quote);
        // Past the end of a line clamps to the line's end; past the text to its end.
        assert_eq!(
            offset(&index, text, Position::new(1, 99)),
            text.find("\n}").expect("line end")
        );
        assert_eq!(offset(&index, text, Position::new(40, 0)), text.len());
    }

    #[test]
    fn positions_on_the_first_line_start_after_a_byte_order_mark() {
        // Editors do not show a byte-order mark: a file read from disk with one must give the
        // positions the editor shows (character 0 is the first character after the mark).
        let text = "\u{feff}system a \"Hệ thống\" {\n  owner ubnd\n}\n";
        let index = LineIndex::new(text);
        let quote = text.rfind('"').expect("closing quote");
        assert_eq!(position(&index, text, quote), Position::new(0, 18));
        assert_eq!(offset(&index, text, Position::new(0, 18)), quote);
        let system = text.find("system").expect("kind");
        assert_eq!(position(&index, text, system), Position::new(0, 0));
        assert_eq!(offset(&index, text, Position::new(0, 0)), system);
        let owner = text.find("owner").expect("property");
        assert_eq!(position(&index, text, owner), Position::new(1, 2));
    }
}
