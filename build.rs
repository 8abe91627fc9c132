//! Embeds every framework pack under `architecture/frameworks/` into the binary, so an installed
//! `kientruc` checks a workspace anywhere. Generates `$OUT_DIR/embedded_frameworks.rs`: a list of
//! (pack id, relative file name, contents) built from `include_str!`.
//!
//! Also names the git revision the binary is built from, for `kientruc --version`
//! (`kientruc 0.1.0 (0123456789ab)`): `KIENTRUC_GIT_REV` (12 hex digits, or empty) and
//! `KIENTRUC_VERSION` (the version with the revision in parentheses, or the version alone).
//! The revision comes from git when this crate's folder is the top of a git work tree, else from
//! the `.cargo_vcs_info.json` that `cargo package` writes into a published crate, else none.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    embed_frameworks();
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let revision = git_revision(manifest_dir)
        .or_else(|| packaged_revision(manifest_dir))
        .unwrap_or_default();
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    println!("cargo:rustc-env=KIENTRUC_GIT_REV={revision}");
    if revision.is_empty() {
        println!("cargo:rustc-env=KIENTRUC_VERSION={version}");
    } else {
        println!("cargo:rustc-env=KIENTRUC_VERSION={version} ({revision})");
    }
}

/// The short (12-digit) revision of `HEAD` when `manifest_dir` is the top of a git work tree
/// (not when it merely lies inside one, as `target/package/kientruc-*` lies inside the
/// repository), watching the files that change when `HEAD` moves.
fn git_revision(manifest_dir: &Path) -> Option<String> {
    let top = PathBuf::from(git(manifest_dir, &["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != manifest_dir.canonicalize().ok()? {
        return None;
    }
    // HEAD names a branch (or a commit when detached); the branch's ref is a loose file or a
    // line of packed-refs. In a linked work tree, HEAD is the work tree's own and the refs are
    // the repository's: `--git-path` resolves both. A path that does not exist is not watched
    // (cargo would rerun this script on every build): a packed ref's folder is watched instead,
    // so that the loose ref the next commit writes is seen.
    let mut watched = vec![
        git(manifest_dir, &["rev-parse", "--git-path", "HEAD"])?,
        git(manifest_dir, &["rev-parse", "--git-path", "packed-refs"])?,
    ];
    if let Some(reference) = git(manifest_dir, &["symbolic-ref", "--quiet", "HEAD"]) {
        let loose = git(manifest_dir, &["rev-parse", "--git-path", &reference])?;
        if manifest_dir.join(&loose).exists() {
            watched.push(loose);
        } else if let Some(folder) = Path::new(&loose).parent() {
            watched.push(folder.to_string_lossy().into_owned());
        }
    }
    for path in watched {
        let path = manifest_dir.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    git(manifest_dir, &["rev-parse", "--short=12", "HEAD"])
}

/// The revision `cargo package` recorded in `.cargo_vcs_info.json` (`"sha1": "<40 hex>"`).
fn packaged_revision(manifest_dir: &Path) -> Option<String> {
    let path = manifest_dir.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&path).ok()?;
    println!("cargo:rerun-if-changed={}", path.display());
    let after_key = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let value = after_key.split('"').nth(1)?;
    (value.len() == 40 && value.bytes().all(|byte| byte.is_ascii_hexdigit()))
        .then(|| value[..12].to_owned())
}

/// The trimmed standard output of `git ARGS` run in `folder`, if git ran and succeeded.
fn git(folder: &Path, arguments: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(arguments)
        .current_dir(folder)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

fn embed_frameworks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("architecture/frameworks");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut entries = Vec::new();
    if let Ok(packs) = std::fs::read_dir(&root) {
        for pack in packs.flatten() {
            let pack_path = pack.path();
            if !pack_path.join("framework.toml").is_file() {
                continue;
            }
            let id = pack.file_name().to_string_lossy().into_owned();
            collect(&pack_path, &pack_path, &id, &mut entries);
        }
    }
    // A binary without its packs would check nothing; a package that leaves them out (the
    // `include` list in Cargo.toml) must not build.
    assert!(
        !entries.is_empty(),
        "no framework pack under {}: the crate's files must include architecture/frameworks",
        root.display()
    );
    entries.sort();
    let mut out = String::from(
        "/// (pack id, file name inside the pack, contents)\npub static EMBEDDED_FRAMEWORK_FILES: &[(&str, &str, &str)] = &[\n",
    );
    for (id, name, path) in &entries {
        writeln!(out, "    ({id:?}, {name:?}, include_str!({path:?})),")
            .expect("writing to a string");
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("embedded_frameworks.rs"), out)
        .expect("OUT_DIR is writable");
}

fn collect(
    pack_root: &Path,
    directory: &Path,
    id: &str,
    entries: &mut Vec<(String, String, String)>,
) {
    println!("cargo:rerun-if-changed={}", directory.display());
    let Ok(children) = std::fs::read_dir(directory) else {
        return;
    };
    for child in children.flatten() {
        let path = child.path();
        if path.is_dir() {
            collect(pack_root, &path, id, entries);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "ea" | "md")
        ) {
            let name = path
                .strip_prefix(pack_root)
                .expect("child of the pack")
                .to_string_lossy()
                .replace('\\', "/");
            entries.push((id.to_owned(), name, path.to_string_lossy().into_owned()));
        }
    }
}
