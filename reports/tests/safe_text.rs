//! Safe text in every format (issue 20): the injection model's names hold a right-to-left
//! override, an isolate, an ANSI colour, an OSC 8 hyperlink, a carriage return, a backspace, C0,
//! DEL and C1 controls, a `::error::` workflow command on a line of its own and a 5,000-character
//! word. Every format that people read (the terminal with and without colour, GitHub annotations,
//! `JUnit`, SARIF, HTML, Markdown) shows each of those characters as `⟨U+XXXX⟩` and none raw, keeps
//! the long word whole, and lets no model text start a line of a CI log; the JSON outputs keep the
//! exact strings. The model is checked twice: as committed (the characters written as `\u{…}`
//! escapes) and with the raw characters in the source, which the terminal's excerpts show.

mod common;

use kientruc_checker::Checked;
use kientruc_reports::escape::is_neutralised;
use kientruc_reports::{Format, Language, ReportOptions, render};

const INJECTION: &str = include_str!("fixtures/injection/architecture.ea");

/// The hostile characters of the injection model, each with the form every format shows.
const HOSTILE: &[(char, &str)] = &[
    ('\u{202E}', "⟨U+202E⟩"),
    ('\u{202C}', "⟨U+202C⟩"),
    ('\u{2066}', "⟨U+2066⟩"),
    ('\u{2069}', "⟨U+2069⟩"),
    ('\u{1b}', "⟨U+001B⟩"),
    ('\r', "⟨U+000D⟩"),
    ('\u{8}', "⟨U+0008⟩"),
    ('\u{1}', "⟨U+0001⟩"),
    ('\u{7f}', "⟨U+007F⟩"),
    ('\u{9b}', "⟨U+009B⟩"),
];

fn long_word() -> String {
    "Đường".repeat(1000)
}

