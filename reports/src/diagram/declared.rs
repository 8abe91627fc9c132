//! The views a workspace declares (`view id "Title" { include … }`), as scenes for the same layout
//! engine as the built-in ones. What a view shows is the checker's business
//! ([`kientruc_checker::views::select`]: the rules' selector evaluation); here it is placed:
//!
//! - `layout bands` (the default): one band per layer, in the metamodel's order, then one for the
//!   elements of no layer; bands without elements are left out.
//! - `layout top-down`: one band per step along the shown relations: an element that no shown
//!   relation reaches stands in the first band, the others one band below the furthest element
//!   that relates to them (a cycle is cut where the walk first meets it).
//! - `group by kind` (the default), `layer`, `owner`: the frames inside a band.
//!
//! A relation is a link when both its ends are shown and the view draws it; its intermediaries
//! (`via`) that are shown split it into steps. References between shown elements (`hosted_in`,
//! `owner`) are links too, unless the view names its relations with `include … -> …`.

use super::{GroupKey, KindNames, Link, RelationNames, Scene, View, Violations, place_keyed};
use crate::i18n::Texts;
use crate::views::ViewEntry;
use kientruc_checker::Checked;
use kientruc_checker::graph::ModelIndex;
use kientruc_checker::views::{Selection, select};
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::model::{self, Element, ElementId, PropertyValue, ViewGrouping, ViewLayout};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The declared views' entries, in declaration order (a later declaration of the same id is a
/// resolution error, so ids are unique).
pub fn entries(checked: &Checked, texts: &Texts) -> Vec<ViewEntry> {
    let english = texts.language() == Language::En;
    checked
        .analysis
        .model
        .views
        .iter()
        .map(|view| entry(view, english))
        .collect()
}

pub fn entry(view: &model::View, english: bool) -> ViewEntry {
    ViewEntry {
        id: view.id.to_string(),
        title: view.title_in(english).to_owned(),
        description: view.description_in(english).map(str::to_owned),
        builtin: false,
    }
}

/// The model's index, which the views' selectors are evaluated on: built once for all the views
/// a caller draws. Not the whole graph: a selector reads kinds, layers, tags and the boundary,
/// never the links, and the index alone costs a fraction of the graph on a large model.
pub(super) fn graph(checked: &Checked) -> ModelIndex<'_> {
    ModelIndex::build(&checked.analysis.model, checked.boundary.clone())
}

/// The scene of `view`, its selectors evaluated on `graph` ([`graph`]).
pub(super) fn scene(
    checked: &Checked,
    texts: &Texts,
    violations: &Violations,
    graph: &ModelIndex<'_>,
    view: &model::View,
    max_boxes: usize,
) -> Scene {
    let language = texts.language();
    let model = &checked.analysis.model;
    let selection = select(graph, view);
    let shown: BTreeSet<ElementId> = selection.elements.iter().copied().collect();
    let steps = steps(checked, &selection, &shown, view);
    let (bands, band_of) = match view.layout {
        ViewLayout::Bands => layer_bands(checked, texts, &shown),
        ViewLayout::TopDown => rank_bands(texts, &shown, &steps),
    };
    let members: Vec<(usize, &Element)> = shown
        .iter()
        .map(|id| (band_of[id], model.element(*id)))
        .collect();
    let owner_texts = texts.get("group_no_owner").to_owned();
    let mut kind_names = KindNames::default();
    let (groups, nodes, index) = place_keyed(
        checked,
        texts,
        violations,
        members,
        max_boxes,
        |_, element| {
            group_key(
                checked,
                language,
                view.group_by,
                element,
                &owner_texts,
                &mut kind_names,
            )
        },
    );
    let mut relation_names = RelationNames::new(checked, texts);
    let links = steps
        .into_iter()
        .filter_map(|step| {
            let (&from, &to) = (index.get(step.from)?, index.get(step.to)?);
            let ((what, type_id), rules) = match &step.what {
                Ok(position) => (
                    relation_names.get(&model.relations[*position].relation_type),
                    violations.rules(Some(*position), step.from, step.to),
                ),
                Err(name) => (
                    relation_names.reference(name),
                    violations.rules(None, step.from, step.to),
                ),
            };
            Some(Link {
                from,
                to,
                what,
                type_id,
                relation: step.what.as_ref().ok().copied(),
                rules,
            })
        })
        .collect();
    Scene {
        view: View::Declared,
        prefix: format!("view-{}", view.id),
        key: view.id.to_string(),
        ids: String::new(),
        index_ids: String::new(),
        title: view.title_in(language == Language::En).to_owned(),
        bands,
        groups,
        nodes,
        links,
        summarised: false,
    }
}

