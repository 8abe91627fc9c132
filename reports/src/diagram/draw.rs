//! The SVG of a laid-out scene: bands, group frames, bundles (under), red connections (over the
//! bundles), boxes (over everything), the legend. Every model string goes through
//! [`crate::escape::xml`]; every element and line has a `<title>`.

use super::bundle::{self, Bundle, Violating};
use super::layout::{
    self, GROUP_LABEL, LABEL_LINE, LEGEND_HEIGHT, Layout, MARGIN, NODE_HEIGHT, NODE_WIDTH,
};
use super::route::{self, Line, label_width};
use super::{Scene, Side, wrap};
use crate::escape::xml;
use crate::i18n::Texts;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const BAND_FILLS: [&str; 6] = [
    "#eef4fb", "#f3f0fa", "#eef7f1", "#fdf5e9", "#eef6f7", "#f4f4f4",
];
const BUNDLE_COLOUR: &str = "#7b8794";
const RED: &str = "#c62828";
/// Between the lines of a box's name.
const LINE: i64 = 12;
/// A bundle's tooltip lists this many of its links one by one.
const LISTED_LINKS: usize = 30;
/// Font size of the count labels.
const COUNT_SIZE: i64 = 10;

/// A scene laid out: its bundles and red connections, where its groups and boxes stand, the
/// lines (the bundles' then the red connections'), and the legend under them.
pub struct Drawing {
    pub bundles: Vec<Bundle>,
    pub violating: Vec<Violating>,
    pub layout: Layout,
    pub lines: Vec<Line>,
    legend: Legend,
}

impl Drawing {
    /// The whole picture's width and height, legend included.
    pub fn size(&self) -> (i64, i64) {
        (
            self.layout.width,
            self.layout.legend_top + self.legend.rows * LEGEND_HEIGHT + MARGIN,
        )
    }
}

/// Lays `scene` out: bundles, layout, routes and legend, everything the SVG draws.
pub fn lay_out(scene: &Scene, texts: &Texts) -> Drawing {
    let (bundles, violating) = bundle::gather(scene);
    let mut layout = layout::arrange(scene, &bundles);
    let label_widths: Vec<i64> = bundles
        .iter()
        .map(|bundle| count_width(bundle.count()))
        .collect();
    let lines = route::route(scene, &mut layout, &bundles, &violating, &label_widths);
    let legend = Legend::new(scene, texts, layout.legend_top, layout.width);
    Drawing {
        bundles,
        violating,
        layout,
        lines,
        legend,
    }
}

pub fn svg(scene: &Scene, texts: &Texts) -> String {
    let drawing = lay_out(scene, texts);
    let Drawing {
        bundles,
        violating,
        layout,
        lines,
        legend: legend_box,
    } = &drawing;
    let (bundle_lines, red_lines) = lines.split_at(bundles.len());
    let prefix = scene.id_prefix();
    let (width, height) = drawing.size();
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram\" id=\"{prefix}-svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{prefix}-title\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif\">\n<title id=\"{prefix}-title\">{}</title>\n",
        xml(&scene.title)
    );
    out.push_str("<defs>");
    for (name, size, colour) in [
        ("arrow", 8, BUNDLE_COLOUR),
        ("arrow-medium", 11, BUNDLE_COLOUR),
        ("arrow-large", 14, BUNDLE_COLOUR),
        ("arrow-bad", 11, RED),
    ] {
        let _ = write!(
            out,
            "<marker id=\"{prefix}-{name}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"{size}\" markerHeight=\"{size}\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/></marker>"
        );
    }
    out.push_str("</defs>\n");
    bands(&mut out, scene, layout);
    frames(&mut out, scene, layout);
    if scene.nodes.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#52606d\">{}</text>",
            (layout.content_left + layout.content_right) / 2,
            layout.legend_top / 2,
            xml(texts.get("diagram_empty"))
        );
    }
    out.push_str("<g class=\"edges\" fill=\"none\">\n");
    for (bundle, line) in bundles.iter().zip(bundle_lines) {
        bundle_line(&mut out, scene, texts, bundle, line);
    }
    for (red, line) in violating.iter().zip(red_lines) {
        red_line(&mut out, scene, texts, red, line);
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for index in 0..scene.nodes.len() {
        node(&mut out, scene, layout, index);
    }
    out.push_str("</g>\n");
    legend(&mut out, legend_box);
    out.push_str("</svg>");
    out
}

