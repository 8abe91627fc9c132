//! Diagram sources (`kientruc export --format mermaid|d2|dot|plantuml`): snapshots of every
//! format for the report fixtures' small model (both views and a neighbourhood), and a reading
//! of every output back, line by line, with each language's own quoting rules: every line is
//! one the writer writes, and every label read back (entity codes, escapes and `<U+XXXX>`
//! decoded) is the model's text as the report shows it (one line, control characters as
//! `⟨U+XXXX⟩`), so that no name (the injection fixture: quotes, brackets, braces, pipes,
//! `<script>`, newlines, backslashes, `#`, `;`, `%`, `$`) can end a string or become syntax.
//! `sources_tools.rs` runs the real parsers on the same outputs.

mod sources_common;

use kientruc_interop::sources::{self, SourceError, SourceFormat, ViewChoice};
use kientruc_reports::Language;
use kientruc_reports::diagram::LaidOutView;
use kientruc_reports::escape::{Breaks, neutralise};
use kientruc_reports::i18n::Texts;
use sources_common::{empty, hostile, injection, small};
use std::collections::BTreeMap;

const FORMATS: [SourceFormat; 4] = [
    SourceFormat::Mermaid,
    SourceFormat::D2,
    SourceFormat::Dot,
    SourceFormat::Plantuml,
];

fn name(format: SourceFormat) -> &'static str {
    match format {
        SourceFormat::Mermaid => "mermaid",
        SourceFormat::D2 => "d2",
        SourceFormat::Dot => "dot",
        SourceFormat::Plantuml => "plantuml",
    }
}

#[test]
fn small_model_snapshots() {
    let checked = small();
    let texts = Texts::new(Language::Vi, None, None);
    for (view, choice) in [
        ("overview", ViewChoice::Overview),
        ("integration", ViewChoice::Integration),
        ("lgsp", ViewChoice::Element("lgsp".to_owned())),
    ] {
        for format in FORMATS {
            let source = sources::export(&checked, &texts, format, &choice).unwrap();
            insta::assert_snapshot!(format!("small_{view}_{}", name(format)), source);
        }
    }
    // In English: kind names, band titles and relation names.
    let english = Texts::new(Language::En, None, None);
    let source = sources::export(
        &checked,
        &english,
        SourceFormat::Mermaid,
        &ViewChoice::Integration,
    )
    .unwrap();
    insta::assert_snapshot!("small_integration_mermaid_en", source);
}

#[test]
fn injection_snapshots() {
    let checked = injection();
    let texts = Texts::new(Language::Vi, None, None);
    for format in FORMATS {
        let source = sources::export(&checked, &texts, format, &ViewChoice::Overview).unwrap();
        insta::assert_snapshot!(format!("injection_overview_{}", name(format)), source);
    }
}

/// What a diagram shows, as text: containers' titles, boxes' labels, and edges by their ends'
/// labels (each label's lines joined by a line feed).
#[derive(Debug, Default, PartialEq, Eq)]
struct Read {
    title: String,
    containers: Vec<String>,
    boxes: Vec<String>,
    edges: Vec<(String, String, String)>,
}

impl Read {
    /// Sorted, and each label's lines joined by spaces: DOT, D2 and `PlantUML` wrap long labels
    /// at spaces, so a line break may stand for a space.
    fn sorted(mut self) -> Read {
        let join = |text: &mut String| *text = text.replace('\n', " ");
        self.containers.iter_mut().for_each(join);
        self.boxes.iter_mut().for_each(join);
        for (from, to, label) in &mut self.edges {
            join(from);
            join(to);
            join(label);
        }
        self.containers.sort();
        self.boxes.sort();
        self.edges.sort();
        self
    }
}

fn plain(text: &str) -> String {
    neutralise(text, Breaks::Space).into_owned()
}

