//! Discovery as both edges call it: the CLI (`Discovery::disk`, from its current folder) and the
//! language server (`Discovery::editor`, with the client's workspace folder and open buffers)
//! choose the same root and the same files for the same file; the walk honours `.gitignore`
//! inside a git repository and skips hidden folders, `target`, `node_modules` and nested
//! workspaces.

use kientruc_host::{Discovery, Workspace};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const HEADER: &str = "architecture x \"X\" {\n  framework \"mini\"\n}\n";
const ELEMENT: &str = "system a \"A\" {}\n";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
    std::fs::write(path, text).expect("file");
}

/// The workspace the CLI checks for `kientruc check FILE` run from `working_folder`.
fn cli(working_folder: &Path, file: &Path) -> Workspace {
    Discovery::disk(working_folder)
        .discover(&[file.to_path_buf()])
        .expect("the file exists")
}

/// The project the language server analyses when `file` is opened in a client whose workspace
/// folder is `working_folder` (what `lsp/src/host.rs` calls).
fn editor(working_folder: &Path, buffers: &HashMap<PathBuf, String>, file: &Path) -> Workspace {
    let folders = [working_folder.to_path_buf()];
    let discovery = Discovery::editor(&folders, buffers);
    discovery
        .discover(&[discovery.root_of(file)])
        .expect("the project exists")
}

#[test]
fn the_cli_and_the_language_server_choose_the_same_root_for_the_same_file() {
    let base = tempfile::tempdir().expect("a temporary folder");
    let top = base.path().join("top");
    // Nested configured workspaces: the nearest kientruc.toml wins; the outer one does not
    // take in the inner one's files.
    write(&top.join("outer/kientruc.toml"), "");
    write(&top.join("outer/main.ea"), HEADER);
    write(&top.join("outer/plain/c.ea"), ELEMENT);
    write(&top.join("outer/inner/kientruc.toml"), "");
    write(&top.join("outer/inner/deep/b.ea"), HEADER);
    // A header-only workspace: the folder holding the architecture header.
    write(&top.join("hanoi/main.ea"), HEADER);
    write(&top.join("hanoi/apps/apps.ea"), ELEMENT);
    // Rule fixtures: every file declares its own header, so each is a workspace of its own.
    write(&top.join("pack/fixtures/R-1/fail.ea"), HEADER);
    write(&top.join("pack/fixtures/R-1/pass.ea"), HEADER);
    // No configuration and no header up to the working folder.
    write(&top.join("loose/x.ea"), ELEMENT);
    // Outside the working folder: a header there is not searched for.
    write(&base.path().join("elsewhere/main.ea"), HEADER);
    write(&base.path().join("elsewhere/sub/y.ea"), ELEMENT);
    let expected = [
        ("top/outer/main.ea", "top/outer"),
        ("top/outer/plain/c.ea", "top/outer"),
        ("top/outer/inner/deep/b.ea", "top/outer/inner"),
        ("top/hanoi/main.ea", "top/hanoi"),
        ("top/hanoi/apps/apps.ea", "top/hanoi"),
        ("top/pack/fixtures/R-1/fail.ea", "top/pack/fixtures/R-1"),
        ("top/loose/x.ea", "top/loose"),
        ("elsewhere/sub/y.ea", "elsewhere/sub"),
        ("elsewhere/main.ea", "elsewhere"),
    ];
    let buffers = HashMap::new();
    for (file, root) in expected {
        let file = base.path().join(file);
        let root = base.path().join(root);
        assert_eq!(cli(&top, &file).root, root, "the CLI's root of {file:?}");
        assert_eq!(
            editor(&top, &buffers, &file).root,
            root,
            "the language server's root of {file:?}"
        );
    }
    // A kientruc.toml above the working folder counts for both.
    let plain = top.join("outer/plain");
    let file = plain.join("c.ea");
    assert_eq!(cli(&plain, &file).root, top.join("outer"));
    assert_eq!(editor(&plain, &buffers, &file).root, top.join("outer"));
    // The editor analyses what the CLI checks when given the root: the outer workspace without
    // the inner one, a fixture alone.
    let outer = Discovery::disk(&top)
        .discover(&[top.join("outer")])
        .expect("a folder");
    assert_eq!(
        outer,
        Workspace {
            root: top.join("outer"),
            files: vec![top.join("outer/main.ea"), top.join("outer/plain/c.ea")],
        }
    );
    assert_eq!(editor(&top, &buffers, &top.join("outer/plain/c.ea")), outer);
    assert_eq!(
        editor(&top, &buffers, &top.join("pack/fixtures/R-1/fail.ea")).files,
        vec![top.join("pack/fixtures/R-1/fail.ea")]
    );
}

