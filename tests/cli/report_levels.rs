//! The report of a ministry architecture (issue 26) speaks of the ministry: its fixed texts
//! follow the architecture's level (no "tỉnh", "địa phương", province or People's Committee), and
//! its diagrams draw whose each element is by the architecture's boundary: a national database
//! the ministry `owns` and one it declares itself are its own (solid, in its band), another
//! body's system in `context` is dashed as another body's, the reference model's elements are
//! dashed as national. The model is `tests/models/bo-mau`.

use crate::support::{kientruc, repository_root};
use serde_json::Value;
use std::path::Path;

/// The reports of `tests/models/bo-mau` in `language`: HTML, Markdown and the JSON report.
fn reports(language: &str) -> (String, String, Value) {
    let out = tempfile::tempdir().unwrap();
    let output = kientruc()
        .args([
            "report",
            "tests/models/bo-mau",
            "--out",
            out.path().to_str().unwrap(),
            "--lang",
            language,
            "--today",
            "2026-01-01",
        ])
        .current_dir(repository_root())
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read = |name: &str| std::fs::read_to_string(out.path().join(name)).unwrap();
    let json = serde_json::from_str(&read("report.json")).unwrap();
    (read("report.html"), read("report.md"), json)
}

/// HTML text as read: the entities the report's escaping writes (the template's and the
/// diagrams'), decoded.
fn html_text(html: &str) -> String {
    html.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Markdown text as read: a backslash before punctuation removed.
fn markdown_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut characters = markdown.chars().peekable();
    while let Some(character) = characters.next() {
        if character == '\\' && characters.peek().is_some_and(char::is_ascii_punctuation) {
            continue;
        }
        out.push(character);
    }
    out
}

/// `text` without the texts that are not the report's own: each rule's outcome reason (the
/// checker's words, quoting selectors), and the title and citation of the rules that apply at
/// another level only (listed as not applicable, in their own level's words).
fn without_rule_texts(text: &str, json: &Value) -> String {
    // Code (selectors, ids) and the pack's notes on citations (English, `lang="en"`) are quoted
    // as written.
    let mut text = text.to_owned();
    for (opening, closing) in [
        ("<code>", "</code>"),
        ("<span lang=\"en\">", "</span>"),
        ("(`", "`)"),
    ] {
        while let Some(start) = text.find(opening) {
            let end = text[start + opening.len()..]
                .find(closing)
                .map_or(text.len(), |end| {
                    start + opening.len() + end + closing.len()
                });
            text.replace_range(start..end, "·");
        }
    }
    let mut quoted: Vec<&str> = Vec::new();
    for rule in json["rules"].as_array().unwrap() {
        let reason = rule["reason"].as_str().unwrap_or_default();
        // A province-only rule, not applicable to a ministry, is quoted whole.
        if rule["subject"] == "scope ministry" {
            quoted.push(rule["title"].as_str().unwrap());
            quoted.push(rule["citation"].as_str().unwrap());
            quoted.push(rule["citation_short"].as_str().unwrap());
            quoted.push(rule["rationale"].as_str().unwrap());
        }
        quoted.push(reason);
    }
    quoted.retain(|quote| !quote.is_empty());
    quoted.sort_by_key(|quote| std::cmp::Reverse(quote.len()));
    for quote in quoted {
        text = text.replace(quote, "·");
    }
    text
}

/// The words of a province's report, wrong in a ministry's.
const PROVINCE_WORDS: &[&str] = &[
    "tỉnh",
    "Tỉnh",
    "địa phương",
    "Địa phương",
    "UBND",
    "provinc",
    "Provinc",
    "Local systems",
    "local systems",
    "local government",
    "People's Committee",
];

/// Each node of the SVG diagram `id` (`overview`, `integration`): its classes, its title and the
/// top of its box.
fn nodes(html: &str, id: &str) -> Vec<(String, String, i64)> {
    let svg = diagram(html, id);
    let mut found = Vec::new();
    for part in svg.split("<g class=\"node").skip(1) {
        // `<g class="nodes">` holds them.
        if part.starts_with('s') {
            continue;
        }
        let classes = format!("node{}", &part[..part.find('"').unwrap()]);
        let title = between(part, "<title>", "</title>");
        let rect = &part[part.find("<rect").unwrap()..];
        let top = between(rect, " y=\"", "\"").parse().unwrap();
        found.push((classes, title.to_owned(), top));
    }
    found
}

/// The bands of the diagram `id`, top to bottom: (top, height).
fn bands(html: &str, id: &str) -> Vec<(i64, i64)> {
    diagram(html, id)
        .split("<g class=\"band\">")
        .skip(1)
        .map(|part| {
            (
                between(part, " y=\"", "\"").parse().unwrap(),
                between(part, " height=\"", "\"").parse().unwrap(),
            )
        })
        .collect()
}

fn diagram<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}-svg\"")).unwrap();
    &html[start..start + html[start..].find("</svg>").unwrap()]
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap() + open.len();
    &text[start..start + text[start..].find(close).unwrap()]
}

