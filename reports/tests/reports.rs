//! Report tests on the fixtures in `tests/fixtures` (their own small framework pack, so the
//! snapshots do not churn as the real rule pack grows): the shared fixture of problems (a syntax
//! error, a resolution error, findings of each severity, a waived and a baselined one)
//! snapshotted in every format, insta snapshots of the reports of the clean small model, SARIF
//! validated against the official 2.1.0 schema, the JSON report against its schema, `JUnit`
//! parsed, the injection model rendered inert in every format, determinism, template overrides
//! and errors, and the bilingual texts of the templates.

mod common;
use common::{analyze, analyze_as_of, check};

use kientruc_checker::baseline::BaselineEntry;
use kientruc_checker::{AsOfSource, Checked, Outcome};
use kientruc_dsl::Severity;
use kientruc_dsl::syntax::Date;
use kientruc_reports::{
    BaselineOutcome, Format, Language, ReportError, ReportOptions, Templates, render,
};

const SMALL: &[(&str, &str)] = &[
    (
        "architecture.ea",
        include_str!("fixtures/small/architecture.ea"),
    ),
    ("roadmap.ea", include_str!("fixtures/small/roadmap.ea")),
];

const INJECTION: &[(&str, &str)] = &[(
    "architecture.ea",
    include_str!("fixtures/injection/architecture.ea"),
)];

/// The small workspace and a file with a syntax error and a resolution error.
const PROBLEMS: &[(&str, &str)] = &[
    (
        "architecture.ea",
        include_str!("fixtures/small/architecture.ea"),
    ),
    ("roadmap.ea", include_str!("fixtures/small/roadmap.ea")),
    ("broken.ea", include_str!("fixtures/problems/broken.ea")),
];

fn options(language: Language) -> ReportOptions {
    ReportOptions {
        language,
        tool_version: "[version]".to_owned(),
        ..ReportOptions::default()
    }
}

fn report(checked: &Checked, format: Format, language: Language) -> String {
    render(format, checked, &options(language)).unwrap_or_else(|error| panic!("{error}"))
}

/// The shared fixture of every format: the small workspace with a syntax error (KT0001) and a
/// resolution error (KT0206) in `broken.ea`, findings of each severity, TRM-001 waived in the
/// model, and ARM-001 accepted by a baseline (which also lists an entry that no longer occurs).
fn problems(language: Language) -> (Checked, ReportOptions) {
    let mut checked = analyze(PROBLEMS);
    let mut matched = 0;
    for finding in &mut checked.findings {
        if finding.rule == "ARM-001" {
            finding.baselined = true;
            matched += 1;
        }
    }
    let options = ReportOptions {
        baseline: true,
        baseline_outcome: Some(BaselineOutcome {
            file: ".kientruc-baseline.json".to_owned(),
            matched,
            // Through serde, so optional fields the baseline gains default to absent.
            fixed: vec![
                serde_json::from_value::<BaselineEntry>(serde_json::json!({
                    "rule": "SRM-001",
                    "element": "he_thong_cu",
                    "fingerprint": "0123456789abcdef",
                    "message": "System he_thong_cu has no security level",
                }))
                .unwrap(),
            ],
            updated: false,
        }),
        ..options(language)
    };
    (checked, options)
}

#[test]
fn the_shared_fixture_has_every_kind_of_problem() {
    let (checked, _) = problems(Language::Vi);
    let codes: Vec<&str> = checked
        .analysis
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic.code.as_str())
        .collect();
    assert_eq!(codes, ["KT0206", "KT0001"]);
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        assert!(
            checked
                .findings
                .iter()
                .any(|finding| finding.severity == severity && !finding.is_accepted()),
            "an open {severity:?} finding"
        );
    }
    assert!(
        checked
            .findings
            .iter()
            .any(kientruc_checker::findings::Finding::is_waived)
    );
    assert!(
        checked
            .findings
            .iter()
            .any(|finding| finding.baselined && !finding.is_waived())
    );
}

/// Every format, on the shared fixture: each names both input errors by their KT code.
#[test]
fn every_format_shows_input_errors_and_findings() {
    let (checked, options) = problems(Language::Vi);
    for format in Format::ALL {
        let text = render(format, &checked, &options).unwrap_or_else(|error| panic!("{error}"));
        for code in ["KT0001", "KT0206", "DRM-001"] {
            assert!(text.contains(code), "{format:?} lacks {code}");
        }
        insta::assert_snapshot!(format!("problems_{}", format.as_str()), text);
    }
}

