//! Property values of an import: fitted to the metamodel's type of the property (a string read
//! from a file becomes the integer, date, enum value or list the property holds), and written as
//! `.ea` text (strings escaped per docs/language.md §2.4) or as plain text (an `attributes` item).

use super::ImportedValue;
use kientruc_dsl::diacritics::{is_identifier, remove_diacritics};
use kientruc_dsl::metamodel::{PropertyDefinition, ValueType};
use kientruc_dsl::syntax::Date;
use std::fmt::Write as _;

/// The longest string literal the language accepts, in bytes between the quotes (KT0011).
pub const MAX_STRING_BYTES: usize = 65_536;

/// What a reference points at, as the writer knows it.
pub enum Target<'a> {
    /// An element the import writes, of this kind.
    Written(&'a str),
    /// An element of an imported model (`national.ndxp`).
    Outside,
    /// No element the writer knows.
    Unknown,
}

/// Where references point.
pub trait KindOf {
    fn kind_of(&self, id: &str) -> Target<'_>;
}

/// `value` as a value of `definition`'s type, or `None` when it does not fit.
pub fn fit(
    value: &ImportedValue,
    definition: &PropertyDefinition,
    kinds: &dyn KindOf,
) -> Option<ImportedValue> {
    fit_type(value, &definition.value_type, definition, kinds)
}

fn fit_type(
    value: &ImportedValue,
    value_type: &ValueType,
    definition: &PropertyDefinition,
    kinds: &dyn KindOf,
) -> Option<ImportedValue> {
    match value_type {
        ValueType::String => match value {
            ImportedValue::List(_) => None,
            scalar => Some(ImportedValue::String(plain_text(scalar))),
        },
        ValueType::Integer { min, max } => {
            let number = match value {
                ImportedValue::Integer(number) => *number,
                ImportedValue::String(text) => text.trim().parse().ok()?,
                _ => return None,
            };
            (min.is_none_or(|min| number >= min) && max.is_none_or(|max| number <= max))
                .then_some(ImportedValue::Integer(number))
        }
        ValueType::Boolean => match value {
            ImportedValue::Boolean(flag) => Some(ImportedValue::Boolean(*flag)),
            ImportedValue::String(text) | ImportedValue::Enum(text) => {
                match text.trim().to_lowercase().as_str() {
                    "true" => Some(ImportedValue::Boolean(true)),
                    "false" => Some(ImportedValue::Boolean(false)),
                    _ => None,
                }
            }
            _ => None,
        },
        ValueType::Date => match value {
            ImportedValue::Date(date) => Some(ImportedValue::Date(*date)),
            ImportedValue::String(text) => Date::parse(text.trim()).map(ImportedValue::Date),
            _ => None,
        },
        ValueType::Enum { values } => {
            let text = match value {
                ImportedValue::Enum(text) | ImportedValue::String(text) => text.trim(),
                _ => return None,
            };
            enum_value(text, values, definition).map(ImportedValue::Enum)
        }
        ValueType::Reference { kinds: allowed } => {
            let id = match value {
                ImportedValue::Reference(id)
                | ImportedValue::String(id)
                | ImportedValue::Enum(id) => id.trim(),
                _ => return None,
            };
            let valid_path =
                !id.is_empty() && id.split('.').count() <= 2 && id.split('.').all(is_identifier);
            if !valid_path {
                return None;
            }
            match kinds.kind_of(id) {
                Target::Written(kind)
                    if !allowed.is_empty() && !allowed.iter().any(|k| k == kind) =>
                {
                    None
                }
                Target::Unknown => None,
                _ => Some(ImportedValue::Reference(id.to_owned())),
            }
        }
        ValueType::List { item } => {
            let items = match value {
                ImportedValue::List(items) => items.clone(),
                ImportedValue::String(text) => split_list(text)?
                    .into_iter()
                    .map(ImportedValue::String)
                    .collect(),
                scalar => vec![scalar.clone()],
            };
            items
                .iter()
                .map(|value| fit_type(value, item, definition, kinds))
                .collect::<Option<Vec<_>>>()
                .map(ImportedValue::List)
        }
    }
}

/// An enum value from its word, or from its name in Vietnamese or English (case and, failing
/// that, diacritics ignored): "Đang vận hành" → `operational`.
fn enum_value(text: &str, values: &[String], definition: &PropertyDefinition) -> Option<String> {
    if let Some(value) = values.iter().find(|value| *value == text) {
        return Some(value.clone());
    }
    let lower = text.to_lowercase();
    let folded = remove_diacritics(&lower);
    let by = |matches: &dyn Fn(&str) -> bool| {
        values.iter().find(|value| {
            matches(&value.to_lowercase())
                || definition
                    .value_names
                    .get(value.as_str())
                    .is_some_and(|name| {
                        matches(&name.vi.to_lowercase()) || matches(&name.en.to_lowercase())
                    })
        })
    };
    by(&|candidate| candidate == lower)
        .or_else(|| by(&|candidate| remove_diacritics(candidate) == folded))
        .cloned()
}

