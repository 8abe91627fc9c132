//! Orthogonal lines for the bundles and the red connections, drawn in the gaps so that no line
//! crosses a box.
//!
//! A line leaves its upper group from the bottom of the group's frame, runs along a track of the
//! gap under that group's tier, and enters the lower group from the top (a line within one tier
//! turns back up into the other group's bottom). A line across more tiers goes down a lane: an x
//! that no group of the tiers in between covers, as close to the line's ends as possible, or a
//! corridor on the right when there is none. Ports are spread along a frame's side in the order
//! of the groups they lead to; a red connection leaves its element's box downwards (or upwards)
//! or beside it, between the columns, to the frame's edge. Tracks are assigned per gap by the
//! constrained left-edge algorithm: a line whose port comes down inside another line's span goes
//! above it, so that the two do not cross where they can avoid it.

use super::Scene;
use super::bundle::{Bundle, Violating};
use super::layout::{
    GAP_X, GROUP_PADDING, LABEL_WIDTH, Layout, MARGIN, NODE_HEIGHT, NODE_WIDTH, SIDE_ROOM,
};
use std::collections::BTreeMap;

/// Between the tracks of a gap (a count label is 14 high).
pub const TRACK: i64 = 14;
/// Above the first track and under the last.
const GAP_PADDING: i64 = 10;
/// The height of a gap without tracks.
const EMPTY_GAP: i64 = 14;
/// Two segments on one track keep at least this apart.
const SEPARATION: i64 = 14;
/// A lane keeps this far from a frame, a port or another lane.
const CLEARANCE: i64 = 8;

/// A line from its upper end to its lower end.
pub struct Line {
    pub points: Vec<(i64, i64)>,
    /// Links run from the upper end to the lower one (an arrow at the end).
    pub down: bool,
    /// Links run from the lower end to the upper one (an arrow at the start).
    pub up: bool,
    /// The centre of the count label.
    pub label: (i64, i64),
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Top,
    Bottom,
}

/// A vertical position, known once the gaps are sized.
#[derive(Clone, Copy)]
enum Y {
    /// Relative to a group's frame top.
    Frame(usize, i64),
    /// On a track of the gap under a tier.
    Track(usize, usize),
}

struct End {
    group: usize,
    node: Option<usize>,
    side: Side,
    /// Where the line meets the frame.
    x: i64,
    /// A red connection's way from its element's box to the port, relative to the frame.
    escape: Vec<(i64, i64)>,
}

struct Connection {
    upper: End,
    lower: End,
    down: bool,
    up: bool,
    /// How many links it stands for (lanes go to the heaviest first).
    weight: usize,
    lane: Option<i64>,
}

/// Horizontal intervals that a lane may not cross, sorted by their start.
#[derive(Default)]
struct Blocked {
    intervals: Vec<(i64, i64, usize)>,
    longest: i64,
}

impl Blocked {
    fn insert(&mut self, low: i64, high: i64, owner: usize) {
        let at = self
            .intervals
            .partition_point(|interval| (interval.0, interval.1, interval.2) < (low, high, owner));
        self.intervals.insert(at, (low, high, owner));
        self.longest = self.longest.max(high - low);
    }

    /// Whether `x` is inside an interval that `owner` does not own.
    fn hits(&self, x: i64, owner: usize) -> bool {
        let end = self.intervals.partition_point(|interval| interval.0 <= x);
        self.intervals[..end]
            .iter()
            .rev()
            .take_while(|interval| interval.0 >= x - self.longest)
            .any(|interval| interval.1 >= x && interval.2 != owner)
    }
}

/// A horizontal run of a line in a gap.
struct Segment {
    connection: usize,
    /// First or second run of the line.
    part: usize,
    low: i64,
    high: i64,
    /// Where lines come down into the run from above, and leave it downwards.
    from_above: Vec<i64>,
    to_below: Vec<i64>,
}

