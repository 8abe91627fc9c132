//! Diagrams drawn from the model graph as inline SVG, with our own layout (no Graphviz): the
//! overview (channels → services → applications → platforms → data → infrastructure) and the
//! integration view (the architecture's own systems → LGSP → NDXP → national systems).
//!
//! Whose an element is follows the architecture's boundary ([`kientruc_checker::boundary`]): the
//! workspace's elements and the imported ones the header `owns` are the architecture's own (solid
//! boxes); the other imported elements belong to the national reference model, and the
//! workspace's `context` elements to another body (dashed boxes, each with its legend entry).
//!
//! What is drawn: every element a view selects (none is left out), in its band. Within a band the
//! elements are grouped by kind under the kind's name (in the integration view each platform of
//! the LGSP and NDXP bands stands alone), in name order. Connections are bundled: one line per
//! pair of groups, as thick as the number of relations it stands for and labelled with it
//! (`×12`), its tooltip counting them by relation and listing them one by one (the first
//! `LISTED_LINKS`, by name). A connection that a finding points at (a relation the
//! finding is declared on, or two consecutive elements of its path) is also drawn on its own, in
//! red, on top of the bundles, titled with the rules and the two elements.
//!
//! The steps: the views select their elements and links here; `bundle` gathers links into
//! bundles and red connections; `layout` places the groups and boxes; `route` draws every
//! connection as an orthogonal line through the gaps between tiers; `draw` writes the SVG;
//! `laid_out` gives the laid-out scenes as data, and an element's neighbourhood, to the formats
//! that draw them elsewhere (`kientruc export`).
//! Everything is computed in integers and sorted, so the same model always gives the same SVG.

mod bundle;
mod declared;
mod draw;
mod laid_out;
mod layout;
mod route;
mod summary;

pub use summary::MAX_BOXES;

pub use laid_out::{
    LaidOutBand, LaidOutGroup, LaidOutLink, LaidOutNode, LaidOutView, LinkType, View,
    declared_layout, layouts, neighbourhood,
};

use crate::i18n::Texts;
use crate::view::{element_anchor, kind_name};
use kientruc_checker::Checked;
use kientruc_dsl::Span;
use kientruc_dsl::diacritics::remove_diacritics;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::model::{Element, ElementId, PropertyValue};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

/// The overview's bands: the i18n key of the band's title and the kinds it holds (vn-egov-3.0
/// kinds), in the order their groups are placed when nothing else decides; kinds not listed fall
/// back to their layer ([`layer_band`]).
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

/// The integration view's bands; the LGSP and NDXP bands draw each platform alone.
const INTEGRATION_BANDS: &[&str] = &["band_systems", "band_lgsp", "band_ndxp", "band_national"];

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
    /// The overview, or the workspace's own `view overview` when it declares one.
    pub overview: DrawnView,
    /// The integration view, or the workspace's own `view integration`.
    pub integration: DrawnView,
    /// The other views the workspace declares, in declaration order.
    pub views: Vec<DrawnView>,
}

/// A view's entry and its SVG.
pub struct DrawnView {
    pub entry: crate::views::ViewEntry,
    pub svg: String,
    /// When the view is drawn as its summary: the sentence saying so, and how to see every
    /// element.
    pub summary: Option<String>,
}