/// What every format must show for `view`, built from the laid-out view (the report's words).
fn expected(view: &LaidOutView, texts: &Texts) -> Read {
    let mut read = Read {
        title: plain(&view.title),
        ..Read::default()
    };
    for band in &view.bands {
        if band.groups.is_empty() {
            continue;
        }
        read.containers.push(plain(&band.title));
        for group in &band.groups {
            if let Some(label) = &view.groups[*group].label {
                read.containers.push(plain(label));
            }
        }
    }
    let labels: Vec<String> = view
        .nodes
        .iter()
        .map(|node| {
            if view.groups[node.group].label.is_some() {
                plain(&node.name)
            } else {
                format!("{}\n{}", plain(&node.name), plain(&node.kind_name))
            }
        })
        .collect();
    read.boxes.clone_from(&labels);
    if view.nodes.is_empty() {
        read.boxes.push(texts.get("diagram_empty").to_owned());
    }
    for link in &view.links {
        let what: Vec<String> = link
            .types
            .iter()
            .map(|kind| match kind.count {
                1 => kind.name.clone(),
                count => format!("{} ×{count}", kind.name),
            })
            .collect();
        let mut label = plain(&what.join(", "));
        if link.violating {
            label = format!(
                "{label}\n{} {}",
                texts.get("diagram_bundle_violation"),
                link.rules.join(", ")
            );
        }
        read.edges.push((
            labels[link.source].clone(),
            labels[link.target].clone(),
            label,
        ));
    }
    read.sorted()
}

/// Reads a quoted string starting right after its opening quote, with `escape` deciding what a
/// backslash and the character after it stand for; returns the text and the rest after the
/// closing quote.
fn quoted(text: &str, escape: impl Fn(char) -> Option<char>) -> (String, &str) {
    let mut out = String::new();
    let mut characters = text.char_indices();
    while let Some((at, character)) = characters.next() {
        match character {
            '"' => return (out, &text[at + 1..]),
            '\\' => {
                let (_, next) = characters.next().expect("an escape at the end of a line");
                out.push(
                    escape(next).unwrap_or_else(|| panic!("unknown escape \\{next} in {text}")),
                );
            }
            _ => out.push(character),
        }
    }
    panic!("an unterminated string: {text}");
}

