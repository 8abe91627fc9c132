//! What resolutions keep for the next one: the [`ResolveCache`] the language server holds, with
//! pass 2's outputs for each file and every name the file looked up, and the check that a kept
//! file's outputs are still exactly what pass 2 would produce.

use super::declare::PendingElement;
use super::resolver::{Output, Read, Resolver};
use crate::metamodel::Metamodel;
use crate::model::ElementId;
use crate::sources::{Origin, Workspace};
use crate::syntax;
use crate::text::FileId;
use std::collections::HashMap;
use std::sync::Arc;

/// What resolutions keep for the next one: the language server resolves the whole workspace
/// after every edit, and most files did not change. For each file, pass 2's output (the checked
/// kinds, properties and nested relations of its elements) and everything it read from outside
/// the file; while the file's tree and element ids, the metamodel and every one of those reads
/// are as they were, the output is reused instead of computed again. The result is the same
/// either way.
#[derive(Debug, Default)]
pub struct ResolveCache {
    files: std::sync::Mutex<HashMap<FileId, CachedFile>>,
    reused: std::sync::atomic::AtomicUsize,
}

impl ResolveCache {
    /// How many files' outputs the last resolution took from the cache.
    pub fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many files' outputs the cache holds.
    pub fn len(&self) -> usize {
        self.files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Everything the cache holds, taken out of it (for this resolution to reuse or drop).
    pub(super) fn take(&self) -> HashMap<FileId, CachedFile> {
        std::mem::take(
            &mut *self
                .files
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Keeps `kept` for the next resolution, and how many files' outputs this one `reused`.
    pub(super) fn store(&self, kept: HashMap<FileId, CachedFile>, reused: usize) {
        *self
            .files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = kept;
        self.reused
            .store(reused, std::sync::atomic::Ordering::Relaxed);
    }
}

#[derive(Debug)]
/// What the cache keeps of one file.
pub(super) struct CachedFile {
    pub(super) tree: Arc<syntax::SourceFile>,
    pub(super) metamodel: Option<Arc<Metamodel>>,
    pub(super) module: usize,
    pub(super) origin: Origin,
    /// The file's declared elements, in order: id and the address of its syntax (in `tree`).
    pub(super) elements: Vec<(ElementId, usize)>,
    /// The outputs of the file's shares, in order.
    pub(super) outputs: Vec<Output>,
    pub(super) reads: Vec<Read>,
}

impl CachedFile {
    /// An entry for a file checked now, whose elements are `pending` (at least one): the outputs
    /// and reads of its shares are added as they come.
    pub(super) fn new(
        workspace: &Workspace,
        metamodel: Option<&Arc<Metamodel>>,
        pending: &[PendingElement<'_>],
    ) -> CachedFile {
        let file = pending[0].file;
        CachedFile {
            tree: workspace.trees[file.0 as usize].clone(),
            metamodel: metamodel.cloned(),
            module: pending[0].module,
            origin: workspace.files.get(file).origin,
            elements: pending
                .iter()
                .map(|item| (item.id, std::ptr::from_ref(item.syntax) as usize))
                .collect(),
            outputs: Vec::new(),
            reads: Vec::new(),
        }
    }

    /// True when pass 2 would produce exactly the kept outputs for `pending`, the file's elements
    /// now: same tree, metamodel, module and origin, the same elements with the same ids, and
    /// every name the file looked up finds what it found then.
    pub(super) fn is_valid(
        &self,
        workspace: &Workspace,
        metamodel: Option<&Arc<Metamodel>>,
        pending: &[PendingElement<'_>],
        resolver: &Resolver<'_, '_>,
    ) -> bool {
        let Some(first) = pending.first() else {
            return false;
        };
        let same_metamodel = match (&self.metamodel, metamodel) {
            (Some(kept), Some(now)) => Arc::ptr_eq(kept, now),
            (None, None) => true,
            _ => false,
        };
        same_metamodel
            && Arc::ptr_eq(&self.tree, &workspace.trees[first.file.0 as usize])
            && self.module == first.module
            && self.origin == workspace.files.get(first.file).origin
            && self.elements.len() == pending.len()
            && self
                .elements
                .iter()
                .zip(pending)
                .all(|((id, syntax), item)| {
                    *id == item.id && *syntax == std::ptr::from_ref(item.syntax) as usize
                })
            && self
                .reads
                .iter()
                .all(|read| resolver.find(read.module, &read.name) == read.found)
    }
}
