//! The parse cache the language server keeps per project: a load reuses the tree and syntax
//! diagnostics of every file whose text is unchanged, and the metamodel when its text is; the
//! cache also carries the [`ResolveCache`] of the workspaces it loads.

use crate::diagnostic::Diagnostic;
use crate::metamodel::Metamodel;
use crate::resolve::ResolveCache;
use crate::sources::Files;
use crate::syntax::SourceFile;
use crate::text::{FileId, LineIndex};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The parses of earlier loads, by file path, each with the exact text it was parsed from. A
/// load reuses the tree and syntax diagnostics of every file whose text is byte-identical, and
/// forgets the files it no longer reads, so the cache holds at most one parse per file.
#[derive(Debug, Default)]
pub struct ParseCache {
    entries: std::sync::RwLock<HashMap<PathBuf, Parsed>>,
    /// The last metamodel read, with the text and file id it was read as.
    metamodel: std::sync::Mutex<Option<CachedMetamodel>>,
    /// What the last resolution of the loaded workspace keeps for the next one.
    resolution: ResolveCache,
}

#[derive(Debug, Clone)]
struct CachedMetamodel {
    text: Arc<str>,
    file: FileId,
    metamodel: Option<Arc<Metamodel>>,
    diagnostics: Vec<Diagnostic>,
}

/// A file's text, tree and syntax diagnostics, parsed now or taken from a [`ParseCache`].
#[derive(Debug, Clone)]
pub(super) struct Parsed {
    pub(super) text: Arc<str>,
    /// Built beside the parse (in parallel, and kept by the cache).
    pub(super) line_index: Arc<LineIndex>,
    pub(super) tree: Arc<SourceFile>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl ParseCache {
    /// The cached parse of `path` if it was parsed from exactly these bytes (then they need no
    /// decoding: they decoded before), with its diagnostics moved to `file`.
    pub(super) fn get(&self, path: &Path, bytes: &[u8], file: FileId) -> Option<Parsed> {
        let entries = self
            .entries
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut parsed = entries
            .get(path)
            .filter(|cached| cached.text.as_bytes() == bytes)?
            .clone();
        for diagnostic in &mut parsed.diagnostics {
            for label in diagnostic
                .primary
                .iter_mut()
                .chain(&mut diagnostic.secondary)
            {
                label.span.file = file;
            }
        }
        Some(parsed)
    }

    pub(super) fn insert(&self, path: &Path, parsed: &Parsed) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.insert(path.to_path_buf(), parsed.clone());
    }

    /// Forgets every file `files` did not read.
    pub(super) fn retain_read(&self, files: &Files) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.retain(|path, _| files.find(path).is_some());
    }

    /// The metamodel read from `text` as file `file`: the cached one if it was read from the
    /// same text as the same file, else read now (and cached).
    pub(super) fn metamodel(
        &self,
        file: FileId,
        text: &Arc<str>,
    ) -> (Option<Arc<Metamodel>>, Vec<Diagnostic>) {
        let mut cached = self
            .metamodel
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(hit) = cached
            .as_ref()
            .filter(|hit| hit.file == file && hit.text == *text)
        {
            return (hit.metamodel.clone(), hit.diagnostics.clone());
        }
        let (metamodel, diagnostics) = read_metamodel(file, text);
        *cached = Some(CachedMetamodel {
            text: text.clone(),
            file,
            metamodel: metamodel.clone(),
            diagnostics: diagnostics.clone(),
        });
        (metamodel, diagnostics)
    }

    /// The cache of resolutions of the workspaces this cache loads.
    pub fn resolution(&self) -> &ResolveCache {
        &self.resolution
    }

    /// How many parses the cache holds.
    pub fn len(&self) -> usize {
        self.entries
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads a metamodel (not through the cache).
pub(super) fn read_metamodel(
    file: FileId,
    text: &str,
) -> (Option<Arc<Metamodel>>, Vec<Diagnostic>) {
    let (metamodel, diagnostics) = Metamodel::from_toml(file, text);
    (metamodel.map(Arc::new), diagnostics)
}
