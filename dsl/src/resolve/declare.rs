//! Pass 1 of resolution: every element declared, in order, so that references may point forward
//! and across files. It builds the scopes (element ids by local id, per module) and reports an id
//! declared twice in a module (KT0205).

use crate::diagnostic::{Code, Diagnostic};
use crate::metamodel::Metamodel;
use crate::model::{Element, ElementId, Properties};
use crate::sources::{Origin, Workspace};
use crate::syntax::{self, CompactString, Declaration, Entry};
use crate::text::{FileId, Span};
use rayon::prelude::*;

/// An element declared in pass 1, whose body pass 2 checks.
pub(super) struct PendingElement<'a> {
    pub(super) id: ElementId,
    pub(super) module: usize,
    pub(super) file: FileId,
    pub(super) syntax: &'a syntax::Element,
}

/// What pass 1 declared.
pub(super) struct Declared<'a> {
    /// Element ids by local id, per module; keys borrow the syntax trees.
    pub(super) scopes: Vec<foldhash::HashMap<&'a str, ElementId>>,
    pub(super) elements: Vec<Element>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Every declared element, in order, with its syntax.
    pub(super) pending: Vec<PendingElement<'a>>,
}

/// Declares the elements of `files` (module and file, in order). Each file's elements are made on
/// their own, in parallel, with ids counted from the file's first; then, in order, a file whose
/// ids are all new is added with its ids moved, and a file with an id declared before (or twice)
/// is declared again one element at a time.
pub(super) fn declare_all<'a>(
    workspace: &'a Workspace,
    metamodel: Option<&'a Metamodel>,
    files: &[(usize, FileId)],
) -> Declared<'a> {
    let new_declarer = || Declarer {
        workspace,
        metamodel,
        scopes: vec![foldhash::HashMap::default(); workspace.modules.len()],
        elements: Vec::new(),
        diagnostics: Vec::new(),
        pending: Vec::new(),
    };
    let prepared: Vec<Declarer<'_>> = files
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
    declarer
        .pending
        .reserve(prepared.iter().map(|file| file.pending.len()).sum());
    // Each module's scope at its final size: growing a million-entry map rehashes it again and
    // again on the one thread this merge runs on.
    let mut per_module = vec![0usize; workspace.modules.len()];
    for (&(module_index, _), file) in files.iter().zip(&prepared) {
        per_module[module_index] += file.pending.len();
    }
    for (scope, size) in declarer.scopes.iter_mut().zip(per_module) {
        scope.reserve(size);
    }
    for (&(module_index, file), prepared) in files.iter().zip(prepared) {
        if !declarer.add_prepared(module_index, prepared) {
            declarer.declare_file(module_index, file);
        }
    }
    Declared {
        scopes: declarer.scopes,
        elements: declarer.elements,
        diagnostics: declarer.diagnostics,
        pending: declarer.pending,
    }
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
        if !prepared.diagnostics.is_empty() {
            return false;
        }
        let base = self.elements.len() as u32;
        let moved = |id: ElementId| ElementId(id.0 + base);
        // One lookup per id: insert, and on the first id the module already has, take this
        // file's ids out again (the file is then declared here, which reports it).
        let scope = &mut self.scopes[module];
        for (index, item) in prepared.pending.iter().enumerate() {
            if let Some(existing) = scope.insert(item.syntax.id.text.as_str(), moved(item.id)) {
                scope.insert(item.syntax.id.text.as_str(), existing);
                for earlier in &prepared.pending[..index] {
                    scope.remove(earlier.syntax.id.text.as_str());
                }
                return false;
            }
        }
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
