//! Where the groups and boxes go. A band's groups stand side by side in tiers of at most
//! [`MAX_COLUMNS`] columns of boxes, one tier under the other: the band is cut into the tiers
//! that make it shortest ([`split_tiers`]), so a band of many kinds or of many elements takes
//! several tiers rather than a wider diagram. In a tier the columns are shared so that the
//! tallest group is as short as it can be, and a group's boxes fill its columns row by row. Groups are ordered within their band by the
//! barycentre of the groups they are bundled with (a few sweeps, ties by kind). Tiers are
//! separated by gaps whose heights the router decides ([`Layout::stack`]).

use super::bundle::Bundle;
use super::{Scene, wrap};

/// Boxes side by side in a tier, at most: the diagram's width stays legible on an A4 page.
pub const MAX_COLUMNS: usize = 6;
pub const NODE_WIDTH: i64 = 156;
pub const NODE_HEIGHT: i64 = 50;
/// Between the boxes of a group.
pub const GAP_X: i64 = 12;
pub const GAP_Y: i64 = 12;
/// Inside a group's frame, around its boxes.
pub const GROUP_PADDING: i64 = 10;
/// The strip at the top of a group's frame that holds its name (one line; each more line adds
/// [`LABEL_LINE`]).
pub const GROUP_LABEL: i64 = 22;
pub const LABEL_LINE: i64 = 13;
/// Between the groups of a tier.
pub const GROUP_GAP: i64 = 30;
/// Above the first tier and under the last one of a band.
pub const BAND_PADDING: i64 = 10;
/// The column of band titles on the left.
pub const LABEL_WIDTH: i64 = 132;
pub const MARGIN: i64 = 12;
/// Between the band titles and the first group, and after the last one.
pub const SIDE_ROOM: i64 = 24;
/// The narrowest the bands' content is (room for the note of an empty diagram).
const MIN_CONTENT_WIDTH: i64 = 3 * NODE_WIDTH + 2 * GAP_X;
/// The height of a band that has no element.
const EMPTY_TIER: i64 = 28;
/// A row of the legend.
pub const LEGEND_HEIGHT: i64 = 30;

pub struct Layout {
    pub width: i64,
    /// Where the legend starts, under the last gap.
    pub legend_top: i64,
    /// Per band: top and height.
    pub bands: Vec<(i64, i64)>,
    pub tiers: Vec<Tier>,
    /// Per group.
    pub frames: Vec<Frame>,
    /// Per node: its box's top left corner relative to its frame, its row and column.
    pub boxes: Vec<Cell>,
    /// Per tier: the gap under it (top, height).
    pub gaps: Vec<(i64, i64)>,
    /// Where the groups stand: from the left of the widest tier to its right.
    pub content_left: i64,
    pub content_right: i64,
}

pub struct Tier {
    pub band: usize,
    /// Left to right.
    pub groups: Vec<usize>,
    pub top: i64,
    pub height: i64,
}

pub struct Frame {
    pub tier: usize,
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    pub columns: usize,
    /// False for an element drawn alone: the frame is its box.
    pub framed: bool,
    /// The group's name ("kind · count"), in the lines it takes over the boxes.
    pub label: Vec<String>,
}

#[derive(Clone, Copy)]
pub struct Cell {
    pub dx: i64,
    pub dy: i64,
    pub row: usize,
    pub column: usize,
    /// Whether a box stands under this one in its column.
    pub below: bool,
}

impl Frame {
    pub fn centre(&self) -> i64 {
        self.x + self.width / 2
    }
}

impl Layout {
    /// A node's box: left, top.
    pub fn node_box(&self, scene: &Scene, node: usize) -> (i64, i64) {
        let frame = &self.frames[scene.nodes[node].group];
        let cell = self.boxes[node];
        (frame.x + cell.dx, frame.y + cell.dy)
    }

    /// Places tiers, bands and gaps one under the other, given each gap's height, and the
    /// legend under them. Widens the diagram to `right` (a corridor).
    pub fn stack(&mut self, gap_heights: &[i64], right: i64) {
        let mut y = MARGIN;
        let tier_count = self.tiers.len();
        for (tier, gap_height) in gap_heights.iter().enumerate().take(tier_count) {
            let band = self.tiers[tier].band;
            let first = tier == 0 || self.tiers[tier - 1].band != band;
            let last = tier + 1 == tier_count || self.tiers[tier + 1].band != band;
            if first {
                self.bands[band].0 = y;
                y += BAND_PADDING;
            }
            self.tiers[tier].top = y;
            y += self.tiers[tier].height;
            if last {
                y += BAND_PADDING;
                self.bands[band].1 = y - self.bands[band].0;
            }
            self.gaps[tier] = (y, *gap_height);
            y += gap_height;
        }
        for frame in &mut self.frames {
            frame.y = self.tiers[frame.tier].top;
        }
        self.legend_top = y;
        self.width = self.width.max(right + MARGIN);
    }
}

