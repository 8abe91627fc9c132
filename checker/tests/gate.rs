//! The CI gate cannot be switched off by a typo: command-line `--select` / `--ignore` patterns
//! that select no rule are KT0302 errors (with the case of ids enforced), the checker's own rules
//! (`KT-WAIVER-EXPIRED`, `KT-WAIVER-UNUSED`) are selected, ignored and overridden like the
//! pack's, and a waiver on the architecture's id waives model-wide findings.
//! Rules: `tests/engine/rules.toml` over the language tests' metamodel.

mod support;

use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::Severity;
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{MemoryProvider, MemoryRegistry};
use std::path::Path;

const NATIONAL: &str = "architecture national \"Quốc gia\" {\n  framework \"mini\"\n  version \"3.0\"\n}\n\nagency bo \"Bộ\" {\n  level central\n}\n";

/// 16 lines; the body starts on line 17.
const HEADER: &str = "architecture hn \"Hà Nội\" {\n  framework \"mini\"\n  version \"3.0\"\n}\n\nimport \"framework:national.ea\" as national\n\nagency ubnd \"UBND\" {\n  level province\n}\n\nplatform lgsp \"LGSP\" {\n  owner ubnd\n  platform_type lgsp\n}\n\n";

/// A second LGSP: T-CARD-001 (exactly one LGSP) fails on the header, with no element.
const SECOND_LGSP: &str = "platform lgsp2 \"LGSP 2\" {\n  owner ubnd\n  platform_type lgsp\n}\n\n";

fn registry() -> MemoryRegistry {
    support::mini_registry(&[
        ("rules/test.toml", include_str!("engine/rules.toml")),
        ("national.ea", NATIONAL),
    ])
}

/// Checks `HEADER` + `body` on 2025-01-01 with the given `--select`, `--ignore` and
/// `kientruc.toml`.
fn run(body: &str, select: &[&str], ignore: &[&str], config: Option<&str>) -> Checked {
    let mut provider = MemoryProvider::default();
    provider.insert("/ws/main.ea", format!("{HEADER}{body}"));
    if let Some(config) = config {
        provider.insert("/ws/kientruc.toml", config);
    }
    let options = CheckOptions {
        today: Date::new(2025, 1, 1).unwrap(),
        config: None,
        select: select.iter().map(|pattern| (*pattern).to_owned()).collect(),
        ignore: ignore.iter().map(|pattern| (*pattern).to_owned()).collect(),
        pack_cache: None,
        as_of: None,
        now: None,
        overlay_files: Vec::new(),
        drop_syntax: false,
        rule_cache: None,
    };
    analyze_and_check(
        Path::new("/ws"),
        &[Path::new("/ws/main.ea").to_path_buf()],
        &provider,
        &registry(),
        options,
    )
}

/// Each diagnostic as `CODE [line:column] message | notes | help`.
fn diagnostics(checked: &Checked) -> Vec<String> {
    checked
        .analysis
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let place = diagnostic
                .primary
                .as_ref()
                .map_or_else(String::new, |label| {
                    let (start, _) = checked.analysis.workspace.files.line_columns(label.span);
                    format!("{}:{} ", start.line, start.column)
                });
            format!(
                "{} {place}{} | {} | {}",
                diagnostic.code,
                diagnostic.message,
                diagnostic.notes.join("; "),
                diagnostic.help.clone().unwrap_or_default()
            )
        })
        .collect()
}

/// `RULE element line severity`, `(waived)` marked, for each finding; no diagnostics allowed.
fn findings(checked: &Checked) -> Vec<String> {
    assert_eq!(diagnostics(checked), Vec::<String>::new());
    checked
        .findings
        .iter()
        .map(|finding| {
            let (start, _) = checked.analysis.workspace.files.line_columns(finding.span);
            let waived = if finding.is_waived() { " (waived)" } else { "" };
            format!(
                "{} {} {} {}{waived}",
                finding.rule,
                finding.element.as_deref().unwrap_or("-"),
                start.line,
                finding.severity.as_str()
            )
        })
        .collect()
}

const NOTE: &str = "takes rule ids, id prefixes (`SEC`, `KT-WAIVER`) and reference models (`SRM`); `kientruc rules` lists the rules";

