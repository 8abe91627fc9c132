//! D2: bands and groups as nested containers, edges at the top level by their shapes' paths
//! (`b3.g4.e_lgsp -> b5.e_ndxp`), the title as a text shape near the top.
//!
//! Escaping. Every label is a double-quoted string: `\` becomes `\\`, `"` `\"`, and `$` `\$` (a
//! `$` in a double-quoted value starts a substitution, `${name}`). Inside the quotes D2 reads
//! nothing else: `#`, `;`, `{`, `|`, `<` are text, and D2 escapes the text for SVG itself. Keys
//! are the generated identifiers, never quoted. Our own line breaks are `\n`; D2 never wraps, so
//! names and edge labels are wrapped at spaces.

use super::{
    BAND_STROKE, EDGE_WIDTH, GREY, GROUP_STROKE, NODE_WIDTH, Picture, RED, Side, wrap_all,
};
use std::fmt::Write as _;

pub(super) fn write(picture: &Picture) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "direction: down\ntitle: \"{}\" {{\n  shape: text\n  near: top-center\n  style.font-size: 20\n  style.bold: true\n}}",
        string(&picture.title)
    );
    for band in &picture.bands {
        let _ = writeln!(
            out,
            "{}: \"{}\" {{\n  style.fill: \"{}\"\n  style.stroke: \"{BAND_STROKE}\"",
            band.id,
            string(&band.title),
            band.fill
        );
        for group in &band.groups {
            let _ = writeln!(
                out,
                "  {}: \"{}\" {{\n    style.fill: \"#ffffff\"\n    style.stroke: \"{GROUP_STROKE}\"",
                group.id,
                string(&group.title)
            );
            for node in &group.nodes {
                shape(&mut out, picture, *node, "    ");
            }
            out.push_str("  }\n");
        }
        for node in &band.loose {
            shape(&mut out, picture, *node, "  ");
        }
        out.push_str("}\n");
    }
    if let Some(empty) = &picture.empty {
        let _ = writeln!(out, "empty: \"{}\" {{shape: text}}", string(empty));
    }
    for edge in &picture.edges {
        let (from, to) = (&picture.nodes[edge.from], &picture.nodes[edge.to]);
        let _ = write!(
            out,
            "{}.{} -> {}.{}: \"{}\"",
            from.path.join("."),
            from.id,
            to.path.join("."),
            to.id,
            lines(&wrap_all(&edge.lines, EDGE_WIDTH))
        );
        if edge.red {
            let _ = write!(
                out,
                " {{\n  style.stroke: \"{RED}\"\n  style.stroke-width: 2\n  style.font-color: \"{RED}\"\n}}"
            );
        }
        out.push('\n');
    }
    out
}

fn shape(out: &mut String, picture: &Picture, node: usize, indent: &str) {
    let node = &picture.nodes[node];
    let mut style: Vec<String> = Vec::new();
    match node.side {
        Side::Own => {}
        Side::National => style.push("style.stroke-dash: 4".to_owned()),
        Side::Context => style.push("style.stroke-dash: 2".to_owned()),
    }
    if node.findings {
        style.push(format!("style.stroke: \"{RED}\""));
        style.push("style.stroke-width: 2".to_owned());
    } else if node.side != Side::Own {
        style.push(format!("style.stroke: \"{GREY}\""));
    }
    let _ = write!(
        out,
        "{indent}{}: \"{}\"",
        node.id,
        lines(&wrap_all(&node.lines, NODE_WIDTH))
    );
    if style.is_empty() {
        out.push('\n');
    } else {
        out.push_str(" {\n");
        for entry in style {
            let _ = writeln!(out, "{indent}  {entry}");
        }
        let _ = writeln!(out, "{indent}}}");
    }
}

fn lines(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| string(line))
        .collect::<Vec<_>>()
        .join("\\n")
}

/// Text inside a D2 double-quoted string.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("\\$"),
            _ => out.push(character),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::string;

    #[test]
    fn strings_hold_no_d2_syntax() {
        assert_eq!(
            string("a \"b\" ${x} \\n # ; { } | <script>"),
            "a \\\"b\\\" \\${x} \\\\n # ; { } | <script>"
        );
    }
}
