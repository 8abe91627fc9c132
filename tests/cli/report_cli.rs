//! `kientruc report` and the report formats of `kientruc check`, end to end: the five files,
//! nothing else touched, `--format` / `--lang`, reproducible output and `SOURCE_DATE_EPOCH`,
//! template overrides with fallback, a broken template reported by name and line with nothing
//! written, and `check --format sarif|junit|markdown` on stdout.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{kientruc_with, repository_root};

const SMALL: &str = "reports/tests/fixtures/small";

/// Runs `kientruc` in the repository's folder (where `SMALL` is).
fn kientruc_at_root(args: &[&str], configure: impl FnOnce(&mut Command)) -> Output {
    kientruc_with(args, |command| {
        command.current_dir(repository_root());
        configure(command);
    })
}

fn report(out: &Path, extra: &[&str]) -> Output {
    let out = out.to_str().unwrap();
    let mut args = vec!["report", SMALL, "--today", "2025-07-01", "--out", out];
    args.extend_from_slice(extra);
    kientruc_at_root(&args, |_| {})
}

/// The `<figure id="ID"…>…` of a report page, up to its `</figure>`.
fn figure<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find(&format!("<figure id=\"{id}\""))
        .unwrap_or_else(|| panic!("the figure {id}"));
    &html[start..start + html[start..].find("</figure>").unwrap()]
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn report_writes_the_five_reports_in_both_languages_and_leaves_everything_else_alone() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("notes.txt"), "keep me").unwrap();
    std::fs::write(folder.path().join("report.html"), "old").unwrap();
    let output = report(folder.path(), &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "notes.txt",
            "report.en.md",
            "report.html",
            "report.json",
            "report.junit.xml",
            "report.md",
            "report.sarif"
        ]
    );
    // One HTML page holds both languages; the Markdown is written once per language.
    let html = read(&folder.path().join("report.html"));
    assert!(html.contains("<div class=\"doc doc-vi\" id=\"vi\" lang=\"vi\">"));
    assert!(html.contains("<div class=\"doc doc-en\" id=\"en\" lang=\"en\">"));
    assert!(read(&folder.path().join("report.md")).starts_with("## Báo cáo tuân thủ kiến trúc"));
    assert!(
        read(&folder.path().join("report.en.md")).starts_with("## Architecture compliance report")
    );
    assert_eq!(read(&folder.path().join("notes.txt")), "keep me");
    assert!(read(&folder.path().join("report.html")).starts_with("<!DOCTYPE html>"));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout
            .lines()
            .filter(|line| line.starts_with("đã ghi "))
            .count(),
        6,
        "{stdout}"
    );
    // Then the compliance summary per reference model.
    assert!(stdout.contains("Tổng hợp tuân thủ"), "{stdout}");
    assert!(
        stdout.lines().any(|line| line.starts_with("SRM ")),
        "{stdout}"
    );
}

#[test]
fn format_and_language_choose_what_is_written() {
    let folder = tempfile::tempdir().unwrap();
    let output = report(folder.path(), &["--format", "md,json", "--lang", "en"]);
    assert!(output.status.success());
    assert!(!folder.path().join("report.html").exists());
    assert!(read(&folder.path().join("report.md")).contains("Compliance score: 25/100"));
    // One language asked for: one Markdown file.
    assert!(!folder.path().join("report.en.md").exists());
    assert!(!folder.path().join("report.vi.md").exists());
    let json: serde_json::Value =
        serde_json::from_str(&read(&folder.path().join("report.json"))).unwrap();
    assert_eq!(json["language"], "en");
    assert_eq!(json["schema_version"], 3);
    // English first, then Vietnamese: the English page shows first, the Markdown in Vietnamese
    // is `report.vi.md`.
    let both = tempfile::tempdir().unwrap();
    let output = report(both.path(), &["--format", "html,md", "--lang", "en,vi"]);
    assert!(output.status.success());
    assert!(read(&both.path().join("report.md")).contains("Compliance score: 25/100"));
    assert!(read(&both.path().join("report.vi.md")).contains("Điểm tuân thủ: 25/100"));
    let html = read(&both.path().join("report.html"));
    assert!(
        html.find("class=\"doc doc-en\"").unwrap() < html.find("class=\"doc doc-vi\"").unwrap()
    );
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .starts_with("wrote ")
    );
    assert_eq!(json["generated_at"], serde_json::Value::Null);
}

