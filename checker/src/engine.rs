//! What every check sees and gives: the [`Context`] (graph, model, precomputed [`Selections`],
//! framework, today) and the [`Hit`] (a violation before its message is rendered), with the
//! helpers the check types share (subjects, selections, value and path texts). The check types
//! themselves are in [`crate::checks`], one module each. Per-element rules check the
//! architecture's subjects only (its own elements and the imported ones it `owns`, not its
//! `context` nor the rest of imported models; see [`crate::boundary`]); selectors on the other end (targets, intermediaries) see every element. Graph rules walk routes (a relation
//! with its `via` intermediaries is one route; see [`crate::routes`]) with linear traversals.

use crate::graph::{Link, ModelGraph};
use crate::routes::Walk;
use crate::selector::{Evaluate as _, Rest, Selector};
use kientruc_dsl::Label;
use kientruc_dsl::model::{Element, ElementId, Model, PropertyValue};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::text::Span;
use kientruc_dsl::workspace::FrameworkInfo;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// What every rule sees.
pub struct Context<'a> {
    pub graph: &'a ModelGraph<'a>,
    /// The selections of the rules' selectors, computed together before the rules run.
    pub selections: &'a Selections,
    pub model: &'a Model,
    pub framework: Option<&'a FrameworkInfo>,
    /// Today, in the configured zone.
    pub today: Date,
    /// The date the model is judged on: `--as-of`, else its header's `as_of`, else today.
    pub as_of: Date,
}

/// One violation found by a rule, before messages are rendered and waivers applied.
#[derive(Debug, Clone)]
pub struct Hit {
    pub element: Option<ElementId>,
    pub span: Span,
    /// The rule's own key for this violation (with the rule id and element, the fingerprint).
    pub key: String,
    /// Values for the message placeholders (`{property}`, `{target}`, `{count}`, …).
    pub values: BTreeMap<&'static str, String>,
    pub related: Vec<Label>,
    /// For route rules: the elements the offending path or route passes, in order.
    pub path: Vec<ElementId>,
    /// For route rules: the routes (relations or reference properties) the path takes, in order.
    pub routes: Vec<RouteRef>,
}

/// One route of a finding's path: its relation type (or reference property) and its elements
/// (source, intermediaries, target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteRef {
    pub relation: String,
    pub elements: Vec<ElementId>,
    pub span: Span,
}

impl RouteRef {
    pub(crate) fn of(link: &Link<'_>) -> RouteRef {
        RouteRef {
            relation: link.link_type.to_owned(),
            elements: link.route().collect(),
            span: link.span,
        }
    }
}

/// The elements of a path as text: `a → lgsp → national.ndxp → national.db`.
pub(crate) fn path_text(model: &Model, path: &[ElementId]) -> String {
    path.iter()
        .map(|id| model.element(*id).qualified_id.as_str())
        .collect::<Vec<_>>()
        .join(" → ")
}

impl Hit {
    pub(crate) fn on(element: &Element) -> Hit {
        Hit {
            element: Some(element.id),
            span: element.id_span,
            key: String::new(),
            values: BTreeMap::new(),
            related: Vec::new(),
            path: Vec::new(),
            routes: Vec::new(),
        }
    }

    /// Points the hit at the first route of `walk` (where the offending path starts) and records
    /// its routes and elements; the later routes become related labels.
    pub(crate) fn along(mut self, graph: &ModelGraph<'_>, walk: &Walk) -> Hit {
        let model = graph.model;
        for (index, link) in walk.links().iter().enumerate() {
            let link = &graph.links[*link];
            if index == 0 {
                self.span = link.span;
            } else {
                self.related.push(Label {
                    span: link.span,
                    message: format!(
                        "then {}",
                        path_text(model, &link.route().collect::<Vec<_>>())
                    ),
                });
            }
            self.routes.push(RouteRef::of(link));
        }
        self.path = walk.elements(graph);
        self.values.insert("path", path_text(model, &self.path));
        self
    }

