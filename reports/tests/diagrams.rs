//! The diagrams of Hanoi's HTML report (issue 20, item 8), read from the SVG a reader gets and
//! held against the model: the integration view draws every element it selects (no "+N more"
//! box); the overview bundles its relations (one line per pair of groups, far fewer lines than
//! relations) and every relation between two drawn elements is counted in exactly one bundle;
//! connections that open findings point at are drawn red with their rules; no line crosses a
//! box, and no bundle enters a group's frame; the SVG is the same on every run. The diagrams of
//! the small fixture of `reports.rs` are snapshotted alone, so that a change to the layout shows
//! as a change to the diagrams' snapshot.

use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::model::{Element, ElementId, PropertyValue};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{FrameworkPack, MemoryProvider, MemoryRegistry};
use kientruc_reports::i18n::Texts;
use kientruc_reports::{Format, Language, ReportOptions, diagram, render};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `folder` whose name ends with one of `endings`, by its path below `folder`.
fn files(folder: &Path, endings: &[&str]) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if endings
                .iter()
                .any(|ending| path.to_string_lossy().ends_with(ending))
            {
                let name = path
                    .strip_prefix(folder)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    found
}

/// Hanoi checked with the vn-egov-3.0 pack and its own overlay, as the CLI reads them.
fn hanoi() -> Checked {
    let pack = repository().join("architecture/frameworks/vn-egov-3.0");
    let mut pack_files: BTreeMap<String, Arc<str>> = BTreeMap::new();
    for name in [
        "framework.toml",
        "metamodel.toml",
        "national.ea",
        "documents.toml",
    ] {
        pack_files.insert(
            name.to_owned(),
            Arc::from(std::fs::read_to_string(pack.join(name)).unwrap()),
        );
    }
    for (name, text) in files(&pack.join("rules"), &[".toml"]) {
        pack_files.insert(format!("rules/{name}"), Arc::from(text));
    }
    let registry = MemoryRegistry {
        packs: vec![FrameworkPack {
            id: "vn-egov-3.0".to_owned(),
            origin: "test".to_owned(),
            display_root: None,
            files: pack_files,
        }],
    };
    let root = Path::new("/ws");
    let mut provider = MemoryProvider::default();
    let mut entries = Vec::new();
    for (name, text) in files(&repository().join("architecture/hanoi"), &[".ea", ".toml"]) {
        // The overlay's rule fixtures are not part of the model.
        if name.ends_with(".ea") && !name.contains('/') {
            entries.push(root.join(&name));
        }
        provider.insert(root.join(&name), text);
    }
    analyze_and_check(
        root,
        &entries,
        &provider,
        &registry,
        CheckOptions::on(Date::new(2026, 1, 1).unwrap()),
    )
}

/// The SVG of the diagram `name` (`overview`, `integration`), in the first language of the page.
fn svg<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html
        .find(&format!("{name}-svg\""))
        .unwrap_or_else(|| panic!("no {name} diagram"));
    let start = html[..at].rfind("<svg").unwrap();
    let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
    &html[start..end]
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap() + open.len();
    &text[start..start + text[start..].find(close).unwrap()]
}

fn attribute<'a>(text: &'a str, name: &str) -> &'a str {
    between(text, &format!(" {name}=\""), "\"")
}

fn number(text: &str, name: &str) -> i64 {
    attribute(text, name).parse().unwrap()
}

/// A box or frame: left, top, right, bottom.
type Rectangle = (i64, i64, i64, i64);

fn rectangle(part: &str) -> Rectangle {
    let rect = &part[part.find("<rect").unwrap()..];
    let (x, y) = (number(rect, "x"), number(rect, "y"));
    (x, y, x + number(rect, "width"), y + number(rect, "height"))
}

/// Each drawn element: its qualified id (from the box's title, "name (id) — kind") and its box.
fn nodes(svg: &str) -> Vec<(String, Rectangle)> {
    svg.split("<g class=\"node")
        .skip(1)
        // `<g class="nodes">` holds them.
        .filter(|part| !part.starts_with('s'))
        .map(|part| {
            let title = between(part, "<title>", "</title>");
            let named = &title[..title.rfind(" — ").unwrap()];
            let id = &named[named.rfind('(').unwrap() + 1..named.len() - 1];
            (id.to_owned(), rectangle(part))
        })
        .collect()
}

