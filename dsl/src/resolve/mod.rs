//! Name resolution: turns the syntax trees of a loaded [`Workspace`] into a [`Model`], checking
//! kinds, properties, value types and relation types against the framework's metamodel, and
//! resolving every reference (with "did you mean" suggestions when one does not resolve).
//!
//! [`resolve_with`] is the chain of passes: declare every element (`declare`, pass 1), check the
//! element bodies (`bodies` and `element`, pass 2, reusing what a [`ResolveCache`] kept), resolve
//! the top-level relations, waivers and header (`top_level`, pass 3), and join the outputs in
//! order (`join`). Passes 2 and 3 run a `Resolver` (`resolver`) over shares of the work in
//! parallel; properties and relations are checked in `property` and `relation`.

mod bodies;
mod cache;
mod declare;
mod element;
mod join;
mod property;
mod relation;
mod resolver;
mod top_level;

pub use crate::suggest::suggest;
pub use cache::ResolveCache;

use crate::diagnostic::Diagnostic;
use crate::model::{Element, ElementId, Model};
use crate::sources::Workspace;
use crate::syntax::CompactString;
use crate::text::FileId;
use declare::Declared;
use resolver::Context;

/// The result of resolution: the model and its semantic diagnostics.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves a loaded workspace into a model.
pub fn resolve(workspace: &Workspace) -> Resolved {
    resolve_with(workspace, None)
}

/// [`resolve`], reusing what `cache` kept of an earlier resolution where nothing it depends on
/// changed, and keeping this one's there.
pub fn resolve_with(workspace: &Workspace, cache: Option<&ResolveCache>) -> Resolved {
    let metamodel = workspace
        .framework
        .as_ref()
        .and_then(|framework| framework.metamodel.clone());
    let files = files_in_order(workspace);
    let Declared {
        scopes,
        elements,
        diagnostics,
        pending,
    } = declare::declare_all(workspace, metamodel.as_deref(), &files);
    let header = top_level::header_declaration(workspace);
    let context = Context {
        workspace,
        metamodel: metamodel.as_deref(),
        scopes: &scopes,
        elements: &elements,
        header_id: header.map(|(_, header)| header.id.text.as_str()),
    };
    let (mut outputs, by_qualified_id) = rayon::join(
        || bodies::check_bodies(context, &pending, metamodel.as_ref(), cache),
        || index_by_qualified_id(&elements),
    );
    outputs.extend(top_level::resolve_top_level(context, &files, header));
    let (model, diagnostics) = join::join(
        workspace,
        &scopes,
        elements,
        diagnostics,
        outputs,
        by_qualified_id,
    );
    Resolved { model, diagnostics }
}

/// Every file of every module with its module, module by module.
fn files_in_order(workspace: &Workspace) -> Vec<(usize, FileId)> {
    workspace
        .modules
        .iter()
        .enumerate()
        .flat_map(|(module_index, module)| {
            module.files.iter().map(move |file| (module_index, *file))
        })
        .collect()
}

/// The elements by qualified id.
fn index_by_qualified_id(elements: &[Element]) -> foldhash::HashMap<CompactString, ElementId> {
    elements
        .iter()
        .map(|element| (element.qualified_id.clone(), element.id))
        .collect()
}
