//! Diagrams drawn from the model graph as inline SVG, with our own layered layout (no Graphviz):
//! the overview (channels → services → applications → platforms → data → infrastructure) and the
//! integration view (the architecture's own systems → LGSP → NDXP → national systems), violating
//! edges in red.
//!
//! Whose an element is follows the architecture's boundary ([`kientruc_checker::boundary`]): the
//! workspace's elements and the imported ones the header `owns` are the architecture's own (solid
//! boxes); the other imported elements belong to the national reference model, and the
//! workspace's `context` elements to another body (dashed boxes, each with its legend entry).
//!
//! Layout: every node belongs to a band (a horizontal layer). Within a band, nodes are ordered by
//! the barycentre heuristic (the mean position of their neighbours in other bands, a few sweeps,
//! ties broken by id), then placed in rows of at most [`MAX_PER_ROW`], centred. Edges are cubic
//! curves drawn under the nodes. Everything is computed in integers and sorted by id, so the same
//! model always gives the same SVG.

use crate::escape::xml;
use crate::i18n::Texts;
use crate::view::{element_anchor, kind_name};
use kientruc_checker::Checked;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::model::{Element, ElementId, PropertyValue};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

pub const MAX_PER_ROW: usize = 6;
/// A band shows at most this many elements and a "+N more" box.
pub const MAX_PER_BAND: usize = 36;
const NODE_WIDTH: i64 = 172;
const NODE_HEIGHT: i64 = 48;
const GAP_X: i64 = 18;
const GAP_Y: i64 = 16;
const BAND_PADDING: i64 = 16;
const LABEL_WIDTH: i64 = 150;
const MARGIN: i64 = 12;
const LEGEND_HEIGHT: i64 = 34;
/// How high an arc between two boxes of one row may rise (the band's padding plus a little).
const ARC_LIFT: i64 = 26;

/// The overview's bands: the i18n key of the band's title and the kinds it holds (vn-egov-3.0
/// kinds); kinds not listed fall back to their layer ([`layer_band`]).
const OVERVIEW_BANDS: &[(&str, &[&str])] = &[
    ("band_channels", &["channel", "portal"]),
    ("band_services", &["public_service", "business_function"]),
    ("band_applications", &["system", "shared_application"]),
    ("band_platforms", &["platform"]),
    ("band_data", &["database", "dataset", "data_catalogue"]),
    ("band_infrastructure", &["data_centre", "cloud", "network"]),
];

/// Kinds that belong to no overview band even though their layer would place them.
const OVERVIEW_EXCLUDED: &[&str] = &["agency", "user_group", "process", "data_entity"];

/// Relations the integration view follows.
const INTEGRATION_RELATIONS: &[&str] = &[
    "exchanges_with",
    "integrates_with",
    "reads",
    "writes",
    "authenticates_via",
];

/// Band of a kind's layer when the kind is not listed.
fn layer_band(layer: &str) -> Option<usize> {
    match layer {
        "business" => Some(1),
        "application" => Some(2),
        "data" => Some(4),
        "technology" => Some(5),
        _ => None,
    }
}

pub struct Diagrams {
    pub overview: String,
    pub integration: String,
}

struct Node {
    element: ElementId,
    id: String,
    name: String,
    kind: String,
    band: usize,
    findings: bool,
    side: Side,
    anchor: Option<String>,
}

/// Whose an element is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The architecture's own: declared in the workspace, or imported and owned (`owns`).
    Own,
    /// The national reference model's (imported, not owned).
    National,
    /// Another body's, declared only to show an exchange (`context`).
    Context,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: usize,
    to: usize,
    violating: bool,
}

struct Graph {
    /// Prefix of the SVG's ids (two diagrams live in one page).
    prefix: &'static str,
    title: String,
    bands: Vec<String>,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    /// Per band: how many elements were left out.
    hidden: Vec<usize>,
}

/// Renders both diagrams.
pub fn render(checked: &Checked, texts: &Texts) -> Diagrams {
    let violations = Violations::collect(checked);
    Diagrams {
        overview: svg(&overview(checked, texts, &violations), texts),
        integration: svg(&integration(checked, texts, &violations), texts),
    }
}

