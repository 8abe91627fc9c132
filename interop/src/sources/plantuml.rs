//! `PlantUML`: bands and groups as nested rectangles, elements as rectangles with a stereotype
//! for their style (hidden), edges labelled after `:`.
//!
//! Escaping. `PlantUML` reads names through its preprocessor (`%date()`, `%getenv(…)`, `$name`,
//! `!include` are expanded anywhere) and then as Creole (`**bold**`, `//italic//`, `[[link]]`,
//! `<img>`, `<color>`, `~` escapes, `\n` line breaks), and a quoted name cannot hold `"`. So every
//! ASCII character in a name that is not a letter, a digit or a space is written as its Unicode
//! code (`<U+0022>`), which `PlantUML` turns back into the character only when it draws the text:
//! neither the preprocessor nor Creole sees it. The space, `,`, `.`, `(` and `)` mean nothing
//! there and stay, as do `-`, `_`, `*` and `/` standing alone (Creole's markup doubles them) and
//! letters outside ASCII (Vietnamese). Our own line breaks are `\n`.
//!
//! Layout. As in DOT: names and edge labels wrapped at spaces, a group's boxes in rows tied by
//! hidden links.

use super::{
    BAND_STROKE, EDGE_WIDTH, GREY, GROUP_STROKE, NODE_WIDTH, Picture, RED, Side, columns, wrap_all,
};
use std::fmt::Write as _;

/// The stereotypes that style the elements, and their skin parameters.
const STYLES: &[(&str, &str)] = &[
    ("national", "BorderStyle dashed\n  BackgroundColor #fbfbf7"),
    ("context", "BorderStyle dotted\n  BackgroundColor #f5f7fa"),
    ("findings", "BorderColor #c62828\n  BorderThickness 2"),
    (
        "national_findings",
        "BorderStyle dashed\n  BackgroundColor #fbfbf7\n  BorderColor #c62828\n  BorderThickness 2",
    ),
    (
        "context_findings",
        "BorderStyle dotted\n  BackgroundColor #f5f7fa\n  BorderColor #c62828\n  BorderThickness 2",
    ),
];

pub(super) fn write(picture: &Picture) -> String {
    let mut out = String::from("@startuml\n");
    let _ = writeln!(out, "title {}", text(&picture.title));
    let _ = writeln!(
        out,
        "hide stereotype\nskinparam shadowing false\nskinparam defaultFontName sans-serif\nskinparam rectangle {{\n  BorderColor {GREY}\n  BackgroundColor #ffffff\n  RoundCorner 10\n}}\nskinparam arrow {{\n  Color #7b8794\n  FontSize 10\n}}"
    );
    for (stereotype, parameters) in STYLES {
        let _ = writeln!(
            out,
            "skinparam rectangle<<{stereotype}>> {{\n  {parameters}\n}}"
        );
    }
    for band in &picture.bands {
        let _ = writeln!(
            out,
            "rectangle \"{}\" as {} {} {{",
            text(&band.title),
            band.id,
            colour(band.fill, BAND_STROKE)
        );
        for group in &band.groups {
            let _ = writeln!(
                out,
                "  rectangle \"{}\" as {} {} {{",
                text(&group.title),
                group.id,
                colour("#ffffff", GROUP_STROKE)
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
        let _ = writeln!(out, "label \"{}\" as empty", text(empty));
    }
    for edge in &picture.edges {
        let arrow = if edge.red {
            format!("-[{RED},bold]->")
        } else {
            "-->".to_owned()
        };
        let _ = writeln!(
            out,
            "{} {arrow} {} : {}",
            picture.nodes[edge.from].id,
            picture.nodes[edge.to].id,
            lines(&wrap_all(&edge.lines, EDGE_WIDTH))
        );
    }
    for band in &picture.bands {
        for group in &band.groups {
            let across = columns(group.nodes.len());
            for (upper, lower) in group.nodes.iter().zip(group.nodes.iter().skip(across)) {
                let _ = writeln!(
                    out,
                    "{} -[hidden]down-> {}",
                    picture.nodes[*upper].id, picture.nodes[*lower].id
                );
            }
        }
    }
    out.push_str("@enduml\n");
    out
}

/// `#fill;line:#stroke`: a rectangle's own colours.
fn colour(fill: &str, stroke: &str) -> String {
    format!("{fill};line:{}", stroke.trim_start_matches('#'))
}

fn shape(out: &mut String, picture: &Picture, node: usize, indent: &str) {
    let node = &picture.nodes[node];
    let stereotype = match (node.side, node.findings) {
        (Side::Own, false) => None,
        (Side::Own, true) => Some("findings"),
        (Side::National, false) => Some("national"),
        (Side::National, true) => Some("national_findings"),
        (Side::Context, false) => Some("context"),
        (Side::Context, true) => Some("context_findings"),
    };
    let _ = write!(
        out,
        "{indent}rectangle \"{}\" as {}",
        lines(&wrap_all(&node.lines, NODE_WIDTH)),
        node.id
    );
    if let Some(stereotype) = stereotype {
        let _ = write!(out, " <<{stereotype}>>");
    }
    out.push('\n');
}

fn lines(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| text(line))
        .collect::<Vec<_>>()
        .join("\\n")
}

/// Model text as `PlantUML` shows it and never reads: ASCII punctuation as `<U+XXXX>`, but for
/// `,`, `.`, `(` and `)`, and for `-`, `_`, `*` and `/` standing alone (Creole's markup doubles
/// them: `--`, `__`, `**`, `//`).
fn text(text: &str) -> String {
    let characters: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (at, character) in characters.iter().copied().enumerate() {
        let doubled =
            at > 0 && characters[at - 1] == character || characters.get(at + 1) == Some(&character);
        let plain = !character.is_ascii()
            || character.is_ascii_alphanumeric()
            || " ,.()".contains(character)
            || ("-_*/".contains(character) && !doubled);
        if plain {
            out.push(character);
        } else {
            let _ = write!(out, "<U+{:04X}>", u32::from(character));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn text_holds_no_plantuml_syntax() {
        assert_eq!(
            text("a \"b\" %date() **x** Hà Nội a_b ARM-001 --s-- ___ 2/3"),
            "a <U+0022>b<U+0022> <U+0025>date() <U+002A><U+002A>x<U+002A><U+002A> Hà Nội a_b ARM-001 <U+002D><U+002D>s<U+002D><U+002D> <U+005F><U+005F><U+005F> 2/3"
        );
    }
}
