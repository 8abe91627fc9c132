//! Escaping of model text for each output format. Every string that comes from a model (names,
//! messages, waiver reasons, file names) goes through one of these before it reaches a report.
//!
//! **Invisible and control characters are shown, never passed on** ([`neutralise`]): a model
//! must not be able to reverse the text around a name (bidirectional overrides, the Trojan Source
//! trick), recolour, hyperlink or rewrite the lines of a terminal or a CI log (escape sequences,
//! carriage returns, backspaces), or break an XML document (characters XML 1.0 forbids). One
//! convention holds in every format: such a character becomes `⟨U+XXXX⟩`, its code point in
//! upper-case hexadecimal (at least four digits) between mathematical angle brackets, e.g.
//! `⟨U+202E⟩` for a right-to-left override and `⟨U+001B⟩` for ESC. The characters are:
//!
//! - the bidirectional controls U+202A–U+202E and U+2066–U+2069 and the marks U+200E, U+200F and
//!   U+061C;
//! - the line and paragraph separators U+2028 and U+2029;
//! - C0 controls (U+0000–U+001F) but tab and line feed, DEL (U+007F) and C1 controls
//!   (U+0080–U+009F): ESC, carriage return, backspace, NUL, …;
//! - in XML (`JUnit`, SVG), also the noncharacters U+FFFE and U+FFFF, which XML 1.0 forbids.
//!
//! A tab or a line break is kept where the format can hold one (HTML, XML, SARIF, GitHub
//! annotations, which encode it as `%0A`) and becomes a space where the text must stay on one
//! line (the terminal, a Markdown cell or heading): [`Breaks`]. The JSON outputs (`check --format
//! json`, `report.json`) keep the exact strings; JSON escapes control characters itself.

use std::borrow::Cow;
use std::fmt::Write as _;

/// What [`neutralise`] does with a tab or a line feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breaks {
    /// Keep them: the format can hold a line break (HTML, XML, SARIF, GitHub messages).
    Keep,
    /// Replace them by a space: the text must stay on one line (the terminal, Markdown).
    Space,
}

/// Whether `character` is shown as `⟨U+XXXX⟩` (tab and line feed aside, see [`Breaks`]).
pub fn is_neutralised(character: char) -> bool {
    matches!(
        character,
        '\u{0}'..='\u{8}'
            | '\u{B}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{61C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Whether `text` may hold a character [`is_neutralised`] names, from its bytes alone: every such
/// character is a byte below 0x20 or 0x7F, or starts with 0xC2 (U+0080–U+009F), 0xD8 (U+061C) or
/// 0xE2 (U+2000–U+2FFF). Most text (Vietnamese letters included) has none of these bytes, and is
/// passed on without looking at its characters.
fn may_hold_neutralised(text: &str) -> bool {
    text.bytes()
        .any(|byte| byte < 0x20 || matches!(byte, 0x7F | 0xC2 | 0xD8 | 0xE2))
}

/// Writes the visible form of a character: `⟨U+202E⟩`.
pub fn push_visible(out: &mut String, character: char) {
    let _ = write!(out, "⟨U+{:04X}⟩", u32::from(character));
}

/// A model string as it may be shown: bidirectional controls, control characters and the line
/// and paragraph separators as `⟨U+XXXX⟩` (see the module's documentation); tabs and line feeds
/// kept or made spaces as `breaks` says. Borrows when there is nothing to change.
pub fn neutralise(text: &str, breaks: Breaks) -> Cow<'_, str> {
    let changes = |character: char| {
        is_neutralised(character) || (breaks == Breaks::Space && matches!(character, '\t' | '\n'))
    };
    if !may_hold_neutralised(text) || !text.chars().any(changes) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for character in text.chars() {
        match character {
            '\t' | '\n' if breaks == Breaks::Space => out.push(' '),
            character if is_neutralised(character) => push_visible(&mut out, character),
            character => out.push(character),
        }
    }
    Cow::Owned(out)
}

/// One line of the terminal: [`neutralise`]d, tabs and line breaks as spaces, so a model can
/// neither start a line of the log (a `::error::` workflow command) nor send an escape sequence.
pub fn terminal(text: &str) -> Cow<'_, str> {
    neutralise(text, Breaks::Space)
}

/// Text for HTML content and quoted attributes (the HTML report's escape function): the five
/// characters of markup and `/` as tera escapes them, the rest [`neutralise`]d.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    html_to(&mut out, text);
    out
}

