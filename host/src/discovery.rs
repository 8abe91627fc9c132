//! Discovery: which folder is a workspace's root, and which `.ea` files the workspace holds. The
//! CLI and the language server both call [`Discovery::discover`], so a file is checked with the
//! same root and the same neighbours on the command line and in the editor
//! (`docs/language.md` §4.3 states the rule for users).
//!
//! The root of a path is, searching from the path's folder upwards:
//! 1. the nearest folder holding `kientruc.toml`, at any height;
//! 2. else the nearest folder directly holding a `.ea` file that declares an `architecture`,
//!    searching no higher than the *working folder* that holds the path (the CLI's current
//!    folder, or the editor's workspace folder) and not at all for a path outside it;
//! 3. else the path's own folder.
//!
//! Before that, a file that declares an `architecture` in a folder where another file declares
//! one too (rule fixtures, examples) is a workspace of its own: that file alone.
//!
//! A folder's files are the `.ea` files below it, skipping hidden folders, `target`,
//! `node_modules`, folders holding their own `kientruc.toml` (nested workspaces), and what the
//! `.gitignore` files of its git repository ignore, and what the `exclude` patterns of the
//! workspace's `kientruc.toml` name; links are followed once per real folder.

use crate::read::read_bounded;
use kientruc_checker::CONFIG_FILE;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Files open in an editor, whose text may differ from the disk or not be saved yet. The CLI has
/// none ([`NoOpenFiles`]).
pub trait OpenFiles {
    /// The text of `path` when it is open.
    fn open_text(&self, path: &Path) -> Option<&str>;
    /// Every open path.
    fn open_paths(&self) -> Vec<&Path>;
}

/// No open files: discovery sees the disk only.
pub struct NoOpenFiles;

impl OpenFiles for NoOpenFiles {
    fn open_text(&self, _path: &Path) -> Option<&str> {
        None
    }

    fn open_paths(&self) -> Vec<&Path> {
        Vec::new()
    }
}

impl<Text: AsRef<str>, Hasher: BuildHasher> OpenFiles for HashMap<PathBuf, Text, Hasher> {
    fn open_text(&self, path: &Path) -> Option<&str> {
        self.get(path).map(AsRef::as_ref)
    }

    fn open_paths(&self) -> Vec<&Path> {
        self.keys().map(PathBuf::as_path).collect()
    }
}

/// A workspace: the folder its imports may not leave, and the files it checks (sorted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
}

/// A path argument that does not exist or cannot be read.
#[derive(Debug)]
pub struct PathError(pub String);

/// True for a path that names a `.ea` file.
pub fn is_model_file(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension == "ea")
}

/// Whether a line of `text` starts with `architecture ` (a substring search: the language server
/// asks this of every file in a folder on edits that add or remove a header).
pub fn declares_architecture(text: &str) -> bool {
    text.starts_with("architecture ")
        || memchr::memmem::find(text.as_bytes(), b"\narchitecture ").is_some()
}

/// `path` made absolute against the current folder, with `.` and `..` resolved textually.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    kientruc_dsl::workspace::normalize(&joined, ".")
}

/// Finds workspaces: on disk for the CLI ([`Discovery::disk`]), over the open buffers and within
/// the client's workspace folders for the language server ([`Discovery::editor`]).
pub struct Discovery<'a> {
    working_folders: Vec<PathBuf>,
    open_files: &'a dyn OpenFiles,
}

impl Discovery<'static> {
    /// The CLI's view: the disk, from `current_folder` (the working folder).
    pub fn disk(current_folder: &Path) -> Self {
        Self {
            working_folders: vec![current_folder.to_path_buf()],
            open_files: &NoOpenFiles,
        }
    }
}

impl<'a> Discovery<'a> {
    /// The language server's view: `open_files` over the disk; the client's workspace folders
    /// are the working folders.
    pub fn editor(workspace_folders: &[PathBuf], open_files: &'a dyn OpenFiles) -> Self {
        Self {
            working_folders: workspace_folders.to_vec(),
            open_files,
        }
    }

