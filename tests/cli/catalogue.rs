//! The bad-input catalogue: every folder under `tests/catalogue/` is a workspace with an
//! `expected` file: the exit code of `kientruc check`, then one `CODE file:line:column` line per
//! diagnostic, in output order. The rendered human output of each case is an insta snapshot.
//! Cases too large or too odd to commit (10 MB files, 10,000 levels of nesting, link loops) are
//! generated below. `KIENTRUC_BLESS=1 INSTA_UPDATE=always cargo test --test cli catalogue::`
//! rewrites the `expected` files and the snapshots (under `tests/snapshots/catalogue/`), to review.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::support::{copy_mini_pack, kientruc};

struct Outcome {
    exit: i32,
    diagnostics: Vec<String>,
    json: serde_json::Value,
}

/// The absolute paths no output may contain: files are named relative to where the tool runs
/// (the repository's folder and the temporary folder, as written and as the system resolves
/// them).
fn absolute_folders() -> Vec<String> {
    let mut folders = Vec::new();
    for folder in [
        PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        std::env::temp_dir(),
    ] {
        let canonical = std::fs::canonicalize(&folder).unwrap_or_else(|_| folder.clone());
        for path in [folder, canonical] {
            let text = path.to_string_lossy().trim_end_matches('/').to_owned();
            if !folders.contains(&text) {
                folders.push(text);
            }
        }
    }
    folders
}

fn assert_no_absolute_path(directory: &Path, output: &str) {
    for folder in absolute_folders() {
        assert!(
            !output.contains(&folder),
            "{}: the output names the absolute path {folder}:\n{output}",
            directory.display()
        );
    }
}

