//! One set of numbers (issue 20): the report's summary cards, its scorecard (rows and total),
//! the Markdown's total row, the JSON report's summary, `check --format json`'s summary and the
//! terminal's summary table all say the same, on Hanoi and on a second province with waived,
//! accepted (baselined) and not-applicable rules. Elements count the architecture's own (the
//! workspace's and the imported ones it owns), never the national reference model, and every
//! output says so.

use std::path::Path;

use serde_json::Value;

use crate::support::{kientruc, repository_root};

/// The numbers as `check --format json` gives them, then every other output compared with them.
fn assert_numbers_agree(model: &Path, baseline: Option<&Path>, out: &Path) -> Value {
    let mut check = kientruc();
    check
        .args(["check", "--format", "json", "--today", "2025-01-15"])
        .arg(model)
        .current_dir(repository_root());
    let mut report = kientruc();
    report
        .args(["report", "--today", "2025-01-15", "--out"])
        .arg(out)
        .arg(model)
        .current_dir(repository_root());
    if let Some(baseline) = baseline {
        check.arg("--baseline").arg(baseline);
        report.arg("--baseline").arg(baseline);
    }
    let checked = check.output().unwrap();
    let checked: Value = serde_json::from_slice(&checked.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&checked.stderr)));
    let reported = report.output().unwrap();
    assert!(
        reported.status.success(),
        "{}",
        String::from_utf8_lossy(&reported.stderr)
    );
    let summary = &checked["summary"];
    let number = |path: &[&str]| -> u64 {
        let mut value = summary;
        for key in path {
            value = &value[*key];
        }
        value
            .as_u64()
            .unwrap_or_else(|| panic!("summary.{}: {value}", path.join(".")))
    };
    let open = [
        number(&["findings", "open", "error"]),
        number(&["findings", "open", "warning"]),
        number(&["findings", "open", "info"]),
    ];
    let accepted = number(&["findings", "accepted"]);
    let waived = number(&["findings", "waived"]);
    assert_eq!(
        open.iter().sum::<u64>() + accepted + waived,
        number(&["findings", "total"])
    );
    assert_eq!(
        number(&["findings", "total"]),
        checked["findings"].as_array().unwrap().len() as u64
    );
    let rules = [
        number(&["rules", "passed"]),
        number(&["rules", "failed"]),
        number(&["rules", "accepted"]),
        number(&["rules", "not_applicable"]),
    ];
    assert_eq!(rules.iter().sum::<u64>(), number(&["rules_run"]));

    // The JSON report's summary is the same object (plus the judged-on label).
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    for key in [
        "files",
        "elements",
        "relations",
        "national_elements",
        "rules_run",
        "rules",
        "findings",
        "input_errors",
        "input_warnings",
    ] {
        assert_eq!(
            json["summary"][key], summary[key],
            "report.json summary.{key}"
        );
    }
    // The scorecard's rows add up to the totals, in both JSON outputs.
    for scorecard in [&checked["scorecard"], &json["scorecard"]] {
        let column = |key: &str| -> u64 {
            scorecard
                .as_array()
                .unwrap()
                .iter()
                .map(|row| row[key].as_u64().unwrap())
                .sum()
        };
        assert_eq!(
            [column("errors"), column("warnings"), column("infos")],
            open
        );
        assert_eq!(column("accepted_findings"), accepted);
        assert_eq!(column("waived"), waived);
        assert_eq!(
            [
                column("passed"),
                column("failed"),
                column("accepted"),
                column("not_applicable")
            ],
            rules
        );
    }

    // The HTML's cards (in each language) and its scorecard's total row.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let cards_expected = vec![
        open[0],
        open[1],
        open[2],
        accepted,
        waived,
        number(&["rules_run"]),
        number(&["elements"]),
        number(&["relations"]),
    ];
    let mut total_expected = vec![number(&["rules_run"])];
    total_expected.extend(rules);
    total_expected.extend(open);
    total_expected.extend([accepted, waived]);
    for language in ["vi", "en"] {
        let doc = between(
            &html,
            &format!("<div class=\"doc doc-{language}\""),
            "</main>",
        );
        let cards = between(doc, "<div class=\"cards\">", "<p class=\"outcomes\">");
        assert_eq!(numbers_in(cards, "<div class=\"number\">"), cards_expected);
        let total = between(doc, "<tfoot>", "</tfoot>");
        assert_eq!(numbers_in(total, "<td class=\"number\">"), total_expected);
        // The note says what is counted, with the national model's size.
        let note = format!(" {} ", number(&["national_elements"]));
        assert!(
            between(doc, "<div class=\"cards\">", "</section>").contains(&note),
            "{language}: the counted note names the national model's {note}"
        );
    }

    // The Markdown's total row, in each language.
    for file in ["report.md", "report.en.md"] {
        let markdown = std::fs::read_to_string(out.join(file)).unwrap();
        let total_row = markdown
            .lines()
            .find(|line| line.starts_with("| **Tổng**") || line.starts_with("| **Total**"))
            .unwrap_or_else(|| panic!("{file} has a total row"));
        let cells: Vec<u64> = total_row
            .split('|')
            .filter_map(|cell| cell.trim().trim_matches('*').parse().ok())
            .collect();
        // The score (when there is one) comes first.
        let cells = &cells[cells.len() - total_expected.len()..];
        assert_eq!(cells, total_expected.as_slice(), "{file}: {total_row}");
    }

    // The terminal's summary table: its total row and its last line.
    let stdout = String::from_utf8(reported.stdout).unwrap();
    let total_row = stdout
        .lines()
        .find(|line| line.starts_with("tổng"))
        .unwrap_or_else(|| panic!("a total row in {stdout}"));
    let cells: Vec<u64> = total_row
        .split_whitespace()
        .filter_map(|cell| cell.parse().ok())
        .collect();
    let mut row_expected = vec![number(&["rules_run"])];
    row_expected.extend(rules);
    row_expected.extend(open);
    row_expected.extend([accepted, waived]);
    assert_eq!(cells, row_expected, "{total_row}");
    let last = stdout.lines().last().unwrap();
    for figure in [
        number(&["files"]),
        number(&["elements"]),
        number(&["relations"]),
        number(&["national_elements"]),
    ] {
        assert!(
            last.split(|c: char| !c.is_ascii_digit())
                .any(|word| word == figure.to_string()),
            "{figure} in {last}"
        );
    }
    checked
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` in the output"))
        + start.len();
    let to = text[from..].find(end).map_or(text.len(), |to| from + to);
    &text[from..to]
}

fn numbers_in(text: &str, opening: &str) -> Vec<u64> {
    text.split(opening)
        .skip(1)
        .map(|rest| {
            rest.split('<')
                .next()
                .unwrap()
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("a number after {opening}: {rest:.40}"))
        })
        .collect()
}

#[test]
fn hanoi_numbers_agree_in_every_output() {
    let out = tempfile::tempdir().unwrap();
    let checked = assert_numbers_agree(
        Path::new("architecture/hanoi"),
        Some(Path::new("architecture/hanoi/.kientruc-baseline.json")),
        out.path(),
    );
    let summary = &checked["summary"];
    // Every finding is accepted by the signed baseline; the national model is not counted.
    assert_eq!(summary["findings"]["open"]["error"], 0);
    assert!(summary["findings"]["accepted"].as_u64().unwrap() > 200);
    assert!(summary["national_elements"].as_u64().unwrap() > 50);
    assert!(summary["rules"]["not_applicable"].as_u64().unwrap() > 0);
}

#[test]
fn a_province_with_waived_accepted_and_not_applicable_rules_agrees_too() {
    let workspace = tempfile::tempdir().unwrap();
    let model = workspace.path().join("tinh");
    std::fs::create_dir(&model).unwrap();
    std::fs::copy(
        repository_root().join("tests/models/tinh-mau/architecture.ea"),
        model.join("architecture.ea"),
    )
    .unwrap();
    // Every finding of the model, from which one is waived and the first half accepted.
    let checked = kientruc()
        .args(["check", "--format", "json", "--today", "2025-01-15"])
        .arg(&model)
        .output()
        .unwrap();
    let checked: Value = serde_json::from_slice(&checked.stdout).unwrap();
    let findings = checked["findings"].as_array().unwrap();
    assert!(findings.len() >= 6, "{}", findings.len());
    let waived = &findings[0];
    std::fs::write(
        model.join("waivers.ea"),
        format!(
            "waive {} on {} until 2025-12-31 \"Được miễn trừ đến khi hệ thống nâng cấp\"\n",
            waived["rule"].as_str().unwrap(),
            waived["element"].as_str().unwrap()
        ),
    )
    .unwrap();
    let baseline = workspace.path().join("baseline.json");
    let written = kientruc()
        .args([
            "baseline",
            "--today",
            "2025-01-15",
            "--reason",
            "Đã rà soát",
        ])
        .arg(&model)
        .arg("-o")
        .arg(&baseline)
        .output()
        .unwrap();
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    // Keep the first half of the entries: the other half stays open.
    let mut entries: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    let list = entries["findings"].as_array_mut().unwrap();
    let half = list.len() / 2;
    list.truncate(half);
    std::fs::write(&baseline, serde_json::to_string_pretty(&entries).unwrap()).unwrap();

    let out = workspace.path().join("report");
    let checked = assert_numbers_agree(&model, Some(&baseline), &out);
    let summary = &checked["summary"];
    assert_eq!(summary["findings"]["waived"], 1);
    assert!(summary["findings"]["accepted"].as_u64().unwrap() >= 2);
    let open = &summary["findings"]["open"];
    assert!(
        open["error"].as_u64().unwrap()
            + open["warning"].as_u64().unwrap()
            + open["info"].as_u64().unwrap()
            > 0
    );
    assert!(summary["rules"]["not_applicable"].as_u64().unwrap() > 0);
    assert_eq!(summary["files"], 2);
}