/// What the findings say is wrong about edges: relations whose declaration a finding points at,
/// and consecutive elements of findings' paths.
struct Violations {
    relations: HashSet<usize>,
    pairs: HashSet<(ElementId, ElementId)>,
    elements_with_findings: HashSet<ElementId>,
}

impl Violations {
    fn collect(checked: &Checked) -> Violations {
        let model = &checked.analysis.model;
        let mut spans = HashSet::new();
        let mut pairs = HashSet::new();
        let mut elements_with_findings = HashSet::new();
        for finding in checked
            .findings
            .iter()
            .filter(|finding| !finding.is_accepted())
        {
            if let Some(element) = finding.element_id {
                elements_with_findings.insert(element);
            }
            // A path finding points at the first link of its path, which may be a compliant
            // relation with a `via` chain: for those, only the path's own hops are violating.
            if finding.path.is_empty() {
                spans.insert(finding.span);
            }
            let path: Vec<ElementId> = finding
                .path
                .iter()
                .filter_map(|id| model.by_qualified_id.get(id.as_str()).copied())
                .collect();
            for pair in path.windows(2) {
                pairs.insert((pair[0], pair[1]));
            }
        }
        let relations = model
            .relations
            .iter()
            .enumerate()
            .filter(|(_, relation)| spans.contains(&relation.span))
            .map(|(index, _)| index)
            .collect();
        Violations {
            relations,
            pairs,
            elements_with_findings,
        }
    }
}

fn property_word<'a>(element: &'a Element, name: &str) -> Option<&'a str> {
    element.property(name).and_then(PropertyValue::as_str)
}

/// Whose `element` is: the workspace's own (a national one it declares itself too) and the
/// imported elements it owns, another body's when the header lists it in `context`, else the
/// national reference model's.
fn side(checked: &Checked, element: &Element) -> Side {
    if checked.boundary.is_context(element.id) {
        Side::Context
    } else if checked.boundary.is_subject(element.id) {
        Side::Own
    } else {
        Side::National
    }
}

fn node(
    checked: &Checked,
    element: &Element,
    band: usize,
    language: Language,
    violations: &Violations,
) -> Node {
    Node {
        element: element.id,
        id: element.qualified_id.to_string(),
        name: element.name.clone(),
        kind: kind_name(checked, &element.kind, language),
        band,
        findings: violations.elements_with_findings.contains(&element.id),
        side: side(checked, element),
        // The report's element index lists the workspace's elements and the owned ones.
        anchor: checked
            .boundary
            .is_declared_or_owned(element)
            .then(|| element_anchor(&element.qualified_id)),
    }
}

/// The elements the architecture declares or owns, in element order.
fn own_and_declared(checked: &Checked) -> impl Iterator<Item = &Element> + '_ {
    checked
        .analysis
        .model
        .elements
        .iter()
        .filter(|element| checked.boundary.is_declared_or_owned(element))
}