/// The horizontal layout: tiers, frames and boxes; vertical positions wait for
/// [`Layout::stack`].
pub fn arrange(scene: &Scene, bundles: &[Bundle]) -> Layout {
    let order = order_groups(scene, bundles);
    let mut tiers = Vec::new();
    for (band, groups) in order.into_iter().enumerate() {
        if groups.is_empty() {
            tiers.push(Tier {
                band,
                groups: Vec::new(),
                top: 0,
                height: EMPTY_TIER,
            });
            continue;
        }
        for chunk in split_tiers(scene, &groups) {
            tiers.push(Tier {
                band,
                groups: chunk,
                top: 0,
                height: 0,
            });
        }
    }
    let mut frames: Vec<Frame> = scene
        .groups
        .iter()
        .map(|_| Frame {
            tier: 0,
            x: 0,
            y: 0,
            width: 0,
            height: 0,
            columns: 1,
            framed: true,
            label: Vec::new(),
        })
        .collect();
    let mut boxes = vec![
        Cell {
            dx: 0,
            dy: 0,
            row: 0,
            column: 0,
            below: false,
        };
        scene.nodes.len()
    ];
    let mut tier_widths = Vec::new();
    for (tier_index, tier) in tiers.iter_mut().enumerate() {
        let sizes: Vec<usize> = tier
            .groups
            .iter()
            .map(|group| scene.groups[*group].nodes.len())
            .collect();
        let columns = share_columns(&sizes);
        let mut width = 0;
        for (position, group) in tier.groups.iter().enumerate() {
            let members = &scene.groups[*group].nodes;
            let has_frame = scene.groups[*group].label.is_some();
            let columns = columns[position];
            let rows = members.len().div_ceil(columns) as i64;
            let inner_width = columns as i64 * NODE_WIDTH + (columns as i64 - 1) * GAP_X;
            let inner_height = rows * NODE_HEIGHT + (rows - 1) * GAP_Y;
            let frame = &mut frames[*group];
            frame.tier = tier_index;
            frame.columns = columns;
            frame.framed = has_frame;
            frame.label = scene.groups[*group]
                .label
                .as_deref()
                .map(|label| group_label(label, members.len(), columns))
                .unwrap_or_default();
            let top = label_height(frame.label.len());
            if has_frame {
                frame.width = inner_width + 2 * GROUP_PADDING;
                frame.height = inner_height + top + GROUP_PADDING;
            } else {
                frame.width = inner_width;
                frame.height = inner_height;
            }
            let left = if has_frame { GROUP_PADDING } else { 0 };
            for (slot, node) in members.iter().enumerate() {
                let (row, column) = (slot / columns, slot % columns);
                boxes[*node] = Cell {
                    dx: left + column as i64 * (NODE_WIDTH + GAP_X),
                    dy: top + row as i64 * (NODE_HEIGHT + GAP_Y),
                    row,
                    column,
                    below: slot + columns < members.len(),
                };
            }
            tier.height = tier.height.max(frame.height);
            width += frame.width + if position > 0 { GROUP_GAP } else { 0 };
        }
        tier_widths.push(width);
    }
    let content_left = MARGIN + LABEL_WIDTH + SIDE_ROOM;
    let content_width = tier_widths
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .max(MIN_CONTENT_WIDTH);
    for (tier, width) in tiers.iter().zip(&tier_widths) {
        let mut x = content_left + (content_width - width) / 2;
        for group in &tier.groups {
            frames[*group].x = x;
            x += frames[*group].width + GROUP_GAP;
        }
    }
    let content_right = content_left + content_width;
    let tier_count = tiers.len();
    Layout {
        width: content_right + SIDE_ROOM + MARGIN,
        legend_top: 0,
        bands: vec![(0, 0); scene.bands.len()],
        tiers,
        frames,
        boxes,
        gaps: vec![(0, 0); tier_count],
        content_left,
        content_right,
    }
}

/// A tier's height beyond its frames: the gap under it, with a track or two.
const TIER_COST: i64 = 56;

/// A band's groups (in order) cut into tiers so that the band is as short as it can be: a
/// dynamic programme over the cut points, each tier holding at most [`MAX_COLUMNS`] groups.
fn split_tiers(scene: &Scene, groups: &[usize]) -> Vec<Vec<usize>> {
    let height = |chunk: &[usize]| -> i64 {
        let sizes: Vec<usize> = chunk
            .iter()
            .map(|group| scene.groups[*group].nodes.len())
            .collect();
        share_columns(&sizes)
            .iter()
            .zip(chunk)
            .map(|(columns, group)| {
                let rows = rows_for(scene.groups[*group].nodes.len(), *columns);
                let inner = rows * NODE_HEIGHT + (rows - 1) * GAP_Y;
                match &scene.groups[*group].label {
                    Some(label) => {
                        let lines = group_label(label, scene.groups[*group].nodes.len(), *columns);
                        inner + label_height(lines.len()) + GROUP_PADDING
                    }
                    None => inner,
                }
            })
            .max()
            .unwrap_or(0)
            + TIER_COST
    };
    // best[j]: the least height of the first j groups, and where its last tier starts.
    let mut best: Vec<(i64, usize)> = vec![(0, 0)];
    for end in 1..=groups.len() {
        let choice = (end.saturating_sub(MAX_COLUMNS)..end)
            .map(|start| (best[start].0 + height(&groups[start..end]), start))
            .min()
            .unwrap_or((0, 0));
        best.push(choice);
    }
    let mut tiers = Vec::new();
    let mut end = groups.len();
    while end > 0 {
        let start = best[end].1;
        tiers.push(groups[start..end].to_vec());
        end = start;
    }
    tiers.reverse();
    tiers
}