/// Lines for the bundles then the red connections; sizes the gaps of `layout` and stacks it.
/// `label_widths` holds each bundle's count label width.
pub fn route(
    scene: &Scene,
    layout: &mut Layout,
    bundles: &[Bundle],
    violating: &[Violating],
    label_widths: &[i64],
) -> Vec<Line> {
    let mut connections = connect(scene, layout, bundles, violating);
    assign_ports(layout, &mut connections);
    let right = assign_lanes(layout, &mut connections);
    let (segments, tracks) = assign_tracks(layout, &connections);
    let heights: Vec<i64> = tracks
        .iter()
        .map(|count| {
            if *count == 0 {
                EMPTY_GAP
            } else {
                2 * GAP_PADDING + (*count as i64 - 1) * TRACK
            }
        })
        .collect();
    layout.stack(&heights, right);
    let mut on_track: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (segment, track) in &segments {
        on_track.insert((segment.connection, segment.part), *track);
    }
    let mut lines: Vec<Line> = connections
        .iter()
        .enumerate()
        .map(|(index, connection)| Line {
            points: points(layout, connection, index, &on_track),
            down: connection.down,
            up: connection.up,
            label: (0, 0),
        })
        .collect();
    place_labels(layout, &mut lines, label_widths);
    lines
}

fn connect(
    scene: &Scene,
    layout: &Layout,
    bundles: &[Bundle],
    violating: &[Violating],
) -> Vec<Connection> {
    let tier = |group: usize| layout.frames[group].tier;
    let mut connections = Vec::new();
    for bundle in bundles {
        let forward = !bundle.forward.is_empty() && bundle.low != bundle.high;
        let backward = !bundle.backward.is_empty() && bundle.low != bundle.high;
        let flipped = tier(bundle.high) < tier(bundle.low);
        let (upper, lower) = if flipped {
            (bundle.high, bundle.low)
        } else {
            (bundle.low, bundle.high)
        };
        connections.push(Connection {
            upper: end(upper, None, Side::Bottom),
            lower: end(
                lower,
                None,
                if tier(upper) == tier(lower) {
                    Side::Bottom
                } else {
                    Side::Top
                },
            ),
            down: if flipped { backward } else { forward },
            up: if flipped { forward } else { backward },
            weight: bundle.count(),
            lane: None,
        });
    }
    // How many red ends each node has on each side so far (to set them apart).
    let mut taken: BTreeMap<(usize, Side), i64> = BTreeMap::new();
    for red in violating {
        let (from, to) = (scene.nodes[red.from].group, scene.nodes[red.to].group);
        let flipped = tier(to) < tier(from);
        let (upper, lower) = if flipped {
            (red.to, red.from)
        } else {
            (red.from, red.to)
        };
        let (upper_group, lower_group) = (scene.nodes[upper].group, scene.nodes[lower].group);
        let lower_side = if tier(upper_group) == tier(lower_group) {
            Side::Bottom
        } else {
            Side::Top
        };
        let mut upper_end = end(upper_group, Some(upper), Side::Bottom);
        let mut lower_end = end(lower_group, Some(lower), lower_side);
        for end in [&mut upper_end, &mut lower_end] {
            let node = end.node.unwrap_or_default();
            let nth = taken.entry((node, end.side)).or_default();
            escape(layout, end, *nth);
            *nth += 1;
        }
        connections.push(Connection {
            upper: upper_end,
            lower: lower_end,
            down: !flipped,
            up: flipped,
            weight: 0,
            lane: None,
        });
    }
    connections
}

fn end(group: usize, node: Option<usize>, side: Side) -> End {
    End {
        group,
        node,
        side,
        x: 0,
        escape: Vec::new(),
    }
}