#[test]
fn input_errors_are_sarif_results_with_their_code_among_the_rules() {
    let schema = validator(include_str!("../schema/sarif-schema-2.1.0.json"));
    for language in [Language::Vi, Language::En] {
        let (checked, options) = problems(language);
        let sarif = render(Format::Sarif, &checked, &options).unwrap();
        assert_valid(&schema, &sarif, "SARIF");
        let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(
            rules.len(),
            checked.pack.rules.len() + checked.tool_rules.len() + 2,
            "the rules and the two KT codes that occur"
        );
        let results = run["results"].as_array().unwrap();
        for (result, code) in results.iter().zip(["KT0206", "KT0001"]) {
            assert_eq!(result["ruleId"], code);
            assert_eq!(result["level"], "error");
            assert_eq!(result["baselineState"], "new");
            let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
            assert_eq!(rule["id"], code);
            assert_eq!(rule["properties"]["tags"][0], "input");
            // KT codes have no published page: no helpUri rather than a placeholder.
            assert!(rule.get("helpUri").is_none());
            assert_eq!(
                result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                "ws/broken.ea"
            );
        }
        assert_eq!(
            results
                .iter()
                .filter(|result| result["baselineState"] == "unchanged")
                .count(),
            checked
                .findings
                .iter()
                .filter(|finding| finding.baselined)
                .count()
        );
    }
}

#[test]
fn rule_links_go_to_the_configured_address_or_to_the_report_itself() {
    // No address set (the fixture's pack has no `doc_base_url`, the workspace no `docs-url`):
    // the HTML links each rule to its row in the report, the Markdown names it without a link,
    // SARIF has no helpUri, and nothing links to a placeholder.
    let mut checked = check(SMALL);
    assert!(checked.rule_doc_url("ARM-001").is_none());
    for format in Format::REPORTS {
        let text = report(&checked, format, Language::Vi);
        assert!(!text.contains("example.invalid/kientruc"), "{format:?}");
        assert!(!text.contains("docs/rules/"), "{format:?}");
        assert!(!text.contains("docs/language.md"), "{format:?}");
    }
    let html = report(&checked, Format::Html, Language::Vi);
    assert!(html.contains("<a href=\"#r-ARM-001\"><code>ARM-001</code></a>"));
    assert!(html.contains("<tr id=\"r-ARM-001\">"));
    let sarif: serde_json::Value =
        serde_json::from_str(&report(&checked, Format::Sarif, Language::Vi)).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(rules.iter().all(|rule| rule.get("helpUri").is_none()));
    // The tool's own address is the project's (Cargo.toml's homepage), never a placeholder.
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["informationUri"],
        "https://github.com/kientruc/kientruc"
    );

    // `docs-url` set: every format links a rule to its page there.
    checked.config.docs_url = Some("https://docs.example.gov.vn/kientruc/rules/".to_owned());
    let page = "https://docs.example.gov.vn/kientruc/rules/report-test.md#arm-001";
    assert_eq!(checked.rule_doc_url("ARM-001").as_deref(), Some(page));
    assert!(
        report(&checked, Format::Html, Language::Vi).contains(&format!(
            "<a href=\"{}\"><code>ARM-001</code></a>",
            page.replace('/', "&#x2F;")
        ))
    );
    assert!(
        report(&checked, Format::Markdown, Language::Vi).contains(&format!("[ARM-001]({page})"))
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&report(&checked, Format::Sarif, Language::Vi)).unwrap();
    let rule = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["id"] == "ARM-001")
        .unwrap();
    assert_eq!(rule["helpUri"], page);
    // With placeholders, for a site laid out otherwise.
    checked.config.docs_url =
        Some("https://docs.example.gov.vn/{framework}/{rule}.html".to_owned());
    assert_eq!(
        checked.rule_doc_url("ARM-001").as_deref(),
        Some("https://docs.example.gov.vn/report-test/arm-001.html")
    );
    // The checker's own rules (waivers) have no page of their own.
    assert_eq!(checked.rule_doc_url("KT-WAIVER-EXPIRED"), None);
}

