//! The report's diagrams as data, for the formats that draw them elsewhere (`ArchiMate` views,
//! Mermaid, D2, DOT, PlantUML): the same scenes the SVG draws, laid out the same way, with the
//! bands, groups and boxes where the SVG puts them and the links between elements, one per
//! ordered pair of elements, counted by what they are and marked red when open findings point at
//! them. [`layouts`] gives the overview and the integration view; [`neighbourhood`] an element's
//! direct relations (which the report does not draw).

use super::draw::{self, Drawing};
use super::layout::{MARGIN, NODE_HEIGHT, NODE_WIDTH};
use super::{Scene, Side, Violations, neighbourhood_scene};
use crate::i18n::Texts;
use kientruc_checker::Checked;
use kientruc_dsl::model::ElementId;
use std::collections::{BTreeMap, BTreeSet};

/// Which view a scene is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Channels → services → applications → platforms → data → infrastructure.
    Overview,
    /// The architecture's own systems → LGSP → NDXP → national systems.
    Integration,
    /// One element, the elements related to it above, those it relates to below.
    Neighbourhood,
    /// A view the workspace declares.
    Declared,
}

impl View {
    /// `overview`, `integration`, `neighbourhood`.
    pub fn name(self) -> &'static str {
        match self {
            View::Overview => "overview",
            View::Integration => "integration",
            View::Neighbourhood => "neighbourhood",
            View::Declared => "declared",
        }
    }
}

/// A diagram laid out: everything in the SVG's coordinates (pixels, origin top left, integers).
#[derive(Clone, Debug)]
pub struct LaidOutView {
    pub view: View,
    /// The view's id: `overview`, `integration`, `neighbourhood`, or the id of a view the
    /// workspace declares (which may replace `overview` or `integration`: `view` then says
    /// [`View::Declared`]).
    pub id: String,
    /// The diagram's title in the report's language.
    pub title: String,
    /// The whole picture, legend included.
    pub width: i64,
    pub height: i64,
    /// Top to bottom; a band without elements is kept (the SVG draws it, empty).
    pub bands: Vec<LaidOutBand>,
    /// Sorted by band, then by the kind's place in the band (the SVG may order a band's groups
    /// otherwise: their bounds say where they stand).
    pub groups: Vec<LaidOutGroup>,
    /// By group, each group's in name order.
    pub nodes: Vec<LaidOutNode>,
    /// Sorted by (source node, target node).
    pub links: Vec<LaidOutLink>,
}