/// A red end inside a frame: out of its box downwards (upwards) when no box stands below
/// (above) it and, upwards, the group's name is not in the way; else beside it, between the
/// columns. Sets the port and the escape; an element drawn alone keeps a free port.
fn escape(layout: &Layout, end: &mut End, nth: i64) {
    let Some(node) = end.node else { return };
    let frame = &layout.frames[end.group];
    if !frame.framed {
        return;
    }
    let cell = layout.boxes[node];
    let offset = 12 * nth;
    let centre = cell.dx + NODE_WIDTH / 2 + offset;
    let beside = cell.dx
        + NODE_WIDTH
        + if cell.column + 1 == frame.columns {
            GROUP_PADDING / 2
        } else {
            GAP_X / 2
        }
        // Boxes of one column leave through the same gap: each row a little apart.
        + (cell.row % 3) as i64 * 3
        - 3
        + offset.min(2);
    let middle = cell.dy + NODE_HEIGHT / 2 + offset;
    let label_end = GROUP_PADDING
        + frame
            .label
            .iter()
            .map(|line| label_width(line, 12))
            .max()
            .unwrap_or(0);
    // Straight out of the box: downwards when no box stands below; upwards from the first row,
    // right of the group's name.
    let straight = match end.side {
        Side::Bottom => (!cell.below).then_some(centre),
        Side::Top => (cell.row == 0)
            .then_some(centre.max(label_end + 8 + offset))
            .filter(|x| *x <= cell.dx + NODE_WIDTH - 10),
    };
    let (box_edge, edge) = match end.side {
        Side::Bottom => (cell.dy + NODE_HEIGHT, frame.height),
        Side::Top => (cell.dy, 0),
    };
    if let Some(x) = straight {
        end.x = frame.x + x;
        end.escape = vec![(x, box_edge), (x, edge)];
    } else {
        end.x = frame.x + beside;
        end.escape = vec![
            (cell.dx + NODE_WIDTH, middle),
            (beside, middle),
            (beside, edge),
        ];
    }
}

/// Roughly how wide a text is at `size` pixels (no font metrics in a pure crate).
pub fn label_width(text: &str, size: i64) -> i64 {
    text.chars().count() as i64 * size * 56 / 100
}

/// Spreads the free ports of each frame side evenly, in the order of the groups they lead to,
/// away from the fixed ports of red connections.
fn assign_ports(layout: &Layout, connections: &mut [Connection]) {
    type Request = (i64, usize, usize);
    let mut free: BTreeMap<(usize, Side), Vec<Request>> = BTreeMap::new();
    let mut fixed: BTreeMap<(usize, Side), Vec<i64>> = BTreeMap::new();
    for (index, connection) in connections.iter().enumerate() {
        for (part, (this, other)) in [
            (&connection.upper, &connection.lower),
            (&connection.lower, &connection.upper),
        ]
        .into_iter()
        .enumerate()
        {
            if this.escape.is_empty() {
                let key = layout.frames[other.group].centre();
                free.entry((this.group, this.side))
                    .or_default()
                    .push((key, index, part));
            } else {
                fixed
                    .entry((this.group, this.side))
                    .or_default()
                    .push(this.x);
            }
        }
    }
    for ((group, side), mut requests) in free {
        requests.sort_unstable();
        let frame = &layout.frames[group];
        let inset = if frame.framed { 12 } else { 16 };
        let span = frame.width - 2 * inset;
        let count = requests.len() as i64;
        let taken = fixed.get(&(group, side)).cloned().unwrap_or_default();
        for (slot, (_, index, part)) in requests.into_iter().enumerate() {
            let mut x = frame.x + inset + (slot as i64 * 2 + 1) * span / (count * 2);
            for _ in 0..4 {
                if taken.iter().any(|other| (other - x).abs() < 6) {
                    x += 7;
                }
            }
            let connection = &mut connections[index];
            if part == 0 {
                connection.upper.x = x;
            } else {
                connection.lower.x = x;
            }
        }
    }
}

