//! Gating architecture changes: `--diff REV` and `--baseline` on temporary git repositories.
//! A change that adds one violation fails with exactly that finding; a pure reformatting (and
//! moving declarations between files) passes; baselines shrink on fix; bad input exits 2;
//! GitHub annotations point at the right file and line.

use std::path::Path;

use crate::support::{kientruc, kientruc_in, run, write_rules_pack};

fn git(directory: &Path, arguments: &[&str]) {
    let (code, _, stderr) = run(directory, "git", arguments);
    assert_eq!(code, 0, "git {arguments:?}: {stderr}");
}

const HEADER: &str =
    "architecture hn \"Hà Nội\" {\n  framework \"rulespack\"\n  version \"3.0\"\n}\n";
const AGENCIES: &str = "agency ubnd \"UBND\" {\n  level province\n}\n\nplatform lgsp \"LGSP\" {\n  owner ubnd\n  platform_type lgsp\n}\n\ndata_centre ttdl \"TTDL\" {}\n";
const SYSTEMS: &str = "system dvc \"DVC\" {\n  owner ubnd\n  security_level 3\n  hosted_on -> ttdl\n}\n\nsystem qlvb \"QLVB\" {\n  owner ubnd\n  hosted_on -> ttdl\n}\n";

/// A git repository with the test pack and a two-file model that has one known finding
/// (T-PROP-001 on qlvb), committed.
fn repository() -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    write_rules_pack(directory.path());
    std::fs::create_dir(directory.path().join("model")).unwrap();
    std::fs::write(
        directory.path().join("model/main.ea"),
        format!("{HEADER}\n{AGENCIES}"),
    )
    .unwrap();
    std::fs::write(directory.path().join("model/systems.ea"), SYSTEMS).unwrap();
    git(directory.path(), &["init", "-q", "-b", "main"]);
    git(
        directory.path(),
        &["config", "user.email", "ci@example.invalid"],
    );
    git(directory.path(), &["config", "user.name", "CI"]);
    git(directory.path(), &["add", "."]);
    git(directory.path(), &["commit", "-q", "-m", "model"]);
    directory
}