    /// The workspace `path` (an absolute file or folder) belongs to, by the rule in the module
    /// documentation: a folder, or the file itself when it is a workspace of its own. The
    /// language server keys its projects by this path.
    pub fn root_of(&self, path: &Path) -> PathBuf {
        let is_folder = path.is_dir();
        let folder = if is_folder {
            path.to_path_buf()
        } else {
            path.parent().map_or_else(PathBuf::new, Path::to_path_buf)
        };
        if !is_folder
            && self.declares_architecture(path)
            && self
                .files_declaring_architecture(&folder, 2)
                .iter()
                .any(|other| other != path)
        {
            return path.to_path_buf();
        }
        let working_folder = self
            .working_folders
            .iter()
            .filter(|working_folder| path.starts_with(working_folder))
            .max_by_key(|working_folder| working_folder.components().count());
        // An unsaved buffer outside every working folder, in a folder that does not exist: the
        // file is its own workspace (never search, or walk, whatever folders lie above it).
        if working_folder.is_none() && !folder.is_dir() {
            return path.to_path_buf();
        }
        if let Some(configured) = folder
            .ancestors()
            .find(|ancestor| ancestor.join(CONFIG_FILE).is_file())
        {
            return configured.to_path_buf();
        }
        let Some(working_folder) = working_folder else {
            return folder;
        };
        folder
            .ancestors()
            .take_while(|ancestor| ancestor.starts_with(working_folder))
            .find(|ancestor| !self.files_declaring_architecture(ancestor, 1).is_empty())
            .map_or(folder.clone(), Path::to_path_buf)
    }

    /// The workspace of `paths` (files or folders; none: the current folder), the one function
    /// both edges call. The root is [`Discovery::root_of`] the first path (its folder when it is
    /// a workspace of its own), or the common folder of all the paths when some lie outside it.
    /// The files are the files named plus the files of the folders named (see the module
    /// documentation), plus open files not saved yet that belong to the same workspace. A path
    /// named is read even if the walk would skip it.
    pub fn discover(&self, paths: &[PathBuf]) -> Result<Workspace, PathError> {
        let paths: Vec<PathBuf> = if paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            paths.to_vec()
        };
        let mut files = BTreeSet::new();
        let mut folders = Vec::new();
        let mut walked = Vec::new();
        for path in &paths {
            let absolute_path = absolute(path);
            let is_folder = match std::fs::metadata(&absolute_path) {
                Ok(metadata) => metadata.is_dir(),
                Err(_) if self.open_files.open_text(&absolute_path).is_some() => false,
                Err(error) => {
                    return Err(PathError(format!(
                        "cannot read {}: {error}",
                        path.display()
                    )));
                }
            };
            if is_folder {
                walk(&absolute_path, &mut files);
                folders.push(absolute_path.clone());
                walked.push(absolute_path);
            } else {
                folders.push(
                    absolute_path
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default(),
                );
                files.insert(absolute_path);
            }
        }
        let first = absolute(&paths[0]);
        let workspace = self.root_of(&first);
        let mut root = if workspace == first && !walked.contains(&first) {
            folders[0].clone()
        } else {
            workspace.clone()
        };
        if !files.iter().all(|file| file.starts_with(&root)) {
            root = common_ancestor(&folders);
        }
        for path in self.open_paths_not_saved() {
            let below_a_walked_folder = walked.iter().any(|folder| {
                path.strip_prefix(folder)
                    .is_ok_and(|relative| relative.parent().is_none_or(walked_into))
            });
            if below_a_walked_folder && self.root_of(path) == workspace {
                files.insert(path.to_path_buf());
            }
        }
        Ok(Workspace {
            root,
            files: files.into_iter().collect(),
        })
    }

    fn declares_architecture(&self, path: &Path) -> bool {
        match self.open_files.open_text(path) {
            Some(text) => declares_architecture(text),
            None => read_bounded(path)
                .is_ok_and(|bytes| declares_architecture(&String::from_utf8_lossy(&bytes))),
        }
    }

    /// Up to `limit` `.ea` files directly in `folder` (open ones first, as open) that declare an
    /// `architecture`.
    fn files_declaring_architecture(&self, folder: &Path, limit: usize) -> Vec<PathBuf> {
        let open_paths = self.open_files.open_paths();
        let mut found: Vec<PathBuf> = open_paths
            .iter()
            .filter(|path| path.parent() == Some(folder) && is_model_file(path))
            .filter(|path| self.declares_architecture(path))
            .map(|path| path.to_path_buf())
            .take(limit)
            .collect();
        if found.len() < limit
            && let Ok(entries) = std::fs::read_dir(folder)
        {
            let on_disk = entries
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| is_model_file(path) && !open_paths.contains(&path.as_path()))
                .filter(|path| self.declares_architecture(path))
                .take(limit - found.len());
            found.extend(on_disk);
        }
        found
    }

    fn open_paths_not_saved(&self) -> Vec<&Path> {
        self.open_files
            .open_paths()
            .into_iter()
            .filter(|path| is_model_file(path) && !path.exists())
            .collect()
    }
}

