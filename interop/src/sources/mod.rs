//! Diagram sources: the report's overview and integration view, and an element's neighbourhood,
//! written in Mermaid, D2, Graphviz DOT or `PlantUML`, so that they render in GitHub and GitLab
//! Markdown, D2, Graphviz and `PlantUML`.
//!
//! Every format draws the same picture, the one the report draws
//! ([`kientruc_reports::diagram::layouts`], [`kientruc_reports::diagram::neighbourhood`]): the
//! bands as the outer containers (Mermaid subgraphs, D2 containers, DOT clusters, `PlantUML`
//! rectangles), a band's elements grouped by kind in inner containers named after the kind (an
//! element the report draws alone, as the LGSP, stands in its band with its kind under its name),
//! one edge per ordered pair of elements labelled with its relation types (`×N` when several),
//! red with the rules when open findings point at it; the national reference model's boxes
//! dashed, another body's dotted, an element with findings outlined in red. A band without
//! elements is left out.
//!
//! Model text never becomes syntax: every name is [`neutralise`]d (one line, control and
//! bidirectional characters shown as `⟨U+XXXX⟩`) and then escaped by its language's own rules
//! (each module says how); identifiers are generated (`b1`, `g1` for bands and groups, `e_` and
//! the element's id with every character outside `[A-Za-z0-9_]` made `_`, numbered when two
//! collide), never a name. The output depends only on the model and the language: the same
//! model gives the same bytes.

mod d2;
mod dot;
mod mermaid;
mod plantuml;

use kientruc_checker::Checked;
use kientruc_reports::diagram::{self, LaidOutLink, LaidOutNode, LaidOutView, Side};
use kientruc_reports::escape::{Breaks, neutralise};
use kientruc_reports::i18n::Texts;
use std::collections::HashSet;

/// The languages a diagram source is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    /// A Mermaid flowchart (GitHub, GitLab and many Markdown renderers draw it in place).
    Mermaid,
    /// D2 (Terrastruct's diagram language).
    D2,
    /// Graphviz DOT.
    Dot,
    /// `PlantUML`.
    Plantuml,
}

impl SourceFormat {
    /// The usual file extension: `mmd`, `d2`, `dot`, `puml`.
    pub fn extension(self) -> &'static str {
        match self {
            SourceFormat::Mermaid => "mmd",
            SourceFormat::D2 => "d2",
            SourceFormat::Dot => "dot",
            SourceFormat::Plantuml => "puml",
        }
    }
}

/// Which picture: `--view overview|integration|ELEMENT_ID`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewChoice {
    Overview,
    Integration,
    /// A view the workspace declares, else an element's neighbourhood (by its qualified id).
    Element(String),
}

impl ViewChoice {
    /// `overview` and `integration` name the views (they win over an element of that id); any
    /// other word names a declared view, else an element; no word is the overview.
    pub fn parse(word: Option<&str>) -> ViewChoice {
        match word {
            None | Some("overview") => ViewChoice::Overview,
            Some("integration") => ViewChoice::Integration,
            Some(element) => ViewChoice::Element(element.to_owned()),
        }
    }
}

/// Why a diagram source cannot be written.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// `--view` names neither a view nor an element of the model.
    #[error("`{word}` is neither a view (overview, integration, or one the workspace declares) nor an element of the model{}", suggestion.as_ref().map(|best| format!("; did you mean `{best}`?")).unwrap_or_default())]
    UnknownView {
        word: String,
        suggestion: Option<String>,
    },
}

/// The picture `choice` names, laid out as the report lays it out.
pub fn view(
    checked: &Checked,
    texts: &Texts,
    choice: &ViewChoice,
) -> Result<LaidOutView, SourceError> {
    match choice {
        ViewChoice::Overview => Ok(diagram::layouts(checked, texts).swap_remove(0)),
        ViewChoice::Integration => Ok(diagram::layouts(checked, texts).swap_remove(1)),
        ViewChoice::Element(id) => diagram::declared_layout(checked, texts, id)
            .or_else(|| diagram::neighbourhood(checked, texts, id))
            .ok_or_else(|| {
                let model = &checked.analysis.model;
                let candidates = ["overview", "integration"]
                    .into_iter()
                    .chain(model.views.iter().map(|view| view.id.as_str()))
                    .chain(
                        model
                            .elements
                            .iter()
                            .map(|element| element.qualified_id.as_str()),
                    );
                SourceError::UnknownView {
                    word: id.clone(),
                    suggestion: kientruc_dsl::resolve::suggest(id, candidates).map(str::to_owned),
                }
            }),
    }
}

