//! End-to-end tests of `kientruc check`, `rules` and `explain` with a rule pack: exact findings
//! and exit codes on a model with known violations, waivers, thresholds, determinism, and clear
//! errors (file, line, column, exit 2) for broken rule packs.

use std::path::Path;

use crate::support::{kientruc_in, write_rules_pack};

const NATIONAL: &str = "architecture national \"Quốc gia\" {\n  framework \"rulespack\"\n  version \"3.0\"\n}\n\nagency bo \"Bộ\" {\n  level central\n}\n\nsystem csdl \"CSDL quốc gia\" {\n  owner bo\n  security_level 4\n}\n";

/// A workspace with a local pack `rulespack` (the language tests' metamodel + the engine rules).
fn workspace(model: &str) -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    write_rules_pack(directory.path());
    let pack = directory.path().join("frameworks/rulespack");
    std::fs::write(pack.join("national.ea"), NATIONAL).unwrap();
    std::fs::create_dir(directory.path().join("model")).unwrap();
    std::fs::write(directory.path().join("model/main.ea"), model).unwrap();
    directory
}

const MODEL: &str = "architecture hn \"Hà Nội\" {\n  framework \"rulespack\"\n  version \"3.0\"\n}\n\nimport \"framework:national.ea\" as national\n\nagency ubnd \"UBND\" {\n  level province\n}\n\nplatform lgsp \"LGSP\" {\n  owner ubnd\n  platform_type lgsp\n}\n\ndata_centre ttdl \"TTDL\" {}\n\nsystem dvc \"Hệ thống giải quyết TTHC\" {\n  owner ubnd\n  security_level 3\n  public true\n  uses -> lgsp\n  hosted_on -> ttdl\n  exchanges_with -> national.csdl\n}\n\nsystem qlvb \"Quản lý văn bản\" {\n  owner ubnd\n  hosted_on -> ttdl\n}\n";

fn findings(json: &serde_json::Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            format!(
                "{} {} {}:{} waived={}",
                finding["rule"].as_str().unwrap(),
                finding["element"].as_str().unwrap_or("-"),
                finding["file"].as_str().unwrap(),
                finding["line"],
                finding["waived"]
            )
        })
        .collect()
}

