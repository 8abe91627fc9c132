//! The report's diagrams as data (`diagram::layouts`, `diagram::neighbourhood`), which the
//! `ArchiMate` views and the diagram sources of `kientruc export` draw: held against the SVG the
//! report draws for the small fixture (every box where the SVG puts it, the red connections with
//! their rules, the links counted as the bundles count them), and snapshotted as text.

mod common;

use kientruc_reports::Language;
use kientruc_reports::diagram::{self, LaidOutView, Side, View};
use kientruc_reports::escape::xml;
use kientruc_reports::i18n::Texts;
use std::collections::BTreeSet;
use std::fmt::Write as _;

fn small() -> kientruc_checker::Checked {
    common::check(&[
        (
            "architecture.ea",
            include_str!("fixtures/small/architecture.ea"),
        ),
        ("roadmap.ea", include_str!("fixtures/small/roadmap.ea")),
    ])
}

/// The first number after `attribute="` in `text`.
fn number_after(text: &str, attribute: &str) -> i64 {
    let start = text.find(&format!("{attribute}=\"")).unwrap() + attribute.len() + 2;
    let end = start + text[start..].find('"').unwrap();
    text[start..end].parse().unwrap()
}

#[test]
fn the_layouts_are_the_scenes_the_report_draws() {
    let checked = small();
    for language in [Language::Vi, Language::En] {
        let texts = Texts::new(language, None, None);
        let svgs = diagram::render(
            &checked,
            &texts,
            &diagram::Page {
                ids: "",
                index_ids: "",
                max_boxes: diagram::MAX_BOXES,
            },
        );
        let views = diagram::layouts(&checked, &texts);
        assert_eq!(
            views.iter().map(|view| view.view).collect::<Vec<_>>(),
            [View::Overview, View::Integration]
        );
        for (view, svg) in views
            .iter()
            .zip([&svgs.overview.svg, &svgs.integration.svg])
        {
            assert!(svg.contains(&format!("viewBox=\"0 0 {} {}\"", view.width, view.height)));
            assert!(svg.contains(&format!(
                "<title id=\"{}-title\">{}</title>",
                view.view.name(),
                xml(&view.title)
            )));
            assert!(!view.nodes.is_empty());
            for node in &view.nodes {
                let title = format!(
                    "<title>{} ({}) — {}</title>",
                    xml(&node.name),
                    xml(&node.id),
                    xml(&node.kind_name)
                );
                let at = svg.find(&title).unwrap_or_else(|| panic!("{title}"));
                let rect = &svg[at..];
                assert_eq!(
                    (number_after(rect, "x"), number_after(rect, "y")),
                    (node.x, node.y),
                    "{}",
                    node.id
                );
                assert_eq!(
                    (node.width, node.height),
                    (number_after(rect, "width"), number_after(rect, "height"))
                );
                let group = &view.groups[node.group];
                assert!(
                    group
                        .nodes
                        .contains(&(view.nodes.iter().position(|n| n.id == node.id).unwrap()))
                );
                assert!(group.x <= node.x && node.x + node.width <= group.x + group.width);
                assert!(group.y <= node.y && node.y + node.height <= group.y + group.height);
                let band = &view.bands[node.band];
                assert!(band.y <= group.y && group.y + group.height <= band.y + band.height);
                assert!(band.groups.contains(&node.group));
            }
            // The links are those the bundles count.
            let bundled: usize = svg
                .match_indices("data-count=\"")
                .map(|(at, _)| number_after(&svg[at..], "data-count") as usize)
                .sum();
            let counted: usize = view.links.iter().map(|link| link.count).sum();
            assert_eq!(bundled, counted);
            for link in &view.links {
                assert_eq!(
                    link.count,
                    link.types.iter().map(|kind| kind.count).sum::<usize>()
                );
                assert_eq!(link.violating, !link.rules.is_empty());
            }
            // The red connections are the violating links, with their rules.
            let red: BTreeSet<(String, String, String)> = svg
                .match_indices("<g class=\"edge violating\" data-from=\"")
                .map(|(at, _)| {
                    let rest = &svg[at..];
                    let attribute = |name: &str| {
                        let start = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                        rest[start..start + rest[start..].find('"').unwrap()].to_owned()
                    };
                    (
                        attribute("data-from"),
                        attribute("data-to"),
                        attribute("data-rules"),
                    )
                })
                .collect();
            let violating: BTreeSet<(String, String, String)> = view
                .links
                .iter()
                .filter(|link| link.violating)
                .map(|link| {
                    (
                        xml(&view.nodes[link.source].id),
                        xml(&view.nodes[link.target].id),
                        link.rules.join(" "),
                    )
                })
                .collect();
            assert_eq!(red, violating);
            assert!(!red.is_empty(), "the small fixture has red connections");
        }
    }
}

