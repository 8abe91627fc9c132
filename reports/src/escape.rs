//! Escaping of model text for each output format. Every string that comes from a model (names,
//! messages, waiver reasons, file names) goes through one of these before it reaches a report.

use std::fmt::Write as _;

/// Text for HTML and XML content and double- or single-quoted attributes. Characters XML 1.0
/// forbids (control characters other than tab, newline and carriage return) are dropped.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(character),
            character if is_xml_char(character) => out.push(character),
            _ => {}
        }
    }
    out
}

/// Text for an XML attribute value: like [`xml`], with line breaks and tabs kept as references
/// (attribute-value normalisation would otherwise turn them into spaces).
pub fn xml_attribute(text: &str) -> String {
    xml(text)
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

fn is_xml_char(character: char) -> bool {
    matches!(character, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Inline Markdown text (a table cell, a list item, a heading): every character that could start
/// markup is backslash-escaped, HTML is escaped, and line breaks become spaces, so the text can
/// neither break the table nor become a link, an image, code or raw HTML.
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
            '\n' | '\r' | '\t' => out.push(' '),
            character if character.is_control() => {}
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

    #[test]
    fn xml_escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml("<script>\"a\" & 'b'\u{1}</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(xml_attribute("a\nb"), "a&#10;b");
    }

    #[test]
    fn markdown_neutralises_tables_code_links_and_html() {
        assert_eq!(
            markdown("a | `b` [x](javascript:y) <img>\nnext"),
            "a \\| \\`b\\` \\[x\\](javascript\\:y) &lt;img&gt; next"
        );
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
