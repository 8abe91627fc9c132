//! Workspace loading: decodes and parses the given files in parallel, follows imports (relative
//! paths, and `framework:NAME` into the framework pack the header names), confines imports to the
//! workspace root, detects import cycles, and loads the framework's metamodel.
//!
//! All IO goes through a caller-supplied [`SourceProvider`] (disk for the CLI, open buffers over
//! disk for the LSP) and a [`FrameworkRegistry`], so this module stays pure.

use crate::diagnostic::{Code, Diagnostic};
use crate::metamodel::{Localized, Metamodel};
use crate::parser::parse;
use crate::syntax::{Declaration, SourceFile, ValueKind};
use crate::text::{FileId, LineIndex, Span, TextRange};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Files larger than this are refused (KT0104).
pub const MAX_FILE_SIZE: usize = 16 * 1024 * 1024;
/// Imports may chain at most this deep (KT0113).
pub const MAX_IMPORT_DEPTH: usize = 32;
/// A workspace may hold at most this many files (KT0114).
pub const MAX_FILES: usize = 20_000;
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

/// The parses of earlier loads, by file path, each with the exact text it was parsed from. A
/// load reuses the tree and syntax diagnostics of every file whose text is byte-identical, and
/// forgets the files it no longer reads, so the cache holds at most one parse per file.
#[derive(Debug, Default)]
pub struct ParseCache {
    entries: std::sync::RwLock<HashMap<PathBuf, Parsed>>,
    /// The last metamodel read, with the text and file id it was read as.
    metamodel: std::sync::Mutex<Option<CachedMetamodel>>,
    /// What the last resolution of the loaded workspace keeps for the next one.
    resolution: crate::resolve::ResolveCache,
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
struct Parsed {
    text: Arc<str>,
    /// Built beside the parse (in parallel, and kept by the cache).
    line_index: Arc<LineIndex>,
    tree: Arc<SourceFile>,
    diagnostics: Vec<Diagnostic>,
}

impl ParseCache {
    /// The cached parse of `path` if it was parsed from exactly these bytes (then they need no
    /// decoding: they decoded before), with its diagnostics moved to `file`.
    fn get(&self, path: &Path, bytes: &[u8], file: FileId) -> Option<Parsed> {
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

    fn insert(&self, path: &Path, parsed: &Parsed) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.insert(path.to_path_buf(), parsed.clone());
    }

    /// Forgets every file `files` did not read.
    fn retain_read(&self, files: &Files) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.retain(|path, _| files.find(path).is_some());
    }

