//! Hanoi's e-government architecture v3.0 (architecture/hanoi), end to end: it resolves without
//! errors; it is the size of the real thing; every component Plan 57 names is there by its
//! Vietnamese name; every layer of the metamodel is represented; the plan's tasks are roadmap
//! items linked to what they build; it passes with its committed waivers and baseline; and one
//! new violation fails the check with exactly that finding, under `--baseline` and `--diff`.

use std::path::PathBuf;
use std::process::Command;

use crate::support::kientruc_in;

fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const BASELINE: &str = "architecture/hanoi/.kientruc-baseline.json";

fn check_json(arguments: &[&str]) -> (i32, serde_json::Value) {
    let (code, stdout, stderr) = kientruc_in(&repository_root(), arguments);
    (
        code,
        serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("{error}: {stdout}{stderr}")),
    )
}

/// Every component the seed (Plan 57/KH-UBND summary) names, as written there.
const SEED_COMPONENTS: &[&str] = &[
    "Kế hoạch 57/KH-UBND",
    "công nghiệp công nghệ thông tin",
    "số hóa các ngành kinh tế",
    "quản trị số",
    "dữ liệu số",
    "Chính quyền số",
    "Kinh tế số",
    "Xã hội số",
    "khai thác, chia sẻ dữ liệu",
    "hạ tầng lưu trữ dữ liệu",
    "quản lý, vận hành các hệ thống thông tin",
    "Luật Giao dịch điện tử",
    "danh mục cơ sở dữ liệu Thành phố",
    "Mở dữ liệu",
    "Xây dựng thành phố Hà Nội thông minh đến năm 2025, định hướng đến năm 2030",
    "Trung tâm dữ liệu chính",
    "Trung tâm dữ liệu Nhà nước tại số 185 Giảng Võ",
    "Trung tâm điều hành thông minh",
    "camera giám sát tập trung",
    "doanh nghiệp công nghệ số",
    "khởi nghiệp",
    "khu công nghệ thông tin tập trung",
    "kỹ năng số",
    "dịch vụ công trực tuyến",
    "Y tế số",
    "Giáo dục số",
    "mạng xã hội",
    "Mua bán trực tuyến",
    "thanh toán điện tử",
    "an toàn thông tin",
];

#[test]
fn the_hanoi_model_is_complete_and_passes_with_its_waivers_and_baseline() {
    let (code, json) = check_json(&[
        "check",
        "architecture/hanoi",
        "--format",
        "json",
        "--baseline",
        BASELINE,
    ]);
    crate::support::assert_passes_with_signed_baseline(
        code,
        &json,
        &repository_root().join(BASELINE),
    );
    // No rule based on a 2025 document fires on the 2024 model, and GOV-008-CITES is silent.
    for finding in json["findings"].as_array().unwrap() {
        let rule = finding["rule"].as_str().unwrap();
        assert!(
            ![
                "DAT-004",
                "DAT-004-SYNC",
                "DAT-010",
                "DAT-012",
                "DAT-012-LAYER",
                "GOV-008-CITES"
            ]
            .contains(&rule),
            "{rule} fired on the 2024 model: {finding}"
        );
    }

    // Size: own elements and relations (the summary counts the architecture's own, and gives
    // the size of the imported national model apart).
    let elements = json["summary"]["elements"].as_u64().unwrap();
    let relations = json["summary"]["relations"].as_u64().unwrap();
    assert!(json["summary"]["national_elements"].as_u64().unwrap() >= 50);
    let files = std::fs::read_dir(repository_root().join("architecture/hanoi"))
        .unwrap()
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "ea"))
        .count();
    assert_eq!(json["summary"]["files"], files);
    assert!(elements >= 150, "{elements} elements");
    assert!(relations >= 250, "{relations} relations");
    assert!(files >= 6, "{files} files");

    let text: String = std::fs::read_dir(repository_root().join("architecture/hanoi"))
        .unwrap()
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "ea"))
        .map(|entry| std::fs::read_to_string(entry.path()).unwrap())
        .collect();
    let lower = text.to_lowercase();
    let missing: Vec<&&str> = SEED_COMPONENTS
        .iter()
        .filter(|name| {
            !lower.contains(&format!("\"{}", name.to_lowercase()))
                && !lower.contains(&format!(" {}", name.to_lowercase()))
        })
        .collect();
    assert!(missing.is_empty(), "seed components missing: {missing:?}");

    // Every layer: the GOV-002 rules (an element of each view) pass, so the per-layer rules ran clean.
    let findings = json["findings"].as_array().unwrap();
    for rule in [
        "GOV-002-BRM",
        "GOV-002-DRM",
        "GOV-002-ARM",
        "GOV-002-TRM",
        "GOV-002-SRM",
    ] {
        assert!(
            !findings.iter().any(|finding| finding["rule"] == rule),
            "{rule}"
        );
    }
    for kind in [
        "agency ",
        "user_group ",
        "channel ",
        "public_service ",
        "database ",
        "system ",
        "platform ",
        "data_centre ",
        "network ",
        "security_service ",
        "security_plan ",
        "plan ",
        "regulation ",
        "roadmap_item ",
    ] {
        assert!(
            text.contains(&format!("\n{kind}")) || text.contains(&format!("  {kind}")),
            "no `{kind}` element"
        );
    }
    // Roadmap: Plan 57's tasks are roadmap items with target dates, implementing elements.
    let roadmap =
        std::fs::read_to_string(repository_root().join("architecture/hanoi/roadmap.ea")).unwrap();
    assert!(roadmap.matches("\nroadmap_item ").count() >= 20);
    assert!(roadmap.matches("target_date ").count() >= 20);
    assert!(roadmap.matches("implements ").count() >= 20);
    // The header states the model's date.
    assert!(text.contains("as_of 2024-12-31"));
}

