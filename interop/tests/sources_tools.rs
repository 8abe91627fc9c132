//! The diagram sources through the languages' own tools: Graphviz's `dot` draws every DOT file,
//! `PlantUML` every `.puml` file, the D2 compiler (its WASM build, `@terrastruct/d2`) every D2
//! file, and Mermaid's parser every Mermaid file (`interop/tests/tools/check.mjs`, with the
//! versions locked in `interop/tests/tools/package-lock.json`); for the small model, the injection
//! model and the hostile one, both views and neighbourhoods, in both languages. Where a tool
//! draws, every box's name must be in the picture as its text, exactly (the lines of a wrapped
//! name one after the other).
//!
//! `.ci/run` installs the tools (`apt-get install graphviz plantuml`, `npm ci` in
//! `interop/tests/tools`); without one the test is skipped with a loud warning, and fails when
//! `CI` is set.

mod sources_common;

use kientruc_checker::Checked;
use kientruc_interop::sources::{self, SourceFormat, ViewChoice};
use kientruc_reports::Language;
use kientruc_reports::diagram::LaidOutView;
use kientruc_reports::escape::{Breaks, neutralise};
use kientruc_reports::i18n::Texts;
use sources_common::{empty, hostile, injection, small};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A written source and the names its boxes must show.
struct Written {
    path: PathBuf,
    names: Vec<String>,
}

/// Every source of every fixture in `format`, written under `folder`.
fn write_all(folder: &Path, format: SourceFormat) -> Vec<Written> {
    let fixtures: [(&str, Checked, &[&str]); 4] = [
        (
            "small",
            small(),
            &["lgsp", "he_thong_mot_cua", "national.ndxp"],
        ),
        (
            "injection",
            injection(),
            &["he_thong", "he_thong_khac", "he_thong_dieu_khien"],
        ),
        ("hostile", hostile(), &["end", "style", "a-b"]),
        ("empty", empty(), &["ubnd"]),
    ];
    let mut written = Vec::new();
    for (fixture, checked, elements) in &fixtures {
        for language in [Language::Vi, Language::En] {
            let texts = Texts::new(language, None, None);
            let mut choices = vec![
                ("overview".to_owned(), ViewChoice::Overview),
                ("integration".to_owned(), ViewChoice::Integration),
            ];
            for element in *elements {
                choices.push((
                    element.replace('.', "_"),
                    ViewChoice::Element((*element).to_owned()),
                ));
            }
            for (view_name, choice) in choices {
                let view = sources::view(checked, &texts, &choice).unwrap();
                let path = folder.join(format!(
                    "{fixture}-{view_name}-{}.{}",
                    kientruc_reports::i18n::code(language),
                    format.extension()
                ));
                std::fs::write(&path, sources::write(&view, &texts, format)).unwrap();
                written.push(Written {
                    path,
                    names: names(&view),
                });
            }
        }
    }
    written
}

fn names(view: &LaidOutView) -> Vec<String> {
    view.nodes
        .iter()
        .map(|node| neutralise(&node.name, Breaks::Space).into_owned())
        .collect()
}

fn fresh_folder(name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("sources-tools")
        .join(name);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// Whether `program --version`-like `probe` runs; a loud skip outside CI, a failure in CI.
fn available(what: &str, probe: &mut Command, install: &str) -> bool {
    if probe.output().is_ok_and(|output| output.status.success()) {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{what} is missing: .ci/run installs it ({install})"
    );
    // Straight to stderr, past the test harness's capture, so the skip is seen.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "\nwarning: {what} is missing, so its diagram-source check is SKIPPED ({install})\n\n"
        )
        .as_bytes(),
    );
    false
}

/// The texts of an SVG's `<text>` elements, each `<tspan>` (a line) alone, entities decoded.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut texts = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        rest = &rest[start..];
        let open_end = rest.find('>').unwrap();
        let close = rest.find("</text>").unwrap();
        let inner = &rest[open_end + 1..close];
        // Each line (a `<tspan>`) on its own: drop the tags, keep their text.
        let mut text = String::new();
        let mut in_tag = false;
        for character in inner.chars() {
            match character {
                '<' => {
                    in_tag = true;
                    text.push('\n');
                }
                '>' => in_tag = false,
                _ if !in_tag => text.push(character),
                _ => {}
            }
        }
        texts.extend(
            text.split('\n')
                .filter(|line| !line.is_empty())
                .map(unescape_xml),
        );
        rest = &rest[close + 7..];
    }
    texts
}

