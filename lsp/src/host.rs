//! The language server's side of IO: open buffers over disk ([`OverlayProvider`]), finding the
//! project (workspace root) of an opened file and its `.ea` files, framework packs (local
//! `frameworks/<id>` folders win over the packs embedded in the binary), and copies of embedded
//! framework files on disk so that an editor can open them (go to definition into `national.ea`).
//!
//! Discovery and the registry follow the CLI's `src/host.rs`; this crate may not depend on the
//! binary crate, so the minimal glue is repeated here (see ARCHITECTURE.md).

use kientruc_dsl::workspace::{FrameworkPack, ParseCache, SourceProvider};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The workspace configuration file; its folder is the workspace root.
pub const CONFIG_FILE: &str = kientruc_checker::CONFIG_FILE;

/// Framework files built into the binary: (pack id, file name inside the pack, contents).
pub use kientruc_host::{EmbeddedFrameworkFiles, PackPaths, Registry};

/// The text of an open editor buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buffer {
    pub text: Arc<str>,
    pub version: i32,
}

/// Reads open buffers first, then disk (confined to the project root, like the CLI).
pub struct OverlayProvider<'a> {
    buffers: &'a Buffers,
    root: PathBuf,
    canonical_root: PathBuf,
    parse_cache: Option<&'a ParseCache>,
}

impl<'a> OverlayProvider<'a> {
    pub fn new(root: &Path, buffers: &'a Buffers) -> Self {
        Self {
            buffers,
            root: root.to_path_buf(),
            canonical_root: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
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
        if let Some(buffer) = self.buffers.get(path) {
            return Ok(buffer.text.as_bytes().to_vec());
        }
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
            std::io::Read::read_exact(&mut std::fs::File::open(&canonical)?, &mut bytes)?;
            return Ok(bytes);
        }
        std::fs::read(&canonical)
    }

    fn parse_cache(&self) -> Option<&ParseCache> {
        self.parse_cache
    }

    fn display_name(&self, path: &Path) -> String {
        let shown = path.strip_prefix(&self.root).unwrap_or(path);
        let text = shown.to_string_lossy().replace('\\', "/");
        if text.is_empty() {
            ".".to_owned()
        } else {
            text
        }
    }
}

/// True for a path that names a `.ea` file.
pub fn is_model_file(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension == "ea")
}

/// The open buffers, by path.
pub type Buffers = HashMap<PathBuf, Buffer>;

/// The project an opened file belongs to: the nearest folder holding `kientruc.toml`, else the
/// nearest folder that directly holds a `.ea` file declaring an `architecture` header, else the
/// file's own folder. The search never climbs above the client's workspace folder that contains
/// the file. A file that declares a header in a folder of several such files (rule fixtures,
/// examples) is a project of its own: the result is then the file itself.
pub fn project_root(file: &Path, client_roots: &[PathBuf], buffers: &Buffers) -> PathBuf {
    let folder = file.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    let headers_here = files_declaring_architecture(&folder, buffers);
    if headers_here.len() > 1 && headers_here.iter().any(|path| path == file) {
        return file.to_path_buf();
    }
    let ceiling = client_roots
        .iter()
        .filter(|root| file.starts_with(root))
        .max_by_key(|root| root.components().count());
    // An unsaved buffer outside every workspace folder, in a folder that does not exist: the
    // file is its own project (never search, or walk, whatever folders lie above it).
    if ceiling.is_none() && !folder.is_dir() {
        return file.to_path_buf();
    }
    let candidates: Vec<&Path> = folder
        .ancestors()
        .take_while(|ancestor| ceiling.is_none_or(|ceiling| ancestor.starts_with(ceiling)))
        .collect();
    if let Some(configured) = candidates
        .iter()
        .find(|candidate| candidate.join(CONFIG_FILE).is_file())
    {
        return configured.to_path_buf();
    }
    candidates
        .iter()
        .find(|candidate| !files_declaring_architecture(candidate, buffers).is_empty())
        .map_or(folder.clone(), |found| found.to_path_buf())
}