/// Decodes `#quot;`, `#lt;`, `#gt;`, `#amp;` and `#NN;`; `<br/>` is our line break. Fails on any
/// character Mermaid would read as syntax.
fn mermaid_label(text: &str) -> String {
    let mut out = String::new();
    for (number, line) in text.split("<br/>").enumerate() {
        if number > 0 {
            out.push('\n');
        }
        let mut rest = line;
        while let Some(at) = rest.find('#') {
            out.push_str(&rest[..at]);
            let end = rest[at..].find(';').expect("an entity code ends with ;") + at;
            let code = &rest[at + 1..end];
            out.push(match code {
                "quot" => '"',
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                number => char::from_u32(number.parse().unwrap()).unwrap(),
            });
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        for raw in ['"', '<', '>', '&', '%', '|', '`', ':'] {
            assert!(
                !line
                    .replace("#quot;", "")
                    .replace("#lt;", "")
                    .replace("#gt;", "")
                    .replace("#amp;", "")
                    .contains(raw),
                "raw {raw} in a Mermaid label: {line}"
            );
        }
    }
    out
}

fn read_mermaid(source: &str) -> Read {
    let mut read = Read::default();
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut edges = Vec::new();
    let mut lines = source.lines();
    assert_eq!(lines.next(), Some("---"));
    let title = lines.next().unwrap().strip_prefix("title: \"").unwrap();
    let (title, rest) = quoted(title, |next| ['"', '\\'].contains(&next).then_some(next));
    assert_eq!(rest, "");
    read.title = title;
    assert_eq!(lines.next(), Some("---"));
    assert_eq!(lines.next(), Some("flowchart TB"));
    for line in lines {
        let line = line.trim_start();
        if let Some(rest) = line.strip_prefix("subgraph ") {
            let (id, rest) = rest.split_once("[\"").unwrap();
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{line}");
            let label = rest.strip_suffix("\"]").unwrap();
            read.containers.push(mermaid_label(label));
        } else if line == "end"
            || line.starts_with("style ")
            || line.starts_with("linkStyle ")
            || line.starts_with("classDef ")
            || line.starts_with("class ")
        {
        } else if line.contains(" ~~~ ") {
            let ids: Vec<&str> = line.split(" ~~~ ").collect();
            assert!(
                ids.len() == 2 && ids.iter().all(|id| id.starts_with("e_")),
                "{line}"
            );
        } else if let Some((from, rest)) = line.split_once(" -->|\"") {
            let (label, to) = rest.split_once("\"| ").unwrap();
            edges.push((from.to_owned(), to.to_owned(), mermaid_label(label)));
        } else {
            let (id, rest) = line.split_once("[\"").unwrap_or_else(|| panic!("{line}"));
            assert!(
                id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{line}"
            );
            let label = mermaid_label(rest.strip_suffix("\"]").unwrap());
            read.boxes.push(label.clone());
            labels.insert(id.to_owned(), label);
        }
    }
    read.edges = edges
        .into_iter()
        .map(|(from, to, label)| (labels[&from].clone(), labels[&to].clone(), label))
        .collect();
    read.sorted()
}

/// A D2 or DOT string: `\\`, `\"`, `\$` (D2) and `\n` (our line break).
fn d2_string(text: &str) -> (String, &str) {
    let (label, rest) = quoted(text, |next| match next {
        '\\' | '"' | '$' => Some(next),
        'n' => Some('\n'),
        _ => None,
    });
    (label, rest)
}

fn read_d2(source: &str) -> Read {
    let mut read = Read::default();
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut edges = Vec::new();
    let mut depth = 0;
    let mut in_title = false;
    for line in source.lines() {
        let line = line.trim_start();
        if line == "}" {
            depth -= 1;
            in_title = false;
            continue;
        }
        if line == "direction: down"
            || line.starts_with("style.")
            || (in_title && !line.contains('"'))
        {
            continue;
        }
        if let Some(rest) = line.strip_prefix("title: \"") {
            let (title, rest) = d2_string(rest);
            assert_eq!(rest, " {");
            read.title = title;
            in_title = true;
            depth += 1;
            continue;
        }
        if let Some((from, rest)) = line.split_once(" -> ") {
            let (to, rest) = rest.split_once(": \"").unwrap();
            let (label, rest) = d2_string(rest);
            assert!(rest.is_empty() || rest == " {", "{line}");
            if rest == " {" {
                depth += 1;
            }
            let last = |path: &str| path.rsplit('.').next().unwrap().to_owned();
            edges.push((last(from), last(to), label));
            continue;
        }
        let (id, rest) = line.split_once(": \"").unwrap_or_else(|| panic!("{line}"));
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
        let (label, rest) = d2_string(rest);
        let opens = rest == " {";
        assert!(
            rest.is_empty() || opens || rest == " {shape: text}",
            "{line}"
        );
        if opens {
            depth += 1;
        }
        if id.starts_with("e_") || id == "empty" {
            read.boxes.push(label.clone());
            labels.insert(id.to_owned(), label);
        } else {
            read.containers.push(label);
        }
    }
    assert_eq!(depth, 0, "braces balance");
    read.edges = edges
        .into_iter()
        .map(|(from, to, label)| (labels[&from].clone(), labels[&to].clone(), label))
        .collect();
    read.sorted()
}

/// A DOT string: `\\`, `\"`, `\n`, and `&amp;` for `&`.
fn dot_string(text: &str) -> (String, &str) {
    let (label, rest) = quoted(text, |next| match next {
        '\\' | '"' => Some(next),
        'n' => Some('\n'),
        _ => None,
    });
    assert!(
        !label.replace("&amp;", "").contains('&'),
        "a raw & in a DOT label: {label}"
    );
    (label.replace("&amp;", "&"), rest)
}

fn read_dot(source: &str) -> Read {
    let mut read = Read::default();
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut edges = Vec::new();
    let mut lines = source.lines();
    assert_eq!(lines.next(), Some("digraph kientruc {"));
    let graph = lines
        .next()
        .unwrap()
        .strip_prefix("  graph [label=\"")
        .unwrap();
    read.title = dot_string(graph).0;
    for line in lines {
        let line = line.trim_start();
        if line.starts_with("node [")
            || line.starts_with("edge [")
            || line == "}"
            || line.starts_with("subgraph cluster_")
        {
            continue;
        }
        if let Some(rest) = line.strip_prefix("label=\"") {
            let (label, rest) = dot_string(rest);
            assert_eq!(rest, "");
            read.containers.push(label);
            continue;
        }
        if ["labeljust=", "fontsize=", "style=", "fillcolor=", "color="]
            .iter()
            .any(|start| line.starts_with(start))
        {
            continue;
        }
        if line.ends_with(" [style=invis]") {
            continue;
        }
        if let Some((from, rest)) = line.split_once(" -> ") {
            let (to, rest) = rest.split_once(" [label=\"").unwrap();
            let (label, _) = dot_string(rest);
            edges.push((from.to_owned(), to.to_owned(), label));
            continue;
        }
        let (id, rest) = line
            .split_once(" [label=\"")
            .unwrap_or_else(|| panic!("{line}"));
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{line}"
        );
        let (label, rest) = dot_string(rest);
        assert!(
            rest.ends_with(']') && !rest.contains('"') || rest.starts_with(", "),
            "{line}"
        );
        read.boxes.push(label.clone());
        labels.insert(id.to_owned(), label);
    }
    read.edges = edges
        .into_iter()
        .map(|(from, to, label)| (labels[&from].clone(), labels[&to].clone(), label))
        .collect();
    read.sorted()
}