/// The report's views as scenes, in the report's order: the overview and the integration view
/// (or the workspace's own views of those ids, which keep the built-in ids and anchors so that
/// links to them keep working), then the other views the workspace declares. [`render`] draws
/// them; [`layouts`] gives them as data. Each scene is handed to `each` as soon as it is made, so
/// that a large model's scenes are not all held at once.
fn report_scenes<T>(
    checked: &Checked,
    texts: &Texts,
    max_boxes: usize,
    mut each: impl FnMut(crate::views::ViewEntry, Scene) -> T,
) -> Vec<T> {
    let violations = Violations::collect(checked);
    let english = texts.language() == Language::En;
    let model = &checked.analysis.model;
    let graph = (!model.views.is_empty()).then(|| declared::graph(checked));
    let declared_scene = |view| {
        let graph = graph
            .as_ref()
            .expect("built when the workspace declares views");
        declared::scene(checked, texts, &violations, graph, view, max_boxes)
    };
    let mut scenes = Vec::new();
    for (name, builtin) in [
        (
            "overview",
            overview as fn(&Checked, &Texts, &Violations, usize) -> Scene,
        ),
        ("integration", integration),
    ] {
        let (entry, scene) = if let Some(view) = model.views.iter().find(|view| view.id == name) {
            let mut scene = declared_scene(view);
            name.clone_into(&mut scene.prefix);
            (declared::entry(view, english), scene)
        } else {
            let scene = builtin(checked, texts, &violations, max_boxes);
            let entry = crate::views::ViewEntry {
                id: name.to_owned(),
                title: scene.title.clone(),
                description: None,
                builtin: true,
            };
            (entry, scene)
        };
        scenes.push(each(entry, scene));
    }
    for view in &model.views {
        if !crate::views::BUILTIN.contains(&view.id.as_str()) {
            scenes.push(each(declared::entry(view, english), declared_scene(view)));
        }
    }
    scenes
}

/// Where the report's diagrams go in the page.
pub struct Page<'a> {
    /// Prefix of every id and fragment (`vi-` when one page holds several languages).
    pub ids: &'a str,
    /// Prefix of the element anchors the boxes link to (usually `ids`).
    pub index_ids: &'a str,
    /// A view of more boxes is drawn as its summary ([`summary`]; [`MAX_BOXES`] in the report).
    pub max_boxes: usize,
}

/// Renders every view of the report into `page`; a view of more than `page.max_boxes` boxes is
/// drawn as its summary. [`layouts`] gives the same scenes as data, for other formats, never
/// summarised.
pub fn render(checked: &Checked, texts: &Texts, page: &Page<'_>) -> Diagrams {
    let max_boxes = page.max_boxes;
    let mut drawn = report_scenes(checked, texts, max_boxes, |entry, scene| {
        let elements = scene.nodes.len();
        let mut scene = summary::summarise(scene, texts, max_boxes);
        page.ids.clone_into(&mut scene.ids);
        page.index_ids.clone_into(&mut scene.index_ids);
        let summary = scene.summarised.then(|| {
            texts
                .get("diagram_summarised")
                .replace("{count}", &elements.to_string())
                .replace("{max}", &max_boxes.to_string())
                .replace("{view}", &entry.id)
        });
        DrawnView {
            svg: draw::svg(&scene, texts),
            entry,
            summary,
        }
    })
    .into_iter();
    let overview = drawn.next().expect("the overview comes first");
    let integration = drawn.next().expect("the integration view comes second");
    Diagrams {
        overview,
        integration,
        views: drawn.collect(),
    }
}

/// One view laid out and drawn: the same layout as data and as SVG (ids without a page prefix).
pub struct Drawn {
    pub laid_out: LaidOutView,
    pub svg: String,
}

/// Draws the built-in view `name` (`overview`, `integration`) or the neighbourhood of the element
/// whose qualified id is `neighbourhood:ID`; `None` for another name or an unknown element.
pub fn draw_builtin(checked: &Checked, texts: &Texts, name: &str) -> Option<Drawn> {
    let violations = Violations::collect(checked);
    let scene = match name {
        "overview" => overview(checked, texts, &violations, usize::MAX),
        "integration" => integration(checked, texts, &violations, usize::MAX),
        _ => {
            let element = checked
                .analysis
                .model
                .find(name.strip_prefix("neighbourhood:")?)?;
            neighbourhood_scene(checked, texts, &violations, element.id)
        }
    };
    Some(Drawn {
        laid_out: laid_out::laid_out(&scene, texts),
        svg: draw::svg(&scene, texts),
    })
}

/// The views the workspace declares, in declaration order.
pub fn declared_entries(checked: &Checked, texts: &Texts) -> Vec<crate::views::ViewEntry> {
    declared::entries(checked, texts)
}