/// [`html`] appended to `out`. The text between the characters that change is copied whole:
/// those are ASCII markup characters, or characters whose first byte [`may_hold_neutralised`]
/// names (only those are looked at as characters).
pub fn html_to(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            b'/' => "&#x2F;",
            0x00..0x20 | 0x7F | 0xC2 | 0xD8 | 0xE2 => {
                let character = text[index..]
                    .chars()
                    .next()
                    .expect("a character starts here");
                if is_neutralised(character) {
                    out.push_str(&text[start..index]);
                    push_visible(out, character);
                    start = index + character.len_utf8();
                }
                index += character.len_utf8();
                continue;
            }
            _ => {
                index += 1;
                continue;
            }
        };
        out.push_str(&text[start..index]);
        out.push_str(replacement);
        index += 1;
        start = index;
    }
    out.push_str(&text[start..]);
}

/// Text for XML content and double- or single-quoted attributes (`JUnit`, SVG): markup escaped,
/// [`neutralise`]d, and the characters XML 1.0 forbids shown the same way.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(character),
            character if is_neutralised(character) || !is_xml_char(character) => {
                push_visible(&mut out, character);
            }
            character => out.push(character),
        }
    }
    out
}

/// Text for an XML attribute value: like [`xml`], with line breaks and tabs kept as references
/// (attribute-value normalisation would otherwise turn them into spaces).
pub fn xml_attribute(text: &str) -> String {
    xml(text).replace('\n', "&#10;").replace('\t', "&#9;")
}