#[test]
fn open_buffers_count_as_the_editor_sees_them() {
    let base = tempfile::tempdir().expect("a temporary folder");
    let top = base.path();
    write(&top.join("model/sub/a.ea"), ELEMENT);
    let mut buffers = HashMap::new();
    // No header on disk: the file's own folder.
    assert_eq!(
        editor(top, &buffers, &top.join("model/sub/a.ea")).root,
        top.join("model/sub")
    );
    // A header typed into an unsaved buffer makes its folder the root, and the unsaved file is
    // one of the workspace's files; one in a hidden folder is not.
    buffers.insert(top.join("model/main.ea"), HEADER.to_owned());
    buffers.insert(top.join("model/.drafts/d.ea"), ELEMENT.to_owned());
    assert_eq!(
        editor(top, &buffers, &top.join("model/sub/a.ea")),
        Workspace {
            root: top.join("model"),
            files: vec![top.join("model/main.ea"), top.join("model/sub/a.ea")],
        }
    );
    // An unsaved buffer in a folder that does not exist, outside every workspace folder: its
    // own workspace, nothing above it searched.
    let nowhere = top.join("missing/new.ea");
    buffers.insert(nowhere.clone(), ELEMENT.to_owned());
    let folders = [top.join("model")];
    assert_eq!(
        Discovery::editor(&folders, &buffers).root_of(&nowhere),
        nowhere
    );
}

#[test]
fn the_walk_skips_ignored_hidden_and_build_folders() {
    let base = tempfile::tempdir().expect("a temporary folder");
    let top = base.path();
    write(&top.join("main.ea"), HEADER);
    write(&top.join("generated/out.ea"), ELEMENT);
    write(&top.join("notes/draft.scratch.ea"), ELEMENT);
    write(&top.join("notes/kept.ea"), ELEMENT);
    write(&top.join(".hidden/h.ea"), ELEMENT);
    write(&top.join("target/t.ea"), ELEMENT);
    write(&top.join("node_modules/n.ea"), ELEMENT);
    write(&top.join("nested/kientruc.toml"), "");
    write(&top.join("nested/n.ea"), HEADER);
    write(&top.join(".gitignore"), "generated/\n*.scratch.ea\n");
    let files_of = |paths: &[PathBuf]| -> Vec<String> {
        Discovery::disk(top)
            .discover(paths)
            .expect("folders")
            .files
            .iter()
            .map(|file| kientruc_host::display_path(file, top))
            .collect()
    };
    // Outside a git repository, `.gitignore` does not count (as for git).
    assert_eq!(
        files_of(&[top.to_path_buf()]),
        [
            "generated/out.ea",
            "main.ea",
            "notes/draft.scratch.ea",
            "notes/kept.ea"
        ]
    );
    std::fs::create_dir(top.join(".git")).expect("a repository");
    assert_eq!(files_of(&[top.to_path_buf()]), ["main.ea", "notes/kept.ea"]);
    // Walking a subfolder still honours the repository's `.gitignore` above it.
    assert_eq!(files_of(&[top.join("notes")]), ["notes/kept.ea"]);
    // A path named is read even when the walk would skip it; its contents are walked.
    assert_eq!(
        files_of(&[top.join("generated"), top.join("notes/draft.scratch.ea")]),
        ["generated/out.ea", "notes/draft.scratch.ea"]
    );
    assert_eq!(files_of(&[top.join("nested")]), ["nested/n.ea"]);
}

#[cfg(unix)]
#[test]
fn links_are_followed_once_per_real_folder() {
    let base = tempfile::tempdir().expect("a temporary folder");
    let top = base.path();
    write(&top.join("main.ea"), HEADER);
    write(&top.join("shared/s.ea"), ELEMENT);
    std::os::unix::fs::symlink(top.join("shared"), top.join("again")).expect("a link");
    std::os::unix::fs::symlink(top, top.join("shared/loop")).expect("a link");
    std::os::unix::fs::symlink(top.join("missing.ea"), top.join("dangling.ea")).expect("a link");
    let workspace = Discovery::disk(top)
        .discover(&[top.to_path_buf()])
        .expect("a folder");
    let names: Vec<String> = workspace
        .files
        .iter()
        .map(|file| kientruc_host::display_path(file, top))
        .collect();
    // `again` and `shared` are one real folder: its file once (under the first name in order);
    // the loop back to the top ends; a link to nothing is kept, for the reader to report.
    assert_eq!(names, ["again/s.ea", "dangling.ea", "main.ea"]);
}

#[test]
fn several_paths_share_the_root_of_the_first_or_their_common_folder() {
    let base = tempfile::tempdir().expect("a temporary folder");
    let top = base.path();
    write(&top.join("ws/kientruc.toml"), "");
    write(&top.join("ws/a/a.ea"), ELEMENT);
    write(&top.join("ws/b/b.ea"), ELEMENT);
    write(&top.join("other/c.ea"), ELEMENT);
    let discovery = Discovery::disk(top);
    let root = |paths: &[&str]| {
        let paths: Vec<PathBuf> = paths.iter().map(|path| top.join(path)).collect();
        discovery.discover(&paths).expect("paths").root
    };
    assert_eq!(root(&["ws/a", "ws/b/b.ea"]), top.join("ws"));
    assert_eq!(root(&["ws/a", "other"]), top.to_path_buf());
    let missing = discovery
        .discover(&[top.join("nothing-here")])
        .expect_err("a missing path");
    assert!(missing.0.starts_with("cannot read "), "{}", missing.0);
}