/// The diagram source of `choice` in `format`.
pub fn export(
    checked: &Checked,
    texts: &Texts,
    format: SourceFormat,
    choice: &ViewChoice,
) -> Result<String, SourceError> {
    Ok(write(&view(checked, texts, choice)?, texts, format))
}

/// `view` written in `format`.
pub fn write(view: &LaidOutView, texts: &Texts, format: SourceFormat) -> String {
    let picture = Picture::new(view, texts);
    match format {
        SourceFormat::Mermaid => mermaid::write(&picture),
        SourceFormat::D2 => d2::write(&picture),
        SourceFormat::Dot => dot::write(&picture),
        SourceFormat::Plantuml => plantuml::write(&picture),
    }
}

/// The band fills of the report's SVG, in band order.
const BAND_FILLS: [&str; 6] = [
    "#eef4fb", "#f3f0fa", "#eef7f1", "#fdf5e9", "#eef6f7", "#f4f4f4",
];
const BAND_STROKE: &str = "#d5dbe3";
const GROUP_STROKE: &str = "#b7c2ce";
const RED: &str = "#c62828";
const GREY: &str = "#52606d";
/// Where the formats that never wrap text (DOT, D2, `PlantUML`) wrap a box's name and an edge's
/// label, in characters.
const NODE_WIDTH: usize = 26;
const EDGE_WIDTH: usize = 32;

/// What every format draws, with generated identifiers and labels as lines of plain text (not
/// yet escaped: each format escapes them its own way).
struct Picture {
    title: String,
    /// The bands that hold elements, top to bottom.
    bands: Vec<Band>,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    /// The line shown when the view holds no element.
    empty: Option<String>,
}

struct Band {
    id: String,
    title: String,
    fill: &'static str,
    /// Framed groups, in the report's order.
    groups: Vec<Group>,
    /// Elements drawn alone in the band (no frame), in the report's order.
    loose: Vec<usize>,
}

struct Group {
    id: String,
    /// The kind's name.
    title: String,
    nodes: Vec<usize>,
}

struct Node {
    id: String,
    /// The name, and for an element drawn alone its kind's name.
    lines: Vec<String>,
    side: Side,
    findings: bool,
    /// The band's and group's ids above it (D2 names a nested shape by its path).
    path: Vec<String>,
}

struct Edge {
    from: usize,
    to: usize,
    /// What the links are; when red, a second line with the rules.
    lines: Vec<String>,
    red: bool,
}

/// Model text on one line, with control and bidirectional characters shown as `⟨U+XXXX⟩`.
fn plain(text: &str) -> String {
    neutralise(text, Breaks::Space).into_owned()
}

impl Picture {
    fn new(view: &LaidOutView, texts: &Texts) -> Picture {
        let ids = node_ids(&view.nodes);
        let mut paths: Vec<Vec<String>> = vec![Vec::new(); view.nodes.len()];
        let mut bands = Vec::new();
        for (band_index, band) in view.bands.iter().enumerate() {
            if band.groups.is_empty() {
                continue;
            }
            let band_id = format!("b{}", band_index + 1);
            let mut groups = Vec::new();
            let mut loose = Vec::new();
            for group_index in &band.groups {
                let group = &view.groups[*group_index];
                match &group.label {
                    Some(label) => {
                        let group_id = format!("g{}", group_index + 1);
                        for node in &group.nodes {
                            paths[*node] = vec![band_id.clone(), group_id.clone()];
                        }
                        groups.push(Group {
                            id: group_id,
                            title: plain(label),
                            nodes: group.nodes.clone(),
                        });
                    }
                    None => {
                        for node in &group.nodes {
                            paths[*node] = vec![band_id.clone()];
                            loose.push(*node);
                        }
                    }
                }
            }
            bands.push(Band {
                id: band_id,
                title: plain(&band.title),
                fill: BAND_FILLS[band_index % BAND_FILLS.len()],
                groups,
                loose,
            });
        }
        let nodes = view
            .nodes
            .iter()
            .zip(ids)
            .zip(paths)
            .map(|((node, id), path)| Node {
                id,
                lines: node_lines(view, node),
                side: node.side,
                findings: node.findings,
                path,
            })
            .collect();
        let edges = view
            .links
            .iter()
            .map(|link| Edge {
                from: link.source,
                to: link.target,
                lines: edge_lines(link, texts),
                red: link.violating,
            })
            .collect();
        Picture {
            title: plain(&view.title),
            bands,
            nodes,
            edges,
            empty: view
                .nodes
                .is_empty()
                .then(|| texts.get("diagram_empty").to_owned()),
        }
    }
}