/// Lanes for lines across more than two tiers; returns the diagram's right edge (past any
/// corridor).
fn assign_lanes(layout: &Layout, connections: &mut [Connection]) -> i64 {
    let tiers = layout.tiers.len();
    let mut tier_blocks: Vec<Blocked> = (0..tiers).map(|_| Blocked::default()).collect();
    let mut gap_blocks: Vec<Blocked> = (0..tiers).map(|_| Blocked::default()).collect();
    for frame in &layout.frames {
        tier_blocks[frame.tier].insert(
            frame.x - CLEARANCE,
            frame.x + frame.width + CLEARANCE,
            usize::MAX,
        );
    }
    let tier = |group: usize| layout.frames[group].tier;
    for (index, connection) in connections.iter().enumerate() {
        for end in [&connection.upper, &connection.lower] {
            let gap = match end.side {
                Side::Bottom => Some(tier(end.group)),
                Side::Top => tier(end.group).checked_sub(1),
            };
            if let Some(gap) = gap {
                gap_blocks[gap].insert(end.x - CLEARANCE, end.x + CLEARANCE, index);
            }
        }
    }
    let mut order: Vec<usize> = (0..connections.len())
        .filter(|index| {
            let connection = &connections[*index];
            tier(connection.lower.group) > tier(connection.upper.group) + 1
        })
        .collect();
    order.sort_by_key(|index| (std::cmp::Reverse(connections[*index].weight), *index));
    let leftmost = MARGIN + LABEL_WIDTH + CLEARANCE;
    let rightmost = layout.content_right + SIDE_ROOM - CLEARANCE;
    let mut corridor = layout.content_right + SIDE_ROOM;
    let mut right = layout.content_right + SIDE_ROOM;
    for index in order {
        let connection = &connections[index];
        let (top, bottom) = (tier(connection.upper.group), tier(connection.lower.group));
        let free = |x: i64| {
            (top + 1..bottom).all(|tier| !tier_blocks[tier].hits(x, index))
                && (top..bottom).all(|gap| !gap_blocks[gap].hits(x, index))
        };
        let (from, to) = (connection.upper.x, connection.lower.x);
        let middle = (from + to) / 2;
        let outward = (0..).map_while(|step: i64| {
            let distance = step.div_euclid(2) * 4 + 4 * (step % 2);
            let below = middle - distance;
            let above = middle + distance;
            (below >= leftmost || above <= rightmost).then_some(if step % 2 == 0 {
                below
            } else {
                above
            })
        });
        let lane = [from, to]
            .into_iter()
            .chain(outward)
            .filter(|x| (leftmost..=rightmost).contains(x))
            .find(|x| free(*x))
            .unwrap_or_else(|| {
                corridor += 10;
                right = right.max(corridor + CLEARANCE);
                corridor
            });
        for blocked in &mut tier_blocks[top + 1..bottom] {
            blocked.insert(lane - CLEARANCE, lane + CLEARANCE, index);
        }
        for blocked in &mut gap_blocks[top..bottom] {
            blocked.insert(lane - CLEARANCE, lane + CLEARANCE, index);
        }
        connections[index].lane = Some(lane);
    }
    right
}

/// A line's run in a gap before it is a [`Segment`]: the gap, from, to, where lines come down
/// into it and where they leave it downwards.
type Run = (usize, i64, i64, Vec<i64>, Vec<i64>);

/// Tracks for every horizontal run, per gap: the runs with their track, and each gap's number of
/// tracks.
fn assign_tracks(
    layout: &Layout,
    connections: &[Connection],
) -> (Vec<(Segment, usize)>, Vec<usize>) {
    let tier = |group: usize| layout.frames[group].tier;
    let mut per_gap: Vec<Vec<Segment>> = (0..layout.tiers.len()).map(|_| Vec::new()).collect();
    for (index, connection) in connections.iter().enumerate() {
        let (upper, lower) = (&connection.upper, &connection.lower);
        let top = tier(upper.group);
        let runs: Vec<Run> = match connection.lane {
            Some(lane) => vec![
                (top, upper.x, lane, vec![upper.x], vec![lane]),
                (
                    tier(lower.group) - 1,
                    lane,
                    lower.x,
                    vec![lane],
                    vec![lower.x],
                ),
            ],
            None if tier(lower.group) == top => {
                vec![(top, upper.x, lower.x, vec![upper.x, lower.x], Vec::new())]
            }
            None => vec![(top, upper.x, lower.x, vec![upper.x], vec![lower.x])],
        };
        for (part, (gap, from, to, from_above, to_below)) in runs.into_iter().enumerate() {
            if from != to {
                per_gap[gap].push(Segment {
                    connection: index,
                    part,
                    low: from.min(to),
                    high: from.max(to),
                    from_above,
                    to_below,
                });
            }
        }
    }
    let mut placed = Vec::new();
    let mut counts = Vec::new();
    for segments in per_gap {
        let tracks = left_edge(&segments);
        counts.push(tracks.iter().copied().max().map_or(0, |last| last + 1));
        placed.extend(segments.into_iter().zip(tracks));
    }
    (placed, counts)
}

