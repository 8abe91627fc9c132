//! kientruc-host: the IO both edges of the tool share (the CLI and the language server), so no
//! piece of it exists twice: finding framework packs (a local `frameworks/<id>/` folder at or
//! above the workspace root wins over the packs embedded in the binary), reading pack folders,
//! reading workspace files confined to the root, showing paths, and writing files atomically.
//! The analysis crates (`dsl`, `checker`, `reports`) stay pure; only this crate, the CLI and
//! the LSP touch the disk.

use kientruc_dsl::workspace::{FrameworkPack, FrameworkRegistry, SourceProvider};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Packs compiled into the binary: (pack id, file name inside the pack, contents).
pub type EmbeddedFrameworkFiles = &'static [(&'static str, &'static str, &'static str)];

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
    let directory = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temporary = tempfile::Builder::new()
        .prefix(".kientruc-")
        .suffix(".tmp")
        .tempfile_in(directory)?;
    temporary.write_all(contents.as_bytes())?;
    temporary.as_file().sync_all()?;
    if let Ok(metadata) = std::fs::metadata(path) {
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
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

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
        let limit = kientruc_dsl::workspace::MAX_FILE_SIZE;
        if std::fs::metadata(&canonical)?.len() > limit as u64 + 1 {
            // Read only enough to report the size; never load a huge file.
            let mut bytes = vec![0u8; limit + 1];
            std::io::Read::read_exact(&mut std::fs::File::open(&canonical)?, &mut bytes)?;
            return Ok(bytes);
        }
        std::fs::read(&canonical)
    }

    fn display_name(&self, path: &Path) -> String {
        display_workspace_path(path, &self.current_directory, &self.root)
    }
}

/// How a pack read from a folder names its files in messages.
#[derive(Debug, Clone)]
pub enum PackPaths {
    /// Relative to this folder (the CLI: relative to where it runs).
    RelativeTo(PathBuf),
    /// Absolute (the LSP: editors open these paths).
    Absolute,
}

/// Framework packs by id: a local pack folder wins over the embedded one.
pub struct Registry {
    search_from: PathBuf,
    embedded: EmbeddedFrameworkFiles,
    paths: PackPaths,
}

impl Registry {
    pub fn new(root: &Path, embedded: EmbeddedFrameworkFiles, paths: PackPaths) -> Self {
        Self {
            search_from: root.to_path_buf(),
            embedded,
            paths,
        }
    }

    /// The candidate pack folders at and above the root (`frameworks/`, `architecture/frameworks/`).
    fn pack_folders(&self) -> impl Iterator<Item = PathBuf> + '_ {
        self.search_from.ancestors().flat_map(|ancestor| {
            [
                ancestor.join("frameworks"),
                ancestor.join("architecture/frameworks"),
            ]
        })
    }

    fn local_folder(&self, id: &str) -> Option<PathBuf> {
        if self.search_from.file_name().is_some_and(|name| name == id)
            && self.search_from.join("framework.toml").is_file()
        {
            return Some(self.search_from.clone());
        }
        self.pack_folders()
            .map(|folder| folder.join(id))
            .find(|candidate| candidate.join("framework.toml").is_file())
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

    fn read_pack_folder(&self, id: &str, folder: &Path) -> FrameworkPack {
        let mut files = BTreeMap::new();
        let mut add_folder = |directory: &Path, prefix: &str| {
            let Ok(entries) = std::fs::read_dir(directory) else {
                return;
            };
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
        };
        add_folder(folder, "");
        add_folder(&folder.join("rules"), "rules/");
        add_folder(&folder.join("starter"), "starter/");
        // Fixtures (for `explain`): fixtures/<RULE-ID>/*.ea
        if let Ok(rules) = std::fs::read_dir(folder.join("fixtures")) {
            let mut rules: Vec<_> = rules.flatten().collect();
            rules.sort_by_key(std::fs::DirEntry::file_name);
            for rule in rules {
                let prefix = format!("fixtures/{}/", rule.file_name().to_string_lossy());
                add_folder(&rule.path(), &prefix);
            }
        }
        let display_root = match &self.paths {
            PackPaths::RelativeTo(base) => display_path(folder, base),
            PackPaths::Absolute => folder.to_string_lossy().replace('\\', "/"),
        };
        FrameworkPack {
            id: id.to_owned(),
            origin: folder.display().to_string(),
            display_root: Some(display_root),
            files,
        }
    }
}

impl FrameworkRegistry for Registry {
    fn get(&self, id: &str) -> Option<FrameworkPack> {
        if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
            return None;
        }
        match self.local_folder(id) {
            Some(folder) => Some(self.read_pack_folder(id, &folder)),
            None => self.embedded_pack(id),
        }
    }

    fn ids(&self) -> Vec<String> {
        let mut ids: BTreeSet<String> = self
            .embedded
            .iter()
            .map(|(id, _, _)| (*id).to_owned())
            .collect();
        for folder in self.pack_folders() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            for entry in entries.flatten() {
                if entry.path().join("framework.toml").is_file() {
                    ids.insert(entry.file_name().to_string_lossy().into_owned());
                }
            }
        }
        ids.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static EMBEDDED: &[(&str, &str, &str)] = &[
        ("pack", "framework.toml", "id = \"pack\"\n"),
        ("pack", "metamodel.toml", ""),
    ];

    #[test]
    fn a_local_pack_folder_wins_over_the_embedded_pack() {
        let folder = tempfile::tempdir().unwrap();
        let registry = Registry::new(folder.path(), EMBEDDED, PackPaths::Absolute);
        assert_eq!(registry.get("pack").unwrap().origin, "embedded");
        assert!(registry.get("../pack").is_none());
        std::fs::create_dir_all(folder.path().join("frameworks/pack/rules")).unwrap();
        std::fs::write(
            folder.path().join("frameworks/pack/framework.toml"),
            "id = \"pack\"\n",
        )
        .unwrap();
        std::fs::write(folder.path().join("frameworks/pack/rules/a.toml"), "").unwrap();
        let pack = registry.get("pack").unwrap();
        assert_ne!(pack.origin, "embedded");
        assert!(pack.files.contains_key("rules/a.toml"));
        std::fs::create_dir_all(folder.path().join("frameworks/other")).unwrap();
        std::fs::write(folder.path().join("frameworks/other/framework.toml"), "").unwrap();
        assert_eq!(registry.ids(), vec!["other", "pack"]);
    }

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