fn unescape_xml(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = at + rest[at..].find(';').unwrap();
        let entity = &rest[at + 1..end];
        let character = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            _ if entity.starts_with("#x") => {
                char::from_u32(u32::from_str_radix(&entity[2..], 16).unwrap()).unwrap()
            }
            _ if entity.starts_with('#') => char::from_u32(entity[1..].parse().unwrap()).unwrap(),
            _ => panic!("unknown entity &{entity};"),
        };
        out.push(character);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    // Tools write spaces as no-break spaces where they would collapse.
    out.replace('\u{a0}', " ")
}

/// Every name is in the SVG's texts, exactly (its lines in a row when wrapped).
fn assert_names_drawn(svg_path: &Path, names: &[String]) {
    let svg = std::fs::read_to_string(svg_path)
        .unwrap_or_else(|error| panic!("{}: {error}", svg_path.display()));
    assert!(!svg.contains("<script"), "{}", svg_path.display());
    // A long name is wrapped at spaces into lines that follow each other.
    let texts = svg_texts(&svg).join(" ");
    for name in names {
        assert!(
            texts.contains(name.as_str()),
            "{}: no text `{name}` in {texts}",
            svg_path.display()
        );
    }
}

#[test]
fn graphviz_draws_every_dot_source() {
    if !available(
        "Graphviz (dot)",
        Command::new("dot").arg("-V"),
        "apt-get install graphviz",
    ) {
        return;
    }
    let folder = fresh_folder("dot");
    for written in write_all(&folder, SourceFormat::Dot) {
        let svg = written.path.with_extension("svg");
        let output = Command::new("dot")
            .arg("-Tsvg")
            .arg(&written.path)
            .arg("-o")
            .arg(&svg)
            .output()
            .unwrap();
        assert!(
            output.status.success() && output.stderr.is_empty(),
            "dot on {}: {}",
            written.path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_names_drawn(&svg, &written.names);
    }
}

#[test]
fn plantuml_draws_every_plantuml_source() {
    if !available(
        "PlantUML",
        Command::new("plantuml").arg("-version"),
        "apt-get install plantuml",
    ) {
        return;
    }
    let folder = fresh_folder("plantuml");
    let written = write_all(&folder, SourceFormat::Plantuml);
    // One Java start for every file; PlantUML says 0 even when it draws an error, so each SVG is
    // read too.
    let output = Command::new("plantuml")
        .arg("-tsvg")
        .arg("-failfast2")
        .args(written.iter().map(|written| &written.path))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "plantuml: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for written in &written {
        let svg_path = written.path.with_extension("svg");
        let svg = std::fs::read_to_string(&svg_path).unwrap();
        for error in [
            "Syntax Error",
            "An error has occured",
            "Exception",
            "Dot Executable",
        ] {
            assert!(!svg.contains(error), "{}: {error}", written.path.display());
        }
        assert_names_drawn(&svg_path, &written.names);
    }
}

#[test]
fn mermaid_parses_and_d2_draws_every_source() {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools");
    if !available(
        "Node.js with interop/tests/tools/node_modules (the Mermaid parser and D2)",
        Command::new("node").arg("-e").arg(format!(
            "require.resolve('mermaid', {{ paths: [{tools:?}] }}); require.resolve('@terrastruct/d2', {{ paths: [{tools:?}] }})"
        )),
        "cd interop/tests/tools && npm ci --ignore-scripts",
    ) {
        return;
    }
    let folder = fresh_folder("node");
    let mut written = write_all(&folder, SourceFormat::Mermaid);
    written.extend(write_all(&folder, SourceFormat::D2));
    let output = Command::new("node")
        .arg(tools.join("check.mjs"))
        .args(written.iter().map(|written| &written.path))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "check.mjs:\n{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        report
            .lines()
            .filter(|line| line.starts_with("ok "))
            .count(),
        written.len(),
        "{report}"
    );
    for written in written.iter().filter(|written| {
        written
            .path
            .extension()
            .is_some_and(|extension| extension == "d2")
    }) {
        assert_names_drawn(&written.path.with_extension("svg"), &written.names);
    }
}
