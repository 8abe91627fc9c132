//! Identifiers written with letters outside ASCII (`ở_xây_dựng`): which characters may start a
//! declaration or belong to such a word, the word around a character, and its KT0012 diagnostic
//! with the same letters without diacritics as the fix.

use crate::diagnostic::{Code, Diagnostic};
use crate::text::{FileId, TextRange};

/// True for a character that starts a declaration in column 0: one that starts an identifier,
/// or a letter outside ASCII (an identifier written with one is reported, and still starts its
/// own declaration).
pub(super) fn is_identifier_start(character: char) -> bool {
    character.is_ascii_alphabetic()
        || character == '_'
        || (!character.is_ascii() && character.is_alphabetic())
}

/// True for a character of a word that may be meant as an identifier: what the grammar accepts
/// in one (ASCII letters, digits, `_`, `-`), letters and digits of any script, and combining
/// marks (Vietnamese typed in decomposed form).
pub(super) fn is_word_character(character: char) -> bool {
    character.is_ascii_alphanumeric()
        || character == '_'
        || character == '-'
        || (!character.is_ascii()
            && (character.is_alphanumeric() || crate::diacritics::is_combining_mark(character)))
}

/// The word around the character outside ASCII at `at` in `line`: from the first to the last
/// word character around it, without leading `-` and stopping before `->`.
pub(super) fn word_around(line: &str, at: usize) -> (usize, usize) {
    let mut start = at;
    for (index, character) in line[..at].char_indices().rev() {
        if !is_word_character(character) {
            break;
        }
        start = index;
    }
    while line[start..at].starts_with('-') {
        start += 1;
    }
    let mut end = line.len();
    for (index, character) in line[at..].char_indices() {
        if !is_word_character(character)
            || (character == '-' && line[at + index + 1..].starts_with('>'))
        {
            end = at + index;
            break;
        }
    }
    (start, end)
}

/// KT0012 for `word`, an identifier written with characters outside ASCII, at `offset`.
pub(super) fn non_ascii_identifier(file: FileId, offset: usize, word: &str) -> Diagnostic {
    // The letters outside ASCII, each with the combining marks that follow it (`ở` typed as
    // `o` and two marks is shown as one letter), once each.
    let mut letters: Vec<String> = Vec::new();
    for character in word.chars() {
        match letters.last_mut() {
            Some(letter) if crate::diacritics::is_combining_mark(character) => {
                letter.push(character);
            }
            _ => letters.push(character.to_string()),
        }
    }
    let mut shown: Vec<String> = Vec::new();
    for letter in letters.iter().filter(|letter| !letter.is_ascii()) {
        let quoted = format!("`{letter}`");
        if !shown.contains(&quoted) {
            shown.push(quoted);
        }
    }
    let label = match shown.as_slice() {
        [] => "not ASCII".to_owned(),
        [one] => format!("{one} is not ASCII"),
        [init @ .., last] if init.len() < 4 => {
            format!("{} and {last} are not ASCII", init.join(", "))
        }
        [first @ .., _] => format!("{}, … are not ASCII", first[..4].join(", ")),
    };
    let mut diagnostic = Diagnostic::new(
        Code::NonAsciiIdentifier,
        format!(
            "identifier `{word}` is not ASCII: an identifier is an ASCII letter (a-z, A-Z) or `_`, followed by ASCII letters, digits, `_` or `-`"
        ),
    )
    .at(file, TextRange::new(offset, offset + word.len()), label);
    if let Some(ascii) = crate::diacritics::ascii_identifier(word) {
        diagnostic = diagnostic.with_help(format!(
            "write `{ascii}` (the same letters without diacritics); Vietnamese text belongs in strings, such as the display name"
        ));
    }
    diagnostic
}
