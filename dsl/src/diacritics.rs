//! Removing Vietnamese diacritics, to suggest an ASCII identifier for one written with
//! Vietnamese letters (`ở_xây_dựng` → `o_xay_dung`, KT0012).
//!
//! No crate of the build decomposes Unicode, so the letters are listed: the 132 accented
//! Vietnamese vowels (12 vowels, 6 tones, less the 6 plain ASCII ones, in both cases) and
//! `đ`/`Đ`. Combining marks (text typed in decomposed form, `o` + U+031B + U+0309) are dropped.

/// Every accented Vietnamese letter, by the ASCII letter it becomes.
const LETTERS: &[(char, &str)] = &[
    ('a', "àảãáạăằẳẵắặâầẩẫấậ"),
    ('A', "ÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬ"),
    ('e', "èẻẽéẹêềểễếệ"),
    ('E', "ÈẺẼÉẸÊỀỂỄẾỆ"),
    ('i', "ìỉĩíị"),
    ('I', "ÌỈĨÍỊ"),
    ('o', "òỏõóọôồổỗốộơờởỡớợ"),
    ('O', "ÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢ"),
    ('u', "ùủũúụưừửữứự"),
    ('U', "ÙỦŨÚỤƯỪỬỮỨỰ"),
    ('y', "ỳỷỹýỵ"),
    ('Y', "ỲỶỸÝỴ"),
    ('d', "đ"),
    ('D', "Đ"),
];

/// True for a combining diacritical mark (U+0300–U+036F), as in decomposed Vietnamese text.
pub fn is_combining_mark(character: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&character)
}

/// The ASCII letter a Vietnamese letter is written as without its diacritics, if it is one.
fn base_letter(character: char) -> Option<char> {
    LETTERS
        .iter()
        .find(|(_, letters)| letters.contains(character))
        .map(|(base, _)| *base)
}

/// `text` with the diacritics of Vietnamese letters removed (`Sở Y tế` → `So Y te`,
/// `Đường` → `Duong`); other characters are kept as they are.
pub fn remove_diacritics(text: &str) -> String {
    text.chars()
        .filter(|character| !is_combining_mark(*character))
        .map(|character| {
            if character.is_ascii() {
                character
            } else {
                base_letter(character).unwrap_or(character)
            }
        })
        .collect()
}

/// True when `text` is an identifier of the grammar (`ident` in grammar.pest): an ASCII letter
/// or `_`, then ASCII letters, digits, `_` and `-` (a `-` not followed by `>`).
pub fn is_identifier(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .first()
        .is_some_and(|first| first.is_ascii_alphabetic() || *first == b'_')
        && bytes.iter().enumerate().all(|(index, byte)| {
            byte.is_ascii_alphanumeric()
                || *byte == b'_'
                || (*byte == b'-' && bytes.get(index + 1) != Some(&b'>'))
        })
}

/// The ASCII identifier to suggest for `word`: `word` without its diacritics, when that is an
/// identifier (`ở_xây_dựng` → `o_xay_dung`); `None` when letters other than Vietnamese ones
/// remain.
pub fn ascii_identifier(word: &str) -> Option<String> {
    let folded = remove_diacritics(word);
    is_identifier(&folded).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Vietnamese vowels by tone (ngang, huyền, sắc, hỏi, ngã, nặng), one column per vowel
    /// (a ă â e ê i o ô ơ u ư y), and what each column becomes.
    const TONES: [&str; 6] = [
        "aăâeêioôơuưy",
        "àằầèềìòồờùừỳ",
        "áắấéếíóốớúứý",
        "ảẳẩẻểỉỏổởủửỷ",
        "ãẵẫẽễĩõỗỡũữỹ",
        "ạặậẹệịọộợụựỵ",
    ];
    const BASES: &str = "aaaeeiooouuy";

    #[test]
    fn every_vietnamese_vowel_with_every_tone_loses_its_diacritics() {
        let mut accented = std::collections::BTreeSet::new();
        for row in TONES {
            assert_eq!(row.chars().count(), 12, "{row}");
            for (vowel, base) in row.chars().zip(BASES.chars()) {
                assert_eq!(remove_diacritics(&vowel.to_string()), base.to_string());
                let upper = vowel.to_uppercase().collect::<String>();
                assert_eq!(upper.chars().count(), 1, "{vowel}");
                assert_eq!(
                    remove_diacritics(&upper),
                    base.to_ascii_uppercase().to_string(),
                    "{upper}"
                );
                if !vowel.is_ascii() {
                    accented.insert(vowel);
                    accented.extend(upper.chars());
                }
            }
        }
        assert_eq!(accented.len(), 132);
        assert_eq!(remove_diacritics("đĐ"), "dD");
        // The table holds exactly those letters and đ/Đ.
        let listed: std::collections::BTreeSet<char> = LETTERS
            .iter()
            .flat_map(|(_, letters)| letters.chars())
            .collect();
        accented.extend(['đ', 'Đ']);
        assert_eq!(listed, accented);
        assert_eq!(listed.len(), 134);
    }

    #[test]
    fn decomposed_letters_lose_their_combining_marks() {
        // ở and ự typed as a letter followed by combining marks (horn, hook above, dot below).
        assert_eq!(remove_diacritics("o\u{31B}\u{309}"), "o");
        assert_eq!(remove_diacritics("du\u{31B}\u{323}ng"), "dung");
        assert_eq!(remove_diacritics("xa\u{302}y"), "xay");
    }

    #[test]
    fn identifiers_are_suggested_without_diacritics() {
        assert_eq!(
            ascii_identifier("ở_xây_dựng").as_deref(),
            Some("o_xay_dung")
        );
        assert_eq!(
            ascii_identifier("Đường-số-1").as_deref(),
            Some("Duong-so-1")
        );
        assert_eq!(ascii_identifier("sở_KHCN").as_deref(), Some("so_KHCN"));
        // Letters of other scripts have no ASCII form; a digit cannot start an identifier.
        assert_eq!(ascii_identifier("系统"), None);
        assert_eq!(ascii_identifier("ß"), None);
        assert_eq!(ascii_identifier("1ở"), None);
        assert!(is_identifier("_a-b9"));
        assert!(!is_identifier("a->b"));
        assert!(!is_identifier(""));
    }
}
