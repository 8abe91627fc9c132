//! The resolver that passes 2 and 3 run over each share of the work: the context it reads (the
//! workspace, the metamodel, pass 1's scopes and elements), the lookup of a name from a module (a
//! local id, or `alias.id` into an imported model), each lookup recorded for the [`ResolveCache`]
//! when one is kept, and the [`Output`] a share produces. Checking element bodies, properties,
//! relations and the top-level declarations are methods of [`Resolver`] in their own modules.
//!
//! [`ResolveCache`]: super::ResolveCache

use crate::diagnostic::{Code, Diagnostic};
use crate::metamodel::Metamodel;
use crate::model::{Element, ElementId, Header, Properties, Reference, Relation, View, Waiver};
use crate::sources::Workspace;
use crate::syntax::{CompactString, Name};
use crate::text::{FileId, Span};

/// What passes 2 and 3 read: the workspace, its metamodel, and what pass 1 declared.
#[derive(Clone, Copy)]
pub(super) struct Context<'a, 'd> {
    pub(super) workspace: &'a Workspace,
    pub(super) metamodel: Option<&'a Metamodel>,
    pub(super) scopes: &'d [foldhash::HashMap<&'a str, ElementId>],
    pub(super) elements: &'d [Element],
    /// The id of the workspace's `architecture` header, which a waiver may name.
    pub(super) header_id: Option<&'a str>,
}

impl<'a, 'd> Context<'a, 'd> {
    /// A resolver for one share of the work, with an empty output.
    pub(super) fn resolver(self) -> Resolver<'a, 'd> {
        Resolver {
            workspace: self.workspace,
            metamodel: self.metamodel,
            scopes: self.scopes,
            elements: self.elements,
            header_id: self.header_id,
            out: Output::default(),
            reads: None,
        }
    }
}

/// Passes 2 and 3 over one share of the work: reads the declared elements and the scopes, and
/// writes what it finds to its own [`Output`]. Shares run in parallel; their outputs are joined
/// in the order a single pass would have produced them.
pub(super) struct Resolver<'a, 'd> {
    pub(super) workspace: &'a Workspace,
    pub(super) metamodel: Option<&'a Metamodel>,
    pub(super) scopes: &'d [foldhash::HashMap<&'a str, ElementId>],
    pub(super) elements: &'d [Element],
    /// The id of the workspace's `architecture` header, which a waiver may name.
    pub(super) header_id: Option<&'a str>,
    pub(super) out: Output,
    /// Every name looked up and what it found, kept when the output goes to a
    /// [`ResolveCache`](super::ResolveCache).
    pub(super) reads: Option<Reads>,
}

/// The names a share looked up, each once, and what they found: a file names the same few
/// elements again and again (its agency, its data centre, its LGSP), and the cache checks each
/// name once when it decides whether the file's outputs still hold.
#[derive(Debug, Default)]
pub(super) struct Reads {
    pub(super) list: Vec<Read>,
    seen: foldhash::HashSet<(usize, CompactString)>,
}

/// What one share of passes 2 and 3 produced, in the order it produced it.
#[derive(Debug, Clone, Default)]
pub(super) struct Output {
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Unresolved references that may get a "did you mean" (the budget for those is spent in
    /// the order of a single pass, when the outputs are joined): the index of the diagnostic in
    /// `diagnostics`, the module the name was written in, and the name.
    pub(super) unresolved: Vec<(usize, usize, String)>,
    pub(super) references: Vec<Reference>,
    pub(super) relations: Vec<Relation>,
    pub(super) waivers: Vec<Waiver>,
    pub(super) views: Vec<View>,
    /// The checked properties and tags of elements (pass 2).
    pub(super) elements: Vec<(ElementId, Properties, Vec<CompactString>)>,
    pub(super) header: Option<Header>,
}

/// A name looked up from a module, and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Read {
    pub(super) module: usize,
    pub(super) name: CompactString,
    pub(super) found: Found,
}

/// What a lookup found: all that checking a reference reads of its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Found {
    Element {
        id: ElementId,
        kind: CompactString,
        id_span: Span,
    },
    /// Nothing; `not_an_alias`: the name's prefix is neither an import alias nor a local id.
    Nothing { not_an_alias: bool },
}

impl Resolver<'_, '_> {
    pub(super) fn error(&mut self, diagnostic: Diagnostic) {
        self.out.diagnostics.push(diagnostic);
    }

    pub(super) fn element(&self, id: ElementId) -> &Element {
        &self.elements[id.index()]
    }

    /// Looks a name up from `module`: a local id, or `alias.id` into an imported model.
    pub(super) fn lookup(&self, module: usize, name: &str) -> Option<ElementId> {
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
    pub(super) fn find(&self, module: usize, name: &str) -> Found {
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

    pub(super) fn resolve_reference(
        &mut self,
        module: usize,
        file: FileId,
        name: &Name,
        what: &str,
    ) -> Option<ElementId> {
        let looked_up = self.lookup(module, &name.text);
        let first_read = self
            .reads
            .as_mut()
            .is_some_and(|reads| reads.seen.insert((module, name.text.clone())));
        if first_read {
            let found = self.found(module, &name.text, looked_up);
            if let Some(reads) = &mut self.reads {
                reads.list.push(Read {
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
}
