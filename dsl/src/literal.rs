//! String literals: a quoted token's value with its escapes (`\"`, `\\`, `\n`, `\t`, `\u{…}`)
//! decoded, shared by the pest lowering (`parser`) and the direct reader (`reader`).

use crate::syntax::StringLiteral;
use crate::text::TextRange;

/// A string token (`raw`, quotes included, at `range`) as a literal with its decoded value, or
/// the escape that cannot be decoded (shared by the lowering and the direct reader).
pub(crate) fn string_literal(raw: &str, range: TextRange) -> Result<StringLiteral, BadEscape> {
    Ok(StringLiteral {
        value: unescape(&raw[1..raw.len() - 1])?,
        range,
    })
}

/// An escape that cannot be decoded: its offset in the string's body (after the opening quote)
/// and its length in bytes.
pub(crate) struct BadEscape {
    pub(crate) start: usize,
    pub(crate) len: usize,
}

fn unescape(body: &str) -> Result<String, BadEscape> {
    if !body.contains('\\') {
        return Ok(body.to_owned());
    }
    let mut value = String::with_capacity(body.len());
    let mut characters = body.char_indices();
    while let Some((index, character)) = characters.next() {
        if character != '\\' {
            value.push(character);
            continue;
        }
        let Some((_, escaped)) = characters.next() else {
            return Err(BadEscape {
                start: index,
                len: 1,
            });
        };
        match escaped {
            '"' => value.push('"'),
            '\\' => value.push('\\'),
            'n' => value.push('\n'),
            't' => value.push('\t'),
            'u' => {
                let rest = &body[index + 2..];
                let decoded = rest
                    .strip_prefix('{')
                    .and_then(|rest| rest.find('}').map(|end| &rest[..end]))
                    .filter(|hex| !hex.is_empty() && hex.len() <= 6)
                    .and_then(|hex| {
                        u32::from_str_radix(hex, 16)
                            .ok()
                            .map(|code| (hex.len(), code))
                    })
                    .and_then(|(len, code)| char::from_u32(code).map(|character| (len, character)));
                match decoded {
                    Some((len, character)) => {
                        value.push(character);
                        for _ in 0..len + 2 {
                            characters.next();
                        }
                    }
                    None => {
                        return Err(BadEscape {
                            start: index,
                            len: 2,
                        });
                    }
                }
            }
            other => {
                return Err(BadEscape {
                    start: index,
                    len: 1 + other.len_utf8(),
                });
            }
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_handles_every_escape() {
        assert_eq!(
            unescape(r#"a\"b\\c\nd\te\u{1EA1}"#).ok().unwrap(),
            "a\"b\\c\nd\teạ"
        );
        assert!(unescape(r"\q").is_err());
        assert!(unescape(r"\u{110000}").is_err());
    }
}