fn overview(checked: &Checked, texts: &Texts, violations: &Violations) -> Graph {
    let language = texts.language();
    let model = &checked.analysis.model;
    let band_of = |element: &Element| -> Option<usize> {
        if OVERVIEW_EXCLUDED.contains(&element.kind.as_str()) {
            return None;
        }
        OVERVIEW_BANDS
            .iter()
            .position(|(_, kinds)| kinds.contains(&element.kind.as_str()))
            .or_else(|| element.layer.as_deref().and_then(layer_band))
    };
    let mut candidates: Vec<(usize, &Element)> = own_and_declared(checked)
        .filter_map(|element| band_of(element).map(|band| (band, element)))
        // A nested element in the same band as its parent is drawn as its parent.
        .filter(|(band, element)| {
            element
                .parent
                .is_none_or(|parent| band_of(model.element(parent)) != Some(*band))
        })
        .collect();
    candidates.sort_by(|left, right| {
        (left.0, &left.1.qualified_id).cmp(&(right.0, &right.1.qualified_id))
    });
    let bands: Vec<String> = OVERVIEW_BANDS
        .iter()
        .map(|(key, _)| texts.get(key).to_owned())
        .collect();
    let nodes = limit_bands(
        candidates
            .into_iter()
            .map(|(band, element)| node(checked, element, band, language, violations))
            .collect(),
        bands.len(),
    );
    let (nodes, hidden) = nodes;
    let index: BTreeMap<ElementId, usize> = nodes
        .iter()
        .enumerate()
        .map(|(position, node)| (node.element, position))
        .collect();
    let mut edges: BTreeSet<Edge> = BTreeSet::new();
    let mut add = |from: ElementId, to: ElementId, violating: bool| {
        if let (Some(&from), Some(&to)) = (index.get(&from), index.get(&to))
            && from != to
        {
            if violating {
                edges.remove(&Edge {
                    from,
                    to,
                    violating: false,
                });
                edges.insert(Edge {
                    from,
                    to,
                    violating: true,
                });
            } else if !edges.contains(&Edge {
                from,
                to,
                violating: true,
            }) {
                edges.insert(Edge {
                    from,
                    to,
                    violating: false,
                });
            }
        }
    };
    for (position, relation) in model.relations.iter().enumerate() {
        let violating = violations.relations.contains(&position)
            || violations
                .pairs
                .contains(&(relation.source, relation.target));
        add(relation.source, relation.target, violating);
    }
    for element in own_and_declared(checked) {
        for entry in element.properties.values() {
            if let PropertyValue::Reference(target) = entry.value {
                add(
                    element.id,
                    target,
                    violations.pairs.contains(&(element.id, target)),
                );
            }
        }
    }
    Graph {
        prefix: "overview",
        title: texts.get("overview_diagram").to_owned(),
        bands,
        nodes,
        edges: edges.into_iter().collect(),
        hidden,
    }
}

fn integration(checked: &Checked, texts: &Texts, violations: &Violations) -> Graph {
    let language = texts.language();
    let model = &checked.analysis.model;
    let band_of = |element: &Element| -> Option<usize> {
        match property_word(element, "platform_type") {
            Some("lgsp") => return Some(1),
            Some("ndxp" | "ndc_coordination") => return Some(2),
            _ => {}
        }
        // The national systems' band holds the reference model's elements and another body's
        // national ones; the architecture's own national databases stay in its band.
        let national = property_word(element, "scope") == Some("national");
        match side(checked, element) {
            Side::National => return Some(3),
            Side::Context if national => return Some(3),
            Side::Own | Side::Context => {}
        }
        match element.layer.as_deref() {
            Some("application" | "data") => Some(0),
            _ => None,
        }
    };
    let mut segments: Vec<(ElementId, ElementId, bool)> = Vec::new();
    for (position, relation) in model.relations.iter().enumerate() {
        if !INTEGRATION_RELATIONS.contains(&relation.relation_type.as_str()) {
            continue;
        }
        let relation_violates = violations.relations.contains(&position);
        let chain: Vec<ElementId> = std::iter::once(relation.source)
            .chain(relation.via.iter().copied())
            .chain(std::iter::once(relation.target))
            .collect();
        for pair in chain.windows(2) {
            segments.push((
                pair[0],
                pair[1],
                relation_violates || violations.pairs.contains(&(pair[0], pair[1])),
            ));
        }
    }
    let mut members: BTreeMap<(usize, String), &Element> = BTreeMap::new();
    for (from, to, _) in &segments {
        let (from, to) = (model.element(*from), model.element(*to));
        if let (Some(from_band), Some(to_band)) = (band_of(from), band_of(to)) {
            members.insert((from_band, from.qualified_id.to_string()), from);
            members.insert((to_band, to.qualified_id.to_string()), to);
        }
    }
    let bands: Vec<String> = ["band_systems", "band_lgsp", "band_ndxp", "band_national"]
        .iter()
        .map(|key| texts.get(key).to_owned())
        .collect();
    let (nodes, hidden) = limit_bands(
        members
            .into_iter()
            .map(|((band, _), element)| node(checked, element, band, language, violations))
            .collect(),
        bands.len(),
    );
    let index: BTreeMap<ElementId, usize> = nodes
        .iter()
        .enumerate()
        .map(|(position, node)| (node.element, position))
        .collect();
    let mut edges: BTreeMap<(usize, usize), bool> = BTreeMap::new();
    for (from, to, violating) in segments {
        if let (Some(&from), Some(&to)) = (index.get(&from), index.get(&to))
            && from != to
        {
            *edges.entry((from, to)).or_insert(false) |= violating;
        }
    }
    Graph {
        prefix: "integration",
        title: texts.get("integration_diagram").to_owned(),
        bands,
        nodes,
        edges: edges
            .into_iter()
            .map(|((from, to), violating)| Edge {
                from,
                to,
                violating,
            })
            .collect(),
        hidden,
    }
}