#[test]
fn input_errors_are_a_failing_junit_suite_with_a_case_per_code() {
    let (checked, options) = problems(Language::En);
    let xml = render(Format::Junit, &checked, &options).unwrap();
    let document = roxmltree::Document::parse(&xml).unwrap();
    let root = document.root_element();
    let suites: Vec<_> = root
        .children()
        .filter(|node| node.has_tag_name("testsuite"))
        .collect();
    assert_eq!(
        suites.len(),
        7,
        "the input suite and one per reference model"
    );
    let input = suites[0];
    assert_eq!(input.attribute("name"), Some("KT — Input errors"));
    assert_eq!(input.attribute("failures"), Some("2"));
    let cases: Vec<_> = input
        .children()
        .filter(|node| node.has_tag_name("testcase"))
        .collect();
    assert_eq!(
        cases
            .iter()
            .map(|case| case.attribute("name").unwrap())
            .collect::<Vec<_>>(),
        ["KT0001: syntax error", "KT0206: unresolved reference"]
    );
    for case in cases {
        let failure = case
            .children()
            .find(|node| node.has_tag_name("failure"))
            .unwrap();
        assert!(failure.text().unwrap().starts_with("ws/broken.ea:"));
    }
    let failures = root
        .descendants()
        .filter(|node| node.has_tag_name("failure"))
        .count();
    assert_eq!(
        root.attribute("failures"),
        Some(failures.to_string().as_str())
    );
}

#[test]
fn html_report_snapshot() {
    insta::assert_snapshot!(report(&check(SMALL), Format::Html, Language::Vi));
}

#[test]
fn markdown_summary_snapshots_in_both_languages() {
    let checked = check(SMALL);
    insta::assert_snapshot!(
        "markdown_vi",
        report(&checked, Format::Markdown, Language::Vi)
    );
    insta::assert_snapshot!(
        "markdown_en",
        report(&checked, Format::Markdown, Language::En)
    );
}

#[test]
fn json_report_snapshot() {
    insta::assert_snapshot!(report(&check(SMALL), Format::Json, Language::Vi));
}

#[test]
fn sarif_snapshot() {
    insta::assert_snapshot!(report(&check(SMALL), Format::Sarif, Language::En));
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!(report(&check(SMALL), Format::Junit, Language::Vi));
}

fn validator(schema: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(schema).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, text: &str, what: &str) {
    let instance: serde_json::Value = serde_json::from_str(text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what} is invalid: {errors:#?}");
}

#[test]
fn sarif_is_valid_against_the_official_2_1_0_schema() {
    let schema = validator(include_str!("../schema/sarif-schema-2.1.0.json"));
    for files in [SMALL, INJECTION] {
        let checked = check(files);
        for language in [Language::Vi, Language::En] {
            let sarif = report(&checked, Format::Sarif, language);
            assert_valid(&schema, &sarif, "SARIF");
            let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
            let run = &log["runs"][0];
            let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
            // Every rule of the pack and of the tool, with descriptions, help and its page.
            assert_eq!(
                rules.len(),
                checked.pack.rules.len() + checked.tool_rules.len()
            );
            for rule in rules {
                for field in ["shortDescription", "fullDescription", "help"] {
                    assert!(
                        rule[field]["text"]
                            .as_str()
                            .is_some_and(|text| !text.is_empty())
                    );
                }
                // No documentation address is set for the fixture: no helpUri.
                assert!(rule.get("helpUri").is_none(), "{rule}");
                assert!(rule["properties"]["tags"].as_array().unwrap().len() == 1);
            }
            for result in run["results"].as_array().unwrap() {
                let index = result["ruleIndex"].as_u64().unwrap() as usize;
                assert_eq!(rules[index]["id"], result["ruleId"]);
                assert!(result["partialFingerprints"]["kientrucFingerprint/v1"].is_string());
                assert!(
                    result["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap()
                        >= 1
                );
            }
        }
    }
}

#[test]
fn waived_findings_are_sarif_suppressions() {
    let sarif: serde_json::Value =
        serde_json::from_str(&report(&check(SMALL), Format::Sarif, Language::En)).unwrap();
    let suppressed: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|result| result.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["ruleId"], "TRM-001");
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
}

#[test]
fn json_report_is_valid_against_its_schema() {
    let schema = validator(include_str!("../schema/report.schema.json"));
    for files in [SMALL, INJECTION, PROBLEMS] {
        let checked = analyze(files);
        for language in [Language::Vi, Language::En] {
            assert_valid(
                &schema,
                &report(&checked, Format::Json, language),
                "JSON report",
            );
        }
    }
}

#[test]
fn junit_parses_with_one_suite_per_reference_model_and_one_case_per_rule() {
    let checked = check(SMALL);
    let xml = report(&checked, Format::Junit, Language::En);
    let document = roxmltree::Document::parse(&xml).unwrap();
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|node| node.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 6);
    let cases = root
        .descendants()
        .filter(|node| node.has_tag_name("testcase"))
        .count();
    assert_eq!(cases, checked.pack.rules.len() + checked.tool_rules.len());
    let failures: Vec<_> = root
        .descendants()
        .filter(|node| node.has_tag_name("failure"))
        .collect();
    assert_eq!(
        root.attribute("failures"),
        Some(failures.len().to_string().as_str())
    );
    // DRM-001 fails with its three path findings listed.
    let drm = failures
        .iter()
        .find(|failure| {
            failure
                .parent()
                .unwrap()
                .attribute("name")
                .unwrap()
                .starts_with("DRM-001")
        })
        .unwrap();
    assert_eq!(drm.text().unwrap().lines().count(), 3);
}