/// Draws the view the workspace declares as `id`, with its entry; `None` when it declares none.
pub fn draw_declared(
    checked: &Checked,
    texts: &Texts,
    id: &str,
) -> Option<(crate::views::ViewEntry, Drawn)> {
    let view = checked
        .analysis
        .model
        .views
        .iter()
        .find(|view| view.id == id)?;
    let violations = Violations::collect(checked);
    let scene = declared::scene(
        checked,
        texts,
        &violations,
        &declared::graph(checked),
        view,
        usize::MAX,
    );
    Some((
        declared::entry(view, texts.language() == Language::En),
        Drawn {
            laid_out: laid_out::laid_out(&scene, texts),
            svg: draw::svg(&scene, texts),
        },
    ))
}

impl Scene {
    /// The prefix of the diagram's own ids: the page's, then the diagram's.
    fn id_prefix(&self) -> String {
        format!("{}{}", self.ids, self.prefix)
    }
}

/// What one diagram shows, before layout: bands, groups of elements, and the links between
/// them (one per relation, reference or path step), each with the rules it violates.
struct Scene {
    view: View,
    /// Prefix of the SVG's ids (two diagrams live in one page).
    prefix: String,
    /// The view's id: `overview`, `integration`, `neighbourhood`, or the declared view's.
    key: String,
    /// Prefix of every id and fragment the page gives the diagram (`vi-` when the page holds the
    /// report in several languages, else empty).
    ids: String,
    /// Prefix of the element index's anchors the boxes link to: `ids`, or the first language's
    /// when a large model's index is listed once ([`Page::index_ids`]).
    index_ids: String,
    title: String,
    bands: Vec<String>,
    /// Sorted by band, then by rank.
    groups: Vec<Group>,
    nodes: Vec<Node>,
    links: Vec<Link>,
    /// One box per group ([`summary`]): the view selects more elements than a printed page
    /// holds.
    summarised: bool,
}

struct Group {
    band: usize,
    /// The kind's name over the group's frame; `None` for an element drawn alone, without a
    /// frame.
    label: Option<String>,
    /// What the group gathers: a kind, or the element drawn alone (its id).
    key: String,
    /// Order among the band's groups before the barycentre decides (and when it ties), with
    /// the key.
    rank: usize,
    /// The group's elements, in name order.
    nodes: Vec<usize>,
}

struct Node {
    element: ElementId,
    id: String,
    name: String,
    /// The kind's name in the report's language (shared by the kind's nodes).
    kind: Rc<str>,
    /// The kind as the metamodel names it (`system`).
    kind_id: Rc<str>,
    group: usize,
    findings: bool,
    side: Side,
    anchor: Option<String>,
}

/// One relation (or reference, or path step) between two drawn elements.
struct Link {
    from: usize,
    to: usize,
    /// What it is: the relation's name, or the referencing property (shared by the links of one
    /// relation type or property: a large model has hundreds of thousands of links).
    what: Rc<str>,
    /// What it is as the metamodel names it: the relation type, or the referencing property.
    type_id: Rc<str>,
    /// The relation (its index in the model), `None` for a reference.
    relation: Option<usize>,
    /// Rules whose open findings point at it.
    rules: BTreeSet<String>,
}

/// Whose an element is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The architecture's own: declared in the workspace, or imported and owned (`owns`).
    Own,
    /// The national reference model's (imported, not owned).
    National,
    /// Another body's, declared only to show an exchange (`context`).
    Context,
}

/// What the findings say is wrong about edges, by rule: relations whose declaration a finding
/// points at, and consecutive elements of findings' paths.
struct Violations {
    /// By relation index (a large model's links each look theirs up).
    relations: Vec<Option<BTreeSet<String>>>,
    pairs: HashMap<(ElementId, ElementId), BTreeSet<String>>,
    elements_with_findings: HashSet<ElementId>,
}

