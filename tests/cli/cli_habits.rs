//! Command-line habits users expect of a tool: `--log` refuses unknown levels, the benchmark
//! generator `gen` is hidden from `--help` but runs, `NO_COLOR` and `CLICOLOR_FORCE` decide colour
//! under `--color auto`, and help texts are plain text (no Markdown backticks).

use std::process::Output;

use crate::support::{kientruc_with, write_rules_pack};

/// Every subcommand, `gen` included (hidden from `--help`, but its own help is still shown).
const SUBCOMMANDS: [&str; 12] = [
    "check", "fmt", "rules", "explain", "init", "baseline", "report", "diff", "export", "import",
    "gen", "lsp",
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