fn is_xml_char(character: char) -> bool {
    matches!(character, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Pretty JSON (two-space indents, as `serde_json::to_string_pretty`) in which the characters
/// [`is_neutralised`] names are written as `\uXXXX` escapes (serde escapes C0 controls itself, not
/// DEL, C1 controls or bidirectional controls): the values stay exact, and the file holds none
/// of them raw for a terminal or an editor that shows it. SARIF uses it for its source snippets,
/// which must copy the source.
pub fn json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(4096);
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut out,
        JsonFormatter(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut serializer)?;
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// `serde_json`'s pretty formatter, escaping what [`is_neutralised`] names.
struct JsonFormatter(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for JsonFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if !may_hold_neutralised(fragment) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (index, character) in fragment.char_indices() {
            if is_neutralised(character) {
                writer.write_all(&fragment.as_bytes()[start..index])?;
                // Every such character is in the Basic Multilingual Plane: one `\u` escape.
                write!(writer, "\\u{:04x}", u32::from(character))?;
                start = index + character.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// Inline Markdown text (a table cell, a list item, a heading): every character that could start
/// markup is backslash-escaped, HTML is escaped, line breaks and tabs become spaces and control
/// characters are [`neutralise`]d, so the text can neither break the table nor become a link, an
/// image, code or raw HTML, nor reverse the text around it.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            // Model text never starts a line (a cell, an item, a heading always precede it), so
            // only inline markup needs escaping; `.` and `:` stop GFM's bare autolinks.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '.' | ':' => {
                out.push('\\');
                out.push(character);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\t' => out.push(' '),
            character if is_neutralised(character) => push_visible(&mut out, character),
            character => out.push(character),
        }
    }
    out
}

/// Whether a URL may become a link: only `http` and `https` (never `javascript:` or `data:`).
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url
            .chars()
            .any(|character| character.is_control() || character == ' ')
}

/// An HTML id / URL fragment built from an identifier: ASCII letters, digits, `-` and `_` are
/// kept, anything else becomes `.` followed by its code point in hex.
pub fn anchor(prefix: &str, identifier: &str) -> String {
    let mut out = String::from(prefix);
    for character in identifier.chars() {
        if character.is_ascii_alphanumeric() || character == '-' || character == '_' {
            out.push(character);
        } else {
            let _ = write!(out, ".{:x}", u32::from(character));
        }
    }
    out
}

/// Percent-encodes a relative path for a URI reference (SARIF artifact locations).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character the module documents, and some that stay as they are.
    const HOSTILE: &str = "a\u{202E}b\u{2066}c\u{1b}[31md\u{1b}]8;;http://x\u{1b}\\e\rf\u{8}g\u{0}h\u{7f}i\u{85}j\u{200F}k\u{2028}l";

    /// The HTML escaping, character by character as it is specified (what `html_to` copies in
    /// runs).
    fn html_by_character(text: &str) -> String {
        let mut out = String::new();
        for character in text.chars() {
            match character {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#x27;"),
                '/' => out.push_str("&#x2F;"),
                character if is_neutralised(character) => push_visible(&mut out, character),
                character => out.push(character),
            }
        }
        out
    }

    #[test]
    fn html_copies_runs_as_it_would_escape_each_character() {
        for text in [
            "",
            "Cổng dịch vụ công",
            "<a href='x/y'>Tom & \"Jerry\"</a>",
            "Hệ thống — cổng → nền tảng · dữ liệu…",
            "\u{a0}\u{2014}\u{2028}\u{202E}\u{61C}\u{600}\u{85}\u{9f}\t\n",
            HOSTILE,
        ] {
            assert_eq!(html(text), html_by_character(text), "{text:?}");
        }
    }

    #[test]
    fn controls_and_bidi_characters_are_shown_by_their_code_point() {
        assert_eq!(
            neutralise(HOSTILE, Breaks::Keep),
            "a⟨U+202E⟩b⟨U+2066⟩c⟨U+001B⟩[31md⟨U+001B⟩]8;;http://x⟨U+001B⟩\\e⟨U+000D⟩f⟨U+0008⟩g\
             ⟨U+0000⟩h⟨U+007F⟩i⟨U+0085⟩j⟨U+200F⟩k⟨U+2028⟩l"
        );
        for character in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{2067}', '\u{2068}', '\u{2069}',
            '\u{200E}', '\u{61C}', '\u{2029}', '\u{9F}', '\u{B}', '\u{C}', '\u{1F}',
        ] {
            assert!(is_neutralised(character), "{character:?}");
        }
        for character in ['\t', '\n', ' ', 'ệ', '\u{A0}', '\u{200D}', '\u{FEFF}', '→'] {
            assert!(!is_neutralised(character), "{character:?}");
        }
        assert!(matches!(
            neutralise("Hà Nội\tok\n", Breaks::Keep),
            Cow::Borrowed(_)
        ));
        // The byte test finds every such character (each one's first byte).
        for character in (0..0x3000)
            .filter_map(char::from_u32)
            .filter(|character| is_neutralised(*character))
        {
            assert!(
                may_hold_neutralised(&character.to_string()),
                "{character:?}"
            );
        }
        assert_eq!(neutralise("a\tb\nc", Breaks::Space), "a b c");
        assert_eq!(terminal("x\n::error::y"), "x ::error::y");
    }

    #[test]
    fn html_escapes_as_tera_does_and_shows_controls() {
        assert_eq!(
            html("<a href='/x'>\"&\u{202E}\n</a>"),
            "&lt;a href=&#x27;&#x2F;x&#x27;&gt;&quot;&amp;⟨U+202E⟩\n&lt;&#x2F;a&gt;"
        );
        assert_eq!(html("Hà Nội"), tera::escape_html("Hà Nội"));
    }

    #[test]
    fn xml_escapes_markup_and_shows_forbidden_characters() {
        assert_eq!(
            xml("<script>\"a\" & 'b'\u{1}</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;⟨U+0001⟩&lt;/script&gt;"
        );
        assert_eq!(xml("\u{FFFE}\r\u{1b}"), "⟨U+FFFE⟩⟨U+000D⟩⟨U+001B⟩");
        assert_eq!(xml_attribute("a\nb\tc"), "a&#10;b&#9;c");
        assert!(
            xml(HOSTILE)
                .chars()
                .all(|character| matches!(character, '\n' | '\t')
                    || (is_xml_char(character) && !is_neutralised(character)))
        );
    }

    #[test]
    fn json_keeps_the_values_and_escapes_what_a_terminal_would_run() {
        let value = serde_json::json!({ "text": HOSTILE, "plain": ["Hà Nội", 1] });
        let text = json_pretty(&value).unwrap();
        assert!(!text.chars().any(is_neutralised), "{text}");
        assert!(text.contains("a\\u202eb\\u2066c\\u001b[31m"), "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
        let plain = serde_json::json!({ "plain": ["Hà Nội", 1], "nested": { "a": [] } });
        assert_eq!(
            json_pretty(&plain).unwrap(),
            serde_json::to_string_pretty(&plain).unwrap()
        );
    }

    #[test]
    fn markdown_neutralises_tables_code_links_and_html() {
        assert_eq!(
            markdown("a | `b` [x](javascript:y) <img>\nnext"),
            "a \\| \\`b\\` \\[x\\](javascript\\:y) &lt;img&gt; next"
        );
        assert_eq!(markdown("a\u{202E}b\rc\td"), "a⟨U+202E⟩b⟨U+000D⟩c d");
    }

    #[test]
    fn only_web_urls_are_links() {
        assert!(is_safe_url("https://example.org/a"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JAVASCRIPT:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
    }

    #[test]
    fn anchors_and_uris_are_plain_ascii() {
        assert_eq!(anchor("e-", "national.ndxp"), "e-national.2endxp");
        assert_eq!(anchor("e-", "\"><x"), "e-.22.3e.3cx");
        assert_eq!(uri_path("a b/hà.ea"), "a%20b/h%C3%A0.ea");
    }
}