/// Tag names the HTML report itself writes; anything else would be injected markup.
const HTML_TAGS: &[&str] = &[
    "!DOCTYPE",
    "html",
    "head",
    "meta",
    "link",
    "title",
    "style",
    "body",
    "header",
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "dl",
    "dt",
    "dd",
    "code",
    "nav",
    "ol",
    "ul",
    "li",
    "a",
    "main",
    "section",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "strong",
    "figure",
    "figcaption",
    "svg",
    "defs",
    "marker",
    "path",
    "g",
    "rect",
    "text",
    "article",
    "br",
    "details",
    "summary",
    "footer",
    "tfoot",
    "input",
    "label",
    "em",
    "s",
    "blockquote",
    "pre",
    "hr",
    "colgroup",
    "col",
];

fn tag_names(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|rest| {
            rest.trim_start_matches('/')
                .chars()
                .take_while(|character| character.is_ascii_alphanumeric() || *character == '!')
                .collect::<String>()
        })
        .collect()
}

#[test]
fn injected_markup_is_inert_in_every_format() {
    let checked = check(INJECTION);
    for language in [Language::Vi, Language::En] {
        let html = report(&checked, Format::Html, language);
        for tag in tag_names(&html) {
            assert!(
                HTML_TAGS.contains(&tag.as_str()),
                "unexpected tag <{tag}> in the HTML report"
            );
        }
        assert!(
            !html.contains("javascript:alert(1)\""),
            "no javascript: link"
        );
        assert!(!html.contains("href=\"javascript"));
        assert!(
            html.contains("&lt;script&gt;document.title="),
            "the text is kept, escaped"
        );

        let markdown = report(&checked, Format::Markdown, language);
        // The template's own tags only (the rules table folds into `<details>`).
        for tag in markdown.split('<').skip(1) {
            assert!(
                [
                    "sub>",
                    "/sub>",
                    "details>",
                    "/details>",
                    "summary>",
                    "/summary>"
                ]
                .iter()
                .any(|allowed| tag.starts_with(allowed)),
                "raw HTML in Markdown: <{tag}"
            );
        }
        // A backtick is escaped, or delimits a code span of plain identifier characters.
        let characters: Vec<char> = markdown.chars().collect();
        let mut index = 0;
        while index < characters.len() {
            if characters[index] == '`' && (index == 0 || characters[index - 1] != '\\') {
                let close = characters[index + 1..]
                    .iter()
                    .position(|character| *character == '`')
                    .expect("code spans are closed");
                let span: String = characters[index + 1..index + 1 + close].iter().collect();
                assert!(
                    span.chars().all(|character| character.is_alphanumeric()
                        || "_./:- ()[],=!<>".contains(character)),
                    "unescaped backtick in Markdown around `{span}`"
                );
                index += close + 2;
                continue;
            }
            index += 1;
        }
        for line in markdown.lines().filter(|line| line.starts_with('|')) {
            let mut cells = 0;
            let mut escaped = false;
            for character in line.chars() {
                if character == '|' && !escaped {
                    cells += 1;
                }
                escaped = character == '\\' && !escaped;
            }
            // The scorecard, the accepted and waived findings by rule, the open findings and the
            // rules tables.
            assert!(
                matches!(cells, 13 | 7 | 6 | 5),
                "a table row has {cells} separators: {line}"
            );
        }
        for (position, _) in markdown.match_indices("](javascript") {
            assert_eq!(
                &markdown[position - 1..position],
                "\\",
                "no Markdown link to javascript:"
            );
        }

        let junit = report(&checked, Format::Junit, language);
        let document = roxmltree::Document::parse(&junit).unwrap();
        assert_eq!(
            document
                .descendants()
                .filter(roxmltree::Node::is_element)
                .map(|node| node.tag_name().name())
                .filter(|name| ![
                    "testsuites",
                    "testsuite",
                    "testcase",
                    "failure",
                    "system-out",
                    "skipped"
                ]
                .contains(name))
                .count(),
            0,
            "only JUnit elements"
        );
        let texts: String = document
            .descendants()
            .filter_map(|node| node.text())
            .collect();
        assert!(
            texts.contains("<script>document.title='PWNED'"),
            "text survives the XML round trip"
        );

        let json: serde_json::Value =
            serde_json::from_str(&report(&checked, Format::Json, language)).unwrap();
        assert!(
            json["architecture"]["name"]
                .as_str()
                .unwrap()
                .contains("<script>")
        );
        let sarif: serde_json::Value =
            serde_json::from_str(&report(&checked, Format::Sarif, language)).unwrap();
        assert!(sarif["runs"][0]["results"].as_array().unwrap().len() >= 3);
    }
}

