//! Rule texts follow the architecture's level (issue 26): read at `ministry`, no text of a rule
//! that applies there speaks of the province (tỉnh, địa phương, Hà Nội, a Sở, the People's
//! Committee, communes); read at `province`, none speaks of the ministry (bộ, ministry), except
//! proper names that are right at both levels (the allow-lists below). Every `{word}` placeholder
//! is replaced, save the placeholders a finding's message is filled with.

use crate::support::{kientruc, repository_root};
use serde_json::Value;
use std::fmt::Write as _;

/// The framework pack whose texts are checked.
const FRAMEWORK: &str = "vn-egov-3.0";

/// The levels of architecture, each with the words its texts must not contain.
const LEVELS: [&str; 2] = ["ministry", "province"];

/// Words that name the province (or a province's bodies): wrong in a ministry's text.
const PROVINCE_WORDS: &[&str] = &[
    "tỉnh",
    "Tỉnh",
    "địa phương",
    "Địa phương",
    "Hà Nội",
    "Hanoi",
    "Sở ",
    "UBND",
    "Ủy ban nhân dân",
    "cấp xã",
    "provinc",
    "Provinc",
    "local government",
    "Local government",
    "People's Committee",
    "commune",
    "Commune",
];

/// Words that name the ministry: wrong in a province's text. `bộ` is matched as a whole word.
const MINISTRY_WORDS: &[&str] = &["bộ", "Bộ", "ministr", "Ministr"];

/// Phrases with `bộ` / `ministry` that are right at both levels: proper names of national bodies
/// and ordinary words that contain the syllable `bộ` (whole, synchronised, cadre, set of
/// indicators, the one-stop desk).
const BOTH_LEVELS: &[&str] = &[
    "Bộ Công an",
    "Bộ Thông tin và Truyền thông",
    "Bộ Khoa học và Công nghệ",
    "Ministry of Public Security",
    "Ministry of Information and Communications",
    "Ministry of Science and Technology",
    "Bộ phận Một cửa",
    "Bộ phận Tiếp nhận và Trả kết quả",
    "bộ phận",
    "cán bộ",
    "bộ chỉ tiêu",
    "Bộ chỉ tiêu",
    "bộ chỉ số",
    "Bộ chỉ số",
    "toàn bộ",
    "đồng bộ",
    "nội bộ",
];

/// The placeholders a finding fills in a rule's message (`checker/src/findings.rs`, `finding`
/// and `apply_waivers`; the checks' `Hit::with` values in `checker/src/checks/` and
/// `checker/src/engine.rs`).
const FINDING_PLACEHOLDERS: &[&str] = &[
    "name",
    "id",
    "kind",
    "property",
    "value",
    "value_vi",
    "count",
    "min",
    "max",
    "target",
    "target_vi",
    "relation",
    "path",
    "rule",
    "until",
    "until_vi",
];

/// The rule texts a reader sees.
const FIELDS: [&str; 4] = ["title", "message", "rationale", "fix"];

/// One text that reads wrong at a level.
#[derive(Debug, PartialEq, Eq)]
struct Problem {
    rule: String,
    field: String,
    word: String,
}

/// The words of `text` that are wrong at `level` (and the placeholders left in it).
fn wrong_words(text: &str, level: &str, field: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut masked = text.to_owned();
    let mut phrases = BOTH_LEVELS.to_vec();
    phrases.sort_by_key(|phrase| std::cmp::Reverse(phrase.len()));
    for phrase in phrases {
        masked = masked.replace(phrase, "·");
    }
    match level {
        "ministry" => {
            for word in PROVINCE_WORDS {
                if contains_word(&masked, word) {
                    found.push((*word).to_owned());
                }
            }
        }
        _ => {
            for word in MINISTRY_WORDS {
                if contains_word(&masked, word) {
                    found.push((*word).to_owned());
                }
            }
        }
    }
    for placeholder in placeholders(text) {
        let allowed = field == "message" && FINDING_PLACEHOLDERS.contains(&placeholder.as_str());
        if !allowed {
            found.push(format!("{{{placeholder}}}"));
        }
    }
    found
}

/// Whether `text` contains `word` at the start of a word (`ministr` is not in "administrative"),
/// and, for a syllable such as `bộ`, as a whole word (`bộ` is not in "bội").
fn contains_word(text: &str, word: &str) -> bool {
    let whole = word.chars().count() <= 2;
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric)
            && (!whole || !after.is_some_and(char::is_alphanumeric))
    })
}

/// The `{name}` placeholders of `text` (an identifier between braces; `{ status planned }` in a
/// code example is not one).
fn placeholders(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        if let Some(close) = after.find('}') {
            let name = &after[..close];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                names.push(name.to_owned());
            }
        }
        rest = after;
    }
    names
}

