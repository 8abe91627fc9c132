//! Pass 3 of resolution: the top-level declarations other than elements (relations, waivers and
//! the workspace's `architecture` header), a share per file, in parallel.

use super::property::AllowedProperties;
use super::resolver::{Context, Output, Resolver};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Header, Properties, View, ViewGrouping, ViewLayout, ViewStatement, Waiver};
use crate::selector::Selector;
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
                    // The workspace's own views; an imported model's are not the workspace's.
                    Declaration::View(view) if module_index == 0 => resolver.view(file, view),
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
    /// A view: its selectors parsed and checked against the metamodel (a wrong one is KT0215 at
    /// the selector's own error, and the statement is left out), its layout, grouping and texts.
    fn view(&mut self, file: FileId, view: &syntax::View) {
        let Some(metamodel) = self.metamodel else {
            // Without a framework nothing can be selected; the missing framework is reported.
            return;
        };
        let mut resolved = View {
            id: view.id.text.clone(),
            doc: view.doc.clone(),
            id_span: Span::new(file, view.id.range),
            title: view.title.value.clone(),
            title_en: None,
            description: None,
            description_en: None,
            statements: Vec::new(),
            layout: ViewLayout::default(),
            group_by: ViewGrouping::default(),
            span: Span::new(file, view.range),
        };
        let mut seen: HashMap<&str, TextRange> = HashMap::new();
        for item in &view.items {
            match item {
                syntax::ViewItem::Statement(statement) => {
                    let parse = |resolver: &mut Self, text: &syntax::SelectorText| {
                        Selector::parse(&text.text, metamodel)
                            .map_err(|error| {
                                let start =
                                    text.range.start as usize + error.offset.min(text.text.len());
                                let end = (start + error.length.max(1))
                                    .min(text.range.end as usize)
                                    .max(start);
                                resolver.error(
                                    Diagnostic::new(
                                        Code::InvalidView,
                                        format!("in view `{}`: {}", view.id.text, error.message),
                                    )
                                    .at(
                                        file,
                                        TextRange::new(start, end),
                                        "here",
                                    ),
                                );
                            })
                            .ok()
                    };
                    let selector = parse(self, &statement.selector);
                    let target = statement.target.as_ref().map(|target| parse(self, target));
                    let (Some(selector), Some(target)) = (
                        selector,
                        target.map_or(Some(None), |target| target.map(Some)),
                    ) else {
                        continue;
                    };
                    resolved.statements.push(ViewStatement {
                        include: statement.include,
                        selector,
                        selector_text: statement.selector.text.clone(),
                        selector_span: Span::new(file, statement.selector.range),
                        target,
                        target_text: statement.target.as_ref().map(|target| target.text.clone()),
                        target_span: statement
                            .target
                            .as_ref()
                            .map(|target| Span::new(file, target.range)),
                        span: Span::new(file, statement.range),
                    });
                }
                syntax::ViewItem::GroupBy { word, range } => {
                    if let Some(first) = seen.insert("group", *range) {
                        self.view_twice(file, view, "group by", first, *range);
                    }
                    match word.text.as_str() {
                        "kind" => resolved.group_by = ViewGrouping::Kind,
                        "layer" => resolved.group_by = ViewGrouping::Layer,
                        "owner" => resolved.group_by = ViewGrouping::Owner,
                        other => self.view_word(
                            file,
                            view,
                            "group by",
                            other,
                            word.range,
                            &["layer", "owner", "kind"],
                        ),
                    }
                }
                syntax::ViewItem::Property(property) => {
                    let name = property.name.text.as_str();
                    if let Some(first) = seen.insert(name, property.range) {
                        self.view_twice(file, view, name, first, property.range);
                    }
                    match (name, &property.value.kind) {
                        ("layout", ValueKind::Path(word)) => match word.text.as_str() {
                            "bands" => resolved.layout = ViewLayout::Bands,
                            // The layout engine draws bands as rows (tiers and the gaps
                            // between them carry the routing); columns are not drawn yet.
                            "left-right" => self.error(
                                Diagnostic::new(
                                    Code::InvalidView,
                                    format!(
                                        "in view `{}`: `layout left-right` is not drawn yet",
                                        view.id.text
                                    ),
                                )
                                .at(file, word.range, "not supported")
                                .with_help("use `layout top-down`: the same steps along the relations, as rows"),
                            ),
                            "top-down" => resolved.layout = ViewLayout::TopDown,
                            other => self.view_word(
                                file,
                                view,
                                "layout",
                                other,
                                word.range,
                                &["bands", "top-down"],
                            ),
                        },
                        ("title_en", ValueKind::String(text)) => {
                            resolved.title_en = Some(text.value.clone());
                        }
                        ("description", ValueKind::String(text)) => {
                            resolved.description = Some(text.value.clone());
                        }
                        ("description_en", ValueKind::String(text)) => {
                            resolved.description_en = Some(text.value.clone());
                        }
                        ("layout" | "title_en" | "description" | "description_en", _) => {
                            let expected = if name == "layout" {
                                "a word (bands, top-down)"
                            } else {
                                "a string"
                            };
                            self.error(
                                Diagnostic::new(
                                    Code::InvalidView,
                                    format!("in view `{}`: `{name}` takes {expected}", view.id.text),
                                )
                                .at(file, property.value.range, "wrong value"),
                            );
                        }
                        _ => {
                            let known = ["layout", "title_en", "description", "description_en"];
                            let mut diagnostic = Diagnostic::new(
                                Code::InvalidView,
                                format!("a view has no property `{name}`"),
                            )
                            .at(file, property.name.range, "unknown in a view");
                            if let Some(best) = suggest(name, known.iter().copied()) {
                                diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
                            }
                            self.error(diagnostic);
                        }
                    }
                }
            }
        }
        self.out.views.push(resolved);
    }

    fn view_twice(
        &mut self,
        file: FileId,
        view: &syntax::View,
        what: &str,
        first: TextRange,
        again: TextRange,
    ) {
        self.error(
            Diagnostic::new(
                Code::InvalidView,
                format!("view `{}` sets `{what}` twice", view.id.text),
            )
            .at(file, again, "set again here")
            .with_secondary(Span::new(file, first), "first set here"),
        );
    }

    fn view_word(
        &mut self,
        file: FileId,
        view: &syntax::View,
        what: &str,
        word: &str,
        range: TextRange,
        known: &[&str],
    ) {
        let mut diagnostic = Diagnostic::new(
            Code::InvalidView,
            format!(
                "in view `{}`: `{what} {word}` is not one of {}",
                view.id.text,
                known.join(", ")
            ),
        )
        .at(file, range, "unknown");
        if let Some(best) = suggest(word, known.iter().copied()) {
            diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
        }
        self.error(diagnostic);
    }

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
