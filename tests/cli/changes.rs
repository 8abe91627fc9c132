//! The change report: `kientruc diff REV [PATHS]` and `kientruc report --since REV`, on a scratch
//! git repository holding the second province's model (`tests/models/tinh-mau`). The second
//! commit adds an element (`camera`), removes one (`mot_cua_cu`) and changes one (`bao_cao`: a
//! property changed, one added, a relation added), which fixes one finding and brings new ones. A
//! revision that cannot be read or does not analyse is an error (exit 2), never an empty model; a
//! path that did not exist at the revision makes everything new.

use crate::support::{kientruc_in, repository_root, run};
use serde_json::Value;
use std::path::Path;

const TODAY: &str = "--today=2025-01-01";

fn git(directory: &Path, arguments: &[&str]) {
    let (code, _, stderr) = run(directory, "git", arguments);
    assert_eq!(code, 0, "git {arguments:?}: {stderr}");
}

fn model() -> String {
    std::fs::read_to_string(repository_root().join("tests/models/tinh-mau/architecture.ea"))
        .unwrap()
}

/// The model after the change under review.
fn changed_model() -> String {
    let text = model();
    let start = text.find("system mot_cua_cu").unwrap();
    let end = text.find("data_centre ttdl").unwrap();
    let text = format!(
        "{}system camera \"Hệ thống camera giám sát của tỉnh\" {{\n  system_type sector\n  owner ubnd\n  hosted_in ttdl\n  status operational\n  exchanges_with -> ioc \"hình ảnh\" via lgsp\n}}\n\n{}",
        &text[..start],
        &text[end..]
    );
    let changed = text
        .replace(
            "system bao_cao \"Hệ thống thông tin báo cáo của tỉnh\" {\n  system_type reporting\n  owner ubnd\n",
            "system bao_cao \"Hệ thống thông tin báo cáo của tỉnh\" {\n  system_type sector\n  owner ubnd\n  security_level 3\n",
        )
        .replace(
            "  reads -> csdl_dung_chung\n}",
            "  reads -> csdl_dung_chung\n  exchanges_with -> ioc \"số liệu điều hành\" via lgsp\n}",
        );
    assert_eq!(changed.matches("security_level 3").count(), 1);
    assert!(changed.contains("\"số liệu điều hành\""));
    changed
}

/// A repository with the model committed twice (`HEAD~1`: as in tests/models, `HEAD`: changed),
/// and the JSON report of the first commit.
fn repository() -> (tempfile::TempDir, Value) {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path();
    std::fs::create_dir(path.join("model")).unwrap();
    std::fs::write(path.join("model/architecture.ea"), model()).unwrap();
    git(path, &["init", "-q", "-b", "main"]);
    git(path, &["config", "user.email", "ci@example.invalid"]);
    git(path, &["config", "user.name", "CI"]);
    git(path, &["add", "."]);
    git(path, &["commit", "-q", "-m", "v1.0"]);
    let before = report_json(path);
    std::fs::write(path.join("model/architecture.ea"), changed_model()).unwrap();
    git(path, &["commit", "-q", "-a", "-m", "camera"]);
    (directory, before)
}

