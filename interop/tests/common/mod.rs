//! What the interop tests share: the real `vn-egov-3.0` pack (read from the repository through
//! `kientruc-host`'s registry, as the CLI reads a local pack) and in-memory checks of workspaces
//! against it.

#![allow(dead_code)] // each test binary uses its own part

use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{FrameworkPack, FrameworkRegistry, MemoryProvider, MemoryRegistry};
use kientruc_host::{PackPaths, Registry};
use std::path::{Path, PathBuf};

/// The repository's root (the parent of this crate).
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate lives in the workspace")
        .to_path_buf()
}

/// The `vn-egov-3.0` pack as the CLI finds it in the repository.
pub fn pack() -> FrameworkPack {
    Registry::new(&repository(), &[], PackPaths::Absolute)
        .get("vn-egov-3.0")
        .expect("architecture/frameworks/vn-egov-3.0 is in the repository")
}

/// `files` (relative name, text) as the workspace `/ws`, checked against the real pack on
/// 01/07/2025.
pub fn check_files(files: &[(String, String)]) -> Checked {
    let registry = MemoryRegistry {
        packs: vec![pack()],
    };
    let mut provider = MemoryProvider::default();
    let mut entries = Vec::new();
    for (name, text) in files {
        let path = Path::new("/ws").join(name);
        provider.insert(&path, text.as_bytes().to_vec());
        entries.push(path);
    }
    analyze_and_check(
        Path::new("/ws"),
        &entries,
        &provider,
        &registry,
        CheckOptions::on(Date::new(2025, 7, 1).unwrap()),
    )
}

/// The `.ea` files directly in a folder of the repository (`architecture/hanoi`; its `rules/`
/// fixtures are workspaces of their own), by name.
pub fn read_model(folder: &str) -> Vec<(String, String)> {
    let root = repository().join(folder);
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&root).expect("model folder") {
        let path = entry.expect("entry").path();
        if path.is_file() && path.extension().is_some_and(|extension| extension == "ea") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.push((name, std::fs::read_to_string(&path).expect("model file")));
        }
    }
    files.sort();
    files
}

/// The input diagnostics of a check, one line each (`KT0206 …`).
pub fn diagnostics(checked: &Checked) -> Vec<String> {
    checked
        .analysis
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let place = diagnostic
                .primary
                .as_ref()
                .map_or_else(String::new, |label| {
                    let file = checked.analysis.workspace.files.get(label.span.file);
                    let (start, _) = checked.analysis.workspace.files.line_columns(label.span);
                    format!("{}:{}: ", file.name, start.line)
                });
            format!("{place}{} {}", diagnostic.code, diagnostic.message)
        })
        .collect()
}