/// The constrained left-edge algorithm: fills one track after another from the left, taking a
/// run only when every run that should lie above it already lies on an earlier track. When
/// nothing fits a track (a cycle of constraints), the first waiting run takes it.
fn left_edge(segments: &[Segment]) -> Vec<usize> {
    let count = segments.len();
    let inside = |x: i64, segment: &Segment| x > segment.low - 4 && x < segment.high + 4;
    // above[j]: runs that should lie above run j.
    let mut above: Vec<Vec<usize>> = vec![Vec::new(); count];
    for i in 0..count {
        for j in 0..count {
            if i == j {
                continue;
            }
            let i_over_j = segments[i]
                .from_above
                .iter()
                .any(|x| inside(*x, &segments[j]))
                || segments[j]
                    .to_below
                    .iter()
                    .any(|x| inside(*x, &segments[i]));
            let j_over_i = segments[j]
                .from_above
                .iter()
                .any(|x| inside(*x, &segments[i]))
                || segments[i]
                    .to_below
                    .iter()
                    .any(|x| inside(*x, &segments[j]));
            if i_over_j && !j_over_i {
                above[j].push(i);
            }
        }
    }
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|index| {
        (
            segments[*index].low,
            segments[*index].high,
            segments[*index].connection,
            segments[*index].part,
        )
    });
    let mut track_of: Vec<Option<usize>> = vec![None; count];
    let mut track = 0;
    let mut left = count;
    while left > 0 {
        let mut last_high = i64::MIN;
        let mut taken = Vec::new();
        for index in &order {
            let segment = &segments[*index];
            if track_of[*index].is_some()
                || last_high != i64::MIN && segment.low < last_high + SEPARATION
            {
                continue;
            }
            if above[*index]
                .iter()
                .all(|other| track_of[*other].is_some_and(|other_track| other_track < track))
            {
                track_of[*index] = Some(track);
                taken.push(*index);
                last_high = segment.high;
            }
        }
        if taken.is_empty()
            && let Some(first) = order.iter().find(|index| track_of[**index].is_none())
        {
            track_of[*first] = Some(track);
            taken.push(*first);
        }
        left -= taken.len();
        track += 1;
    }
    track_of
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect()
}

/// A connection's points, top end first, with corners and straight stretches merged.
fn points(
    layout: &Layout,
    connection: &Connection,
    index: usize,
    on_track: &BTreeMap<(usize, usize), usize>,
) -> Vec<(i64, i64)> {
    let tier = |group: usize| layout.frames[group].tier;
    let (upper, lower) = (&connection.upper, &connection.lower);
    let side_y = |end: &End| match end.side {
        Side::Top => 0,
        Side::Bottom => layout.frames[end.group].height,
    };
    let frame_x = |end: &End| layout.frames[end.group].x;
    let mut raw: Vec<(i64, Y)> = Vec::new();
    for (x, y) in &upper.escape {
        raw.push((frame_x(upper) + x, Y::Frame(upper.group, *y)));
    }
    raw.push((upper.x, Y::Frame(upper.group, side_y(upper))));
    let track = |part: usize| on_track.get(&(index, part)).copied();
    let top = tier(upper.group);
    match connection.lane {
        Some(lane) => {
            if let Some(track) = track(0) {
                raw.push((upper.x, Y::Track(top, track)));
                raw.push((lane, Y::Track(top, track)));
            }
            let gap = tier(lower.group) - 1;
            if let Some(track) = track(1) {
                raw.push((lane, Y::Track(gap, track)));
                raw.push((lower.x, Y::Track(gap, track)));
            }
        }
        None => {
            if let Some(track) = track(0) {
                raw.push((upper.x, Y::Track(top, track)));
                raw.push((lower.x, Y::Track(top, track)));
            }
        }
    }
    raw.push((lower.x, Y::Frame(lower.group, side_y(lower))));
    for (x, y) in lower.escape.iter().rev() {
        raw.push((frame_x(lower) + x, Y::Frame(lower.group, *y)));
    }
    let mut points: Vec<(i64, i64)> = Vec::new();
    for (x, y) in raw {
        let y = match y {
            Y::Frame(group, dy) => layout.frames[group].y + dy,
            Y::Track(gap, track) => layout.gaps[gap].0 + GAP_PADDING + track as i64 * TRACK,
        };
        if points.last() == Some(&(x, y)) {
            continue;
        }
        if points.len() >= 2 {
            let (a, b) = (points[points.len() - 2], points[points.len() - 1]);
            if (a.0 == b.0 && b.0 == x) || (a.1 == b.1 && b.1 == y) {
                points.pop();
            }
        }
        points.push((x, y));
    }
    points
}

