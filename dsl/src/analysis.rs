//! The language half of the shared analysis: load a workspace and resolve it. The checker adds
//! compliance findings on top; the CLI and the LSP both call this (no second pipeline).

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::Model;
use crate::resolve::resolve_with;
use crate::text::Span;
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
    diagnostics.extend(without_cascades(
        &workspace.diagnostics,
        resolved.diagnostics,
    ));
    diagnostics.sort_by_key(Diagnostic::sort_key);
    diagnostics.dedup();
    Analysis {
        timings,
        workspace,
        model: resolved.model,
        diagnostics,
    }
}

/// Resolution diagnostics without those about an identifier already reported as written outside
/// ASCII (KT0012): the parser keeps such a name as written, so resolution would report it again
/// as an unknown kind, property or reference. One mistake, one diagnostic.
fn without_cascades(syntax: &[Diagnostic], mut resolution: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let reported: Vec<Span> = syntax
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::NonAsciiIdentifier)
        .filter_map(|diagnostic| diagnostic.primary.as_ref().map(|label| label.span))
        .collect();
    if !reported.is_empty() {
        resolution.retain(|diagnostic| {
            !diagnostic.primary.as_ref().is_some_and(|label| {
                reported.iter().any(|identifier| {
                    identifier.file == label.span.file
                        && label.span.range.start < identifier.range.end
                        && identifier.range.start
                            < label.span.range.end.max(label.span.range.start + 1)
                })
            })
        });
    }
    resolution
}
