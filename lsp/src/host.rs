//! The language server's side of IO: open buffers over disk ([`OverlayProvider`]), finding the
//! project (workspace root) of an opened file and its `.ea` files, framework packs (local
//! `frameworks/<id>` folders win over the packs embedded in the binary), and copies of embedded
//! framework files on disk so that an editor can open them (go to definition into `national.ea`).
//!
//! Discovery and the registry follow the CLI's `src/host.rs`; this crate may not depend on the
//! binary crate, so the minimal glue is repeated here (see ARCHITECTURE.md).

use kientruc_dsl::workspace::{FrameworkPack, FrameworkRegistry, SourceProvider};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The workspace configuration file; its folder is the workspace root.
pub const CONFIG_FILE: &str = kientruc_checker::CONFIG_FILE;

/// Framework files built into the binary: (pack id, file name inside the pack, contents).
pub type EmbeddedFrameworkFiles = &'static [(&'static str, &'static str, &'static str)];

/// The text of an open editor buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buffer {
    pub text: Arc<str>,
    pub version: i32,
}

/// Reads open buffers first, then disk (confined to the project root, like the CLI).
pub struct OverlayProvider<'a> {
    buffers: &'a HashMap<PathBuf, Buffer>,
    root: PathBuf,
    canonical_root: PathBuf,
}

impl<'a> OverlayProvider<'a> {
    pub fn new(root: &Path, buffers: &'a HashMap<PathBuf, Buffer>) -> Self {
        Self {
            buffers,
            root: root.to_path_buf(),
            canonical_root: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        }
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

/// The project an opened file belongs to: the nearest folder holding `kientruc.toml`, else the
/// nearest folder that directly holds a `.ea` file declaring an `architecture` header, else the
/// file's own folder. The search never climbs above the client's workspace folder that contains
/// the file.
pub fn project_root(
    file: &Path,
    client_roots: &[PathBuf],
    buffers: &HashMap<PathBuf, Buffer>,
) -> PathBuf {
    let folder = file.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    let ceiling = client_roots
        .iter()
        .filter(|root| file.starts_with(root))
        .max_by_key(|root| root.components().count());
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
        .find(|candidate| holds_architecture_header(candidate, buffers))
        .map_or(folder.clone(), |found| found.to_path_buf())
}

fn declares_architecture(text: &str) -> bool {
    text.lines().any(|line| line.starts_with("architecture "))
}

fn holds_architecture_header(folder: &Path, buffers: &HashMap<PathBuf, Buffer>) -> bool {
    let open = buffers.iter().any(|(path, buffer)| {
        path.parent() == Some(folder) && is_model_file(path) && declares_architecture(&buffer.text)
    });
    if open {
        return true;
    }
    let Ok(entries) = std::fs::read_dir(folder) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        is_model_file(&path)
            && !buffers.contains_key(&path)
            && std::fs::read_to_string(&path).is_ok_and(|text| declares_architecture(&text))
    })
}

/// Every `.ea` file below `root` (skipping hidden folders, `target`, `node_modules` and nested
/// projects with their own `kientruc.toml`), plus open buffers below `root` not yet on disk.
pub fn discover_files(root: &Path, buffers: &HashMap<PathBuf, Buffer>) -> Vec<PathBuf> {
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

/// Framework packs: a folder `frameworks/<id>/` (or `architecture/frameworks/<id>/`) in the
/// project root or any folder above it wins over the pack embedded in the binary.
pub struct Registry {
    search_from: PathBuf,
    embedded: EmbeddedFrameworkFiles,
}

impl Registry {
    pub fn new(root: &Path, embedded: EmbeddedFrameworkFiles) -> Self {
        Self {
            search_from: root.to_path_buf(),
            embedded,
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

    fn embedded_pack(&self, id: &str) -> Option<FrameworkPack> {
        let files: BTreeMap<String, Arc<str>> = self
            .embedded
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
}

impl FrameworkRegistry for Registry {
    fn get(&self, id: &str) -> Option<FrameworkPack> {
        if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
            return None;
        }
        match self.local_folder(id) {
            Some(folder) => Some(read_pack_folder(id, &folder)),
            None => self.embedded_pack(id),
        }
    }

    fn ids(&self) -> Vec<String> {
        let ids: BTreeSet<String> = self
            .embedded
            .iter()
            .map(|(id, _, _)| (*id).to_owned())
            .collect();
        ids.into_iter().collect()
    }
}

/// Reads a pack folder. `origin` and `display_root` are the absolute folder, so that the files
/// of a pack read from disk map back to real paths.
fn read_pack_folder(id: &str, folder: &Path) -> FrameworkPack {
    let mut files = BTreeMap::new();
    let mut add_folder = |directory: &Path, prefix: &str| {
        if let Ok(entries) = std::fs::read_dir(directory) {
            for entry in entries.flatten() {
                let path = entry.path();
                let is_pack_file = matches!(
                    path.extension().and_then(|extension| extension.to_str()),
                    Some("toml" | "ea")
                );
                if path.is_file()
                    && is_pack_file
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    files.insert(
                        format!("{prefix}{}", entry.file_name().to_string_lossy()),
                        Arc::<str>::from(text),
                    );
                }
            }
        }
    };
    add_folder(folder, "");
    add_folder(&folder.join("rules"), "rules/");
    let shown = folder.to_string_lossy().replace('\\', "/");
    FrameworkPack {
        id: id.to_owned(),
        origin: shown.clone(),
        display_root: Some(shown),
        files,
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
