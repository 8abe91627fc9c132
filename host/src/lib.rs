//! kientruc-host: the IO both edges of the tool share (the CLI and the language server), so no
//! piece of it exists twice: discovery (a workspace's root and files, [`Discovery`]), the
//! confined reader ([`DiskProvider`], [`read_folder`]), the clock ([`clock`]), framework packs
//! (a local `frameworks/<id>/` folder at or above the workspace root wins over the packs embedded
//! in the binary), showing paths, and writing files atomically. The analysis crates (`dsl`,
//! `checker`, `reports`) stay pure; only this crate, the CLI and the LSP touch the disk.

pub mod clock;
mod discovery;
mod read;
mod registry;

pub use discovery::{
    Discovery, NoOpenFiles, OpenFiles, PathError, Workspace, absolute, declares_architecture,
    is_model_file,
};
pub use read::{DiskProvider, FolderReadError, read_bounded, read_folder};
pub use registry::{EmbeddedFrameworkFiles, PackPaths, Registry, framework_file_on_disk};
use std::io::Write as _;
use std::path::Path;

/// `path` relative to `base` when below it, with forward slashes (`.` for `base` itself).
pub fn display_path(path: &Path, base: &Path) -> String {
    let shown = path.strip_prefix(base).unwrap_or(path);
    let text = shown.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".to_owned()
    } else {
        text
    }
}

/// How the CLI names a workspace file: relative to the current folder `base`, like
/// [`display_path`], and through `..` for a file of the workspace `root` that lies outside it
/// (checking a subfolder whose files import from a sibling folder), never as an absolute path.
/// Paths outside the root, or a current folder outside it, are left to [`display_path`].
pub fn display_workspace_path(path: &Path, base: &Path, root: &Path) -> String {
    if path.starts_with(base) || !base.starts_with(root) || !path.starts_with(root) {
        return display_path(path, base);
    }
    // Climb from the current folder to the nearest folder that holds the file (the root at
    // the highest).
    let mut common = base;
    let mut levels = 0;
    while !path.starts_with(common) {
        let Some(parent) = common.parent() else {
            return display_path(path, base);
        };
        common = parent;
        levels += 1;
    }
    let mut parts = vec!["..".to_owned(); levels];
    let rest = display_path(path, common);
    if rest != "." {
        parts.push(rest);
    }
    parts.join("/")
}

/// Writes `contents` to a temporary file beside `path` and renames it over `path`, keeping the
/// original permissions: a crash leaves either the old or the new file, never half of one.
pub fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    write_bytes_atomically(path, contents.as_bytes())
}

/// [`write_atomically`] for bytes (an XLSX workbook).
pub fn write_bytes_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut staged = Staged::new(path)?;
    staged.write_all(contents)?;
    staged.commit()?;
    Ok(())
}

/// A file written atomically in steps: the text goes (buffered) to a temporary file beside
/// `path`, which [`Staged::commit`] syncs and renames over it. Dropped without a commit, the
/// temporary file is removed and `path` is untouched, so a caller can stream several files and
/// replace them only once every one is complete (`kientruc report`).
pub struct Staged {
    path: std::path::PathBuf,
    file: std::io::BufWriter<tempfile::NamedTempFile>,
    written: u64,
}

impl Staged {
    /// A temporary file in `path`'s folder (`.kientruc-*.tmp`).
    pub fn new(path: &Path) -> std::io::Result<Staged> {
        let directory = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temporary = tempfile::Builder::new()
            .prefix(".kientruc-")
            .suffix(".tmp")
            .tempfile_in(directory)?;
        Ok(Staged {
            path: path.to_owned(),
            file: std::io::BufWriter::with_capacity(1 << 16, temporary),
            written: 0,
        })
    }

    /// The file it will replace.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Syncs the file and renames it over the target (keeping the target's permissions, a new
    /// file readable like any the user creates); the number of bytes written.
    pub fn commit(self) -> std::io::Result<u64> {
        let Staged {
            path,
            file,
            written,
        } = self;
        let temporary = file
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        temporary.as_file().sync_all()?;
        if let Ok(metadata) = std::fs::metadata(&path) {
            temporary
                .as_file()
                .set_permissions(metadata.permissions())?;
        } else {
            // A new file is readable like any file the user creates (temporary files are 0600).
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                temporary
                    .as_file()
                    .set_permissions(std::fs::Permissions::from_mode(0o644))?;
            }
        }
        temporary.persist(&path).map_err(|error| error.error)?;
        Ok(written)
    }
}

impl std::io::Write for Staged {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        let written = self.file.write(buffer)?;
        self.written += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_files_outside_the_current_folder_are_named_through_dot_dot() {
        let root = Path::new("/ws");
        let sub = Path::new("/ws/sub");
        let shown = |path: &str, base: &Path| display_workspace_path(Path::new(path), base, root);
        assert_eq!(shown("/ws/sub/main.ea", sub), "main.ea");
        assert_eq!(shown("/ws/shared/a.ea", sub), "../shared/a.ea");
        assert_eq!(shown("/ws/a.ea", Path::new("/ws/x/y")), "../../a.ea");
        assert_eq!(shown("/ws", sub), "..");
        assert_eq!(shown("/ws/shared/a.ea", root), "shared/a.ea");
        // Outside the workspace, or from a folder outside it: as `display_path` shows it.
        assert_eq!(shown("/other/a.ea", sub), "/other/a.ea");
        assert_eq!(shown("/ws/a.ea", Path::new("/tmp")), "/ws/a.ea");
    }

    #[test]
    fn atomic_writes_replace_whole_files() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("a.ea");
        write_atomically(&path, "một").unwrap();
        write_atomically(&path, "hai").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "hai");
        assert_eq!(
            std::fs::read_dir(folder.path()).unwrap().count(),
            1,
            "no temporary file is left"
        );
    }
}
