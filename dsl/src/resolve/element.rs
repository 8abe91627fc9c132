//! Pass 2 for one element: its kind known to the metamodel and allowed where it is nested, its
//! properties and tags checked, its nested relations resolved, and its required properties
//! present.

use super::declare::PendingElement;
use super::property::AllowedProperties;
use super::resolver::Resolver;
use crate::diagnostic::{Code, Diagnostic};
use crate::metamodel::with_article;
use crate::model::Properties;
use crate::suggest::suggest;
use crate::syntax::{self, CompactString, Entry, ValueKind};
use crate::text::FileId;

impl<'a> Resolver<'a, '_> {
    pub(super) fn check_element(&mut self, item: &PendingElement<'a>) {
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
                        self.relation(item.module, item.file, relation, Some(item.id));
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
}