/// A view as text: bands, groups, boxes, links.
fn dump(view: &LaidOutView) -> String {
    let mut out = format!(
        "{} \"{}\" {}×{}\n",
        view.view.name(),
        view.title,
        view.width,
        view.height
    );
    for (band_index, band) in view.bands.iter().enumerate() {
        let _ = writeln!(
            out,
            "band {band_index} \"{}\" at {},{} {}×{}",
            band.title, band.x, band.y, band.width, band.height
        );
        for group_index in &band.groups {
            let group = &view.groups[*group_index];
            let _ = writeln!(
                out,
                "  group {group_index} {} {:?} at {},{} {}×{}",
                group.key, group.label, group.x, group.y, group.width, group.height
            );
            for node_index in &group.nodes {
                let node = &view.nodes[*node_index];
                let side = match node.side {
                    Side::Own => "own",
                    Side::National => "national",
                    Side::Context => "context",
                };
                let _ = writeln!(
                    out,
                    "    node {node_index} {} \"{}\" {} ({}) {side}{} at {},{}",
                    node.id,
                    node.name,
                    node.kind,
                    node.kind_name,
                    if node.findings { " findings" } else { "" },
                    node.x,
                    node.y
                );
            }
        }
    }
    for link in &view.links {
        let types: Vec<String> = link
            .types
            .iter()
            .map(|kind| {
                format!(
                    "{}{} \"{}\" ×{}",
                    if kind.property { "property " } else { "" },
                    kind.id,
                    kind.name,
                    kind.count
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "link {} -> {} ×{} [{}] relations {:?}{}",
            view.nodes[link.source].id,
            view.nodes[link.target].id,
            link.count,
            types.join(", "),
            link.relations,
            if link.violating {
                format!(" red {}", link.rules.join(","))
            } else {
                String::new()
            }
        );
    }
    out
}

#[test]
fn layouts_snapshot() {
    let checked = small();
    let texts = Texts::new(Language::Vi, None, None);
    let views = diagram::layouts(&checked, &texts);
    insta::assert_snapshot!("small_overview_layout", dump(&views[0]));
    insta::assert_snapshot!("small_integration_layout", dump(&views[1]));
}

#[test]
fn a_neighbourhood_holds_the_direct_relations_both_ways() {
    let checked = small();
    let english = Texts::new(Language::En, None, None);
    // The LGSP: an intermediary of three relations, its own exchange with the NDXP, its host.
    let lgsp = diagram::neighbourhood(&checked, &english, "lgsp").unwrap();
    insta::assert_snapshot!("small_neighbourhood_lgsp_en", dump(&lgsp));
    assert_eq!(lgsp.view, View::Neighbourhood);
    assert_eq!(
        lgsp.title,
        "Direct relations of Nền tảng tích hợp, chia sẻ dữ liệu tỉnh (LGSP)"
    );
    let centre = &lgsp.bands[1];
    assert_eq!(centre.groups.len(), 1);
    assert_eq!(
        lgsp.nodes[lgsp.groups[centre.groups[0]].nodes[0]].id,
        "lgsp"
    );
    // Every link touches the element.
    let lgsp_node = lgsp
        .nodes
        .iter()
        .position(|node| node.id == "lgsp")
        .unwrap();
    assert!(
        lgsp.links
            .iter()
            .all(|link| link.source == lgsp_node || link.target == lgsp_node)
    );
    // A system that only receives from it and is never drawn elsewhere: the national database
    // reached through the NDXP is not a direct relation of the LGSP.
    assert!(
        !lgsp
            .nodes
            .iter()
            .any(|node| node.id == "national.csdl_dan_cu")
    );
    let system = diagram::neighbourhood(
        &checked,
        &Texts::new(Language::Vi, None, None),
        "he_thong_mot_cua",
    )
    .unwrap();
    insta::assert_snapshot!("small_neighbourhood_system_vi", dump(&system));
    assert!(diagram::neighbourhood(&checked, &english, "no_such_element").is_none());
}
