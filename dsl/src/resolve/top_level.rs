//! Pass 3 of resolution: the top-level declarations other than elements (relations, waivers and
//! the workspace's `architecture` header), a share per file, in parallel.

use super::property::AllowedProperties;
use super::resolver::{Context, Output, Resolver};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Header, Properties, Waiver};
use crate::sources::Workspace;
use crate::suggest::suggest;
use crate::syntax::{self, Block, Declaration, Entry, ValueKind};
use crate::text::{FileId, Span, TextRange};
use rayon::prelude::*;
use std::collections::HashMap;

/// The workspace's header: the first `architecture` of its own files (module 0).
pub(super) fn header_declaration(workspace: &Workspace) -> Option<(FileId, &syntax::Architecture)> {
    workspace.modules.first().and_then(|module| {
        module.files.iter().find_map(|file| {
            workspace.trees[file.0 as usize]
                .declarations
                .iter()
                .find_map(|declaration| match declaration {
                    Declaration::Architecture(header) => Some((*file, header)),
                    _ => None,
                })
        })
    })
}

/// Resolves the top-level relations and waivers of `files` (module and file, in order) and the
/// `header`: one output per file, in order.
pub(super) fn resolve_top_level(
    context: Context<'_, '_>,
    files: &[(usize, FileId)],
    header: Option<(FileId, &syntax::Architecture)>,
) -> Vec<Output> {
    files
        .par_iter()
        .map(|&(module_index, file)| {
            let mut resolver = context.resolver();
            for declaration in &context.workspace.trees[file.0 as usize].declarations {
                match declaration {
                    Declaration::Relation(relation) => {
                        resolver.relation(module_index, file, relation, None);
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
        })
        .collect()
}

impl Resolver<'_, '_> {
    /// A waiver: complete (an expiry date and a reason), on an element in scope or on the
    /// architecture's own id.
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

    /// The workspace's header: `framework`, `version`, `as_of` and the header properties the
    /// metamodel defines.
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
                    *slot = Some(word.text.to_string());
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
