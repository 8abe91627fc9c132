//! Name resolution: turns the syntax trees of a loaded [`Workspace`] into a [`Model`], checking
//! kinds, properties, value types and relation types against the framework's metamodel, and
//! resolving every reference (with "did you mean" suggestions when one does not resolve).

use crate::diagnostic::{Code, Diagnostic};
use crate::metamodel::{Metamodel, ValueType, with_article};
use crate::model::{
    Element, ElementId, Header, Model, Properties, PropertyEntry, PropertyValue, Reference,
    Relation, Waiver,
};
use crate::sources::{Origin, Workspace};
use crate::suggest::closest;
use crate::syntax::{self, Block, CompactString, Declaration, Entry, Name, Value, ValueKind};
use crate::text::{FileId, Span, TextRange};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

pub use crate::suggest::suggest;

/// The result of resolution: the model and its semantic diagnostics.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
}

struct PendingElement<'a> {
    id: ElementId,
    module: usize,
    file: FileId,
    syntax: &'a syntax::Element,
}

/// Pass 1: declares every element (in order) and builds the scopes.
struct Declarer<'a> {
    workspace: &'a Workspace,
    metamodel: Option<&'a Metamodel>,
    /// Element ids by local id, per module; keys borrow the syntax trees.
    scopes: Vec<foldhash::HashMap<&'a str, ElementId>>,
    elements: Vec<Element>,
    diagnostics: Vec<Diagnostic>,
    pending: Vec<PendingElement<'a>>,
}

/// Passes 2 and 3 over one share of the work: reads the declared elements and the scopes, and
/// writes what it finds to its own [`Output`]. Shares run in parallel; their outputs are joined
/// in the order a single pass would have produced them.
struct Resolver<'a, 'd> {
    workspace: &'a Workspace,
    metamodel: Option<&'a Metamodel>,
    scopes: &'d [foldhash::HashMap<&'a str, ElementId>],
    elements: &'d [Element],
    /// The id of the workspace's `architecture` header, which a waiver may name.
    header_id: Option<&'a str>,
    out: Output,
    /// Every name looked up and what it found, kept when the output goes to a
    /// [`ResolveCache`].
    reads: Option<Vec<Read>>,
}

/// What one share of passes 2 and 3 produced, in the order it produced it.
#[derive(Debug, Clone, Default)]
struct Output {
    diagnostics: Vec<Diagnostic>,
    /// Unresolved references that may get a "did you mean" (the budget for those is spent in
    /// the order of a single pass, when the outputs are joined): the index of the diagnostic in
    /// `diagnostics`, the module the name was written in, and the name.
    unresolved: Vec<(usize, usize, String)>,
    references: Vec<Reference>,
    relations: Vec<Relation>,
    waivers: Vec<Waiver>,
    /// The checked properties and tags of elements (pass 2).
    elements: Vec<(ElementId, Properties, Vec<CompactString>)>,
    header: Option<Header>,
}

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
}

#[derive(Debug)]
struct CachedFile {
    tree: Arc<syntax::SourceFile>,
    metamodel: Option<Arc<Metamodel>>,
    module: usize,
    origin: Origin,
    /// The file's declared elements, in order: id and the address of its syntax (in `tree`).
    elements: Vec<(ElementId, usize)>,
    /// The outputs of the file's shares, in order.
    outputs: Vec<Output>,
    reads: Vec<Read>,
}

/// A name looked up from a module, and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Read {
    module: usize,
    name: CompactString,
    found: Found,
}

/// What a lookup found: all that checking a reference reads of its target.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    Element {
        id: ElementId,
        kind: CompactString,
        id_span: Span,
    },
    /// Nothing; `not_an_alias`: the name's prefix is neither an import alias nor a local id.
    Nothing { not_an_alias: bool },
}

/// The properties an owner allows: its name for messages, the names in metamodel order, and for
/// an element its kind (whose hashed set in the metamodel answers membership).
#[derive(Clone, Copy)]
struct AllowedProperties<'m> {
    owner: &'m str,
    names: &'m [String],
    kind: Option<&'m str>,
}

/// How many unresolved references get a "did you mean" (each one compares the name with every
/// id in scope).
const SUGGESTION_BUDGET: usize = 200;

/// Elements per share of pass 2, at most (large enough that a share's bookkeeping is noise)...
const ELEMENTS_PER_SHARE: usize = 2048;
/// ...and at least, when a small model is split into eight shares per thread so that the
/// threads finish together.
const MIN_ELEMENTS_PER_SHARE: usize = 128;

/// Resolves a loaded workspace into a model.
pub fn resolve(workspace: &Workspace) -> Resolved {
    resolve_with(workspace, None)
}

