//! Workspace loading: decodes and parses the given files in parallel, follows imports (relative
//! paths, and `framework:NAME` into the framework pack the header names), confines imports to the
//! workspace root, detects import cycles, and loads the framework's metamodel.
//!
//! All IO goes through a caller-supplied [`SourceProvider`] (disk for the CLI, open buffers over
//! disk for the LSP) and a [`FrameworkRegistry`], so this module stays pure.
//!
//! [`load`] is the chain: the files to check (`loader`), read and parsed in parallel (`read`), the
//! framework pack (`framework`), imports followed from each file and cycles reported (`imports`),
//! the workspace returned. What a loaded workspace is lives in `sources` (re-exported here).

mod framework;
mod imports;
mod loader;
mod parse_cache;
mod provider;
mod read;

pub use crate::sources::{
    FRAMEWORK_PREFIX, Files, FrameworkInfo, FrameworkPack, LoadedFramework, Module, Origin,
    SourceText, Successor, Workspace,
};
pub use imports::{MAX_IMPORT_DEPTH, normalize};
pub use loader::MAX_FILES;
pub use parse_cache::ParseCache;
pub use provider::{FrameworkRegistry, MemoryProvider, MemoryRegistry, SourceProvider};
pub use read::{MAX_FILE_SIZE, decode};

use crate::text::FileId;
use loader::Loader;
use std::path::{Path, PathBuf};

/// Loads a workspace: `entries` are the files to check (absolute paths, any order), `root` the
/// folder imports may not leave.
pub fn load(
    root: &Path,
    entries: &[PathBuf],
    provider: &dyn SourceProvider,
    registry: &dyn FrameworkRegistry,
) -> Workspace {
    let mut loader = Loader::new(root, provider);
    let entries = loader.entries(entries);
    let timings = loader.read_entries(&entries);
    loader.load_framework(registry);
    // Follow imports depth-first from every workspace file.
    for index in 0..entries.len() {
        loader.follow_imports(FileId(index as u32), 0);
    }
    loader.report_cycles();
    loader.finish(timings)
}
