//! A Vietnamese report is Vietnamese (issue 20): no enum word of the metamodel (`operational`,
//! `planned`, `approved_duplicate` is a property, `national` a value) is left untranslated in
//! what the reports say themselves, in the HTML, the Markdown and the terminal summary, on
//! Hanoi and on the Bộ Tư pháp. What is left out of the scan: code (`<code>`, backticks, and
//! `snake_case` identifiers: ids, properties and selectors are what the architect types), the
//! model's own words (its names, the reasons of its baseline and waivers), and the pack's notes
//! on citations, which are written in English and marked `lang="en"`.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{kientruc, repository_root};

/// Every enum value the vn-egov-3.0 metamodel defines.
fn enum_words() -> BTreeSet<String> {
    let text = std::fs::read_to_string(
        repository_root().join("architecture/frameworks/vn-egov-3.0/metamodel.toml"),
    )
    .unwrap();
    let metamodel: toml::Value = toml::from_str(&text).unwrap();
    let mut words = BTreeSet::new();
    for property in metamodel["property"].as_table().unwrap().values() {
        if let Some(values) = property.get("values").and_then(toml::Value::as_array) {
            words.extend(
                values
                    .iter()
                    .filter_map(|value| value.as_str().map(str::to_owned)),
            );
        }
    }
    assert!(words.len() > 100, "{}", words.len());
    words
}

/// Words of the metamodel that are Vietnamese words too: `ai` ("who"), and the loanwords
/// `camera` and `web` ("trình duyệt web", "hệ thống camera"), which the pack's Vietnamese texts
/// use as Vietnamese does.
const LOANWORDS: &[&str] = &["ai", "camera", "web"];

/// Removes every `<tag …>…</tag>` of the given name (not nested in itself).
fn without_elements(html: &str, opening: &str, closing: &str) -> String {
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(opening) {
        kept.push_str(&rest[..start]);
        let after = start + opening.len();
        match rest[after..].find(closing) {
            Some(end) => rest = &rest[after + end + closing.len()..],
            None => rest = "",
        }
    }
    kept.push_str(rest);
    kept
}

/// The text a reader sees in an HTML fragment: tags removed, entities decoded.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for character in html.chars() {
        match character {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(character),
            _ => {}
        }
    }
    text.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The enum words found as whole words (ids such as `national.csdl_dan_cu` are one word).
fn untranslated(text: &str, names: &[String], words: &BTreeSet<String>) -> Vec<String> {
    let mut text = text.to_owned();
    // The model's own names are its authors' words.
    for name in names {
        text = text.replace(name.as_str(), " ");
    }
    let mut found: Vec<String> = text
        .split(|character: char| {
            character.is_whitespace() || ",;:()\"'[]{}/<>=·—→×!?|*\\".contains(character)
        })
        // A snake_case word (`security_unit`, `approved_duplicate`) is an identifier the
        // architect types, shown as such: only plain words must be translated.
        .filter(|word| words.contains(*word) && !word.contains('_') && !LOANWORDS.contains(word))
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}

fn check_model(model: &str, baseline: &str) {
    let words = enum_words();
    let out = tempfile::tempdir().unwrap();
    let output = kientruc()
        .args([
            "report",
            model,
            "--today",
            "2025-01-15",
            "--baseline",
            baseline,
            "--out",
        ])
        .arg(out.path())
        .current_dir(repository_root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("report.json")).unwrap())
            .unwrap();
    let mut names: Vec<String> = json["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|element| element["name"].as_str().unwrap().to_owned())
        .chain(
            json["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|finding| finding["element_name"].as_str().map(str::to_owned)),
        )
        .collect();
    // So are the reasons written in the baseline and the waivers.
    for finding in json["findings"].as_array().unwrap() {
        for reason in [
            &finding["acceptance"]["reason"],
            &finding["waiver"]["reason"],
        ] {
            if let Some(reason) = reason.as_str() {
                names.push(reason.to_owned());
            }
        }
    }
    // Longest first, so that a name containing another is removed whole.
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    names.dedup();

    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    let start = html.find("<div class=\"doc doc-vi\"").unwrap();
    let end = html.find("<div class=\"doc doc-en\"").unwrap();
    let mut vietnamese = html[start..end].to_owned();
    for (opening, closing) in [
        ("<code>", "</code>"),
        ("<span lang=\"en\">", "</span>"),
        // The diagrams' ids are in `<title>`s as code would be; their labels are names.
        ("<title>", "</title>"),
    ] {
        vietnamese = without_elements(&vietnamese, opening, closing);
    }
    let found = untranslated(&visible_text(&vietnamese), &names, &words);
    assert!(found.is_empty(), "{model}: report.html (vi) says {found:?}");

    let markdown = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    let markdown = without_elements(&markdown, "`", "`").replace('\\', "");
    let found = untranslated(&markdown, &names, &words);
    assert!(found.is_empty(), "{model}: report.md says {found:?}");

    let terminal = String::from_utf8(output.stdout).unwrap();
    let found = untranslated(&terminal, &names, &words);
    assert!(found.is_empty(), "{model}: the summary says {found:?}");
}

#[test]
fn the_vietnamese_reports_of_hanoi_leave_no_enum_word_untranslated() {
    check_model(
        "architecture/hanoi",
        "architecture/hanoi/.kientruc-baseline.json",
    );
}

#[test]
fn the_vietnamese_reports_of_the_ministry_of_justice_leave_no_enum_word_untranslated() {
    check_model(
        "architecture/bo-tu-phap",
        "architecture/bo-tu-phap/.kientruc-baseline.json",
    );
}

#[test]
fn the_scan_finds_an_untranslated_word() {
    let words = enum_words();
    assert_eq!(
        untranslated(
            "Trạng thái: planned; national.csdl_dan_cu; (security_unit) Hệ thống camera X",
            &["Hệ thống camera X".to_owned()],
            &words
        ),
        vec!["planned".to_owned()]
    );
}
