//! The confined reader: every workspace file and template the tool reads goes through here, and
//! a path whose real location (after links) leaves the folder it is confined to is refused. The
//! CLI reads workspaces with [`DiskProvider`]; the language server's `OverlayProvider` puts the
//! open editor buffers over it.

use crate::display_workspace_path;
use kientruc_dsl::workspace::SourceProvider;
use std::path::{Path, PathBuf};

/// Reads files from disk; refuses files whose real path (after links) leaves the root.
pub struct DiskProvider {
    root: PathBuf,
    canonical_root: PathBuf,
    current_directory: PathBuf,
}

impl DiskProvider {
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            canonical_root: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            current_directory: std::env::current_dir().unwrap_or_default(),
        }
    }

    /// The folder reads are confined to.
    pub fn root(&self) -> &Path {
        &self.root
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
        read_bounded(&canonical)
    }

    /// How the CLI names a file: relative to the current folder (see [`display_workspace_path`]).
    fn display_name(&self, path: &Path) -> String {
        display_workspace_path(path, &self.current_directory, &self.root)
    }
}

/// The bytes of a file, or only one byte more than the largest file the language accepts: a
/// huge file is reported by its size, never loaded.
pub fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let limit = kientruc_dsl::workspace::MAX_FILE_SIZE;
    if std::fs::metadata(path)?.len() > limit as u64 + 1 {
        let mut bytes = vec![0u8; limit + 1];
        std::io::Read::read_exact(&mut std::fs::File::open(path)?, &mut bytes)?;
        return Ok(bytes);
    }
    std::fs::read(path)
}

/// Why [`read_folder`] failed.
#[derive(Debug)]
pub enum FolderReadError {
    /// The folder itself cannot be listed (or does not exist).
    Folder(std::io::Error),
    /// A file of the folder is a link whose real path leaves the folder; nothing was read.
    LeavesFolder(PathBuf),
    /// A file of the folder cannot be read as UTF-8 text.
    File(PathBuf, std::io::Error),
}

/// The files directly in `folder` whose name ends in `.{extension}`, sorted by path, each as its
/// file name and text; confined to the folder like [`DiskProvider`]: a link that leaves it fails
/// the whole read (`report --templates DIR`).
pub fn read_folder(
    folder: &Path,
    extension: &str,
) -> Result<Vec<(String, String)>, FolderReadError> {
    let entries = std::fs::read_dir(folder).map_err(FolderReadError::Folder)?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|found| found == extension))
        .collect();
    paths.sort();
    let real_folder = std::fs::canonicalize(folder).map_err(FolderReadError::Folder)?;
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        if !std::fs::canonicalize(&path).is_ok_and(|real| real.starts_with(&real_folder)) {
            return Err(FolderReadError::LeavesFolder(path));
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|error| FolderReadError::File(path.clone(), error))?;
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push((name, text));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn reads_are_confined_to_the_root() {
        let base = tempfile::tempdir().unwrap();
        let root = base.path().join("ws");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(base.path().join("secret.ea"), "secret").unwrap();
        std::fs::write(root.join("a.ea"), "a").unwrap();
        std::os::unix::fs::symlink(base.path().join("secret.ea"), root.join("link.ea")).unwrap();
        let provider = DiskProvider::new(&root);
        assert_eq!(provider.read(&root.join("a.ea")).unwrap(), b"a");
        let refused = provider.read(&root.join("link.ea")).unwrap_err();
        assert_eq!(refused.kind(), std::io::ErrorKind::PermissionDenied);
        assert!(provider.read(&root.join("../secret.ea")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_read_refuses_links_that_leave_it() {
        let base = tempfile::tempdir().unwrap();
        let folder = base.path().join("templates");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("b.tera"), "b").unwrap();
        std::fs::write(folder.join("a.tera"), "a").unwrap();
        std::fs::write(folder.join("notes.txt"), "not a template").unwrap();
        let names: Vec<String> = read_folder(&folder, "tera")
            .unwrap()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, ["a.tera", "b.tera"]);
        std::fs::write(base.path().join("secret.tera"), "secret").unwrap();
        std::os::unix::fs::symlink(base.path().join("secret.tera"), folder.join("c.tera")).unwrap();
        assert!(matches!(
            read_folder(&folder, "tera"),
            Err(FolderReadError::LeavesFolder(path)) if path == folder.join("c.tera")
        ));
        assert!(matches!(
            read_folder(&base.path().join("missing"), "tera"),
            Err(FolderReadError::Folder(_))
        ));
    }
}
