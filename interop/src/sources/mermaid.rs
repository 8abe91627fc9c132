//! Mermaid: a flowchart (`flowchart TB`), bands and groups as nested subgraphs, the title in the
//! front matter.
//!
//! Escaping. Labels are double-quoted strings (`e_x["…"]`, `-->|"…"|`), in which Mermaid reads no
//! escape but decodes its own entity codes (`#quot;`, `#35;`) before anything else sees the text.
//! So `"` becomes `#quot;`, `<` `#lt;`, `>` `#gt;`, `&` `#amp;`, and `#` (which would start an
//! entity code), `%` (`%%` starts a comment and `%%{…}%%` a directive anywhere in the text), `|`
//! (an edge label's delimiter), `:` (Mermaid rewrites lines holding `style…:…#…;` before parsing)
//! and `` ` `` (a backtick right after the quote makes a Markdown string) become numeric codes
//! (`#35;`); brackets, braces and parentheses are plain text inside the quotes. The title is a YAML double-quoted string
//! (`\"`, `\\`), which Mermaid shows as text. Our own line breaks are `<br/>`, the only markup
//! written, and never inside model text. Mermaid wraps long labels itself; a group's boxes stand
//! in rows tied by invisible links (`~~~`), as in the other formats.

use super::{BAND_STROKE, GREY, GROUP_STROKE, Picture, RED, Side, columns};
use std::fmt::Write as _;

pub(super) fn write(picture: &Picture) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: \"{}\"\n---", yaml(&picture.title));
    out.push_str("flowchart TB\n");
    for band in &picture.bands {
        let _ = writeln!(out, "  subgraph {}[\"{}\"]", band.id, label(&band.title));
        for group in &band.groups {
            let _ = writeln!(
                out,
                "    subgraph {}[\"{}\"]",
                group.id,
                label(&group.title)
            );
            for node in &group.nodes {
                shape(&mut out, picture, *node, "      ");
            }
            out.push_str("    end\n");
        }
        for node in &band.loose {
            shape(&mut out, picture, *node, "    ");
        }
        out.push_str("  end\n");
    }
    if let Some(empty) = &picture.empty {
        let _ = writeln!(out, "  empty[\"{}\"]", label(empty));
    }
    for edge in &picture.edges {
        let _ = writeln!(
            out,
            "  {} -->|\"{}\"| {}",
            picture.nodes[edge.from].id,
            lines(&edge.lines),
            picture.nodes[edge.to].id
        );
    }
    // A group's boxes in rows: invisible links after the edges, so that `linkStyle` still
    // counts the edges from 0.
    for band in &picture.bands {
        for group in &band.groups {
            let across = columns(group.nodes.len());
            for (upper, lower) in group.nodes.iter().zip(group.nodes.iter().skip(across)) {
                let _ = writeln!(
                    out,
                    "  {} ~~~ {}",
                    picture.nodes[*upper].id, picture.nodes[*lower].id
                );
            }
        }
    }
    for band in &picture.bands {
        let _ = writeln!(
            out,
            "  style {} fill:{},stroke:{BAND_STROKE}",
            band.id, band.fill
        );
        for group in &band.groups {
            let _ = writeln!(
                out,
                "  style {} fill:#ffffff,stroke:{GROUP_STROKE}",
                group.id
            );
        }
    }
    let red: Vec<String> = picture
        .edges
        .iter()
        .enumerate()
        .filter(|(_, edge)| edge.red)
        .map(|(index, _)| index.to_string())
        .collect();
    if !red.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:{RED},stroke-width:2px,color:{RED}",
            red.join(",")
        );
    }
    let _ = writeln!(
        out,
        "  classDef national stroke:{GREY},stroke-dasharray:5 3\n  classDef context stroke:{GREY},stroke-dasharray:2 3\n  classDef findings stroke:{RED},stroke-width:2px"
    );
    for class in ["national", "context", "findings"] {
        let members: Vec<&str> = picture
            .nodes
            .iter()
            .filter(|node| match class {
                "national" => node.side == Side::National,
                "context" => node.side == Side::Context,
                _ => node.findings,
            })
            .map(|node| node.id.as_str())
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    out
}

fn shape(out: &mut String, picture: &Picture, node: usize, indent: &str) {
    let node = &picture.nodes[node];
    let _ = writeln!(out, "{indent}{}[\"{}\"]", node.id, lines(&node.lines));
}

fn lines(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| label(line))
        .collect::<Vec<_>>()
        .join("<br/>")
}

/// Text inside a Mermaid double-quoted label.
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' | '%' | '|' | ':' | '`' => {
                let _ = write!(out, "#{};", u32::from(character));
            }
            _ => out.push(character),
        }
    }
    out
}

/// Text inside a YAML double-quoted scalar (on one line: line breaks are already spaces).
fn yaml(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::{label, yaml};

    #[test]
    fn labels_hold_no_mermaid_syntax() {
        assert_eq!(
            label("a \"b\" <script> & #quot; %%{init}%% | [x] (y) `z` \\ :;"),
            "a #quot;b#quot; #lt;script#gt; #amp; #35;quot; #37;#37;{init}#37;#37; #124; [x] (y) #96;z#96; \\ #58;;"
        );
        assert_eq!(label("Hà Nội"), "Hà Nội");
        assert_eq!(yaml("a \"b\" \\"), "a \\\"b\\\" \\\\");
    }
}