/// The JSON report of the model as it is in the working tree.
fn report_json(directory: &Path) -> Value {
    let out = tempfile::tempdir().unwrap();
    let out_argument = out.path().to_str().unwrap();
    let (code, stdout, stderr) = kientruc_in(
        directory,
        &[
            "report",
            "model",
            "--out",
            out_argument,
            "--format",
            "json",
            TODAY,
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    serde_json::from_str(&std::fs::read_to_string(out.path().join("report.json")).unwrap()).unwrap()
}

fn diff_json(directory: &Path, arguments: &[&str]) -> Value {
    let mut all = vec!["diff"];
    all.extend_from_slice(arguments);
    all.extend_from_slice(&["--format", "json", TODAY]);
    let (code, stdout, stderr) = kientruc_in(directory, &all);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn strings(value: &Value, field: impl Fn(&Value) -> String) -> Vec<String> {
    value.as_array().unwrap().iter().map(field).collect()
}

fn rule_and_element(finding: &Value) -> String {
    format!(
        "{} {}",
        finding["rule"].as_str().unwrap(),
        finding["element"].as_str().unwrap_or("-")
    )
}

#[test]
fn diff_lists_the_elements_findings_and_scores_that_changed() {
    let (repository, before) = repository();
    let directory = repository.path();
    let changes = diff_json(directory, &["HEAD~1", "model"]);
    assert_eq!(changes["revision"], "HEAD~1");
    assert_eq!(changes["found_at_revision"], true);
    assert_eq!(changes["compared"], "workspace");
    let elements = &changes["elements"];
    let id = |element: &Value| element["id"].as_str().unwrap().to_owned();
    assert_eq!(strings(&elements["added"], id), ["camera"]);
    assert_eq!(strings(&elements["removed"], id), ["mot_cua_cu"]);
    assert_eq!(strings(&elements["changed"], id), ["bao_cao"]);
    let bao_cao = &elements["changed"][0];
    assert_eq!(
        strings(&bao_cao["properties"], |property| format!(
            "{} {} {} {} {}",
            property["name"],
            property["before"],
            property["after"],
            property["before_label"],
            property["after_label"]
        )),
        [
            "\"security_level\" null \"3\" null {\"en\":\"3\",\"vi\":\"3\"}",
            "\"system_type\" \"reporting\" \"sector\" {\"en\":\"Reporting\",\"vi\":\"Thông tin báo cáo\"} {\"en\":\"Sector-specific\",\"vi\":\"Chuyên ngành\"}"
        ]
    );
    assert_eq!(
        bao_cao["relations_added"],
        serde_json::json!([{
            "relation": "exchanges_with",
            "target": "ioc",
            "via": ["lgsp"],
            "label": "số liệu điều hành",
            "properties": [],
            "relation_name": { "vi": "kết nối, chia sẻ dữ liệu với", "en": "exchanges data with" }
        }])
    );
    assert_eq!(bao_cao["relations_removed"], serde_json::json!([]));
    assert_eq!(bao_cao["previous_name"], Value::Null);

    let findings = &changes["findings"];
    assert_eq!(
        strings(&findings["new"], rule_and_element),
        [
            "APP-001 camera",
            "GOV-005 camera",
            "INF-002 bao_cao",
            "SEC-001 camera",
            "SEC-001-DECISION camera",
            "SEC-004 bao_cao",
            "SEC-007 camera",
            "SEC-008 bao_cao",
        ]
    );
    assert_eq!(
        strings(&findings["fixed"], rule_and_element),
        ["SEC-001 bao_cao"]
    );
    assert_eq!(findings["waived"], serde_json::json!([]));
    // Still open: every finding of the first commit but the fixed one.
    assert_eq!(
        findings["still_open"].as_array().unwrap().len(),
        before["findings"].as_array().unwrap().len() - 1
    );

    // The scores are those of the reports of each commit.
    let after = report_json(directory);
    assert_eq!(changes["score"]["before"], before["score"]);
    assert_eq!(changes["score"]["after"], after["score"]);
    for (index, model) in changes["score"]["by_reference_model"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        assert_eq!(
            model["reference_model"],
            before["scorecard"][index]["reference_model"]
        );
        assert_eq!(model["before"], before["scorecard"][index]["score"]);
        assert_eq!(model["after"], after["scorecard"][index]["score"]);
    }
    assert_ne!(changes["score"]["before"], changes["score"]["after"]);

    // Identical input, identical output.
    assert_eq!(diff_json(directory, &["HEAD~1", "model"]), changes);
}

#[test]
fn diff_prints_plain_text_and_markdown_in_either_language() {
    let (repository, _) = repository();
    let directory = repository.path();
    let (code, stdout, stderr) = kientruc_in(directory, &["diff", "HEAD~1", "model", TODAY]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains('\u{1b}'), "no colour unless asked");
    for line in [
        "Thay đổi kể từ HEAD~1\n",
        "Chỉ so sánh các phần tử khai báo trong không gian làm việc; mô hình tham chiếu quốc gia được nhập không được so sánh.\n",
        "Phần tử: 1 thêm mới, 1 đã xóa, 1 thay đổi\n",
        "  + camera \"Hệ thống camera giám sát của tỉnh\" (Hệ thống thông tin)\n",
        "  - mot_cua_cu \"Hệ thống một cửa điện tử cũ\" (Hệ thống thông tin)\n",
        "  ~ bao_cao \"Hệ thống thông tin báo cáo của tỉnh\" (Hệ thống thông tin)\n      thuộc tính security_level: — → 3\n      thuộc tính system_type: Thông tin báo cáo → Chuyên ngành\n      + quan hệ: exchanges_with → ioc \"số liệu điều hành\" via lgsp\n",
        "Phát hiện: 8 mới, 1 đã khắc phục, 0 nay được miễn trừ, ",
        "  - lỗi SEC-001 bao_cao: ",
        "  + lỗi SEC-007 camera: ",
    ] {
        assert!(stdout.contains(line), "{line:?} in:\n{stdout}");
    }
    let (code, stdout, _) = kientruc_in(
        directory,
        &[
            "diff", "HEAD~1", "model", "--lang", "en", "--color", "always", TODAY,
        ],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Elements: 1 added, 1 removed, 1 changed"),
        "{stdout}"
    );
    assert!(stdout.contains("\u{1b}[32m+\u{1b}[0m camera"), "{stdout}");
    let (code, stdout, _) = kientruc_in(
        directory,
        &["diff", "HEAD~1", "model", "--format", "markdown", TODAY],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("## Thay đổi kể từ HEAD\\~1\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "| Thêm mới | `camera` Hệ thống camera giám sát của tỉnh | Hệ thống thông tin | |"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("| Đã khắc phục | Lỗi | `SEC-001` | `bao_cao` |"),
        "{stdout}"
    );
}

#[test]
fn report_since_writes_the_change_section() {
    let (repository, _) = repository();
    let directory = repository.path();
    let (code, stdout, stderr) = kientruc_in(
        directory,
        &[
            "report", "model", "--out", "out", "--since", "HEAD~1", "--lang", "vi", TODAY,
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let html = std::fs::read_to_string(directory.join("out/report.html")).unwrap();
    for expected in [
        "<h2 id=\"changes-title\">Thay đổi kể từ <code>HEAD~1</code></h2>",
        "<td>Thêm mới</td><td>Hệ thống camera giám sát của tỉnh<br><code>camera</code></td>",
        "<td>Đã xóa</td><td>Hệ thống một cửa điện tử cũ<br><code>mot_cua_cu</code></td>",
        "<td>Thay đổi</td><td>Hệ thống thông tin báo cáo của tỉnh<br><code>bao_cao</code></td>",
        "<li>Thuộc tính <code>system_type</code>: Thông tin báo cáo → Chuyên ngành</li>",
        "<li>+ quan hệ: kết nối, chia sẻ dữ liệu với <code>ioc</code> “số liệu điều hành” qua <code>lgsp</code></li>",
        "<td>Đã khắc phục</td><td><span class=\"badge sev-error\">Lỗi</span></td><td><code>SEC-001</code>",
    ] {
        assert!(html.contains(expected), "{expected:?} in report.html");
    }
    let markdown = std::fs::read_to_string(directory.join("out/report.md")).unwrap();
    for expected in [
        "### Thay đổi kể từ HEAD\\~1\n",
        "| Đã xóa | `mot_cua_cu` Hệ thống một cửa điện tử cũ | Hệ thống thông tin | |",
        "| Mới | Lỗi | `SEC-007` | `camera` |",
    ] {
        assert!(markdown.contains(expected), "{expected:?} in:\n{markdown}");
    }
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(directory.join("out/report.json")).unwrap())
            .unwrap();
    assert_eq!(json["changes"], diff_json(directory, &["HEAD~1", "model"]));
    // Without --since there is no section.
    let (code, _, _) = kientruc_in(directory, &["report", "model", "--out", "plain", TODAY]);
    assert_eq!(code, 0);
    let html = std::fs::read_to_string(directory.join("plain/report.html")).unwrap();
    assert!(!html.contains("changes-title"));
}

#[test]
fn an_unknown_revision_or_one_that_does_not_analyse_exits_2() {
    let (repository, _) = repository();
    let directory = repository.path();
    let (code, stdout, stderr) = kientruc_in(directory, &["diff", "khong-co", "model", TODAY]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: diff: unknown revision `khong-co` (in a shallow clone, fetch it first)\n"
    );
    let (code, _, stderr) = kientruc_in(
        directory,
        &[
            "report", "model", "--out", "out", "--since", "khong-co", TODAY,
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--since: unknown revision `khong-co`"),
        "{stderr}"
    );
    assert!(!directory.join("out").exists(), "nothing is written");

    // Commit a model that does not parse, then restore the good one in the working tree.
    let good = std::fs::read_to_string(directory.join("model/architecture.ea")).unwrap();
    std::fs::write(
        directory.join("model/architecture.ea"),
        format!("{good}\nsystem hong \"Hỏng\" {{\n  owner ubnd\n"),
    )
    .unwrap();
    git(directory, &["commit", "-q", "-a", "-m", "broken"]);
    std::fs::write(directory.join("model/architecture.ea"), &good).unwrap();
    let line = good.lines().count() + 2;
    for (arguments, option) in [
        (&["diff", "HEAD", "model", TODAY][..], "diff"),
        (
            &["report", "model", "--out", "out", "--since", "HEAD", TODAY][..],
            "--since",
        ),
        (&["check", "model", "--diff", "HEAD", TODAY][..], "--diff"),
    ] {
        let (code, _, stderr) = kientruc_in(directory, arguments);
        assert_eq!(code, 2, "{arguments:?}");
        assert_eq!(
            stderr,
            format!(
                "error: {option}: the workspace at `HEAD` does not analyse (1 error in its input), so it cannot be compared; the first: model/architecture.ea:{line}:20: KT0003: `{{` is never closed\n"
            ),
            "{arguments:?}"
        );
    }
    assert!(!directory.join("out").exists(), "nothing is written");

    // The workspace now must analyse too.
    std::fs::write(
        directory.join("model/architecture.ea"),
        format!("{good}\nsystem x \"X\" {{ owner khong_co }}\n"),
    )
    .unwrap();
    let (code, stdout, stderr) = kientruc_in(directory, &["diff", "HEAD~1", "model", TODAY]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("KT0206"), "{stderr}");
    assert!(
        stderr
            .ends_with("error: the workspace has 1 error in its input, so it cannot be compared\n"),
        "{stderr}"
    );

    // Outside a git repository.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("architecture.ea"), model()).unwrap();
    let (code, _, stderr) = kientruc_in(outside.path(), &["diff", "HEAD", ".", TODAY]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is not inside a git repository"),
        "{stderr}"
    );
}

#[test]
fn a_path_that_did_not_exist_at_the_revision_is_all_new() {
    let (repository, _) = repository();
    let directory = repository.path();
    std::fs::create_dir(directory.join("moi")).unwrap();
    std::fs::write(directory.join("moi/architecture.ea"), model()).unwrap();
    let changes = diff_json(directory, &["HEAD", "moi"]);
    assert_eq!(changes["found_at_revision"], false);
    assert_eq!(changes["elements"]["added"].as_array().unwrap().len(), 17);
    assert_eq!(changes["elements"]["removed"], serde_json::json!([]));
    assert_eq!(changes["findings"]["still_open"], serde_json::json!([]));
    assert_eq!(changes["score"]["before"], Value::Null);
    let (code, stdout, _) = kientruc_in(directory, &["diff", "HEAD", "moi", "--lang", "en", TODAY]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("The paths checked did not exist at this revision: every element and every finding counts as new.\n"),
        "{stdout}"
    );
}