fn failing(stdout: &str) -> Vec<String> {
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

const TODAY: &str = "--today=2025-01-01";

#[test]
fn diff_fails_on_exactly_the_introduced_finding_and_passes_once_fixed() {
    let repository = repository();
    let directory = repository.path();
    let (code, stdout, stderr) = kientruc_in(
        directory,
        &[
            "check", "model", "--diff", "HEAD", "--format", "json", TODAY,
        ],
    );
    assert_eq!(
        code, 0,
        "the known finding exists at HEAD too: {stdout}{stderr}"
    );
    assert_eq!(failing(&stdout), Vec::<String>::new());

    // Add a violation: a new system without a security level.
    let systems =
        format!("{SYSTEMS}\nsystem camera \"Camera\" {{\n  owner ubnd\n  hosted_on -> ttdl\n}}\n");
    std::fs::write(directory.join("model/systems.ea"), &systems).unwrap();
    let (code, stdout, _) = kientruc_in(
        directory,
        &[
            "check", "model", "--diff", "HEAD", "--format", "json", TODAY,
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        failing(&stdout),
        vec!["T-PROP-001 camera model/systems.ea:12"]
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["diff"]["introduced"], 1);
    assert_eq!(json["diff"]["preexisting"], 1);

    // The GitHub annotation points at the file and line.
    let (_, stdout, _) = kientruc_in(
        directory,
        &[
            "check", "model", "--diff", "HEAD", "--format", "github", TODAY,
        ],
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with(
            "::error file=model/systems.ea,line=12,col=8,endLine=12,endColumn=14,title=T-PROP-001::"
        ),
        "{stdout}"
    );

    // Fix it: the known finding of HEAD is gone too, so it is reported as resolved.
    let fixed = systems
        .replace(
            "system qlvb \"QLVB\" {\n  owner ubnd\n",
            "system qlvb \"QLVB\" {\n  owner ubnd\n  security_level 2\n",
        )
        .replace(
            "system camera \"Camera\" {\n  owner ubnd\n",
            "system camera \"Camera\" {\n  owner ubnd\n  security_level 2\n",
        );
    std::fs::write(directory.join("model/systems.ea"), fixed).unwrap();
    let (code, stdout, _) = kientruc_in(
        directory,
        &[
            "check", "model", "--diff", "HEAD", "--format", "json", TODAY,
        ],
    );
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["diff"]["resolved"][0]["rule"], "T-PROP-001");
    assert_eq!(json["diff"]["resolved"][0]["element"], "qlvb");
}

#[test]
fn reformatting_and_moving_declarations_introduce_nothing() {
    let repository = repository();
    let directory = repository.path();
    let (code, _, _) = kientruc_in(
        directory,
        &["baseline", "model", "-o", "baseline.json", TODAY],
    );
    assert_eq!(code, 0);
    // Move qlvb into main.ea, reorder, and lay everything out differently.
    let main = format!(
        "{HEADER}\n\n\n// hệ thống chuyển sang đây\nsystem   qlvb \"QLVB\" {{ owner ubnd\n hosted_on->ttdl }}\n\n{AGENCIES}"
    );
    std::fs::write(directory.join("model/main.ea"), main).unwrap();
    std::fs::write(
        directory.join("model/systems.ea"),
        "system dvc \"DVC\" { owner ubnd security_level 3 hosted_on -> ttdl }\n",
    )
    .unwrap();
    let (code, stdout, stderr) = kientruc_in(
        directory,
        &[
            "check",
            "model",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
            TODAY,
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(failing(&stdout), Vec::<String>::new());
    let (code, stdout, _) = kientruc_in(
        directory,
        &[
            "check", "model", "--diff", "HEAD", "--format", "json", TODAY,
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(failing(&stdout), Vec::<String>::new());
    // And `fmt` makes it canonical again without changing any finding.
    let (code, _, _) = kientruc_in(directory, &["fmt", "model"]);
    assert_eq!(code, 0);
    let (code, _, _) = kientruc_in(
        directory,
        &["check", "model", "--baseline", "baseline.json", TODAY],
    );
    assert_eq!(code, 0);
}

#[test]
fn baseline_accepts_known_findings_fails_new_ones_and_shrinks_on_fix() {
    let repository = repository();
    let directory = repository.path();
    std::fs::write(
        directory.join("model/more.ea"),
        "system camera \"Camera\" {\n  owner ubnd\n  hosted_on -> ttdl\n}\n",
    )
    .unwrap();
    let (code, stdout, _) = kientruc_in(
        directory,
        &[
            "baseline",
            "model",
            "-o",
            "baseline.json",
            "--reason",
            "hiện trạng 2024",
            TODAY,
        ],
    );
    assert_eq!(code, 0);
    // In Vietnamese, the default language.
    assert_eq!(stdout, "đã ghi baseline.json với 2 phát hiện\n");
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(directory.join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["findings"][0]["reason"], "hiện trạng 2024");
    let (code, _, _) = kientruc_in(
        directory,
        &["check", "model", "--baseline", "baseline.json", TODAY],
    );
    assert_eq!(code, 0);

    // A new violation fails even with the baseline.
    std::fs::write(
        directory.join("model/new.ea"),
        "system iot \"IoT\" {\n  owner ubnd\n  hosted_on -> ttdl\n}\n",
    )
    .unwrap();
    let (code, stdout, _) = kientruc_in(
        directory,
        &[
            "check",
            "model",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
            TODAY,
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(failing(&stdout), vec!["T-PROP-001 iot model/new.ea:1"]);
    std::fs::remove_file(directory.join("model/new.ea")).unwrap();

    // Fix camera: the entry is reported as fixed, and --update-baseline removes it.
    std::fs::write(
        directory.join("model/more.ea"),
        "system camera \"Camera\" {\n  owner ubnd\n  security_level 2\n  hosted_on -> ttdl\n}\n",
    )
    .unwrap();
    // In English on request: the lines about the baseline and the check too.
    let (code, stdout, _) = kientruc_in(
        directory,
        &[
            "check",
            "model",
            "--baseline",
            "baseline.json",
            "--lang",
            "en",
            TODAY,
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "baseline baseline.json: 1 finding accepted, 0 new\n1 baseline entry no longer occurs (run with --update-baseline to remove them):\n  fixed: T-PROP-001 camera\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("\nchecked 3 files: "), "{stdout}");
    let (code, stdout, _) = kientruc_in(
        directory,
        &[
            "check",
            "model",
            "--baseline",
            "baseline.json",
            "--update-baseline",
            TODAY,
            "--color",
            "never",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "1 mục của đường cơ sở không còn xảy ra (đã xóa khỏi đường cơ sở):\n  đã khắc phục: T-PROP-001 camera\n"
        ),
        "{stdout}"
    );
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(directory.join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["findings"].as_array().unwrap().len(), 1);
    assert_eq!(baseline["findings"][0]["element"], "qlvb");
}

#[test]
fn bad_baselines_revisions_and_folders_exit_2_with_a_clear_message() {
    let repository = repository();
    let directory = repository.path();
    std::fs::write(
        directory.join("broken.json"),
        "{ \"version\": 1, \"framework\": \"rulespack\", \"findings\": [ }",
    )
    .unwrap();
    let (code, _, stderr) = kientruc_in(
        directory,
        &["check", "model", "--baseline", "broken.json", TODAY],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: baseline broken.json: line 1, column"),
        "{stderr}"
    );
    std::fs::write(
        directory.join("unknown.json"),
        "{ \"version\": 1, \"framework\": \"rulespack\", \"findings\": [ { \"rule\": \"NOPE-001\", \"element\": \"x\", \"fingerprint\": \"0123456789abcdef\", \"message\": \"m\" } ] }",
    )
    .unwrap();
    let (code, _, stderr) = kientruc_in(
        directory,
        &["check", "model", "--baseline", "unknown.json", TODAY],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("names unknown rule `NOPE-001`"), "{stderr}");
    let (code, _, stderr) = kientruc_in(
        directory,
        &["check", "model", "--diff", "khong-co-nhanh-nay", TODAY],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown revision `khong-co-nhanh-nay`"),
        "{stderr}"
    );
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("main.ea"),
        format!("{HEADER}\n{AGENCIES}"),
    )
    .unwrap();
    let (code, _, stderr) = kientruc_in(outside.path(), &["check", ".", "--diff", "HEAD", TODAY]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is not inside a git repository"),
        "{stderr}"
    );
}

#[test]
fn exit_zero_never_fails_on_findings() {
    let repository = repository();
    let (code, _, _) = kientruc_in(repository.path(), &["check", "model", TODAY]);
    assert_eq!(code, 1);
    let (code, _, _) = kientruc_in(repository.path(), &["check", "model", "--exit-zero", TODAY]);
    assert_eq!(code, 0);
}

#[test]
fn several_outputs_at_once_and_the_github_step_summary() {
    let repository = repository();
    let directory = repository.path();
    let summary = directory.join("step-summary.md");
    std::fs::write(&summary, "# earlier step\n").unwrap();
    let output = kientruc()
        .args([
            "check",
            "model",
            "--format",
            "github",
            TODAY,
            "--output",
            "sarif=out/k.sarif",
            "--output",
            "junit=out/k.junit.xml",
            "--output",
            "json=out/k.json",
        ])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .current_dir(directory)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("::error file=model/systems.ea,line=7,"),
        "{stdout}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(directory.join("out/k.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        std::fs::read_to_string(directory.join("out/k.junit.xml"))
            .unwrap()
            .starts_with("<?xml")
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(directory.join("out/k.json")).unwrap())
            .unwrap();
    assert_eq!(json["findings"][0]["rule"], "T-PROP-001");
    let summary_text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        summary_text.starts_with("# earlier step\n"),
        "the summary is appended to"
    );
    assert!(summary_text.contains("T-PROP-001"), "{summary_text}");

    let (code, _, stderr) = kientruc_in(directory, &["check", "model", "--output", "pdf=x.pdf"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown format `pdf`"), "{stderr}");
}
