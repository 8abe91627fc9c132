//! What loading reads through: a [`SourceProvider`] for files (disk for the CLI, open buffers
//! over disk for the LSP) and a [`FrameworkRegistry`] for framework packs, with the in-memory
//! ones that tests, fuzzing and editor buffers use.

use super::parse_cache::ParseCache;
use crate::sources::FrameworkPack;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Reads workspace files. Implemented by the CLI (disk) and the LSP (open buffers over disk).
pub trait SourceProvider: Sync {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
    /// The name to show for a path in messages.
    fn display_name(&self, path: &Path) -> String;
    /// Parses kept from earlier loads, reused for every file whose text has not changed (the
    /// language server re-parses only the file being edited). `None`, the default, parses every
    /// file.
    fn parse_cache(&self) -> Option<&ParseCache> {
        None
    }
}

/// Finds framework packs by id (embedded ones, or folders the workspace points at).
pub trait FrameworkRegistry: Sync {
    fn get(&self, id: &str) -> Option<FrameworkPack>;
    fn ids(&self) -> Vec<String>;
}

/// An in-memory [`SourceProvider`] (paths → text): for tests, fuzzing and editor buffers.
#[derive(Debug, Clone, Default)]
pub struct MemoryProvider {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemoryProvider {
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), text.into());
    }
}

impl SourceProvider for MemoryProvider {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
    }

    fn display_name(&self, path: &Path) -> String {
        path.to_string_lossy().trim_start_matches('/').to_owned()
    }
}

/// A registry holding packs given in memory.
#[derive(Debug, Clone, Default)]
pub struct MemoryRegistry {
    pub packs: Vec<FrameworkPack>,
}

impl FrameworkRegistry for MemoryRegistry {
    fn get(&self, id: &str) -> Option<FrameworkPack> {
        self.packs.iter().find(|pack| pack.id == id).cloned()
    }

    fn ids(&self) -> Vec<String> {
        self.packs.iter().map(|pack| pack.id.clone()).collect()
    }
}
