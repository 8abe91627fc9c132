//! Command-line habits users expect of a tool (ruff, taplo, clippy): `--log` refuses unknown
//! levels, the benchmark generator `gen` is hidden from `--help` but runs, `NO_COLOR` and
//! `CLICOLOR_FORCE` decide colour under `--color auto`, help texts are plain text (no Markdown
//! backticks), `-q`/`-v`, `check -` and `fmt -` with `--stdin-filename`, `fmt --diff`, the
//! concise and GitLab formats, completions and man pages.

use std::process::Output;

use crate::support::{kientruc_with, write_rules_pack};

/// Every subcommand, `gen` included (hidden from `--help`, but its own help is still shown).
const SUBCOMMANDS: [&str; 16] = [
    "check",
    "fmt",
    "rules",
    "explain",
    "init",
    "baseline",
    "report",
    "diff",
    "export",
    "import",
    "gen",
    "lsp",
    "migrate",
    "serve",
    "completions",
    "man",
];

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Runs `kientruc` in `directory` with neither colour variable set, then `set`.
fn run_with_env(directory: &std::path::Path, arguments: &[&str], set: &[(&str, &str)]) -> Output {
    kientruc_with(arguments, |command| {
        command
            .current_dir(directory)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (name, value) in set {
            command.env(name, value);
        }
    })
}