    pub(crate) fn with(mut self, name: &'static str, value: impl Into<String>) -> Hit {
        self.values.insert(name, value.into());
        self
    }
}

/// The elements a selector picks, in element order: computed in advance (see [`Selections`]) or
/// now.
pub(crate) fn selection<'a>(context: &'a Context<'_>, selector: &Selector) -> Cow<'a, [ElementId]> {
    match context.selections.get(selector) {
        Some(ids) => Cow::Borrowed(ids),
        None => Cow::Owned(selector.select(context.graph)),
    }
}

/// The subjects a selector picks (see [`crate::boundary`]): the elements per-element rules
/// report on.
pub(crate) fn subjects<'a>(
    context: &'a Context<'_>,
    selector: &Selector,
) -> impl Iterator<Item = &'a Element> + 'a {
    let ids = selection(context, selector);
    (0..ids.len())
        .map(move |index| ids[index])
        .filter(move |id| context.graph.is_subject(*id))
        .map(move |id| context.model.element(id))
}

/// Sorts `ids[from..]` and removes its repeats (the ids before `from` are all smaller).
fn sort_and_dedup_from(ids: &mut Vec<ElementId>, from: usize) {
    ids[from..].sort_unstable();
    let mut kept = from;
    for index in from..ids.len() {
        if kept == from || ids[kept - 1] != ids[index] {
            ids[kept] = ids[index];
            kept += 1;
        }
    }
    ids.truncate(kept);
}

/// The selections of many selectors, computed together block by block of elements: a block's
/// elements (and their properties) are read from memory once for every selector instead of
/// once per rule. At a million elements, fetching each element's properties again for each rule
/// was most of the time rules took. Each selection equals [`Selector::select`]'s.
#[derive(Debug, Default)]
pub struct Selections {
    /// The index in `selections` of each selector, by its address (the selectors live in the
    /// rule pack while the rules run).
    by_selector: HashMap<usize, usize>,
    /// One selection per distinct selector: rules often share one (`kind(database) and status
    /// != retiring`), and it is computed once.
    selections: Vec<Vec<ElementId>>,
}

/// Elements per block: about a megabyte of elements and properties, which stays in cache while
/// every selector tests the block.
const SELECTION_BLOCK: usize = 1024;
/// Elements per parallel task (a run of blocks).
const SELECTION_TASK: usize = 32 * SELECTION_BLOCK;

impl Selections {
    pub fn compute(graph: &ModelGraph<'_>, selectors: &[&Selector]) -> Selections {
        // Enough tasks to keep every core busy on a small model too (eight per thread, so that
        // the threads finish together).
        let per_task = graph
            .model
            .elements
            .len()
            .div_ceil(rayon::current_num_threads() * 8)
            .next_multiple_of(SELECTION_BLOCK);
        Self::compute_in_blocks(
            graph,
            selectors,
            SELECTION_BLOCK,
            per_task.clamp(SELECTION_BLOCK, SELECTION_TASK),
        )
    }

    /// [`Selections::compute`] with other block and task sizes (in elements), so that tests
    /// cross block and task boundaries on small models.
    #[doc(hidden)]
    pub fn compute_in_blocks(
        graph: &ModelGraph<'_>,
        selectors: &[&Selector],
        block_size: usize,
        task_size: usize,
    ) -> Selections {
        let (block_size, task_size) = (block_size.max(1), task_size.max(1));
        let (unique, by_selector) = distinct(selectors);
        // Each selector's candidate lists (each in element order) and what is left to test of a
        // candidate, or `None`: every element, tested whole.
        let plans: Vec<Plan<'_, '_>> = unique
            .iter()
            .map(|selector| (*selector, selector.candidates_and_rest(graph)))
            .collect();
        let count = graph.model.elements.len();
        let tasks: Vec<Vec<Vec<ElementId>>> = (0..count.div_ceil(task_size))
            .into_par_iter()
            .map(|task| {
                let range = task * task_size..((task + 1) * task_size).min(count);
                select_task(graph, &plans, range, block_size)
            })
            .collect();
        let selections = (0..unique.len())
            .map(|index| {
                let total = tasks.iter().map(|found| found[index].len()).sum();
                let mut ids = Vec::with_capacity(total);
                for found in &tasks {
                    ids.extend_from_slice(&found[index]);
                }
                ids
            })
            .collect();
        Selections {
            by_selector,
            selections,
        }
    }