fn frames(svg: &str) -> Vec<Rectangle> {
    svg.split("<g class=\"group\">")
        .skip(1)
        .map(rectangle)
        .collect()
}

struct Bundle {
    count: usize,
    groups: (String, String),
    points: Vec<(i64, i64)>,
}

fn bundles(svg: &str) -> Vec<Bundle> {
    svg.split("<g class=\"edge bundle\"")
        .skip(1)
        .map(|part| {
            assert!(part.contains("<title>"), "a bundle has a title");
            let (first, second) = attribute(part, "data-between").split_once(' ').unwrap();
            let (low, high) = (first.to_owned(), second.to_owned());
            Bundle {
                count: attribute(part, "data-count").parse().unwrap(),
                groups: if low <= high {
                    (low, high)
                } else {
                    (high, low)
                },
                points: points(attribute(part, "d")),
            }
        })
        .collect()
}

struct Red {
    from: String,
    to: String,
    rules: BTreeSet<String>,
    points: Vec<(i64, i64)>,
}

fn reds(svg: &str) -> Vec<Red> {
    svg.split("<g class=\"edge violating\"")
        .skip(1)
        .map(|part| {
            let title = between(part, "<title>", "</title>");
            let (from, to) = (attribute(part, "data-from"), attribute(part, "data-to"));
            assert!(
                title.contains(&format!("({from})")) && title.contains(&format!("({to})")),
                "a red line's title names its elements: {title}"
            );
            let rules: BTreeSet<String> = attribute(part, "data-rules")
                .split(' ')
                .map(str::to_owned)
                .collect();
            for rule in &rules {
                assert!(title.contains(rule.as_str()), "{title} names {rule}");
            }
            assert_eq!(attribute(part, "stroke"), "#c62828", "drawn red");
            Red {
                from: from.to_owned(),
                to: to.to_owned(),
                rules,
                points: points(attribute(part, "d")),
            }
        })
        .collect()
}

