//! Positions in source text: file ids, byte ranges, and the line index that turns them into
//! line/column (1-based, in characters) or LSP positions (0-based, UTF-16) at the edges.

use serde::Serialize;
use std::ops::Range;

/// Identifies one source file inside an analysis (index into the workspace's file table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileId(pub u32);

/// A half-open byte range `start..end` in one file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "text range start {start} > end {end}");
        Self {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn empty(at: usize) -> Self {
        Self::new(at, at)
    }

    #[must_use]
    pub fn offset(self, by: usize) -> Self {
        Self::new(self.start as usize + by, self.end as usize + by)
    }

    #[must_use]
    pub fn cover(self, other: TextRange) -> Self {
        Self {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn contains(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset <= (self.end as usize)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn to_range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A range in a specific file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub file: FileId,
    pub range: TextRange,
}

impl Span {
    pub fn new(file: FileId, range: TextRange) -> Self {
        Self { file, range }
    }
}

/// A 1-based line and column (column counted in Unicode scalar values), as humans read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineColumn {
    pub line: u32,
    pub column: u32,
}

/// Maps byte offsets of one text to lines and columns, in both human and LSP (UTF-16) terms.
///
/// A byte-order mark at the start of the text is not counted: editors do not show it, so
/// column 1 (LSP character 0) of line 1 is the character after it, and a file reads the same
/// with or without one.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of every line.
    line_starts: Vec<u32>,
    len: u32,
    /// Length in bytes of the byte-order mark the text starts with (0 when there is none).
    bom: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts
            .extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|offset| offset as u32 + 1));
        let bom = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8() as u32
        } else {
            0
        };
        Self {
            line_starts,
            len: text.len() as u32,
            bom,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line number containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = (offset as u32).min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where a line starts (line 0 starts at 0, before any byte-order mark).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .map_or(self.len as usize, |start| *start as usize)
    }

    /// Byte offset of a line's first column: its start, or after the byte-order mark on line 0.
    fn column_start(&self, line: usize) -> usize {
        let start = self.line_start(line);
        if line == 0 {
            (start + self.bom as usize).min(self.len as usize)
        } else {
            start
        }
    }

    /// 1-based line and character column of a byte offset (an offset inside the byte-order
    /// mark is column 1).
    pub fn line_column(&self, text: &str, offset: usize) -> LineColumn {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.column_start(line);
        let column = text[start..offset.max(start)].chars().count();
        LineColumn {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// 0-based line and UTF-16 code-unit column of a byte offset (LSP positions).
    pub fn utf16_position(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.column_start(line);
        let column: usize = text[start..offset.max(start)]
            .chars()
            .map(char::len_utf16)
            .sum();
        (line as u32, column as u32)
    }

    /// Byte offset of a 0-based line and UTF-16 column; out-of-range positions are clamped to
    /// the end of the line or of the text rather than rejected.
    pub fn offset_of_utf16(&self, text: &str, line: u32, column: u32) -> usize {
        let line = line as usize;
        if line >= self.line_starts.len() {
            return text.len();
        }
        let start = self.column_start(line);
        let end = if line + 1 < self.line_starts.len() {
            self.line_start(line + 1)
        } else {
            text.len()
        };
        let mut units = 0usize;
        for (index, character) in text[start..end].char_indices() {
            if units >= column as usize || character == '\n' || character == '\r' {
                return start + index;
            }
            units += character.len_utf16();
        }
        end
    }
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let text = "ab\nHà Nội x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(
            index.line_column(text, x),
            LineColumn { line: 2, column: 8 }
        );
        assert_eq!(index.utf16_position(text, x), (1, 7));
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "a😀b";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap();
        assert_eq!(index.utf16_position(text, b), (0, 3));
        assert_eq!(index.offset_of_utf16(text, 0, 3), b);
        // Out of range positions clamp instead of panicking.
        assert_eq!(index.offset_of_utf16(text, 7, 0), text.len());
        assert_eq!(index.offset_of_utf16(text, 0, 99), text.len());
    }

    #[test]
    fn a_byte_order_mark_is_not_counted() {
        let plain = "agency ubnd \"Hà Nội\" { levl province }\nx ở\n";
        let with_bom = format!("\u{feff}{plain}");
        let plain_index = LineIndex::new(plain);
        let bom_index = LineIndex::new(&with_bom);
        let shift = '\u{feff}'.len_utf8();
        // Every offset of the text after the mark has the same line and column as without it.
        for (offset, _) in plain.char_indices().chain([(plain.len(), ' ')]) {
            assert_eq!(
                bom_index.line_column(&with_bom, offset + shift),
                plain_index.line_column(plain, offset),
                "offset {offset}"
            );
            let position = plain_index.utf16_position(plain, offset);
            assert_eq!(
                bom_index.utf16_position(&with_bom, offset + shift),
                position
            );
            assert_eq!(
                bom_index.offset_of_utf16(&with_bom, position.0, position.1),
                offset + shift
            );
        }
        // `levl` is at column 24 of line 1 (LSP character 23), with or without the mark.
        let levl = with_bom.find("levl").unwrap();
        assert_eq!(
            bom_index.line_column(&with_bom, levl),
            LineColumn {
                line: 1,
                column: 24
            }
        );
        assert_eq!(bom_index.utf16_position(&with_bom, levl), (0, 23));
        // The mark itself is column 1; position 0 of line 1 is after it.
        for offset in 0..=shift {
            assert_eq!(
                bom_index.line_column(&with_bom, offset),
                LineColumn { line: 1, column: 1 }
            );
            assert_eq!(bom_index.utf16_position(&with_bom, offset), (0, 0));
        }
        assert_eq!(bom_index.offset_of_utf16(&with_bom, 0, 0), shift);
        // A text that is only a mark, and a U+FEFF later in the text (an ordinary character).
        let only = "\u{feff}";
        assert_eq!(
            LineIndex::new(only).utf16_position(only, only.len()),
            (0, 0)
        );
        let later = "a\u{feff}b";
        let b = later.find('b').unwrap();
        assert_eq!(LineIndex::new(later).utf16_position(later, b), (0, 2));
    }
}
