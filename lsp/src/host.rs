//! The language server's side of IO: open buffers over the disk ([`OverlayProvider`], which
//! wraps the confined reader of `kientruc-host`), and the project (workspace) of an opened file
//! with its files, found by `kientruc-host`'s discovery, the rule the CLI uses
//! (`docs/language.md` §4.3), with the client's workspace folders as the working folders.

use kientruc_dsl::workspace::{ParseCache, SourceProvider};
use kientruc_host::{Discovery, DiskProvider, Workspace};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The workspace configuration file; its folder is the workspace root.
pub const CONFIG_FILE: &str = kientruc_checker::CONFIG_FILE;

pub use kientruc_host::{
    EmbeddedFrameworkFiles, PackPaths, Registry, declares_architecture, framework_file_on_disk,
    is_model_file,
};

/// The text of an open editor buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buffer {
    pub text: Arc<str>,
    pub version: i32,
}

impl AsRef<str> for Buffer {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

/// The open buffers, by path.
pub type Buffers = HashMap<PathBuf, Buffer>;

/// Reads open buffers first, then disk (through the CLI's reader, confined to the project root).
pub struct OverlayProvider<'a> {
    buffers: &'a Buffers,
    disk: DiskProvider,
    parse_cache: Option<&'a ParseCache>,
}

impl<'a> OverlayProvider<'a> {
    pub fn new(root: &Path, buffers: &'a Buffers) -> Self {
        Self {
            buffers,
            disk: DiskProvider::new(root),
            parse_cache: None,
        }
    }

    /// Reuses (and fills) `cache`, so that only files whose text changed are parsed again.
    #[must_use]
    pub fn with_parse_cache(mut self, cache: &'a ParseCache) -> Self {
        self.parse_cache = Some(cache);
        self
    }
}

impl SourceProvider for OverlayProvider<'_> {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match self.buffers.get(path) {
            Some(buffer) => Ok(buffer.text.as_bytes().to_vec()),
            None => self.disk.read(path),
        }
    }

    fn parse_cache(&self) -> Option<&ParseCache> {
        self.parse_cache
    }

    /// Relative to the project root (the server has no current folder of interest).
    fn display_name(&self, path: &Path) -> String {
        kientruc_host::display_path(path, self.disk.root())
    }
}

/// The project an opened file belongs to ([`Discovery::root_of`]): a folder, or the file itself
/// when it is a workspace of its own.
pub fn project_root(file: &Path, client_roots: &[PathBuf], buffers: &Buffers) -> PathBuf {
    Discovery::editor(client_roots, buffers).root_of(file)
}

/// The root a project's imports may not leave and the files it checks ([`Discovery::discover`]
/// on the project, as the CLI discovers the same folder): a single-file project checks that file
/// in its folder; a folder project the files below it, with the open buffers not saved yet.
pub fn project_files(project: &Path, client_roots: &[PathBuf], buffers: &Buffers) -> Workspace {
    Discovery::editor(client_roots, buffers)
        .discover(&[project.to_path_buf()])
        .unwrap_or_else(|_| Workspace {
            root: if project.is_dir() {
                project.to_path_buf()
            } else {
                project
                    .parent()
                    .map_or_else(PathBuf::new, Path::to_path_buf)
            },
            files: Vec::new(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
        std::fs::write(path, text).expect("file");
    }

    #[test]
    fn project_roots_follow_configuration_headers_and_client_folders() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let top = folder.path();
        let header = "architecture x \"X\" {\n  framework \"mini\"\n}\n";
        // A workspace whose header is in main.ea; apps.ea below it belongs to it.
        write(&top.join("hanoi/main.ea"), header);
        write(&top.join("hanoi/apps/apps.ea"), "system a \"A\" {}\n");
        // Rule fixtures: every file declares its own header, so each is a project.
        write(&top.join("pack/fixtures/R-1/fail.ea"), header);
        write(&top.join("pack/fixtures/R-1/pass.ea"), header);
        // A configured workspace: kientruc.toml wins over nested headers.
        write(&top.join("configured/kientruc.toml"), "");
        write(&top.join("configured/sub/model.ea"), header);
        let buffers = Buffers::new();
        let roots = [top.to_path_buf()];
        let root_of = |relative: &str| project_root(&top.join(relative), &roots, &buffers);
        assert_eq!(root_of("hanoi/apps/apps.ea"), top.join("hanoi"));
        assert_eq!(
            root_of("pack/fixtures/R-1/fail.ea"),
            top.join("pack/fixtures/R-1/fail.ea")
        );
        assert_eq!(root_of("configured/sub/model.ea"), top.join("configured"));
        // A file with no header anywhere up to the client folder: its own folder.
        write(&top.join("loose/x.ea"), "system a \"A\" {}\n");
        assert_eq!(root_of("loose/x.ea"), top.join("loose"));
        // Single-file projects check that one file; folder projects every file below.
        let project_of = |relative: &str| {
            project_files(
                &project_root(&top.join(relative), &roots, &buffers),
                &roots,
                &buffers,
            )
        };
        assert_eq!(
            project_of("pack/fixtures/R-1/fail.ea"),
            Workspace {
                root: top.join("pack/fixtures/R-1"),
                files: vec![top.join("pack/fixtures/R-1/fail.ea")]
            }
        );
        assert_eq!(
            project_of("hanoi/apps/apps.ea").files,
            vec![top.join("hanoi/apps/apps.ea"), top.join("hanoi/main.ea")]
        );
        // The CLI, given the same file, chooses the same root (host/tests/discovery.rs tests
        // the rule on more trees).
        for file in [
            "hanoi/apps/apps.ea",
            "pack/fixtures/R-1/fail.ea",
            "configured/sub/model.ea",
            "loose/x.ea",
        ] {
            // The CLI run from the folder the client opened.
            let cli = Discovery::disk(top).discover(&[top.join(file)]).unwrap();
            assert_eq!(cli.root, project_of(file).root, "{file}");
        }
    }
}