/// Keeps at most [`MAX_PER_BAND`] nodes per band (those with findings first, then by id) and
/// counts the rest. Input is sorted by band and id.
fn limit_bands(nodes: Vec<Node>, band_count: usize) -> (Vec<Node>, Vec<usize>) {
    let mut hidden = vec![0; band_count];
    let mut per_band: Vec<Vec<Node>> = (0..band_count).map(|_| Vec::new()).collect();
    for node in nodes {
        per_band[node.band].push(node);
    }
    let mut kept = Vec::new();
    for (band, mut band_nodes) in per_band.into_iter().enumerate() {
        if band_nodes.len() > MAX_PER_BAND {
            band_nodes.sort_by(|left, right| {
                (!left.findings, &left.id).cmp(&(!right.findings, &right.id))
            });
            hidden[band] = band_nodes.len() - MAX_PER_BAND;
            band_nodes.truncate(MAX_PER_BAND);
            band_nodes.sort_by(|left, right| left.id.cmp(&right.id));
        }
        kept.extend(band_nodes);
    }
    (kept, hidden)
}

/// Orders the nodes of each band by the barycentre of their neighbours (positions scaled to
/// `0..10_000` so that bands of different sizes compare), ties by id.
fn order(graph: &Graph) -> Vec<Vec<usize>> {
    let mut bands: Vec<Vec<usize>> = vec![Vec::new(); graph.bands.len()];
    for (index, node) in graph.nodes.iter().enumerate() {
        bands[node.band].push(index);
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    for edge in &graph.edges {
        if graph.nodes[edge.from].band != graph.nodes[edge.to].band {
            neighbours[edge.from].push(edge.to);
            neighbours[edge.to].push(edge.from);
        }
    }
    let mut position = vec![0i64; graph.nodes.len()];
    let place = |bands: &Vec<Vec<usize>>, position: &mut Vec<i64>| {
        for band in bands {
            let count = band.len().max(1) as i64;
            for (slot, node) in band.iter().enumerate() {
                position[*node] = (slot as i64 * 10_000 + 5_000) / count;
            }
        }
    };
    place(&bands, &mut position);
    for sweep in 0..8 {
        let band_order: Vec<usize> = if sweep % 2 == 0 {
            (0..bands.len()).collect()
        } else {
            (0..bands.len()).rev().collect()
        };
        for band in band_order {
            let mut keyed: Vec<(i64, &str, usize)> = bands[band]
                .iter()
                .map(|node| {
                    let around = &neighbours[*node];
                    let key = if around.is_empty() {
                        position[*node]
                    } else {
                        around.iter().map(|other| position[*other]).sum::<i64>()
                            / around.len() as i64
                    };
                    (key, graph.nodes[*node].id.as_str(), *node)
                })
                .collect();
            keyed.sort_unstable();
            bands[band] = keyed.into_iter().map(|(_, _, node)| node).collect();
            let count = bands[band].len().max(1) as i64;
            for (slot, node) in bands[band].iter().enumerate() {
                position[*node] = (slot as i64 * 10_000 + 5_000) / count;
            }
        }
    }
    bands
}

/// Splits a name into at most two lines of about `width` characters, with an ellipsis when cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut cut = false;
    for word in words {
        let candidate_length =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if candidate_length <= width || current.is_empty() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        } else {
            lines.push(std::mem::take(&mut current));
            if lines.len() == 2 {
                cut = true;
                break;
            }
            current.push_str(word);
        }
    }
    if !cut && !current.is_empty() {
        lines.push(current);
    }
    for line in &mut lines {
        if line.chars().count() > width {
            *line = line.chars().take(width - 1).collect::<String>() + "…";
        }
    }
    if cut && let Some(last) = lines.last_mut() {
        let kept: String = last.chars().take(width - 1).collect();
        *last = kept + "…";
    }
    lines
}