/// One drawn step between two shown elements: a relation (its index) or a reference (the
/// property's name).
struct Step {
    from: ElementId,
    to: ElementId,
    what: Result<usize, String>,
}

fn steps(
    checked: &Checked,
    selection: &Selection,
    shown: &BTreeSet<ElementId>,
    view: &model::View,
) -> Vec<Step> {
    let model = &checked.analysis.model;
    let mut steps = Vec::new();
    for (position, relation) in model.relations.iter().enumerate() {
        if !selection.shows_relation(position)
            || !shown.contains(&relation.source)
            || !shown.contains(&relation.target)
        {
            continue;
        }
        // The route through its shown intermediaries.
        let chain: Vec<ElementId> = std::iter::once(relation.source)
            .chain(
                relation
                    .via
                    .iter()
                    .copied()
                    .filter(|hop| shown.contains(hop)),
            )
            .chain(std::iter::once(relation.target))
            .collect();
        for pair in chain.windows(2) {
            if pair[0] != pair[1] {
                steps.push(Step {
                    from: pair[0],
                    to: pair[1],
                    what: Ok(position),
                });
            }
        }
    }
    let names_relations = view
        .statements
        .iter()
        .any(|statement| statement.include && statement.target.is_some());
    if !names_relations {
        for id in shown {
            let element = model.element(*id);
            for (name, entry) in element.properties.iter() {
                if let PropertyValue::Reference(target) = entry.value
                    && target != *id
                    && shown.contains(&target)
                {
                    steps.push(Step {
                        from: *id,
                        to: target,
                        what: Err(name.to_string()),
                    });
                }
            }
        }
    }
    steps
}

