//! The one diagnostic type shared by every surface (terminal, JSON, reports, LSP), and the
//! registry of diagnostic codes with their titles and hints.

use crate::text::{FileId, Span, TextRange};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A labelled span: the primary label says what is wrong where; secondary labels may point into
/// other files (the first declaration of a duplicate id, the import that closes a cycle).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// A problem in the user's input (model, metamodel, rule pack, configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is. `None` only for problems with no place (e.g. "no .ea files").
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.default_severity(),
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: code.default_help().map(str::to_owned),
        }
    }

    #[must_use]
    pub fn at(mut self, file: FileId, range: TextRange, label: impl Into<String>) -> Self {
        self.primary = Some(Label {
            span: Span::new(file, range),
            message: label.into(),
        });
        self
    }

    #[must_use]
    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: label.into(),
        });
        self
    }

    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Sort key: file, offset, code — the order in which every surface prints diagnostics.
    pub fn sort_key(&self) -> (Option<FileId>, u32, u32, Code) {
        match &self.primary {
            Some(label) => (
                Some(label.span.file),
                label.span.range.start,
                label.span.range.end,
                self.code,
            ),
            None => (None, 0, 0, self.code),
        }
    }
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $severity:ident, $title:literal, $help:expr; )*) => {
        /// Every diagnostic code the language can report. Codes are stable: never renumber one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            pub fn title(self) -> &'static str {
                match self { $( Code::$variant => $title, )* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            pub fn default_help(self) -> Option<&'static str> {
                match self { $( Code::$variant => $help, )* }
            }

            pub fn parse(text: &str) -> Option<Code> {
                match text { $( $code => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    // KT00xx: syntax.
    SyntaxError = "KT0001", Error, "syntax error", None;
    UnterminatedString = "KT0002", Error, "unterminated string", Some("close the string with `\"` on the same line; write a line break as `\\n`");
    UnclosedDelimiter = "KT0003", Error, "unclosed `{` or `[`", Some("add the missing closing delimiter; the formatter (`kientruc fmt`) shows the structure once the file parses");
    UnexpectedCloser = "KT0004", Error, "unexpected closing delimiter", Some("remove it, or add the opening `{` / `[` it was meant to close");
    InvalidDate = "KT0005", Error, "invalid date", Some("dates are written YYYY-MM-DD, e.g. 2025-12-31");
    InvalidInteger = "KT0006", Error, "invalid integer", Some("integers are whole numbers between -9223372036854775808 and 9223372036854775807");
    InvalidEscape = "KT0007", Error, "invalid escape in string", Some("valid escapes are \\\" \\\\ \\n \\t and \\u{XXXX}");
    NestingTooDeep = "KT0008", Error, "nesting too deep", Some("elements and lists may nest at most 64 levels; flatten the model with top-level declarations and relations");
    HeaderEntry = "KT0009", Error, "only properties are allowed here", Some("relations and nested elements belong in element bodies, not in the architecture header or a relation body");
    MisplacedTags = "KT0010", Error, "invalid tags", Some("write tags as a list of words: tags [public-service, personal-data]");
    StringTooLong = "KT0011", Error, "string too long", Some("a string may hold at most 65536 bytes; keep long texts (legal documents, specifications) in their own files and refer to them by name or URL");
    NonAsciiIdentifier = "KT0012", Error, "identifier is not ASCII", Some("write identifiers in ASCII; Vietnamese text belongs in display names and descriptions, which are strings");
    // KT01xx: files and workspace.
    FileUnreadable = "KT0101", Error, "file cannot be read", None;
    NotUtf8 = "KT0102", Error, "file is not valid UTF-8", Some("save the file as UTF-8 (a byte-order mark is allowed); Vietnamese text must be UTF-8 encoded");
    BinaryFile = "KT0103", Error, "file looks binary", Some("only text `.ea` files can be loaded");
    FileTooLarge = "KT0104", Error, "file too large", Some("split the model into several files of at most 16 MiB each");
    ImportNotFound = "KT0105", Error, "imported file not found", Some("import paths are relative to the importing file; `framework:NAME` reads NAME from the framework pack");
    ImportCycle = "KT0106", Error, "import cycle", Some("break the cycle: move shared declarations into a file both can import");
    ImportOutsideRoot = "KT0107", Error, "import leaves the workspace root", Some("keep imported files inside the workspace root (the folder holding kientruc.toml, else the folder holding the architecture header; docs/language.md §4.3)");
    NoSources = "KT0108", Error, "no .ea files", Some("pass a `.ea` file or a folder that contains some");
    MissingHeader = "KT0109", Error, "no architecture header", Some("declare one `architecture ID \"Name\" { framework \"vn-egov-3.0\" version \"1.0\" }` in the workspace");
    DuplicateHeader = "KT0110", Error, "more than one architecture header", Some("keep a single `architecture` declaration per workspace");
    UnknownFramework = "KT0111", Error, "unknown framework", None;
    DuplicateAlias = "KT0112", Error, "import alias used twice", Some("give each import its own name with `as NAME`");
    ImportTooDeep = "KT0113", Error, "imports nested too deep", Some("imports may chain at most 32 files deep");
    TooManyFiles = "KT0114", Error, "too many files", Some("a workspace may hold at most 20000 files");
    // KT02xx: resolution against the metamodel.
    UnknownKind = "KT0201", Error, "unknown element kind", None;
    UnknownProperty = "KT0202", Error, "unknown property", None;
    WrongValueType = "KT0203", Error, "wrong value type", None;
    ValueNotAllowed = "KT0204", Error, "value not allowed", None;
    DuplicateId = "KT0205", Error, "duplicate id", Some("ids are unique within a workspace; rename one of the elements");
    UnresolvedReference = "KT0206", Error, "unresolved reference", None;
    UnknownRelation = "KT0207", Error, "unknown relation type", None;
    RelationNotAllowed = "KT0208", Error, "relation not allowed between these kinds", None;
    MissingProperty = "KT0209", Error, "missing required property", None;
    DuplicateProperty = "KT0210", Error, "property set twice", Some("keep one value; use a list `[a, b]` for several");
    NestingNotAllowed = "KT0211", Error, "element kind cannot be nested here", None;
    ReferenceKind = "KT0212", Error, "reference to an element of the wrong kind", None;
    WaiverIncomplete = "KT0213", Error, "incomplete waiver", Some("write `waive RULE-ID on ELEMENT until YYYY-MM-DD \"reason\"`");
    UnknownHeaderProperty = "KT0214", Error, "unknown header property", None;
    InvalidView = "KT0215", Error, "invalid view", Some("a view holds `include SELECTOR`, `include SELECTOR -> SELECTOR`, `exclude SELECTOR`, `layout bands|top-down`, `group by layer|owner|kind`, `title_en`, `description` and `description_en`; selectors are the rule packs' (docs/rules.md)");
    // KT03xx: framework packs and configuration.
    MetamodelError = "KT0301", Error, "invalid metamodel", None;
    ConfigError = "KT0302", Error, "invalid configuration", None;
    // KT04xx: rule packs and waivers.
    RulePackError = "KT0401", Error, "invalid rule pack", None;
    UnknownWaivedRule = "KT0402", Error, "waiver names an unknown rule", None;
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert_eq!(Code::parse(code.as_str()), Some(*code));
        }
    }
}
