//! Framework packs: the registry (a local `frameworks/<id>/` or `architecture/frameworks/<id>/`
//! folder at or above the workspace root wins over the packs embedded in the binary, which the
//! binary passes in), reading pack folders, and the real file behind a pack file for editors.

use crate::{display_path, write_atomically};
use kientruc_dsl::workspace::{FrameworkPack, FrameworkRegistry};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Packs compiled into the binary: (pack id, file name inside the pack, contents).
pub type EmbeddedFrameworkFiles = &'static [(&'static str, &'static str, &'static str)];

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
        // Starters per level: starter/<level>/*.ea (`kientruc init --scope LEVEL`).
        if let Ok(levels) = std::fs::read_dir(folder.join("starter")) {
            let mut levels: Vec<_> = levels
                .flatten()
                .filter(|entry| entry.path().is_dir())
                .collect();
            levels.sort_by_key(std::fs::DirEntry::file_name);
            for level in levels {
                let prefix = format!("starter/{}/", level.file_name().to_string_lossy());
                add_folder(&level.path(), &prefix);
            }
        }
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

/// The real file behind a framework file of `pack`: the file in the pack's folder when the pack
/// came from disk (and is named by an absolute path), else a copy of the embedded text written
/// under `cache_directory` (written once, replaced atomically when the text differs), so that an
/// editor can open it (go to definition into `framework:…/national.ea`).
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
    std::fs::create_dir_all(path.parent()?).ok()?;
    write_atomically(&path, text).ok()?;
    Some(path)
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
    fn embedded_pack_files_are_copied_to_the_cache_once() {
        let cache = tempfile::tempdir().unwrap();
        let registry = Registry::new(cache.path(), EMBEDDED, PackPaths::Absolute);
        let pack = registry.get("pack").unwrap();
        let path = framework_file_on_disk(&pack, "framework.toml", cache.path()).unwrap();
        assert_eq!(path, cache.path().join("pack/framework.toml"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id = \"pack\"\n");
        std::fs::write(&path, "changed").unwrap();
        framework_file_on_disk(&pack, "framework.toml", cache.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id = \"pack\"\n");
        assert!(framework_file_on_disk(&pack, "missing.toml", cache.path()).is_none());
    }
}