/// Whether a line of `text` starts with `architecture ` (a substring search: the main loop asks
/// this of every file in a folder on each edit).
pub(crate) fn declares_architecture(text: &str) -> bool {
    text.starts_with("architecture ")
        || memchr::memmem::find(text.as_bytes(), b"\narchitecture ").is_some()
}

/// The `.ea` files directly in `folder` (open buffers first) that declare an `architecture`.
fn files_declaring_architecture(folder: &Path, buffers: &Buffers) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = buffers
        .iter()
        .filter(|(path, buffer)| {
            path.parent() == Some(folder)
                && is_model_file(path)
                && declares_architecture(&buffer.text)
        })
        .map(|(path, _)| path.clone())
        .collect();
    if let Ok(entries) = std::fs::read_dir(folder) {
        found.extend(entries.flatten().map(|entry| entry.path()).filter(|path| {
            is_model_file(path)
                && !buffers.contains_key(path)
                && std::fs::read_to_string(path).is_ok_and(|text| declares_architecture(&text))
        }));
    }
    found
}

/// The folder a project's imports may not leave, and the files it checks: a single-file project
/// checks that file in its folder; a folder project every `.ea` file below it.
pub fn project_files(project: &Path, buffers: &Buffers) -> (PathBuf, Vec<PathBuf>) {
    if is_model_file(project) {
        let folder = project
            .parent()
            .map_or_else(PathBuf::new, Path::to_path_buf);
        return (folder, vec![project.to_path_buf()]);
    }
    (project.to_path_buf(), discover_files(project, buffers))
}

/// Every `.ea` file below `root` (skipping hidden folders, `target`, `node_modules` and nested
/// projects with their own `kientruc.toml`), plus open buffers below `root` not yet on disk.
pub fn discover_files(root: &Path, buffers: &Buffers) -> Vec<PathBuf> {
    let mut files = BTreeSet::new();
    let mut visited = BTreeSet::new();
    walk(root, root, &mut files, &mut visited);
    files.extend(
        buffers
            .keys()
            .filter(|path| path.starts_with(root) && is_model_file(path))
            .cloned(),
    );
    files.into_iter().collect()
}

fn walk(
    root: &Path,
    directory: &Path,
    files: &mut BTreeSet<PathBuf>,
    visited: &mut BTreeSet<PathBuf>,
) {
    let Ok(canonical) = std::fs::canonicalize(directory) else {
        return;
    };
    if !visited.insert(canonical) {
        return;
    }
    if directory != root && directory.join(CONFIG_FILE).is_file() {
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
                walk(root, &path, files, visited);
            }
        } else if is_model_file(&path) {
            files.insert(path);
        }
    }
}

/// The real file behind a framework file of `pack`: the file in the pack's folder when the pack
/// came from disk, else a copy of the embedded text written under `cache_directory` (written
/// once, replaced when the text differs).
pub fn framework_file_on_disk(
    pack: &FrameworkPack,
    name: &str,
    cache_directory: &Path,
) -> Option<PathBuf> {
    if let Some(root) = &pack.display_root {
        let path = Path::new(root).join(name);
        return path.is_absolute().then_some(path);
    }
    let text = pack.files.get(name)?;
    let path = cache_directory.join(&pack.id).join(name);
    if std::fs::read_to_string(&path).is_ok_and(|existing| *existing == **text) {
        return Some(path);
    }
    let parent = path.parent()?;
    std::fs::create_dir_all(parent).ok()?;
    let temporary = parent.join(format!(
        ".{}.{}.tmp",
        path.file_name()?.to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&temporary, text.as_bytes()).ok()?;
    std::fs::rename(&temporary, &path).ok()?;
    Some(path)
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
        let (root, files) = project_files(&top.join("pack/fixtures/R-1/fail.ea"), &buffers);
        assert_eq!(
            (root, files),
            (
                top.join("pack/fixtures/R-1"),
                vec![top.join("pack/fixtures/R-1/fail.ea")]
            )
        );
        let (_, files) = project_files(&top.join("hanoi"), &buffers);
        assert_eq!(
            files,
            vec![top.join("hanoi/apps/apps.ea"), top.join("hanoi/main.ea")]
        );
    }
}
