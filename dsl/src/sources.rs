//! The sources of an analysis as loading leaves them for resolution: every file read
//! ([`Files`], each with its [`Origin`]), their syntax trees, the modules they form, and the
//! framework pack with its metamodel ([`LoadedFramework`]). Loading them is `workspace`; the
//! types are re-exported there.

use crate::diagnostic::Diagnostic;
use crate::metamodel::{Localized, Metamodel};
use crate::syntax::SourceFile;
use crate::text::{FileId, LineIndex, Span};
use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Import paths with this prefix are read from the framework pack.
pub const FRAMEWORK_PREFIX: &str = "framework:";

/// Where a file came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// One of the files given to the analysis.
    Workspace,
    /// Reached only through an `import`.
    Import,
    /// A file of the framework pack (metamodel, rules, national model).
    Framework,
}

#[derive(Debug, Clone)]
pub struct SourceText {
    /// The name shown to users (relative to where the tool runs, or `framework:ID/NAME`).
    pub name: String,
    /// The identity of the file: an absolute normalised path, or `framework:ID/NAME`.
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Shared with the parse cache: an unchanged file's index is not built again.
    pub line_index: Arc<LineIndex>,
    pub origin: Origin,
}

/// Every file an analysis read, indexed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct Files {
    entries: Vec<SourceText>,
    by_path: HashMap<PathBuf, FileId>,
}

impl Files {
    pub fn add(&mut self, name: String, path: PathBuf, text: Arc<str>, origin: Origin) -> FileId {
        let line_index = Arc::new(LineIndex::new(&text));
        self.add_indexed(name, path, text, line_index, origin)
    }

    /// [`Files::add`] with the text's line index already built.
    pub fn add_indexed(
        &mut self,
        name: String,
        path: PathBuf,
        text: Arc<str>,
        line_index: Arc<LineIndex>,
        origin: Origin,
    ) -> FileId {
        let id = FileId(self.entries.len() as u32);
        self.by_path.insert(path.clone(), id);
        self.entries.push(SourceText {
            name,
            path,
            text,
            line_index,
            origin,
        });
        id
    }

    pub fn get(&self, id: FileId) -> &SourceText {
        &self.entries[id.0 as usize]
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceText)> {
        self.entries
            .iter()
            .enumerate()
            .map(|(index, entry)| (FileId(index as u32), entry))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// 1-based line and column of a span's start and end.
    pub fn line_columns(&self, span: Span) -> (crate::text::LineColumn, crate::text::LineColumn) {
        let file = self.get(span.file);
        (
            file.line_index
                .line_column(&file.text, span.range.start as usize),
            file.line_index
                .line_column(&file.text, span.range.end as usize),
        )
    }
}

/// A framework pack's files by relative name (`framework.toml`, `metamodel.toml`,
/// `national.ea`, `rules/*.toml`, `fixtures/...`).
#[derive(Debug, Clone)]
pub struct FrameworkPack {
    pub id: String,
    /// Where it came from, for messages (`embedded` or a folder).
    pub origin: String,
    /// For a pack read from a folder: how to show that folder (files are then named by their
    /// real path, so messages point at a file the user can open).
    pub display_root: Option<String>,
    pub files: BTreeMap<String, Arc<str>>,
}

impl FrameworkPack {
    /// The name to show for one of the pack's files.
    pub fn display_name(&self, name: &str) -> String {
        match &self.display_root {
            Some(root) => format!("{root}/{name}"),
            None => format!("{FRAMEWORK_PREFIX}{}/{name}", self.id),
        }
    }
}

/// `framework.toml`: who issued the framework, when, and what replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkInfo {
    /// The pack's id, as a model's header names it (`framework "vn-egov-3.0"`).
    pub id: String,
    /// The framework's name in Vietnamese and English.
    pub name: Localized,
    /// The framework's version (`3.0`).
    pub version: String,
    /// The number of the decision that issued it (`2568/QĐ-BTTTT`).
    #[serde(default)]
    pub decision: Option<String>,
    /// The date it was issued, `YYYY-MM-DD`.
    #[serde(default)]
    pub issued: Option<String>,
    /// Who issued it, in Vietnamese and English.
    #[serde(default)]
    pub issuer: Option<Localized>,
    /// The date it took effect, `YYYY-MM-DD`.
    #[serde(default)]
    pub effective: Option<String>,
    /// The decisions that amended it, as they should be shown (`1729/QĐ-BTTTT (2024-10-09)`).
    #[serde(default)]
    pub amended_by: Vec<String>,
    /// The framework that replaced it, and when.
    #[serde(default)]
    pub successor: Option<Successor>,
    /// The pack this framework replaces (`vn-egov-3.0`): `kientruc migrate --to` this pack moves
    /// a model of that one with this pack's `migration.toml`.
    #[serde(default)]
    pub replaces: Option<String>,
    /// Where the facts about the framework were read (addresses).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Where the pack's rule catalogue is published (an `http(s)` address): a rule's page is
    /// `{doc_base_url}/{framework}.md#{rule}`, or the address with its `{framework}` and `{rule}`
    /// placeholders filled in. A workspace's `docs-url` overrides it.
    #[serde(default)]
    #[schemars(with = "Option<crate::schema::HttpAddress>")]
    pub doc_base_url: Option<String>,
    /// The levels of architecture the framework defines (`ministry`, `province`), by the value of
    /// the header's `scope`, with their names ("kiến trúc Chính phủ điện tử cấp bộ").
    #[serde(default)]
    pub levels: BTreeMap<String, Localized>,
    /// The words rule texts name by placeholder (`{level}` → "cấp tỉnh" / "cấp bộ"): for each
    /// word, its text at each level, and at `any` (a text read without an architecture: the
    /// catalogue).
    #[serde(default)]
    pub words: BTreeMap<String, BTreeMap<String, Localized>>,
}

