//! The join: the outputs of passes 2 and 3 put together in the order a single pass would have
//! produced them, each element's checked properties and tags written back, the "did you mean"
//! budget spent in that order, and the diagnostics sorted.

use super::resolver::Output;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Element, ElementId, Model};
use crate::sources::Workspace;
use crate::suggest::closest;
use crate::syntax::CompactString;
use rayon::prelude::*;

/// How many unresolved references get a "did you mean" (each one compares the name with every
/// id in scope).
const SUGGESTION_BUDGET: usize = 200;

/// Joins pass 1's `elements` and `diagnostics` with the `outputs` of passes 2 and 3 (in order)
/// into the model and its diagnostics, sorted.
pub(super) fn join(
    workspace: &Workspace,
    scopes: &[foldhash::HashMap<&str, ElementId>],
    mut elements: Vec<Element>,
    mut diagnostics: Vec<Diagnostic>,
    outputs: Vec<Output>,
    by_qualified_id: foldhash::HashMap<CompactString, ElementId>,
) -> (Model, Vec<Diagnostic>) {
    let mut model = Model::default();
    let wanted = append_outputs(&mut model, &mut elements, &mut diagnostics, outputs);
    add_suggestions(workspace, scopes, &wanted, &mut diagnostics);
    model.by_qualified_id = by_qualified_id;
    model.elements = elements;
    diagnostics.sort_by_key(Diagnostic::sort_key);
    (model, diagnostics)
}

/// Appends the `outputs`, in order, to the model and the diagnostics, and writes each element's
/// checked properties and tags back. Returns the unresolved references that get a "did you mean"
/// (the first [`SUGGESTION_BUDGET`]): the index of the diagnostic, the module the name was
/// written in, and the name.
fn append_outputs(
    model: &mut Model,
    elements: &mut [Element],
    diagnostics: &mut Vec<Diagnostic>,
    outputs: Vec<Output>,
) -> Vec<(usize, usize, String)> {
    // Reserve the joined lists' exact sizes (growing them would copy them again and again).
    let total = |count: fn(&Output) -> usize| outputs.iter().map(count).sum::<usize>();
    diagnostics.reserve(total(|output| output.diagnostics.len()));
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
        let base = diagnostics.len();
        let room = SUGGESTION_BUDGET - wanted.len();
        wanted.extend(
            output
                .unresolved
                .into_iter()
                .take(room)
                .map(|(index, module, name)| (base + index, module, name)),
        );
        diagnostics.extend(output.diagnostics);
        model.references.extend(output.references);
        model.relations.extend(output.relations);
        model.waivers.extend(output.waivers);
        for view in output.views {
            if let Some(first) = model.views.iter().find(|first| first.id == view.id) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidView,
                        format!("view `{}` is declared twice", view.id),
                    )
                    .at(view.id_span.file, view.id_span.range, "declared again here")
                    .with_secondary(first.id_span, "first declared here"),
                );
            } else {
                model.views.push(view);
            }
        }
        for (id, properties, tags) in output.elements {
            let element = &mut elements[id.index()];
            element.properties = properties;
            element.tags = tags;
        }
        if output.header.is_some() {
            model.header = output.header;
        }
    }
    wanted
}

/// Adds a "did you mean" to the diagnostic of each `wanted` unresolved reference that has a close
/// id in scope (looked for in parallel).
fn add_suggestions(
    workspace: &Workspace,
    scopes: &[foldhash::HashMap<&str, ElementId>],
    wanted: &[(usize, usize, String)],
    diagnostics: &mut [Diagnostic],
) {
    let helps: Vec<Option<String>> = wanted
        .par_iter()
        .map(|(_, module, name)| suggest_in_scope(workspace, scopes, *module, name))
        .collect();
    for ((index, _, _), help) in wanted.iter().zip(helps) {
        if let Some(best) = help {
            diagnostics[*index].help = Some(format!("did you mean `{best}`?"));
        }
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
