//! Identifiers for imported elements: valid `.ea` identifiers (ASCII `[a-z0-9_]`, starting with a
//! letter), made from the source's identifier or name with Vietnamese diacritics removed, unique
//! (a second `so_khcn` becomes `so_khcn_2`), never a keyword, and stable: the same names asked in
//! the same order give the same identifiers.

use kientruc_dsl::diacritics::{is_identifier, remove_diacritics};
use std::collections::HashSet;

/// Identifiers longer than this are cut at a word boundary (`_`) before it.
pub const MAX_IDENTIFIER_LENGTH: usize = 48;

/// Words an element id may not be: the language's keywords and the boolean words.
const RESERVED: &[&str] = &[
    "architecture",
    "import",
    "as",
    "waive",
    "on",
    "until",
    "via",
    "true",
    "false",
];

/// `text` as an identifier: diacritics removed (`đ` → `d`), lower case, every run of other
/// characters one `_`, no `_` at either end, at most [`MAX_IDENTIFIER_LENGTH`] characters (cut
/// at a `_` when there is one in the second half). Empty when `text` has no ASCII letter or digit.
/// It may start with a digit; [`Identifiers::allocate`] adds a prefix then.
pub fn sanitize(text: &str) -> String {
    let folded = remove_diacritics(text).to_lowercase();
    let mut out = String::with_capacity(folded.len());
    for character in folded.chars() {
        if character.is_ascii_alphanumeric() {
            out.push(character);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.len() > MAX_IDENTIFIER_LENGTH {
        let at_word_end = out.as_bytes()[MAX_IDENTIFIER_LENGTH] == b'_';
        out.truncate(MAX_IDENTIFIER_LENGTH);
        if !at_word_end
            && let Some(cut) = out
                .rfind('_')
                .filter(|cut| *cut >= MAX_IDENTIFIER_LENGTH / 2)
        {
            out.truncate(cut);
        }
        while out.ends_with('_') {
            out.pop();
        }
    }
    out
}

/// The identifiers given out so far.
#[derive(Debug, Clone)]
pub struct Identifiers {
    used: HashSet<String>,
}

impl Default for Identifiers {
    fn default() -> Self {
        Self::new()
    }
}

impl Identifiers {
    /// No identifier given out yet; the keywords are reserved.
    pub fn new() -> Self {
        Identifiers {
            used: RESERVED.iter().map(|word| (*word).to_owned()).collect(),
        }
    }

    /// Reserves `id` (an import alias, or an identifier the source gives and the caller keeps as
    /// it is). False when it is taken already or is not a valid identifier.
    pub fn reserve(&mut self, id: &str) -> bool {
        is_identifier(id) && self.used.insert(id.to_owned())
    }

    /// Whether `id` has been given out or reserved.
    pub fn is_used(&self, id: &str) -> bool {
        self.used.contains(id)
    }

    /// A new identifier from the first of `candidates` that sanitises to something (the name,
    /// then the source's identifier, …), else `prefix`; prefixed with `prefix` and `_` when it
    /// would start with a digit; with `_2`, `_3`, … when taken.
    pub fn allocate(&mut self, candidates: &[&str], prefix: &str) -> String {
        let prefix = match sanitize(prefix) {
            prefix if prefix.is_empty() || prefix.starts_with(|c: char| c.is_ascii_digit()) => {
                format!("e{prefix}")
            }
            prefix => prefix,
        };
        let mut base = candidates
            .iter()
            .map(|candidate| sanitize(candidate))
            .find(|candidate| !candidate.is_empty())
            .unwrap_or_else(|| prefix.clone());
        if base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("{prefix}_{base}");
        }
        let mut id = base.clone();
        let mut counter = 2;
        while self.used.contains(&id) {
            id = format!("{base}_{counter}");
            counter += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_names_become_ascii_identifiers() {
        assert_eq!(
            sanitize("Sở Khoa học và Công nghệ Hà Nội"),
            "so_khoa_hoc_va_cong_nghe_ha_noi"
        );
        assert_eq!(
            sanitize("  Đường truyền \"TSLCD\" {}  "),
            "duong_truyen_tslcd"
        );
        assert_eq!(sanitize("系统"), "");
        assert_eq!(sanitize("id-4a2b-9c"), "id_4a2b_9c");
        let long = sanitize(
            "Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hà Nội phiên bản mới",
        );
        assert_eq!(long, "he_thong_thong_tin_giai_quyet_thu_tuc_hanh_chinh");
        assert!(long.len() <= MAX_IDENTIFIER_LENGTH);
    }

    #[test]
    fn identifiers_are_unique_valid_and_stable() {
        let allocate = || {
            let mut ids = Identifiers::new();
            assert!(ids.reserve("national"));
            vec![
                ids.allocate(&["Sở Y tế"], "agency"),
                ids.allocate(&["Sở Y tế"], "agency"),
                ids.allocate(&["so_y_te_2"], "agency"),
                ids.allocate(&["5G"], "network"),
                ids.allocate(&["", "???"], "system"),
                ids.allocate(&["via"], "system"),
                ids.allocate(&["national"], "system"),
                ids.allocate(&["系统", "id-17"], "system"),
            ]
        };
        let first = allocate();
        assert_eq!(
            first,
            [
                "so_y_te",
                "so_y_te_2",
                "so_y_te_2_2",
                "network_5g",
                "system",
                "via_2",
                "national_2",
                "id_17"
            ]
        );
        assert_eq!(first, allocate());
        assert!(first.iter().all(|id| is_identifier(id)));
        let mut ids = Identifiers::new();
        assert!(!ids.reserve("as"));
        assert!(!ids.reserve("sở"));
        assert!(ids.reserve("so"));
        assert!(!ids.reserve("so"));
    }
}