impl Violations {
    fn collect(checked: &Checked) -> Violations {
        let model = &checked.analysis.model;
        let mut spans: HashMap<Span, BTreeSet<String>> = HashMap::new();
        let mut pairs: HashMap<(ElementId, ElementId), BTreeSet<String>> = HashMap::new();
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
                spans
                    .entry(finding.span)
                    .or_default()
                    .insert(finding.rule.clone());
            }
            let path: Vec<ElementId> = finding
                .path
                .iter()
                .filter_map(|id| model.by_qualified_id.get(id.as_str()).copied())
                .collect();
            for pair in path.windows(2) {
                pairs
                    .entry((pair[0], pair[1]))
                    .or_default()
                    .insert(finding.rule.clone());
            }
        }
        let relations = if spans.is_empty() {
            Vec::new()
        } else {
            model
                .relations
                .iter()
                .map(|relation| spans.get(&relation.span).cloned())
                .collect()
        };
        Violations {
            relations,
            pairs,
            elements_with_findings,
        }
    }

    /// The rules a relation (at `index` in the model) or a step `from → to` violates.
    fn rules(&self, index: Option<usize>, from: ElementId, to: ElementId) -> BTreeSet<String> {
        let mut rules = index
            .and_then(|index| self.relations.get(index)?.as_ref())
            .cloned()
            .unwrap_or_default();
        if let Some(more) = self.pairs.get(&(from, to)) {
            rules.extend(more.iter().cloned());
        }
        rules
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

/// The elements the architecture declares or owns, in element order.
fn own_and_declared(checked: &Checked) -> impl Iterator<Item = &Element> + '_ {
    checked
        .analysis
        .model
        .elements
        .iter()
        .filter(|element| checked.boundary.is_declared_or_owned(element))
}

/// How a band's elements are grouped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Grouping {
    /// One group per kind, ranked by the kind's place in `kinds` (then by kind id).
    ByKind(&'static [&'static str]),
    /// Every element a group of its own, drawn without a frame.
    Alone,
}

/// The group an element joins in its band: its rank among the band's groups (then its key
/// decides), the key, and the frame's label (`None`: drawn alone, without a frame).
struct GroupKey<'e> {
    rank: usize,
    key: Cow<'e, str>,
    label: Option<Rc<str>>,
}

/// Kind names in the report's language, looked up once per kind.
#[derive(Default)]
struct KindNames<'e> {
    names: HashMap<&'e str, Rc<str>>,
}

impl<'e> KindNames<'e> {
    fn get(&mut self, checked: &Checked, language: Language, kind: &'e str) -> Rc<str> {
        self.names
            .entry(kind)
            .or_insert_with(|| kind_name(checked, kind, language).into())
            .clone()
    }
}

impl Grouping {
    fn key<'e>(
        self,
        checked: &Checked,
        language: Language,
        element: &'e Element,
        names: &mut KindNames<'e>,
    ) -> GroupKey<'e> {
        match self {
            Grouping::ByKind(kinds) => GroupKey {
                rank: kinds
                    .iter()
                    .position(|kind| *kind == element.kind.as_str())
                    .unwrap_or(kinds.len()),
                key: Cow::Borrowed(element.kind.as_str()),
                label: Some(names.get(checked, language, element.kind.as_str())),
            },
            Grouping::Alone => GroupKey {
                rank: 0,
                key: Cow::Borrowed(element.qualified_id.as_str()),
                label: None,
            },
        }
    }
}

/// Where each element is drawn: its node, by element id (a map over the model's elements).
struct NodeIndex {
    nodes: Vec<usize>,
}

impl NodeIndex {
    const NONE: usize = usize::MAX;

    fn new(elements: usize) -> Self {
        NodeIndex {
            nodes: vec![Self::NONE; elements],
        }
    }

    fn insert(&mut self, element: ElementId, node: usize) {
        self.nodes[element.index()] = node;
    }

    fn get(&self, element: ElementId) -> Option<&usize> {
        self.nodes
            .get(element.index())
            .filter(|node| **node != Self::NONE)
    }
}

impl std::ops::Index<&ElementId> for NodeIndex {
    type Output = usize;

    fn index(&self, element: &ElementId) -> &usize {
        self.get(*element).expect("the element is drawn")
    }
}