/// Whether the walk goes into a folder of this relative path: no part of it is skipped by name.
/// (A folder holding its own `kientruc.toml` is a workspace of its own, found by the root rule.)
fn walked_into(relative: &Path) -> bool {
    relative
        .components()
        .all(|component| !is_skipped_folder_name(&component.as_os_str().to_string_lossy()))
}

fn is_skipped_folder_name(name: &str) -> bool {
    name.starts_with('.') || name == "target" || name == "node_modules"
}

fn common_ancestor(folders: &[PathBuf]) -> PathBuf {
    let mut common = folders.first().cloned().unwrap_or_default();
    for folder in folders.iter().skip(1) {
        while !folder.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

/// The `exclude` patterns of the `kientruc.toml` at or above `start` (its workspace's), as a
/// matcher rooted at that file's folder; `None` without a configuration or patterns. Invalid
/// patterns are left out here (the configuration's check reports them).
fn excluded_by_configuration(start: &Path) -> Option<ignore::gitignore::Gitignore> {
    let folder = start
        .ancestors()
        .find(|ancestor| ancestor.join(CONFIG_FILE).is_file())?;
    let bytes = read_bounded(&folder.join(CONFIG_FILE)).ok()?;
    let patterns = kientruc_checker::config::exclude_patterns(&String::from_utf8_lossy(&bytes));
    if patterns.is_empty() {
        return None;
    }
    let mut builder = ignore::gitignore::GitignoreBuilder::new(folder);
    for pattern in &patterns {
        builder.add_line(None, pattern).ok()?;
    }
    builder.build().ok()
}

/// Adds the `.ea` files below `start` to `files` (see the module documentation for what is
/// skipped). `.gitignore` files count inside a git repository only (from the repository's top
/// down), as git counts them; the global excludes file and `.git/info/exclude` do not, so every
/// clone of a repository finds the same files.
fn walk(start: &Path, files: &mut BTreeSet<PathBuf>) {
    let excluded = excluded_by_configuration(start);
    let visited = Arc::new(Mutex::new(HashSet::new()));
    if let Ok(canonical) = std::fs::canonicalize(start) {
        visited
            .lock()
            .expect("the walk does not panic while holding the lock")
            .insert(canonical);
    }
    let walker = ignore::WalkBuilder::new(start)
        .standard_filters(false)
        .git_ignore(true)
        .parents(true)
        .require_git(true)
        .follow_links(true)
        .sort_by_file_name(Ord::cmp)
        .filter_entry(move |entry| {
            let is_folder = entry.file_type().is_some_and(|kind| kind.is_dir());
            let path = entry.path();
            if entry.depth() > 0
                && excluded
                    .as_ref()
                    .is_some_and(|excluded| excluded.matched(path, is_folder).is_ignore())
            {
                return false;
            }
            if !is_folder {
                return true;
            }
            if is_skipped_folder_name(&entry.file_name().to_string_lossy())
                || path.join(CONFIG_FILE).is_file()
            {
                return false;
            }
            // Following links: each real folder once (two links to one folder, a link loop).
            std::fs::canonicalize(path).is_ok_and(|canonical| {
                visited
                    .lock()
                    .expect("the walk does not panic while holding the lock")
                    .insert(canonical)
            })
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_some_and(|kind| !kind.is_dir())
                    && is_model_file(entry.path())
                {
                    files.insert(entry.into_path());
                }
            }
            // A link to nothing: kept, so that reading it reports the file by its name.
            Err(ignore::Error::WithPath { path, .. }) if is_model_file(&path) => {
                files.insert(path);
            }
            Err(_) => {}
        }
    }
}