/// The pack's catalogue with its texts read at `level` (`None`: the catalogue's `any`).
fn catalogue(level: Option<&str>) -> Vec<Value> {
    let mut command = kientruc();
    command
        .args(["rules", "--framework", FRAMEWORK, "--format", "json"])
        .current_dir(repository_root());
    if let Some(level) = level {
        command.args(["--level", level]);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let catalogue: Value = serde_json::from_slice(&output.stdout).unwrap();
    catalogue["rules"].as_array().unwrap().clone()
}

/// The problems of the rules that apply at `level`, their texts read there.
fn problems_at(level: &str, rules: &[Value]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for rule in rules {
        let levels: Vec<&str> = rule["levels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|level| level.as_str().unwrap())
            .collect();
        if !levels.is_empty() && !levels.contains(&level) {
            continue;
        }
        for field in FIELDS {
            for language in ["vi", "en"] {
                let text = rule[field][language].as_str().unwrap();
                for word in wrong_words(text, level, field) {
                    problems.push(Problem {
                        rule: rule["id"].as_str().unwrap().to_owned(),
                        field: format!("{field}.{language}"),
                        word,
                    });
                }
            }
        }
    }
    problems
}

#[test]
fn rule_texts_follow_the_level() {
    let mut report = String::new();
    for level in LEVELS {
        let rules = catalogue(Some(level));
        assert!(rules.len() > 50, "the pack has its rules");
        for problem in problems_at(level, &rules) {
            writeln!(
                report,
                "{level}: {} {}: `{}`",
                problem.rule, problem.field, problem.word
            )
            .unwrap();
        }
    }
    assert!(
        report.is_empty(),
        "rule texts that do not fit their level (use the framework's words: {{level}}, {{unit}}, …):\n{report}"
    );
}

#[test]
fn catalogue_texts_leave_no_word_unreplaced() {
    let mut report = String::new();
    for rule in catalogue(None) {
        for field in FIELDS {
            for language in ["vi", "en"] {
                let text = rule[field][language].as_str().unwrap();
                for placeholder in placeholders(text) {
                    if field != "message" || !FINDING_PLACEHOLDERS.contains(&placeholder.as_str()) {
                        writeln!(
                            report,
                            "{} {field}.{language}: `{{{placeholder}}}`",
                            rule["id"].as_str().unwrap()
                        )
                        .unwrap();
                    }
                }
            }
        }
        // Citation notes are not read at a level: a word there would stay a placeholder.
        if let Some(note) = rule["citation"]["note"].as_str() {
            for placeholder in placeholders(note) {
                writeln!(
                    report,
                    "{} citation.note: `{{{placeholder}}}`",
                    rule["id"].as_str().unwrap()
                )
                .unwrap();
            }
        }
    }
    assert!(report.is_empty(), "placeholders left:\n{report}");
}

#[test]
fn every_word_is_defined_at_every_level() {
    let text = std::fs::read_to_string(repository_root().join(format!(
        "architecture/frameworks/{FRAMEWORK}/framework.toml"
    )))
    .unwrap();
    let framework: toml::Value = toml::from_str(&text).unwrap();
    let words = framework["words"].as_table().unwrap();
    assert!(!words.is_empty());
    for (word, by_level) in words {
        for level in LEVELS.iter().chain(&["any"]) {
            for language in ["vi", "en"] {
                let value = by_level
                    .get(*level)
                    .and_then(|localized| localized.get(language))
                    .and_then(toml::Value::as_str);
                assert!(
                    value.is_some_and(|value| !value.is_empty()),
                    "word `{word}` has no {language} text at level `{level}`"
                );
                if *level != "any" {
                    let wrong = wrong_words(value.unwrap_or_default(), level, "title");
                    assert!(
                        wrong.is_empty(),
                        "word `{word}` at `{level}` ({language}) reads {wrong:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_scanner_finds_wrong_words() {
    // The test can fail: each of these texts is wrong at its level.
    assert_eq!(
        wrong_words("Mỗi tỉnh có một LGSP", "ministry", "title"),
        ["tỉnh"]
    );
    assert_eq!(
        wrong_words("Add the province's platform", "ministry", "fix"),
        ["provinc"]
    );
    assert_eq!(
        wrong_words("Hệ thống báo cáo của bộ, tỉnh", "province", "rationale"),
        ["bộ"]
    );
    assert_eq!(
        wrong_words("Each ministry connects", "province", "rationale"),
        ["ministr"]
    );
    assert_eq!(
        wrong_words("Tỉnh và thành phố", "ministry", "title"),
        ["Tỉnh"]
    );
    assert_eq!(
        wrong_words("{name} có {count} {platform}", "province", "message"),
        ["{platform}"]
    );
    assert_eq!(
        wrong_words("Thêm {id} vào danh mục", "province", "fix"),
        ["{id}"]
    );
    // … and these are right.
    for (text, level) in [
        (
            "Dữ liệu đồng bộ với toàn bộ hệ thống của cán bộ",
            "province",
        ),
        (
            "Hồ sơ gửi Bộ Công an; Bộ phận Một cửa tiếp nhận",
            "province",
        ),
        ("Bộ chỉ số của tỉnh", "province"),
        ("Lodged with the Ministry of Public Security", "province"),
        ("Administrative procedures of a bội số", "province"),
        ("Mỗi bộ có một LGSP", "ministry"),
        ("`platform ... { platform_type lgsp }`", "ministry"),
        ("{name} ({id}) có {count}", "ministry"),
    ] {
        let field = if text.contains("{name}") {
            "message"
        } else {
            "fix"
        };
        assert!(
            wrong_words(text, level, field).is_empty(),
            "{text} at {level}: {:?}",
            wrong_words(text, level, field)
        );
    }
}