/// `PlantUML` text: `<U+XXXX>` decoded, `\n` our line break; no other ASCII punctuation but
/// ` ,.()` and `-_*/` alone.
fn plantuml_text(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    loop {
        let next = rest.find(['<', '\\']);
        let Some(at) = next else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..at]);
        if rest[at..].starts_with("\\n") {
            out.push('\n');
            rest = &rest[at + 2..];
        } else {
            let code = rest[at..]
                .strip_prefix("<U+")
                .unwrap_or_else(|| panic!("{text}"));
            let hex = &code[..4];
            assert_eq!(&code[4..5], ">");
            out.push(char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap());
            rest = &code[5..];
        }
    }
    let characters: Vec<char> = text.replace("\\n", "").chars().collect();
    for (at, character) in characters.iter().enumerate() {
        let doubled =
            at > 0 && characters[at - 1] == *character || characters.get(at + 1) == Some(character);
        assert!(
            !character.is_ascii_punctuation()
                || "<>+,.()".contains(*character)
                || ("-_*/".contains(*character) && !doubled),
            "raw {character} in PlantUML text: {text}"
        );
    }
    out
}

fn read_plantuml(source: &str) -> Read {
    let mut read = Read::default();
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut edges = Vec::new();
    let mut lines = source.lines();
    assert_eq!(lines.next(), Some("@startuml"));
    read.title = plantuml_text(lines.next().unwrap().strip_prefix("title ").unwrap());
    let mut in_skin = false;
    for line in lines {
        let line = line.trim_start();
        if line.starts_with("skinparam ") {
            in_skin = line.ends_with('{');
            continue;
        }
        if in_skin {
            in_skin = line != "}";
            continue;
        }
        if line == "}" || line == "@enduml" || line.starts_with("hide ") {
            continue;
        }
        if let Some(rest) = line
            .strip_prefix("rectangle \"")
            .or_else(|| line.strip_prefix("label \""))
        {
            let (label, rest) = rest.split_once("\" as ").unwrap();
            let label = plantuml_text(label);
            let id = rest.split(' ').next().unwrap();
            assert!(
                id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{line}"
            );
            if id.starts_with("e_") || id == "empty" {
                read.boxes.push(label.clone());
                labels.insert(id.to_owned(), label);
            } else {
                read.containers.push(label);
            }
            continue;
        }
        if line.contains(" -[hidden]down-> ") {
            continue;
        }
        let (ends, label) = line.split_once(" : ").unwrap_or_else(|| panic!("{line}"));
        let mut words = ends.split(' ');
        let (from, _, to) = (
            words.next().unwrap(),
            words.next().unwrap(),
            words.next().unwrap(),
        );
        edges.push((from.to_owned(), to.to_owned(), plantuml_text(label)));
    }
    read.edges = edges
        .into_iter()
        .map(|(from, to, label)| (labels[&from].clone(), labels[&to].clone(), label))
        .collect();
    read.sorted()
}

fn read(format: SourceFormat, source: &str) -> Read {
    match format {
        SourceFormat::Mermaid => read_mermaid(source),
        SourceFormat::D2 => read_d2(source),
        SourceFormat::Dot => read_dot(source),
        SourceFormat::Plantuml => read_plantuml(source),
    }
}

