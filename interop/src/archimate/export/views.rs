//! The views of an export: the report's overview and integration diagram and the views the
//! workspace declares, laid out by
//! [`kientruc_reports::diagram::layouts`], as `ArchiMate` diagrams: bands and kind groups as
//! containers, elements as boxes with the report's bounds (grey for the national model's and
//! another body's, outlined red with open findings), a connection for every relation and
//! reference a view links.

use super::{Drawn, Exporter};
use crate::archimate::xml::Writer;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::model::ElementId;
use kientruc_reports::diagram::{LaidOutView, Side};
use kientruc_reports::i18n::Texts;
use std::collections::{BTreeSet, HashMap};

impl Exporter<'_> {
    pub(super) fn write_views(&mut self, writer: &mut Writer, views: &[LaidOutView]) {
        writer.open("views", &[]);
        writer.open("diagrams", &[]);
        for view in views {
            self.write_view(writer, view);
        }
        writer.close("diagrams");
        writer.close("views");
    }

    fn write_view(&mut self, writer: &mut Writer, view: &LaidOutView) {
        let key = view.id.as_str();
        let identifier = self.unique(None, &format!("id-view-{key}"), "");
        let declared = self
            .checked
            .analysis
            .model
            .views
            .iter()
            .find(|declared| declared.id == key);
        writer.open(
            "view",
            &[("identifier", &identifier), ("xsi:type", "Diagram")],
        );
        let title = |language| match declared {
            Some(declared) => declared.title_in(language == Language::En).to_owned(),
            None => Texts::of(self.checked, language)
                .get(&format!("{key}_diagram"))
                .to_owned(),
        };
        Self::names(
            writer,
            "name",
            &title(Language::Vi),
            Some(&title(Language::En)),
        );
        // Nodes: bands hold groups, groups hold boxes (an element drawn alone sits in its band).
        let mut node_ids: HashMap<ElementId, String> = HashMap::new();
        for (band_index, band) in view.bands.iter().enumerate() {
            if band.groups.is_empty() {
                continue;
            }
            let band_id = self.unique(None, &format!("id-view-{key}-band-{band_index}"), "");
            let band_bounds = bounds(band.x, band.y, band.width, band.height);
            writer.open(
                "node",
                &node_attributes(&band_id, None, "Container", &band_bounds),
            );
            writer.text("label", &[("xml:lang", self.language_code())], &band.title);
            for group_index in &band.groups {
                let group = &view.groups[*group_index];
                let framed = group.label.is_some();
                if let Some(label) = &group.label {
                    let group_id =
                        self.unique(None, &format!("id-view-{key}-group-{group_index}"), "");
                    let group_bounds = bounds(group.x, group.y, group.width, group.height);
                    writer.open(
                        "node",
                        &node_attributes(&group_id, None, "Container", &group_bounds),
                    );
                    writer.text("label", &[("xml:lang", self.language_code())], label);
                }
                for node_index in &group.nodes {
                    let node = &view.nodes[*node_index];
                    let node_id =
                        self.unique(None, &format!("id-view-{key}-node-{node_index}"), "");
                    node_ids.insert(node.element, node_id.clone());
                    let element_ref = self.element_ids[node.element.index()].clone();
                    let node_bounds = bounds(node.x, node.y, node.width, node.height);
                    let attributes =
                        node_attributes(&node_id, Some(&element_ref), "Element", &node_bounds);
                    let fill = (node.side != Side::Own).then_some((235, 235, 235));
                    let line = node.findings.then_some((198, 40, 40));
                    if fill.is_none() && line.is_none() {
                        writer.empty("node", &attributes);
                    } else {
                        writer.open("node", &attributes);
                        writer.open("style", &[]);
                        if let Some((r, g, b)) = line {
                            colour(writer, "lineColor", r, g, b);
                        }
                        if let Some((r, g, b)) = fill {
                            colour(writer, "fillColor", r, g, b);
                        }
                        writer.close("style");
                        writer.close("node");
                    }
                }
                if framed {
                    writer.close("node");
                }
            }
            writer.close("node");
        }
        // Connections: every relation and reference the view links, between the boxes of its
        // two ends (the steps of a `via` route have no relationship of their own).
        let mut drawn: BTreeSet<usize> = BTreeSet::new();
        for link in &view.links {
            for relation in &link.relations {
                if let Some(&index) = self.drawn.get(&Drawn::Relation(*relation)) {
                    drawn.insert(index);
                }
            }
            let source = view.nodes[link.source].element;
            for link_type in link.types.iter().filter(|link_type| link_type.property) {
                if let Some(&index) = self
                    .drawn
                    .get(&Drawn::Reference(source, link_type.id.clone()))
                {
                    drawn.insert(index);
                }
            }
        }
        let by_identifier: HashMap<&str, ElementId> = self
            .element_ids
            .iter()
            .enumerate()
            .map(|(index, id)| (id.as_str(), ElementId(index as u32)))
            .collect();
        let mut connections = Vec::new();
        for index in drawn {
            let relationship = &self.relationships[index];
            let ends = (
                by_identifier
                    .get(relationship.source.as_str())
                    .and_then(|element| node_ids.get(element)),
                by_identifier
                    .get(relationship.target.as_str())
                    .and_then(|element| node_ids.get(element)),
            );
            if let (Some(source), Some(target)) = ends {
                connections.push((
                    relationship.identifier.clone(),
                    source.clone(),
                    target.clone(),
                ));
            }
        }
        for (position, (relationship, source, target)) in connections.into_iter().enumerate() {
            let identifier = self.unique(None, &format!("id-view-{key}-connection-{position}"), "");
            writer.empty(
                "connection",
                &[
                    ("identifier", &identifier),
                    ("relationshipRef", &relationship),
                    ("xsi:type", "Relationship"),
                    ("source", &source),
                    ("target", &target),
                ],
            );
        }
        writer.close("view");
    }
}

/// x, y, w, h as the schema wants them: coordinates at least 0, sizes at least 1.
fn bounds(x: i64, y: i64, width: i64, height: i64) -> [String; 4] {
    [
        x.max(0).to_string(),
        y.max(0).to_string(),
        width.max(1).to_string(),
        height.max(1).to_string(),
    ]
}

fn node_attributes<'a>(
    identifier: &'a str,
    element: Option<&'a str>,
    node_type: &'a str,
    bounds: &'a [String; 4],
) -> Vec<(&'a str, &'a str)> {
    let mut attributes = vec![("identifier", identifier)];
    if let Some(element) = element {
        attributes.push(("elementRef", element));
    }
    attributes.extend([
        ("xsi:type", node_type),
        ("x", bounds[0].as_str()),
        ("y", bounds[1].as_str()),
        ("w", bounds[2].as_str()),
        ("h", bounds[3].as_str()),
    ]);
    attributes
}

fn colour(writer: &mut Writer, tag: &str, r: u8, g: u8, b: u8) {
    writer.empty(
        tag,
        &[
            ("r", &r.to_string()),
            ("g", &g.to_string()),
            ("b", &b.to_string()),
        ],
    );
}
