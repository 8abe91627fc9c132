//! Workspace confinement, end to end: an import through a link that leaves the root is refused
//! (KT0107); a `kientruc.toml` link that leaves the root is not read; `--templates DIR` reads
//! only files inside DIR, a template cannot include a file by path nor read the environment; no
//! network crate is linked.
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Output};

use crate::support::kientruc_with;

const HEADER: &str = "architecture ws \"Workspace\" {\n  framework \"vn-egov-3.0\"\n  version \"1.0\"\n  scope province\n}\n";
const SECRET: &str = "TOP-SECRET-7f3a";

fn codes(output: &Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

fn everything_in(folder: &Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        all.push_str(&String::from_utf8_lossy(
            &std::fs::read(entry.path()).unwrap_or_default(),
        ));
    }
    all
}

#[test]
fn an_import_through_a_link_that_leaves_the_root_is_refused() {
    let base = tempfile::tempdir().unwrap();
    let outside = base.path().join("outside");
    let workspace = base.path().join("ws");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(workspace.join("lib")).unwrap();
    std::fs::write(
        outside.join("secret.ea"),
        format!("agency secret \"{SECRET}\" {{}}\n"),
    )
    .unwrap();
    // A file link and a folder link, both leading outside the root.
    std::os::unix::fs::symlink(outside.join("secret.ea"), workspace.join("lib/link.ea")).unwrap();
    std::os::unix::fs::symlink(&outside, workspace.join("lib/dir")).unwrap();
    for import in ["lib/link.ea", "lib/dir/secret.ea"] {
        std::fs::write(
            workspace.join("main.ea"),
            format!("{HEADER}\nimport \"{import}\" as leaked\n"),
        )
        .unwrap();
        // Only main.ea is the entry: the links are reached by the import alone.
        let output = kientruc_with(
            &[
                "check",
                workspace.join("main.ea").to_str().unwrap(),
                "--format",
                "json",
            ],
            |_| {},
        );
        assert_eq!(output.status.code(), Some(2), "{import}");
        assert!(
            codes(&output).contains(&"KT0107".to_owned()),
            "{import}: {:?}",
            codes(&output)
        );
        assert!(!String::from_utf8_lossy(&output.stdout).contains(SECRET));
    }
}

#[test]
fn a_configuration_link_that_leaves_the_root_is_not_read() {
    let base = tempfile::tempdir().unwrap();
    let workspace = base.path().join("ws");
    std::fs::create_dir_all(&workspace).unwrap();
    std::fs::write(workspace.join("main.ea"), HEADER).unwrap();
    // Not TOML at all: if it were read, the run would report a configuration error.
    std::fs::write(base.path().join("evil.toml"), format!("{SECRET} = = =\n")).unwrap();
    std::os::unix::fs::symlink(
        base.path().join("evil.toml"),
        workspace.join("kientruc.toml"),
    )
    .unwrap();
    let output = kientruc_with(
        &["check", workspace.to_str().unwrap(), "--format", "json"],
        |_| {},
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains(SECRET), "{stdout}");
    assert!(
        !codes(&output).contains(&"KT0302".to_owned()),
        "{:?}",
        codes(&output)
    );
    // The same text inside the root is read, and reported.
    std::fs::remove_file(workspace.join("kientruc.toml")).unwrap();
    std::fs::copy(
        base.path().join("evil.toml"),
        workspace.join("kientruc.toml"),
    )
    .unwrap();
    let output = kientruc_with(
        &["check", workspace.to_str().unwrap(), "--format", "json"],
        |_| {},
    );
    assert!(
        codes(&output).contains(&"KT0302".to_owned()),
        "{:?}",
        codes(&output)
    );
}

fn report_with_templates(
    templates: &Path,
    configure: impl FnOnce(&mut Command),
) -> (Output, tempfile::TempDir) {
    let workspace = tempfile::tempdir().unwrap();
    std::fs::write(workspace.path().join("main.ea"), HEADER).unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = kientruc_with(
        &[
            "report",
            workspace.path().to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
            "--format",
            "md",
            "--templates",
            templates.to_str().unwrap(),
        ],
        configure,
    );
    (output, out)
}

#[test]
fn a_template_cannot_include_a_file_by_path() {
    let base = tempfile::tempdir().unwrap();
    std::fs::write(base.path().join("secret.txt"), SECRET).unwrap();
    let templates = base.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let secret = base.path().join("secret.txt");
    for include in [
        secret.to_str().unwrap().to_owned(),
        "../secret.txt".to_owned(),
        "secret.txt".to_owned(),
    ] {
        for tag in ["include", "import"] {
            let text = if tag == "include" {
                format!("{{% include \"{include}\" %}}\n")
            } else {
                format!("{{% import \"{include}\" as m %}}\nx\n")
            };
            std::fs::write(templates.join("report.md.tera"), text).unwrap();
            let (output, out) = report_with_templates(&templates, |_| {});
            assert_eq!(output.status.code(), Some(2), "{tag} {include}");
            assert!(!String::from_utf8_lossy(&output.stderr).contains(SECRET));
            assert!(
                !everything_in(out.path()).contains(SECRET),
                "{tag} {include}"
            );
        }
    }
}

#[test]
fn a_template_link_that_leaves_the_folder_is_refused() {
    let base = tempfile::tempdir().unwrap();
    std::fs::write(base.path().join("secret.tera"), SECRET).unwrap();
    let templates = base.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::os::unix::fs::symlink(
        base.path().join("secret.tera"),
        templates.join("partial.tera"),
    )
    .unwrap();
    std::fs::write(
        templates.join("report.md.tera"),
        "{% include \"partial\" %}\n",
    )
    .unwrap();
    let (output, out) = report_with_templates(&templates, |_| {});
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("leads outside the templates folder"),
        "{stderr}"
    );
    assert!(!everything_in(out.path()).contains(SECRET));
}

#[test]
fn a_template_cannot_read_the_environment() {
    let templates = tempfile::tempdir().unwrap();
    std::fs::write(
        templates.path().join("report.md.tera"),
        "{{ get_env(name=\"KIENTRUC_TEST_SECRET\") }}\n",
    )
    .unwrap();
    let (output, out) = report_with_templates(templates.path(), |command| {
        command.env("KIENTRUC_TEST_SECRET", SECRET);
    });
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("get_env"));
    assert!(!everything_in(out.path()).contains(SECRET));
}

/// The tool never opens a network connection to another machine: no HTTP client, TLS or async
/// network crate is in the dependency tree (a new dependency that brings one must be discussed in
/// `docs/security.md` first). `kientruc serve` listens on 127.0.0.1 through `tiny_http` (a server
/// only, built without TLS); `mio` is there as `notify`'s event loop over inotify and kqueue, not
/// for sockets.
#[test]
fn no_network_crate_is_in_the_dependency_tree() {
    const NETWORK: &[&str] = &[
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "isahc",
        "surf",
        "attohttpc",
        "tokio",
        "socket2",
        "h2",
        "rustls",
        "native-tls",
        "openssl",
    ];
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    let found: Vec<&str> = lock
        .lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .map(|name| name.trim_end_matches('"'))
        .filter(|name| NETWORK.contains(name))
        .collect();
    assert!(found.is_empty(), "network crates in Cargo.lock: {found:?}");
}