/// Puts each bundle's count on its longest horizontal run, away from the lines that cross it; on
/// its longest vertical run when no horizontal one is long enough.
fn place_labels(layout: &Layout, lines: &mut [Line], label_widths: &[i64]) {
    // The x of every vertical stretch, per gap it passes.
    let mut crossing: Vec<Vec<i64>> = vec![Vec::new(); layout.gaps.len()];
    for line in lines.iter() {
        for pair in line.points.windows(2) {
            let ((x1, y1), (x2, y2)) = (pair[0], pair[1]);
            if x1 != x2 {
                continue;
            }
            let (low, high) = (y1.min(y2), y1.max(y2));
            for (gap, (top, height)) in layout.gaps.iter().enumerate() {
                if low < top + height && high > *top {
                    crossing[gap].push(x1);
                }
            }
        }
    }
    for (line, width) in lines.iter_mut().zip(label_widths) {
        let length = |(a, b): &((i64, i64), (i64, i64))| (a.0 - b.0).abs() + (a.1 - b.1).abs();
        let longest = |horizontal: bool| {
            line.points
                .windows(2)
                .map(|pair| (pair[0], pair[1]))
                .filter(|(a, b)| (a.1 == b.1) == horizontal)
                .max_by_key(|stretch| (length(stretch), std::cmp::Reverse(stretch.0)))
        };
        let longest = longest(true)
            .filter(|stretch| length(stretch) >= width + 16)
            .or_else(|| longest(false));
        let Some(((x1, y1), (x2, y2))) = longest else {
            continue;
        };
        if y1 != y2 {
            line.label = (x1, (y1 + y2) / 2);
            continue;
        }
        let (low, high) = (x1.min(x2) + width / 2 + 6, x1.max(x2) - width / 2 - 6);
        let gap = layout
            .gaps
            .iter()
            .position(|(top, height)| (*top..top + height).contains(&y1));
        let obstacles = gap.map_or(&[][..], |gap| crossing[gap].as_slice());
        let middle = (low + high) / 2;
        let clear = |x: i64| {
            obstacles
                .iter()
                .all(|obstacle| (obstacle - x).abs() > width / 2 + 3)
        };
        let x = (0..=(high - low) / 6)
            .flat_map(|step| [middle - step * 3, middle + step * 3])
            .filter(|x| (low..=high).contains(x))
            .find(|x| clear(*x))
            .unwrap_or(middle);
        line.label = (x, y1);
    }
}

#[cfg(test)]
mod tests {
    use super::{Segment, left_edge};

    fn run(
        connection: usize,
        low: i64,
        high: i64,
        from_above: &[i64],
        to_below: &[i64],
    ) -> Segment {
        Segment {
            connection,
            part: 0,
            low,
            high,
            from_above: from_above.to_vec(),
            to_below: to_below.to_vec(),
        }
    }

    #[test]
    fn runs_share_tracks_when_apart_and_stack_to_avoid_crossings() {
        // Two runs far apart share the first track.
        assert_eq!(
            left_edge(&[
                run(0, 0, 100, &[0], &[100]),
                run(1, 200, 300, &[200], &[300])
            ]),
            vec![0, 0]
        );
        // Run 1 comes down at x = 50, inside run 0: it goes above run 0.
        assert_eq!(
            left_edge(&[run(0, 0, 100, &[0], &[100]), run(1, 50, 300, &[50], &[300])]),
            vec![1, 0]
        );
        // Run 1 leaves downwards at x = 50, inside run 0: run 0 goes above it.
        assert_eq!(
            left_edge(&[run(0, 0, 100, &[0], &[100]), run(1, 50, 300, &[300], &[50])]),
            vec![0, 1]
        );
    }
}
