//! The summary of a view too large to print: one box per group (a kind's frame becomes one box
//! counting its elements and those with open findings), the connections bundled per pair of
//! groups as before, and the connections that open findings point at still drawn in red, now
//! between the groups' boxes. The report draws a view this way when it selects more than
//! [`MAX_BOXES`] elements; `kientruc export --view` and `kientruc serve` show every element.

use super::{Group, Link, Node, Scene, Side};
use crate::i18n::Texts;
use std::collections::BTreeMap;

/// The most boxes a report's diagram draws one by one: 200 boxes are about 4,500 pixels tall,
/// four or five printed A4 pages. Hanoi's largest view draws 73.
pub const MAX_BOXES: usize = 200;

/// Elements drawn alone (the LGSP and NDXP platforms of the integration view) keep their own box
/// in a summary while a band holds at most this many (one tier); beyond, they are gathered by kind.
const ALONE_AT_MOST: usize = 6;

/// A summary group's frame label and the scene's nodes it gathers.
type Gathered = (Option<String>, Vec<usize>);

/// `scene` with one box per group, when it has more than `max_boxes` boxes; else `scene` as it is.
pub(super) fn summarise(scene: Scene, texts: &Texts, max_boxes: usize) -> Scene {
    if scene.nodes.len() <= max_boxes {
        return scene;
    }
    let mut alone_in_band: BTreeMap<usize, usize> = BTreeMap::new();
    for group in &scene.groups {
        if group.label.is_none() {
            *alone_in_band.entry(group.band).or_default() += 1;
        }
    }
    // (band, rank, key) → the frame's label and the scene's nodes it gathers, in the scene's order.
    let mut gathered: BTreeMap<(usize, usize, String), Gathered> = BTreeMap::new();
    for group in &scene.groups {
        let (key, label) = match group.label.as_ref() {
            None if alone_in_band[&group.band] > ALONE_AT_MOST => {
                let node = &scene.nodes[group.nodes[0]];
                (node.kind_id.to_string(), Some(node.kind.to_string()))
            }
            _ => (group.key.clone(), group.label.clone()),
        };
        gathered
            .entry((group.band, group.rank, key))
            .or_insert_with(|| (label, Vec::new()))
            .1
            .extend(group.nodes.iter().copied());
    }
    let mut groups = Vec::with_capacity(gathered.len());
    let mut nodes = Vec::with_capacity(gathered.len());
    let mut box_of = vec![0; scene.nodes.len()];
    for ((band, rank, key), (label, members)) in gathered {
        let group = groups.len();
        for member in &members {
            box_of[*member] = nodes.len();
        }
        nodes.push(group_box(&scene, texts, &members, &key, group));
        groups.push(Group {
            band,
            label,
            key,
            rank,
            nodes: vec![group],
        });
    }
    let links = scene
        .links
        .into_iter()
        .filter_map(|link| {
            let (from, to) = (box_of[link.from], box_of[link.to]);
            (from != to).then_some(Link { from, to, ..link })
        })
        .collect();
    Scene {
        groups,
        nodes,
        links,
        summarised: true,
        ..scene
    }
}

/// The box standing for `members` (nodes of `scene`): the element itself when it is alone, else
/// the number of elements and of those with open findings, with a red border when there are any.
fn group_box(scene: &Scene, texts: &Texts, members: &[usize], key: &str, group: usize) -> Node {
    let first = &scene.nodes[members[0]];
    if members.len() == 1 {
        return Node {
            element: first.element,
            id: first.id.clone(),
            name: first.name.clone(),
            kind: first.kind.clone(),
            kind_id: first.kind_id.clone(),
            group,
            findings: first.findings,
            side: first.side,
            // The element index is not linked from a summary: its boxes stand for groups.
            anchor: None,
        };
    }
    let flagged = members
        .iter()
        .filter(|member| scene.nodes[**member].findings)
        .count();
    let count = members.len().to_string();
    let name = if flagged == 0 {
        texts.get("diagram_summary_box").replace("{count}", &count)
    } else {
        texts
            .get("diagram_summary_box_findings")
            .replace("{count}", &count)
            .replace("{flagged}", &flagged.to_string())
    };
    let same_kind = members
        .iter()
        .all(|member| scene.nodes[*member].kind_id == first.kind_id);
    let side = if members
        .iter()
        .all(|member| scene.nodes[*member].side == first.side)
    {
        first.side
    } else {
        Side::Own
    };
    Node {
        element: first.element,
        id: key.to_owned(),
        name,
        kind: if same_kind {
            first.kind.clone()
        } else {
            scene.groups[first.group]
                .label
                .as_deref()
                .unwrap_or(key)
                .into()
        },
        kind_id: if same_kind {
            first.kind_id.clone()
        } else {
            key.into()
        },
        group,
        findings: flagged > 0,
        side,
        anchor: None,
    }
}