/// A copy of the Hanoi model in a temporary git repository (outside this repository, so the
/// framework pack embedded in the binary is used).
fn hanoi_repository() -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("hanoi");
    std::fs::create_dir(&target).unwrap();
    copy_folder(&repository_root().join("architecture/hanoi"), &target);
    for arguments in [
        &["init", "-q", "-b", "main"][..],
        &["config", "user.email", "ci@example.invalid"],
        &["config", "user.name", "CI"],
        &["add", "."],
        &["commit", "-q", "-m", "hanoi"],
    ] {
        let status = Command::new("git")
            .args(arguments)
            .current_dir(directory.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
    directory
}

/// Copies a folder with its subfolders (the Hanoi overlay's rules and fixtures).
fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn new_findings(stdout: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(stdout).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["waived"] == false && finding["baselined"] == false)
        .map(|finding| {
            format!(
                "{} {} {}:{}",
                finding["rule"].as_str().unwrap(),
                finding["element"].as_str().unwrap(),
                finding["file"].as_str().unwrap(),
                finding["line"]
            )
        })
        .collect()
}

#[test]
fn one_new_violation_in_the_hanoi_model_fails_with_exactly_that_finding() {
    let repository = hanoi_repository();
    let directory = repository.path();
    let (code, _, stderr) = kientruc_in(
        directory,
        &[
            "check",
            "hanoi",
            "--baseline",
            "hanoi/.kientruc-baseline.json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    // The city e-portal loses its SOC monitoring.
    let path = directory.join("hanoi/applications.ea");
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = text.replacen("  monitored_by -> soc_hn { coverage continuous }\n", "", 1);
    assert_ne!(text, changed);
    std::fs::write(&path, changed).unwrap();
    for arguments in [
        &[
            "check",
            "hanoi",
            "--format",
            "json",
            "--baseline",
            "hanoi/.kientruc-baseline.json",
        ][..],
        &["check", "hanoi", "--format", "json", "--diff", "HEAD"][..],
    ] {
        let (code, stdout, stderr) = kientruc_in(directory, arguments);
        assert_eq!(code, 1, "{arguments:?}: {stderr}");
        assert_eq!(
            new_findings(&stdout),
            vec!["SEC-007 cong_ttdt_hn hanoi/applications.ea:11"],
            "{arguments:?}"
        );
    }
    // A pure reformatting passes.
    std::fs::write(&path, text).unwrap();
    let (code, _, _) = kientruc_in(directory, &["fmt", "hanoi"]);
    assert_eq!(code, 0);
    let (code, _, _) = kientruc_in(directory, &["check", "hanoi", "--diff", "HEAD"]);
    assert_eq!(code, 0);
}

/// The report a reviewer signs states the model's status (no adopting decision: a reference
/// model) and, for each finding the baseline accepts, its reason, responsible agency and review
/// date.
#[test]
fn the_hanoi_report_shows_the_model_status_and_why_findings_are_accepted() {
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("report");
    let (code, _, stderr) = kientruc_in(
        &repository_root(),
        &[
            "report",
            "architecture/hanoi",
            "--out",
            out.to_str().unwrap(),
            "--format",
            "html,md,json,sarif",
            "--baseline",
            BASELINE,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        markdown
            .contains("Tình trạng mô hình: mô hình tham khảo, chưa được UBND Thành phố phê duyệt"),
        "{}",
        &markdown[..500.min(markdown.len())]
    );
    assert!(markdown.contains("Ngày của mô hình: 31/12/2024"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Lý do chấp nhận: "));
    assert!(html.contains("Cơ quan chịu trách nhiệm: "));
    // Tera escapes `/` in HTML text as `&#x2F;`.
    assert!(html.contains("Ngày rà soát: 31&#x2F;03&#x2F;2027"));
    // SARIF: a context region is a proper superset of its region (SARIF1008), so a result on
    // whole lines (the header of GOV-001, a waiver line) has none.
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.sarif")).unwrap()).unwrap();
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        let (region, context) = (&location["region"], &location["contextRegion"]);
        if !context.is_null() {
            let same = ["startLine", "startColumn", "endLine", "endColumn"]
                .iter()
                .all(|key| region[key] == context[key]);
            assert!(!same, "context region equal to the region: {result}");
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let accepted: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["status"] == "baselined")
        .collect();
    assert!(!accepted.is_empty());
    for finding in accepted {
        let acceptance = &finding["acceptance"];
        assert!(
            acceptance["reason"]
                .as_str()
                .is_some_and(|reason| !reason.is_empty()),
            "{finding}"
        );
        assert!(acceptance["owner_name"].as_str().is_some(), "{finding}");
    }
}
