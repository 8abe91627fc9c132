//! The language half of the shared analysis: load a workspace and resolve it. The checker adds
//! compliance findings on top; the CLI and the LSP both call this (no second pipeline).

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::resolve::resolve_with;
use crate::workspace::{FrameworkRegistry, ParseCache, SourceProvider, Workspace, load};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Analysis {
    /// Wall time per stage (`read`, `parse`, `imports`, `resolve`, then the checker's stages).
    pub timings: Vec<(&'static str, std::time::Duration)>,
    pub workspace: Workspace,
    pub model: Model,
    /// Syntax, workspace, metamodel and resolution diagnostics, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn error_count(&self) -> usize {
        self.diagnostic_count(Severity::Error)
    }

    /// Diagnostics of one severity.
    pub fn diagnostic_count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity == severity)
            .count()
    }
}

/// Loads and resolves the workspace made of `entries` under `root`.
pub fn analyze(
    root: &Path,
    entries: &[PathBuf],
    provider: &dyn SourceProvider,
    registry: &dyn FrameworkRegistry,
) -> Analysis {
    let started = std::time::Instant::now();
    let workspace = load(root, entries, provider, registry);
    let load_time = started.elapsed();
    let started = std::time::Instant::now();
    let resolved = resolve_with(
        &workspace,
        provider.parse_cache().map(ParseCache::resolution),
    );
    let mut timings = workspace.timings.clone();
    let measured: std::time::Duration = timings.iter().map(|(_, duration)| *duration).sum();
    timings.push(("imports", load_time.saturating_sub(measured)));
    timings.push(("resolve", started.elapsed()));
    let mut diagnostics = workspace.diagnostics.clone();
    diagnostics.extend(resolved.diagnostics);
    diagnostics.sort_by_key(Diagnostic::sort_key);
    diagnostics.dedup();
    Analysis {
        timings,
        workspace,
        model: resolved.model,
        diagnostics,
    }
}
