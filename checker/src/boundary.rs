//! The architecture's boundary and level: which elements it answers for (the rule *subjects*),
//! and at which level of government it is written (issue 26).
//!
//! An element is a subject when the workspace declares it, unless the header lists it (or an
//! ancestor) in `context` — another body's system drawn only to show an exchange — or when it
//! belongs to an imported model (the national reference model) and the header lists it in `owns`
//! — a national database the ministry operates. Selectors `workspace` and `imported` split the
//! elements the same way, so a rule reads "ours" and "someone else's" from one place.
//!
//! The level is the header's `scope`, one of the levels the framework pack declares
//! (`framework.toml`, `[levels]`); rules with `levels` apply only at theirs, and the words of
//! rule texts (`{level}`, `{unit}`, …) follow it.

use kientruc_dsl::diagnostic::{Code, Diagnostic};
use kientruc_dsl::model::{Element, ElementId, Model, PropertyValue};
use kientruc_dsl::text::Span;
use kientruc_dsl::workspace::FrameworkInfo;

/// Which elements are rule subjects.
#[derive(Debug, Clone, Default)]
pub struct Boundary {
    subject: Vec<bool>,
    /// Imported elements the header owns, in element order.
    owned: Vec<ElementId>,
    /// Workspace elements the header (or an ancestor's listing) makes context, in element order.
    context: Vec<ElementId>,
}

/// The header property listing the imported elements the workspace answers for.
pub const OWNS: &str = "owns";
/// The header property listing the workspace's context elements.
pub const CONTEXT: &str = "context";

impl Boundary {
    /// The boundary the model's header draws, and the problems with it (an `owns` naming the
    /// workspace's own element, a `context` naming an imported one).
    pub fn of(model: &Model) -> (Boundary, Vec<Diagnostic>) {
        let mut subject: Vec<bool> = model.elements.iter().map(|e| e.in_workspace).collect();
        let mut diagnostics = Vec::new();
        let mut owned = Vec::new();
        let mut context_roots = Vec::new();
        if let Some(header) = &model.header {
            for (name, list) in [OWNS, CONTEXT].map(|name| (name, header.properties.get(name))) {
                let Some(entry) = list else { continue };
                for id in references(&entry.value) {
                    let element = model.element(id);
                    match (name, element.in_workspace) {
                        (OWNS, false) => owned.push(id),
                        (CONTEXT, true) => context_roots.push(id),
                        (OWNS, true) => diagnostics.push(misplaced(
                            entry.span,
                            format!(
                                "`owns` lists `{}`, which the workspace declares itself",
                                element.qualified_id
                            ),
                            "`owns` is for elements of imported models (e.g. `national.csdl_ho_tich`); the workspace's own elements are subjects already",
                        )),
                        _ => diagnostics.push(misplaced(
                            entry.span,
                            format!(
                                "`context` lists `{}`, an element of an imported model",
                                element.qualified_id
                            ),
                            "imported elements are context already; `context` is for elements the workspace declares only to show an exchange",
                        )),
                    }
                }
            }
        }
        let mut context = Vec::new();
        let mut in_context = vec![false; subject.len()];
        let mut stack = context_roots;
        while let Some(id) = stack.pop() {
            if !in_context[id.index()] {
                in_context[id.index()] = true;
                subject[id.index()] = false;
                context.push(id);
                stack.extend(model.element(id).children.iter().copied());
            }
        }
        for id in &owned {
            subject[id.index()] = true;
        }
        owned.sort_unstable();
        owned.dedup();
        context.sort_unstable();
        context.dedup();
        (
            Boundary {
                subject,
                owned,
                context,
            },
            diagnostics,
        )
    }

    /// Whether the architecture answers for the element (rules report on it).
    pub fn is_subject(&self, id: ElementId) -> bool {
        self.subject.get(id.index()).copied().unwrap_or(false)
    }

    /// The imported elements the header owns.
    pub fn owned(&self) -> &[ElementId] {
        &self.owned
    }

    /// The workspace elements that are context.
    pub fn context(&self) -> &[ElementId] {
        &self.context
    }

    /// Whether the element is an imported one the workspace owns.
    pub fn is_owned(&self, id: ElementId) -> bool {
        self.owned.binary_search(&id).is_ok()
    }

    /// Whether the workspace declares the element (its own or context) or owns it: the
    /// elements a report lists as the architecture's.
    pub fn is_declared_or_owned(&self, element: &Element) -> bool {
        element.in_workspace || self.is_owned(element.id)
    }

    /// Whether the element is declared in the workspace as context.
    pub fn is_context(&self, id: ElementId) -> bool {
        self.context.binary_search(&id).is_ok()
    }
}

fn references(value: &PropertyValue) -> Vec<ElementId> {
    match value {
        PropertyValue::Reference(id) => vec![*id],
        PropertyValue::List(items) => items.iter().flat_map(references).collect(),
        _ => Vec::new(),
    }
}

fn misplaced(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::new(Code::ValueNotAllowed, message)
        .at(span.file, span.range, "listed here")
        .with_help(help)
}

/// The architecture's level: the header's `scope` when the framework declares it as a level.
/// `Err` carries the diagnostic for a scope the framework has no architecture for.
pub fn level_of(
    model: &Model,
    framework: Option<&FrameworkInfo>,
) -> Result<Option<String>, Box<Diagnostic>> {
    let Some(header) = &model.header else {
        return Ok(None);
    };
    let Some(entry) = header.properties.get("scope") else {
        return Ok(None);
    };
    let Some(scope) = entry.value.as_str() else {
        return Ok(None);
    };
    let Some(framework) = framework else {
        return Ok(Some(scope.to_owned()));
    };
    if framework.levels.is_empty() || framework.levels.contains_key(scope) {
        return Ok(Some(scope.to_owned()));
    }
    // `scope national` is the national reference model itself (the pack's national.ea), which
    // ministries and provinces import as context; checked on its own it has no level.
    if scope == "national" {
        return Ok(None);
    }
    let levels: Vec<&str> = framework.levels.keys().map(String::as_str).collect();
    Err(Box::new(
        Diagnostic::new(
            Code::ValueNotAllowed,
            format!(
                "framework `{}` defines no architecture at the level `{scope}`",
                framework.id
            ),
        )
        .at(
            entry.span.file,
            entry.span.range,
            "not a level of architecture",
        )
        .with_help(format!(
            "an architecture's `scope` is one of: {} (the level decides which rules apply)",
            levels.join(", ")
        )),
    ))
}