/// `e_` and the element's id with every character outside `[A-Za-z0-9_]` made `_`; `_2`, `_3`, …
/// added when two ids would be the same.
fn node_ids(nodes: &[LaidOutNode]) -> Vec<String> {
    let mut used = HashSet::new();
    nodes
        .iter()
        .map(|node| {
            let base: String = std::iter::once("e_".to_owned())
                .chain(node.id.chars().map(|character| {
                    if character.is_ascii_alphanumeric() || character == '_' {
                        character.to_string()
                    } else {
                        "_".to_owned()
                    }
                }))
                .collect();
            let mut id = base.clone();
            let mut number = 1;
            while !used.insert(id.clone()) {
                number += 1;
                id = format!("{base}_{number}");
            }
            id
        })
        .collect()
}

fn node_lines(view: &LaidOutView, node: &LaidOutNode) -> Vec<String> {
    let mut lines = vec![plain(&node.name)];
    if view.groups[node.group].label.is_none() {
        lines.push(plain(&node.kind_name));
    }
    lines
}

/// `trao đổi dữ liệu với ×2, khai thác dữ liệu`, and when red `Vi phạm ARM-001, DRM-001`.
fn edge_lines(link: &LaidOutLink, texts: &Texts) -> Vec<String> {
    let what: Vec<String> = link
        .types
        .iter()
        .map(|kind| {
            if kind.count > 1 {
                format!("{} ×{}", kind.name, kind.count)
            } else {
                kind.name.clone()
            }
        })
        .collect();
    let mut lines = vec![plain(&what.join(", "))];
    if link.violating {
        lines.push(plain(&format!(
            "{} {}",
            texts.get("diagram_bundle_violation"),
            link.rules.join(", ")
        )));
    }
    lines
}

/// Boxes a framed group stands in per row at most, for the formats whose layout would otherwise
/// put a band's elements side by side in one long row (DOT, `PlantUML`): a group of `n` boxes
/// takes rows of `⌈√n⌉`, tied by invisible edges from each box to the one under it.
fn columns(count: usize) -> usize {
    (1..=count)
        .find(|columns| columns * columns >= count)
        .unwrap_or(1)
}

/// `line` cut into lines of at most `width` characters where it has a space (a longer word stays
/// whole); each cut takes the place of one space, so the lines joined by spaces give `line` back.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut length = 0;
    for (number, word) in line.split(' ').enumerate() {
        let word_length = word.chars().count();
        if number > 0 && length > 0 && length + 1 + word_length > width {
            lines.push(std::mem::take(&mut current));
            length = 0;
        } else if number > 0 {
            current.push(' ');
            length += 1;
        }
        current.push_str(word);
        length += word_length;
    }
    lines.push(current);
    lines
}

/// Every line of `lines` wrapped at `width`.
fn wrap_all(lines: &[String], width: usize) -> Vec<String> {
    lines.iter().flat_map(|line| wrap(line, width)).collect()
}

#[cfg(test)]
mod tests {
    use super::{columns, wrap};

    #[test]
    fn lines_wrap_at_spaces_and_join_back() {
        let name = "Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hà Nội";
        let lines = wrap(name, 26);
        assert_eq!(
            lines,
            [
                "Hệ thống thông tin giải",
                "quyết thủ tục hành chính",
                "thành phố Hà Nội"
            ]
        );
        assert_eq!(lines.join(" "), name);
        for text in [
            "a  b   c",
            " a",
            "a ",
            "",
            "ĐườngĐườngĐườngĐườngĐường x",
            "a b",
        ] {
            assert_eq!(wrap(text, 3).join(" "), text, "{text:?}");
        }
        assert_eq!(wrap("ĐườngĐườngĐường x", 5), ["ĐườngĐườngĐường", "x"]);
    }

    #[test]
    fn groups_are_about_square() {
        assert_eq!(
            [1, 2, 3, 4, 5, 9, 10, 15, 16, 17].map(columns),
            [1, 2, 2, 2, 3, 3, 4, 4, 4, 5]
        );
    }
}