#[test]
fn command_line_patterns_that_select_no_rule_are_errors_naming_the_option() {
    let checked = run(
        "",
        &["T-PROP-01", "t-prop-001", "t-prop", "T-PROP"],
        &["NOPE", "kt-waiver-unused", "SRN"],
        None,
    );
    assert_eq!(
        diagnostics(&checked),
        vec![
            format!(
                "KT0302 `--select T-PROP-01` selects no rule | `--select` {NOTE} | did you mean `T-PROP-001`?"
            ),
            "KT0302 `--select t-prop-001` selects no rule: rule ids are case-sensitive |  | did you mean `T-PROP-001`?".to_owned(),
            "KT0302 `--select t-prop` selects no rule: rule ids are case-sensitive |  | did you mean `T-PROP`?".to_owned(),
            format!("KT0302 `--ignore NOPE` selects no rule | `--ignore` {NOTE} | "),
            "KT0302 `--ignore kt-waiver-unused` selects no rule: rule ids are case-sensitive |  | did you mean `KT-WAIVER-UNUSED`?".to_owned(),
            format!(
                "KT0302 `--ignore SRN` selects no rule | `--ignore` {NOTE} | did you mean `SRM`?"
            ),
        ]
    );
    assert!(checked.analysis.error_count() == 6);

    // An empty pattern (`--select SEC-001,`) is shown quoted, and a repeated one once.
    let checked = run("", &["T-PROP-001", "", ""], &[], None);
    assert_eq!(
        diagnostics(&checked),
        vec![format!(
            "KT0302 `--select \"\"` selects no rule | `--select` {NOTE} | "
        )]
    );

    // Ids, id prefixes, reference models (in any case) and the checker's own rules are valid.
    let checked = run(
        "",
        &["T-PROP-001", "T-CYCLE", "srm", "KT-WAIVER-UNUSED", "KT"],
        &["KT-WAIVER", "GOV"],
        None,
    );
    assert_eq!(diagnostics(&checked), Vec::<String>::new());
}

#[test]
fn configuration_patterns_are_checked_the_same_way_and_may_name_the_checker_rules() {
    let config = "select = [\"t-prop-001\", \"KT-WAIVER\"]\nignore = [\"KT-WAIVER-UNUSED\", \"NOPE\"]\n\n[severity]\nKT-WAIVER-EXPIRED = \"warning\"\n";
    let checked = run("", &[], &[], Some(config));
    assert_eq!(
        diagnostics(&checked),
        vec![
            "KT0302 1:11 `t-prop-001` selects no rule: rule ids are case-sensitive |  | did you mean `T-PROP-001`?",
            "KT0302 2:31 `NOPE` selects no rule |  | ",
        ]
    );
}

const WAIVED_SYSTEMS: &str = "system a \"A\" {\n  owner ubnd\n}\n\nsystem b \"B\" {\n  owner ubnd\n}\n\nsystem c \"C\" {\n  owner ubnd\n  security_level 2\n}\n\nwaive T-PROP-001 on a until 2025-06-30 \"đang thẩm định\"\nwaive T-PROP-001 on b until 2024-06-30 \"đã hết hạn\"\nwaive T-PROP-001 on c until 2025-06-30 \"không cần\"\n";