/// `×12`.
fn count_text(count: usize) -> String {
    format!("×{count}")
}

fn count_width(count: usize) -> i64 {
    label_width(&count_text(count), COUNT_SIZE) + 12
}

/// Stroke width in tenths of a pixel: thicker by one step each time the count doubles.
fn stroke_tenths(count: usize) -> i64 {
    (12 + 7 * i64::from(count.max(1).ilog2())).min(60)
}

fn tenths(value: i64) -> String {
    format!("{}.{}", value / 10, value % 10)
}

/// A path through `points` with rounded corners.
fn path(points: &[(i64, i64)]) -> String {
    let mut d = String::new();
    for (index, point) in points.iter().enumerate() {
        if index == 0 {
            let _ = write!(d, "M{},{}", point.0, point.1);
            continue;
        }
        if index + 1 == points.len() {
            let _ = write!(d, " L{},{}", point.0, point.1);
            continue;
        }
        let (before, after) = (points[index - 1], points[index + 1]);
        let reach =
            |from: (i64, i64), to: (i64, i64)| (from.0 - to.0).abs() + (from.1 - to.1).abs();
        let radius = 6
            .min(reach(before, *point) / 2)
            .min(reach(*point, after) / 2);
        let toward = |from: (i64, i64), to: (i64, i64)| {
            (
                from.0 + (to.0 - from.0).signum() * radius,
                from.1 + (to.1 - from.1).signum() * radius,
            )
        };
        let (enter, leave) = (toward(*point, before), toward(*point, after));
        let _ = write!(
            d,
            " L{},{} Q{},{} {},{}",
            enter.0, enter.1, point.0, point.1, leave.0, leave.1
        );
    }
    d
}

fn bands(out: &mut String, scene: &Scene, layout: &Layout) {
    for (band, (top, band_height)) in layout.bands.iter().enumerate() {
        let fill = BAND_FILLS[band % BAND_FILLS.len()];
        let _ = write!(
            out,
            "<g class=\"band\"><rect x=\"{MARGIN}\" y=\"{top}\" width=\"{}\" height=\"{band_height}\" fill=\"{fill}\" stroke=\"#d5dbe3\"/>",
            layout.width - 2 * MARGIN
        );
        let lines = wrap(&scene.bands[band], 18, 4);
        let first = top + band_height / 2 - (lines.len() as i64 - 1) * 15 / 2 + 4;
        for (number, line) in lines.iter().enumerate() {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"12\" font-weight=\"600\" fill=\"#1f2d3d\">{}</text>",
                MARGIN + 10,
                first + number as i64 * 15,
                xml(line)
            );
        }
        out.push_str("</g>\n");
    }
}

fn frames(out: &mut String, scene: &Scene, layout: &Layout) {
    for (group, data) in scene.groups.iter().enumerate() {
        let Some(label) = &data.label else { continue };
        let frame = &layout.frames[group];
        let _ = write!(
            out,
            "<g class=\"group\"><title>{} · {}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"#ffffff\" fill-opacity=\"0.6\" stroke=\"#b7c2ce\"/>",
            xml(label),
            data.nodes.len(),
            frame.x,
            frame.y,
            frame.width,
            frame.height,
        );
        for (number, line) in frame.label.iter().enumerate() {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" font-weight=\"600\" fill=\"#334e68\">{}</text>",
                frame.x + 10,
                frame.y + GROUP_LABEL - 7 + number as i64 * LABEL_LINE,
                xml(line)
            );
        }
        out.push_str("</g>\n");
    }
}

