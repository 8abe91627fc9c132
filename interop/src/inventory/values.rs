//! Cell texts read as property values of the metamodel's types: integers with words around them
//! (`Cấp độ 3` → 3, `1.500.000` → 1500000), booleans in Vietnamese or English (`Có`/`Không`,
//! `x`), dates as `YYYY-MM-DD` or `DD/MM/YYYY`, enum values by their word or their names in the
//! metamodel (`Đang vận hành` → `operational`, ignoring case and, as a fallback, diacritics) or
//! the mapping's own words, lists split at the mapping's separators. References are resolved
//! later, once every row is read.

use super::mapping::{fold, normalise};
use crate::imported::ImportedValue;
use kientruc_dsl::metamodel::{PropertyDefinition, ValueType};
use kientruc_dsl::syntax::Date;
use std::collections::BTreeMap;

/// Words read as `true` and `false` (compared without case and diacritics).
const TRUE_WORDS: [&str; 8] = ["true", "co", "x", "yes", "y", "1", "dung", "da co"];
const FALSE_WORDS: [&str; 7] = ["false", "khong", "no", "n", "0", "sai", "chua co"];

/// A cell's value for a property, before references are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellValue {
    Value(ImportedValue),
    /// Ids or names of elements (one, or a list's items), with whether the property is a list.
    References {
        items: Vec<String>,
        list: bool,
    },
}

/// `text` read as a value of `definition`; `Err` says why it is not one.
pub fn read(
    text: &str,
    definition: &PropertyDefinition,
    extra: &BTreeMap<String, String>,
    separators: &[String],
) -> Result<CellValue, String> {
    let text = text.trim();
    match &definition.value_type {
        ValueType::Reference { .. } => Ok(CellValue::References {
            items: vec![text.to_owned()],
            list: false,
        }),
        ValueType::List { item } => {
            let items = split(text, separators);
            if matches!(**item, ValueType::Reference { .. }) {
                return Ok(CellValue::References { items, list: true });
            }
            items
                .iter()
                .map(|item_text| scalar(item_text, item, definition, extra))
                .collect::<Result<Vec<_>, _>>()
                .map(|values| CellValue::Value(ImportedValue::List(values)))
        }
        scalar_type => scalar(text, scalar_type, definition, extra).map(CellValue::Value),
    }
}

/// The items of a list cell: split at every separator, trimmed, empty ones left out.
pub fn split(text: &str, separators: &[String]) -> Vec<String> {
    let mut items = vec![text.to_owned()];
    for separator in separators.iter().filter(|separator| !separator.is_empty()) {
        items = items
            .iter()
            .flat_map(|item| item.split(separator.as_str()).map(str::to_owned))
            .collect();
    }
    items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect()
}

fn scalar(
    text: &str,
    value_type: &ValueType,
    definition: &PropertyDefinition,
    extra: &BTreeMap<String, String>,
) -> Result<ImportedValue, String> {
    let text = text.trim();
    let not = || format!("`{text}` is not {}", value_type.describe());
    match value_type {
        ValueType::String => Ok(ImportedValue::String(text.to_owned())),
        ValueType::Integer { min, max } => {
            let number = integer(text).ok_or_else(not)?;
            if min.is_some_and(|min| number < min) || max.is_some_and(|max| number > max) {
                return Err(not());
            }
            Ok(ImportedValue::Integer(number))
        }
        ValueType::Boolean => {
            let wanted = fold(text);
            if let Some(value) = lookup(text, extra) {
                return match fold(&value).as_str() {
                    "true" => Ok(ImportedValue::Boolean(true)),
                    "false" => Ok(ImportedValue::Boolean(false)),
                    _ => Err(not()),
                };
            }
            if TRUE_WORDS.contains(&wanted.as_str()) {
                Ok(ImportedValue::Boolean(true))
            } else if FALSE_WORDS.contains(&wanted.as_str()) {
                Ok(ImportedValue::Boolean(false))
            } else {
                Err(format!(
                    "`{text}` is not `true` or `false` (Có/Không, x, yes/no)"
                ))
            }
        }
        ValueType::Date => date(text)
            .map(ImportedValue::Date)
            .ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD or DD/MM/YYYY)")),
        ValueType::Enum { values } => enum_value(text, values, definition, extra)
            .map(ImportedValue::Enum)
            .ok_or_else(|| {
                let listed: Vec<String> = values
                    .iter()
                    .map(|value| match definition.value_names.get(value) {
                        Some(names) => format!("{} ({value})", names.vi),
                        None => value.clone(),
                    })
                    .collect();
                format!("`{text}` is not one of: {}", listed.join(", "))
            }),
        ValueType::Reference { .. } | ValueType::List { .. } => Err(not()),
    }
}