/// [`resolve`], reusing what `cache` kept of an earlier resolution where nothing it depends on
/// changed, and keeping this one's there.
pub fn resolve_with(workspace: &Workspace, cache: Option<&ResolveCache>) -> Resolved {
    let shared_metamodel = workspace
        .framework
        .as_ref()
        .and_then(|framework| framework.metamodel.clone());
    let metamodel = shared_metamodel.as_deref();
    // Pass 1: declare every element, so references may point forward and across files. Each
    // file's elements are made on their own, in parallel, with ids counted from the file's
    // first; then, in order, a file whose ids are all new is added with its ids moved, and a file
    // with an id declared before (or twice) is declared again one element at a time.
    let new_declarer = || Declarer {
        workspace,
        metamodel,
        scopes: vec![foldhash::HashMap::default(); workspace.modules.len()],
        elements: Vec::new(),
        diagnostics: Vec::new(),
        pending: Vec::new(),
    };
    let files_in_order: Vec<(usize, FileId)> = workspace
        .modules
        .iter()
        .enumerate()
        .flat_map(|(module_index, module)| {
            module.files.iter().map(move |file| (module_index, *file))
        })
        .collect();
    let prepared: Vec<Declarer<'_>> = files_in_order
        .par_iter()
        .map(|&(module_index, file)| {
            let mut declarer = new_declarer();
            declarer.declare_file(module_index, file);
            declarer
        })
        .collect();
    let mut declarer = new_declarer();
    declarer
        .elements
        .reserve(prepared.iter().map(|file| file.elements.len()).sum());
    for (&(module_index, file), prepared) in files_in_order.iter().zip(prepared) {
        if !declarer.add_prepared(module_index, prepared) {
            declarer.declare_file(module_index, file);
        }
    }
    let Declarer {
        scopes,
        mut elements,
        diagnostics: mut all_diagnostics,
        pending,
        ..
    } = declarer;
    // The header is the first `architecture` of the workspace's own files.
    let header = workspace.modules.first().and_then(|module| {
        module.files.iter().find_map(|file| {
            workspace.trees[file.0 as usize]
                .declarations
                .iter()
                .find_map(|declaration| match declaration {
                    Declaration::Architecture(header) => Some((*file, header)),
                    _ => None,
                })
        })
    });
    let new_resolver = || Resolver {
        workspace,
        metamodel,
        scopes: &scopes,
        elements: &elements,
        header_id: header.map(|(_, header)| header.id.text.as_str()),
        out: Output::default(),
        reads: None,
    };
    // Pass 2: kinds, properties, nested relations (in shares of elements, each within one file,
    // or a file's outputs taken from the cache); meanwhile, the index of elements by qualified
    // id.
    let mut cached: HashMap<FileId, CachedFile> = cache
        .map(|cache| {
            std::mem::take(
                &mut *cache
                    .files
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            )
        })
        .unwrap_or_default();
    let file_ranges = ranges_by_file(&pending);
    let reusable: Vec<bool> = file_ranges
        .par_iter()
        .map(|(file, range)| {
            cached.get(file).is_some_and(|entry| {
                entry.is_valid(
                    workspace,
                    shared_metamodel.as_ref(),
                    &pending[range.clone()],
                    &new_resolver(),
                )
            })
        })
        .collect();
    let share_size = pending
        .len()
        .div_ceil(rayon::current_num_threads() * 8)
        .clamp(MIN_ELEMENTS_PER_SHARE, ELEMENTS_PER_SHARE);
    // A reused file, or a share of a file to check.
    let tasks: Vec<(FileId, Option<std::ops::Range<usize>>)> = file_ranges
        .iter()
        .zip(&reusable)
        .flat_map(|((file, range), reuse)| {
            let shares: Vec<Option<std::ops::Range<usize>>> = if *reuse {
                vec![None]
            } else {
                range
                    .clone()
                    .step_by(share_size)
                    .map(|start| Some(start..(start + share_size).min(range.end)))
                    .collect()
            };
            shares.into_iter().map(|share| (*file, share))
        })
        .collect();
    let (task_outputs, by_qualified_id): (Vec<(Vec<Output>, Option<Vec<Read>>)>, _) = rayon::join(
        || {
            tasks
                .par_iter()
                .map(|(file, share)| match share {
                    None => (cached[file].outputs.clone(), None),
                    Some(share) => {
                        let mut resolver = new_resolver();
                        if cache.is_some() {
                            resolver.reads = Some(Vec::new());
                        }
                        for item in &pending[share.clone()] {
                            resolver.check_element(item);
                        }
                        (vec![resolver.out], resolver.reads)
                    }
                })
                .collect()
        },
        || {
            elements
                .iter()
                .map(|element| (element.qualified_id.clone(), element.id))
                .collect()
        },
    );
    let mut outputs: Vec<Output> = Vec::with_capacity(task_outputs.len());
    if let Some(cache) = cache {
        // Keep this resolution's pass 2 for the next one: reused files as they were, checked
        // files with their new outputs and reads.
        let mut kept: HashMap<FileId, CachedFile> = HashMap::with_capacity(file_ranges.len());
        let mut task_outputs = task_outputs.into_iter();
        for ((file, range), reuse) in file_ranges.iter().zip(&reusable) {
            if *reuse {
                let (file_outputs, _) = task_outputs.next().expect("a task per reused file");
                outputs.extend(file_outputs);
                if let Some(entry) = cached.remove(file) {
                    kept.insert(*file, entry);
                }
                continue;
            }
            let mut entry = CachedFile {
                tree: workspace.trees[file.0 as usize].clone(),
                metamodel: shared_metamodel.clone(),
                module: pending[range.start].module,
                origin: workspace.files.get(*file).origin,
                elements: pending[range.clone()]
                    .iter()
                    .map(|item| (item.id, std::ptr::from_ref(item.syntax) as usize))
                    .collect(),
                outputs: Vec::new(),
                reads: Vec::new(),
            };
            for _ in (range.clone()).step_by(share_size) {
                let (file_outputs, reads) = task_outputs.next().expect("a task per share");
                entry.outputs.extend(file_outputs.iter().cloned());
                entry.reads.extend(reads.into_iter().flatten());
                outputs.extend(file_outputs);
            }
            kept.insert(*file, entry);
        }
        *cache
            .files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = kept;
        cache.reused.store(
            reusable.iter().filter(|reuse| **reuse).count(),
            std::sync::atomic::Ordering::Relaxed,
        );
    } else {
        outputs.extend(
            task_outputs
                .into_iter()
                .flat_map(|(file_outputs, _)| file_outputs),
        );
    }
    // Pass 3: top-level relations, waivers, the header (a share per file).
    outputs.par_extend(files_in_order.par_iter().map(|&(module_index, file)| {
        let mut resolver = new_resolver();
        for declaration in &workspace.trees[file.0 as usize].declarations {
            match declaration {
                Declaration::Relation(relation) => {
                    resolver.relation(module_index, file, relation, None)
                }
                Declaration::Waiver(waiver) => resolver.waiver(module_index, file, waiver),
                Declaration::Architecture(architecture)
                    if header.is_some_and(|(header_file, header)| {
                        header_file == file && std::ptr::eq(header, architecture)
                    }) =>
                {
                    resolver.header(file, architecture);
                }
                _ => {}
            }
        }
        resolver.out
    }));

    // Join the outputs in order; spend the suggestion budget in that order.
    let mut model = Model::default();
    // Reserve the joined lists' exact sizes (growing them would copy them again and again).
    let total = |count: fn(&Output) -> usize| outputs.iter().map(count).sum::<usize>();
    all_diagnostics.reserve(total(|output| output.diagnostics.len()));
    model
        .references
        .reserve_exact(total(|output| output.references.len()));
    model
        .relations
        .reserve_exact(total(|output| output.relations.len()));
    model
        .waivers
        .reserve_exact(total(|output| output.waivers.len()));
    let mut wanted: Vec<(usize, usize, String)> = Vec::new();
    for output in outputs {
        let base = all_diagnostics.len();
        let room = SUGGESTION_BUDGET - wanted.len();
        wanted.extend(
            output
                .unresolved
                .into_iter()
                .take(room)
                .map(|(index, module, name)| (base + index, module, name)),
        );
        all_diagnostics.extend(output.diagnostics);
        model.references.extend(output.references);
        model.relations.extend(output.relations);
        model.waivers.extend(output.waivers);
        for (id, properties, tags) in output.elements {
            let element = &mut elements[id.index()];
            element.properties = properties;
            element.tags = tags;
        }
        if output.header.is_some() {
            model.header = output.header;
        }
    }
    let helps: Vec<Option<String>> = wanted
        .par_iter()
        .map(|(_, module, name)| suggest_in_scope(workspace, &scopes, *module, name))
        .collect();
    for ((index, _, _), help) in wanted.iter().zip(helps) {
        if let Some(best) = help {
            all_diagnostics[*index].help = Some(format!("did you mean `{best}`?"));
        }
    }
    model.by_qualified_id = by_qualified_id;
    model.elements = elements;
    all_diagnostics.sort_by_key(Diagnostic::sort_key);
    Resolved {
        model,
        diagnostics: all_diagnostics,
    }
}

