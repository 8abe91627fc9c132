//! The CLI's side of IO: finding the workspace root and its `.ea` files on disk, reading files
//! (confined to the root), and finding framework packs (folders next to the workspace, else the
//! packs embedded in the binary).

use kientruc_dsl::workspace::{FrameworkPack, FrameworkRegistry, SourceProvider};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/embedded_frameworks.rs"));

/// The name of the optional workspace configuration file; its folder is the workspace root.
pub const CONFIG_FILE: &str = "kientruc.toml";

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

/// Reads files from disk; refuses files whose real path (after links) leaves the root.
pub struct DiskProvider {
    canonical_root: PathBuf,
    current_directory: PathBuf,
}

impl DiskProvider {
    pub fn new(root: &Path) -> Self {
        Self {
            canonical_root: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            current_directory: std::env::current_dir().unwrap_or_default(),
        }
    }
}

pub fn display_path(path: &Path, current_directory: &Path) -> String {
    let shown = path.strip_prefix(current_directory).unwrap_or(path);
    let text = shown.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".to_owned()
    } else {
        text
    }
}

impl SourceProvider for DiskProvider {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let canonical = std::fs::canonicalize(path)?;
        if !canonical.starts_with(&self.canonical_root) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "outside the workspace root",
            ));
        }
        let metadata = std::fs::metadata(&canonical)?;
        if metadata.len() > kientruc_dsl::workspace::MAX_FILE_SIZE as u64 + 1 {
            // Read only enough to report the size; never load a huge file.
            let mut bytes = vec![0u8; kientruc_dsl::workspace::MAX_FILE_SIZE + 1];
            use std::io::Read as _;
            std::fs::File::open(&canonical)?.read_exact(&mut bytes)?;
            return Ok(bytes);
        }
        std::fs::read(&canonical)
    }

    fn display_name(&self, path: &Path) -> String {
        display_path(path, &self.current_directory)
    }
}

/// Framework packs: a folder `frameworks/<id>/` (or `architecture/frameworks/<id>/`) in the
/// workspace root or any folder above it wins over the pack embedded in the binary.
pub struct Registry {
    search_from: PathBuf,
}

impl Registry {
    pub fn new(root: &Path) -> Self {
        Self {
            search_from: root.to_path_buf(),
        }
    }

    fn local_folder(&self, id: &str) -> Option<PathBuf> {
        if self.search_from.file_name().is_some_and(|name| name == id)
            && self.search_from.join("framework.toml").is_file()
        {
            return Some(self.search_from.clone());
        }
        self.search_from.ancestors().find_map(|ancestor| {
            [
                ancestor.join("frameworks").join(id),
                ancestor.join("architecture/frameworks").join(id),
            ]
            .into_iter()
            .find(|candidate| candidate.join("framework.toml").is_file())
        })
    }
}

fn read_pack_folder(id: &str, folder: &Path) -> FrameworkPack {
    let mut files = BTreeMap::new();
    let mut add_folder = |directory: &Path, prefix: &str| {
        if let Ok(entries) = std::fs::read_dir(directory) {
            for entry in entries.flatten() {
                let path = entry.path();
                let is_pack_file = matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("toml" | "ea")
                );
                if path.is_file() && is_pack_file {
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        files.insert(
                            format!("{prefix}{}", entry.file_name().to_string_lossy()),
                            Arc::<str>::from(text),
                        );
                    }
                }
            }
        }
    };
    add_folder(folder, "");
    add_folder(&folder.join("rules"), "rules/");
    // Fixtures (for `explain`): fixtures/<RULE-ID>/*.ea
    if let Ok(rules) = std::fs::read_dir(folder.join("fixtures")) {
        let mut rules: Vec<_> = rules.flatten().collect();
        rules.sort_by_key(std::fs::DirEntry::file_name);
        for rule in rules {
            let prefix = format!("fixtures/{}/", rule.file_name().to_string_lossy());
            add_folder(&rule.path(), &prefix);
        }
    }
    let current_directory = std::env::current_dir().unwrap_or_default();
    FrameworkPack {
        id: id.to_owned(),
        origin: folder.display().to_string(),
        display_root: Some(display_path(folder, &current_directory)),
        files,
    }
}

fn embedded_pack(id: &str) -> Option<FrameworkPack> {
    let files: BTreeMap<String, Arc<str>> = EMBEDDED_FRAMEWORK_FILES
        .iter()
        .filter(|(pack, _, _)| *pack == id)
        .map(|(_, name, text)| ((*name).to_owned(), Arc::<str>::from(*text)))
        .collect();
    (!files.is_empty()).then(|| FrameworkPack {
        id: id.to_owned(),
        origin: "embedded".to_owned(),
        display_root: None,
        files,
    })
}

impl FrameworkRegistry for Registry {
    fn get(&self, id: &str) -> Option<FrameworkPack> {
        if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
            return None;
        }
        match self.local_folder(id) {
            Some(folder) => Some(read_pack_folder(id, &folder)),
            None => embedded_pack(id),
        }
    }

    fn ids(&self) -> Vec<String> {
        let mut ids: BTreeSet<String> = EMBEDDED_FRAMEWORK_FILES
            .iter()
            .map(|(id, _, _)| (*id).to_owned())
            .collect();
        // Local pack folders at or above the workspace root.
        for ancestor in self.search_from.ancestors() {
            for folder in [
                ancestor.join("frameworks"),
                ancestor.join("architecture/frameworks"),
            ] {
                if let Ok(entries) = std::fs::read_dir(&folder) {
                    for entry in entries.flatten() {
                        if entry.path().join("framework.toml").is_file() {
                            ids.insert(entry.file_name().to_string_lossy().into_owned());
                        }
                    }
                }
            }
        }
        ids.into_iter().collect()
    }
}