/// One band per layer holding a shown element (the metamodel's order), then the elements of no
/// layer.
fn layer_bands(
    checked: &Checked,
    texts: &Texts,
    shown: &BTreeSet<ElementId>,
) -> (Vec<String>, HashMap<ElementId, usize>) {
    let model = &checked.analysis.model;
    let layers: Vec<(String, String)> = checked
        .metamodel()
        .map(|metamodel| {
            metamodel
                .layers
                .iter()
                .map(|layer| {
                    (
                        layer.id.clone(),
                        layer.name.get(texts.language()).to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let position = |element: &Element| -> usize {
        element
            .layer
            .as_deref()
            .and_then(|layer| layers.iter().position(|(id, _)| id == layer))
            .unwrap_or(layers.len())
    };
    let used: BTreeSet<usize> = shown
        .iter()
        .map(|id| position(model.element(*id)))
        .collect();
    let bands: Vec<String> = used
        .iter()
        .map(|place| {
            layers.get(*place).map_or_else(
                || texts.get("band_no_layer").to_owned(),
                |(_, name)| name.clone(),
            )
        })
        .collect();
    let band_of = shown
        .iter()
        .map(|id| {
            let place = position(model.element(*id));
            (
                *id,
                used.iter().position(|used| *used == place).unwrap_or(0),
            )
        })
        .collect();
    (bands, band_of)
}

/// Bands by step along the drawn links: the longest walk from an element no link reaches, each
/// element entered once (a link back to an element already on the walk is not followed).
fn rank_bands(
    texts: &Texts,
    shown: &BTreeSet<ElementId>,
    steps: &[Step],
) -> (Vec<String>, HashMap<ElementId, usize>) {
    let mut next: BTreeMap<ElementId, BTreeSet<ElementId>> = BTreeMap::new();
    let mut reached: BTreeSet<ElementId> = BTreeSet::new();
    for step in steps {
        if step.from != step.to {
            next.entry(step.from).or_default().insert(step.to);
            reached.insert(step.to);
        }
    }
    // The edges of a depth-first walk from the roots (then from what is left, in id order) that
    // do not close a cycle: what remains is acyclic.
    let mut acyclic: BTreeMap<ElementId, Vec<ElementId>> = BTreeMap::new();
    let mut state: HashMap<ElementId, u8> = HashMap::new(); // 1 on the walk, 2 done
    let roots: Vec<ElementId> = shown
        .iter()
        .copied()
        .filter(|id| !reached.contains(id))
        .chain(shown.iter().copied())
        .collect();
    for root in roots {
        if state.contains_key(&root) {
            continue;
        }
        let mut stack: Vec<(ElementId, Vec<ElementId>)> = vec![(
            root,
            next.get(&root)
                .map(|set| set.iter().rev().copied().collect())
                .unwrap_or_default(),
        )];
        state.insert(root, 1);
        while let Some((node, pending)) = stack.last_mut() {
            let node = *node;
            let Some(target) = pending.pop() else {
                state.insert(node, 2);
                stack.pop();
                continue;
            };
            match state.get(&target) {
                // On the walk: following it would close a cycle.
                Some(1) => {}
                Some(_) => acyclic.entry(node).or_default().push(target),
                None => {
                    acyclic.entry(node).or_default().push(target);
                    state.insert(target, 1);
                    let targets = next
                        .get(&target)
                        .map(|set| set.iter().rev().copied().collect())
                        .unwrap_or_default();
                    stack.push((target, targets));
                }
            }
        }
    }
    // Longest path from the roots, in a topological order (Kahn's, smallest id first).
    let mut incoming: HashMap<ElementId, usize> = shown.iter().map(|id| (*id, 0)).collect();
    for targets in acyclic.values() {
        for target in targets {
            *incoming.entry(*target).or_default() += 1;
        }
    }
    let mut ready: BTreeSet<ElementId> = incoming
        .iter()
        .filter(|(_, count)| **count == 0)
        .map(|(id, _)| *id)
        .collect();
    let mut rank: HashMap<ElementId, usize> = HashMap::new();
    while let Some(id) = ready.pop_first() {
        let own = *rank.entry(id).or_insert(0);
        for target in acyclic.get(&id).into_iter().flatten() {
            let entry = rank.entry(*target).or_insert(0);
            *entry = (*entry).max(own + 1);
            let count = incoming.get_mut(target).expect("every target is shown");
            *count -= 1;
            if *count == 0 {
                ready.insert(*target);
            }
        }
    }
    let deepest = rank.values().copied().max().unwrap_or(0);
    let bands = (0..=deepest)
        .map(|step| {
            texts
                .get("band_step")
                .replace("{step}", &(step + 1).to_string())
        })
        .collect();
    (bands, rank)
}

/// The frame an element joins in its band.
fn group_key<'e>(
    checked: &Checked,
    language: Language,
    grouping: ViewGrouping,
    element: &'e Element,
    no_owner: &str,
    kind_names: &mut KindNames<'e>,
) -> GroupKey<'e> {
    match grouping {
        ViewGrouping::Kind => {
            super::Grouping::ByKind(&[]).key(checked, language, element, kind_names)
        }
        ViewGrouping::Layer => {
            let metamodel = checked.metamodel();
            let layer = element.layer.as_deref().unwrap_or("");
            let rank = metamodel
                .and_then(|metamodel| metamodel.layers.iter().position(|known| known.id == layer))
                .unwrap_or(usize::MAX);
            let label = metamodel
                .and_then(|metamodel| metamodel.layer(layer))
                .map_or_else(
                    || layer.to_owned(),
                    |definition| definition.name.get(language).to_owned(),
                );
            GroupKey {
                rank,
                key: Cow::Borrowed(layer),
                label: Some(label.into()),
            }
        }
        ViewGrouping::Owner => {
            let owner = match element.property("owner") {
                Some(PropertyValue::Reference(owner)) => {
                    let owner = checked.analysis.model.element(*owner);
                    Some((owner.qualified_id.to_string(), owner.name.clone()))
                }
                Some(PropertyValue::String(name)) => Some((name.clone(), name.clone())),
                _ => None,
            };
            match owner {
                Some((key, name)) => GroupKey {
                    rank: 0,
                    key: Cow::Owned(key),
                    label: Some(name.into()),
                },
                None => GroupKey {
                    rank: 1,
                    key: Cow::Borrowed(""),
                    label: Some(no_owner.into()),
                },
            }
        }
    }
}
