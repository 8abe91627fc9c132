//! The loader: its state while a workspace loads, how loading starts (the files to check, sorted
//! and limited) and how it ends (the [`Workspace`]). Reading files, the framework pack and
//! imports each add to it from their own module.

use super::provider::SourceProvider;
use crate::diagnostic::{Code, Diagnostic};
use crate::sources::{Files, LoadedFramework, Module, Workspace};
use crate::syntax::SourceFile;
use crate::text::{FileId, Span};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A workspace may hold at most this many files (KT0114).
pub const MAX_FILES: usize = 20_000;

/// A workspace being loaded.
pub(super) struct Loader<'a> {
    pub(super) root: PathBuf,
    pub(super) provider: &'a dyn SourceProvider,
    pub(super) files: Files,
    pub(super) trees: Vec<Arc<SourceFile>>,
    pub(super) module_of_file: Vec<Option<usize>>,
    pub(super) modules: Vec<Module>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) framework: Option<LoadedFramework>,
    /// Import edges: (importing file, imported file, span of the import path).
    pub(super) import_edges: Vec<(FileId, FileId, Span)>,
    /// The file each alias of each module names (an alias may name only one file).
    pub(super) alias_files: HashMap<(usize, String), FileId>,
}

impl<'a> Loader<'a> {
    /// A loader with nothing read yet: module 0, the workspace, has no files.
    pub(super) fn new(root: &Path, provider: &'a dyn SourceProvider) -> Self {
        Loader {
            root: root.to_path_buf(),
            provider,
            files: Files::default(),
            trees: Vec::new(),
            module_of_file: Vec::new(),
            modules: vec![Module {
                namespace: None,
                files: Vec::new(),
                aliases: BTreeMap::new(),
            }],
            diagnostics: Vec::new(),
            framework: None,
            import_edges: Vec::new(),
            alias_files: HashMap::new(),
        }
    }

    /// The files to check: sorted, each once, at most [`MAX_FILES`] of them (KT0114); none at
    /// all is KT0108.
    pub(super) fn entries(&mut self, entries: &[PathBuf]) -> Vec<PathBuf> {
        let mut entries: Vec<PathBuf> = entries.to_vec();
        entries.sort();
        entries.dedup();
        if entries.len() > MAX_FILES {
            self.diagnostics.push(Diagnostic::new(
                Code::TooManyFiles,
                format!("{} files given; the limit is {MAX_FILES}", entries.len()),
            ));
            entries.truncate(MAX_FILES);
        }
        if entries.is_empty() {
            self.diagnostics
                .push(Diagnostic::new(Code::NoSources, "no .ea files to check"));
        }
        entries
    }

    /// The loaded workspace, with the loading stages' `timings`; the provider's parse cache
    /// forgets the files this load did not read.
    pub(super) fn finish(self, timings: Vec<(&'static str, std::time::Duration)>) -> Workspace {
        if let Some(cache) = self.provider.parse_cache() {
            cache.retain_read(&self.files);
        }
        Workspace {
            timings,
            root: self.root,
            files: self.files,
            trees: self.trees,
            modules: self.modules,
            module_of_file: self.module_of_file,
            framework: self.framework,
            diagnostics: self.diagnostics,
        }
    }
}