#[test]
fn every_label_reads_back_as_the_model_text_in_every_format() {
    for (checked, elements) in [
        (small(), vec!["lgsp", "he_thong_mot_cua", "national.ndxp"]),
        (
            injection(),
            vec![
                "he_thong",
                "he_thong_khac",
                "he_thong_dieu_khien",
                "lgsp",
                "ubnd",
            ],
        ),
        (hostile(), vec!["end", "style", "a-b", "a_b", "ubnd"]),
        (empty(), vec!["ubnd"]),
    ] {
        for language in [Language::Vi, Language::En] {
            let texts = Texts::new(language, None, None);
            let mut choices = vec![ViewChoice::Overview, ViewChoice::Integration];
            choices.extend(
                elements
                    .iter()
                    .map(|id| ViewChoice::Element((*id).to_owned())),
            );
            for choice in &choices {
                let view = sources::view(&checked, &texts, choice).unwrap();
                let wanted = expected(&view, &texts);
                assert!(!wanted.boxes.is_empty());
                for format in FORMATS {
                    let source = sources::write(&view, &texts, format);
                    let got = read(format, &source);
                    assert_eq!(got, wanted, "{choice:?} in {format:?}:\n{source}");
                    assert_eq!(
                        source,
                        sources::export(&checked, &texts, format, choice).unwrap(),
                        "deterministic"
                    );
                }
            }
        }
    }
}

#[test]
fn the_injection_names_are_inert_in_every_format() {
    let checked = injection();
    let texts = Texts::new(Language::Vi, None, None);
    for format in FORMATS {
        let source = sources::export(&checked, &texts, format, &ViewChoice::Overview).unwrap();
        // One line per statement: no name brings its own line, nor a control character.
        assert!(
            !source.contains('\r') && !source.contains('\u{1b}') && !source.contains('\u{202e}')
        );
        let override_shown = if format == SourceFormat::Plantuml {
            "⟨U<U+002B>202E⟩"
        } else {
            "⟨U+202E⟩"
        };
        assert!(source.contains(override_shown), "{format:?}");
        match format {
            SourceFormat::Mermaid => {
                assert!(!source.contains("<script"));
                assert!(source.contains("#lt;script#gt;"));
                assert!(!source.contains("%%"));
            }
            SourceFormat::D2 => {
                assert!(source.contains("TTDL '; DROP TABLE --"));
                assert!(source.contains("\\\"><img src=x"));
            }
            SourceFormat::Dot => assert!(source.contains("line &amp; ampersand")),
            SourceFormat::Plantuml => {
                assert!(!source.contains("<script"));
                assert!(source.contains("<U+003C>script<U+003E>"));
            }
        }
    }
}

#[test]
fn ids_are_generated_never_names() {
    let checked = small();
    let texts = Texts::new(Language::Vi, None, None);
    let source =
        sources::export(&checked, &texts, SourceFormat::D2, &ViewChoice::Integration).unwrap();
    // A qualified id's dot would be a D2 path: it becomes `_`.
    assert!(source.contains("e_national_ndxp: \""));
    assert!(source.contains("b3.e_national_ndxp -> "));
}

#[test]
fn an_unknown_element_is_an_error_with_the_closest_id() {
    let checked = small();
    let texts = Texts::new(Language::En, None, None);
    let error = sources::export(
        &checked,
        &texts,
        SourceFormat::Dot,
        &ViewChoice::parse(Some("he_thong_mot_cuaa")),
    )
    .unwrap_err();
    assert_eq!(
        error,
        SourceError::UnknownView {
            word: "he_thong_mot_cuaa".to_owned(),
            suggestion: Some("he_thong_mot_cua".to_owned()),
        }
    );
    assert_eq!(
        error.to_string(),
        "`he_thong_mot_cuaa` is neither a view (overview, integration, or one the workspace declares) nor an element of the model; did you mean `he_thong_mot_cua`?"
    );
    assert_eq!(
        sources::export(
            &checked,
            &texts,
            SourceFormat::Dot,
            &ViewChoice::parse(Some("integraton"))
        )
        .unwrap_err()
        .to_string(),
        "`integraton` is neither a view (overview, integration, or one the workspace declares) nor an element of the model; did you mean `integration`?"
    );
    assert_eq!(ViewChoice::parse(None), ViewChoice::Overview);
}

#[test]
fn an_empty_view_says_so() {
    let checked = empty();
    let texts = Texts::new(Language::En, None, None);
    for format in FORMATS {
        let source = sources::export(&checked, &texts, format, &ViewChoice::Overview).unwrap();
        assert!(
            source.contains("The model has no elements for this diagram"),
            "{format:?}: {source}"
        );
        assert!(!source.contains("e_"), "{format:?}");
    }
}