    /// The metamodel read from `text` as file `file`: the cached one if it was read from the
    /// same text as the same file, else read now (and cached).
    fn metamodel(
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
    pub fn resolution(&self) -> &crate::resolve::ResolveCache {
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

fn read_metamodel(file: FileId, text: &str) -> (Option<Arc<Metamodel>>, Vec<Diagnostic>) {
    let (metamodel, diagnostics) = Metamodel::from_toml(file, text);
    (metamodel.map(Arc::new), diagnostics)
}

/// Takes the parse of `bytes` from the provider's cache, or decodes and parses them as file
/// `file` (and caches the new parse there).
fn decode_and_parse(
    provider: &dyn SourceProvider,
    path: &Path,
    file: FileId,
    bytes: Vec<u8>,
) -> Result<Parsed, Diagnostic> {
    if let Some(parsed) = provider
        .parse_cache()
        .and_then(|cache| cache.get(path, &bytes, file))
    {
        return Ok(parsed);
    }
    Ok(parse_and_cache(
        provider,
        path,
        file,
        Arc::from(decode(file, bytes)?),
    ))
}

/// Takes the parse of `text` from the provider's cache, or parses it as file `file`.
fn parse_or_reuse(
    provider: &dyn SourceProvider,
    path: &Path,
    file: FileId,
    text: Arc<str>,
) -> Parsed {
    provider
        .parse_cache()
        .and_then(|cache| cache.get(path, text.as_bytes(), file))
        .unwrap_or_else(|| parse_and_cache(provider, path, file, text))
}

/// Parses `text` as file `file` and caches the parse in the provider's cache, if it has one.
fn parse_and_cache(
    provider: &dyn SourceProvider,
    path: &Path,
    file: FileId,
    text: Arc<str>,
) -> Parsed {
    let cache = provider.parse_cache();
    let parse = parse(file, &text);
    let parsed = Parsed {
        line_index: Arc::new(LineIndex::new(&text)),
        text,
        tree: Arc::new(parse.tree),
        diagnostics: parse.diagnostics,
    };
    if let Some(cache) = cache {
        cache.insert(path, &parsed);
    }
    parsed
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

/// Finds framework packs by id (embedded ones, or folders the workspace points at).
pub trait FrameworkRegistry: Sync {
    fn get(&self, id: &str) -> Option<FrameworkPack>;
    fn ids(&self) -> Vec<String>;
}

/// `framework.toml`: who issued the framework, when, and what replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkInfo {
    pub id: String,
    pub name: Localized,
    pub version: String,
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub issued: Option<String>,
    #[serde(default)]
    pub issuer: Option<Localized>,
    #[serde(default)]
    pub effective: Option<String>,
    #[serde(default)]
    pub amended_by: Vec<String>,
    #[serde(default)]
    pub successor: Option<Successor>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub doc_base_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Successor {
    pub id: String,
    pub name: Localized,
    pub decision: String,
    pub date: String,
}

#[derive(Debug, Clone)]
pub struct LoadedFramework {
    pub pack: FrameworkPack,
    pub info: Option<FrameworkInfo>,
    /// Shared: reading it is a tenth of an analysis whose files are all parsed already, so a
    /// [`ParseCache`] keeps the last one.
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

/// Decodes a file's bytes, refusing binary, oversized and non-UTF-8 content with a diagnostic.
pub fn decode(file: FileId, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() > MAX_FILE_SIZE {
        return Err(Diagnostic::new(
            Code::FileTooLarge,
            format!("file is larger than the limit of {MAX_FILE_SIZE} bytes"),
        )
        .at(file, TextRange::empty(0), "file starts here"));
    }
    if bytes.iter().take(8192).any(|byte| *byte == 0) {
        let at = bytes.iter().position(|byte| *byte == 0).unwrap_or(0);
        return Err(Diagnostic::new(
            Code::BinaryFile,
            format!("file contains a NUL byte at offset {at}"),
        )
        .at(file, TextRange::empty(0), "binary content"));
    }
    String::from_utf8(bytes).map_err(|error| {
        let at = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        // Columns do not count a byte-order mark, as everywhere else (`LineIndex`).
        let valid = valid.strip_prefix('\u{feff}').unwrap_or(valid);
        let line = valid.matches('\n').count() + 1;
        let column = valid
            .rsplit('\n')
            .next()
            .map_or(0, |last| last.chars().count())
            + 1;
        Diagnostic::new(
            Code::NotUtf8,
            format!("invalid UTF-8 at byte {at} (line {line}, column {column})"),
        )
        .at(file, TextRange::empty(0), "file starts here")
    })
}

/// Joins `relative` onto `base` and removes `.` and `..` lexically.
pub fn normalize(base: &Path, relative: &str) -> PathBuf {
    let mut result = PathBuf::new();
    for component in base.join(relative).components() {
        match component {
            Component::ParentDir => {
                result.pop();
            }
            Component::CurDir => {}
            other => result.push(other.as_os_str()),
        }
    }
    result
}

fn framework_path(id: &str, name: &str) -> PathBuf {
    PathBuf::from(format!("{FRAMEWORK_PREFIX}{id}/{name}"))
}

struct Loader<'a> {
    root: PathBuf,
    provider: &'a dyn SourceProvider,
    files: Files,
    trees: Vec<Arc<SourceFile>>,
    module_of_file: Vec<Option<usize>>,
    modules: Vec<Module>,
    diagnostics: Vec<Diagnostic>,
    framework: Option<LoadedFramework>,
    /// Import edges: (importing file, imported file, span of the import path).
    import_edges: Vec<(FileId, FileId, Span)>,
    /// The file each alias of each module names (an alias may name only one file).
    alias_files: HashMap<(usize, String), FileId>,
}

/// Loads a workspace: `entries` are the files to check (absolute paths, any order), `root` the
/// folder imports may not leave.
pub fn load(
    root: &Path,
    entries: &[PathBuf],
    provider: &dyn SourceProvider,
    registry: &dyn FrameworkRegistry,
) -> Workspace {
    let mut entries: Vec<PathBuf> = entries.to_vec();
    entries.sort();
    entries.dedup();
    let mut loader = Loader {
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
    };
    if entries.len() > MAX_FILES {
        loader.diagnostics.push(Diagnostic::new(
            Code::TooManyFiles,
            format!("{} files given; the limit is {MAX_FILES}", entries.len()),
        ));
        entries.truncate(MAX_FILES);
    }
    if entries.is_empty() {
        loader
            .diagnostics
            .push(Diagnostic::new(Code::NoSources, "no .ea files to check"));
    }

    // Read, decode and parse the workspace files in parallel; ids follow the sorted order.
    // Stage 1: read every file (in parallel). Stage 2: decode and parse (in parallel).
    let started = std::time::Instant::now();
    let read: Vec<(String, std::io::Result<Vec<u8>>)> = entries
        .par_iter()
        .map(|path| (provider.display_name(path), provider.read(path)))
        .collect();
    let read_time = started.elapsed();
    let started = std::time::Instant::now();
    let loaded: Vec<(String, Result<Parsed, Diagnostic>)> = read
        .into_par_iter()
        .zip(&entries)
        .enumerate()
        .map(|(index, ((name, bytes), path))| {
            let file = FileId(index as u32);
            let result = match bytes {
                Ok(bytes) => decode_and_parse(provider, path, file, bytes),
                Err(error) => Err(Diagnostic::new(
                    Code::FileUnreadable,
                    format!("cannot read {name}: {error}"),
                )
                .at(file, TextRange::empty(0), "this file")),
            };
            (name, result)
        })
        .collect();
    let parse_time = started.elapsed();
    for ((name, result), path) in loaded.into_iter().zip(&entries) {
        let (text, line_index, tree) = match result {
            Ok(parsed) => {
                loader.diagnostics.extend(parsed.diagnostics);
                (parsed.text, parsed.line_index, parsed.tree)
            }
            Err(diagnostic) => {
                loader.diagnostics.push(diagnostic);
                (Arc::from(""), Arc::new(LineIndex::new("")), Arc::default())
            }
        };
        let id = loader
            .files
            .add_indexed(name, path.clone(), text, line_index, Origin::Workspace);
        loader.trees.push(tree);
        loader.module_of_file.push(Some(0));
        loader.modules[0].files.push(id);
    }

    loader.load_framework(registry);
    // Follow imports depth-first from every workspace file.
    for index in 0..entries.len() {
        loader.follow_imports(FileId(index as u32), 0);
    }
    loader.report_cycles();
    if let Some(cache) = provider.parse_cache() {
        cache.retain_read(&loader.files);
    }
    Workspace {
        timings: vec![("read", read_time), ("parse", parse_time)],
        root: loader.root,
        files: loader.files,
        trees: loader.trees,
        modules: loader.modules,
        module_of_file: loader.module_of_file,
        framework: loader.framework,
        diagnostics: loader.diagnostics,
    }
}

impl Loader<'_> {
    fn load_framework(&mut self, registry: &dyn FrameworkRegistry) {
        let mut headers = Vec::new();
        for file_index in 0..self.trees.len() {
            for declaration in &self.trees[file_index].declarations {
                if let Declaration::Architecture(header) = declaration {
                    headers.push((FileId(file_index as u32), header.clone()));
                }
            }
        }
        let Some((header_file, header)) = headers.first().cloned() else {
            // A header may be in a file that failed to load or parse; say so only when all is well.
            let earlier_errors = self
                .diagnostics
                .iter()
                .any(|diagnostic| diagnostic.severity == crate::Severity::Error);
            if !self.trees.is_empty() && !earlier_errors {
                self.diagnostics.push(
                    Diagnostic::new(Code::MissingHeader, "the workspace declares no `architecture` header, so no framework is chosen")
                        .at(FileId(0), TextRange::empty(0), "no header in any checked file"),
                );
            }
            return;
        };
        for (file, duplicate) in headers.iter().skip(1) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateHeader,
                    format!("second architecture header `{}`", duplicate.id.text),
                )
                .at(*file, duplicate.id.range, "second header")
                .with_secondary(Span::new(header_file, header.id.range), "first header here"),
            );
        }
        let framework_value = header.body.as_ref().and_then(|body| {
            body.entries.iter().find_map(|entry| match entry {
                crate::syntax::Entry::Property(property) if property.name.text == "framework" => {
                    Some(property.value.clone())
                }
                _ => None,
            })
        });
        let Some(value) = framework_value else {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::MissingHeader,
                    format!(
                        "architecture `{}` does not name its framework",
                        header.id.text
                    ),
                )
                .at(
                    header_file,
                    header.id.range,
                    "add `framework \"vn-egov-3.0\"` to this header",
                ),
            );
            return;
        };
        let (id, range) = match &value.kind {
            ValueKind::String(literal) => (literal.value.clone(), value.range),
            ValueKind::Path(name) => (name.text.to_string(), value.range),
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::WrongValueType,
                        "`framework` takes the framework id as a string",
                    )
                    .at(
                        header_file,
                        value.range,
                        "expected a string such as \"vn-egov-3.0\"",
                    ),
                );
                return;
            }
        };
        let Some(pack) = registry.get(&id) else {
            let known = registry.ids();
            let mut diagnostic = Diagnostic::new(
                Code::UnknownFramework,
                format!("no framework pack `{id}`"),
            )
            .at(header_file, range, "unknown framework");
            diagnostic = match crate::suggest::suggest(&id, known.iter().map(String::as_str)) {
                Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                None => diagnostic.with_help(format!("known frameworks: {}", known.join(", "))),
            };
            self.diagnostics.push(diagnostic);
            return;
        };
        let info = pack.files.get("framework.toml").cloned().and_then(|text| {
            let file = self.files.add(
                pack.display_name("framework.toml"),
                framework_path(&pack.id, "framework.toml"),
                text.clone(),
                Origin::Framework,
            );
            self.trees.push(Arc::default());
            self.module_of_file.push(None);
            match toml::from_str::<FrameworkInfo>(&text) {
                Ok(info) => Some(info),
                Err(error) => {
                    let range = error.span().map_or(TextRange::empty(0), |span| {
                        TextRange::new(span.start, span.end)
                    });
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::MetamodelError,
                            format!("framework.toml: {}", error.message()),
                        )
                        .at(file, range, "here"),
                    );
                    None
                }
            }
        });
        let metamodel = if let Some(text) = pack.files.get("metamodel.toml").cloned() {
            let file = self.files.add(
                pack.display_name("metamodel.toml"),
                framework_path(&pack.id, "metamodel.toml"),
                text.clone(),
                Origin::Framework,
            );
            self.trees.push(Arc::default());
            self.module_of_file.push(None);
            let (metamodel, diagnostics) = match self.provider.parse_cache() {
                Some(cache) => cache.metamodel(file, &text),
                None => read_metamodel(file, &text),
            };
            self.diagnostics.extend(diagnostics);
            metamodel
        } else {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::MetamodelError,
                    format!(
                        "framework pack `{}` ({}) has no metamodel.toml",
                        pack.id, pack.origin
                    ),
                )
                .at(header_file, range, "this framework"),
            );
            None
        };
        self.framework = Some(LoadedFramework {
            pack,
            info,
            metamodel,
        });
    }

    fn follow_imports(&mut self, file: FileId, depth: usize) {
        let imports: Vec<crate::syntax::Import> = self.trees[file.0 as usize]
            .declarations
            .iter()
            .filter_map(|declaration| match declaration {
                Declaration::Import(import) => Some(import.clone()),
                _ => None,
            })
            .collect();
        for import in imports {
            let span = Span::new(file, import.path.range);
            if depth >= MAX_IMPORT_DEPTH {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ImportTooDeep,
                        format!("imports chain more than {MAX_IMPORT_DEPTH} files deep"),
                    )
                    .at(file, import.path.range, "this import is too deep"),
                );
                continue;
            }
            let Some((target, newly_loaded)) = self.resolve_import(file, &import) else {
                continue;
            };
            self.import_edges.push((file, target, span));
            let importing_module = self.module_of_file[file.0 as usize];
            let target_module = self.module_of_file[target.0 as usize];
            if let (Some(importing_module), Some(target_module)) = (importing_module, target_module)
            {
                let alias = import.alias.as_ref().map_or_else(
                    || {
                        self.modules[target_module]
                            .namespace
                            .clone()
                            .unwrap_or_else(|| stem(&self.files.get(target).path))
                    },
                    |alias| alias.text.to_string(),
                );
                let alias_span = import
                    .alias
                    .as_ref()
                    .map_or(span, |alias| Span::new(file, alias.range));
                let previous_file = self
                    .alias_files
                    .insert((importing_module, alias.clone()), target);
                match self.modules[importing_module].aliases.get(&alias) {
                    Some((existing, _))
                        if *existing == target_module
                            && previous_file.is_none_or(|f| f == target) => {}
                    Some((_, first)) => {
                        let first = *first;
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::DuplicateAlias,
                                format!("`{alias}` already names another import"),
                            )
                            .at(file, alias_span.range, "second use")
                            .with_secondary(first, "first use"),
                        );
                    }
                    None => {
                        self.modules[importing_module]
                            .aliases
                            .insert(alias, (target_module, alias_span));
                    }
                }
            }
            if newly_loaded {
                self.follow_imports(target, depth + 1);
            }
        }
    }

    /// Finds or loads the imported file; returns it and whether it was loaded just now.
    fn resolve_import(
        &mut self,
        file: FileId,
        import: &crate::syntax::Import,
    ) -> Option<(FileId, bool)> {
        let written = import.path.value.as_str();
        let importer_path = self.files.get(file).path.clone();
        let importer_is_framework = self.files.get(file).origin == Origin::Framework;
        let framework_name = if let Some(name) = written.strip_prefix(FRAMEWORK_PREFIX) {
            Some(name.to_owned())
        } else if importer_is_framework {
            // Relative imports inside a pack stay inside the pack.
            let importer = importer_path.to_string_lossy().into_owned();
            let directory = importer
                .rsplit_once('/')
                .map_or("", |(directory, _)| directory);
            let base = directory.split_once('/').map_or("", |(_, rest)| rest);
            Some(
                normalize(Path::new(base), written)
                    .to_string_lossy()
                    .into_owned(),
            )
        } else {
            None
        };
        if let Some(name) = framework_name {
            let Some(framework) = &self.framework else {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ImportNotFound,
                        format!("cannot import `{written}`: no framework pack is loaded"),
                    )
                    .at(file, import.path.range, "needs a framework"),
                );
                return None;
            };
            let path = framework_path(&framework.pack.id, &name);
            if let Some(existing) = self.files.find(&path) {
                return Some((existing, false));
            }
            let Some(text) = framework.pack.files.get(&name).cloned() else {
                let available: Vec<&str> = framework
                    .pack
                    .files
                    .keys()
                    .filter(|key| key.ends_with(".ea") && !key.starts_with("fixtures/"))
                    .map(String::as_str)
                    .collect();
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ImportNotFound,
                        format!(
                            "framework pack `{}` has no file `{name}`",
                            framework.pack.id
                        ),
                    )
                    .at(file, import.path.range, "not in the pack")
                    .with_help(format!("the pack provides: {}", available.join(", "))),
                );
                return None;
            };
            let display = framework.pack.display_name(&name);
            return Some((
                self.add_imported(display, path, text.clone(), Origin::Framework),
                true,
            ));
        }

        let base = importer_path.parent().unwrap_or(Path::new(""));
        let path = normalize(base, written);
        if !path.starts_with(&self.root) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::ImportOutsideRoot,
                    format!("`{written}` resolves outside the workspace root"),
                )
                .at(file, import.path.range, "leaves the workspace")
                .with_note(format!(
                    "workspace root: {}",
                    self.provider.display_name(&self.root)
                )),
            );
            return None;
        }
        if let Some(existing) = self.files.find(&path) {
            return Some((existing, false));
        }
        let display = self.provider.display_name(&path);
        match self.provider.read(&path) {
            Ok(bytes) => {
                let next = FileId(self.files.len() as u32);
                match decode(next, bytes) {
                    Ok(text) => Some((
                        self.add_imported(display, path, Arc::from(text), Origin::Import),
                        true,
                    )),
                    Err(diagnostic) => {
                        let id = self.files.add(display, path, Arc::from(""), Origin::Import);
                        debug_assert_eq!(id, next);
                        self.trees.push(Arc::default());
                        self.module_of_file.push(None);
                        self.diagnostics.push(diagnostic);
                        None
                    }
                }
            }
            Err(error)
                if error.kind() == std::io::ErrorKind::PermissionDenied
                    && error.to_string().contains("outside") =>
            {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ImportOutsideRoot,
                        format!("`{written}` resolves outside the workspace root"),
                    )
                    .at(
                        file,
                        import.path.range,
                        "leaves the workspace (through a link)",
                    ),
                );
                None
            }
            Err(error) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ImportNotFound,
                        format!("cannot import `{written}`: {error}"),
                    )
                    .at(file, import.path.range, "not found"),
                );
                None
            }
        }
    }

    fn add_imported(
        &mut self,
        display: String,
        path: PathBuf,
        text: Arc<str>,
        origin: Origin,
    ) -> FileId {
        let id = FileId(self.files.len() as u32);
        let parsed = parse_or_reuse(self.provider, &path, id, text);
        let added = self.files.add_indexed(
            display,
            path.clone(),
            parsed.text.clone(),
            parsed.line_index.clone(),
            origin,
        );
        debug_assert_eq!(added, id);
        self.diagnostics.extend(parsed.diagnostics);
        // An imported model is its own namespace, named by its header id or its file stem.
        let base_namespace = parsed
            .tree
            .declarations
            .iter()
            .find_map(|declaration| match declaration {
                Declaration::Architecture(header) => Some(header.id.text.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| stem(&path));
        let mut namespace = base_namespace.clone();
        let mut counter = 2;
        while self
            .modules
            .iter()
            .any(|module| module.namespace.as_deref() == Some(&namespace))
        {
            namespace = format!("{base_namespace}_{counter}");
            counter += 1;
        }
        self.trees.push(parsed.tree);
        self.modules.push(Module {
            namespace: Some(namespace),
            files: vec![id],
            aliases: BTreeMap::new(),
        });
        self.module_of_file.push(Some(self.modules.len() - 1));
        id
    }

    fn report_cycles(&mut self) {
        let mut adjacency: BTreeMap<FileId, Vec<(FileId, Span)>> = BTreeMap::new();
        for (from, to, span) in &self.import_edges {
            adjacency.entry(*from).or_default().push((*to, *span));
        }
        // Iterative DFS with colours; a back edge closes a cycle.
        let mut colour: HashMap<FileId, u8> = HashMap::new();
        let starts: Vec<FileId> = adjacency.keys().copied().collect();
        for start in starts {
            if colour.get(&start).copied().unwrap_or(0) != 0 {
                continue;
            }
            let mut stack: Vec<(FileId, usize)> = vec![(start, 0)];
            let mut path: Vec<(FileId, Option<Span>)> = vec![(start, None)];
            colour.insert(start, 1);
            while let Some((node, next_edge)) = stack.last().copied() {
                let edges = adjacency.get(&node).cloned().unwrap_or_default();
                if next_edge >= edges.len() {
                    colour.insert(node, 2);
                    stack.pop();
                    path.pop();
                    continue;
                }
                stack.last_mut().expect("stack is not empty").1 += 1;
                let (target, span) = edges[next_edge];
                match colour.get(&target).copied().unwrap_or(0) {
                    0 => {
                        colour.insert(target, 1);
                        stack.push((target, 0));
                        path.push((target, Some(span)));
                    }
                    1 => {
                        let position = path
                            .iter()
                            .position(|(file, _)| *file == target)
                            .unwrap_or(0);
                        let names: Vec<String> = path[position..]
                            .iter()
                            .map(|(file, _)| self.files.get(*file).name.clone())
                            .chain(std::iter::once(self.files.get(target).name.clone()))
                            .collect();
                        let mut diagnostic = Diagnostic::new(
                            Code::ImportCycle,
                            format!("import cycle: {}", names.join(" → ")),
                        )
                        .at(
                            span.file,
                            span.range,
                            "this import closes the cycle",
                        );
                        for (_, earlier) in path[position + 1..].iter() {
                            if let Some(earlier) = earlier {
                                diagnostic =
                                    diagnostic.with_secondary(*earlier, "part of the cycle");
                            }
                        }
                        self.diagnostics.push(diagnostic);
                    }
                    _ => {}
                }
            }
        }
    }
}

fn stem(path: &Path) -> String {
    let stem = path.file_stem().map_or_else(
        || "module".to_owned(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{cleaned}")
    } else {
        cleaned
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_columns_do_not_count_a_byte_order_mark() {
        let message = |bytes: &[u8]| decode(FileId(0), bytes.to_vec()).unwrap_err().message;
        assert_eq!(
            message(b"agency a \"th\xe0nh\""),
            "invalid UTF-8 at byte 12 (line 1, column 13)"
        );
        assert_eq!(
            message(b"\xef\xbb\xbfagency a \"th\xe0nh\""),
            "invalid UTF-8 at byte 15 (line 1, column 13)"
        );
        assert_eq!(
            message(b"\xef\xbb\xbf\nagency a \"th\xe0nh\""),
            "invalid UTF-8 at byte 16 (line 2, column 13)"
        );
    }
}