/// The corners of a path of `M`, `L` and `Q` commands (a rounded corner's control point is the
/// corner): every stretch between two of them is horizontal or vertical.
fn points(d: &str) -> Vec<(i64, i64)> {
    d.split(|character: char| character == ' ' || character.is_ascii_uppercase())
        .filter(|token| !token.is_empty())
        .map(|token| {
            let (x, y) = token.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

/// Whether the stretch from `a` to `b` passes through the inside of `rectangle`.
fn crosses(a: (i64, i64), b: (i64, i64), rectangle: Rectangle) -> bool {
    let (left, top, right, bottom) = rectangle;
    let (low_x, high_x) = (a.0.min(b.0), a.0.max(b.0));
    let (low_y, high_y) = (a.1.min(b.1), a.1.max(b.1));
    low_x < right && high_x > left && low_y < bottom && high_y > top
}

fn assert_orthogonal_and_clear(points: &[(i64, i64)], obstacles: &[Rectangle], what: &str) {
    for pair in points.windows(2) {
        assert!(
            pair[0].0 == pair[1].0 || pair[0].1 == pair[1].1,
            "{what}: {:?} → {:?} is not horizontal or vertical",
            pair[0],
            pair[1]
        );
        for obstacle in obstacles {
            assert!(
                !crosses(pair[0], pair[1], *obstacle),
                "{what}: {:?} → {:?} crosses {obstacle:?}",
                pair[0],
                pair[1]
            );
        }
    }
}

/// Each link of the model as the overview counts it: every relation, and every property that
/// references an element.
fn links(checked: &Checked) -> Vec<(ElementId, ElementId, Option<usize>)> {
    let model = &checked.analysis.model;
    let mut links: Vec<(ElementId, ElementId, Option<usize>)> = model
        .relations
        .iter()
        .enumerate()
        .map(|(index, relation)| (relation.source, relation.target, Some(index)))
        .collect();
    for element in &model.elements {
        for entry in element.properties.values() {
            if let PropertyValue::Reference(target) = entry.value {
                links.push((element.id, target, None));
            }
        }
    }
    links
}

/// The rules whose open findings point at a link: at a relation's declaration (a finding
/// without a path), or at two consecutive elements of a finding's path.
fn violated_rules(
    checked: &Checked,
    (from, to, relation): (ElementId, ElementId, Option<usize>),
) -> BTreeSet<String> {
    let model = &checked.analysis.model;
    let mut rules = BTreeSet::new();
    for finding in checked
        .findings
        .iter()
        .filter(|finding| !finding.is_accepted())
    {
        let declared = finding.path.is_empty()
            && relation.is_some_and(|index| model.relations[index].span == finding.span);
        let on_path = finding.path.windows(2).any(|pair| {
            model.find(&pair[0]).map(|element| element.id) == Some(from)
                && model.find(&pair[1]).map(|element| element.id) == Some(to)
        });
        if declared || on_path {
            rules.insert(finding.rule.clone());
        }
    }
    rules
}

#[test]
fn the_overview_bundles_every_relation_once_and_draws_violations_red() {
    let checked = hanoi();
    let html = render(Format::Html, &checked, &ReportOptions::default()).unwrap();
    let svg = svg(&html, "overview");
    assert!(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\""));
    let model = &checked.analysis.model;
    let drawn: BTreeMap<String, Rectangle> = nodes(svg).into_iter().collect();
    assert!(drawn.len() > 60, "Hanoi's overview draws its elements");
    // An element that is not drawn (a business function nested in another) counts as its
    // nearest drawn ancestor.
    let shown = |element: ElementId| -> Option<&Element> {
        let mut current = model.element(element);
        loop {
            if drawn.contains_key(current.qualified_id.as_str()) {
                return Some(current);
            }
            current = model.element(current.parent?);
        }
    };
    let mut expected: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut expected_red: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut relations = 0;
    for link in links(&checked) {
        let (Some(from), Some(to)) = (shown(link.0), shown(link.1)) else {
            continue;
        };
        if from.id == to.id {
            continue;
        }
        relations += 1;
        let (low, high) = (
            from.kind.to_string().min(to.kind.to_string()),
            from.kind.to_string().max(to.kind.to_string()),
        );
        *expected.entry((low, high)).or_default() += 1;
        let rules = violated_rules(&checked, link);
        if !rules.is_empty() {
            expected_red
                .entry((from.qualified_id.to_string(), to.qualified_id.to_string()))
                .or_default()
                .extend(rules);
        }
    }
    let bundles = bundles(svg);
    let mut counted: BTreeMap<(String, String), usize> = BTreeMap::new();
    for bundle in &bundles {
        assert!(
            counted
                .insert(bundle.groups.clone(), bundle.count)
                .is_none(),
            "one bundle per pair of groups: {:?}",
            bundle.groups
        );
    }
    assert_eq!(
        counted, expected,
        "each pair of kinds has one bundle counting its relations"
    );
    assert_eq!(
        bundles.iter().map(|bundle| bundle.count).sum::<usize>(),
        relations,
        "every relation between two drawn elements is in exactly one bundle"
    );
    let reds = reds(svg);
    let drawn_red: BTreeMap<(String, String), BTreeSet<String>> = reds
        .iter()
        .map(|red| ((red.from.clone(), red.to.clone()), red.rules.clone()))
        .collect();
    assert!(!expected_red.is_empty(), "Hanoi has violating connections");
    assert_eq!(drawn_red, expected_red, "violating connections are red");
    let lines = bundles.len() + reds.len();
    assert!(
        lines * 4 < relations,
        "{lines} lines for {relations} relations"
    );
    // Lines run between the boxes: bundles stay out of the groups' frames, red lines out of
    // every box.
    let boxes: Vec<Rectangle> = drawn.values().copied().collect();
    let frames = frames(svg);
    assert!(
        frames.len() >= 10,
        "the bands' elements are grouped by kind"
    );
    for bundle in &bundles {
        assert_orthogonal_and_clear(&bundle.points, &frames, "a bundle");
    }
    for red in &reds {
        assert_orthogonal_and_clear(&red.points, &boxes, "a red line");
    }
}

#[test]
fn the_integration_view_draws_every_element_it_selects() {
    let checked = hanoi();
    let html = render(Format::Html, &checked, &ReportOptions::default()).unwrap();
    let svg = svg(&html, "integration");
    let model = &checked.analysis.model;
    let word = |element: &Element, name: &str| {
        element
            .property(name)
            .and_then(PropertyValue::as_str)
            .map(str::to_owned)
    };
    // The view's bands: the LGSP and the NDXP (platform types), national systems (the reference
    // model's, and another body's national ones), the architecture's application and data
    // elements.
    let in_band = |element: &Element| -> bool {
        let platform = word(element, "platform_type");
        if matches!(
            platform.as_deref(),
            Some("lgsp" | "ndxp" | "ndc_coordination")
        ) {
            return true;
        }
        let context = checked.boundary.is_context(element.id);
        let national = !context && !checked.boundary.is_subject(element.id);
        national
            || context && word(element, "scope").as_deref() == Some("national")
            || matches!(element.layer.as_deref(), Some("application" | "data"))
    };
    let mut expected = BTreeSet::new();
    for relation in &model.relations {
        if ![
            "exchanges_with",
            "integrates_with",
            "reads",
            "writes",
            "authenticates_via",
        ]
        .contains(&relation.relation_type.as_str())
        {
            continue;
        }
        let chain: Vec<ElementId> = std::iter::once(relation.source)
            .chain(relation.via.iter().copied())
            .chain(std::iter::once(relation.target))
            .collect();
        for pair in chain.windows(2) {
            let (from, to) = (model.element(pair[0]), model.element(pair[1]));
            if in_band(from) && in_band(to) {
                expected.insert(from.qualified_id.to_string());
                expected.insert(to.qualified_id.to_string());
            }
        }
    }
    let drawn = nodes(svg);
    let ids: BTreeSet<String> = drawn.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(drawn.len(), ids.len(), "each element is drawn once");
    assert_eq!(ids, expected, "every element the view selects is drawn");
    assert!(
        ids.len() > 60,
        "more than the old cap of 36 per band: {}",
        ids.len()
    );
    assert!(
        !svg.contains("phần tử khác") && !svg.contains(">+"),
        "no \"+N more\" box"
    );
    let boxes: Vec<Rectangle> = drawn.iter().map(|(_, rectangle)| *rectangle).collect();
    let frames = frames(svg);
    for bundle in bundles(svg) {
        assert_orthogonal_and_clear(&bundle.points, &frames, "a bundle");
        assert_orthogonal_and_clear(&bundle.points, &boxes, "a bundle");
    }
    for red in reds(svg) {
        assert_orthogonal_and_clear(&red.points, &boxes, "a red line");
    }
}

#[test]
fn the_diagrams_are_the_same_on_every_run() {
    let checked = hanoi();
    let first = render(Format::Html, &checked, &ReportOptions::default()).unwrap();
    let second = render(Format::Html, &hanoi(), &ReportOptions::default()).unwrap();
    for name in ["overview", "integration"] {
        assert!(svg(&first, name) == svg(&second, name), "{name} differs");
    }
}

/// The small fixture of `reports.rs`, with its own test pack.
fn small() -> Checked {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let pack_folder = fixtures.join("frameworks/report-test");
    let registry = MemoryRegistry {
        packs: vec![FrameworkPack {
            id: "report-test".to_owned(),
            origin: "test".to_owned(),
            display_root: None,
            files: files(&pack_folder, &[".toml", ".ea"])
                .into_iter()
                .map(|(name, text)| (name, Arc::from(text)))
                .collect(),
        }],
    };
    let root = Path::new("/ws");
    let mut provider = MemoryProvider::default();
    let mut entries = Vec::new();
    for (name, text) in files(&fixtures.join("small"), &[".ea"]) {
        entries.push(root.join(&name));
        provider.insert(root.join(&name), text);
    }
    analyze_and_check(
        root,
        &entries,
        &provider,
        &registry,
        CheckOptions::on(Date::new(2025, 7, 1).unwrap()),
    )
}

#[test]
fn small_diagrams_snapshot() {
    let checked = small();
    assert!(checked.analysis.diagnostics.is_empty());
    let diagrams = diagram::render(
        &checked,
        &Texts::new(Language::Vi, None, None),
        &diagram::Page {
            ids: "",
            index_ids: "",
            max_boxes: diagram::MAX_BOXES,
        },
    );
    insta::assert_snapshot!("small_overview", diagrams.overview.svg);
    insta::assert_snapshot!("small_integration", diagrams.integration.svg);
}

/// A view of more boxes than `diagram_max_boxes` is drawn as its summary (issue 25): one box per
/// group, the groups' bundles, the connections open findings point at still red, and a sentence
/// saying so and how to see every element; an index of more elements than `index_shared_above`
/// lists the elements without findings once, in the first language, and every link of the page
/// still leads to an anchor of it. Hanoi stands in for a large model, both thresholds lowered.
#[test]
fn a_large_model_is_drawn_as_a_summary_and_its_index_listed_once() {
    let checked = hanoi();
    let full = render(Format::Html, &checked, &ReportOptions::default()).unwrap();
    assert!(
        !full.contains("note summarised"),
        "Hanoi's own report draws every element"
    );
    let options = ReportOptions {
        also: vec![Language::En],
        diagram_max_boxes: 20,
        index_shared_above: 50,
        ..ReportOptions::default()
    };
    let html = render(Format::Html, &checked, &options).unwrap();
    let every_box = nodes(svg(&full, "overview")).len();
    let overview = svg(&html, "overview");
    let boxes = nodes(overview);
    assert!(
        boxes.len() * 3 < every_box,
        "{} boxes for {every_box} elements",
        boxes.len()
    );
    assert!(
        boxes.iter().any(|(id, _)| id == "system"),
        "the information systems are one box, named by their kind: {boxes:?}"
    );
    assert!(
        !bundles(overview).is_empty(),
        "the groups' bundles are drawn"
    );
    // A connection findings point at stays red when its ends fall in different boxes, and
    // names the same rules; a box with open findings keeps its red border.
    for name in ["overview", "integration"] {
        let rules = |svg: &str| -> BTreeSet<String> {
            reds(svg).into_iter().flat_map(|red| red.rules).collect()
        };
        let (every, summary) = (svg(&full, name), svg(&html, name));
        assert!(rules(summary).is_subset(&rules(every)), "{name}");
        assert!(reds(summary).len() <= reds(every).len(), "{name}");
        assert_eq!(
            every.contains("has-findings"),
            summary.contains("has-findings"),
            "{name}"
        );
    }
    let sentences = html.matches("class=\"note summarised\"").count();
    assert!(
        sentences >= 4,
        "overview and integration, in both languages"
    );
    assert!(html.contains("kientruc serve") && html.contains("--view overview"));
    assert!(html.contains("--view integration"));
    // The elements without findings are listed once, in Vietnamese; English links there.
    assert!(html.contains("id=\"vi-clean-elements\""));
    assert!(!html.contains("id=\"en-clean-elements\""));
    assert!(html.contains("href=\"#vi-clean-elements\""));
    let clean = between(&html, "id=\"vi-clean-elements\"", "</details>");
    assert!(clean.matches("<li id=\"vi-e-").count() > 50);
    // Every link within the page leads to an anchor of it.
    for part in html.split("href=\"#").skip(1) {
        let target = &part[..part.find('"').unwrap()];
        if target.is_empty() || target == "vi" || target == "en" {
            continue;
        }
        assert!(
            html.contains(&format!("id=\"{target}\"")),
            "a link to #{target} leads nowhere"
        );
    }
}
