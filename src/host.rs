//! The CLI's side of IO: the framework packs embedded in this binary (by `build.rs`), and
//! `kientruc-host`'s discovery and registry seen from the current folder. Discovery, reading and
//! the clock themselves live in `kientruc-host`, shared with the language server.

use kientruc_host::{Discovery, PackPaths};
pub use kientruc_host::{DiskProvider, PathError, Registry, Workspace, absolute, display_path};
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded_frameworks.rs"));

/// The current folder: the CLI's working folder, and the base of the names it shows.
pub fn current_folder() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}

/// The workspace of the path arguments (`docs/language.md` §4.3), run from the current folder.
pub fn discover(paths: &[PathBuf]) -> Result<Workspace, PathError> {
    discover_from(&current_folder(), paths)
}

/// The workspace of the path arguments as if run from `working_folder` (`--diff` checks an
/// extracted revision from the same place in it).
pub fn discover_from(working_folder: &Path, paths: &[PathBuf]) -> Result<Workspace, PathError> {
    Discovery::disk(working_folder).discover(paths)
}

/// The framework registry of the CLI: local pack folders at or above `root`, else the packs
/// embedded in this binary; pack files are named relative to the current directory.
pub fn registry(root: &Path) -> Registry {
    Registry::new(
        root,
        EMBEDDED_FRAMEWORK_FILES,
        PackPaths::RelativeTo(current_folder()),
    )
}
