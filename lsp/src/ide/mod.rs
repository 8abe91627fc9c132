//! Editor features as queries on one [`ProjectAnalysis`], free of protocol types: positions are
//! a file id and a byte offset, results are spans and plain values. Handlers convert to and
//! from the protocol. Nothing here analyses anything: the model's elements, `references`
//! (every use of an element id), the syntax trees, the metamodel and the rule pack come from
//! the shared analysis.

pub mod actions;
mod analysis;
pub mod completion;
pub mod highlighting;
pub mod hover;
pub mod navigation;
pub mod symbols;
pub mod views;

pub use analysis::{AnalysisSettings, ProjectAnalysis};
use kientruc_dsl::model::ElementId;
use kientruc_dsl::syntax::{Block, Declaration, Entry};
use kientruc_dsl::text::{FileId, Span, TextRange};

/// A cursor: a file of the project and a byte offset in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilePosition {
    pub file: FileId,
    pub offset: usize,
}

/// What owns a property: an element of a kind, the architecture header, or a relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyOwner {
    Element { kind: String },
    Header,
    Relation { relation_type: String },
}

/// The thing under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The id of an element's declaration.
    ElementDeclaration { element: ElementId, span: Span },
    /// A use of an element's id (relation end, `via`, reference property, waiver).
    ElementReference { element: ElementId, span: Span },
    /// The kind word of an element declaration, or a kind in a view's `kind(…)`.
    ElementKind { kind: String, range: TextRange },
    /// A property name.
    PropertyName {
        property: String,
        owner: PropertyOwner,
        range: TextRange,
    },
    /// The relation type word of a relation.
    RelationType {
        relation_type: String,
        range: TextRange,
    },
    /// The rule id of a `waive` line.
    WaiverRule { rule: String, range: TextRange },
    /// The path string of an `import`.
    ImportPath { written: String, range: TextRange },
    /// The id of a view's declaration.
    ViewName { id: String, range: TextRange },
    /// An id pattern inside `id(…)` in a view's selector (a word or a string's contents).
    SelectorIdPattern { pattern: String, range: TextRange },
}

/// The thing at `position`, if any. Uses of element ids come from the model's references;
/// keywords of the language (kinds, properties, relation types) from the syntax tree.
pub fn target_at(project: &ProjectAnalysis, position: FilePosition) -> Option<Target> {
    let model = &project.checked.analysis.model;
    let in_file = |span: Span| span.file == position.file && span.range.contains(position.offset);
    if let Some(reference) = model
        .references
        .iter()
        .find(|reference| in_file(reference.span))
    {
        return Some(Target::ElementReference {
            element: reference.target,
            span: reference.span,
        });
    }
    if let Some(element) = model
        .elements
        .iter()
        .find(|element| in_file(element.id_span))
    {
        return Some(Target::ElementDeclaration {
            element: element.id,
            span: element.id_span,
        });
    }
    let tree = project.tree(position.file);
    let declaration = tree
        .declarations
        .iter()
        .find(|declaration| declaration.range().contains(position.offset))?;
    if let Declaration::View(view) = declaration {
        if view.id.range.contains(position.offset) {
            return Some(Target::ViewName {
                id: view.id.text.to_string(),
                range: view.id.range,
            });
        }
        let word = views::selector_word_at(project, position)?;
        return match word.function {
            Some("id") => Some(Target::SelectorIdPattern {
                pattern: word.text,
                range: word.range,
            }),
            Some("kind") => Some(Target::ElementKind {
                kind: word.text,
                range: word.range,
            }),
            _ => None,
        };
    }
    syntax_target(declaration, position.offset)
}

fn syntax_target(declaration: &Declaration, offset: usize) -> Option<Target> {
    match declaration {
        Declaration::Architecture(header) => {
            block_target(header.body.as_ref()?, &PropertyOwner::Header, offset)
        }
        Declaration::Import(import) => {
            import
                .path
                .range
                .contains(offset)
                .then(|| Target::ImportPath {
                    written: import.path.value.clone(),
                    range: import.path.range,
                })
        }
        Declaration::Element(element) => element_target(element, offset),
        Declaration::Relation(relation) => relation_target(relation, offset),
        Declaration::Waiver(waiver) => {
            waiver
                .rule
                .range
                .contains(offset)
                .then(|| Target::WaiverRule {
                    rule: waiver.rule.text.to_string(),
                    range: waiver.rule.range,
                })
        }
        // Answered by `target_at`, which reads the view's selectors with the project.
        Declaration::View(_) => None,
    }
}

fn element_target(element: &kientruc_dsl::syntax::Element, offset: usize) -> Option<Target> {
    if element.kind.range.contains(offset) {
        return Some(Target::ElementKind {
            kind: element.kind.text.to_string(),
            range: element.kind.range,
        });
    }
    let owner = PropertyOwner::Element {
        kind: element.kind.text.to_string(),
    };
    block_target(element.body.as_ref()?, &owner, offset)
}

fn relation_target(relation: &kientruc_dsl::syntax::Relation, offset: usize) -> Option<Target> {
    if relation.relation_type.range.contains(offset) {
        return Some(Target::RelationType {
            relation_type: relation.relation_type.text.to_string(),
            range: relation.relation_type.range,
        });
    }
    let owner = PropertyOwner::Relation {
        relation_type: relation.relation_type.text.to_string(),
    };
    block_target(relation.body.as_ref()?, &owner, offset)
}

fn block_target(block: &Block, owner: &PropertyOwner, offset: usize) -> Option<Target> {
    let entry = block
        .entries
        .iter()
        .find(|entry| entry.range().contains(offset))?;
    match entry {
        Entry::Property(property) => {
            property
                .name
                .range
                .contains(offset)
                .then(|| Target::PropertyName {
                    property: property.name.text.to_string(),
                    owner: owner.clone(),
                    range: property.name.range,
                })
        }
        Entry::Relation(relation) => relation_target(relation, offset),
        Entry::Element(element) => element_target(element, offset),
    }
}

/// The element named at `position` (declared or used there) and the span of that name.
pub fn element_at(project: &ProjectAnalysis, position: FilePosition) -> Option<(ElementId, Span)> {
    match target_at(project, position)? {
        Target::ElementDeclaration { element, span }
        | Target::ElementReference { element, span } => Some((element, span)),
        _ => None,
    }
}

/// The syntax element declared with its id at `id_range` in `file`, searched through nesting.
pub fn syntax_element(
    project: &ProjectAnalysis,
    file: FileId,
    id_range: TextRange,
) -> Option<&kientruc_dsl::syntax::Element> {
    fn search_block(block: &Block, id_range: TextRange) -> Option<&kientruc_dsl::syntax::Element> {
        block.entries.iter().find_map(|entry| match entry {
            Entry::Element(element) => search_element(element, id_range),
            _ => None,
        })
    }
    fn search_element(
        element: &kientruc_dsl::syntax::Element,
        id_range: TextRange,
    ) -> Option<&kientruc_dsl::syntax::Element> {
        if element.id.range == id_range {
            return Some(element);
        }
        if !element.range.contains(id_range.start as usize) {
            return None;
        }
        search_block(element.body.as_ref()?, id_range)
    }
    project
        .tree(file)
        .declarations
        .iter()
        .find_map(|declaration| match declaration {
            Declaration::Element(element) => search_element(element, id_range),
            _ => None,
        })
}
