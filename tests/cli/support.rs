//! What the CLI tests share: the built binary and how to run it, the test framework packs laid
//! out in a temporary workspace, and LSP base-protocol framing for the `kientruc lsp` tests.
//!
//! It is a module of the one CLI test binary (not a crate) because only the root package's
//! integration tests can read `env!("CARGO_BIN_EXE_kientruc")`.

use serde_json::Value;
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;

/// The `kientruc` binary Cargo built for these tests.
pub const KIENTRUC: &str = env!("CARGO_BIN_EXE_kientruc");

/// The repository's root folder (the root package's manifest folder).
pub fn repository_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The files git tracks in the repository (relative paths), for tests that read every file.
pub fn tracked_files() -> Vec<String> {
    let listed = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(repository_root())
        .output()
        .unwrap();
    assert!(listed.status.success(), "git ls-files failed");
    String::from_utf8(listed.stdout)
        .unwrap()
        .split('\0')
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A command for the built binary, to be given arguments, a folder and an environment.
pub fn kientruc() -> Command {
    Command::new(KIENTRUC)
}

/// Runs `program` with `arguments` in `directory`: the exit code (-1 when a signal ended it),
/// stdout and stderr.
pub fn run(directory: &Path, program: &str, arguments: &[&str]) -> (i32, String, String) {
    let output = Command::new(program)
        .args(arguments)
        .current_dir(directory)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Runs `kientruc` with `arguments` in `directory`: the exit code, stdout and stderr.
pub fn kientruc_in(directory: &Path, arguments: &[&str]) -> (i32, String, String) {
    run(directory, KIENTRUC, arguments)
}

/// Runs `kientruc` with `arguments` and without `SOURCE_DATE_EPOCH`, after `configure` has set
/// the rest (folder, environment).
pub fn kientruc_with(arguments: &[&str], configure: impl FnOnce(&mut Command)) -> Output {
    let mut command = kientruc();
    command.args(arguments).env_remove("SOURCE_DATE_EPOCH");
    configure(&mut command);
    command.output().unwrap()
}

/// Copies the test framework pack `mini` (`tests/frameworks/mini`) to `workspace/frameworks/mini`.
pub fn copy_mini_pack(workspace: &Path) {
    let pack = workspace.join("frameworks/mini");
    std::fs::create_dir_all(&pack).unwrap();
    let source = repository_root().join("tests/frameworks/mini");
    for file in ["framework.toml", "metamodel.toml", "documents.toml"] {
        std::fs::copy(source.join(file), pack.join(file)).unwrap();
    }
}

/// Writes the local pack `rulespack` to `workspace/frameworks/rulespack`: the mini pack's
/// metamodel and the engine tests' rules (`checker/tests/engine/rules.toml`).
pub fn write_rules_pack(workspace: &Path) {
    let root = repository_root();
    let pack = workspace.join("frameworks/rulespack");
    std::fs::create_dir_all(pack.join("rules")).unwrap();
    std::fs::write(
        pack.join("framework.toml"),
        "id = \"rulespack\"\nname = { vi = \"Gói thử\", en = \"Test pack\" }\nversion = \"1\"\n",
    )
    .unwrap();
    std::fs::copy(
        root.join("tests/frameworks/mini/metamodel.toml"),
        pack.join("metamodel.toml"),
    )
    .unwrap();
    std::fs::copy(
        root.join("tests/frameworks/mini/documents.toml"),
        pack.join("documents.toml"),
    )
    .unwrap();
    std::fs::copy(
        root.join("checker/tests/engine/rules.toml"),
        pack.join("rules/test.toml"),
    )
    .unwrap();
}

/// One LSP message with its `Content-Length` header.
pub fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Reads framed messages from the server's stdout into a channel, until the stream ends.
pub fn read_messages(stdout: std::process::ChildStdout) -> mpsc::Receiver<Value> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = value.parse().expect("a length");
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let message: Value = serde_json::from_slice(&body).expect("JSON");
            if sender.send(message).is_err() {
                return;
            }
        }
    });
    receiver
}

/// A model checked with its committed baseline passes: exit 0, no input error, no new finding;
/// and every entry of that baseline carries its own reason, the responsible agency and a review
/// date. `checked` is `check --format json --baseline BASELINE`.
pub fn assert_passes_with_signed_baseline(code: i32, checked: &Value, baseline: &Path) {
    assert_eq!(code, 0, "{}", checked["baseline"]);
    assert_eq!(
        checked["diagnostics"],
        serde_json::json!([]),
        "resolves without errors"
    );
    assert_eq!(checked["baseline"]["new"], 0);
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(baseline).unwrap()).unwrap();
    for entry in baseline["findings"].as_array().unwrap() {
        for field in ["reason", "owner", "review"] {
            assert!(
                entry[field].as_str().is_some_and(|value| !value.is_empty()),
                "baseline entry without {field}: {entry}"
            );
        }
    }
}

/// Headless Chromium, which `.ci/run` installs (`apt-get install -y chromium`).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Whether Chromium is there. Outside CI a machine without it skips the browser test with a
/// warning; in CI (`CI` set) a missing browser fails it.
pub fn chromium_available() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{CHROMIUM} is missing: .ci/run installs it with `apt-get install -y chromium`"
    );
    // Straight to stderr, past the test harness's capture, so the skip is seen.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("\nwarning: {CHROMIUM} is missing, so the browser test is SKIPPED (apt-get install -y chromium)\n\n").as_bytes(),
    );
    false
}

/// An empty folder `group/name` under the tests' temporary folder (kept after the test, to look
/// at what it wrote).
pub fn fresh_folder(group: &str, name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(group)
        .join(name);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}