#[test]
fn identical_input_gives_byte_identical_reports() {
    for format in Format::ALL {
        let first = report(&check(SMALL), format, Language::Vi);
        let second = report(&check(SMALL), format, Language::Vi);
        assert_eq!(first, second, "{format:?}");
    }
}

#[test]
fn no_timestamp_unless_one_is_given() {
    let checked = check(SMALL);
    let plain = report(&checked, Format::Html, Language::Vi);
    assert!(!plain.contains("2031-"));
    let stamped = render(
        Format::Html,
        &checked,
        &ReportOptions {
            timestamp: Some("2031-02-03T04:05:06Z".to_owned()),
            ..options(Language::Vi)
        },
    )
    .unwrap();
    assert!(stamped.contains("2031-02-03T04:05:06Z"));
}

#[test]
fn an_override_replaces_its_template_and_the_others_stay_built_in() {
    let checked = check(SMALL);
    let templates = Templates::default().with_override(
        "report.md.tera",
        "# {{ architecture.name | md }}: {{ score }}\n".to_owned(),
    );
    let options = ReportOptions {
        templates,
        ..options(Language::Vi)
    };
    assert_eq!(
        render(Format::Markdown, &checked, &options).unwrap(),
        "# Kiến trúc Chính quyền điện tử tỉnh Mẫu, phiên bản 1\\.0: 25\n"
    );
    // report.html falls back to the built-in template.
    assert!(
        render(Format::Html, &checked, &options)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
}

#[test]
fn a_broken_template_names_itself_and_its_line() {
    let checked = check(SMALL);
    let render_with = |text: &str| {
        let options = ReportOptions {
            templates: Templates::default().with_override("report.md.tera", text.to_owned()),
            ..options(Language::Vi)
        };
        match render(Format::Markdown, &checked, &options) {
            Err(error @ ReportError::Template { .. }) => error.to_string(),
            other => panic!("expected a template error, got {other:?}"),
        }
    };
    let syntax = render_with("# title\n\n{% if %}\n");
    assert!(
        syntax.starts_with("template `report.md.tera`, line 3:"),
        "{syntax}"
    );
    let missing = render_with("# title\n{{ architecture.nope }}\n");
    assert!(
        missing.starts_with("template `report.md.tera`, line 2:"),
        "{missing}"
    );
    assert!(missing.contains("architecture.nope"), "{missing}");
}

#[test]
fn every_text_a_template_uses_exists_in_both_languages() {
    let keys: std::collections::BTreeSet<&str> = kientruc_reports::i18n::STRINGS
        .iter()
        .map(|(key, _, _)| *key)
        .collect();
    for (file, _, text) in kientruc_reports::templates::BUILTIN {
        for used in text.split("t.").skip(1) {
            let key: String = used
                .chars()
                .take_while(|character| character.is_ascii_alphanumeric() || *character == '_')
                .collect();
            if key.is_empty() {
                continue;
            }
            assert!(
                keys.contains(key.as_str()),
                "{file} uses t.{key}, which i18n lacks"
            );
        }
    }
}

#[test]
fn templates_hold_no_untranslated_words() {
    for (file, _, text) in kientruc_reports::templates::BUILTIN {
        if file.ends_with(".css.tera") {
            continue;
        }
        // Remove tera blocks, then tags; what remains is literal text shown to readers.
        let strip = |text: &str, open: &str, close: &str| -> String {
            let mut kept = String::new();
            let mut rest = text;
            while let Some(start) = rest.find(open) {
                kept.push_str(&rest[..start]);
                if let Some(end) = rest[start..].find(close) {
                    rest = &rest[start + end + close.len()..];
                } else {
                    rest = "";
                    break;
                }
            }
            kept.push_str(rest);
            kept
        };
        let mut literal = (*text).to_owned();
        for (open, close) in [("{{", "}}"), ("{%", "%}"), ("{#", "#}"), ("<", ">")] {
            literal = strip(&literal, open, close);
        }
        for word in literal.split(|character: char| !character.is_alphabetic()) {
            assert!(
                word.is_empty() || word == "kientruc",
                "{file}: untranslated word `{word}`"
            );
        }
    }
}

/// A file starting with a byte-order mark: SARIF's regions and snippets are as without it (the
/// mark is not counted in columns nor shown in the line's context).
#[test]
fn sarif_regions_of_a_file_with_a_byte_order_mark_do_not_show_it() {
    // A system without a security level, declared on line 1.
    let extra = "system he_thong_moi \"Hệ thống mới\" {\n  owner ubnd\n  hosted_in ttdl\n}\n";
    let with_mark = format!("\u{feff}{extra}");
    let sarif = report(&check(&small_with(&with_mark)), Format::Sarif, Language::En);
    let plain = report(&check(&small_with(extra)), Format::Sarif, Language::En);
    assert!(
        sarif.contains("\"startLine\": 1,"),
        "the fixture must have a result on line 1 for this test to mean anything"
    );
    assert!(
        !sarif.contains('\u{feff}'),
        "the byte-order mark leaks into SARIF"
    );
    assert_eq!(sarif, plain);
}

/// The small workspace and one more file, `extra.ea`.
fn small_with(extra: &str) -> [(&str, &str); 3] {
    [
        (
            "architecture.ea",
            include_str!("fixtures/small/architecture.ea"),
        ),
        ("roadmap.ea", include_str!("fixtures/small/roadmap.ea")),
        ("extra.ea", extra),
    ]
}

/// The reasons of the small model's two rules that do not apply, in one language: DRM-002 (its
/// only basis, Decree 194/2025, takes effect on 19/08/2025, after the model's date) and SRM-002
/// (no system of level 4 or 5).
fn not_applicable_reasons(checked: &Checked, language: Language) -> [(String, String); 2] {
    let outcomes = checked.outcomes();
    ["DRM-002", "SRM-002"].map(|id| {
        let outcome = outcomes
            .iter()
            .find(|outcome| outcome.rule == id)
            .unwrap_or_else(|| panic!("{id} ran"));
        assert_eq!(outcome.outcome, Outcome::NotApplicable, "{id}");
        (id.to_owned(), outcome.reason.get(language).to_owned())
    })
}

/// Text as tera's HTML autoescaping writes it.
fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

#[test]
fn the_small_model_has_a_rule_of_each_outcome() {
    let checked = check(SMALL);
    assert_eq!(checked.as_of, Date::new(2025, 6, 30).unwrap());
    assert_eq!(checked.as_of_source, AsOfSource::Model);
    let [(_, basis), (_, subject)] = not_applicable_reasons(&checked, Language::Vi);
    assert!(
        basis.contains("194/2025/NĐ-CP") && basis.contains("19/08/2025"),
        "{basis}"
    );
    assert!(subject.contains("security_level >= 4"), "{subject}");
    let outcome = |id: &str| {
        checked
            .outcomes()
            .into_iter()
            .find(|outcome| outcome.rule == id)
            .map(|outcome| outcome.outcome)
    };
    assert_eq!(outcome("GOV-002"), Some(Outcome::Passed));
    assert_eq!(outcome("SRM-001"), Some(Outcome::Failed));
    assert_eq!(outcome("TRM-001"), Some(Outcome::Accepted), "waived");
}

#[test]
fn every_surface_shows_a_rule_that_does_not_apply_with_its_reason() {
    let checked = check(SMALL);
    for language in [Language::Vi, Language::En] {
        let reasons = not_applicable_reasons(&checked, language);
        let word = match language {
            Language::Vi => "Không áp dụng",
            Language::En => "Not applicable",
        };

        let human = report(&checked, Format::Human, language);
        let line = match language {
            Language::Vi => {
                "quy tắc: 1 đạt / 5 không đạt / 1 đã chấp nhận / 2 không áp dụng, theo ngày 30/06/2025 (as_of của mô hình)"
            }
            Language::En => {
                "rules: 1 passed / 5 failed / 1 accepted / 2 not applicable, as of 30 June 2025 (the model's as_of)"
            }
        };
        assert!(human.contains(line), "{human}");

        let json: serde_json::Value =
            serde_json::from_str(&report(&checked, Format::CheckJson, language)).unwrap();
        assert_eq!(json["summary"]["as_of"], "2025-06-30");
        assert_eq!(json["summary"]["as_of_source"], "model");
        assert_eq!(json["summary"]["rules"]["not_applicable"], 2);
        assert_eq!(
            json["summary"]["rules"]["passed"].as_u64().unwrap()
                + json["summary"]["rules"]["failed"].as_u64().unwrap()
                + json["summary"]["rules"]["accepted"].as_u64().unwrap()
                + 2,
            json["summary"]["rules_run"].as_u64().unwrap()
        );
        let rules = json["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules
            .iter()
            .map(|rule| rule["id"].as_str().unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted, "the rules array is sorted by id");
        for (id, _) in &reasons {
            let rule = rules.iter().find(|rule| rule["id"] == id.as_str()).unwrap();
            assert_eq!(rule["outcome"], "not-applicable", "{id}");
            let vi = not_applicable_reasons(&checked, Language::Vi);
            let en = not_applicable_reasons(&checked, Language::En);
            let index = usize::from(id == "SRM-002");
            assert_eq!(rule["reason"]["vi"], vi[index].1.as_str());
            assert_eq!(rule["reason"]["en"], en[index].1.as_str());
            assert_eq!(rule["findings"], 0);
            assert!(rule["overlay"].is_null());
        }

        let html = report(&checked, Format::Html, language);
        let markdown = report(&checked, Format::Markdown, language);
        assert!(html.contains(&format!(
            "<span class=\"badge not-applicable\">{word}</span>"
        )));
        assert!(markdown.contains(&format!("| {word} |")), "{markdown}");
        for (id, reason) in &reasons {
            // An empty subject's selector is shown as code after the reason.
            let (reason, subject) = match reason.rfind(" (kind(") {
                Some(open) if reason.ends_with(')') => {
                    (&reason[..open], Some(&reason[open + 2..reason.len() - 1]))
                }
                _ => (reason.as_str(), None),
            };
            assert!(
                html.contains(&html_escaped(reason)),
                "HTML lacks the reason of {id}: {reason}"
            );
            assert!(
                markdown.contains(&kientruc_reports::escape::markdown(reason)),
                "Markdown lacks the reason of {id}: {reason}"
            );
            if let Some(subject) = subject {
                assert!(
                    html.contains(&format!(" (<code>{}</code>)", html_escaped(subject))),
                    "HTML shows the subject of {id} as code: {subject}"
                );
                assert!(
                    markdown.contains(&format!(" (`{subject}`)")),
                    "Markdown shows the subject of {id} as code: {subject}"
                );
            }
        }

        let report_json: serde_json::Value =
            serde_json::from_str(&report(&checked, Format::Json, language)).unwrap();
        assert_eq!(report_json["summary"]["rules"]["not_applicable"], 2);
        for (id, reason) in &reasons {
            let rule = report_json["rules"]
                .as_array()
                .unwrap()
                .iter()
                .find(|rule| rule["id"] == id.as_str())
                .unwrap();
            assert_eq!(rule["result"], "not-applicable");
            assert_eq!(rule["result_label"], word);
            // The report's JSON gives an empty subject's selector apart from the reason.
            let joined = |rule: &serde_json::Value| match rule["subject"].as_str() {
                Some(subject) => format!("{} ({subject})", rule["reason"].as_str().unwrap()),
                None => rule["reason"].as_str().unwrap().to_owned(),
            };
            assert_eq!(joined(rule), reason.as_str());
            let model = &id[..3];
            let score = report_json["scorecard"]
                .as_array()
                .unwrap()
                .iter()
                .find(|score| score["reference_model"] == model)
                .unwrap();
            assert_eq!(score["not_applicable"], 1);
            assert_eq!(score["not_applicable_rules"][0]["id"], id.as_str());
            assert_eq!(joined(&score["not_applicable_rules"][0]), reason.as_str());
        }

        let sarif: serde_json::Value =
            serde_json::from_str(&report(&checked, Format::Sarif, language)).unwrap();
        let run = &sarif["runs"][0];
        let overrides = run["invocations"][0]["ruleConfigurationOverrides"]
            .as_array()
            .unwrap();
        assert_eq!(overrides.len(), 2);
        for ((id, reason), disabled) in reasons.iter().zip(overrides) {
            assert_eq!(disabled["descriptor"]["id"], id.as_str());
            let index = usize::try_from(disabled["descriptor"]["index"].as_u64().unwrap()).unwrap();
            assert_eq!(run["tool"]["driver"]["rules"][index]["id"], id.as_str());
            assert_eq!(disabled["configuration"]["enabled"], false);
            assert_eq!(disabled["properties"]["outcome"], "not-applicable");
            assert_eq!(disabled["properties"]["reason"], reason.as_str());
        }
        assert_eq!(run["properties"]["asOf"], "2025-06-30");
        assert_eq!(run["properties"]["rules"]["notApplicable"], 2);

        let junit = report(&checked, Format::Junit, language);
        let document = roxmltree::Document::parse(&junit).unwrap();
        for (id, reason) in &reasons {
            let case = document
                .descendants()
                .find(|node| {
                    node.has_tag_name("testcase")
                        && node
                            .attribute("name")
                            .is_some_and(|name| name.starts_with(id.as_str()))
                })
                .unwrap_or_else(|| panic!("no test case for {id}"));
            let skipped = case
                .children()
                .find(|node| node.has_tag_name("skipped"))
                .unwrap_or_else(|| panic!("{id} is not skipped"));
            assert_eq!(
                skipped.attribute("message"),
                Some(format!("{word}: {reason}").as_str())
            );
        }
        // An accepted rule passes, and says why.
        let waived = document
            .descendants()
            .find(|node| {
                node.has_tag_name("testcase")
                    && node
                        .attribute("name")
                        .is_some_and(|name| name.starts_with("TRM-001"))
            })
            .unwrap();
        assert!(
            !waived
                .children()
                .any(|node| node.has_tag_name("failure") || node.has_tag_name("skipped"))
        );
        let out = waived
            .children()
            .find(|node| node.has_tag_name("system-out"))
            .and_then(|node| node.text())
            .unwrap();
        assert!(
            out.starts_with(match language {
                Language::Vi => "Đã chấp nhận: ",
                Language::En => "Accepted: ",
            }),
            "{out}"
        );
    }
}

/// A rule that does not apply is out of the score: DRM-002 (a warning that would pass) and
/// SRM-002 (an error that would pass) leave DRM and SRM at 0, their only applicable rules
/// failing.
#[test]
fn rules_that_do_not_apply_are_not_in_the_score() {
    let checked = check(SMALL);
    let scores = kientruc_reports::scorecard(&checked, Language::En);
    for model in ["DRM", "SRM"] {
        let score = scores
            .iter()
            .find(|score| score.reference_model == model)
            .unwrap();
        assert_eq!(
            (score.rules, score.failed, score.not_applicable, score.score),
            (2, 1, 1, Some(0)),
            "{model}"
        );
    }
}

/// `--as-of` after Decree 194/2025 takes effect: DRM-002 applies (and passes), ARM-001 cites the
/// decree instead of Decree 47/2020, and every surface names the option as the date's source.
#[test]
fn a_date_after_the_basis_takes_effect_makes_the_rule_apply() {
    let checked = analyze_as_of(SMALL, Date::new(2025, 9, 1));
    assert_eq!(checked.as_of_source, AsOfSource::Option);
    let drm = checked
        .outcomes()
        .into_iter()
        .find(|outcome| outcome.rule == "DRM-002")
        .unwrap();
    assert_eq!(drm.outcome, Outcome::Passed, "{:?}", drm.reason);
    let human = report(&checked, Format::Human, Language::Vi);
    assert!(
        human.contains("theo ngày 01/09/2025 (tùy chọn --as-of)"),
        "{human}"
    );
    assert!(human.contains("1 không áp dụng"), "{human}");
    let json: serde_json::Value =
        serde_json::from_str(&report(&checked, Format::CheckJson, Language::En)).unwrap();
    assert_eq!(json["summary"]["as_of"], "2025-09-01");
    assert_eq!(json["summary"]["as_of_source"], "option");
    let report_json: serde_json::Value =
        serde_json::from_str(&report(&checked, Format::Json, Language::Vi)).unwrap();
    let arm = report_json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|finding| finding["rule"] == "ARM-001")
        .unwrap();
    let citation = arm["citation"]["text"].as_str().unwrap();
    assert!(
        citation.contains("194/2025/NĐ-CP") && !citation.contains("47/2020"),
        "{citation}"
    );
}