#[test]
fn reports_are_reproducible_and_dated_only_on_request() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    assert!(report(first.path(), &[]).status.success());
    assert!(report(second.path(), &[]).status.success());
    for name in [
        "report.html",
        "report.md",
        "report.en.md",
        "report.json",
        "report.sarif",
        "report.junit.xml",
    ] {
        assert_eq!(
            std::fs::read(first.path().join(name)).unwrap(),
            std::fs::read(second.path().join(name)).unwrap(),
            "{name} differs between two runs"
        );
    }
    let dated = tempfile::tempdir().unwrap();
    let out = dated.path().to_str().unwrap();
    let output = kientruc_at_root(
        &[
            "report",
            SMALL,
            "--today",
            "2025-07-01",
            "--out",
            out,
            "--format",
            "html,json",
        ],
        |command| {
            command.env("SOURCE_DATE_EPOCH", "1735689600");
        },
    );
    assert!(output.status.success());
    assert!(read(&dated.path().join("report.html")).contains("2025-01-01T00:00:00Z"));
    let json: serde_json::Value =
        serde_json::from_str(&read(&dated.path().join("report.json"))).unwrap();
    assert_eq!(json["generated_at"], "2025-01-01T00:00:00Z");
}

#[test]
fn templates_override_the_built_in_ones_and_fall_back() {
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("report.md.tera"),
        "Custom: {{ architecture.id }} {{ score }}\n",
    )
    .unwrap();
    let folder = tempfile::tempdir().unwrap();
    let output = report(
        folder.path(),
        &[
            "--templates",
            templates.path().to_str().unwrap(),
            "--format",
            "md,html",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        read(&folder.path().join("report.md")),
        "Custom: tinh_mau 25\n"
    );
    assert!(read(&folder.path().join("report.html")).contains("<svg"));
}

#[test]
fn a_broken_template_is_named_with_its_line_and_nothing_is_written() {
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("report.html.tera"),
        "<html>\n<body>\n{{ summary.nope.deeper }}\n</body>\n",
    )
    .unwrap();
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("out");
    let output = report(&out, &["--templates", templates.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: template `report.html.tera`, line 3:"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn check_prints_sarif_junit_and_markdown() {
    let sarif = kientruc_at_root(
        &["check", SMALL, "--today", "2025-07-01", "--format", "sarif"],
        |_| {},
    );
    assert_eq!(sarif.status.code(), Some(1), "findings fail the check");
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 8);

    let junit = kientruc_at_root(
        &["check", SMALL, "--today", "2025-07-01", "--format", "junit"],
        |_| {},
    );
    assert!(
        String::from_utf8(junit.stdout)
            .unwrap()
            .starts_with("<?xml")
    );

    let markdown = kientruc_at_root(
        &[
            "check",
            SMALL,
            "--today",
            "2025-07-01",
            "--format",
            "markdown",
            "--lang",
            "en",
        ],
        |_| {},
    );
    let text = String::from_utf8(markdown.stdout).unwrap();
    assert!(text.contains("| Reference model | Score |"), "{text}");
}

/// The small model with `reports/tests/fixtures/problems/broken.ea` (a syntax error and a
/// resolution error) in a temporary folder, beside its framework pack.
fn broken_model() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/tests/fixtures");
    let pack = folder.path().join("frameworks/report-test");
    std::fs::create_dir_all(pack.join("rules")).unwrap();
    for name in [
        "framework.toml",
        "metamodel.toml",
        "documents.toml",
        "national.ea",
        "rules/rules.toml",
    ] {
        std::fs::copy(
            fixtures.join("frameworks/report-test").join(name),
            pack.join(name),
        )
        .unwrap();
    }
    let model = folder.path().join("model");
    std::fs::create_dir(&model).unwrap();
    for file in [
        "small/architecture.ea",
        "small/roadmap.ea",
        "problems/broken.ea",
    ] {
        let name = Path::new(file).file_name().unwrap();
        std::fs::copy(fixtures.join(file), model.join(name)).unwrap();
    }
    folder
}

#[test]
fn check_reports_input_errors_in_sarif_junit_and_markdown() {
    let folder = broken_model();
    let model = folder.path().join("model");
    let model = model.to_str().unwrap();
    for format in ["sarif", "junit", "markdown", "github", "json", "human"] {
        let output = kientruc_at_root(
            &["check", model, "--today", "2025-07-01", "--format", format],
            |_| {},
        );
        assert_eq!(output.status.code(), Some(2), "{format}: invalid input");
        let text = String::from_utf8(output.stdout).unwrap();
        for code in ["KT0001", "KT0206"] {
            assert!(text.contains(code), "{format} lacks {code}:\n{text}");
        }
    }
}

