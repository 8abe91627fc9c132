//! The Helix configuration (editors/helix/languages.toml) and the Zed extension (editors/zed)
//! name the language, its files and comments, the server command `kientruc lsp`, and the grammar
//! they build: this folder of the project's repository at a pinned commit. The commit must be
//! one whose grammar is the checkout's, or the editors would build an older parser than the
//! queries expect.

use std::path::{Path, PathBuf};
use std::process::Command;
use toml::{Table, Value};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository folder exists")
}

fn read_toml(relative: &str) -> Table {
    let path = repository().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    text.parse()
        .unwrap_or_else(|error| panic!("{relative} is not valid TOML: {error}"))
}

/// `table.a.b.c` as a string, or a panic naming the key.
fn string<'t>(table: &'t Table, keys: &[&str]) -> &'t str {
    lookup(table, keys)
        .as_str()
        .unwrap_or_else(|| panic!("{} is not a string", keys.join(".")))
}

fn lookup<'t>(table: &'t Table, keys: &[&str]) -> &'t Value {
    let (last, path) = keys.split_last().expect("a key");
    let mut current = table;
    for key in path {
        current = current
            .get(*key)
            .and_then(Value::as_table)
            .unwrap_or_else(|| panic!("no table {key} on the way to {}", keys.join(".")));
    }
    current
        .get(*last)
        .unwrap_or_else(|| panic!("no key {}", keys.join(".")))
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| item.as_str().expect("a string"))
        .collect()
}

/// The project's one address, from the workspace manifest.
fn project_address() -> String {
    string(
        &read_toml("Cargo.toml"),
        &["workspace", "package", "repository"],
    )
    .to_owned()
}

/// The grammar of Helix's languages.toml: (repository, rev, subpath).
fn helix_grammar(helix: &Table) -> (String, String, String) {
    let grammars = helix["grammar"].as_array().expect("[[grammar]] tables");
    let grammar = grammars
        .iter()
        .filter_map(Value::as_table)
        .find(|grammar| grammar.get("name").and_then(Value::as_str) == Some("kientruc"))
        .expect("a [[grammar]] named kientruc");
    let source = grammar["source"].as_table().expect("a source table");
    (
        string(source, &["git"]).to_owned(),
        string(source, &["rev"]).to_owned(),
        string(source, &["subpath"]).to_owned(),
    )
}

#[test]
fn helix_configures_the_language_the_server_and_the_grammar() {
    let helix = read_toml("editors/helix/languages.toml");
    assert_eq!(
        string(&helix, &["language-server", "kientruc", "command"]),
        "kientruc"
    );
    assert_eq!(
        strings(lookup(&helix, &["language-server", "kientruc", "args"])),
        ["lsp"]
    );
    let language = helix["language"]
        .as_array()
        .expect("[[language]] tables")
        .iter()
        .filter_map(Value::as_table)
        .find(|language| language.get("name").and_then(Value::as_str) == Some("kientruc"))
        .expect("a [[language]] named kientruc");
    assert_eq!(strings(&language["file-types"]), ["ea"]);
    assert_eq!(strings(&language["language-servers"]), ["kientruc"]);
    assert_eq!(strings(&language["roots"]), ["kientruc.toml", ".git"]);
    assert_eq!(string(language, &["comment-token"]), "//");
    assert_eq!(string(language, &["scope"]), "source.ea");
    assert_eq!(string(language, &["grammar"]), "kientruc");

    let (git, rev, subpath) = helix_grammar(&helix);
    assert_eq!(git, project_address());
    assert_eq!(subpath, "editors/tree-sitter-kientruc");
    assert!(
        rev.len() == 40 && rev.bytes().all(|byte| byte.is_ascii_hexdigit()),
        "the grammar's rev is a full commit id, not {rev:?}"
    );
    // The queries Helix reads are the ones the README says to copy.
    for query in ["highlights", "locals", "indents", "textobjects"] {
        let path = repository().join(format!("editors/helix/queries/kientruc/{query}.scm"));
        assert!(path.is_file(), "{} is missing", path.display());
    }
}