/// The mapping's value for `text`, comparing as headers are compared.
fn lookup(text: &str, extra: &BTreeMap<String, String>) -> Option<String> {
    let wanted = normalise(text);
    extra
        .iter()
        .find(|(word, _)| normalise(word) == wanted)
        .or_else(|| {
            let folded = fold(text);
            extra.iter().find(|(word, _)| fold(word) == folded)
        })
        .map(|(_, value)| value.clone())
}

fn enum_value(
    text: &str,
    values: &[String],
    definition: &PropertyDefinition,
    extra: &BTreeMap<String, String>,
) -> Option<String> {
    let wanted = normalise(text);
    let folded = fold(text);
    let named = |compare: &dyn Fn(&str) -> bool| {
        values.iter().find(|value| {
            compare(value)
                || definition
                    .value_names
                    .get(*value)
                    .is_some_and(|names| compare(&names.vi) || compare(&names.en))
        })
    };
    named(&|candidate| normalise(candidate) == wanted)
        .or_else(|| named(&|candidate| fold(candidate) == folded))
        .cloned()
        .or_else(|| lookup(text, extra).filter(|value| values.contains(value)))
}

/// The integer a text gives: digits with words around them (`Cấp độ 3`, `3 (ba)` is not: one
/// number only), a sign, thousands grouped by `.`, `,` or spaces (`1.500.000`), or a whole number
/// written with a zero fraction (`3.0`, `3,0`).
pub fn integer(text: &str) -> Option<i64> {
    let numbers: Vec<&str> = text
        .split(|character: char| !(character.is_ascii_digit() || ".,  \u{a0}".contains(character)))
        .map(|part| part.trim_matches(|character: char| !character.is_ascii_digit()))
        .filter(|part| !part.is_empty())
        .collect();
    let [number] = numbers.as_slice() else {
        return None;
    };
    let negative = text.trim_start().starts_with('-')
        && text.trim_start()[1..].trim_start().starts_with(number);
    let digits = if let Some(whole) = number
        .strip_suffix(".0")
        .or_else(|| number.strip_suffix(",0"))
        .filter(|whole| whole.chars().all(|character| character.is_ascii_digit()))
    {
        whole.to_owned()
    } else {
        let groups: Vec<&str> = number.split(['.', ',', ' ', '\u{a0}']).collect();
        let grouped = groups.len() > 1
            && groups[0].len() <= 3
            && groups[1..].iter().all(|group| group.len() == 3);
        if groups.len() > 1 && !grouped {
            return None;
        }
        groups.concat()
    };
    let value: i64 = digits.parse().ok()?;
    Some(if negative { -value } else { value })
}

/// A date: `YYYY-MM-DD` (with a time after it, as a workbook's date cell reads), `DD/MM/YYYY`,
/// `DD-MM-YYYY` or `DD.MM.YYYY` (days and months of one or two digits).
pub fn date(text: &str) -> Option<Date> {
    let day_part = text.split([' ', 'T']).next().unwrap_or(text);
    if let Some(date) = Date::parse(day_part) {
        return Some(date);
    }
    let parts: Vec<&str> = day_part.split(['/', '-', '.']).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    if year.len() != 4 || day.is_empty() || day.len() > 2 || month.is_empty() || month.len() > 2 {
        return None;
    }
    Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_with_words_and_groups() {
        assert_eq!(integer("3"), Some(3));
        assert_eq!(integer("Cấp độ 3"), Some(3));
        assert_eq!(integer("cấp 4 "), Some(4));
        assert_eq!(integer("3.0"), Some(3));
        assert_eq!(integer("1.500.000"), Some(1_500_000));
        assert_eq!(integer("1 500 000 đồng"), Some(1_500_000));
        assert_eq!(integer("-12"), Some(-12));
        assert_eq!(integer("3 hoặc 4"), None);
        assert_eq!(integer("Cấp độ cao"), None);
        assert_eq!(integer("3.5"), None);
        assert_eq!(integer(""), None);
    }

    #[test]
    fn dates_in_iso_and_vietnamese_order() {
        assert_eq!(date("2024-12-31"), Date::new(2024, 12, 31));
        assert_eq!(date("2024-12-31 00:00:00"), Date::new(2024, 12, 31));
        assert_eq!(date("31/12/2024"), Date::new(2024, 12, 31));
        assert_eq!(date("1/7/2025"), Date::new(2025, 7, 1));
        assert_eq!(date("31.12.2024"), Date::new(2024, 12, 31));
        assert_eq!(date("31/02/2024"), None);
        assert_eq!(date("2019"), None);
    }

    #[test]
    fn lists_split_at_the_separators_only() {
        let separators = vec![";".to_owned(), "\n".to_owned()];
        assert_eq!(
            split("Sở Y tế; Sở Nội vụ\nUBND, Hà Nội ;", &separators),
            vec!["Sở Y tế", "Sở Nội vụ", "UBND, Hà Nội"]
        );
    }
}
