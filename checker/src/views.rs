//! What a declared view shows: its statements evaluated against the graph with the same selector
//! evaluation the rules use ([`crate::selector::Evaluate`]), so a selector picks the same
//! elements in a rule and in a view.
//!
//! The statements apply in order, each on the result of the ones before it:
//! - `include S` adds the elements `S` selects;
//! - `include S -> T` adds the relations whose source `S` selects and whose target `T` selects,
//!   and both ends of each;
//! - `exclude S` removes the elements `S` selects, and the relations that touch them;
//! - `exclude S -> T` removes the relations from `S` to `T` (their ends stay).
//!
//! Which relations are drawn: when the view has an `include … -> …` statement, exactly the
//! relations such statements selected (and no later statement removed); otherwise every relation
//! whose two ends are shown. The first form answers "the data exchanges of the health sector"
//! without the other relations between the same systems; the second is Structurizr's and
//! `LikeC4`'s habit for a plain list of elements.

use crate::graph::ModelIndex;
use crate::selector::{Evaluate as _, Selector};
use kientruc_dsl::model::{ElementId, View};
use std::collections::BTreeSet;

/// The elements and relations a view shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Sorted, unique.
    pub elements: Vec<ElementId>,
    /// Indexes in `Model::relations`, sorted, unique; `None` when every relation between two
    /// shown elements is drawn (the view has no `include … -> …` statement).
    pub relations: Option<Vec<usize>>,
    /// Relations an `exclude … -> …` statement removed (sorted): never drawn.
    pub hidden: Vec<usize>,
}

impl Selection {
    /// Whether the relation at `index` is drawn (given that both its ends are shown).
    pub fn shows_relation(&self, index: usize) -> bool {
        self.hidden.binary_search(&index).is_err()
            && self
                .relations
                .as_ref()
                .is_none_or(|relations| relations.binary_search(&index).is_ok())
    }
}

/// Evaluates `view`'s statements against `graph`: the model's index is enough
/// ([`ModelIndex::build`]), or a whole [`ModelGraph`](crate::graph::ModelGraph), which derefs to it.
pub fn select(graph: &ModelIndex<'_>, view: &View) -> Selection {
    let model = graph.model;
    let picked = |selector: &Selector| -> BTreeSet<ElementId> {
        selector.select(graph).into_iter().collect()
    };
    let mut elements: BTreeSet<ElementId> = BTreeSet::new();
    let mut relations: BTreeSet<usize> = BTreeSet::new();
    let mut hidden: BTreeSet<usize> = BTreeSet::new();
    let mut explicit = false;
    for statement in &view.statements {
        let sources = picked(&statement.selector);
        match (&statement.target, statement.include) {
            (None, true) => elements.extend(sources),
            (None, false) => {
                elements.retain(|element| !sources.contains(element));
                relations.retain(|index| {
                    let relation = &model.relations[*index];
                    !sources.contains(&relation.source) && !sources.contains(&relation.target)
                });
            }
            (Some(target), include) => {
                let targets = picked(target);
                explicit |= include;
                for (index, relation) in model.relations.iter().enumerate() {
                    if sources.contains(&relation.source) && targets.contains(&relation.target) {
                        if include {
                            relations.insert(index);
                            hidden.remove(&index);
                            elements.insert(relation.source);
                            elements.insert(relation.target);
                        } else {
                            relations.remove(&index);
                            hidden.insert(index);
                        }
                    }
                }
            }
        }
    }
    Selection {
        elements: elements.into_iter().collect(),
        relations: explicit.then(|| relations.into_iter().collect()),
        hidden: hidden.into_iter().collect(),
    }
}
