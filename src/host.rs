//! The CLI's side of IO: finding the workspace root and its `.ea` files on disk, reading files
//! (confined to the root), and finding framework packs (folders next to the workspace, else the
//! packs embedded in the binary).

pub use kientruc_checker::CONFIG_FILE;
pub use kientruc_host::{DiskProvider, PackPaths, Registry, display_path};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded_frameworks.rs"));

/// What `check`, `fmt` and friends operate on.
#[derive(Debug, Clone)]
pub struct WorkspaceFiles {
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
}

/// A path argument that does not exist or cannot be read.
#[derive(Debug)]
pub struct PathError(pub String);

pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    kientruc_dsl::workspace::normalize(&joined, ".")
}

/// Resolves the path arguments into a root and the sorted list of `.ea` files.
pub fn discover(paths: &[PathBuf]) -> Result<WorkspaceFiles, PathError> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut files = BTreeSet::new();
    let mut directories = Vec::new();
    for path in &paths {
        let absolute_path = absolute(path);
        let metadata = std::fs::metadata(&absolute_path)
            .map_err(|error| PathError(format!("cannot read {}: {error}", path.display())))?;
        if metadata.is_dir() {
            directories.push(absolute_path.clone());
            let mut visited = BTreeSet::new();
            walk(&absolute_path, &mut files, &mut visited);
        } else {
            directories.push(
                absolute_path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
            );
            files.insert(absolute_path);
        }
    }
    // The root: the nearest folder holding kientruc.toml above the first path, else the common
    // ancestor of the given folders.
    let mut root = common_ancestor(&directories);
    if let Some(configured) = directories.first().and_then(|first| {
        first
            .ancestors()
            .find(|dir| dir.join(CONFIG_FILE).is_file())
    }) {
        if files.iter().all(|file| file.starts_with(configured)) {
            root = configured.to_path_buf();
        }
    }
    Ok(WorkspaceFiles {
        root,
        files: files.into_iter().collect(),
    })
}

fn common_ancestor(directories: &[PathBuf]) -> PathBuf {
    let mut common = directories.first().cloned().unwrap_or_default();
    for directory in directories.iter().skip(1) {
        while !directory.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

/// Collects `*.ea` files below `directory`, skipping hidden folders and `target`, and following
/// symbolic links at most once per real folder (a link loop terminates).
fn walk(directory: &Path, files: &mut BTreeSet<PathBuf>, visited: &mut BTreeSet<PathBuf>) {
    let Ok(canonical) = std::fs::canonicalize(directory) else {
        return;
    };
    if !visited.insert(canonical) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = entry.path();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&path, files, visited);
            }
        } else if path.extension().is_some_and(|extension| extension == "ea") {
            files.insert(path);
        }
    }
}

/// The framework registry of the CLI: local pack folders at or above `root`, else the packs
/// embedded in this binary; pack files are named relative to the current directory.
pub fn registry(root: &Path) -> Registry {
    Registry::new(
        root,
        EMBEDDED_FRAMEWORK_FILES,
        PackPaths::RelativeTo(std::env::current_dir().unwrap_or_default()),
    )
}