/// The id in scope of `module` (a local id, or `alias.id` of an import) closest to `name`.
fn suggest_in_scope(
    workspace: &Workspace,
    scopes: &[foldhash::HashMap<&str, ElementId>],
    module: usize,
    name: &str,
) -> Option<String> {
    let local = closest(name, scopes[module].keys().copied());
    let mut qualified: Vec<String> = Vec::new();
    for (alias, (target, _)) in &workspace.modules[module].aliases {
        qualified.extend(scopes[*target].keys().map(|id| format!("{alias}.{id}")));
    }
    let imported = closest(name, qualified.iter().map(String::as_str));
    match (local, imported) {
        (Some(local), Some(imported)) => Some(local.min(imported).1),
        (local, imported) => local.or(imported).map(|(_, found)| found),
    }
    .map(str::to_owned)
}

/// The run of `pending` each file's elements take, in order (a file's elements are declared
/// together).
fn ranges_by_file(pending: &[PendingElement<'_>]) -> Vec<(FileId, std::ops::Range<usize>)> {
    let mut ranges: Vec<(FileId, std::ops::Range<usize>)> = Vec::new();
    for (index, item) in pending.iter().enumerate() {
        match ranges.last_mut() {
            Some((file, range)) if *file == item.file => range.end = index + 1,
            _ => ranges.push((item.file, index..index + 1)),
        }
    }
    ranges
}

impl CachedFile {
    /// True when pass 2 would produce exactly the kept outputs for `pending`, the file's elements
    /// now: same tree, metamodel, module and origin, the same elements with the same ids, and
    /// every name the file looked up finds what it found then.
    fn is_valid(
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

fn describe_found(value: &Value) -> &'static str {
    match value.kind {
        ValueKind::String(_) => "a string",
        ValueKind::Integer(_) => "an integer",
        ValueKind::Date(_) => "a date",
        ValueKind::Path(_) => "a name",
        ValueKind::List(_) => "a list",
    }
}

impl<'a> Declarer<'a> {
    /// Declares the elements of one file, in order.
    fn declare_file(&mut self, module: usize, file: FileId) {
        for declaration in &self.workspace.trees[file.0 as usize].declarations {
            if let Declaration::Element(element) = declaration {
                self.declare(module, file, element, None);
            }
        }
    }

    /// Adds a file's elements declared on their own (by `declare_file` on an empty declarer),
    /// as if declared here: false, and nothing added, when the file repeats an id or declares
    /// one this module already has (the file must then be declared here, to report it).
    fn add_prepared(&mut self, module: usize, prepared: Declarer<'a>) -> bool {
        if !prepared.diagnostics.is_empty()
            || prepared
                .pending
                .iter()
                .any(|item| self.scopes[module].contains_key(item.syntax.id.text.as_str()))
        {
            return false;
        }
        let base = self.elements.len() as u32;
        let moved = |id: ElementId| ElementId(id.0 + base);
        for mut element in prepared.elements {
            element.id = moved(element.id);
            element.parent = element.parent.map(moved);
            for child in &mut element.children {
                *child = moved(*child);
            }
            self.elements.push(element);
        }
        self.pending.reserve(prepared.pending.len());
        for mut item in prepared.pending {
            item.id = moved(item.id);
            self.scopes[module].insert(item.syntax.id.text.as_str(), item.id);
            self.pending.push(item);
        }
        true
    }

    fn declare(
        &mut self,
        module: usize,
        file: FileId,
        element: &'a syntax::Element,
        parent: Option<ElementId>,
    ) {
        let local_id = element.id.text.clone();
        if let Some(existing) = self.scopes[module].get(local_id.as_str()).copied() {
            let first = self.elements[existing.index()].id_span;
            self.diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    format!("`{local_id}` is declared more than once"),
                )
                .at(file, element.id.range, "declared again here")
                .with_secondary(first, "first declared here"),
            );
            return;
        }
        let id = ElementId(self.elements.len() as u32);
        let namespace = self.workspace.modules[module].namespace.as_deref();
        let qualified_id = namespace.map_or_else(
            || local_id.clone(),
            |namespace| compact_str::format_compact!("{namespace}.{local_id}"),
        );
        let layer = self
            .metamodel
            .and_then(|metamodel| metamodel.kind(&element.kind.text))
            .map(|kind| CompactString::new(&kind.layer));
        let in_workspace = self.workspace.files.get(file).origin == Origin::Workspace;
        self.scopes[module].insert(element.id.text.as_str(), id);
        self.elements.push(Element {
            id,
            local_id,
            qualified_id,
            kind: element.kind.text.clone(),
            layer,
            name: element.name.value.clone(),
            doc: element.doc.clone(),
            properties: Properties::new(),
            tags: Vec::new(),
            parent,
            children: Vec::new(),
            span: Span::new(file, element.range),
            id_span: Span::new(file, element.id.range),
            in_workspace,
        });
        if let Some(parent) = parent {
            self.elements[parent.index()].children.push(id);
        }
        self.pending.push(PendingElement {
            id,
            module,
            file,
            syntax: element,
        });
        if let Some(body) = &element.body {
            for entry in &body.entries {
                if let Entry::Element(child) = entry {
                    self.declare(module, file, child, Some(id));
                }
            }
        }
    }
}

