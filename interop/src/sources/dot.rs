//! Graphviz DOT: a `digraph` drawn top to bottom, bands and groups as nested clusters
//! (`subgraph cluster_b1`), the title as the graph's label.
//!
//! Escaping. Every label is a double-quoted string, never an HTML-like `<…>` label: `\` becomes
//! `\\` (a backslash would start an escape such as `\N`, the node's name, or `\l`), `"` `\"`, and
//! `&` `&amp;` (Graphviz reads HTML entities in plain labels too, so `&lt;` would show as `<`).
//! `<`, `>`, `{`, `|` are text in a quoted label of a box. Our own line breaks are `\n`.
//!
//! Layout. Names and edge labels are wrapped at spaces (Graphviz never wraps), and the boxes of
//! a group stand in rows (invisible edges from each box to the one under it), so that a band of
//! many elements is not one long row.

use super::{
    BAND_STROKE, EDGE_WIDTH, GREY, GROUP_STROKE, NODE_WIDTH, Picture, RED, Side, columns, wrap_all,
};
use std::fmt::Write as _;

const FONT: &str = "Noto Sans, Arial, sans-serif";

pub(super) fn write(picture: &Picture) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "digraph kientruc {{\n  graph [label=\"{}\", labelloc=t, fontsize=18, fontname=\"{FONT}\", rankdir=TB, newrank=true, nodesep=0.3, ranksep=0.6]\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"{GREY}\", fontsize=11, fontname=\"{FONT}\"]\n  edge [color=\"#7b8794\", fontsize=9, fontname=\"{FONT}\"]",
        string(&picture.title)
    );
    for band in &picture.bands {
        let _ = writeln!(
            out,
            "  subgraph cluster_{} {{\n    label=\"{}\"\n    labeljust=l\n    fontsize=13\n    style=filled\n    fillcolor=\"{}\"\n    color=\"{BAND_STROKE}\"",
            band.id,
            string(&band.title),
            band.fill
        );
        for group in &band.groups {
            let _ = writeln!(
                out,
                "    subgraph cluster_{} {{\n      label=\"{}\"\n      fontsize=11\n      style=\"rounded,filled\"\n      fillcolor=\"#ffffff\"\n      color=\"{GROUP_STROKE}\"",
                group.id,
                string(&group.title)
            );
            for node in &group.nodes {
                shape(&mut out, picture, *node, "      ");
            }
            out.push_str("    }\n");
        }
        for node in &band.loose {
            shape(&mut out, picture, *node, "    ");
        }
        out.push_str("  }\n");
    }
    if let Some(empty) = &picture.empty {
        let _ = writeln!(
            out,
            "  empty [label=\"{}\", shape=plaintext]",
            string(empty)
        );
    }
    for edge in &picture.edges {
        let _ = write!(
            out,
            "  {} -> {} [label=\"{}\"",
            picture.nodes[edge.from].id,
            picture.nodes[edge.to].id,
            lines(&wrap_all(&edge.lines, EDGE_WIDTH))
        );
        if edge.red {
            let _ = write!(out, ", color=\"{RED}\", fontcolor=\"{RED}\", penwidth=2");
        }
        out.push_str("]\n");
    }
    for band in &picture.bands {
        for group in &band.groups {
            let across = columns(group.nodes.len());
            for (upper, lower) in group.nodes.iter().zip(group.nodes.iter().skip(across)) {
                let _ = writeln!(
                    out,
                    "  {} -> {} [style=invis]",
                    picture.nodes[*upper].id, picture.nodes[*lower].id
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

fn shape(out: &mut String, picture: &Picture, node: usize, indent: &str) {
    let node = &picture.nodes[node];
    let _ = write!(
        out,
        "{indent}{} [label=\"{}\"",
        node.id,
        lines(&wrap_all(&node.lines, NODE_WIDTH))
    );
    match node.side {
        Side::Own => {}
        Side::National => out.push_str(", style=\"rounded,filled,dashed\", fillcolor=\"#fbfbf7\""),
        Side::Context => out.push_str(", style=\"rounded,filled,dotted\", fillcolor=\"#f5f7fa\""),
    }
    if node.findings {
        let _ = write!(out, ", color=\"{RED}\", penwidth=2");
    }
    out.push_str("]\n");
}

fn lines(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| string(line))
        .collect::<Vec<_>>()
        .join("\\n")
}

/// Text inside a DOT double-quoted string that Graphviz shows as a label.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '&' => out.push_str("&amp;"),
            _ => out.push(character),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::string;

    #[test]
    fn strings_hold_no_dot_syntax() {
        assert_eq!(
            string("a \"b\" \\N \\l &lt; <b> {x|y}"),
            "a \\\"b\\\" \\\\N \\\\l &amp;lt; <b> {x|y}"
        );
    }
}