/// A group's name over a frame of `columns`: "kind · count", in at most two lines.
fn group_label(label: &str, count: usize, columns: usize) -> Vec<String> {
    let inner = columns as i64 * NODE_WIDTH + (columns as i64 - 1) * GAP_X;
    let room = (inner * 100 / (11 * 60)).max(4);
    wrap(&format!("{label} · {count}"), room as usize, 2)
}

/// The height of the strip that holds a name of `lines` lines (none for an element alone).
fn label_height(lines: usize) -> i64 {
    match lines {
        0 => 0,
        lines => GROUP_LABEL + (lines as i64 - 1) * LABEL_LINE,
    }
}

fn rows_for(size: usize, columns: usize) -> i64 {
    size.div_ceil(columns).max(1) as i64
}

/// Columns for groups of `sizes` boxes side by side: one each, then the rest one at a time to
/// the group with the most rows (the first on ties), while it has boxes to spread.
fn share_columns(sizes: &[usize]) -> Vec<usize> {
    let mut columns = vec![1; sizes.len()];
    let mut left = MAX_COLUMNS.saturating_sub(sizes.len());
    while left > 0 {
        let widest = (0..sizes.len())
            .filter(|group| columns[*group] < sizes[*group])
            .max_by_key(|group| {
                (
                    sizes[*group].div_ceil(columns[*group]),
                    std::cmp::Reverse(*group),
                )
            });
        let Some(group) = widest else { break };
        columns[group] += 1;
        left -= 1;
    }
    columns
}

/// Each band's groups, left to right: by the barycentre of the groups they are bundled with in
/// other bands (weighted by the bundle's count; positions scaled to `0..10_000` so that bands of
/// different sizes compare), ties by rank.
fn order_groups(scene: &Scene, bundles: &[Bundle]) -> Vec<Vec<usize>> {
    let mut bands: Vec<Vec<usize>> = vec![Vec::new(); scene.bands.len()];
    for (group, data) in scene.groups.iter().enumerate() {
        bands[data.band].push(group);
    }
    let mut neighbours: Vec<Vec<(usize, i64)>> = vec![Vec::new(); scene.groups.len()];
    for bundle in bundles {
        if scene.groups[bundle.low].band != scene.groups[bundle.high].band {
            let weight = bundle.count() as i64;
            neighbours[bundle.low].push((bundle.high, weight));
            neighbours[bundle.high].push((bundle.low, weight));
        }
    }
    let mut position = vec![0i64; scene.groups.len()];
    let place = |band: &[usize], position: &mut Vec<i64>| {
        let count = band.len().max(1) as i64;
        for (slot, group) in band.iter().enumerate() {
            position[*group] = (slot as i64 * 10_000 + 5_000) / count;
        }
    };
    for band in &bands {
        place(band, &mut position);
    }
    for sweep in 0..8 {
        let band_order: Vec<usize> = if sweep % 2 == 0 {
            (0..bands.len()).collect()
        } else {
            (0..bands.len()).rev().collect()
        };
        for band in band_order {
            let mut keyed: Vec<(i64, usize, &str, usize)> = bands[band]
                .iter()
                .map(|group| {
                    let around = &neighbours[*group];
                    let weight: i64 = around.iter().map(|(_, weight)| weight).sum();
                    let key = if weight == 0 {
                        position[*group]
                    } else {
                        around
                            .iter()
                            .map(|(other, weight)| position[*other] * weight)
                            .sum::<i64>()
                            / weight
                    };
                    let data = &scene.groups[*group];
                    (key, data.rank, data.key.as_str(), *group)
                })
                .collect();
            keyed.sort_unstable();
            bands[band] = keyed.into_iter().map(|(_, _, _, group)| group).collect();
            place(&bands[band], &mut position);
        }
    }
    bands
}

#[cfg(test)]
mod tests {
    use super::share_columns;

    #[test]
    fn columns_go_to_the_tallest_group() {
        assert_eq!(share_columns(&[15, 7, 3]), vec![3, 2, 1]);
        assert_eq!(share_columns(&[13, 3]), vec![5, 1]);
        assert_eq!(share_columns(&[1, 1]), vec![1, 1]);
        assert_eq!(share_columns(&[40]), vec![6]);
        assert_eq!(share_columns(&[2, 2, 2, 2, 2, 2]), vec![1; 6]);
    }
}
