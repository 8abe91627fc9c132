//! How a selector picks elements of the graph. The selector language itself, [`Selector`], is
//! parsed and validated in `kientruc_dsl::selector`: one grammar and one parser for the rule
//! packs and for the model's views. The graph's indexes (kinds, layers, tags, imported elements)
//! give the candidates; the rest is tested on each.

use crate::graph::ModelIndex;
use kientruc_dsl::model::{Element, ElementId, PropertyValue};
pub use kientruc_dsl::selector::{Literal, Operator, Selector, SelectorError, glob};

/// Evaluation of a [`Selector`] against a [`ModelIndex`] (a [`ModelGraph`](crate::graph::ModelGraph) derefs to its index).
pub trait Evaluate {
    /// Whether `element` matches.
    fn matches(&self, graph: &ModelIndex<'_>, element: &Element) -> bool;
    /// The ids of the elements the selector picks, in element order. Selectors on kinds,
    /// layers, tags or imported elements test only what the graph's indexes offer.
    fn select(&self, graph: &ModelIndex<'_>) -> Vec<ElementId>;
    /// The candidates of [`Evaluate::candidates`] and what is left to test of each.
    fn candidates_and_rest<'g>(
        &self,
        graph: &'g ModelIndex<'_>,
    ) -> Option<(Vec<&'g [ElementId]>, Rest)>;
    /// Whether `element`, a candidate from [`Evaluate::candidates_and_rest`], matches.
    fn candidate_matches(&self, rest: Rest, graph: &ModelIndex<'_>, element: &Element) -> bool;
    /// The elements an index of the graph offers as candidates (a superset of the matches), or
    /// `None` when only a scan of every element will do.
    fn candidates<'g>(&self, graph: &'g ModelIndex<'_>) -> Option<Vec<&'g [ElementId]>>;
    /// A kind, layer, tag or imported selector: its index holds exactly its elements.
    fn is_exact(&self) -> bool;
}

impl Evaluate for Selector {
    /// The candidates of [`Selector::candidates`] and what is left to test of each: `Exact`
    /// when every candidate matches (a kind, layer, tag or imported selector: its indexes hold
    /// exactly its elements), `AllBut(index)` when only the other parts of an `and` need testing
    /// (its smallest indexed part is exact), `Whole` otherwise.
    fn candidates_and_rest<'g>(
        &self,
        graph: &'g ModelIndex<'_>,
    ) -> Option<(Vec<&'g [ElementId]>, Rest)> {
        match self {
            Selector::Kind(_) | Selector::Layer(_) | Selector::Tag(_) | Selector::Imported => {
                Some((self.candidates(graph)?, Rest::Exact))
            }
            Selector::And(parts) => parts
                .iter()
                .enumerate()
                .filter_map(|(index, part)| {
                    part.candidates(graph).map(|lists| {
                        let rest = if part.is_exact() {
                            Rest::AllBut(index)
                        } else {
                            Rest::Whole
                        };
                        (lists, rest)
                    })
                })
                .min_by_key(|(lists, _)| lists.iter().map(|list| list.len()).sum::<usize>()),
            _ => Some((self.candidates(graph)?, Rest::Whole)),
        }
    }

    fn is_exact(&self) -> bool {
        matches!(
            self,
            Selector::Kind(_) | Selector::Layer(_) | Selector::Tag(_) | Selector::Imported
        )
    }

    /// Whether `element`, a candidate from [`Evaluate::candidates_and_rest`], matches.
    fn candidate_matches(&self, rest: Rest, graph: &ModelIndex<'_>, element: &Element) -> bool {
        match (rest, self) {
            (Rest::Exact, _) => true,
            (Rest::AllBut(skipped), Selector::And(parts)) => parts
                .iter()
                .enumerate()
                .all(|(index, part)| index == skipped || part.matches(graph, element)),
            _ => self.matches(graph, element),
        }
    }

    /// The elements an index of the graph offers as candidates (a superset of the matches,
    /// unsorted, maybe with repeats), or `None` when only a scan of every element will do.
    /// `and` takes its smallest indexed part; `or` needs every part indexed.
    fn candidates<'g>(&self, graph: &'g ModelIndex<'_>) -> Option<Vec<&'g [ElementId]>> {
        match self {
            Selector::Kind(kinds) => Some(
                kinds
                    .iter()
                    .map(|kind| graph.elements_of_kind(kind))
                    .collect(),
            ),
            Selector::Layer(layers) => Some(
                layers
                    .iter()
                    .map(|layer| graph.elements_in_layer(layer))
                    .collect(),
            ),
            Selector::Tag(tags) => {
                Some(tags.iter().map(|tag| graph.elements_tagged(tag)).collect())
            }
            Selector::Imported => Some(vec![graph.imported_elements()]),
            Selector::And(_) => self.candidates_and_rest(graph).map(|(lists, _)| lists),
            Selector::Or(parts) => {
                let mut all = Vec::new();
                for part in parts {
                    all.extend(part.candidates(graph)?);
                }
                Some(all)
            }
            _ => None,
        }
    }

    fn matches(&self, graph: &ModelIndex<'_>, element: &Element) -> bool {
        match self {
            Selector::All => true,
            Selector::Workspace => graph.is_subject(element.id),
            Selector::Imported => !graph.is_subject(element.id),
            Selector::Kind(kinds) => kinds.iter().any(|kind| *kind == element.kind),
            Selector::Layer(layers) => element
                .layer
                .as_ref()
                .is_some_and(|layer| layers.iter().any(|wanted| *wanted == layer.as_str())),
            Selector::Tag(tags) => tags.iter().any(|tag| {
                element
                    .tags
                    .binary_search_by(|probe| probe.as_str().cmp(tag))
                    .is_ok()
            }),
            Selector::Id(patterns) => patterns.iter().any(|pattern| {
                glob(pattern, &element.qualified_id) || glob(pattern, &element.local_id)
            }),
            Selector::Has(properties) => properties
                .iter()
                .all(|property| element.has_property(property)),
            Selector::Compare {
                property,
                operator,
                value,
            } => match element.property(property) {
                None => *operator == Operator::NotEqual,
                Some(actual) => compare(graph, actual, *operator, value),
            },
            Selector::In { property, values } => element.property(property).is_some_and(|actual| {
                values
                    .iter()
                    .any(|value| compare(graph, actual, Operator::Equal, value))
            }),
            Selector::Parent(inner) => element
                .parent
                .is_some_and(|parent| inner.matches(graph, graph.model.element(parent))),
            Selector::Child(inner) => element
                .children
                .iter()
                .any(|child| inner.matches(graph, graph.model.element(*child))),
            Selector::Ancestor(inner) => {
                let mut current = element.parent;
                while let Some(ancestor) = current {
                    let ancestor = graph.model.element(ancestor);
                    if inner.matches(graph, ancestor) {
                        return true;
                    }
                    current = ancestor.parent;
                }
                false
            }
            Selector::Not(inner) => !inner.matches(graph, element),
            Selector::And(parts) => parts.iter().all(|part| part.matches(graph, element)),
            Selector::Or(parts) => parts.iter().any(|part| part.matches(graph, element)),
        }
    }

    /// The ids of the elements the selector picks, in element order. Selectors on kinds,
    /// layers, tags or imported elements test only what the graph's indexes offer.
    fn select(&self, graph: &ModelIndex<'_>) -> Vec<ElementId> {
        match self.candidates(graph) {
            Some(lists) => {
                let mut ids: Vec<ElementId> = lists
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|id| self.matches(graph, graph.model.element(*id)))
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            }
            None => graph
                .model
                .elements
                .iter()
                .filter(|element| self.matches(graph, element))
                .map(|element| element.id)
                .collect(),
        }
    }
}

fn compare(
    graph: &ModelIndex<'_>,
    actual: &PropertyValue,
    operator: Operator,
    expected: &Literal,
) -> bool {
    use std::cmp::Ordering;
    // The common case, `status != retiring`: equality of words needs no ordering.
    if let (
        PropertyValue::String(_) | PropertyValue::Enum(_),
        Literal::String(right) | Literal::Word(right),
        Operator::Equal | Operator::NotEqual,
    ) = (actual, expected, operator)
    {
        return (actual.as_str() == Some(right.as_str())) == (operator == Operator::Equal);
    }
    let ordering: Option<Ordering> = match (actual, expected) {
        (PropertyValue::Integer(left), Literal::Integer(right)) => Some(left.cmp(right)),
        (PropertyValue::Date(left), Literal::Date(right)) => Some(left.cmp(right)),
        (
            PropertyValue::String(_) | PropertyValue::Enum(_),
            Literal::String(right) | Literal::Word(right),
        ) => actual.as_str().map(|left| left.cmp(right.as_str())),
        (PropertyValue::Boolean(left), Literal::Word(right)) => {
            Some(if *left { "true" } else { "false" }.cmp(right.as_str()))
        }
        (PropertyValue::Reference(id), Literal::Word(right) | Literal::String(right)) => {
            let target = graph.model.element(*id);
            Some(
                if target.qualified_id == *right || target.local_id == *right {
                    Ordering::Equal
                } else {
                    Ordering::Less
                },
            )
        }
        (PropertyValue::List(items), _) => {
            // A list "equals" a value when it contains it.
            let contains = items
                .iter()
                .any(|item| compare(graph, item, Operator::Equal, expected));
            return match operator {
                Operator::Equal => contains,
                Operator::NotEqual => !contains,
                _ => false,
            };
        }
        _ => None,
    };
    let Some(ordering) = ordering else {
        return operator == Operator::NotEqual;
    };
    match operator {
        Operator::Equal => ordering == Ordering::Equal,
        Operator::NotEqual => ordering != Ordering::Equal,
        Operator::Less => ordering == Ordering::Less,
        Operator::LessOrEqual => ordering != Ordering::Greater,
        Operator::Greater => ordering == Ordering::Greater,
        Operator::GreaterOrEqual => ordering != Ordering::Less,
    }
}

/// Adds to `names` every property `selector` tests, on the element or (`parent`, `child`,
/// `ancestor`) on its relatives. Kinds, layers, tags, ids and the workspace are not properties
/// (see [`crate::checks::PropertyReads`]).
pub(crate) fn properties_read(selector: &Selector, names: &mut Vec<String>) {
    match selector {
        Selector::All
        | Selector::Workspace
        | Selector::Imported
        | Selector::Kind(_)
        | Selector::Layer(_)
        | Selector::Tag(_)
        | Selector::Id(_) => {}
        Selector::Has(properties) => names.extend(properties.iter().cloned()),
        Selector::Compare { property, .. } | Selector::In { property, .. } => {
            names.push(property.clone());
        }
        Selector::Parent(inner)
        | Selector::Child(inner)
        | Selector::Ancestor(inner)
        | Selector::Not(inner) => properties_read(inner, names),
        Selector::And(parts) | Selector::Or(parts) => {
            for part in parts {
                properties_read(part, names);
            }
        }
    }
}

/// What remains to test of a candidate (see [`Evaluate::candidates_and_rest`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rest {
    Exact,
    AllBut(usize),
    Whole,
}