/// What a group is called in a line's title: its kind, or its element's name.
fn group_name(scene: &Scene, group: usize) -> String {
    let data = &scene.groups[group];
    match &data.label {
        Some(label) => label.clone(),
        None => data
            .nodes
            .first()
            .map(|node| {
                let node = &scene.nodes[*node];
                format!("{} ({})", node.name, node.id)
            })
            .unwrap_or_default(),
    }
}

fn counted(texts: &Texts, count: usize) -> String {
    if count == 1 {
        texts.get("diagram_bundle_one").to_owned()
    } else {
        texts
            .get("diagram_bundle_many")
            .replace("{count}", &count.to_string())
    }
}

/// `khai thác dữ liệu (10), cập nhật dữ liệu (15)`.
fn breakdown(counts: &BTreeMap<std::rc::Rc<str>, usize>) -> String {
    counts
        .iter()
        .map(|(what, count)| format!("{what} ({count})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn bundle_line(out: &mut String, scene: &Scene, texts: &Texts, bundle: &Bundle, line: &Line) {
    let count = bundle.count();
    let (low, high) = (
        group_name(scene, bundle.low),
        group_name(scene, bundle.high),
    );
    let mut title = if bundle.low == bundle.high {
        format!(
            "{low} ({}): {}",
            texts.get("diagram_bundle_within"),
            counted(texts, count)
        )
    } else {
        format!("{low} — {high}: {}", counted(texts, count))
    };
    for (from, to, counts) in [
        (&low, &high, &bundle.forward),
        (&high, &low, &bundle.backward),
    ] {
        if counts.is_empty() {
            continue;
        }
        if bundle.low == bundle.high {
            let _ = write!(title, "\n{}", breakdown(counts));
        } else {
            let _ = write!(title, "\n{from} → {to}: {}", breakdown(counts));
        }
    }
    // The links one by one, by their elements' names (a summary's boxes have no names to list).
    if scene.summarised {
        return bundle_path(out, scene, bundle, line, &title);
    }
    let mut links: Vec<(&str, &str, &str)> = bundle
        .links
        .iter()
        .map(|(from, to, what)| {
            (
                scene.nodes[*from].name.as_str(),
                scene.nodes[*to].name.as_str(),
                &**what,
            )
        })
        .collect();
    links.sort_unstable();
    for (from, to, what) in links.iter().take(LISTED_LINKS) {
        let _ = write!(title, "\n· {from} → {to}: {what}");
    }
    if links.len() > LISTED_LINKS {
        let _ = write!(
            title,
            "\n{}",
            texts
                .get("diagram_bundle_more")
                .replace("{count}", &(links.len() - LISTED_LINKS).to_string())
        );
    }
    bundle_path(out, scene, bundle, line, &title);
}

/// A bundle's line, its count label and its `title`.
fn bundle_path(out: &mut String, scene: &Scene, bundle: &Bundle, line: &Line, title: &str) {
    let prefix = scene.id_prefix();
    let count = bundle.count();
    let width = stroke_tenths(count);
    let marker = match width {
        ..=20 => "arrow",
        21..=35 => "arrow-medium",
        _ => "arrow-large",
    };
    let markers = format!(
        "{}{}",
        if line.down {
            format!(" marker-end=\"url(#{prefix}-{marker})\"")
        } else {
            String::new()
        },
        if line.up {
            format!(" marker-start=\"url(#{prefix}-{marker})\"")
        } else {
            String::new()
        }
    );
    let label = count_text(count);
    let label_width = count_width(count);
    let (x, y) = line.label;
    let _ = writeln!(
        out,
        "<g class=\"edge bundle\" data-count=\"{count}\" data-between=\"{} {}\"><title>{}</title><path d=\"{}\" stroke=\"{BUNDLE_COLOUR}\" stroke-width=\"{}\" stroke-linejoin=\"round\"{markers}/><rect x=\"{}\" y=\"{}\" width=\"{label_width}\" height=\"14\" rx=\"7\" fill=\"#ffffff\" stroke=\"{BUNDLE_COLOUR}\"/><text x=\"{x}\" y=\"{}\" font-size=\"{COUNT_SIZE}\" text-anchor=\"middle\" fill=\"#1f2d3d\" stroke=\"none\">{}</text></g>",
        xml(&scene.groups[bundle.low].key),
        xml(&scene.groups[bundle.high].key),
        xml(title),
        path(&line.points),
        tenths(width),
        x - label_width / 2,
        y - 7,
        y + 4,
        xml(&label)
    );
}

fn red_line(out: &mut String, scene: &Scene, texts: &Texts, red: &Violating, line: &Line) {
    let prefix = scene.id_prefix();
    let (from, to) = (&scene.nodes[red.from], &scene.nodes[red.to]);
    let rules: Vec<&str> = red.rules.iter().map(String::as_str).collect();
    let title = format!(
        "{} {}: {} ({}) → {} ({})",
        texts.get("diagram_bundle_violation"),
        rules.join(", "),
        from.name,
        from.id,
        to.name,
        to.id
    );
    let markers = format!(
        "{}{}",
        if line.down {
            format!(" marker-end=\"url(#{prefix}-arrow-bad)\"")
        } else {
            String::new()
        },
        if line.up {
            format!(" marker-start=\"url(#{prefix}-arrow-bad)\"")
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "<g class=\"edge violating\" data-from=\"{}\" data-to=\"{}\" data-rules=\"{}\"><title>{}</title><path d=\"{}\" stroke=\"{RED}\" stroke-width=\"2.4\" stroke-linejoin=\"round\"{markers}/></g>",
        xml(&from.id),
        xml(&to.id),
        xml(&rules.join(" ")),
        xml(&title),
        path(&line.points)
    );
}

fn node(out: &mut String, scene: &Scene, layout: &Layout, index: usize) {
    let node = &scene.nodes[index];
    let (x, y) = layout.node_box(scene, index);
    let (stroke, stroke_width) = if node.findings {
        (RED, "2.2")
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
        "<g class=\"{classes}\" data-element=\"{}\"><title>{} ({}) — {}</title>",
        xml(&node.id),
        xml(&node.name),
        xml(&node.id),
        xml(&node.kind)
    );
    if let Some(anchor) = &node.anchor {
        let _ = write!(
            out,
            "<a href=\"#{}{}\">",
            xml(&scene.index_ids),
            xml(anchor)
        );
    }
    let _ = write!(
        out,
        "<rect x=\"{x}\" y=\"{y}\" width=\"{NODE_WIDTH}\" height=\"{NODE_HEIGHT}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_width}\"{dash}/>"
    );
    // In a frame the group's name gives the kind; an element drawn alone shows its own.
    let framed = scene.groups[node.group].label.is_some();
    let lines = wrap(&node.name, 24, if framed { 3 } else { 2 });
    let used = lines.len() as i64 + i64::from(!framed);
    let top = y + (NODE_HEIGHT - used * LINE) / 2 + 9;
    for (number, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1f2d3d\">{}</text>",
            x + NODE_WIDTH / 2,
            top + number as i64 * LINE,
            xml(line)
        );
    }
    if !framed {
        let kind: String = wrap(&node.kind, 30, 1)
            .into_iter()
            .next()
            .unwrap_or_default();
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#616e7c\">{}</text>",
            x + NODE_WIDTH / 2,
            top + lines.len() as i64 * LINE,
            xml(&kind)
        );
    }
    if node.anchor.is_some() {
        out.push_str("</a>");
    }
    out.push_str("</g>\n");
}

/// A legend entry drawn at (x, middle y).
type Entry = Box<dyn Fn(i64, i64) -> String>;

/// The legend's entries, flowed into rows that fit the diagram's width.
struct Legend {
    entries: Vec<String>,
    rows: i64,
}

impl Legend {
    /// The legend under `top` in a diagram `width` wide.
    fn new(scene: &Scene, texts: &Texts, top: i64, width: i64) -> Legend {
        let prefix = scene.id_prefix();
        let mut items: Vec<(i64, Entry)> = Vec::new();
        let bundle_text = xml(texts.get("diagram_bundle_legend"));
        let sample = xml(&count_text(12));
        let sample_width = count_width(12);
        let bundle_width = tenths(stroke_tenths(12));
        items.push((
            66 + label_width(texts.get("diagram_bundle_legend"), 11),
            Box::new(move |x, y| {
                format!(
                    "<path d=\"M{x},{y} h56\" stroke=\"{BUNDLE_COLOUR}\" stroke-width=\"{bundle_width}\" marker-end=\"url(#{prefix}-arrow-medium)\"/><rect x=\"{}\" y=\"{}\" width=\"{sample_width}\" height=\"14\" rx=\"7\" fill=\"#ffffff\" stroke=\"{BUNDLE_COLOUR}\"/><text x=\"{}\" y=\"{}\" font-size=\"{COUNT_SIZE}\" text-anchor=\"middle\">{sample}</text><text x=\"{}\" y=\"{}\">{bundle_text}</text>",
                    x + 26 - sample_width / 2,
                    y - 7,
                    x + 26,
                    y + 4,
                    x + 66,
                    y + 4,
                )
            }),
        ));
        let red_text = xml(texts.get("legend_violation"));
        let prefix = scene.id_prefix();
        items.push((
            44 + label_width(texts.get("legend_violation"), 11),
            Box::new(move |x, y| {
                format!(
                    "<path d=\"M{x},{y} h36\" stroke=\"{RED}\" stroke-width=\"2.4\" marker-end=\"url(#{prefix}-arrow-bad)\"/><text x=\"{}\" y=\"{}\">{red_text}</text>",
                    x + 44,
                    y + 4,
                )
            }),
        ));
        let mut boxes = vec![(
            "legend_findings",
            format!("fill=\"#fff\" stroke=\"{RED}\" stroke-width=\"2.2\""),
        )];
        boxes.push((
            "legend_national",
            "fill=\"#fbfbf7\" stroke=\"#52606d\" stroke-dasharray=\"5 3\"".to_owned(),
        ));
        if scene.nodes.iter().any(|node| node.side == Side::Context) {
            boxes.push((
                "legend_context",
                "fill=\"#f5f7fa\" stroke=\"#52606d\" stroke-dasharray=\"2 3\"".to_owned(),
            ));
        }
        for (key, style) in boxes {
            let text = xml(texts.get(key));
            items.push((
                38 + label_width(texts.get(key), 11),
                Box::new(move |x, y| {
                    format!(
                        "<rect x=\"{x}\" y=\"{}\" width=\"30\" height=\"16\" rx=\"4\" {style}/><text x=\"{}\" y=\"{}\">{text}</text>",
                        y - 8,
                        x + 38,
                        y + 4,
                    )
                }),
            ));
        }
        let mut entries = Vec::new();
        let (mut x, mut row) = (MARGIN + 4, 0);
        for (item_width, item) in items {
            if x > MARGIN + 4 && x + item_width > width - MARGIN {
                x = MARGIN + 4;
                row += 1;
            }
            entries.push(item(x, top + LEGEND_HEIGHT / 2 + row * LEGEND_HEIGHT));
            x += item_width + 24;
        }
        Legend {
            entries,
            rows: row + 1,
        }
    }
}

fn legend(out: &mut String, legend: &Legend) {
    out.push_str("<g class=\"legend\" font-size=\"11\" fill=\"#1f2d3d\">");
    for entry in &legend.entries {
        out.push_str(entry);
    }
    out.push_str("</g>\n");
}
