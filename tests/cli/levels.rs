//! Ministries as first-class as provinces (issue 26): the header's `scope` is the architecture's
//! level and is required; rules written for one level are not applicable at the other, with the
//! reason; `owns` makes an imported national element a subject and `context` makes a declared
//! element of another body never one; misplaced entries are input errors.

use crate::support::kientruc_in;
use serde_json::Value;
use std::path::Path;

/// A small ministry workspace: its own platform and TTHC system, another body's system it sends
/// data to (declared for the exchange), and a header whose last lines the tests vary.
fn ministry(header_extra: &str) -> String {
    format!(
        r#"architecture bo_mau "Kiến trúc Chính phủ điện tử Bộ mẫu" {{
  framework "vn-egov-3.0"
  version "3.0"
  as_of 2024-12-31
{header_extra}}}

import "framework:national.ea" as national

agency bo "Bộ mẫu" {{
  level ministry
  agency_type ministry
  status operational
}}

platform nen_tang_bo "Nền tảng tích hợp, chia sẻ dữ liệu của Bộ" {{
  platform_type lgsp
  owner bo
  status operational
  exchanges_with -> national.ndxp
}}

system tthc_bo "Hệ thống thông tin giải quyết thủ tục hành chính của Bộ" {{
  system_type tthc_system
  owner bo
  status operational
  exchanges_with -> he_thong_giam_dinh "gửi hồ sơ giám định" via nen_tang_bo
}}

/// Another body's system: the social-security agency's assessment system.
system he_thong_giam_dinh "Hệ thống thông tin giám định của Bảo hiểm xã hội Việt Nam" {{
  owner national.bhxh_vn
  status operational
}}
"#
    )
}

fn check(directory: &Path, model: &str) -> (i32, Value, String) {
    std::fs::write(directory.join("architecture.ea"), model).unwrap();
    let (code, stdout, stderr) = kientruc_in(directory, &["check", ".", "--format", "json"]);
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (code, json, stderr)
}

/// The elements findings point at.
fn elements_with_findings(json: &Value) -> Vec<String> {
    let mut elements: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|finding| finding["element"].as_str().map(str::to_owned))
        .collect();
    elements.sort();
    elements.dedup();
    elements
}

fn outcome<'a>(json: &'a Value, rule: &str) -> &'a Value {
    json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|outcome| outcome["id"] == rule)
        .unwrap_or_else(|| panic!("no outcome for {rule}"))
}

#[test]
fn owned_national_elements_are_subjects_and_context_elements_are_not() {
    let directory = tempfile::tempdir().unwrap();
    // Without a boundary: the national database is someone else's, the other body's system is
    // judged as the ministry's own.
    let (_, plain, stderr) = check(directory.path(), &ministry("  scope ministry\n"));
    let elements = elements_with_findings(&plain);
    assert!(
        elements.contains(&"he_thong_giam_dinh".to_owned()),
        "{elements:?} {stderr}"
    );
    assert!(
        !elements
            .iter()
            .any(|element| element.starts_with("national.")),
        "{elements:?}"
    );
    // With it: the owned database is judged, the context system is not, and nothing else moves
    // to or from the national model.
    let (code, bounded, stderr) = check(
        directory.path(),
        &ministry(
            "  scope ministry\n  owns [national.csdl_ho_tich]\n  context [he_thong_giam_dinh]\n",
        ),
    );
    assert_ne!(code, 2, "{stderr}");
    assert!(
        bounded["diagnostics"].as_array().unwrap().is_empty(),
        "{bounded}"
    );
    let elements = elements_with_findings(&bounded);
    assert!(
        !elements.contains(&"he_thong_giam_dinh".to_owned()),
        "{elements:?}"
    );
    let national: Vec<&String> = elements
        .iter()
        .filter(|element| element.starts_with("national."))
        .collect();
    assert_eq!(national, vec!["national.csdl_ho_tich"], "{elements:?}");
    // The ministry's own elements keep their findings.
    for own in ["nen_tang_bo", "tthc_bo"] {
        assert!(elements.contains(&own.to_owned()), "{own}: {elements:?}");
    }
}