/// The node of `element` in the diagram `id`: its classes and the band it is drawn in.
fn node_of(html: &str, id: &str, element: &str) -> (String, usize) {
    let (classes, _, top) = nodes(html, id)
        .into_iter()
        .find(|(_, title, _)| title.contains(&format!("({element})")))
        .unwrap_or_else(|| panic!("{element} is not drawn in the {id} diagram"));
    let band = bands(html, id)
        .iter()
        .position(|(band_top, height)| (*band_top..band_top + height).contains(&top))
        .unwrap();
    (classes, band)
}

fn side(classes: &str) -> &'static str {
    if classes.split(' ').any(|class| class == "national") {
        "national"
    } else if classes.split(' ').any(|class| class == "context") {
        "context"
    } else {
        "own"
    }
}

#[test]
fn a_ministry_report_speaks_of_the_ministry() {
    for (language, own_status, caption, legend_context) in [
        (
            "vi",
            "mô hình tham khảo, chưa được Bộ phê duyệt",
            "Các hệ thống của bộ, nền tảng LGSP, NDXP và hệ thống quốc gia",
            "Hệ thống của cơ quan khác",
        ),
        (
            "en",
            "reference model, not adopted by the ministry",
            "Ministry systems, the LGSP, the NDXP and national systems",
            "Another body's system",
        ),
    ] {
        let (html, markdown, json) = reports(language);
        assert_eq!(json["architecture"]["status"], own_status);
        let html = html_text(&html);
        let markdown = markdown_text(&markdown);
        assert!(html.contains(own_status) && markdown.contains(own_status));
        assert!(
            html.contains(caption),
            "{language}: the integration caption"
        );
        assert!(
            html.contains(legend_context),
            "{language}: the legend names another body's systems"
        );
        for (format, text) in [("html", &html), ("md", &markdown)] {
            let text = without_rule_texts(text, &json);
            let wrong: Vec<&&str> = PROVINCE_WORDS
                .iter()
                .filter(|word| text.contains(**word))
                .collect();
            assert!(
                wrong.is_empty(),
                "{language} {format}: province words {wrong:?} in a ministry's report: {:?}",
                wrong
                    .iter()
                    .map(|word| {
                        let at = text.find(**word).unwrap();
                        let from = text[..at]
                            .char_indices()
                            .rev()
                            .nth(60)
                            .map_or(0, |(i, _)| i);
                        text[from..(at + 60).min(text.len())].to_owned()
                    })
                    .collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn a_ministry_report_draws_whose_each_element_is() {
    let (html, _, json) = reports("vi");
    // The owned national database is the ministry's own: solid, in its band, in the element
    // index and linked from the diagrams.
    for diagram in ["overview", "integration"] {
        let (classes, _) = node_of(&html, diagram, "national.csdl_ho_tich");
        assert_eq!(side(&classes), "own", "{diagram}: {classes}");
        let (classes, _) = node_of(&html, diagram, "csdl_ly_lich");
        assert_eq!(side(&classes), "own", "{diagram}: {classes}");
        let (classes, _) = node_of(&html, diagram, "he_thong_giam_dinh");
        assert_eq!(side(&classes), "context", "{diagram}: {classes}");
    }
    assert_eq!(
        node_of(&html, "integration", "national.csdl_ho_tich").1,
        node_of(&html, "integration", "he_thong_ho_tich").1,
        "the owned database is drawn in the ministry's band"
    );
    assert_eq!(node_of(&html, "integration", "he_thong_ho_tich").1, 0);
    assert_eq!(node_of(&html, "integration", "csdl_ly_lich").1, 0);
    let (classes, band) = node_of(&html, "integration", "national.ndxp");
    assert_eq!((side(&classes), band), ("national", 2));
    let (classes, band) = node_of(&html, "integration", "national.csdlqg_dan_cu");
    assert_eq!((side(&classes), band), ("national", 3));
    assert!(html.contains("href=\"#e-national.2ecsdl_ho_tich\""));
    let indexed: Vec<&str> = json["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|element| element["id"].as_str().unwrap())
        .collect();
    assert!(indexed.contains(&"national.csdl_ho_tich"), "{indexed:?}");
    assert!(!indexed.contains(&"national.ndxp"), "{indexed:?}");
    // The bands are the ministry's.
    assert!(html.contains(">Hệ thống của bộ<"), "the systems' band");
    assert!(html.contains(">cấp bộ (LGSP)<"), "the platform's band");
}

#[test]
fn the_province_words_stay_for_a_province() {
    // The same model at the provincial level: the report's words are the province's again.
    let folder = tempfile::tempdir().unwrap();
    let model =
        std::fs::read_to_string(repository_root().join("tests/models/bo-mau/architecture.ea"))
            .unwrap()
            .replace("scope ministry", "scope province");
    std::fs::write(folder.path().join("architecture.ea"), model).unwrap();
    let out = folder.path().join("out");
    let output = kientruc()
        .args([
            "report",
            ".",
            "--out",
            "out",
            "--format",
            "json",
            "--today",
            "2026-01-01",
        ])
        .current_dir(folder.path())
        .output()
        .unwrap();
    assert!(output.status.code().is_some_and(|code| code <= 1));
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(&out).join("report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        json["architecture"]["status"],
        "mô hình tham khảo, chưa được UBND tỉnh phê duyệt"
    );
}
