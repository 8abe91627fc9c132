//! Links gathered for drawing: one bundle per pair of groups, counting the links of both
//! directions by what they are, and one red connection per pair of elements that open findings
//! point at. Every link is counted in exactly one bundle; a red connection is drawn on top of the
//! bundle that also counts it.

use super::Scene;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// The links between two groups (or within one).
pub struct Bundle {
    /// The two groups, `low <= high` (equal for the links within one group).
    pub low: usize,
    pub high: usize,
    /// Links from `low` to `high`, by what they are.
    pub forward: BTreeMap<Rc<str>, usize>,
    /// Links from `high` to `low`, by what they are.
    pub backward: BTreeMap<Rc<str>, usize>,
    /// Each link: from, to (nodes) and what it is, in link order (none in a summary).
    pub links: Vec<(usize, usize, Rc<str>)>,
}

impl Bundle {
    pub fn count(&self) -> usize {
        self.forward.values().sum::<usize>() + self.backward.values().sum::<usize>()
    }
}

/// The links from one element to another that open findings point at.
pub struct Violating {
    pub from: usize,
    pub to: usize,
    pub rules: BTreeSet<String>,
}

/// Bundles sorted by their groups, red connections by their elements.
pub fn gather(scene: &Scene) -> (Vec<Bundle>, Vec<Violating>) {
    let mut bundles: BTreeMap<(usize, usize), Bundle> = BTreeMap::new();
    let mut violating: BTreeMap<(usize, usize), BTreeSet<String>> = BTreeMap::new();
    for link in &scene.links {
        let (from, to) = (scene.nodes[link.from].group, scene.nodes[link.to].group);
        let (low, high) = (from.min(to), from.max(to));
        let bundle = bundles.entry((low, high)).or_insert_with(|| Bundle {
            low,
            high,
            forward: BTreeMap::new(),
            backward: BTreeMap::new(),
            links: Vec::new(),
        });
        // A summary's tooltips do not list the links one by one.
        if !scene.summarised {
            bundle.links.push((link.from, link.to, link.what.clone()));
        }
        let counts = if from == low {
            &mut bundle.forward
        } else {
            &mut bundle.backward
        };
        if let Some(count) = counts.get_mut(&*link.what) {
            *count += 1;
        } else {
            counts.insert(link.what.clone(), 1);
        }
        if !link.rules.is_empty() {
            violating
                .entry((link.from, link.to))
                .or_default()
                .extend(link.rules.iter().cloned());
        }
    }
    (
        bundles.into_values().collect(),
        violating
            .into_iter()
            .map(|((from, to), rules)| Violating { from, to, rules })
            .collect(),
    )
}
