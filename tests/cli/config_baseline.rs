//! `baseline = "PATH"` in `kientruc.toml`: `kientruc baseline` writes there by default, a plain
//! `check` and `report` apply it, `--baseline FILE` still wins, a path outside the workspace is
//! KT0302 at its place, and a missing file is an error (exit 2) naming it; `exclude` and
//! `--config FILE`.

use std::path::Path;

use crate::support::{kientruc_in, write_rules_pack};

const TODAY: &str = "--today=2025-01-01";

/// A configured workspace with the test pack and a model with two known findings
/// (T-CARD-001 on the architecture, T-PROP-001 on qlvb); `config` is its `kientruc.toml`.
fn workspace(config: &str) -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    write_rules_pack(directory.path());
    std::fs::create_dir(directory.path().join("model")).unwrap();
    std::fs::write(
        directory.path().join("model/main.ea"),
        "architecture hn \"Hà Nội\" {\n  framework \"rulespack\"\n  version \"3.0\"\n}\n\n\
         agency ubnd \"UBND\" {\n  level province\n}\n\ndata_centre ttdl \"TTDL\" {}\n\n\
         system qlvb \"QLVB\" {\n  owner ubnd\n  hosted_on -> ttdl\n}\n",
    )
    .unwrap();
    std::fs::write(directory.path().join("kientruc.toml"), config).unwrap();
    directory
}

/// The `status` of each finding of the JSON report.
fn statuses(report: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(report).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["status"].as_str().unwrap().to_owned())
        .collect()
}

/// Whether each finding of `check --format json` is accepted by the baseline.
fn baselined(stdout: &str) -> Vec<bool> {
    let json: serde_json::Value = serde_json::from_str(stdout).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["baselined"].as_bool().unwrap())
        .collect()
}