#[test]
fn zed_configures_the_language_the_server_and_the_grammar() {
    let extension = read_toml("editors/zed/extension.toml");
    assert_eq!(string(&extension, &["id"]), "kientruc");
    assert_eq!(string(&extension, &["repository"]), project_address());
    assert_eq!(
        string(&extension, &["grammars", "kientruc", "repository"]),
        project_address()
    );
    assert_eq!(
        string(&extension, &["grammars", "kientruc", "path"]),
        "editors/tree-sitter-kientruc"
    );
    assert_eq!(
        strings(lookup(
            &extension,
            &["language_servers", "kientruc", "languages"]
        )),
        ["kientruc"]
    );
    // One pinned commit for both editors.
    let (_, helix_rev, _) = helix_grammar(&read_toml("editors/helix/languages.toml"));
    assert_eq!(
        string(&extension, &["grammars", "kientruc", "rev"]),
        helix_rev,
        "Helix and Zed pin the same commit of the grammar"
    );

    let config = read_toml("editors/zed/languages/kientruc/config.toml");
    assert_eq!(string(&config, &["name"]), "kientruc");
    assert_eq!(string(&config, &["grammar"]), "kientruc");
    assert_eq!(strings(&config["path_suffixes"]), ["ea"]);
    // The first is what toggling a comment inserts: a plain comment, not a doc comment.
    assert_eq!(strings(&config["line_comments"]), ["// ", "/// "]);

    // The server command: `kientruc lsp`, found on PATH.
    let code = std::fs::read_to_string(repository().join("editors/zed/src/lib.rs"))
        .expect("editors/zed/src/lib.rs");
    assert!(code.contains("worktree.which(\"kientruc\")"));
    assert!(code.contains("args: vec![\"lsp\".to_owned()]"));
    let manifest = read_toml("editors/zed/Cargo.toml");
    assert_eq!(
        strings(lookup(&manifest, &["lib", "crate-type"])),
        ["cdylib"]
    );
    let workspace = read_toml("Cargo.toml");
    assert!(
        strings(lookup(&workspace, &["workspace", "exclude"])).contains(&"editors/zed"),
        "the Zed extension builds for wasm32-wasip1 on its own, outside the workspace"
    );
}

/// `git` in the repository, or None when git cannot run there.
fn git(arguments: &[&str]) -> Option<std::process::Output> {
    Command::new("git")
        .args(arguments)
        .current_dir(repository())
        .output()
        .ok()
}

fn skip_or_fail(reason: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "the pinned grammar cannot be checked in CI: {reason}"
    );
    eprintln!("WARNING: the check of the grammar the editors pin is skipped: {reason}");
}

#[test]
fn the_pinned_commit_has_the_grammar_of_the_checkout() {
    let (_, rev, subpath) = helix_grammar(&read_toml("editors/helix/languages.toml"));
    let Some(inside) = git(&["rev-parse", "--is-inside-work-tree"]) else {
        skip_or_fail("git is not installed");
        return;
    };
    if !inside.status.success() {
        skip_or_fail("the repository is not a git work tree");
        return;
    }
    let shallow = git(&["rev-parse", "--is-shallow-repository"]).expect("git ran once");
    let object = git(&["cat-file", "-e", &format!("{rev}^{{commit}}")]).expect("git ran once");
    if !object.status.success() {
        if String::from_utf8_lossy(&shallow.stdout).trim() == "true" {
            // A shallow clone has no history to hold the pinned commit; no CI can check it there.
            eprintln!(
                "WARNING: the check of the grammar the editors pin is skipped: {rev} is not in \
                 this shallow clone"
            );
            return;
        }
        panic!("the editors pin {rev}, which is no commit of this repository");
    }
    // What the editors build: src/, the generated parser and the scanner, as committed (.ci/run
    // checks that src/ is what grammar.js generates). Uncommitted edits are not compared;
    // commit, then pin.
    let source = format!("{subpath}/src");
    let diff = git(&["diff", "--stat", &rev, "HEAD", "--", &source]).expect("git ran once");
    assert!(diff.status.success(), "git diff failed: {diff:?}");
    let changed = String::from_utf8_lossy(&diff.stdout);
    assert!(
        changed.trim().is_empty(),
        "the grammar changed since the commit Helix and Zed pin ({rev}); set the rev of \
         editors/helix/languages.toml and editors/zed/extension.toml to the commit that changed \
         it:\n{changed}"
    );
}
