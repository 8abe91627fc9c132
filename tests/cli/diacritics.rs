//! One diacritic style across the repository (CONTRIBUTING.md, "Vietnamese text"): the
//! traditional placement of the tone mark used in legal documents — `hóa`, `khỏe`, `thủy`,
//! `Ủy ban` — not the "new" placement `hoá`, `khoẻ`, `thuỷ`. In an open syllable ending in `oa`,
//! `oe` or `uy` the mark sits on the first vowel; `qu` is a consonant, so `quý` is right in both
//! styles. The test reads every tracked text file (not fuzz corpora, which are arbitrary input).

use crate::support::{repository_root, tracked_files};

/// The words of `line` written in the new style, each with its column (in characters).
fn new_style_words(line: &str) -> Vec<String> {
    const MARKED_A: &str = "àáảãạ";
    const MARKED_E: &str = "èéẻẽẹ";
    const MARKED_Y: &str = "ỳýỷỹỵ";
    let mut found = Vec::new();
    for word in line.split(|c: char| !c.is_alphabetic()) {
        let lower: Vec<char> = word.to_lowercase().chars().collect();
        let n = lower.len();
        if n < 2 {
            continue;
        }
        let (first, last) = (lower[n - 2], lower[n - 1]);
        let new_style = (first == 'o' && (MARKED_A.contains(last) || MARKED_E.contains(last)))
            || (first == 'u' && MARKED_Y.contains(last) && !(n >= 3 && lower[n - 3] == 'q'));
        if new_style {
            found.push(word.to_owned());
        }
    }
    found
}

#[test]
fn the_style_check_tells_the_two_placements_apart() {
    assert_eq!(
        new_style_words("hoá khoẻ thuỷ Xoá; hóa khỏe thủy quý Ủy ban hoàn toàn"),
        ["hoá", "khoẻ", "thuỷ", "Xoá"]
    );
}

#[test]
fn vietnamese_text_uses_one_diacritic_style() {
    let root = repository_root();
    let mut found = Vec::new();
    for name in &tracked_files() {
        if name.starts_with("fuzz/corpus") || name.ends_with("diacritics.rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(name)) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            for word in new_style_words(line) {
                found.push(format!("{name}:{}: {word}", number + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "words in the new diacritic style (write hóa, khỏe, thủy; see CONTRIBUTING.md):\n{}",
        found.join("\n")
    );
}