const BAND_FILLS: [&str; 6] = [
    "#eef4fb", "#f3f0fa", "#eef7f1", "#fdf5e9", "#eef6f7", "#f4f4f4",
];

fn svg(graph: &Graph, texts: &Texts) -> String {
    let bands = order(graph);
    let columns = bands
        .iter()
        .map(|band| band.len().min(MAX_PER_ROW))
        .max()
        .unwrap_or(0)
        .max(1) as i64;
    let content_width = columns * NODE_WIDTH + (columns - 1) * GAP_X;
    let width = MARGIN * 2 + LABEL_WIDTH + content_width + 2 * BAND_PADDING;
    let mut positions: Vec<(i64, i64)> = vec![(0, 0); graph.nodes.len()];
    let mut band_boxes: Vec<(i64, i64)> = Vec::new();
    // Room above the first band for arcs between boxes of its first row.
    let mut y = MARGIN + ARC_LIFT;
    for (band, members) in bands.iter().enumerate() {
        let extra = usize::from(graph.hidden[band] > 0);
        let slots = members.len() + extra;
        let rows = slots.div_ceil(MAX_PER_ROW).max(1) as i64;
        let height = BAND_PADDING * 2 + rows * NODE_HEIGHT + (rows - 1) * GAP_Y;
        band_boxes.push((y, height));
        for (slot, node) in members.iter().enumerate() {
            let row = (slot / MAX_PER_ROW) as i64;
            let in_row = (slots - (slot / MAX_PER_ROW) * MAX_PER_ROW).min(MAX_PER_ROW) as i64;
            let row_width = in_row * NODE_WIDTH + (in_row - 1) * GAP_X;
            let left = MARGIN + LABEL_WIDTH + BAND_PADDING + (content_width - row_width) / 2;
            let column = (slot % MAX_PER_ROW) as i64;
            positions[*node] = (
                left + column * (NODE_WIDTH + GAP_X),
                y + BAND_PADDING + row * (NODE_HEIGHT + GAP_Y),
            );
        }
        y += height;
    }
    let height = y + LEGEND_HEIGHT + MARGIN;
    let prefix = graph.prefix;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram\" id=\"{prefix}-svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{prefix}-title\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif\">\n<title id=\"{prefix}-title\">{}</title>\n",
        xml(&graph.title)
    );
    let _ = writeln!(
        out,
        "<defs><marker id=\"{prefix}-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#7b8794\"/></marker><marker id=\"{prefix}-arrow-bad\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c62828\"/></marker></defs>"
    );
    // Bands.
    for (band, (top, band_height)) in band_boxes.iter().enumerate() {
        let fill = BAND_FILLS[band % BAND_FILLS.len()];
        let _ = write!(
            out,
            "<g class=\"band\"><rect x=\"{MARGIN}\" y=\"{top}\" width=\"{}\" height=\"{band_height}\" fill=\"{fill}\" stroke=\"#d5dbe3\"/>",
            width - 2 * MARGIN
        );
        let lines = wrap(&graph.bands[band], 18);
        let first = top + band_height / 2 - (lines.len() as i64 - 1) * 8 + 4;
        for (number, line) in lines.iter().enumerate() {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"600\" fill=\"#1f2d3d\">{}</text>",
                MARGIN + 10,
                first + number as i64 * 16,
                xml(line)
            );
        }
        if graph.hidden[band] > 0 {
            let slot = bands[band].len();
            let row = (slot / MAX_PER_ROW) as i64;
            let column = (slot % MAX_PER_ROW) as i64;
            let slots = bands[band].len() + 1;
            let in_row = (slots - (slot / MAX_PER_ROW) * MAX_PER_ROW).min(MAX_PER_ROW) as i64;
            let row_width = in_row * NODE_WIDTH + (in_row - 1) * GAP_X;
            let left = MARGIN + LABEL_WIDTH + BAND_PADDING + (content_width - row_width) / 2;
            let x = left + column * (NODE_WIDTH + GAP_X);
            let y = top + BAND_PADDING + row * (NODE_HEIGHT + GAP_Y);
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{NODE_WIDTH}\" height=\"{NODE_HEIGHT}\" rx=\"6\" fill=\"none\" stroke=\"#9aa5b1\" stroke-dasharray=\"2 3\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#52606d\">+{} {}</text>",
                x + NODE_WIDTH / 2,
                y + NODE_HEIGHT / 2 + 4,
                graph.hidden[band],
                xml(texts.get("more"))
            );
        }
        out.push_str("</g>\n");
    }
    if graph.nodes.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#52606d\">{}</text>",
            width / 2,
            height / 2,
            xml(texts.get("diagram_empty"))
        );
    }
    // Edges: ordinary first, violating on top.
    out.push_str("<g class=\"edges\" fill=\"none\">\n");
    for violating in [false, true] {
        for edge in graph
            .edges
            .iter()
            .filter(|edge| edge.violating == violating)
        {
            let (fx, fy) = positions[edge.from];
            let (tx, ty) = positions[edge.to];
            let path = if fy == ty {
                // Same row: a low arc above the boxes, within the band's padding.
                let (x1, x2) = if tx > fx {
                    (fx + NODE_WIDTH / 2 + 12, tx + NODE_WIDTH / 2 - 12)
                } else {
                    (fx + NODE_WIDTH / 2 - 12, tx + NODE_WIDTH / 2 + 12)
                };
                let lift = (14 + (x1 - x2).abs() / 40).min(ARC_LIFT);
                format!(
                    "M{x1},{fy} C{x1},{} {x2},{} {x2},{fy}",
                    fy - lift,
                    fy - lift
                )
            } else {
                let (x1, x2) = (fx + NODE_WIDTH / 2, tx + NODE_WIDTH / 2);
                let (y1, y2) = if ty > fy {
                    (fy + NODE_HEIGHT, ty)
                } else {
                    (fy, ty + NODE_HEIGHT)
                };
                let middle = (y1 + y2) / 2;
                format!("M{x1},{y1} C{x1},{middle} {x2},{middle} {x2},{y2}")
            };
            let title = format!(
                "{} → {}",
                graph.nodes[edge.from].id, graph.nodes[edge.to].id
            );
            if violating {
                let _ = writeln!(
                    out,
                    "<path class=\"edge violating\" d=\"{path}\" stroke=\"#c62828\" stroke-width=\"2.6\" marker-end=\"url(#{prefix}-arrow-bad)\"><title>{}</title></path>",
                    xml(&title)
                );
            } else {
                let _ = writeln!(
                    out,
                    "<path class=\"edge\" d=\"{path}\" stroke=\"#7b8794\" stroke-opacity=\"0.55\" stroke-width=\"1.2\" marker-end=\"url(#{prefix}-arrow)\"><title>{}</title></path>",
                    xml(&title)
                );
            }
        }
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for (index, node) in graph.nodes.iter().enumerate() {
        let (x, y) = positions[index];
        let (stroke, stroke_width) = if node.findings {
            ("#c62828", "2.2")
        } else {
            ("#52606d", "1")
        };
        let (dash, fill, side_class) = match node.side {
            Side::Own => ("", "#ffffff", ""),
            Side::National => (" stroke-dasharray=\"5 3\"", "#fbfbf7", " national"),
            Side::Context => (" stroke-dasharray=\"2 3\"", "#f5f7fa", " context"),
        };
        let classes = format!(
            "node{}{side_class}",
            if node.findings { " has-findings" } else { "" },
        );
        let _ = write!(
            out,
            "<g class=\"{classes}\"><title>{} ({}) — {}</title>",
            xml(&node.name),
            xml(&node.id),
            xml(&node.kind)
        );
        if let Some(anchor) = &node.anchor {
            let _ = write!(out, "<a href=\"#{}\">", xml(anchor));
        }
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{NODE_WIDTH}\" height=\"{NODE_HEIGHT}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_width}\"{dash}/>"
        );
        let lines = wrap(&node.name, 26);
        let top = if lines.len() > 1 { y + 16 } else { y + 21 };
        for (number, line) in lines.iter().enumerate() {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1f2d3d\">{}</text>",
                x + NODE_WIDTH / 2,
                top + number as i64 * 13,
                xml(line)
            );
        }
        let kind: String = wrap(&node.kind, 30).into_iter().next().unwrap_or_default();
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#616e7c\">{}</text>",
            x + NODE_WIDTH / 2,
            y + NODE_HEIGHT - 6,
            xml(&kind)
        );
        if node.anchor.is_some() {
            out.push_str("</a>");
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
    // Legend.
    let legend_y = height - MARGIN - LEGEND_HEIGHT / 2;
    let mut x = MARGIN + 4;
    let _ = write!(
        out,
        "<g class=\"legend\" font-size=\"11\" fill=\"#1f2d3d\">"
    );
    let _ = write!(
        out,
        "<path d=\"M{x},{legend_y} h36\" stroke=\"#7b8794\" stroke-width=\"1.2\" marker-end=\"url(#{prefix}-arrow)\"/><text x=\"{}\" y=\"{}\">{}</text>",
        x + 44,
        legend_y + 4,
        xml(texts.get("legend_edge"))
    );
    x += 170;
    let _ = write!(
        out,
        "<path d=\"M{x},{legend_y} h36\" stroke=\"#c62828\" stroke-width=\"2.6\" marker-end=\"url(#{prefix}-arrow-bad)\"/><text x=\"{}\" y=\"{}\">{}</text>",
        x + 44,
        legend_y + 4,
        xml(texts.get("legend_violation"))
    );
    x += 210;
    let _ = write!(
        out,
        "<rect x=\"{x}\" y=\"{}\" width=\"30\" height=\"16\" rx=\"4\" fill=\"#fff\" stroke=\"#c62828\" stroke-width=\"2.2\"/><text x=\"{}\" y=\"{}\">{}</text>",
        legend_y - 8,
        x + 38,
        legend_y + 4,
        xml(texts.get("legend_findings"))
    );
    x += 170;
    let _ = write!(
        out,
        "<rect x=\"{x}\" y=\"{}\" width=\"30\" height=\"16\" rx=\"4\" fill=\"#fbfbf7\" stroke=\"#52606d\" stroke-dasharray=\"5 3\"/><text x=\"{}\" y=\"{}\">{}</text>",
        legend_y - 8,
        x + 38,
        legend_y + 4,
        xml(texts.get("legend_national"))
    );
    if graph.nodes.iter().any(|node| node.side == Side::Context) {
        x += 190;
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{}\" width=\"30\" height=\"16\" rx=\"4\" fill=\"#f5f7fa\" stroke=\"#52606d\" stroke-dasharray=\"2 3\"/><text x=\"{}\" y=\"{}\">{}</text>",
            legend_y - 8,
            x + 38,
            legend_y + 4,
            xml(texts.get("legend_context"))
        );
    }
    out.push_str("</g>\n</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn names_wrap_into_two_lines_with_an_ellipsis() {
        assert_eq!(wrap("Cổng dịch vụ công", 26), vec!["Cổng dịch vụ công"]);
        assert_eq!(
            wrap(
                "Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hà Nội",
                26
            ),
            vec!["Hệ thống thông tin giải", "quyết thủ tục hành chính…"]
        );
        assert_eq!(wrap("x".repeat(40).as_str(), 10), vec!["xxxxxxxxx…"]);
    }
}