#[test]
fn known_violations_are_reported_exactly_and_exit_1() {
    let directory = workspace(MODEL);
    let (code, stdout, stderr) = kientruc_in(
        directory.path(),
        &[
            "check",
            "model",
            "--format",
            "json",
            "--today",
            "2025-01-01",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        findings(&json),
        vec![
            "T-FORBID-001 dvc model/main.ea:25 waived=false",
            "T-PATH-001 dvc model/main.ea:25 waived=false",
            "T-PROP-001 qlvb model/main.ea:28 waived=false",
        ]
    );
    let path_finding = &json["findings"][1];
    assert_eq!(
        path_finding["path"],
        serde_json::json!(["dvc", "national.csdl"])
    );
    let cited = &path_finding["citation"]["documents"][0];
    assert_eq!(cited["key"], "nd-194-2025");
    assert_eq!(cited["kind"], "Nghị định");
    assert_eq!(cited["number"], "194/2025/NĐ-CP");
    assert_eq!(cited["article"], "20");
    assert_eq!(
        path_finding["citation"]["text"]["vi"],
        "Nghị định số 194/2025/NĐ-CP của Chính phủ về cơ sở dữ liệu quốc gia, kết nối và chia sẻ dữ liệu, Điều 20"
    );
    assert_eq!(path_finding["severity"], "error");
    assert_eq!(path_finding["column"], 3);
    assert_eq!(
        path_finding["message"],
        "dvc tới national.csdl không qua NDXP: dvc → national.csdl"
    );
    assert_eq!(json["summary"]["rules_run"], 9);
    assert_eq!(json["summary"]["findings"]["open"]["error"], 3);
    // English messages on request.
    let (_, stdout, _) = kientruc_in(
        directory.path(),
        &[
            "check",
            "model",
            "--format",
            "json",
            "--today",
            "2025-01-01",
            "--lang",
            "en",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["findings"][2]["message"],
        "System Quản lý văn bản (qlvb) has no security_level"
    );
}

#[test]
fn waived_findings_stay_visible_and_do_not_fail() {
    let model = format!(
        "{MODEL}\nwaive T-FORBID-001 on dvc until 2025-12-31 \"kết nối qua LGSP theo KH 57\"\nwaive T-PATH-001 on dvc until 2025-12-31 \"kết nối qua NDXP theo KH 57, mục 2\"\nwaive T-PROP-001 on qlvb until 2025-12-31 \"đang thẩm định cấp độ\"\n"
    );
    let directory = workspace(&model);
    let (code, stdout, _) = kientruc_in(
        directory.path(),
        &[
            "check",
            "model",
            "--format",
            "json",
            "--today",
            "2025-01-01",
        ],
    );
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        findings(&json),
        vec![
            "T-FORBID-001 dvc model/main.ea:25 waived=true",
            "T-PATH-001 dvc model/main.ea:25 waived=true",
            "T-PROP-001 qlvb model/main.ea:28 waived=true"
        ]
    );
    assert_eq!(json["findings"][0]["waiver"]["until"], "2025-12-31");
    assert_eq!(json["summary"]["findings"]["waived"], 3);
    // After the waivers expire, the findings come back and each expired waiver is a finding.
    let (code, stdout, _) = kientruc_in(
        directory.path(),
        &[
            "check",
            "model",
            "--format",
            "json",
            "--today",
            "2026-01-01",
        ],
    );
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        findings(&json),
        vec![
            "T-FORBID-001 dvc model/main.ea:25 waived=false",
            "T-PATH-001 dvc model/main.ea:25 waived=false",
            "T-PROP-001 qlvb model/main.ea:28 waived=false",
            "KT-WAIVER-EXPIRED dvc model/main.ea:33 waived=false",
            "KT-WAIVER-EXPIRED dvc model/main.ea:34 waived=false",
            "KT-WAIVER-EXPIRED qlvb model/main.ea:35 waived=false",
        ]
    );
}