#[test]
fn baseline_then_check_exits_0_with_the_configured_file() {
    let workspace = workspace("baseline = \"ci/accepted.json\"\n");
    let directory = workspace.path();
    std::fs::create_dir(directory.join("ci")).unwrap();

    let (code, stdout, stderr) = kientruc_in(directory, &["baseline", TODAY]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(stdout, "đã ghi ci/accepted.json với 2 phát hiện\n");
    assert!(directory.join("ci/accepted.json").is_file());
    assert!(!directory.join(".kientruc-baseline.json").exists());

    let (code, stdout, stderr) = kientruc_in(directory, &["check", TODAY]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        stdout.lines().next().unwrap(),
        "đường cơ sở ci/accepted.json: đã chấp nhận 2 phát hiện, 0 phát hiện mới"
    );
    let (code, stdout, _) = kientruc_in(directory, &["check", "--format", "json", TODAY]);
    assert_eq!((code, baselined(&stdout)), (0, vec![true, true]));

    // From a subfolder the workspace (and its baseline) is the same.
    let (code, stdout, stderr) = kientruc_in(&directory.join("model"), &["check", TODAY]);
    assert_eq!(code, 0, "{stdout}{stderr}");

    // `report` applies it too: both findings accepted in the JSON report.
    let (code, stdout, stderr) = kientruc_in(
        directory,
        &["report", "--out", "out", "--format", "json", TODAY],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let report = std::fs::read_to_string(directory.join("out/report.json")).unwrap();
    assert_eq!(statuses(&report), ["baselined", "baselined"]);

    // A new violation still fails.
    std::fs::write(
        directory.join("model/more.ea"),
        "system camera \"Camera\" {\n  owner ubnd\n  hosted_on -> ttdl\n}\n",
    )
    .unwrap();
    let (code, stdout, _) = kientruc_in(directory, &["check", "--format", "json", TODAY]);
    assert_eq!((code, baselined(&stdout)), (1, vec![true, true, false]));
}

#[test]
fn without_the_key_check_ignores_the_default_file() {
    let workspace = workspace("");
    let directory = workspace.path();
    let (code, stdout, _) = kientruc_in(directory, &["baseline", TODAY]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "đã ghi .kientruc-baseline.json với 2 phát hiện\n");
    let (code, _, _) = kientruc_in(directory, &["check", TODAY]);
    assert_eq!(
        code, 1,
        "only a configured baseline is applied without --baseline"
    );
}

#[test]
fn the_option_overrides_the_configured_baseline() {
    let workspace = workspace("baseline = \"accepted.json\"\n");
    let directory = workspace.path();
    let (code, _, stderr) = kientruc_in(directory, &["baseline", "-o", "other.json", TODAY]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(!directory.join("accepted.json").exists());

    // The configured file is missing, but `--baseline` names another: it alone is read.
    let (code, stdout, stderr) =
        kientruc_in(directory, &["check", "--baseline", "other.json", TODAY]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        stdout.lines().next().unwrap(),
        "đường cơ sở other.json: đã chấp nhận 2 phát hiện, 0 phát hiện mới"
    );

    // And an empty baseline given on the command line accepts nothing, whatever is configured.
    let mut empty: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(directory.join("other.json")).unwrap())
            .unwrap();
    empty["findings"] = serde_json::json!([]);
    std::fs::write(directory.join("empty.json"), empty.to_string()).unwrap();
    let (code, stdout, stderr) = kientruc_in(
        directory,
        &[
            "check",
            "--baseline",
            "empty.json",
            "--format",
            "json",
            TODAY,
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(baselined(&stdout), vec![false, false]);
}

#[test]
fn a_path_outside_the_workspace_is_kt0302_at_its_place() {
    for written in [
        "../accepted.json",
        "ci/../../accepted.json",
        "/tmp/accepted.json",
    ] {
        let workspace = workspace(&format!("fail-on = \"error\"\nbaseline = \"{written}\"\n"));
        let directory = workspace.path();
        // The check's diagnostics (and the configuration's) are on stdout.
        let (code, stdout, _) = kientruc_in(directory, &["check", TODAY]);
        assert_eq!(code, 2, "{stdout}");
        assert!(
            stdout.contains(&format!(
                "error[KT0302]: `{written}` is not a file inside the workspace\n  ┌─ kientruc.toml:2:12\n"
            )),
            "{stdout}"
        );
        assert!(
            stdout.contains(
                "help: write the baseline's path relative to kientruc.toml, inside its folder"
            ),
            "{stdout}"
        );
        // `kientruc baseline` refuses to write anywhere.
        let (code, _, stderr) = kientruc_in(directory, &["baseline", TODAY]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("error[KT0302]"), "{stderr}");
        assert!(!directory.join(".kientruc-baseline.json").exists());
        assert!(!Path::new(directory).join("../accepted.json").exists());
    }
}

#[test]
fn a_missing_configured_baseline_is_an_error_naming_it() {
    let workspace = workspace("baseline = \"accepted.json\"\n");
    let directory = workspace.path();
    let expected = "error: baseline accepted.json (named by `baseline` in kientruc.toml) does \
                    not exist; run `kientruc baseline` to record the current findings there\n";
    let (code, stdout, stderr) = kientruc_in(directory, &["check", TODAY]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (2, "", expected));
    let (code, _, stderr) = kientruc_in(
        directory,
        &["report", "--out", "out", "--format", "json", TODAY],
    );
    assert_eq!((code, stderr.as_str()), (2, expected));
    assert!(!directory.join("out/report.json").exists());
}

/// `exclude` keeps paths out of the walk (`.gitignore` syntax, relative to kientruc.toml), but a
/// file named on the command line is still read; a pattern that cannot work is KT0302.
#[test]
fn exclude_keeps_paths_out_of_the_walk() {
    let directory = workspace("exclude = [\"drafts/\", \"model/**/*.old.ea\"]\n");
    std::fs::create_dir(directory.path().join("drafts")).unwrap();
    std::fs::write(directory.path().join("drafts/nhap.ea"), "system x {\n").unwrap();
    std::fs::write(directory.path().join("model/cu.old.ea"), "system y {\n").unwrap();
    let (code, stdout, stderr) =
        kientruc_in(directory.path(), &["check", TODAY, "--format", "concise"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "model/main.ea:1:1: error[T-CARD-001] Có 0 LGSP\n\
         model/main.ea:12:8: error[T-PROP-001] Hệ thống QLVB (qlvb) chưa có security_level\n"
    );
    // Named on the command line, an excluded file is read (and its syntax error reported).
    let (code, stdout, _) = kientruc_in(
        directory.path(),
        &["check", TODAY, "--format", "concise", "drafts/nhap.ea"],
    );
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.starts_with("drafts/nhap.ea:"), "{stdout}");
    // A negation cannot re-include anything: KT0302 at the value.
    std::fs::write(
        directory.path().join("kientruc.toml"),
        "exclude = [\"!model/\"]\n",
    )
    .unwrap();
    let (code, stdout, _) = kientruc_in(directory.path(), &["check", TODAY, "model"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains(
            "error[KT0302]: `!model/` is not an exclude pattern: exclude patterns cannot \
             re-include (!)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("kientruc.toml:1:12"), "{stdout}");
}

/// `--config FILE` replaces the workspace's kientruc.toml; its baseline counts from its folder.
#[test]
fn config_names_another_configuration_file() {
    let directory = workspace("fail-on = \"info\"\n");
    std::fs::create_dir(directory.path().join("ci")).unwrap();
    std::fs::write(
        directory.path().join("ci/lenient.toml"),
        "ignore = [\"T-CARD\"]\nbaseline = \"accepted.json\"\n",
    )
    .unwrap();
    let config = ["--config", "ci/lenient.toml"];
    // The configured baseline does not exist yet: exit 2, named relative to ci/.
    let (code, _, stderr) =
        kientruc_in(directory.path(), &[&config[..], &["check", TODAY]].concat());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("baseline ci/accepted.json"), "{stderr}");
    // kientruc baseline writes there, after which the check passes.
    let (code, stdout, stderr) = kientruc_in(
        directory.path(),
        &[&config[..], &["baseline", TODAY]].concat(),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(directory.path().join("ci/accepted.json").is_file());
    let (code, stdout, stderr) = kientruc_in(
        directory.path(),
        &[&config[..], &["check", TODAY, "--format", "concise"]].concat(),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout, "");
    // Without --config the workspace's own configuration applies again (T-CARD-001 runs).
    let (code, stdout, _) = kientruc_in(directory.path(), &["check", TODAY, "--format", "concise"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("T-CARD-001"), "{stdout}");
    let (code, _, stderr) = kientruc_in(
        directory.path(),
        &["--config", "ci/missing.toml", "check", TODAY],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--config: cannot read ci/missing.toml"),
        "{stderr}"
    );
}
