//! The typed syntax tree of one `.ea` file. Every node keeps its byte range; comments are kept
//! beside the tree (for doc comments and the formatter). pest types never appear here.

use crate::text::TextRange;
pub use compact_str::CompactString;

/// An identifier or a dotted path (`national.ndxp`) with its range. The text is a
/// [`CompactString`], stored inline up to 24 bytes: nearly every identifier of a model fits, so a
/// name costs no allocation of its own (a model has about thirty per element).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: CompactString,
    pub range: TextRange,
}

/// A string literal: its decoded value and its range. The text as written, quotes and escapes
/// included, is the source at `range` ([`StringLiteral::raw`]); the formatter prints that, so
/// escapes are never rewritten. It is not kept twice: a model has a string literal or two per
/// element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringLiteral {
    pub value: String,
    pub range: TextRange,
}

impl StringLiteral {
    /// The literal as written in `text`, the source it was parsed from.
    pub fn raw<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range.to_range()]
    }
}

/// A calendar date written `YYYY-MM-DD`, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days_in_month).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = text[0..4].parse().ok()?;
        let month = text[5..7].parse().ok()?;
        let day = text[8..10].parse().ok()?;
        Date::new(year, month, day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "{:04}-{:02}-{:02}",
            self.year, self.month, self.day
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueKind {
    String(StringLiteral),
    Integer(i64),
    Date(Date),
    /// A bare word or dotted path: an enum value, a boolean, or a reference, depending on the
    /// property's type in the metamodel.
    Path(Name),
    List(Vec<Value>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub kind: ValueKind,
    pub range: TextRange,
}

/// `name value` inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub name: Name,
    pub value: Value,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Property(Property),
    /// Boxed, as are nested elements: most entries are properties, and an entry is as large as
    /// its largest variant.
    Relation(Box<Relation>),
    Element(Box<Element>),
}

impl Entry {
    pub fn range(&self) -> TextRange {
        match self {
            Entry::Property(property) => property.range,
            Entry::Relation(relation) => relation.range,
            Entry::Element(element) => element.range,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub entries: Vec<Entry>,
    pub range: TextRange,
}

/// `kind id "Display name" { ... }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub doc: Option<String>,
    pub kind: Name,
    pub id: Name,
    pub name: StringLiteral,
    pub body: Option<Block>,
    pub range: TextRange,
}

/// `type source -> target "label" via a, b { ... }`; `source` is `None` inside an element body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub doc: Option<String>,
    pub relation_type: Name,
    pub source: Option<Name>,
    pub arrow: TextRange,
    pub target: Name,
    pub label: Option<StringLiteral>,
    pub via: Vec<Name>,
    pub body: Option<Block>,
    pub range: TextRange,
}

/// `architecture id "Name" { framework "vn-egov-3.0" version "3.0" ... }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Architecture {
    pub doc: Option<String>,
    pub id: Name,
    pub name: StringLiteral,
    pub body: Option<Block>,
    pub range: TextRange,
}

/// `import "path.ea" as alias`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub path: StringLiteral,
    pub alias: Option<Name>,
    pub range: TextRange,
}

/// `waive RULE-ID on element until 2025-06-30 "reason"`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    pub doc: Option<String>,
    pub rule: Name,
    pub element: Name,
    pub until: Option<(Date, TextRange)>,
    pub reason: Option<StringLiteral>,
    pub range: TextRange,
}

/// `view id "Title" { include SELECTOR … }`: what a diagram shows and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub doc: Option<String>,
    pub id: Name,
    pub title: StringLiteral,
    /// In source order.
    pub items: Vec<ViewItem>,
    /// The body, braces included.
    pub body_range: TextRange,
    pub range: TextRange,
}

/// One line of a view's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewItem {
    /// `include SELECTOR`, `include SELECTOR -> SELECTOR`, `exclude …`.
    Statement(ViewStatement),
    /// `group by WORD`.
    GroupBy { word: Name, range: TextRange },
    /// `layout bands`, `title_en "…"`, `description "…"`, `description_en "…"`.
    Property(Property),
}

impl ViewItem {
    pub fn range(&self) -> TextRange {
        match self {
            ViewItem::Statement(statement) => statement.range,
            ViewItem::GroupBy { range, .. } => *range,
            ViewItem::Property(property) => property.range,
        }
    }
}

/// `include SELECTOR` or `exclude SELECTOR`, with an optional `-> SELECTOR`. The selectors are
/// kept as written (trimmed): the selector language parses them when the model resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewStatement {
    pub include: bool,
    pub keyword: TextRange,
    pub selector: SelectorText,
    pub target: Option<SelectorText>,
    pub range: TextRange,
}

/// A selector as written in a view, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorText {
    pub text: String,
    pub range: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declaration {
    Architecture(Architecture),
    Import(Import),
    Element(Element),
    Relation(Relation),
    Waiver(Waiver),
    View(View),
}

impl Declaration {
    pub fn range(&self) -> TextRange {
        match self {
            Declaration::Architecture(declaration) => declaration.range,
            Declaration::Import(declaration) => declaration.range,
            Declaration::Element(declaration) => declaration.range,
            Declaration::Relation(declaration) => declaration.range,
            Declaration::Waiver(declaration) => declaration.range,
            Declaration::View(declaration) => declaration.range,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `// ...`
    Line,
    /// `/// ...`, attached to the next declaration.
    Doc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    /// The comment's text including the leading slashes, without the line break.
    pub text: String,
    pub range: TextRange,
    /// True when code precedes the comment on its line (`owner x // trailing`).
    pub trailing: bool,
}

/// One parsed file: its declarations (those that parsed), and all comments in source order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceFile {
    pub declarations: Vec<Declaration>,
    pub comments: Vec<Comment>,
}