#[test]
fn log_rejects_an_unknown_level() {
    let directory = tempfile::tempdir().unwrap();
    let output = run_with_env(directory.path(), &["--log", "bogus", "rules"], &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("invalid value 'bogus' for '--log <LEVEL>'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[possible values: error, warn, info, debug, trace, off]"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
    let output = run_with_env(directory.path(), &["--log", "debug", "rules"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[test]
fn gen_is_hidden_from_help_but_runs() {
    let directory = tempfile::tempdir().unwrap();
    let output = run_with_env(directory.path(), &["--help"], &[]);
    assert_eq!(output.status.code(), Some(0));
    let help = text(&output.stdout);
    assert!(help.contains("\n  check "), "{help}");
    assert!(!help.contains("\n  gen "), "{help}");
    let out = directory.path().join("generated");
    let output = run_with_env(
        directory.path(),
        &["gen", "--elements", "20", "--out", out.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let written = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .any(|entry| {
            entry
                .path()
                .extension()
                .is_some_and(|extension| extension == "ea")
        });
    assert!(written, "gen wrote no .ea file into {}", out.display());
}

#[test]
fn help_texts_hold_no_backticks() {
    let directory = tempfile::tempdir().unwrap();
    let mut invocations = vec![vec!["--help"]];
    invocations.extend(SUBCOMMANDS.iter().map(|name| vec![*name, "--help"]));
    for arguments in invocations {
        let output = run_with_env(directory.path(), &arguments, &[]);
        assert_eq!(output.status.code(), Some(0), "{arguments:?}");
        let help = text(&output.stdout);
        assert!(help.contains("Usage: kientruc"), "{arguments:?}: {help}");
        assert!(
            !help.contains('`'),
            "kientruc {arguments:?} prints a backtick:\n{help}"
        );
    }
}

const MODEL: &str = "architecture hn \"Hà Nội\" {\n  framework \"rulespack\"\n  version \"3.0\"\n}\n\nagency ubnd \"UBND\" {\n  level province\n}\n\nsystem qlvb \"Quản lý văn bản\" {\n  owner ubnd\n}\n";

#[test]
fn no_color_and_clicolor_force_decide_colour_under_auto() {
    let directory = tempfile::tempdir().unwrap();
    write_rules_pack(directory.path());
    std::fs::create_dir(directory.path().join("model")).unwrap();
    std::fs::write(directory.path().join("model/main.ea"), MODEL).unwrap();
    let check = |arguments: &[&str], set: &[(&str, &str)]| {
        let mut all = vec!["check", "model", "--today", "2025-01-01"];
        all.extend_from_slice(arguments);
        let output = run_with_env(directory.path(), &all, set);
        assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
        let stdout = text(&output.stdout);
        assert!(stdout.contains("error[T-PROP-001]"), "{stdout}");
        stdout.contains('\u{1b}')
    };
    // stdout is a pipe here, so `auto` alone means no colour.
    assert!(!check(&[], &[]));
    assert!(check(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!check(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!check(&[], &[("CLICOLOR_FORCE", "")]));
    assert!(!check(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(check(&[], &[("NO_COLOR", "")]) == check(&[], &[]));
    // An explicit choice wins over both variables.
    assert!(check(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!check(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
}

/// A workspace with the rules pack and `model/main.ea` (one error: T-PROP-001 on `qlvb`).
fn workspace() -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    write_rules_pack(directory.path());
    std::fs::create_dir(directory.path().join("model")).unwrap();
    std::fs::write(directory.path().join("model/main.ea"), MODEL).unwrap();
    directory
}

/// Runs `kientruc` in `directory` with `input` on standard input.
fn run_with_stdin(directory: &std::path::Path, arguments: &[&str], input: &str) -> Output {
    use std::io::Write as _;
    let mut child = crate::support::kientruc()
        .args(arguments)
        .current_dir(directory)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn concise_and_gitlab_formats_list_the_open_problems() {
    let directory = workspace();
    let output = run_with_env(
        directory.path(),
        &[
            "check",
            "model",
            "--today",
            "2025-01-01",
            "--format",
            "concise",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "model/main.ea:1:1: error[T-CARD-001] Có 0 LGSP\n\
         model/main.ea:10:8: error[T-PROP-001] Hệ thống Quản lý văn bản (qlvb) chưa có \
         security_level\n\
         model/main.ea:10:8: warning[T-REACH-001] qlvb không tới được trung tâm dữ liệu\n"
    );
    let output = run_with_env(
        directory.path(),
        &[
            "check",
            "model",
            "--today",
            "2025-01-01",
            "--format",
            "gitlab",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let issues: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    let names: Vec<&str> = issues
        .iter()
        .map(|issue| issue["check_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["T-CARD-001", "T-PROP-001", "T-REACH-001"]);
    assert_eq!(issues[2]["severity"], "major");
    let issue = &issues[1];
    assert_eq!(issue["check_name"], "T-PROP-001");
    assert_eq!(issue["severity"], "critical");
    assert_eq!(issue["location"]["path"], "model/main.ea");
    assert_eq!(
        issue["location"]["positions"]["begin"],
        serde_json::json!({ "line": 10, "column": 8 })
    );
    assert!(
        issue["description"]
            .as_str()
            .unwrap()
            .starts_with("Hệ thống Quản lý văn bản (qlvb) chưa có security_level ["),
        "{issue}"
    );
    assert_eq!(issue["fingerprint"].as_str().unwrap().len(), 16, "{issue}");
    // A broken input is a blocker, with the KT code as its check.
    std::fs::write(
        directory.path().join("model/broken.ea"),
        "system x \"X\" {\n  owner khong_co\n}\n",
    )
    .unwrap();
    let output = run_with_env(
        directory.path(),
        &[
            "check",
            "model",
            "--today",
            "2025-01-01",
            "--format",
            "gitlab",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let issues: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        issues
            .as_array()
            .unwrap()
            .iter()
            .any(|issue| issue["severity"] == "blocker"
                && issue["check_name"] == "KT0206"
                && issue["location"]["path"] == "model/broken.ea"),
        "{issues}"
    );
}

#[test]
fn quiet_prints_only_the_problems_and_verbose_conflicts_with_it() {
    let directory = workspace();
    let loud = run_with_env(
        directory.path(),
        &["check", "model", "--today", "2025-01-01"],
        &[],
    );
    let quiet = run_with_env(
        directory.path(),
        &["-q", "check", "model", "--today", "2025-01-01"],
        &[],
    );
    assert_eq!(quiet.status.code(), Some(1));
    let (loud, quiet) = (text(&loud.stdout), text(&quiet.stdout));
    assert!(loud.contains("đã kiểm tra 1 tệp"), "{loud}");
    assert!(quiet.starts_with("error[T-CARD-001]"), "{quiet}");
    assert!(!quiet.contains("đã kiểm tra"), "{quiet}");
    assert!(loud.starts_with(&quiet), "{quiet}\n---\n{loud}");
    // fmt -q formats without listing the files.
    std::fs::write(
        directory.path().join("model/main.ea"),
        MODEL.replace("  ", "    "),
    )
    .unwrap();
    let output = run_with_env(directory.path(), &["fmt", "model", "--quiet"], &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), "");
    assert_eq!(
        std::fs::read_to_string(directory.path().join("model/main.ea")).unwrap(),
        MODEL
    );
    // report -q writes the reports without a line about them or the summary table.
    let output = run_with_env(
        directory.path(),
        &[
            "report",
            "model",
            "--out",
            "out",
            "--format",
            "md",
            "-q",
            "--today",
            "2025-01-01",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "");
    assert!(directory.path().join("out/report.md").is_file());
    let output = run_with_env(directory.path(), &["-q", "-v", "rules"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("cannot be used with"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn check_reads_standard_input_as_the_named_file_of_its_workspace() {
    let directory = workspace();
    // The buffer fixes qlvb; the rest of the workspace comes from disk.
    let fixed = MODEL.replace("  owner ubnd\n}", "  owner ubnd\n  security_level 2\n}");
    let output = run_with_stdin(
        directory.path(),
        &[
            "check",
            "-",
            "--stdin-filename",
            "model/main.ea",
            "--today",
            "2025-01-01",
            "--format",
            "concise",
        ],
        &fixed,
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "model/main.ea:1:1: error[T-CARD-001] Có 0 LGSP\n\
         model/main.ea:10:8: warning[T-REACH-001] qlvb không tới được trung tâm dữ liệu\n"
    );
    // A new file of the workspace, not on disk yet, sees the saved files' elements.
    let output = run_with_stdin(
        directory.path(),
        &[
            "check",
            "-",
            "--stdin-filename",
            "model/new.ea",
            "--today",
            "2025-01-01",
            "--format",
            "concise",
        ],
        "system moi \"Hệ thống mới\" {\n  owner ubnd\n  owner_missing_here x\n}\n",
    );
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(stdout.starts_with("model/new.ea:3:3: error[KT"), "{stdout}");
    // Problems of the other files are not this file's: main.ea's T-PROP-001 is not listed.
    assert!(!stdout.contains("main.ea"), "{stdout}");
    assert!(!stdout.contains("`ubnd`"), "{stdout}");
    // Standard input with other paths, or --stdin-filename without it, is refused.
    let output = run_with_stdin(directory.path(), &["check", "-", "model"], "");
    assert_eq!(output.status.code(), Some(2));
    let output = run_with_env(
        directory.path(),
        &["check", "model", "--stdin-filename", "x.ea"],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn fmt_formats_standard_input_and_shows_diffs() {
    let directory = workspace();
    let messy = MODEL.replace("  owner ubnd", "      owner    ubnd");
    let output = run_with_stdin(directory.path(), &["fmt", "-"], &messy);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), MODEL);
    let output = run_with_stdin(directory.path(), &["fmt", "-", "--check"], &messy);
    assert_eq!(output.status.code(), Some(1));
    let output = run_with_stdin(directory.path(), &["fmt", "-", "--check"], MODEL);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), "");
    let output = run_with_stdin(
        directory.path(),
        &["fmt", "-", "--diff", "--stdin-filename", "model/main.ea"],
        &messy,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stdout),
        "--- a/model/main.ea\n+++ b/model/main.ea\n@@ -8,5 +8,5 @@\n }\n \n system qlvb \"Quản \
         lý văn bản\" {\n-      owner    ubnd\n+  owner ubnd\n }\n"
    );
    // On files, --diff writes nothing and exits 1; the count goes to stderr.
    std::fs::write(directory.path().join("model/main.ea"), &messy).unwrap();
    let output = run_with_env(directory.path(), &["fmt", "--diff", "model"], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stdout).starts_with("--- a/model/main.ea\n+++ b/model/main.ea\n"),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(text(&output.stderr), "1 of 1 files would be reformatted\n");
    assert_eq!(
        std::fs::read_to_string(directory.path().join("model/main.ea")).unwrap(),
        messy
    );
    // A file outside the folder it runs in is named by its absolute path, which heads the diff
    // as it is (not `a//tmp/…`).
    let elsewhere = tempfile::tempdir().unwrap();
    let absolute = elsewhere.path().join("main.ea");
    std::fs::write(&absolute, &messy).unwrap();
    let output = run_with_env(
        directory.path(),
        &["fmt", "--diff", absolute.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    let shown = absolute.display().to_string();
    assert!(
        text(&output.stdout).starts_with(&format!("--- {shown}\n+++ {shown}\n")),
        "{}",
        text(&output.stdout)
    );
    // A syntax error on standard input is exit 2 and prints nothing on stdout.
    let output = run_with_stdin(directory.path(), &["fmt", "-"], "system x {\n");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(text(&output.stdout), "");
}

#[test]
fn completions_and_man_pages_are_generated_from_the_commands() {
    let directory = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = run_with_env(directory.path(), &["completions", shell], &[]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = text(&output.stdout);
        for word in ["kientruc", "check", "stdin-filename", "completions"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
        assert!(
            !script.contains("elements to generate"),
            "{shell} completes the hidden gen"
        );
    }
    let output = run_with_env(directory.path(), &["completions", "tcsh"], &[]);
    assert_eq!(output.status.code(), Some(2));
    let output = run_with_env(directory.path(), &["man"], &[]);
    assert_eq!(output.status.code(), Some(0));
    let page = text(&output.stdout);
    assert!(page.contains(".TH kientruc 1"), "{page}");
    assert!(page.contains("kientruc\\-check(1)"), "{page}");
    let out = directory.path().join("man/man1");
    let output = run_with_env(
        directory.path(),
        &["man", "--out", out.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let mut pages: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    let mut expected: Vec<String> = SUBCOMMANDS
        .iter()
        .filter(|name| **name != "gen")
        .map(|name| format!("kientruc-{name}.1"))
        .chain(std::iter::once("kientruc.1".to_owned()))
        .collect();
    expected.sort();
    assert_eq!(pages, expected);
    let check = std::fs::read_to_string(out.join("kientruc-check.1")).unwrap();
    assert!(check.contains(".TH kientruc-check 1"), "{check}");
    assert!(check.contains("\\-\\-stdin\\-filename"), "{check}");
}
