//! The Bộ Tư pháp's e-government architecture (architecture/bo-tu-phap), a ministry written from
//! public sources, end to end: it resolves without errors at `scope ministry`; it is the size of
//! a real ministry architecture across every layer; it passes with its committed baseline, whose
//! entries each give a reason, an owner and a review date; no rule written for provinces reports
//! on it; no finding is on an element its header declares as context; and the national databases
//! it owns are judged (subjects), while the national model's other elements are not.

use crate::support::kientruc_in;
use serde_json::Value;
use std::path::PathBuf;

const MODEL: &str = "architecture/bo-tu-phap";
const BASELINE: &str = "architecture/bo-tu-phap/.kientruc-baseline.json";

fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json(arguments: &[&str]) -> (i32, Value) {
    let (code, stdout, stderr) = kientruc_in(&repository_root(), arguments);
    (
        code,
        serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("{error}: {stdout}{stderr}")),
    )
}

/// The ids listed in the header's `owns` or `context` list.
fn header_list(header: &str, name: &str) -> Vec<String> {
    let start = header
        .find(&format!("  {name} ["))
        .unwrap_or_else(|| panic!("no `{name}` in the header"));
    let rest = &header[start..];
    let list = &rest[rest.find('[').unwrap() + 1..rest.find(']').unwrap()];
    list.split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_ministry_model_passes_with_its_baseline_and_is_judged_as_a_ministry() {
    let (code, checked) = json(&["check", MODEL, "--format", "json", "--baseline", BASELINE]);
    crate::support::assert_passes_with_signed_baseline(
        code,
        &checked,
        &repository_root().join(BASELINE),
    );

    let header =
        std::fs::read_to_string(repository_root().join(MODEL).join("architecture.ea")).unwrap();
    assert!(header.contains("\n  scope ministry\n"));
    let owned = header_list(&header, "owns");
    let context = header_list(&header, "context");
    assert!(
        owned.iter().any(|id| id.starts_with("national.csdl_")),
        "{owned:?}"
    );
    assert!(!context.is_empty());

    let findings = checked["findings"].as_array().unwrap();
    // No finding on another body's element.
    for finding in findings {
        let element = finding["element"].as_str().unwrap_or("");
        assert!(
            !context.iter().any(|id| id == element),
            "a finding on the context element {element}: {finding}"
        );
        // The national model is judged only where the ministry owns it.
        if element.starts_with("national.") {
            assert!(owned.iter().any(|id| id == element), "{finding}");
        }
    }
    // The owned national databases are subjects: some rule reports on them (their hosting and
    // reference-model codes are not recorded in the national model).
    assert!(
        findings.iter().any(|finding| finding["element"]
            .as_str()
            .is_some_and(|element| element.starts_with("national.csdl_"))),
        "no finding on an owned national database"
    );
    // No rule written for provinces reports; each is not applicable, for its level.
    let (_, catalogue) = json(&["rules", "--format", "json"]);
    let outcomes = checked["rules"].as_array().unwrap();
    for rule in catalogue["rules"].as_array().unwrap() {
        if rule["levels"].as_array().is_none_or(Vec::is_empty) {
            continue;
        }
        assert!(
            rule["levels"]
                .as_array()
                .unwrap()
                .iter()
                .all(|level| level != "ministry"),
            "{rule}"
        );
        let outcome = outcomes
            .iter()
            .find(|outcome| outcome["id"] == rule["id"])
            .unwrap();
        assert_eq!(outcome["outcome"], "not-applicable", "{outcome}");
        assert!(
            outcome["reason"]["vi"]
                .as_str()
                .unwrap()
                .starts_with("Quy tắc chỉ áp dụng cho"),
            "{outcome}"
        );
    }

    // Size: the workspace's own declarations and the national elements it owns (the summary
    // gives the rest of the national model apart).
    let elements = checked["summary"]["elements"].as_u64().unwrap();
    assert!(elements >= 80, "{elements} elements");
    let text: String = std::fs::read_dir(repository_root().join(MODEL))
        .unwrap()
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "ea"))
        .map(|entry| std::fs::read_to_string(entry.path()).unwrap())
        .collect();
    for kind in [
        "agency ",
        "public_service ",
        "database ",
        "system ",
        "platform ",
        "data_centre ",
        "security_service ",
        "security_plan ",
        "regulation ",
        "roadmap_item ",
    ] {
        assert!(text.contains(&format!("\n{kind}")), "no `{kind}` element");
    }
    // Every element cites where its facts come from.
    let declarations = text
        .lines()
        .filter(|line| {
            line.split_whitespace().count() >= 3
                && line.ends_with('{')
                && line.starts_with(|c: char| c.is_ascii_lowercase())
                && !line.starts_with("architecture ")
                && line.contains('"')
        })
        .count();
    assert!(
        text.matches("\n  source ").count() >= declarations,
        "{} sources for {declarations} elements",
        text.matches("\n  source ").count()
    );
}