    /// The selection of `selector`, if it was computed.
    pub fn get(&self, selector: &Selector) -> Option<&[ElementId]> {
        self.by_selector
            .get(&(std::ptr::from_ref(selector) as usize))
            .map(|index| self.selections[*index].as_slice())
    }
}

/// A selector and how it is computed: its candidate lists and the rest to test, or `None`
/// (every element, tested whole).
type Plan<'s, 'g> = (&'s Selector, Option<(Vec<&'g [ElementId]>, Rest)>);

/// The distinct selectors, and for each selector given (by address), the index of its equal
/// among them.
fn distinct<'s>(selectors: &[&'s Selector]) -> (Vec<&'s Selector>, HashMap<usize, usize>) {
    let mut unique: Vec<&Selector> = Vec::new();
    let mut by_selector = HashMap::with_capacity(selectors.len());
    for selector in selectors {
        let index = unique
            .iter()
            .position(|seen| *seen == *selector)
            .unwrap_or_else(|| {
                unique.push(selector);
                unique.len() - 1
            });
        by_selector.insert(std::ptr::from_ref(*selector) as usize, index);
    }
    (unique, by_selector)
}

/// The selections of one task (a range of elements), block by block: each block's elements
/// are tested by every selector before the next block is read.
fn select_task(
    graph: &ModelGraph<'_>,
    plans: &[Plan<'_, '_>],
    range: std::ops::Range<usize>,
    block_size: usize,
) -> Vec<Vec<ElementId>> {
    let mut found: Vec<Vec<ElementId>> = vec![Vec::new(); plans.len()];
    // A cursor into each candidate list of each selector.
    let mut cursors: Vec<Vec<usize>> = plans
        .iter()
        .map(|(_, plan)| {
            plan.as_ref().map_or_else(Vec::new, |(lists, _)| {
                lists
                    .iter()
                    .map(|ids| ids.partition_point(|id| id.index() < range.start))
                    .collect()
            })
        })
        .collect();
    for block_start in range.clone().step_by(block_size) {
        let block = block_start..(block_start + block_size).min(range.end);
        for (index, (selector, plan)) in plans.iter().enumerate() {
            let out = &mut found[index];
            let Some((lists, rest)) = plan else {
                out.extend(
                    graph.model.elements[block.clone()]
                        .iter()
                        .filter(|element| selector.matches(graph, element))
                        .map(|element| element.id),
                );
                continue;
            };
            let first = out.len();
            for (ids, cursor) in lists.iter().zip(&mut cursors[index]) {
                while let Some(id) = ids.get(*cursor).filter(|id| id.index() < block.end) {
                    if selector.candidate_matches(*rest, graph, graph.model.element(*id)) {
                        out.push(*id);
                    }
                    *cursor += 1;
                }
            }
            if lists.len() > 1 {
                // Several lists (kinds, tags, parts of an `or`) interleave and may repeat an
                // element: this block's share is put in order.
                sort_and_dedup_from(out, first);
            }
        }
    }
    found
}

pub(crate) fn value_text(model: &Model, value: &PropertyValue) -> String {
    match value {
        PropertyValue::String(text) => text.clone(),
        PropertyValue::Enum(text) => text.to_string(),
        PropertyValue::Integer(number) => number.to_string(),
        PropertyValue::Boolean(flag) => flag.to_string(),
        PropertyValue::Date(date) => date.to_string(),
        PropertyValue::Reference(id) => model.element(*id).qualified_id.to_string(),
        PropertyValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| value_text(model, item))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