/// The injection model with its `\u{…}` escapes written as the raw characters (the string
/// grammar takes any character but `"`, `\` and a line feed).
fn with_raw_characters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("\\u{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let end = after.find('}').expect("escapes are closed");
        let code = u32::from_str_radix(&after[..end], 16).expect("hexadecimal");
        out.push(char::from_u32(code).expect("a character"));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The checked model of one file, which must have no input error.
fn check(text: &str) -> Checked {
    common::check(&[("architecture.ea", text)])
}

fn options(language: Language, color: bool) -> ReportOptions {
    ReportOptions {
        language,
        color,
        tool_version: "[version]".to_owned(),
        ..ReportOptions::default()
    }
}

fn output(checked: &Checked, format: Format, language: Language, color: bool) -> String {
    render(format, checked, &options(language, color)).unwrap_or_else(|error| panic!("{error}"))
}

/// The colour sequences termcolor writes (`ESC[0m`, `ESC[1m`, `ESC[38;5;9m`, …) removed: what
/// remains must hold no escape character at all.
fn without_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("\u{1b}[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find(|character: char| !(character.is_ascii_digit() || character == ';'))
            .expect("a colour sequence ends");
        assert_eq!(&after[end..=end], "m", "only colour sequences: {after:.20}");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Every character the escaping shows as `⟨U+XXXX⟩`, found raw in `text`.
fn raw_characters(text: &str) -> Vec<String> {
    text.chars()
        .filter(|character| is_neutralised(*character))
        .map(|character| format!("U+{:04X}", u32::from(character)))
        .collect()
}

/// The checked model, as committed and with the raw characters in its source: both give the same
/// names, and the same findings on the two hostile systems.
fn models() -> [(&'static str, Checked); 2] {
    let escaped = check(INJECTION);
    let raw = check(&with_raw_characters(INJECTION));
    for checked in [&escaped, &raw] {
        for element in ["he_thong_dieu_khien", "he_thong_ten_dai"] {
            assert!(
                checked.findings.iter().any(|finding| {
                    finding.element.as_deref() == Some(element) && !finding.is_accepted()
                }),
                "an open finding on {element}"
            );
        }
    }
    [("escaped", escaped), ("raw", raw)]
}

#[test]
fn no_format_people_read_passes_on_a_control_or_bidirectional_character() {
    let long_word = long_word();
    for (variant, checked) in models() {
        for language in [Language::Vi, Language::En] {
            let outputs = [
                ("human", output(&checked, Format::Human, language, false)),
                (
                    "human in colour",
                    without_colours(&output(&checked, Format::Human, language, true)),
                ),
                ("github", output(&checked, Format::Github, language, false)),
                ("junit", output(&checked, Format::Junit, language, false)),
                ("sarif", output(&checked, Format::Sarif, language, false)),
                ("html", output(&checked, Format::Html, language, false)),
                ("md", output(&checked, Format::Markdown, language, false)),
            ];
            for (format, text) in &outputs {
                let what = format!("{format} ({variant}, {language:?})");
                assert_eq!(
                    raw_characters(text),
                    Vec::<String>::new(),
                    "{what}: raw characters"
                );
                for (_, visible) in HOSTILE {
                    assert!(text.contains(visible), "{what} lacks {visible}");
                }
                assert!(text.contains(&long_word), "{what} lacks the long word");
            }
        }
    }
}

#[test]
fn the_terminal_in_colour_writes_only_its_own_colour_sequences() {
    for (variant, checked) in models() {
        let coloured = output(&checked, Format::Human, Language::En, true);
        assert!(coloured.contains("\u{1b}["), "{variant}: coloured");
        // No hyperlink, no cursor movement, no erasing: every escape starts a colour sequence.
        let plain = without_colours(&coloured);
        assert!(!plain.contains('\u{1b}'), "{variant}");
        assert_eq!(
            plain,
            output(&checked, Format::Human, Language::En, false),
            "{variant}: the same text without colour"
        );
    }
}

#[test]
fn no_model_text_starts_a_line_of_a_ci_log() {
    for (variant, checked) in models() {
        for language in [Language::Vi, Language::En] {
            for line in output(&checked, Format::Human, language, false).lines() {
                assert!(
                    !line.trim_start().starts_with("::"),
                    "{variant}: a human line is a workflow command: {line:.80}"
                );
            }
            let github = output(&checked, Format::Github, language, false);
            let open = checked
                .findings
                .iter()
                .filter(|finding| !finding.is_accepted())
                .count();
            assert_eq!(
                github.lines().count(),
                open,
                "{variant}: one line per finding"
            );
            for line in github.lines() {
                assert!(
                    ["::error file=", "::warning file=", "::notice file="]
                        .iter()
                        .any(|command| line.starts_with(command)),
                    "{variant}: {line:.80}"
                );
                // The properties end at the first `::`; the model's own `::error::` is in the
                // message, after its encoded line break.
                let (command, message) = line[2..].split_once("::").unwrap();
                assert!(!command.contains('\n') && !command.contains("%0A::"));
                if message.contains("Điều khiển") {
                    assert!(message.contains("%0A::error::giả mạo"), "{message:.80}");
                }
            }
        }
    }
}

#[test]
fn junit_stays_well_formed_xml() {
    for (variant, checked) in models() {
        let junit = output(&checked, Format::Junit, Language::En, false);
        let document =
            roxmltree::Document::parse(&junit).unwrap_or_else(|error| panic!("{variant}: {error}"));
        let texts: String = document
            .descendants()
            .filter_map(|node| node.text())
            .collect();
        assert!(
            texts.contains("Điều khiển ⟨U+202E⟩cba⟨U+202C⟩"),
            "{variant}"
        );
        assert!(
            texts.contains("\n::error::giả mạo"),
            "{variant}: the line break is kept"
        );
        assert!(texts.contains(&long_word()), "{variant}");
    }
}

/// `check --format json` and `report.json` are data: they keep the exact strings (JSON escapes
/// control characters itself).
#[test]
fn the_json_outputs_keep_the_exact_strings() {
    let (_, checked) = models().into_iter().next().unwrap();
    let name = checked
        .analysis
        .model
        .elements
        .iter()
        .find(|element| element.qualified_id == "he_thong_dieu_khien")
        .map(|element| element.name.clone())
        .expect("the hostile system");
    assert!(name.contains('\u{202E}') && name.contains("\u{1b}]8;;"));
    for format in [Format::CheckJson, Format::Json] {
        let text = output(&checked, format, Language::En, false);
        assert!(!text.contains('\u{1b}'), "{format:?}: JSON escapes ESC");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut strings = Vec::new();
        collect_strings(&json, &mut strings);
        assert!(
            strings.iter().any(|text| text.contains(&name)),
            "{format:?} keeps the exact name"
        );
    }
}

/// SARIF's snippets copy the source, raw characters and all, as `\u` escapes in the file; its
/// messages show them.
#[test]
fn sarif_snippets_copy_the_source_and_messages_show_it() {
    let checked = check(&with_raw_characters(INJECTION));
    let sarif = output(&checked, Format::Sarif, Language::En, false);
    assert!(sarif.contains("\\u202e"), "an escaped override");
    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|result| result["properties"]["element"] == "he_thong_dieu_khien")
        .expect("a result on the hostile system");
    let message = result["message"]["text"].as_str().unwrap();
    assert!(
        message.contains("Điều khiển ⟨U+202E⟩cba⟨U+202C⟩"),
        "{message}"
    );
    let region = &result["locations"][0]["physicalLocation"]["contextRegion"];
    let line = region["snippet"]["text"].as_str().unwrap();
    assert!(line.contains("Điều khiển \u{202E}cba\u{202C}"), "{line}");
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => out.push(text.clone()),
        serde_json::Value::Array(values) => {
            for value in values {
                collect_strings(value, out);
            }
        }
        serde_json::Value::Object(map) => {
            for value in map.values() {
                collect_strings(value, out);
            }
        }
        _ => {}
    }
}

/// The terminal's excerpt of the hostile system, its raw characters in the source: the line is
/// shown with the visible forms, the caret under the id, and the column the other formats give.
#[test]
fn the_terminal_excerpt_shows_the_source_line_inert() {
    let checked = check(&with_raw_characters(INJECTION));
    let human = output(&checked, Format::Human, Language::En, false);
    let start = human
        .find("error[SRM-001]: System Điều khiển")
        .expect("the finding on the hostile system");
    let excerpt = &human[start..];
    let excerpt = &excerpt[..excerpt.find("\n\n").unwrap()];
    insta::assert_snapshot!(excerpt);
}

/// An input error after raw control characters on its line: the caret stays under the `=` as
/// shown, and the column is the source's (each replaced character counts as one).
#[test]
fn a_caret_after_replaced_characters_stays_under_its_token() {
    let text = "architecture a \"A\" {\n  framework \"report-test\"\n  version \"1\"\n}\n\nagency ubnd \"\u{1b}[2J\u{202E}\r\" { level = province }\n";
    let checked = common::analyze(&[("architecture.ea", text)]);
    let human = output(&checked, Format::Human, Language::En, false);
    assert!(raw_characters(&human).is_empty(), "{human}");
    let start = human.find("error[KT0001]").expect("a syntax error");
    let excerpt = &human[start..];
    insta::assert_snapshot!(&excerpt[..excerpt.find("\n\n").unwrap()]);
    let diagnostic = checked
        .analysis
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.code.as_str() == "KT0001")
        .unwrap();
    let location = kientruc_reports::Location::of(
        &checked.analysis.workspace.files,
        diagnostic.primary.as_ref().unwrap().span,
    );
    assert_eq!((location.line, location.column), (6, 30));
    assert!(excerpt.contains("architecture.ea:6:30"), "{excerpt}");
}