impl<'a> Resolver<'a, '_> {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.out.diagnostics.push(diagnostic);
    }

    fn element(&self, id: ElementId) -> &Element {
        &self.elements[id.index()]
    }

    /// Looks a name up from `module`: a local id, or `alias.id` into an imported model.
    fn lookup(&self, module: usize, name: &str) -> Option<ElementId> {
        if let Some(id) = self.scopes[module].get(name) {
            return Some(*id);
        }
        let (alias, rest) = name.split_once('.')?;
        let (target, _) = self.workspace.modules[module].aliases.get(alias)?;
        self.scopes[*target].get(rest).copied()
    }

    /// True when `name` is qualified and its prefix is neither an import alias nor a local id of
    /// `module`.
    fn not_an_alias(&self, module: usize, name: &str) -> bool {
        name.split_once('.').is_some_and(|(alias, _)| {
            !self.workspace.modules[module].aliases.contains_key(alias)
                && !self.scopes[module].contains_key(alias)
        })
    }

    /// What looking `name` up from `module` finds, with all a reference reads of its target.
    fn find(&self, module: usize, name: &str) -> Found {
        self.found(module, name, self.lookup(module, name))
    }

    /// [`Resolver::find`], given what the lookup of `name` returned.
    fn found(&self, module: usize, name: &str, looked_up: Option<ElementId>) -> Found {
        match looked_up {
            Some(id) => {
                let element = self.element(id);
                Found::Element {
                    id,
                    kind: element.kind.clone(),
                    id_span: element.id_span,
                }
            }
            None => Found::Nothing {
                not_an_alias: self.not_an_alias(module, name),
            },
        }
    }

    fn resolve_reference(
        &mut self,
        module: usize,
        file: FileId,
        name: &Name,
        what: &str,
    ) -> Option<ElementId> {
        let looked_up = self.lookup(module, &name.text);
        if self.reads.is_some() {
            let found = self.found(module, &name.text, looked_up);
            if let Some(reads) = &mut self.reads {
                reads.push(Read {
                    module,
                    name: name.text.clone(),
                    found,
                });
            }
        }
        if let Some(id) = looked_up {
            self.out.references.push(Reference {
                span: Span::new(file, name.range),
                target: id,
            });
            return Some(id);
        }
        let mut diagnostic = Diagnostic::new(
            Code::UnresolvedReference,
            format!("cannot find {what} `{}`", name.text),
        )
        .at(file, name.range, "not found");
        if self.not_an_alias(module, &name.text) {
            let (alias, _) = name.text.split_once('.').expect("a qualified name");
            diagnostic = diagnostic.with_note(format!("`{alias}` is not an import alias here"));
        }
        self.out
            .unresolved
            .push((self.out.diagnostics.len(), module, name.text.to_string()));
        self.error(diagnostic);
        None
    }

    fn check_element(&mut self, item: &PendingElement<'a>) {
        let syntax = item.syntax;
        let kind_definition = match self.metamodel {
            Some(metamodel) => {
                let definition = metamodel.kind(&syntax.kind.text);
                if definition.is_none() {
                    let mut diagnostic = Diagnostic::new(
                        Code::UnknownKind,
                        format!("unknown element kind `{}`", syntax.kind.text),
                    )
                    .at(
                        item.file,
                        syntax.kind.range,
                        "not a kind of this framework",
                    );
                    diagnostic = match suggest(
                        &syntax.kind.text,
                        metamodel.kinds.keys().map(String::as_str),
                    ) {
                        Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                        None => diagnostic.with_help(format!(
                            "kinds of this framework: {}",
                            metamodel
                                .kinds
                                .keys()
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    };
                    self.error(diagnostic);
                }
                definition
            }
            None => None,
        };
        if let (Some(definition), Some(parent)) = (kind_definition, self.element(item.id).parent)
            && let Some(allowed) = &definition.nested_in
            && !allowed
                .iter()
                .any(|kind| *kind == self.element(parent).kind.as_str())
        {
            let parent_kind = self.element(parent).kind.clone();
            {
                self.error(
                    Diagnostic::new(
                        Code::NestingNotAllowed,
                        format!(
                            "{} cannot be nested in {}",
                            with_article(&syntax.kind.text),
                            with_article(&parent_kind)
                        ),
                    )
                    .at(item.file, syntax.kind.range, "nested here")
                    .with_help(if allowed.is_empty() {
                        format!("declare the `{}` at the top level", syntax.kind.text)
                    } else {
                        format!(
                            "a `{}` may be nested in: {}",
                            syntax.kind.text,
                            allowed.join(", ")
                        )
                    }),
                );
            }
        }
        let mut properties =
            Properties::with_capacity(syntax.body.as_ref().map_or(0, |body| body.entries.len()));
        let mut tags = Vec::new();
        // Properties written in the body, valid or not: a bad value is not also "missing".
        let mut written: Vec<&str> = Vec::new();
        if let Some(body) = &syntax.body {
            for entry in &body.entries {
                match entry {
                    Entry::Property(property) if property.name.text == "tags" => {
                        if written.contains(&"tags") {
                            self.error(
                                Diagnostic::new(Code::DuplicateProperty, "`tags` is set twice")
                                    .at(item.file, property.name.range, "set again here")
                                    .with_help("put every tag in one list: tags [a, b, c]"),
                            );
                            continue;
                        }
                        written.push("tags");
                        tags = self.tags(item.file, property);
                    }
                    Entry::Property(property) => {
                        written.push(property.name.text.as_str());
                        let allowed = kind_definition.map(|definition| AllowedProperties {
                            owner: &definition.id,
                            names: &definition.properties,
                            kind: Some(&definition.id),
                        });
                        self.property(item.module, item.file, property, allowed, &mut properties);
                    }
                    Entry::Relation(relation) => {
                        self.relation(item.module, item.file, relation, Some(item.id))
                    }
                    Entry::Element(_) => {}
                }
            }
        }
        if let Some(definition) = kind_definition {
            let missing: Vec<&String> = definition
                .required
                .iter()
                .filter(|name| !written.contains(&name.as_str()))
                .collect();
            for name in missing {
                let description = self
                    .metamodel
                    .and_then(|metamodel| metamodel.property(name))
                    .map(|property| property.value_type.describe());
                self.error(
                    Diagnostic::new(
                        Code::MissingProperty,
                        format!(
                            "{} `{}` lacks the required property `{name}`",
                            definition.id, syntax.id.text
                        ),
                    )
                    .at(item.file, syntax.id.range, format!("needs `{name}`"))
                    .with_help(format!(
                        "add `{name} …` ({}) to the body",
                        description.unwrap_or_default()
                    )),
                );
            }
        }
        self.out.elements.push((item.id, properties, tags));
    }

    fn tags(&mut self, file: FileId, property: &syntax::Property) -> Vec<CompactString> {
        let ValueKind::List(items) = &property.value.kind else {
            self.error(
                Diagnostic::new(Code::MisplacedTags, "`tags` takes a list").at(
                    file,
                    property.value.range,
                    "not a list",
                ),
            );
            return Vec::new();
        };
        let mut tags = Vec::new();
        for item in items {
            match &item.kind {
                ValueKind::Path(name) => tags.push(name.text.clone()),
                ValueKind::String(literal) => tags.push(CompactString::new(&literal.value)),
                _ => self.error(
                    Diagnostic::new(Code::MisplacedTags, "a tag is a word or a string").at(
                        file,
                        item.range,
                        "not a tag",
                    ),
                ),
            }
        }
        tags.sort();
        tags.dedup();
        tags
    }

    /// Checks one property against the names `allowed` for its owner (`None`: owner unknown, so
    /// the property is kept untyped) and stores it.
    fn property(
        &mut self,
        module: usize,
        file: FileId,
        property: &syntax::Property,
        allowed: Option<AllowedProperties<'_>>,
        properties: &mut Properties,
    ) {
        let name = &property.name.text;
        if properties.contains_key(name) {
            let first = properties[name].span;
            self.error(
                Diagnostic::new(Code::DuplicateProperty, format!("`{name}` is set twice"))
                    .at(file, property.name.range, "set again here")
                    .with_secondary(first, "first set here"),
            );
            return;
        }
        let Some(metamodel) = self.metamodel else {
            return;
        };
        let Some(AllowedProperties {
            owner,
            names: allowed,
            kind,
        }) = allowed
        else {
            return;
        };
        // A kind allows dozens of properties: ask the metamodel's hashed set.
        let known = match kind {
            Some(kind) => metamodel.kind_allows_property(kind, name),
            None => allowed.iter().any(|allowed_name| allowed_name == name),
        };
        if !known {
            let mut diagnostic = Diagnostic::new(
                Code::UnknownProperty,
                format!("{owner} has no property `{name}`"),
            )
            .at(file, property.name.range, "unknown property");
            diagnostic = if metamodel.relation(name).is_some() {
                diagnostic.with_help(format!("`{name}` is a relation: write `{name} -> target`"))
            } else if let Some(best) = suggest(name, allowed.iter().map(String::as_str)) {
                diagnostic.with_help(format!("did you mean `{best}`?"))
            } else if allowed.is_empty() {
                diagnostic.with_help(format!("{owner} takes no properties besides `tags`"))
            } else {
                diagnostic.with_help(format!("properties of {owner}: {}", allowed.join(", ")))
            };
            self.error(diagnostic);
            return;
        }
        let Some(definition) = metamodel.property(name) else {
            return;
        };
        if let Some(value) =
            self.convert(module, file, name, &property.value, &definition.value_type)
        {
            properties.insert(
                name.clone(),
                PropertyEntry {
                    value,
                    span: Span::new(file, property.range),
                },
            );
        }
    }

    fn convert(
        &mut self,
        module: usize,
        file: FileId,
        name: &str,
        value: &Value,
        value_type: &ValueType,
    ) -> Option<PropertyValue> {
        let wrong_type = |resolver: &mut Self, help: Option<String>| {
            let mut diagnostic = Diagnostic::new(
                Code::WrongValueType,
                format!(
                    "`{name}` expects {}, found {}",
                    value_type.describe(),
                    describe_found(value)
                ),
            )
            .at(
                file,
                value.range,
                format!("expected {}", value_type.describe()),
            );
            if let Some(help) = help {
                diagnostic = diagnostic.with_help(help);
            }
            resolver.error(diagnostic);
            None
        };
        match (value_type, &value.kind) {
            (ValueType::String, ValueKind::String(literal)) => {
                Some(PropertyValue::String(literal.value.clone()))
            }
            (ValueType::String, _) => {
                wrong_type(self, Some("put the text in double quotes".to_owned()))
            }
            (ValueType::Integer { min, max }, ValueKind::Integer(number)) => {
                let below = min.is_some_and(|min| *number < min);
                let above = max.is_some_and(|max| *number > max);
                if below || above {
                    self.error(
                        Diagnostic::new(
                            Code::ValueNotAllowed,
                            format!("`{name}` is {number}, outside the allowed range"),
                        )
                        .at(
                            file,
                            value.range,
                            format!("expected {}", value_type.describe()),
                        ),
                    );
                    return None;
                }
                Some(PropertyValue::Integer(*number))
            }
            (ValueType::Boolean, ValueKind::Path(word))
                if word.text == "true" || word.text == "false" =>
            {
                Some(PropertyValue::Boolean(word.text == "true"))
            }
            (ValueType::Date, ValueKind::Date(date)) => Some(PropertyValue::Date(*date)),
            (ValueType::Enum { values }, ValueKind::Path(word)) => {
                if values.iter().any(|value| *value == word.text.as_str()) {
                    return Some(PropertyValue::Enum(word.text.clone()));
                }
                let help = match suggest(&word.text, values.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("allowed values: {}", values.join(", ")),
                };
                self.error(
                    Diagnostic::new(
                        Code::ValueNotAllowed,
                        format!("`{}` is not an allowed value of `{name}`", word.text),
                    )
                    .at(file, value.range, "not allowed")
                    .with_help(help),
                );
                None
            }
            (ValueType::Enum { values }, ValueKind::String(literal))
                if values.contains(&literal.value) =>
            {
                wrong_type(
                    self,
                    Some(format!(
                        "write the value without quotes: `{}`",
                        literal.value
                    )),
                )
            }
            (ValueType::Reference { kinds }, ValueKind::Path(target)) => {
                let id = self.resolve_reference(module, file, target, "element")?;
                let target_kind = self.element(id).kind.clone();
                if !kinds.is_empty() && !kinds.iter().any(|kind| *kind == target_kind.as_str()) {
                    self.error(
                        Diagnostic::new(
                            Code::ReferenceKind,
                            format!(
                                "`{name}` must refer to {}, but `{}` is {}",
                                with_article(&kinds.join(" or ")),
                                target.text,
                                with_article(&target_kind)
                            ),
                        )
                        .at(file, value.range, format!("a {target_kind}"))
                        .with_secondary(self.element(id).id_span, "declared here"),
                    );
                    return None;
                }
                Some(PropertyValue::Reference(id))
            }
            (ValueType::List { item }, ValueKind::List(items)) => {
                let converted: Vec<PropertyValue> = items
                    .iter()
                    .filter_map(|element| self.convert(module, file, name, element, item))
                    .collect();
                Some(PropertyValue::List(converted))
            }
            (ValueType::List { .. }, _) => {
                wrong_type(self, Some(format!("write a list: `{name} [ … ]`")))
            }
            _ => wrong_type(self, None),
        }
    }

    fn relation(
        &mut self,
        module: usize,
        file: FileId,
        relation: &syntax::Relation,
        source: Option<ElementId>,
    ) {
        let definition = match self.metamodel {
            Some(metamodel) => {
                let definition = metamodel.relation(&relation.relation_type.text);
                if definition.is_none() {
                    let mut diagnostic = Diagnostic::new(
                        Code::UnknownRelation,
                        format!("unknown relation type `{}`", relation.relation_type.text),
                    )
                    .at(
                        file,
                        relation.relation_type.range,
                        "not a relation type of this framework",
                    );
                    if let Some(best) = suggest(
                        &relation.relation_type.text,
                        metamodel.relations.keys().map(String::as_str),
                    ) {
                        diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
                    } else {
                        let source_kind = source.map(|id| self.element(id).kind.clone());
                        let valid: Vec<&str> = match &source_kind {
                            Some(kind) => metamodel
                                .relations_from(kind)
                                .map(|definition| definition.id.as_str())
                                .collect(),
                            None => metamodel.relations.keys().map(String::as_str).collect(),
                        };
                        diagnostic = diagnostic
                            .with_help(format!("relation types here: {}", valid.join(", ")));
                    }
                    self.error(diagnostic);
                }
                definition
            }
            None => None,
        };
        let source = match (source, &relation.source) {
            (Some(source), _) => Some(source),
            (None, Some(name)) => self.resolve_reference(module, file, name, "source element"),
            (None, None) => None,
        };
        let target = self.resolve_reference(module, file, &relation.target, "target element");
        let via: Vec<ElementId> = relation
            .via
            .iter()
            .filter_map(|name| self.resolve_reference(module, file, name, "intermediary"))
            .collect();
        let (Some(source), Some(target)) = (source, target) else {
            return;
        };
        let mut properties = Properties::new();
        if let Some(definition) = definition {
            let not_allowed = {
                let source_kind = &self.element(source).kind;
                let target_kind = &self.element(target).kind;
                let kinds_known = self.metamodel.is_some_and(|metamodel| {
                    metamodel.kind(source_kind).is_some() && metamodel.kind(target_kind).is_some()
                });
                kinds_known && !definition.allows(source_kind, target_kind)
            };
            if not_allowed {
                let source_kind = self.element(source).kind.clone();
                let target_kind = self.element(target).kind.clone();
                let alternatives: Vec<&str> = self
                    .metamodel
                    .map(|metamodel| {
                        metamodel
                            .relations
                            .values()
                            .filter(|candidate| candidate.allows(&source_kind, &target_kind))
                            .map(|candidate| candidate.id.as_str())
                            .collect()
                    })
                    .unwrap_or_default();
                let describe = |set: &Option<Vec<String>>| {
                    set.as_ref()
                        .map_or_else(|| "any kind".to_owned(), |kinds| kinds.join(", "))
                };
                let mut help = format!(
                    "`{}` goes from {} to {}",
                    definition.id,
                    describe(&definition.from),
                    describe(&definition.to)
                );
                if !alternatives.is_empty() {
                    help.push_str(&format!(
                        "; relations from {source_kind} to {target_kind}: {}",
                        alternatives.join(", ")
                    ));
                }
                self.error(
                    Diagnostic::new(
                        Code::RelationNotAllowed,
                        format!(
                            "`{}` cannot join {} to {}",
                            definition.id,
                            with_article(&source_kind),
                            with_article(&target_kind)
                        ),
                    )
                    .at(
                        file,
                        relation.relation_type.range,
                        format!("{source_kind} → {target_kind}"),
                    )
                    .with_help(help),
                );
            }
            if let Some(body) = &relation.body {
                let owner = format!("relation `{}`", definition.id);
                let allowed = definition.properties.clone();
                for entry in &body.entries {
                    match entry {
                        Entry::Property(property) => {
                            self.property(
                                module,
                                file,
                                property,
                                Some(AllowedProperties {
                                    owner: &owner,
                                    names: &allowed,
                                    kind: None,
                                }),
                                &mut properties,
                            );
                        }
                        other => self.header_entry_error(file, other),
                    }
                }
            }
            let missing: Vec<String> = definition
                .required
                .iter()
                .filter(|name| !properties.contains_key(*name))
                .cloned()
                .collect();
            for name in missing {
                self.error(
                    Diagnostic::new(
                        Code::MissingProperty,
                        format!(
                            "relation `{}` lacks the required property `{name}`",
                            definition.id
                        ),
                    )
                    .at(
                        file,
                        relation.relation_type.range,
                        format!("needs `{name}`"),
                    ),
                );
            }
        }
        let in_workspace = self.workspace.files.get(file).origin == Origin::Workspace;
        self.out.relations.push(Relation {
            relation_type: relation.relation_type.text.clone(),
            source,
            target,
            label: relation.label.as_ref().map(|label| label.value.clone()),
            via,
            properties,
            doc: relation.doc.clone(),
            span: Span::new(file, relation.range),
            in_workspace,
        });
    }

    fn header_entry_error(&mut self, file: FileId, entry: &Entry) {
        let what = match entry {
            Entry::Relation(_) => "a relation",
            Entry::Element(_) => "an element",
            Entry::Property(_) => "a property",
        };
        self.error(
            Diagnostic::new(Code::HeaderEntry, format!("{what} cannot appear here")).at(
                file,
                entry.range(),
                "only properties are allowed in this block",
            ),
        );
    }

    fn waiver(&mut self, module: usize, file: FileId, waiver: &syntax::Waiver) {
        let mut missing = Vec::new();
        if waiver.until.is_none() {
            missing.push("an expiry date (`until YYYY-MM-DD`)");
        }
        if waiver
            .reason
            .as_ref()
            .is_none_or(|reason| reason.value.trim().is_empty())
        {
            missing.push("a reason (a string)");
        }
        if !missing.is_empty() {
            self.error(
                Diagnostic::new(
                    Code::WaiverIncomplete,
                    format!(
                        "waiver of {} lacks {}",
                        waiver.rule.text,
                        missing.join(" and ")
                    ),
                )
                .at(file, waiver.range, "incomplete waiver"),
            );
        }
        // The architecture's id (in the workspace's own files, unless an element has that id)
        // waives the rule's model-wide findings.
        let element = if module == 0
            && self.header_id == Some(waiver.element.text.as_str())
            && self.lookup(module, &waiver.element.text).is_none()
        {
            None
        } else {
            let Some(element) = self.resolve_reference(module, file, &waiver.element, "element")
            else {
                return;
            };
            Some(element)
        };
        self.out.waivers.push(Waiver {
            rule: waiver.rule.text.to_string(),
            rule_span: Span::new(file, waiver.rule.range),
            element,
            until: waiver.until.map(|(date, _)| date),
            reason: waiver.reason.as_ref().map(|reason| reason.value.clone()),
            span: Span::new(file, waiver.range),
        });
    }

    fn header(&mut self, file: FileId, header: &syntax::Architecture) {
        let mut framework = None;
        let mut version = None;
        let mut as_of = None;
        let mut properties = Properties::new();
        let header_definition = self
            .metamodel
            .map(|metamodel| metamodel.header.clone())
            .unwrap_or_default();
        let empty = Block {
            entries: Vec::new(),
            range: TextRange::default(),
        };
        let mut seen: HashMap<&str, TextRange> = HashMap::new();
        for entry in &header.body.as_ref().unwrap_or(&empty).entries {
            let Entry::Property(property) = entry else {
                self.header_entry_error(file, entry);
                continue;
            };
            if let Some(first) = seen.insert(property.name.text.as_str(), property.name.range) {
                self.error(
                    Diagnostic::new(
                        Code::DuplicateProperty,
                        format!("`{}` is set twice", property.name.text),
                    )
                    .at(file, property.name.range, "set again here")
                    .with_secondary(Span::new(file, first), "first set here"),
                );
                continue;
            }
            let expect_string = |resolver: &mut Self, slot: &mut Option<String>| match &property
                .value
                .kind
            {
                ValueKind::String(literal) => *slot = Some(literal.value.clone()),
                ValueKind::Path(word) if property.name.text == "framework" => {
                    *slot = Some(word.text.to_string())
                }
                _ => resolver.error(
                    Diagnostic::new(
                        Code::WrongValueType,
                        format!("`{}` expects a string", property.name.text),
                    )
                    .at(file, property.value.range, "expected a string"),
                ),
            };
            match property.name.text.as_str() {
                "framework" => expect_string(self, &mut framework),
                "version" => expect_string(self, &mut version),
                "as_of" => match &property.value.kind {
                    ValueKind::Date(date) => as_of = Some(*date),
                    _ => self.error(
                        Diagnostic::new(
                            Code::WrongValueType,
                            "`as_of` expects a date (YYYY-MM-DD)",
                        )
                        .at(file, property.value.range, "expected a date"),
                    ),
                },
                name if header_definition
                    .properties
                    .iter()
                    .any(|allowed| allowed == name) =>
                {
                    let allowed = header_definition.properties.clone();
                    self.property(
                        0,
                        file,
                        property,
                        Some(AllowedProperties {
                            owner: "the architecture header",
                            names: &allowed,
                            kind: None,
                        }),
                        &mut properties,
                    );
                }
                name => {
                    let mut known = vec!["framework", "version", "as_of"];
                    known.extend(header_definition.properties.iter().map(String::as_str));
                    let mut diagnostic = Diagnostic::new(
                        Code::UnknownHeaderProperty,
                        format!("the header has no property `{name}`"),
                    )
                    .at(file, property.name.range, "unknown header property");
                    diagnostic = match suggest(name, known.iter().copied()) {
                        Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                        None => {
                            diagnostic.with_help(format!("header properties: {}", known.join(", ")))
                        }
                    };
                    self.error(diagnostic);
                }
            }
        }
        if !seen.contains_key("version") {
            self.error(
                Diagnostic::new(
                    Code::MissingProperty,
                    format!("architecture `{}` lacks `version`", header.id.text),
                )
                .at(file, header.id.range, "needs `version \"…\"`"),
            );
        }
        for name in &header_definition.required {
            if !properties.contains_key(name) {
                self.error(
                    Diagnostic::new(
                        Code::MissingProperty,
                        format!(
                            "architecture `{}` lacks the required property `{name}`",
                            header.id.text
                        ),
                    )
                    .at(file, header.id.range, format!("needs `{name}`")),
                );
            }
        }
        self.out.header = Some(Header {
            id: header.id.text.to_string(),
            name: header.name.value.clone(),
            framework,
            version,
            as_of,
            doc: header.doc.clone(),
            properties,
            span: Span::new(file, header.range),
        });
    }
}