fn check_json(directory: &Path) -> Outcome {
    let output = kientruc()
        .args(["check", ".", "--format", "json"])
        .current_dir(directory)
        .output()
        .expect("runs kientruc");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert_no_absolute_path(directory, &stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|error| {
        panic!(
            "{}: not JSON ({error}): {stdout}\n{}",
            directory.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let diagnostics = json["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|diagnostic| match diagnostic["file"].as_str() {
            Some(file) => format!(
                "{} {file}:{}:{}",
                diagnostic["code"].as_str().unwrap(),
                diagnostic["line"],
                diagnostic["column"]
            ),
            None => diagnostic["code"].as_str().unwrap().to_owned(),
        })
        .collect();
    Outcome {
        exit: output.status.code().expect("exit code"),
        diagnostics,
        json,
    }
}

fn check_human(directory: &Path) -> String {
    let output = kientruc()
        .args(["check", ".", "--color", "never"])
        .current_dir(directory)
        .output()
        .expect("runs kientruc");
    assert!(
        output.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    assert_no_absolute_path(directory, &stdout);
    stdout
}

fn catalogue_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/catalogue")
}

#[test]
fn every_catalogue_case_reports_exactly_the_expected_diagnostics() {
    let bless = std::env::var_os("KIENTRUC_BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(catalogue_root())
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "the catalogue has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let outcome = check_json(case);
        let mut actual = format!("exit {}\n", outcome.exit);
        for line in &outcome.diagnostics {
            actual.push_str(line);
            actual.push('\n');
        }
        let expected_path = case.join("expected");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        assert_no_absolute_path(case, &expected);
        if expected != actual {
            failures.push(format!(
                "{name}:\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
        // Every error has a code, a message, and (except "no files" and "too many files") a location.
        for diagnostic in outcome.json["diagnostics"].as_array().unwrap() {
            assert!(!diagnostic["message"].as_str().unwrap().is_empty());
            if diagnostic["code"] != "KT0108" && diagnostic["code"] != "KT0114" {
                assert!(
                    diagnostic["line"].is_u64(),
                    "{name}: diagnostic without a line: {diagnostic}"
                );
            }
        }
        let human = check_human(case);
        insta::with_settings!({ snapshot_path => "../snapshots/catalogue", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, human);
        });
    }
    assert!(
        failures.is_empty(),
        "{} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A temporary workspace that uses the test framework pack.
fn temporary_workspace() -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    copy_mini_pack(directory.path());
    directory
}

const HEADER: &str = "architecture hn \"Hà Nội\" {\n  framework \"mini\"\n  version \"3.0\"\n}\n\nagency ubnd \"UBND\" {\n  level province\n}\n";

#[test]
fn a_ten_megabyte_file_is_checked() {
    let workspace = temporary_workspace();
    let mut text = String::from(HEADER);
    let mut count = 0;
    while text.len() < 10 * 1024 * 1024 {
        writeln!(text, "system he_thong_{count} \"Hệ thống số {count} của thành phố\" {{\n  owner ubnd\n  security_level 3\n}}").unwrap();
        count += 1;
    }
    std::fs::write(workspace.path().join("big.ea"), text).unwrap();
    let outcome = check_json(workspace.path());
    assert_eq!(outcome.exit, 0, "{:?}", outcome.diagnostics);
    assert_eq!(outcome.json["summary"]["elements"], count + 1);
}

#[test]
fn a_file_over_the_size_limit_is_refused_with_a_clear_error() {
    let workspace = temporary_workspace();
    std::fs::write(workspace.path().join("main.ea"), HEADER).unwrap();
    let mut huge = String::with_capacity(17 * 1024 * 1024);
    while huge.len() < 17 * 1024 * 1024 {
        huge.push_str("// filler line for a very large file\n");
    }
    std::fs::write(workspace.path().join("huge.ea"), huge).unwrap();
    let outcome = check_json(workspace.path());
    assert_eq!(outcome.exit, 2);
    assert_eq!(outcome.diagnostics, vec!["KT0104 huge.ea:1:1"]);
}

#[test]
fn ten_thousand_levels_of_nesting_give_a_clear_error_not_a_stack_overflow() {
    let workspace = temporary_workspace();
    let mut text = String::from(HEADER);
    text.push_str("system outer \"Ngoài\" {\n  owner ubnd\n");
    for level in 0..10_000 {
        writeln!(text, "component c{level} \"Tầng {level}\" {{").unwrap();
    }
    text.push_str(&"}\n".repeat(10_001));
    text.push_str("system after \"Sau\" {\n  owner ubnd\n}\n");
    std::fs::write(workspace.path().join("deep.ea"), text).unwrap();
    let outcome = check_json(workspace.path());
    assert_eq!(outcome.exit, 2);
    // Level 65 is the `{` of component c63 (the system is level 1, c0 level 2) on line 10 + 64.
    assert_eq!(outcome.diagnostics, vec!["KT0008 deep.ea:74:25"]);
    // The declaration after the deep one is still parsed and resolved.
    assert_eq!(outcome.json["summary"]["elements"], 2);

    let mut lists = String::from(HEADER);
    write!(
        lists,
        "system s \"S\" {{\n  owner ubnd\n  url {}{}\n}}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    )
    .unwrap();
    std::fs::write(workspace.path().join("deep.ea"), lists).unwrap();
    let outcome = check_json(workspace.path());
    assert_eq!(outcome.exit, 2);
    assert_eq!(outcome.diagnostics, vec!["KT0008 deep.ea:11:70"]);
}

#[test]
fn a_string_over_the_length_limit_is_an_error_and_the_rest_still_loads() {
    let workspace = temporary_workspace();
    let long = "Hà Nội ".repeat(7_200); // 72,000 bytes: over the 65,536-byte limit
    let text = format!(
        "{HEADER}system dai \"{long}\" {{\n  owner ubnd\n}}\n\nsystem ngan \"Ngắn\" {{\n  owner ubnd\n}}\n"
    );
    std::fs::write(workspace.path().join("long.ea"), text).unwrap();
    let outcome = check_json(workspace.path());
    assert_eq!(outcome.exit, 2);
    // The string starts after `system dai ` on the line after the header.
    assert_eq!(outcome.diagnostics, vec!["KT0011 long.ea:9:12"]);
    let diagnostic = &outcome.json["diagnostics"][0];
    assert_eq!(
        diagnostic["message"],
        "string of 72000 bytes; the limit is 65536"
    );
    // Both systems are still in the model: the limit reports, it does not cascade.
    assert_eq!(outcome.json["summary"]["elements"], 3);

    // Exactly at the limit is fine.
    let text = format!(
        "{HEADER}system dai \"{}\" {{\n  owner ubnd\n}}\n",
        "x".repeat(65_536)
    );
    std::fs::write(workspace.path().join("long.ea"), text).unwrap();
    let outcome = check_json(workspace.path());
    assert_eq!(outcome.exit, 0, "{:?}", outcome.diagnostics);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_in_the_workspace_terminates() {
    let workspace = temporary_workspace();
    std::fs::write(workspace.path().join("main.ea"), HEADER).unwrap();
    std::fs::create_dir(workspace.path().join("sub")).unwrap();
    std::os::unix::fs::symlink(workspace.path(), workspace.path().join("sub/loop")).unwrap();
    let outcome = check_json(workspace.path());
    assert_eq!(outcome.exit, 0, "{:?}", outcome.diagnostics);
    assert_eq!(outcome.json["summary"]["elements"], 1);
}

#[test]
fn a_path_that_does_not_exist_exits_2() {
    let output = kientruc()
        .args(["check", "khong-co/thu-muc-nay"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read khong-co/thu-muc-nay"));
}

#[test]
fn imports_chained_deeper_than_the_limit_are_refused() {
    let workspace = temporary_workspace();
    std::fs::write(
        workspace.path().join("main.ea"),
        format!("{HEADER}import \"chain/f0.ea\" as f0\n"),
    )
    .unwrap();
    std::fs::create_dir(workspace.path().join("chain")).unwrap();
    for index in 0..40 {
        std::fs::write(
            workspace.path().join(format!("chain/f{index}.ea")),
            format!("import \"f{}.ea\"\n", index + 1),
        )
        .unwrap();
    }
    std::fs::write(workspace.path().join("chain/f40.ea"), "").unwrap();
    // Checking only main.ea: the chain is reached through imports.
    let output = kientruc()
        .args(["check", "main.ea", "--format", "json"])
        .current_dir(workspace.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}",
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"]
            )
        })
        .collect();
    assert_eq!(codes, vec!["KT0113 chain/f31.ea:1"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn more_files_than_the_limit_are_refused() {
    let workspace = temporary_workspace();
    std::fs::write(workspace.path().join("main.ea"), HEADER).unwrap();
    std::fs::create_dir(workspace.path().join("many")).unwrap();
    for index in 0..20_000 {
        std::fs::write(workspace.path().join(format!("many/{index:05}.ea")), "").unwrap();
    }
    let outcome = check_json(workspace.path());
    assert_eq!(outcome.exit, 2);
    assert_eq!(outcome.diagnostics, vec!["KT0114"]);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported_with_its_name() {
    let workspace = temporary_workspace();
    std::fs::write(workspace.path().join("main.ea"), HEADER).unwrap();
    std::os::unix::fs::symlink(
        workspace.path().join("missing-target"),
        workspace.path().join("dangling.ea"),
    )
    .unwrap();
    let outcome = check_json(workspace.path());
    assert_eq!(outcome.exit, 2);
    assert_eq!(outcome.diagnostics, vec!["KT0101 dangling.ea:1:1"]);
    assert!(
        outcome.json["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read dangling.ea")
    );
}

/// Checking a subfolder of a workspace (the root is the folder holding kientruc.toml above it)
/// whose file imports from a sibling folder: the imported files lie outside the current folder,
/// and are named from it through `..` in every format, never by their absolute path.
#[test]
fn imported_files_outside_the_current_folder_are_not_named_by_absolute_paths() {
    let workspace = temporary_workspace();
    let root = workspace.path();
    std::fs::write(root.join("kientruc.toml"), "").unwrap();
    std::fs::create_dir(root.join("sub")).unwrap();
    std::fs::create_dir(root.join("shared")).unwrap();
    std::fs::write(
        root.join("sub/main.ea"),
        format!("{HEADER}import \"../shared/a.ea\"\n"),
    )
    .unwrap();
    std::fs::write(root.join("shared/a.ea"), "import \"b.ea\"\n").unwrap();
    std::fs::write(
        root.join("shared/b.ea"),
        "import \"a.ea\"\nimport \"khong-co.ea\"\n",
    )
    .unwrap();
    let directory = root.join("sub");
    let outcome = check_json(&directory);
    assert_eq!(outcome.exit, 2);
    assert_eq!(
        outcome.diagnostics,
        vec!["KT0106 ../shared/b.ea:1:8", "KT0105 ../shared/b.ea:2:8"]
    );
    assert_eq!(
        outcome.json["diagnostics"][0]["message"],
        "import cycle: ../shared/a.ea → ../shared/b.ea → ../shared/a.ea"
    );
    assert_eq!(
        outcome.json["diagnostics"][0]["labels"][1]["file"],
        "../shared/a.ea"
    );
    let human = check_human(&directory);
    assert!(human.contains("┌─ ../shared/b.ea:1:8"), "{human}");
    let output = kientruc()
        .args(["check", ".", "--format", "github"])
        .current_dir(&directory)
        .output()
        .unwrap();
    let github = String::from_utf8(output.stdout).unwrap();
    assert_no_absolute_path(&directory, &github);
    assert!(
        github.contains("::error file=../shared/b.ea,line=2,col=8,"),
        "{github}"
    );
}
