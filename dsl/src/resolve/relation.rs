//! Relations, nested in an element (its source) or at the top level: the relation type known to
//! the metamodel, source, target and intermediaries resolved, the kinds they join allowed, and the
//! relation's own properties checked.

use super::property::AllowedProperties;
use super::resolver::Resolver;
use crate::diagnostic::{Code, Diagnostic};
use crate::metamodel::with_article;
use crate::model::{ElementId, Properties, Relation};
use crate::sources::Origin;
use crate::suggest::suggest;
use crate::syntax::{self, Entry};
use crate::text::{FileId, Span};
use std::fmt::Write as _;

impl Resolver<'_, '_> {
    pub(super) fn relation(
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
                    let _ = write!(
                        help,
                        "; relations from {source_kind} to {target_kind}: {}",
                        alternatives.join(", ")
                    );
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
                .filter(|name| !properties.contains_key(name))
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
}