#[test]
fn the_checker_rules_are_selected_ignored_and_overridden_like_the_pack_rules() {
    // Lines: a 17, b 21, c 25; the waivers 30, 31, 32.
    let all = run(WAIVED_SYSTEMS, &["T-PROP"], &[], None);
    assert_eq!(
        findings(&all),
        vec!["T-PROP-001 a 17 error (waived)", "T-PROP-001 b 21 error"]
    );
    let all = run(WAIVED_SYSTEMS, &["T-PROP", "KT"], &[], None);
    assert_eq!(
        findings(&all),
        vec![
            "T-PROP-001 a 17 error (waived)",
            "T-PROP-001 b 21 error",
            "KT-WAIVER-EXPIRED b 31 error",
            "KT-WAIVER-UNUSED c 32 warning",
        ]
    );
    let all_rules = run(WAIVED_SYSTEMS, &[], &[], None);
    assert!(
        all_rules
            .findings
            .iter()
            .any(|finding| finding.rule == "KT-WAIVER-UNUSED")
    );
    let ignored = run(WAIVED_SYSTEMS, &[], &["KT-WAIVER-UNUSED"], None);
    assert!(
        !ignored
            .findings
            .iter()
            .any(|finding| finding.rule == "KT-WAIVER-UNUSED")
    );
    assert!(
        ignored
            .findings
            .iter()
            .any(|finding| finding.rule == "KT-WAIVER-EXPIRED")
    );
    // Reports list an ignored bookkeeping rule as not run (not as passing).
    let rule = |checked: &Checked, id: &str| {
        checked
            .tool_rules
            .iter()
            .find(|rule| rule.id == id)
            .cloned()
            .unwrap()
    };
    assert!(!ignored.rule_ran(&rule(&ignored, "KT-WAIVER-UNUSED")));
    assert!(ignored.rule_ran(&rule(&ignored, "KT-WAIVER-EXPIRED")));
    assert!(all_rules.rule_ran(&rule(&all_rules, "KT-WAIVER-UNUSED")));
    // Ignoring the bookkeeping never un-waives: the waiver on `a` still applies.
    let selected = run(
        WAIVED_SYSTEMS,
        &["T-PROP", "KT-WAIVER-UNUSED"],
        &[],
        Some("ignore = [\"KT-WAIVER-EXPIRED\"]\n"),
    );
    assert_eq!(
        findings(&selected),
        vec![
            "T-PROP-001 a 17 error (waived)",
            "T-PROP-001 b 21 error",
            "KT-WAIVER-UNUSED c 32 warning",
        ]
    );

    // The configuration's `ignore`, `select` and severity overrides.
    let configured = run(
        WAIVED_SYSTEMS,
        &[],
        &[],
        Some(
            "select = [\"T-PROP\", \"KT-WAIVER\"]\nignore = [\"KT-WAIVER-UNUSED\"]\n\n[severity]\nKT-WAIVER-EXPIRED = \"info\"\n",
        ),
    );
    assert_eq!(
        findings(&configured),
        vec![
            "T-PROP-001 a 17 error (waived)",
            "T-PROP-001 b 21 error",
            "KT-WAIVER-EXPIRED b 31 info",
        ]
    );
    let overridden = run(
        WAIVED_SYSTEMS,
        &["T-PROP", "KT-WAIVER-UNUSED"],
        &[],
        Some("[severity]\nKT-WAIVER = \"error\"\n"),
    );
    assert_eq!(findings(&overridden)[2..], ["KT-WAIVER-UNUSED c 32 error"]);
    assert_eq!(overridden.failing(Severity::Error), 2);
}

#[test]
fn a_waiver_on_the_architecture_id_waives_the_rules_model_wide_findings() {
    // T-CARD-001 fails on the header (line 1, no element, reported as `hn`).
    let unwaived = run(SECOND_LGSP, &["T-CARD", "KT"], &[], None);
    assert_eq!(findings(&unwaived), vec!["T-CARD-001 hn 1 error"]);
    let card = &unwaived.findings[0];
    assert_eq!(card.element_id, None);

    // Lines: lgsp2 17, the system 22; the waivers 26, 27, 28.
    let body = format!(
        "{SECOND_LGSP}system a \"A\" {{\n  owner ubnd\n}}\n\nwaive T-CARD-001 on hn until 2025-06-30 \"LGSP 2 đang dừng\"\nwaive T-PROP-001 on hn until 2025-06-30 \"không khớp: T-PROP-001 có phần tử\"\nwaive T-REL-001 on hn until 2024-06-30 \"hết hạn\"\n"
    );
    let waived = run(&body, &["T-CARD", "T-PROP", "T-REL", "KT"], &[], None);
    assert_eq!(
        findings(&waived),
        vec![
            "T-CARD-001 hn 1 error (waived)",
            "T-PROP-001 a 22 error",
            "KT-WAIVER-UNUSED hn 27 warning",
            "KT-WAIVER-EXPIRED hn 28 error",
        ]
    );
    let state = waived.findings[0].waiver.as_ref().unwrap();
    assert_eq!(state.reason, "LGSP 2 đang dừng");
    assert_eq!(
        waived.findings[2].message.en,
        "The waiver of T-PROP-001 on hn matches no finding"
    );
    assert_eq!(
        waived.findings[3].message.en,
        "The waiver of T-REL-001 on hn expired on 2024-06-30"
    );
    // The fingerprint of a header waiver's bookkeeping names the architecture, like the
    // findings it would waive.
    assert_ne!(
        waived.findings[2].fingerprint,
        waived.findings[3].fingerprint
    );

    // Once the waiver's date has passed, the header finding is active again.
    let expired = run(
        &format!("{SECOND_LGSP}waive T-CARD-001 on hn until 2024-12-31 \"LGSP 2 đang dừng\"\n"),
        &["T-CARD", "KT"],
        &[],
        None,
    );
    assert_eq!(
        findings(&expired),
        vec!["T-CARD-001 hn 1 error", "KT-WAIVER-EXPIRED hn 22 error"]
    );
}
