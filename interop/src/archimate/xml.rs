//! Writing the exchange file: an indented XML writer, text escaped for XML 1.0 (characters XML
//! cannot carry at all, such as ESC, shown as `⟨U+001B⟩`), and the identifiers XML allows
//! (`xs:ID`, an `NCName`).

use std::fmt::Write as _;

/// The exchange format's namespace (every 3.x version).
pub const NAMESPACE: &str = "http://www.opengroup.org/xsd/archimate/3.0/";
pub const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// Where Archi's exports say the schema is.
pub const SCHEMA_LOCATION: &str = "http://www.opengroup.org/xsd/archimate/3.0/ http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd";

/// Whether XML 1.0 can carry `character` at all (its `Char` production).
fn is_xml_char(character: char) -> bool {
    matches!(character, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&character)
        || ('\u{E000}'..='\u{FFFD}').contains(&character)
        || character >= '\u{10000}'
}

/// Whether `text` holds a character XML cannot carry (it is then written as `⟨U+XXXX⟩`).
pub fn has_unwritable(text: &str) -> bool {
    !text.chars().all(is_xml_char)
}

/// `text` escaped for element content or a double-quoted attribute: `&`, `<`, `>`, `"` as
/// entities, a carriage return as `&#13;` (so that it survives), other characters XML cannot
/// carry as `⟨U+XXXX⟩`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            c if !is_xml_char(c) => {
                let _ = write!(out, "⟨U+{:04X}⟩", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether `text` is an `NCName` (what `xs:ID` allows): a letter or `_`, then letters, digits,
/// `.`, `-` and `_` (non-ASCII letters and digits count).
pub fn is_ncname(text: &str) -> bool {
    let mut characters = text.chars();
    characters
        .next()
        .is_some_and(|first| first == '_' || first.is_alphabetic())
        && characters.all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// An indented XML document built element by element.
pub struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    pub fn new() -> Self {
        Writer {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    fn start(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attributes {
            let _ = write!(self.out, " {name}=\"{}\"", escape(value));
        }
    }

    /// `<tag attributes>`, then the children until [`Writer::close`].
    pub fn open(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.start(tag, attributes);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    pub fn close(&mut self, tag: &str) {
        self.depth -= 1;
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        let _ = writeln!(self.out, "</{tag}>");
    }

    /// `<tag attributes/>`.
    pub fn empty(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.start(tag, attributes);
        self.out.push_str("/>\n");
    }

    /// `<tag attributes>text</tag>`.
    pub fn text(&mut self, tag: &str, attributes: &[(&str, &str)], text: &str) {
        self.start(tag, attributes);
        let _ = writeln!(self.out, ">{}</{tag}>", escape(text));
    }

    /// `<property propertyDefinitionRef="REFERENCE"><value>VALUE</value></property>` on one line
    /// (a model has many; the value's language is left out: values are mostly codes and ids).
    pub fn property(&mut self, reference: &str, value: &str) {
        self.start("property", &[("propertyDefinitionRef", reference)]);
        let _ = writeln!(self.out, "><value>{}</value></property>", escape(value));
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("a<b>&\"c\"\r\n\t\u{1b}[31m\u{202E}"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#13;\n\t⟨U+001B⟩[31m\u{202E}"
        );
        assert!(has_unwritable("x\u{0}"));
        assert!(!has_unwritable("Sở \u{202E}\r\n"));
    }

    #[test]
    fn identifiers_are_ncnames() {
        assert!(is_ncname("id-national.ndxp"));
        assert!(is_ncname("_x"));
        assert!(is_ncname("id-Sở"));
        assert!(!is_ncname("1abc"));
        assert!(!is_ncname("id:x"));
        assert!(!is_ncname(""));
        assert!(!is_ncname("id x"));
    }
}