#[derive(Clone, Debug)]
pub struct LaidOutBand {
    /// The band's title (from the fixed texts, in the report's language).
    pub title: String,
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    /// Its groups, in [`LaidOutView::groups`] order.
    pub groups: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct LaidOutGroup {
    pub band: usize,
    /// The kind's name over the group's frame; `None` for an element drawn alone (no frame: its
    /// bounds are its box's).
    pub label: Option<String>,
    /// What the group gathers: a kind id, or the id of the element drawn alone.
    pub key: String,
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    /// Its nodes, in name order.
    pub nodes: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct LaidOutNode {
    pub element: ElementId,
    /// The element's qualified id (`national.ndxp`).
    pub id: String,
    /// The element's name as written (not escaped: every format escapes it its own way).
    pub name: String,
    /// The kind as the metamodel names it (`system`).
    pub kind: String,
    /// The kind's name in the report's language.
    pub kind_name: String,
    pub band: usize,
    pub group: usize,
    /// Whose it is: the architecture's own, the national reference model's, another body's.
    pub side: Side,
    /// Whether open findings point at the element (a red box).
    pub findings: bool,
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
}

/// Every link from one drawn element to another (relations, references, steps of a route).
#[derive(Clone, Debug)]
pub struct LaidOutLink {
    /// Nodes, in [`LaidOutView::nodes`].
    pub source: usize,
    pub target: usize,
    /// What the links are, by type id.
    pub types: Vec<LinkType>,
    /// How many links (at least one).
    pub count: usize,
    /// The model's relations among them (indexes in `Model::relations`, sorted, unique); a
    /// reference has none.
    pub relations: Vec<usize>,
    /// Rules whose open findings point at one of them (sorted); empty when none.
    pub rules: Vec<String>,
    /// Drawn red: some rule's open findings point at it.
    pub violating: bool,
}

/// One type of link between two elements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkType {
    /// The relation type (`exchanges_with`) or the referencing property (`hosted_in`).
    pub id: String,
    /// Its name in the report's language: the relation's name, or `property hosted_in`.
    pub name: String,
    /// A reference-typed property rather than a relation.
    pub property: bool,
    pub count: usize,
}

/// Every view the report draws, laid out: the overview and the integration view (or the
/// workspace's own views of those ids), then the other views the workspace declares.
pub fn layouts(checked: &Checked, texts: &Texts) -> Vec<LaidOutView> {
    super::report_scenes(checked, texts, usize::MAX, |_, scene| {
        laid_out(&scene, texts)
    })
}

/// The view the workspace declares as `id`, laid out.
pub fn declared_layout(checked: &Checked, texts: &Texts, id: &str) -> Option<LaidOutView> {
    super::draw_declared(checked, texts, id).map(|(_, drawn)| drawn.laid_out)
}

/// The neighbourhood of the element whose qualified id is `element_id`; `None` when the model has
/// no such element.
pub fn neighbourhood(checked: &Checked, texts: &Texts, element_id: &str) -> Option<LaidOutView> {
    let element = checked.analysis.model.find(element_id)?;
    let violations = Violations::collect(checked);
    Some(laid_out(
        &neighbourhood_scene(checked, texts, &violations, element.id),
        texts,
    ))
}

pub(super) fn laid_out(scene: &Scene, texts: &Texts) -> LaidOutView {
    let drawing: Drawing = draw::lay_out(scene, texts);
    let layout = &drawing.layout;
    let (width, height) = drawing.size();
    let bands = scene
        .bands
        .iter()
        .enumerate()
        .map(|(band, title)| {
            let (y, band_height) = layout.bands[band];
            LaidOutBand {
                title: title.clone(),
                x: MARGIN,
                y,
                width: layout.width - 2 * MARGIN,
                height: band_height,
                groups: (0..scene.groups.len())
                    .filter(|group| scene.groups[*group].band == band)
                    .collect(),
            }
        })
        .collect();
    let groups = scene
        .groups
        .iter()
        .enumerate()
        .map(|(index, group)| {
            let frame = &layout.frames[index];
            LaidOutGroup {
                band: group.band,
                label: group.label.clone(),
                key: group.key.clone(),
                x: frame.x,
                y: frame.y,
                width: frame.width,
                height: frame.height,
                nodes: group.nodes.clone(),
            }
        })
        .collect();
    let nodes = scene
        .nodes
        .iter()
        .enumerate()
        .map(|(index, node)| {
            let (x, y) = layout.node_box(scene, index);
            LaidOutNode {
                element: node.element,
                id: node.id.clone(),
                name: node.name.clone(),
                kind: node.kind_id.to_string(),
                kind_name: node.kind.to_string(),
                band: scene.groups[node.group].band,
                group: node.group,
                side: node.side,
                findings: node.findings,
                x,
                y,
                width: NODE_WIDTH,
                height: NODE_HEIGHT,
            }
        })
        .collect();
    LaidOutView {
        view: scene.view,
        id: scene.key.clone(),
        title: scene.title.clone(),
        width,
        height,
        bands,
        groups,
        nodes,
        links: links(scene),
    }
}

/// The scene's links gathered by ordered pair of nodes.
fn links(scene: &Scene) -> Vec<LaidOutLink> {
    struct Gathered {
        types: BTreeMap<String, LinkType>,
        relations: BTreeSet<usize>,
        rules: BTreeSet<String>,
        count: usize,
    }
    let mut pairs: BTreeMap<(usize, usize), Gathered> = BTreeMap::new();
    for link in &scene.links {
        let gathered = pairs
            .entry((link.from, link.to))
            .or_insert_with(|| Gathered {
                types: BTreeMap::new(),
                relations: BTreeSet::new(),
                rules: BTreeSet::new(),
                count: 0,
            });
        gathered.count += 1;
        let property = link.relation.is_none();
        gathered
            .types
            .entry(format!("{}{}", u8::from(property), link.type_id))
            .or_insert_with(|| LinkType {
                id: link.type_id.to_string(),
                name: link.what.to_string(),
                property,
                count: 0,
            })
            .count += 1;
        gathered.relations.extend(link.relation);
        gathered.rules.extend(link.rules.iter().cloned());
    }
    pairs
        .into_iter()
        .map(|((source, target), gathered)| LaidOutLink {
            source,
            target,
            types: gathered.types.into_values().collect(),
            count: gathered.count,
            relations: gathered.relations.into_iter().collect(),
            violating: !gathered.rules.is_empty(),
            rules: gathered.rules.into_iter().collect(),
        })
        .collect()
}