impl FrameworkInfo {
    /// The schema of a pack's `framework.toml` (`schemas/framework.schema.json`).
    pub fn schema() -> schemars::Schema {
        crate::schema::document::<FrameworkInfo>(
            "framework.schema.json",
            "kientruc framework pack manifest (framework.toml)",
            "The framework a pack implements: its id, bilingual name, version, the decision that \
             issued it, what replaced it, its levels of architecture and the words rule texts use.",
        )
    }
}

/// The framework that replaced this one.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Successor {
    /// Its pack id (`vn-egov-4.0`).
    pub id: String,
    /// Its name in Vietnamese and English.
    pub name: Localized,
    /// The number of the decision that issued it (`292/QĐ-BKHCN`).
    pub decision: String,
    /// The first day the successor applies, `YYYY-MM-DD`: a model judged on or after it is told
    /// its framework was superseded.
    #[schemars(with = "crate::schema::DateText")]
    pub date: String,
}

#[derive(Debug, Clone)]
pub struct LoadedFramework {
    pub pack: FrameworkPack,
    pub info: Option<FrameworkInfo>,
    /// Shared: reading it is a tenth of an analysis whose files are all parsed already, so a
    /// `ParseCache` keeps the last one.
    pub metamodel: Option<Arc<Metamodel>>,
}

/// A namespace of declarations: the workspace itself (namespace `None`) or an imported model.
#[derive(Debug, Clone)]
pub struct Module {
    pub namespace: Option<String>,
    pub files: Vec<FileId>,
    /// Import aliases visible in this module, with the span of the import that declared them.
    pub aliases: BTreeMap<String, (usize, Span)>,
}

#[derive(Debug, Clone)]
pub struct Workspace {
    /// Wall time of the loading stages (`read`, `parse`), for `--timings` and benchmarks.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    pub root: PathBuf,
    pub files: Files,
    /// The syntax tree of every file (empty for files that are not `.ea` or failed to decode).
    pub trees: Vec<Arc<SourceFile>>,
    /// Module 0 is the workspace.
    pub modules: Vec<Module>,
    pub module_of_file: Vec<Option<usize>>,
    pub framework: Option<LoadedFramework>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Workspace {
    /// Frees the syntax trees, keeping the vector's length (each file's tree becomes empty), for
    /// a caller that needs only the resolved model from here on: `kientruc check` and `report`,
    /// where the trees are about six times the size of the source and a third of the peak
    /// memory. The language server keeps them (navigation, completion, formatting read them).
    pub fn drop_syntax(&mut self) {
        if self.trees.is_empty() {
            return;
        }
        let empty = Arc::new(SourceFile::default());
        let count = self.trees.len();
        let trees = std::mem::replace(&mut self.trees, vec![empty; count]);
        // Freed on every core: freeing a tree visits each of its nodes, and the trees of a large
        // workspace hold millions of them.
        trees.into_par_iter().for_each(drop);
    }
}