/// Hanoi's report draws the five views its workspace declares, each a figure with its title and
/// description in each language of the page, after the built-in overview and integration view.
#[test]
fn hanoi_report_draws_its_declared_views_in_both_languages() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().to_str().unwrap();
    let output = kientruc_at_root(
        &[
            "report",
            "architecture/hanoi",
            "--format",
            "html",
            "--today",
            "2025-07-01",
            "--out",
            out,
        ],
        |_| {},
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = read(&folder.path().join("report.html"));
    let figures: Vec<&str> = html
        .match_indices("<figure id=\"vi-")
        .map(|(at, _)| {
            let rest = &html[at + "<figure id=\"vi-".len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(
        figures,
        [
            "overview",
            "integration",
            "view-tich_hop_lgsp_ndxp",
            "view-tang_du_lieu",
            "view-giam_sat_attt",
            "view-ioc_nguon_du_lieu",
            "view-lo_trinh_he_thong"
        ]
    );
    for text in [
        "<h3>Tích hợp, chia sẻ dữ liệu qua LGSP và NDXP</h3>",
        "<h3>Integration through the LGSP and the NDXP</h3>",
        "<figcaption>The city SOC, the incident-response team, the systems they monitor and the national monitoring centre.</figcaption>",
        // Each view's SVG has its own ids, and its boxes name their elements.
        "id=\"en-view-ioc_nguon_du_lieu-svg\"",
        "data-element=\"ioc_hn\"",
    ] {
        assert!(html.contains(text), "the report lacks {text}");
    }
}

/// A workspace's `view overview` replaces the built-in overview in the report, keeping its place
/// and anchor.
#[test]
fn a_declared_overview_replaces_the_built_in_one() {
    let folder = tempfile::tempdir().unwrap();
    let model = folder.path().join("model");
    // The fixture and its local framework pack, side by side as in the repository.
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    };
    copy(&repository_root().join(SMALL), &model);
    let pack = repository_root().join("reports/tests/fixtures/frameworks/report-test");
    copy(&pack, &folder.path().join("frameworks/report-test"));
    for sub in std::fs::read_dir(&pack).unwrap() {
        let sub = sub.unwrap();
        if sub.file_type().unwrap().is_dir() {
            copy(
                &sub.path(),
                &folder
                    .path()
                    .join("frameworks/report-test")
                    .join(sub.file_name()),
            );
        }
    }
    std::fs::write(
        model.join("views.ea"),
        "view overview \"Chỉ các nền tảng\" {\n  description \"Riêng các nền tảng.\"\n  include kind(platform)\n}\n",
    )
    .unwrap();
    let out = folder.path().join("out");
    let output = kientruc_at_root(
        &[
            "report",
            model.to_str().unwrap(),
            "--format",
            "html",
            "--lang",
            "vi",
            "--today",
            "2025-07-01",
            "--out",
            out.to_str().unwrap(),
        ],
        |_| {},
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = read(&out.join("report.html"));
    let overview = figure(&html, "overview");
    assert!(overview.contains("<h3>Chỉ các nền tảng</h3>"), "{overview}");
    assert!(
        overview.contains("<figcaption>Riêng các nền tảng.</figcaption>"),
        "{overview}"
    );
    assert!(overview.contains("data-element=\"lgsp\""), "{overview}");
    assert!(
        !overview.contains("data-element=\"he_thong_mot_cua\""),
        "{overview}"
    );
    assert!(!html.contains("<figure id=\"view-overview\""));
}

/// A generated model of 2,500 elements (issue 25): its report draws the overview and the
/// integration view as summaries (one box per group, with the sentence pointing to `serve` and
/// `export --view`), lists the elements without findings once, in the first language, and still
/// writes every element into `report.json`.
#[test]
fn a_large_generated_model_is_reported_in_summary_form() {
    let folder = tempfile::tempdir().unwrap();
    let model = folder.path().join("model");
    let out = folder.path().join("out");
    let generated = kientruc_with(
        &[
            "gen",
            "--elements",
            "2500",
            "--seed",
            "1",
            "--out",
            model.to_str().unwrap(),
        ],
        |_| {},
    );
    assert_eq!(
        generated.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let output = kientruc_with(
        &[
            "report",
            model.to_str().unwrap(),
            "--today",
            "2025-01-01",
            "--out",
            out.to_str().unwrap(),
        ],
        |_| {},
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = read(&out.join("report.html"));
    for id in [
        "vi-overview",
        "vi-integration",
        "en-overview",
        "en-integration",
    ] {
        let shown = figure(&html, id);
        assert!(
            shown.contains("class=\"note summarised\""),
            "{id} is a summary"
        );
        assert!(shown.matches("<g class=\"node").count() <= 200);
    }
    assert!(html.contains("kientruc serve"));
    // The planted direct exchanges with national systems are still drawn red, between the boxes
    // of the provinces' systems and the national systems.
    let integration = figure(&html, "vi-integration");
    assert!(integration.contains("class=\"edge violating\""));
    assert!(html.contains("id=\"vi-clean-elements\""));
    assert!(!html.contains("id=\"en-clean-elements\""));
    let json: serde_json::Value = serde_json::from_str(&read(&out.join("report.json"))).unwrap();
    assert!(json["elements"].as_array().unwrap().len() > 2000);
    for name in [
        "report.md",
        "report.en.md",
        "report.sarif",
        "report.junit.xml",
    ] {
        assert!(out.join(name).is_file(), "{name} is written");
    }
}
