//! The direct reader: a hand-written recursive-descent reading of `grammar.pest` for the common
//! case, a whole file that parses with no error at all and declares no view (a file with a `view`
//! is left to pest: a workspace has a handful of them).
//!
//! pest stays the definition of the language and the parser of everything else: the reader
//! either returns exactly the declarations that pest and the lowering in parser.rs would give
//! for the same text, or `None`, and then pest parses the file (and reports what is wrong with
//! it). It gives up on any syntax error and on anything the lowering would report (a bad escape,
//! a date that is no calendar day, an integer out of range), so it never produces a diagnostic
//! of its own and never decides what an error message says.
//!
//! Why it exists: pest pays a fixed cost per combinator call, which is most of parsing a model
//! (about 245 instructions per byte of a generated 300 KiB file, callgrind); the reader works
//! byte by byte. Each function below mirrors one rule of the grammar, with the same ordered
//! choices and the same backtracking, and is named after it. `parser::reference_declarations`
//! gives pest's result for the same input; the fuzz targets and `dsl/tests/reader.rs` assert that
//! both agree (the same declarations, or both `None`) on every input they try.

use crate::literal::string_literal;
use crate::syntax::{
    Architecture, Block, CompactString, Date, Declaration, Element, Entry, Import, Name, Property,
    Relation, StringLiteral, Value, ValueKind, Waiver,
};
use crate::text::TextRange;

/// The declarations of `text` (comments already blanked out), or `None` when pest's `chunk`
/// rule would fail on it or the lowering would report anything.
pub(crate) fn read(text: &str) -> Option<Vec<Declaration>> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        position: 0,
        lowering_failed: false,
        open_entries: Vec::new(),
    };
    // chunk = { SOI ~ declaration* ~ EOI }
    let mut declarations = Vec::new();
    loop {
        reader.skip();
        if reader.position == reader.bytes.len() {
            break;
        }
        declarations.push(reader.declaration()?);
    }
    // pest would have matched the token whose lowering failed, and the lowering would report it.
    (!reader.lowering_failed).then_some(declarations)
}

/// What follows a relation's source: its arrow, target, label, `via` list and body, and the end
/// of its last token.
struct RelationTail {
    arrow: TextRange,
    target: Name,
    label: Option<StringLiteral>,
    via: Vec<Name>,
    body: Option<Block>,
    end: usize,
}

impl RelationTail {
    fn relation(self, start: usize, relation_type: Name, source: Option<Name>) -> Relation {
        Relation {
            doc: None,
            relation_type,
            source,
            arrow: self.arrow,
            target: self.target,
            label: self.label,
            via: self.via,
            body: self.body,
            range: TextRange::new(start, self.end),
        }
    }
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    position: usize,
    /// Set when a token matched but its lowering would report an error (a bad escape, a date
    /// that is no calendar day, an integer out of range): the read then gives up.
    lowering_failed: bool,
    /// The entries read so far of the blocks being read, innermost last. A block moves its own
    /// into a vector of exactly their number when it closes: a grown vector would keep up to
    /// twice the room, and an element has a dozen entries of about 90 bytes.
    open_entries: Vec<Entry>,
}

/// `ident_start = _{ 'a'..'z' | 'A'..'Z' | "_" }`
fn ident_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