/// The items of a list written as text: `[a, "b, c"]` or `a, b` (commas inside double quotes do
/// not split; quotes are removed, `\"` and `\\` unescaped). `None` for an unbalanced quote.
pub fn split_list(text: &str) -> Option<Vec<String>> {
    let trimmed = text.trim();
    let inner = trimmed
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(trimmed);
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut characters = inner.chars();
    while let Some(character) = characters.next() {
        match character {
            '"' => {
                if !quoted && current.trim().is_empty() {
                    current.clear();
                }
                quoted = !quoted;
                was_quoted = true;
            }
            '\\' if quoted => current.push(characters.next()?),
            ',' if !quoted => {
                push_item(&mut items, &mut current, was_quoted);
                was_quoted = false;
            }
            other => current.push(other),
        }
    }
    if quoted {
        return None;
    }
    push_item(&mut items, &mut current, was_quoted);
    Some(items)
}

fn push_item(items: &mut Vec<String>, current: &mut String, was_quoted: bool) {
    let item = std::mem::take(current);
    let item = if was_quoted {
        item
    } else {
        item.trim().to_owned()
    };
    if was_quoted || !item.is_empty() {
        items.push(item);
    }
}

/// A value as `.ea` source: strings quoted and escaped, words as they are, lists in brackets.
pub fn source_text(value: &ImportedValue) -> String {
    match value {
        ImportedValue::String(text) => quote(text),
        ImportedValue::Integer(number) => number.to_string(),
        ImportedValue::Boolean(flag) => flag.to_string(),
        ImportedValue::Date(date) => date.to_string(),
        ImportedValue::Enum(word) | ImportedValue::Reference(word) => word.clone(),
        ImportedValue::List(items) => format!(
            "[{}]",
            items.iter().map(source_text).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// A value as a person reads it: strings as they are, lists as `[a, "b c"]`.
pub fn plain_text(value: &ImportedValue) -> String {
    match value {
        ImportedValue::String(text) => text.clone(),
        ImportedValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| match item {
                    ImportedValue::String(text) if !is_identifier(text) => quote(text),
                    other => plain_text(other),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => source_text(other),
    }
}

/// Whether a value can be written where the language expects it: words must be identifiers
/// (references may be `alias.id`), strings must fit a literal.
pub fn is_writable(value: &ImportedValue) -> bool {
    match value {
        ImportedValue::String(text) => quote(text).len() <= MAX_STRING_BYTES + 2,
        ImportedValue::Enum(word) => is_identifier(word),
        ImportedValue::Reference(path) => {
            path.split('.').count() <= 2 && path.split('.').all(is_identifier)
        }
        ImportedValue::List(items) => items.iter().all(is_writable),
        ImportedValue::Integer(_) | ImportedValue::Boolean(_) | ImportedValue::Date(_) => true,
    }
}

/// A string literal: `"` and `\` escaped, line breaks `\n`, tabs `\t`, every other control
/// character (and the line and paragraph separators) as `\u{…}`.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_invisible(c) => {
                let _ = write!(out, "\\u{{{:X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A character that must not appear as it is in a source file: a control character, a line or
/// paragraph separator, a byte order mark, or a bidirectional control (which would reorder the
/// source as an editor shows it).
pub fn is_invisible(character: char) -> bool {
    character.is_control()
        || matches!(
            character,
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
        || ('\u{202A}'..='\u{202E}').contains(&character)
        || ('\u{2066}'..='\u{2069}').contains(&character)
}

/// `text` cut so that its literal fits [`MAX_STRING_BYTES`] (at a character boundary), with
/// whether it was cut.
pub fn fit_string(text: &str) -> (String, bool) {
    if quote(text).len() <= MAX_STRING_BYTES + 2 {
        return (text.to_owned(), false);
    }
    let mut kept = String::new();
    let mut length = 0;
    for character in text.chars() {
        let size = quote(&character.to_string()).len() - 2;
        if length + size > MAX_STRING_BYTES - "…".len() {
            break;
        }
        length += size;
        kept.push(character);
    }
    kept.push('…');
    (kept, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_for_the_language() {
        assert_eq!(quote("a\"b\\c\nd\te"), r#""a\"b\\c\nd\te""#);
        assert_eq!(
            quote("x\r\u{1b}[31m\u{2028}"),
            r#""x\u{D}\u{1B}[31m\u{2028}""#
        );
        assert_eq!(quote("Sở } {"), "\"Sở } {\"");
        assert_eq!(quote("a\u{202E}b\u{2066}"), r#""a\u{202E}b\u{2066}""#);
    }

    #[test]
    fn lists_split_on_commas_outside_quotes() {
        assert_eq!(
            split_list(r#"[a, "b, c", "d \"e\""]"#).unwrap(),
            ["a", "b, c", "d \"e\""]
        );
        assert_eq!(split_list("a,b , ").unwrap(), ["a", "b"]);
        assert_eq!(split_list(r#"[x, " y"]"#).unwrap(), ["x", " y"]);
        assert_eq!(split_list("[]").unwrap(), Vec::<String>::new());
        assert_eq!(split_list("\"open"), None);
    }

    #[test]
    fn long_strings_are_cut_to_a_literal() {
        let (kept, cut) = fit_string(&"\"".repeat(40_000));
        assert!(cut);
        assert!(quote(&kept).len() <= MAX_STRING_BYTES + 2);
        assert_eq!(fit_string("ngắn"), ("ngắn".to_owned(), false));
    }
}