/// The scene's bands, groups and nodes for `members` (band, element), without links; and where
/// each element is drawn.
fn place<'e>(
    checked: &'e Checked,
    texts: &Texts,
    violations: &Violations,
    members: Vec<(usize, &'e Element)>,
    max_boxes: usize,
    grouping: impl Fn(usize) -> Grouping,
) -> (Vec<Group>, Vec<Node>, NodeIndex) {
    let language = texts.language();
    let mut names = KindNames::default();
    place_keyed(
        checked,
        texts,
        violations,
        members,
        max_boxes,
        |band, element| grouping(band).key(checked, language, element, &mut names),
    )
}

/// A group's frame label and elements, while they are gathered.
type Members<'e> = (Option<Rc<str>>, Vec<&'e Element>);

/// [`place`] with any grouping: `group_of` gives each element's group in its band. With more
/// than `max_boxes` members the scene will be drawn as its summary ([`summary`]), which shows a
/// group of several elements as one box: their own names, ids and order are then left out.
fn place_keyed<'e>(
    checked: &'e Checked,
    texts: &Texts,
    violations: &Violations,
    members: Vec<(usize, &'e Element)>,
    max_boxes: usize,
    mut group_of: impl FnMut(usize, &'e Element) -> GroupKey<'e>,
) -> (Vec<Group>, Vec<Node>, NodeIndex) {
    let language = texts.language();
    let summarised = members.len() > max_boxes;
    // Kind names, looked up once per kind.
    let mut kinds: HashMap<&str, (Rc<str>, Rc<str>)> = HashMap::new();
    // (band, (rank, key)) → the frame's label and the elements.
    let mut grouped: BTreeMap<(usize, (usize, Cow<'e, str>)), Members<'e>> = BTreeMap::new();
    for (band, element) in members {
        let GroupKey { rank, key, label } = group_of(band, element);
        grouped
            .entry((band, (rank, key)))
            .or_insert_with(|| (label, Vec::new()))
            .1
            .push(element);
    }
    let mut groups = Vec::new();
    let mut nodes = Vec::new();
    let mut index = NodeIndex::new(checked.analysis.model.elements.len());
    for ((band, rank), (label, mut elements)) in grouped {
        let detail = !summarised || elements.len() == 1;
        if detail {
            elements.sort_by_cached_key(|element| name_order(element));
        }
        let group = groups.len();
        let mut members = Vec::new();
        for element in elements {
            index.insert(element.id, nodes.len());
            members.push(nodes.len());
            let (kind, kind_id) = kinds
                .entry(element.kind.as_str())
                .or_insert_with(|| {
                    (
                        kind_name(checked, &element.kind, language).into(),
                        element.kind.as_str().into(),
                    )
                })
                .clone();
            nodes.push(Node {
                element: element.id,
                id: if detail {
                    element.qualified_id.to_string()
                } else {
                    String::new()
                },
                name: if detail {
                    element.name.clone()
                } else {
                    String::new()
                },
                kind,
                kind_id,
                group,
                findings: violations.elements_with_findings.contains(&element.id),
                side: side(checked, element),
                // The report's element index lists the workspace's elements and the owned ones.
                anchor: (detail && checked.boundary.is_declared_or_owned(element))
                    .then(|| element_anchor(&element.qualified_id)),
            });
        }
        groups.push(Group {
            band,
            label: label.map(|label| label.to_string()),
            key: rank.1.into_owned(),
            rank: rank.0,
            nodes: members,
        });
    }
    (groups, nodes, index)
}

/// Name order a reader can follow: letters without their diacritics first, then the name as
/// written, then the id.
fn name_order(element: &Element) -> (String, String, String) {
    (
        remove_diacritics(&element.name).to_lowercase(),
        element.name.clone(),
        element.qualified_id.to_string(),
    )
}

/// What links are ([`Link::what`], [`Link::type_id`]): relation types' names in the report's
/// language and references' labels, made once per relation type or property and shared by its
/// links.
struct RelationNames<'c> {
    checked: &'c Checked,
    language: Language,
    /// The label before a reference's property (`diagram_bundle_property`).
    property: &'c str,
    names: HashMap<Box<str>, (Rc<str>, Rc<str>)>,
    references: HashMap<Box<str>, (Rc<str>, Rc<str>)>,
}

impl<'c> RelationNames<'c> {
    fn new(checked: &'c Checked, texts: &'c Texts) -> Self {
        RelationNames {
            checked,
            language: texts.language(),
            property: texts.get("diagram_bundle_property"),
            names: HashMap::new(),
            references: HashMap::new(),
        }
    }

    /// A relation's name and type.
    fn get(&mut self, relation_type: &str) -> (Rc<str>, Rc<str>) {
        if let Some((name, id)) = self.names.get(relation_type) {
            return (name.clone(), id.clone());
        }
        let name: Rc<str> = relation_name(self.checked, relation_type, self.language).into();
        let id: Rc<str> = relation_type.into();
        self.names
            .insert(relation_type.into(), (name.clone(), id.clone()));
        (name, id)
    }

    /// A reference's label (`property NAME`) and property.
    fn reference(&mut self, property: &str) -> (Rc<str>, Rc<str>) {
        if let Some((label, id)) = self.references.get(property) {
            return (label.clone(), id.clone());
        }
        let label: Rc<str> = format!("{} {property}", self.property).into();
        let id: Rc<str> = property.into();
        self.references
            .insert(property.into(), (label.clone(), id.clone()));
        (label, id)
    }
}

/// The name of a relation type in the report's language.
fn relation_name(checked: &Checked, relation_type: &str, language: Language) -> String {
    checked
        .metamodel()
        .and_then(|metamodel| metamodel.relation(relation_type))
        .map_or_else(
            || relation_type.to_owned(),
            |definition| definition.name.get(language).to_owned(),
        )
}

fn overview(checked: &Checked, texts: &Texts, violations: &Violations, max_boxes: usize) -> Scene {
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
    let members: Vec<(usize, &Element)> = own_and_declared(checked)
        .filter_map(|element| band_of(element).map(|band| (band, element)))
        // A nested element in the same band as its parent is drawn as its parent.
        .filter(|(band, element)| {
            element
                .parent
                .is_none_or(|parent| band_of(model.element(parent)) != Some(*band))
        })
        .collect();
    let bands: Vec<String> = OVERVIEW_BANDS
        .iter()
        .map(|(key, _)| texts.get(key).to_owned())
        .collect();
    let (groups, nodes, index) = place(checked, texts, violations, members, max_boxes, |band| {
        Grouping::ByKind(OVERVIEW_BANDS[band].1)
    });
    let mut relation_names = RelationNames::new(checked, texts);
    // An element that is not drawn is drawn as its nearest drawn ancestor.
    let drawn = |element: ElementId| -> Option<usize> {
        let mut current = element;
        loop {
            if let Some(&node) = index.get(current) {
                return Some(node);
            }
            current = model.element(current).parent?;
        }
    };
    // About one link per relation and one per element (its references): sized once.
    let mut links = Vec::with_capacity(model.relations.len() + model.elements.len());
    for (position, relation) in model.relations.iter().enumerate() {
        if let (Some(from), Some(to)) = (drawn(relation.source), drawn(relation.target))
            && from != to
        {
            let (what, type_id) = relation_names.get(&relation.relation_type);
            links.push(Link {
                from,
                to,
                what,
                type_id,
                relation: Some(position),
                rules: violations.rules(Some(position), relation.source, relation.target),
            });
        }
    }
    for element in own_and_declared(checked) {
        for (name, entry) in element.properties.iter() {
            if let PropertyValue::Reference(target) = entry.value
                && let (Some(from), Some(to)) = (drawn(element.id), drawn(target))
                && from != to
            {
                let (what, type_id) = relation_names.reference(name);
                links.push(Link {
                    from,
                    to,
                    what,
                    type_id,
                    relation: None,
                    rules: violations.rules(None, element.id, target),
                });
            }
        }
    }
    Scene {
        view: View::Overview,
        prefix: "overview".to_owned(),
        key: "overview".to_owned(),
        ids: String::new(),
        index_ids: String::new(),
        title: texts.get("overview_diagram").to_owned(),
        bands,
        groups,
        nodes,
        links,
        summarised: false,
    }
}

fn integration(
    checked: &Checked,
    texts: &Texts,
    violations: &Violations,
    max_boxes: usize,
) -> Scene {
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
    // Each step of a relation's route (`source → via… → target`), with its relation's index.
    let mut steps: Vec<(usize, ElementId, ElementId)> = Vec::with_capacity(model.relations.len());
    for (position, relation) in model.relations.iter().enumerate() {
        if !INTEGRATION_RELATIONS.contains(&relation.relation_type.as_str()) {
            continue;
        }
        let mut previous = relation.source;
        for next in relation
            .via
            .iter()
            .copied()
            .chain(std::iter::once(relation.target))
        {
            steps.push((position, previous, next));
            previous = next;
        }
    }
    // Each element's band, worked out once (an element is the end of many steps).
    let mut worked_out: Vec<Option<Option<usize>>> = vec![None; model.elements.len()];
    let mut band_of = |element: ElementId| -> Option<usize> {
        *worked_out[element.index()].get_or_insert_with(|| band_of(model.element(element)))
    };
    // Each member's band, by element (in element order, as the elements' ids are).
    let mut members: Vec<Option<usize>> = vec![None; model.elements.len()];
    for (_, from, to) in &steps {
        if let (Some(from_band), Some(to_band)) = (band_of(*from), band_of(*to)) {
            members[from.index()] = Some(from_band);
            members[to.index()] = Some(to_band);
        }
    }
    let bands: Vec<String> = INTEGRATION_BANDS
        .iter()
        .map(|key| texts.get(key).to_owned())
        .collect();
    let (groups, nodes, index) = place(
        checked,
        texts,
        violations,
        members
            .into_iter()
            .zip(&model.elements)
            .filter_map(|(band, element)| Some((band?, element)))
            .collect(),
        max_boxes,
        |band| {
            if band == 1 || band == 2 {
                Grouping::Alone
            } else {
                Grouping::ByKind(&[])
            }
        },
    );
    let mut relation_names = RelationNames::new(checked, texts);
    let mut links = Vec::with_capacity(steps.len());
    for (position, from, to) in steps {
        if let (Some(&from_node), Some(&to_node)) = (index.get(from), index.get(to))
            && from_node != to_node
        {
            let relation = &model.relations[position];
            let (what, type_id) = relation_names.get(&relation.relation_type);
            links.push(Link {
                from: from_node,
                to: to_node,
                what,
                type_id,
                relation: Some(position),
                rules: violations.rules(Some(position), from, to),
            });
        }
    }
    Scene {
        view: View::Integration,
        prefix: "integration".to_owned(),
        key: "integration".to_owned(),
        ids: String::new(),
        index_ids: String::new(),
        title: texts.get("integration_diagram").to_owned(),
        bands,
        groups,
        nodes,
        links,
        summarised: false,
    }
}

/// The neighbourhood bands: the elements related to it, the element, the elements it relates to.
const NEIGHBOURHOOD_BANDS: &[&str] = &[
    "band_neighbourhood_in",
    "band_neighbourhood_element",
    "band_neighbourhood_out",
];

/// An element's neighbourhood: the element (alone in the middle band), its direct relations in
/// both directions and their other ends, and the references from and to it. A relation with the
/// element as an intermediary (`via`) counts as its two steps through the element. The other ends
/// stand above when a link goes from them to the element (both ways included), else below, grouped
/// by kind.
fn neighbourhood_scene(
    checked: &Checked,
    texts: &Texts,
    violations: &Violations,
    centre: ElementId,
) -> Scene {
    let model = &checked.analysis.model;
    // (from, to, relation index or the referencing property).
    let mut steps: Vec<(ElementId, ElementId, Result<usize, String>)> = Vec::new();
    for (position, relation) in model.relations.iter().enumerate() {
        if relation.source == centre || relation.target == centre {
            steps.push((relation.source, relation.target, Ok(position)));
        }
        let chain: Vec<ElementId> = std::iter::once(relation.source)
            .chain(relation.via.iter().copied())
            .chain(std::iter::once(relation.target))
            .collect();
        for (index, element) in chain.iter().enumerate() {
            if *element == centre && index > 0 && index + 1 < chain.len() {
                steps.push((chain[index - 1], centre, Ok(position)));
                steps.push((centre, chain[index + 1], Ok(position)));
            }
        }
    }
    for element in &model.elements {
        for (name, entry) in element.properties.iter() {
            if let PropertyValue::Reference(target) = entry.value
                && (element.id == centre || target == centre)
            {
                steps.push((element.id, target, Err(name.to_string())));
            }
        }
    }
    steps.retain(|(from, to, _)| from != to);
    let mut members: BTreeMap<ElementId, usize> = BTreeMap::new();
    members.insert(centre, 1);
    for (from, to, _) in &steps {
        if *to == centre {
            members.insert(*from, 0);
        } else {
            members.entry(*to).or_insert(2);
        }
    }
    let bands: Vec<String> = NEIGHBOURHOOD_BANDS
        .iter()
        .map(|key| texts.get(key).to_owned())
        .collect();
    let (groups, nodes, index) = place(
        checked,
        texts,
        violations,
        members
            .into_iter()
            .map(|(element, band)| (band, model.element(element)))
            .collect(),
        usize::MAX,
        |band| {
            if band == 1 {
                Grouping::Alone
            } else {
                Grouping::ByKind(&[])
            }
        },
    );
    let mut relation_names = RelationNames::new(checked, texts);
    let links = steps
        .into_iter()
        .map(|(from, to, what)| {
            let ((what, type_id), relation, rules) = match what {
                Ok(position) => (
                    relation_names.get(&model.relations[position].relation_type),
                    Some(position),
                    violations.rules(Some(position), from, to),
                ),
                Err(name) => (
                    relation_names.reference(&name),
                    None,
                    violations.rules(None, from, to),
                ),
            };
            Link {
                from: index[&from],
                to: index[&to],
                what,
                type_id,
                relation,
                rules,
            }
        })
        .collect();
    let element = model.element(centre);
    Scene {
        view: View::Neighbourhood,
        prefix: "neighbourhood".to_owned(),
        key: "neighbourhood".to_owned(),
        ids: String::new(),
        index_ids: String::new(),
        title: texts
            .get("neighbourhood_diagram")
            .replace("{name}", &element.name),
        bands,
        groups,
        nodes,
        links,
        summarised: false,
    }
}

/// Splits a text into at most `lines` lines of about `width` characters, with an ellipsis when
/// cut. The text is measured as it is shown: a control or bidirectional character as its visible
/// form (`⟨U+202E⟩`, [`crate::escape::neutralise`]), which the SVG's escaping leaves as is.
fn wrap(text: &str, width: usize, lines_at_most: usize) -> Vec<String> {
    let text = crate::escape::neutralise(text, crate::escape::Breaks::Space);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut cut = false;
    for word in text.split_whitespace() {
        let candidate_length =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if candidate_length <= width || current.is_empty() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        } else {
            lines.push(std::mem::take(&mut current));
            if lines.len() == lines_at_most {
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

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn names_wrap_into_lines_with_an_ellipsis() {
        assert_eq!(wrap("Cổng dịch vụ công", 26, 2), vec!["Cổng dịch vụ công"]);
        assert_eq!(
            wrap(
                "Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hà Nội",
                26,
                2
            ),
            vec!["Hệ thống thông tin giải", "quyết thủ tục hành chính…"]
        );
        assert_eq!(
            wrap(
                "Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hà Nội",
                24,
                3
            ),
            vec![
                "Hệ thống thông tin giải",
                "quyết thủ tục hành chính",
                "thành phố Hà Nội"
            ]
        );
        assert_eq!(wrap("x".repeat(40).as_str(), 10, 2), vec!["xxxxxxxxx…"]);
        // Measured as shown: the override character is eight characters wide.
        assert_eq!(
            wrap("ab\u{202E}cd efgh", 12, 2),
            vec!["ab⟨U+202E⟩cd", "efgh"]
        );
    }
}