#[test]
fn fail_on_and_exit_codes() {
    let directory = workspace(MODEL);
    // Only warnings remain when the two error rules are ignored; they fail only with --fail-on warning.
    let (code, _, _) = kientruc_in(
        directory.path(),
        &[
            "check",
            "model",
            "--today",
            "2025-01-01",
            "--ignore",
            "T-PATH-001,T-PROP,T-FORBID",
        ],
    );
    assert_eq!(code, 0);
    let (code, stdout, _) = kientruc_in(
        directory.path(),
        &[
            "check",
            "model",
            "--today",
            "2025-01-01",
            "--select",
            "T-REACH,T-PROP",
            "--fail-on",
            "info",
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stdout
            .contains("error[T-PROP-001]: Hệ thống Quản lý văn bản (qlvb) chưa có security_level"),
        "{stdout}"
    );
    assert!(
        stdout.contains("= căn cứ: Nghị định số 85/2016/NĐ-CP của Chính phủ"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Tổng hợp tuân thủ: Hà Nội (rulespack)"),
        "{stdout}"
    );
    let (code, _, stderr) = kientruc_in(
        directory.path(),
        &["check", "model", "--today", "2025-13-01"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("--today: `2025-13-01` is not a date"));
}

#[test]
fn output_is_byte_identical_across_runs() {
    let directory = workspace(MODEL);
    let first = kientruc_in(
        directory.path(),
        &[
            "check",
            "model",
            "--format",
            "json",
            "--today",
            "2025-01-01",
        ],
    );
    let second = kientruc_in(
        directory.path(),
        &[
            "check",
            "model",
            "--format",
            "json",
            "--today",
            "2025-01-01",
        ],
    );
    assert_eq!(first, second);
    let human_first = kientruc_in(
        directory.path(),
        &["check", "model", "--today", "2025-01-01"],
    );
    let human_second = kientruc_in(
        directory.path(),
        &["check", "model", "--today", "2025-01-01"],
    );
    assert_eq!(human_first, human_second);
}

#[test]
fn rules_and_explain_show_the_full_metadata() {
    let directory = workspace(MODEL);
    let (code, stdout, stderr) = kientruc_in(
        directory.path(),
        &["rules", "--framework", "rulespack", "--format", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rules = json["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 11, "9 pack rules and 2 waiver rules");
    let path_rule = rules
        .iter()
        .find(|rule| rule["id"] == "T-PATH-001")
        .unwrap();
    assert_eq!(
        path_rule["title"]["en"],
        "Paths to national go through the NDXP"
    );
    assert_eq!(path_rule["reference_model"], "DRM");
    assert_eq!(path_rule["check"]["type"], "path-through");
    assert_eq!(path_rule["check"]["through"], "platform_type = ndxp");
    let (code, stdout, _) = kientruc_in(
        directory.path(),
        &[
            "explain",
            "t-path-001",
            "--framework",
            "rulespack",
            "--lang",
            "en",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("T-PATH-001 — Paths to national go through the NDXP\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "citation:\n  - Decree No. 194/2025/NĐ-CP of the Government on national databases, data connection and sharing, Article 20\n    [nd-194-2025] dates unknown, inferred\n"
        ),
        "{stdout}"
    );
    let (code, _, stderr) = kientruc_in(
        directory.path(),
        &["explain", "T-PAHT-001", "--framework", "rulespack"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `T-PATH-001`?"), "{stderr}");
}

/// Each broken rule file: the diagnostic code, `file:line:column`, and a fragment of the message.
#[test]
fn broken_rule_packs_give_located_errors_and_exit_2() {
    let rule = |id: &str, check: &str| {
        format!(
            "[[rule]]\nid = \"{id}\"\ntitle = {{ vi = \"Tiêu đề\", en = \"Title\" }}\nmessage = {{ vi = \"Thông điệp\", en = \"Message\" }}\nseverity = \"error\"\nreference_model = \"ARM\"\ncitation = {{ source = \"inferred\", documents = [{{ key = \"test\" }}] }}\nrationale = {{ vi = \"Lý do\", en = \"Why\" }}\nfix = {{ vi = \"Sửa\", en = \"Fix\" }}\ncheck = {check}\n"
        )
    };
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "unknown rule type",
            rule(
                "X-001",
                "{ type = \"required-propety\", select = \"*\", property = \"owner\" }",
            ),
            "KT0401 frameworks/rulespack/rules/test.toml:10:18 rule `X-001` has unknown rule type `required-propety`",
        ),
        (
            "bad selector",
            rule(
                "X-001",
                "{ type = \"required-property\", select = \"kind(system) and and\", property = \"owner\" }",
            ),
            "KT0401 frameworks/rulespack/rules/test.toml:10:66 invalid selector: expected a selector",
        ),
        (
            "unknown kind in selector",
            rule(
                "X-001",
                "{ type = \"required-property\", select = \"kind(sytem)\", property = \"owner\" }",
            ),
            "KT0401 frameworks/rulespack/rules/test.toml:10:54 unknown kind `sytem` in selector; did you mean `system`?",
        ),
        (
            "unknown property in selector",
            rule(
                "X-001",
                "{ type = \"required-property\", select = \"securty_level >= 3\", property = \"owner\" }",
            ),
            "KT0401 frameworks/rulespack/rules/test.toml:10:49 the metamodel defines no property `securty_level`; did you mean `security_level`?",
        ),
        (
            "duplicate rule id",
            format!(
                "{}\n{}",
                rule(
                    "X-001",
                    "{ type = \"cardinality\", select = \"*\", min = 1 }"
                ),
                rule(
                    "X-001",
                    "{ type = \"cardinality\", select = \"*\", max = 100 }"
                )
            ),
            "KT0401 frameworks/rulespack/rules/test.toml:13:6 rule id `X-001` is used twice",
        ),
        (
            "missing Vietnamese message",
            rule(
                "X-001",
                "{ type = \"cardinality\", select = \"*\", min = 1 }",
            )
            .replace(
                "message = { vi = \"Thông điệp\", en = \"Message\" }",
                "message = { en = \"Message\" }",
            ),
            "KT0401 frameworks/rulespack/rules/test.toml:4:11 rule pack: missing field `vi`",
        ),
    ];
    for (name, text, expected) in cases {
        let directory = workspace(MODEL);
        std::fs::write(
            directory
                .path()
                .join("frameworks/rulespack/rules/test.toml"),
            &text,
        )
        .unwrap();
        let (code, stdout, stderr) = kientruc_in(
            directory.path(),
            &[
                "check",
                "model",
                "--format",
                "json",
                "--today",
                "2025-01-01",
            ],
        );
        assert_eq!(code, 2, "{name}: {stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let diagnostics: Vec<String> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} {}:{}:{} {}",
                    d["code"].as_str().unwrap(),
                    d["file"].as_str().unwrap(),
                    d["line"],
                    d["column"],
                    d["message"].as_str().unwrap()
                )
            })
            .collect();
        assert!(
            diagnostics.iter().any(|line| line.starts_with(expected)),
            "{name}: expected `{expected}` in {diagnostics:#?}"
        );
    }
}

/// A `--select` / `--ignore` that selects no rule would switch the gate off: it is a KT0302 error
/// naming the option (exit 2), with the rule id it was probably meant to be.
#[test]
fn select_and_ignore_typos_are_errors_naming_the_option() {
    let directory = tempfile::tempdir().unwrap();
    let (code, _, stderr) = kientruc_in(directory.path(), &["init", "ws"]);
    assert_eq!(code, 0, "{stderr}");
    let note = |option: &str| {
        format!(
            " = note: `{option}` takes rule ids, id prefixes (`SEC`, `KT-WAIVER`) and reference models (`SRM`); `kientruc rules` lists the rules\n"
        )
    };
    for (arguments, expected) in [
        (
            &["--select", "SEC-04"][..],
            format!(
                "error[KT0302]: `--select SEC-04` selects no rule\n{} = help: did you mean `SEC-004`?\n",
                note("--select")
            ),
        ),
        (
            &["--select", "sec-001"][..],
            "error[KT0302]: `--select sec-001` selects no rule: rule ids are case-sensitive\n = help: did you mean `SEC-001`?\n".to_owned(),
        ),
        (
            &["--ignore", "NOPE"][..],
            format!(
                "error[KT0302]: `--ignore NOPE` selects no rule\n{}",
                note("--ignore")
            ),
        ),
    ] {
        let mut command = vec!["check", "ws", "--color", "never"];
        command.extend_from_slice(arguments);
        let (code, stdout, _) = kientruc_in(directory.path(), &command);
        assert_eq!(code, 2, "{arguments:?}: {stdout}");
        assert!(
            stdout.starts_with(&format!("{expected}\n")),
            "{arguments:?}: expected\n{expected}\nin\n{stdout}"
        );
    }
    // Valid patterns: an id, a prefix, a reference model in any case, the checker's own rules.
    let (code, stdout, _) = kientruc_in(
        directory.path(),
        &[
            "check",
            "ws",
            "--select",
            "SEC-001,GOV,srm,KT-WAIVER",
            "--ignore",
            "KT-WAIVER-UNUSED",
            "--format",
            "json",
        ],
    );
    assert_ne!(code, 2, "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    // `report` refuses the same typo before writing anything.
    let (code, _, stderr) = kientruc_in(
        directory.path(),
        &["report", "ws", "--out", "out", "--select", "SEC-04"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with("error[KT0302]: `--select SEC-04` selects no rule\n"),
        "{stderr}"
    );
    assert!(!directory.path().join("out").exists());
}

/// The checker's own rules are selected and ignored like the pack's: `--ignore
/// KT-WAIVER-UNUSED` (or the configuration's `ignore`) drops the unused-waiver findings.
#[test]
fn the_unused_waiver_finding_can_be_ignored_on_the_command_line_and_in_the_configuration() {
    // dvc has a security level: the waiver matches nothing.
    let model =
        format!("{MODEL}\nwaive T-PROP-001 on dvc until 2025-12-31 \"đang thẩm định cấp độ\"\n");
    let directory = workspace(&model);
    let check = |extra: &[&str]| {
        let mut arguments = vec![
            "check",
            "model",
            "--format",
            "json",
            "--today",
            "2025-01-01",
        ];
        arguments.extend_from_slice(extra);
        let (code, stdout, stderr) = kientruc_in(directory.path(), &arguments);
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["diagnostics"], serde_json::json!([]), "{stderr}");
        (code, findings(&json))
    };
    let unused = "KT-WAIVER-UNUSED dvc model/main.ea:33 waived=false".to_owned();
    let (code, all) = check(&["--fail-on", "warning", "--select", "T-PROP,KT"]);
    assert_eq!(code, 1);
    assert_eq!(
        all,
        vec![
            "T-PROP-001 qlvb model/main.ea:28 waived=false".to_owned(),
            unused.clone()
        ]
    );
    let (_, ignored) = check(&["--ignore", "KT-WAIVER-UNUSED"]);
    assert!(!ignored.contains(&unused), "{ignored:#?}");
    assert_eq!(ignored.len(), 3, "{ignored:#?}");

    std::fs::write(
        directory.path().join("kientruc.toml"),
        "ignore = [\"KT-WAIVER-UNUSED\"]\nfail-on = \"warning\"\n",
    )
    .unwrap();
    let (code, configured) = check(&["--select", "T-PROP,KT"]);
    assert_eq!(code, 1);
    assert_eq!(
        configured,
        vec!["T-PROP-001 qlvb model/main.ea:28 waived=false"]
    );
    // Without T-PROP-001's finding, only the (ignored) bookkeeping would remain: exit 0.
    let (code, configured) = check(&["--select", "T-REACH,KT"]);
    assert_eq!((code, configured), (0, Vec::<String>::new()));
}

/// The workspace root (`docs/language.md` §4.3) of a subfolder checked from above is the folder
/// holding the architecture header, so the subfolder's imports may reach the rest of the model
/// (the check itself is of the subfolder alone, without the header: other errors remain);
/// run from inside the subfolder, the header above the current folder is not searched for. Files
/// that the repository's `.gitignore` ignores are not checked.
#[test]
fn a_checked_subfolder_belongs_to_the_workspace_of_its_header() {
    let directory = workspace(MODEL);
    let model = directory.path().join("model");
    std::fs::create_dir(model.join("apps")).unwrap();
    std::fs::write(
        model.join("apps/apps.ea"),
        "import \"../main.ea\" as main\n",
    )
    .unwrap();
    let codes = |folder: &Path, path: &str| -> Vec<String> {
        let (_, stdout, stderr) = kientruc_in(folder, &["check", path, "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&stdout).expect(&stderr);
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|diagnostic| diagnostic["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let escaping_root = "KT0107".to_owned();
    assert!(!codes(directory.path(), "model/apps").contains(&escaping_root));
    assert!(codes(&model.join("apps"), ".").contains(&escaping_root));
    std::fs::create_dir(model.join("drafts")).unwrap();
    std::fs::write(model.join("drafts/broken.ea"), "system {\n").unwrap();
    assert_eq!(codes(directory.path(), "model"), ["KT0003"]);
    std::fs::create_dir(directory.path().join(".git")).unwrap();
    std::fs::write(directory.path().join(".gitignore"), "drafts/\n").unwrap();
    assert_eq!(codes(directory.path(), "model"), Vec::<String>::new());
}