impl Reader<'_> {
    /// Runs `rule`; when it fails, the position goes back to where it was (a PEG alternative or
    /// optional that does not match consumes nothing).
    fn attempt<T>(&mut self, rule: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let saved = self.position;
        let result = rule(self);
        if result.is_none() {
            self.position = saved;
        }
        result
    }

    /// pest's implicit whitespace between the parts of a non-atomic rule:
    /// `WHITESPACE = _{ " " | "\n" | '\t'..'\r' | "\u{FEFF}" }`, repeated.
    fn skip(&mut self) {
        loop {
            match self.bytes.get(self.position) {
                Some(b' ' | b'\t'..=b'\r') => self.position += 1,
                Some(0xEF) if self.bytes[self.position..].starts_with("\u{FEFF}".as_bytes()) => {
                    self.position += 3;
                }
                _ => return,
            }
        }
    }

    /// `ident_continue = _{ 'a'..'z' | '0'..'9' | "_" | 'A'..'Z' | ("-" ~ !">") }` at `at`.
    fn ident_continue(&self, at: usize) -> bool {
        match self.bytes.get(at) {
            Some(byte) if byte.is_ascii_alphanumeric() || *byte == b'_' => true,
            Some(b'-') => self.bytes.get(at + 1) != Some(&b'>'),
            _ => false,
        }
    }

    /// The end of the identifier starting at `at` (`ident`'s characters), if one starts there.
    fn ident_end(&self, at: usize) -> Option<usize> {
        if !ident_start(*self.bytes.get(at)?) {
            return None;
        }
        let mut end = at + 1;
        while self.ident_continue(end) {
            end += 1;
        }
        Some(end)
    }

    /// `kw_x = @{ "x" ~ !ident_continue }`
    fn keyword(&mut self, keyword: &str) -> Option<()> {
        let end = self.position + keyword.len();
        (self.bytes[self.position..].starts_with(keyword.as_bytes()) && !self.ident_continue(end))
            .then(|| self.position = end)
    }

    /// `"x"` for a one-byte literal.
    fn literal(&mut self, byte: u8) -> Option<usize> {
        let at = self.position;
        (self.bytes.get(at) == Some(&byte)).then(|| {
            self.position += 1;
            at
        })
    }

    fn name_to(&mut self, end: usize) -> Name {
        let start = self.position;
        self.position = end;
        Name {
            text: CompactString::new(&self.text[start..end]),
            range: TextRange::new(start, end),
        }
    }

    /// `ident`
    fn ident(&mut self) -> Option<Name> {
        let end = self.ident_end(self.position)?;
        Some(self.name_to(end))
    }

    /// `path`: identifiers joined by `.`; a `.` not followed by an identifier is not part of it.
    fn path(&mut self) -> Option<Name> {
        let mut end = self.ident_end(self.position)?;
        while self.bytes.get(end) == Some(&b'.')
            && let Some(next) = self.ident_end(end + 1)
        {
            end = next;
        }
        Some(self.name_to(end))
    }

    /// `element_id`: an identifier not followed by `.` and an identifier start.
    fn element_id(&mut self) -> Option<Name> {
        let end = self.ident_end(self.position)?;
        if self.bytes.get(end) == Some(&b'.')
            && self
                .bytes
                .get(end + 1)
                .is_some_and(|byte| ident_start(*byte))
        {
            return None;
        }
        Some(self.name_to(end))
    }

    /// `string`: `"` up to the next unescaped `"` on the same line (`\` escapes any character,
    /// a line break included), lowered as parser.rs does.
    fn string(&mut self) -> Option<StringLiteral> {
        let start = self.position;
        if self.bytes.get(start) != Some(&b'"') {
            return None;
        }
        let mut at = start + 1;
        let end = loop {
            at += memchr::memchr3(b'"', b'\n', b'\\', &self.bytes[at..])?;
            match self.bytes[at] {
                b'"' => break at + 1,
                b'\n' => return None,
                _ => {
                    // `"\\" ~ ANY`: the escaped character may be multi-byte; its continuation
                    // bytes are never one of the three searched for.
                    if at + 1 >= self.bytes.len() {
                        return None;
                    }
                    at += 2;
                }
            }
        };
        let Ok(string) = string_literal(&self.text[start..end], TextRange::new(start, end)) else {
            self.lowering_failed = true;
            return None;
        };
        self.position = end;
        Some(string)
    }

    /// `date = @{ ASCII_DIGIT{4} ~ "-" ~ ASCII_DIGIT{2} ~ "-" ~ ASCII_DIGIT{2} ~ !ident_continue }`
    fn date_end(&self) -> Option<usize> {
        let at = self.position;
        let digits = |from: usize, count: usize| {
            self.bytes
                .get(from..from + count)
                .is_some_and(|run| run.iter().all(u8::is_ascii_digit))
        };
        (digits(at, 4)
            && self.bytes.get(at + 4) == Some(&b'-')
            && digits(at + 5, 2)
            && self.bytes.get(at + 7) == Some(&b'-')
            && digits(at + 8, 2)
            && !self.ident_continue(at + 10))
        .then_some(at + 10)
    }

    /// `integer = @{ "-"? ~ ASCII_DIGIT+ ~ !(ident_continue | ".") }`
    fn integer_end(&self) -> Option<usize> {
        let mut at = self.position;
        if self.bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let digits = self.bytes[at.min(self.bytes.len())..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        let end = at + digits;
        (digits > 0 && !self.ident_continue(end) && self.bytes.get(end) != Some(&b'.'))
            .then_some(end)
    }

    /// A token's lowered value; `None` (which the lowering reports) ends the read.
    fn lowered<T>(&mut self, value: Option<T>) -> Option<T> {
        self.lowering_failed |= value.is_none();
        value
    }

    /// `declaration = _{ architecture | import | waiver | declaration_ident }`
    fn declaration(&mut self) -> Option<Declaration> {
        if let Some(header) = self.attempt(Self::architecture) {
            return Some(Declaration::Architecture(header));
        }
        if let Some(import) = self.attempt(Self::import) {
            return Some(Declaration::Import(import));
        }
        if let Some(waiver) = self.attempt(Self::waiver) {
            return Some(Declaration::Waiver(waiver));
        }
        // `view = { kw_view ~ element_id ~ string ~ view_block }`: the reader does not read views;
        // pest parses a file that declares one (a handful of lines per model).
        if self.attempt(|reader| reader.keyword("view")).is_some() {
            return None;
        }
        self.attempt(Self::declaration_ident)
    }

    /// `architecture = { kw_architecture ~ ident ~ string ~ block? }`
    fn architecture(&mut self) -> Option<Architecture> {
        let start = self.position;
        self.keyword("architecture")?;
        self.skip();
        let id = self.ident()?;
        self.skip();
        let name = self.string()?;
        let body = self.skipped(Self::block);
        let end = body.as_ref().map_or(name.range.end, |body| body.range.end);
        Some(Architecture {
            doc: None,
            id,
            name,
            body,
            range: TextRange::new(start, end as usize),
        })
    }

    /// `import = { kw_import ~ string ~ (kw_as ~ ident)? }`
    fn import(&mut self) -> Option<Import> {
        let start = self.position;
        self.keyword("import")?;
        self.skip();
        let path = self.string()?;
        let alias = self.skipped(|reader| {
            reader.keyword("as")?;
            reader.skip();
            reader.ident()
        });
        let end = alias
            .as_ref()
            .map_or(path.range.end, |alias| alias.range.end);
        Some(Import {
            path,
            alias,
            range: TextRange::new(start, end as usize),
        })
    }

    /// `waiver = { kw_waive ~ ident ~ kw_on ~ path ~ (kw_until ~ date)? ~ string? }`
    fn waiver(&mut self) -> Option<Waiver> {
        let start = self.position;
        self.keyword("waive")?;
        self.skip();
        let rule = self.ident()?;
        self.skip();
        self.keyword("on")?;
        self.skip();
        let element = self.path()?;
        let mut end = element.range.end;
        let until = self.skipped(|reader| {
            reader.keyword("until")?;
            reader.skip();
            let from = reader.position;
            let to = reader.date_end()?;
            let date = reader.lowered(Date::parse(&reader.text[from..to]))?;
            reader.position = to;
            Some((date, TextRange::new(from, to)))
        });
        if let Some((_, range)) = &until {
            end = range.end;
        }
        let reason = self.skipped(Self::string);
        if let Some(reason) = &reason {
            end = reason.range.end;
        }
        Some(Waiver {
            doc: None,
            rule,
            element,
            until,
            reason,
            range: TextRange::new(start, end as usize),
        })
    }

    /// `declaration_ident = { ident ~ (element_id ~ (string ~ block? | relation_tail) | path ~
    /// relation_tail) }`
    fn declaration_ident(&mut self) -> Option<Declaration> {
        let start = self.position;
        let first = self.ident()?;
        self.skip();
        let after_first = self.position;
        if let Some(second) = self.element_id() {
            self.skip();
            if let Some((name, body)) = self.attempt(Self::element_tail) {
                return Some(Declaration::Element(element(
                    start, first, second, name, body,
                )));
            }
            if let Some(tail) = self.attempt(Self::relation_tail) {
                return Some(Declaration::Relation(tail.relation(
                    start,
                    first,
                    Some(second),
                )));
            }
            self.position = after_first;
        }
        let source = self.path()?;
        self.skip();
        let tail = self.relation_tail()?;
        Some(Declaration::Relation(tail.relation(
            start,
            first,
            Some(source),
        )))
    }

    /// `string ~ block?` after an element's id.
    fn element_tail(&mut self) -> Option<(StringLiteral, Option<Block>)> {
        let name = self.string()?;
        let body = self.skipped(Self::block);
        Some((name, body))
    }

    /// `rule`, preceded by pest's implicit whitespace, as an optional part: when `rule` fails,
    /// neither it nor the whitespace is consumed.
    fn skipped<T>(&mut self, rule: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        self.attempt(|reader| {
            reader.skip();
            rule(reader)
        })
    }

    /// `relation_tail = _{ arrow ~ path ~ string? ~ via? ~ block? }`, with `via = { kw_via ~ path
    /// ~ ("," ~ path)* }`.
    fn relation_tail(&mut self) -> Option<RelationTail> {
        let arrow_start = self.position;
        if !self.bytes[arrow_start..].starts_with(b"->") {
            return None;
        }
        self.position += 2;
        let arrow = TextRange::new(arrow_start, arrow_start + 2);
        self.skip();
        let target = self.path()?;
        let mut end = target.range.end;
        let label = self.skipped(Self::string);
        if let Some(label) = &label {
            end = label.range.end;
        }
        let via = self
            .skipped(|reader| {
                reader.keyword("via")?;
                reader.skip();
                let mut via = vec![reader.path()?];
                while let Some(path) = reader.skipped(|reader| {
                    reader.literal(b',')?;
                    reader.skip();
                    reader.path()
                }) {
                    via.push(path);
                }
                Some(via)
            })
            .unwrap_or_default();
        if let Some(last) = via.last() {
            end = last.range.end;
        }
        let body = self.skipped(Self::block);
        if let Some(body) = &body {
            end = body.range.end;
        }
        Some(RelationTail {
            arrow,
            target,
            label,
            via,
            body,
            end: end as usize,
        })
    }

    /// `block = { "{" ~ entry* ~ "}" }`
    fn block(&mut self) -> Option<Block> {
        let start = self.literal(b'{')?;
        let first = self.open_entries.len();
        while let Some(entry) = self.skipped(Self::entry) {
            self.open_entries.push(entry);
        }
        self.skip();
        let Some(close) = self.literal(b'}') else {
            self.open_entries.truncate(first);
            return None;
        };
        Some(Block {
            entries: self.open_entries.drain(first..).collect(),
            range: TextRange::new(start, close + 1),
        })
    }

    /// `entry = { ident ~ (element_id ~ (string ~ block?)? | relation_tail | list | string |
    /// date | integer | path) }`
    fn entry(&mut self) -> Option<Entry> {
        let start = self.position;
        let first = self.ident()?;
        self.skip();
        if let Some(second) = self.attempt(Self::element_id) {
            if let Some((name, body)) = self.skipped(Self::element_tail) {
                return Some(Entry::Element(Box::new(element(
                    start, first, second, name, body,
                ))));
            }
            let range = second.range;
            let value = Value {
                kind: ValueKind::Path(second),
                range,
            };
            return Some(property(start, first, value));
        }
        if let Some(tail) = self.attempt(Self::relation_tail) {
            return Some(Entry::Relation(Box::new(tail.relation(start, first, None))));
        }
        let value = self.value()?;
        Some(property(start, first, value))
    }

    /// `value = _{ list | string | date | integer | path }` (in an entry, after the
    /// `element_id` and relation alternatives have failed, the same order applies).
    fn value(&mut self) -> Option<Value> {
        let start = self.position;
        let kind = if self.bytes.get(start) == Some(&b'[') {
            ValueKind::List(self.list()?)
        } else if let Some(string) = self.string() {
            ValueKind::String(string)
        } else if let Some(end) = self.date_end() {
            let date = self.lowered(Date::parse(&self.text[start..end]))?;
            self.position = end;
            ValueKind::Date(date)
        } else if let Some(end) = self.integer_end() {
            let integer = self.lowered(self.text[start..end].parse::<i64>().ok())?;
            self.position = end;
            ValueKind::Integer(integer)
        } else {
            ValueKind::Path(self.path()?)
        };
        Some(Value {
            kind,
            range: TextRange::new(start, self.position),
        })
    }

    /// `list = { "[" ~ (value ~ ("," ~ value)* ~ ","?)? ~ "]" }`
    fn list(&mut self) -> Option<Vec<Value>> {
        self.literal(b'[')?;
        let mut items = Vec::new();
        if let Some(first) = self.skipped(Self::value) {
            items.push(first);
            while let Some(item) = self.skipped(|reader| {
                reader.literal(b',')?;
                reader.skip();
                reader.value()
            }) {
                items.push(item);
            }
            self.skipped(|reader| reader.literal(b','));
        }
        self.skip();
        self.literal(b']')?;
        Some(items)
    }
}

fn element(
    start: usize,
    kind: Name,
    id: Name,
    name: StringLiteral,
    body: Option<Block>,
) -> Element {
    let end = body.as_ref().map_or(name.range.end, |body| body.range.end);
    Element {
        doc: None,
        kind,
        id,
        name,
        body,
        range: TextRange::new(start, end as usize),
    }
}

fn property(start: usize, name: Name, value: Value) -> Entry {
    let range = TextRange::new(start, value.range.end as usize);
    Entry::Property(Property { name, value, range })
}
