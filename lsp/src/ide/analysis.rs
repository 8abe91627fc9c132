//! The analysis of one project as the editor features see it: the checker's whole result
//! (`kientruc_checker::analyze_and_check`, the one analysis every surface runs) plus the indexes
//! the features need, in byte offsets and spans. No protocol type here: `convert.rs` turns
//! spans into the client's positions and paths into URIs.

use kientruc_checker::incremental::RuleCache;
use kientruc_checker::rules::RulePackCache;
use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::model::ElementId;
use kientruc_dsl::syntax::{Date, SourceFile};
use kientruc_dsl::text::{FileId, Span};
use kientruc_dsl::workspace::{FrameworkRegistry, Origin, SourceProvider, SourceText};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One analysed project: the checker's whole result plus indexes the editor features need.
#[derive(Debug)]
pub struct ProjectAnalysis {
    pub root: PathBuf,
    pub checked: Checked,
    /// The language of messages: the project's configuration, else the client's locale.
    pub language: Language,
    pub today: Date,
    /// Where copies of embedded framework files are written so that editors can open them.
    pub cache_directory: PathBuf,
    /// Built by the first request that needs it, not on the way to publishing diagnostics.
    element_by_id_span: std::sync::OnceLock<HashMap<Span, ElementId>>,
}

/// How a project is analysed, besides its files: the date, the client's language, where
/// embedded pack files are copied for the editor, and the project's cached rule pack.
#[derive(Debug, Clone)]
pub struct AnalysisSettings<'a> {
    pub today: Date,
    pub language_preference: Option<Language>,
    pub cache_directory: &'a Path,
    pub pack_cache: Option<Arc<RulePackCache>>,
    /// The project's last rule inputs and results (`kientruc_checker::incremental`): an edit
    /// that changes nothing the rules read takes the last findings over.
    pub rule_cache: Option<Arc<RuleCache>>,
    /// A configuration file that replaces the workspace's `kientruc.toml` (`kientruc serve
    /// --config FILE`): display name, path, text. Its relative paths (the baseline) count from
    /// its folder. `None`: the workspace's own.
    pub config: Option<(String, PathBuf, Arc<str>)>,
}

/// The configuration's `baseline` (relative to `folder`: the root, where `kientruc.toml` is, or the
/// folder of a configuration given instead), applied as
/// `kientruc check` applies it, read through the same provider: the findings it records are
/// accepted, shown as hints. A baseline that is missing or does not parse is logged, and the
/// findings stay open (as `kientruc check` would fail on them).
fn apply_configured_baseline(checked: &mut Checked, folder: &Path, provider: &dyn SourceProvider) {
    let Some(name) = checked.config.baseline.clone() else {
        return;
    };
    let path = folder.join(&name);
    let text = match provider.read(&path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            tracing::warn!("baseline {}: not UTF-8 text", path.display());
            return;
        }
        Err(error) => {
            tracing::warn!("cannot read baseline {}: {error}", path.display());
            return;
        }
    };
    if let Err(message) = checked.apply_baseline(&text) {
        tracing::warn!("baseline {}: {message}", path.display());
    }
}

impl ProjectAnalysis {
    /// Runs the shared analysis (`analyze_and_check`) on `entries` under `root`.
    pub fn analyze(
        root: &Path,
        entries: &[PathBuf],
        provider: &dyn SourceProvider,
        registry: &dyn FrameworkRegistry,
        settings: AnalysisSettings<'_>,
    ) -> Self {
        let AnalysisSettings {
            today,
            language_preference,
            cache_directory,
            pack_cache,
            rule_cache,
            config,
        } = settings;
        let baseline_folder = config
            .as_ref()
            .and_then(|(_, path, _)| path.parent())
            .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
        let options = CheckOptions {
            today,
            config,
            select: Vec::new(),
            ignore: Vec::new(),
            pack_cache,
            as_of: None,
            now: None,
            overlay_files: Vec::new(),
            drop_syntax: false,
            rule_cache,
        };
        let mut checked = analyze_and_check(root, entries, provider, registry, options);
        apply_configured_baseline(&mut checked, &baseline_folder, provider);
        let language = checked
            .config
            .language
            .or(language_preference)
            .unwrap_or_default();
        Self {
            root: root.to_path_buf(),
            checked,
            language,
            today,
            cache_directory: cache_directory.to_path_buf(),
            element_by_id_span: std::sync::OnceLock::new(),
        }
    }

    /// The metamodel of the project's framework, if it has one that loaded.
    pub fn metamodel(&self) -> Option<&kientruc_dsl::metamodel::Metamodel> {
        self.checked.metamodel()
    }

    pub fn source(&self, file: FileId) -> &SourceText {
        self.checked.analysis.workspace.files.get(file)
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.source(file).text
    }

    /// The syntax tree of a `.ea` file (an empty tree for other files).
    pub fn tree(&self, file: FileId) -> &SourceFile {
        static EMPTY: std::sync::OnceLock<SourceFile> = std::sync::OnceLock::new();
        self.checked
            .analysis
            .workspace
            .trees
            .get(file.0 as usize)
            .map_or_else(|| EMPTY.get_or_init(SourceFile::default), |tree| &**tree)
    }

    pub fn file_of_path(&self, path: &Path) -> Option<FileId> {
        self.checked.analysis.workspace.files.find(path)
    }

    /// The element declared with its id exactly at `span`.
    pub fn element_declared_at(&self, span: Span) -> Option<ElementId> {
        self.element_by_id_span
            .get_or_init(|| {
                self.checked
                    .analysis
                    .model
                    .elements
                    .iter()
                    .map(|element| (element.id_span, element.id))
                    .collect()
            })
            .get(&span)
            .copied()
    }

    /// The module (namespace) a file belongs to: 0 is the workspace itself.
    pub fn module_of_file(&self, file: FileId) -> Option<usize> {
        self.checked
            .analysis
            .workspace
            .module_of_file
            .get(file.0 as usize)
            .copied()
            .flatten()
    }

    /// True when the file is one the user edits (not a framework pack file).
    pub fn is_user_file(&self, file: FileId) -> bool {
        self.source(file).origin != Origin::Framework
    }
}