#[test]
fn rules_for_provinces_are_not_applicable_to_a_ministry_with_the_reason() {
    let directory = tempfile::tempdir().unwrap();
    let (_, catalogue, _) = {
        let (code, stdout, stderr) = kientruc_in(directory.path(), &["rules", "--format", "json"]);
        (
            code,
            serde_json::from_str::<Value>(&stdout).unwrap(),
            stderr,
        )
    };
    let province_only: Vec<&str> = catalogue["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|rule| rule["levels"] == serde_json::json!(["province"]))
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    assert!(
        !province_only.is_empty(),
        "no rule is written for provinces only"
    );
    let (_, ministry_json, _) = check(directory.path(), &ministry("  scope ministry\n"));
    for rule in &province_only {
        let outcome = outcome(&ministry_json, rule);
        assert_eq!(outcome["outcome"], "not-applicable", "{rule}: {outcome}");
        assert_eq!(
            outcome["reason"]["vi"],
            "Quy tắc chỉ áp dụng cho Kiến trúc chính quyền điện tử cấp tỉnh; kiến trúc này là \
             Kiến trúc Chính phủ điện tử cấp bộ (scope ministry)",
            "{rule}"
        );
        assert!(
            !ministry_json["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|finding| finding["rule"] == *rule),
            "{rule} reported on a ministry"
        );
    }
    // The same model said to be a province: the rules are judged (none is not applicable for
    // its level).
    let (_, province_json, _) = check(directory.path(), &ministry("  scope province\n"));
    for rule in &province_only {
        let reason = outcome(&province_json, rule)["reason"]["vi"]
            .as_str()
            .unwrap_or("");
        assert!(
            !reason.starts_with("Quy tắc chỉ áp dụng"),
            "{rule}: {reason}"
        );
    }
}

#[test]
fn level_words_follow_the_header() {
    let directory = tempfile::tempdir().unwrap();
    // APP-010's title names the level; its message names the system.
    let (_, json, _) = check(
        directory.path(),
        &ministry("  scope ministry\n").replace(
            "  exchanges_with -> he_thong_giam_dinh",
            "  // no link to the National Public Service Portal\n  exchanges_with -> he_thong_giam_dinh",
        ),
    );
    let (code, stdout, _) = kientruc_in(
        directory.path(),
        &["explain", "APP-010", "--level", "ministry"],
    );
    assert_eq!(code, 0);
    assert!(stdout.contains("cấp bộ"), "{stdout}");
    assert!(!stdout.contains("{level}"), "{stdout}");
    let (_, stdout, _) = kientruc_in(
        directory.path(),
        &["explain", "APP-010", "--level", "province"],
    );
    assert!(stdout.contains("cấp tỉnh"), "{stdout}");
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|finding| finding["rule"] == "APP-010" && finding["element"] == "tthc_bo"),
        "{json}"
    );
    let (code, _, stderr) = kientruc_in(directory.path(), &["rules", "--level", "sector"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("defines no level `sector`"), "{stderr}");
}

#[test]
fn a_missing_or_unknown_level_and_a_misplaced_boundary_are_input_errors() {
    let directory = tempfile::tempdir().unwrap();
    let cases = [
        ("", "KT0209", "lacks the required property `scope`"),
        (
            "  scope sector\n",
            "KT0204",
            "framework `vn-egov-3.0` defines no architecture at the level `sector`",
        ),
        (
            "  scope ministry\n  owns [bo]\n",
            "KT0204",
            "`owns` lists `bo`, which the workspace declares itself",
        ),
        (
            "  scope ministry\n  context [national.ndxp]\n",
            "KT0204",
            "`context` lists `national.ndxp`, an element of an imported model",
        ),
    ];
    for (header, code_expected, message) in cases {
        std::fs::write(directory.path().join("architecture.ea"), ministry(header)).unwrap();
        let (code, stdout, stderr) = kientruc_in(directory.path(), &["check", "."]);
        assert_eq!(code, 2, "{header}: {stdout}{stderr}");
        let all = format!("{stdout}{stderr}");
        assert!(all.contains(code_expected), "{header}: {all}");
        assert!(all.contains(message), "{header}: {all}");
    }
}
