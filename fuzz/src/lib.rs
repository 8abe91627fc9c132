//! The bodies of kientruc's fuzz targets, shared by the libFuzzer binaries in `fuzz_targets/`
//! (nightly, `cargo fuzz run TARGET`) and by the stable corpus replay and random-input smoke test
//! (`checker/tests/fuzz_corpus.rs`, which includes this file with `#[path]`).
//!
//! Each target takes arbitrary bytes and must never panic; the round-trip target also asserts
//! the formatter's contract (the output parses cleanly, means the same, and is a fixed point).
//! Only `kientruc-dsl` and `kientruc-checker` are used, so the file compiles in both crates.

#![allow(dead_code)]

use kientruc_checker::graph::ModelGraph;
use kientruc_checker::selector::{Evaluate as _, Selector};
use kientruc_checker::{CheckOptions, analyze_and_check, config, rules};
use kientruc_dsl::analysis::{Analysis, analyze};
use kientruc_dsl::format::{format_text, same_meaning};
use kientruc_dsl::metamodel::Metamodel;
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{FrameworkPack, MemoryProvider, MemoryRegistry};
use kientruc_dsl::{Diagnostic, FileId, parse as parse_file};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The framework pack, its metamodel and rules, and the Hanoi model, loaded once.
pub struct Fixture {
    pub pack: FrameworkPack,
    pub registry: MemoryRegistry,
    pub metamodel: Metamodel,
    pub rules: rules::RulePack,
    /// The Hanoi model, to evaluate selectors against.
    pub hanoi: Analysis,
}

/// The repository's `architecture/` folder (this file lives in `fuzz/src/`, the replay test in
/// `checker/`: both manifests are one level below the repository root).
pub fn architecture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../architecture")
}

/// Reads a pack folder's `*.toml` and `*.ea` files into a [`FrameworkPack`].
pub fn read_pack(folder: &Path) -> FrameworkPack {
    let mut files = BTreeMap::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(directory) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&directory) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("toml" | "ea")
            ) {
                let name = path
                    .strip_prefix(folder)
                    .expect("below the pack folder")
                    .to_string_lossy()
                    .replace('\\', "/");
                if let Ok(text) = std::fs::read_to_string(&path) {
                    files.insert(name, Arc::from(text));
                }
            }
        }
    }
    FrameworkPack {
        id: folder
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        origin: folder.display().to_string(),
        display_root: None,
        files,
    }
}

/// Loads the vn-egov-3.0 pack and the Hanoi model from disk (once per process).
pub fn pack() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let architecture = architecture_dir();
        let pack = read_pack(&architecture.join("frameworks/vn-egov-3.0"));
        let registry = MemoryRegistry {
            packs: vec![pack.clone()],
        };
        let (metamodel, diagnostics) = Metamodel::from_toml(
            FileId(0),
            pack.files.get("metamodel.toml").expect("metamodel.toml"),
        );
        assert!(
            diagnostics.is_empty(),
            "the metamodel loads: {diagnostics:?}"
        );
        let metamodel = metamodel.expect("the metamodel loads");
        let mut files = kientruc_dsl::workspace::Files::default();
        let mut diagnostics = Vec::new();
        let rules = rules::load_pack(&mut files, &pack, &metamodel, &mut diagnostics);
        assert!(
            diagnostics.is_empty(),
            "the rule pack loads: {diagnostics:?}"
        );
        let hanoi_dir = architecture.join("hanoi");
        let mut provider = MemoryProvider::default();
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(&hanoi_dir)
            .expect("architecture/hanoi")
            .flatten()
        {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) == Some("ea") {
                let name = Path::new("/hanoi").join(entry.file_name());
                provider.insert(name.clone(), std::fs::read(&path).expect("readable"));
                entries.push(name);
            }
        }
        let hanoi = analyze(Path::new("/hanoi"), &entries, &provider, &registry);
        Fixture {
            pack,
            registry,
            metamodel,
            rules,
            hanoi,
        }
    })
}

/// Checks that every diagnostic's spans lie on character boundaries inside their file, the way
/// every renderer (CLI, LSP, reports) will slice them.
fn check_spans(files: &kientruc_dsl::workspace::Files, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        let spans = diagnostic
            .primary
            .iter()
            .chain(&diagnostic.secondary)
            .map(|label| label.span);
        for span in spans {
            assert!(
                (span.file.0 as usize) < files.len(),
                "span in an unknown file"
            );
            let file = files.get(span.file);
            let (start, end) = (span.range.start as usize, span.range.end as usize);
            assert!(
                start <= end && end <= file.text.len(),
                "span {start}..{end} outside `{}` ({} bytes): {diagnostic:?}",
                file.name,
                file.text.len()
            );
            assert!(
                file.text.is_char_boundary(start) && file.text.is_char_boundary(end),
                "span {start}..{end} not on a character boundary in `{}`: {diagnostic:?}",
                file.name
            );
            let _ = files.line_columns(span);
        }
    }
}

/// Splits a fuzz input into workspace files: the text before the first line `//@file NAME`
/// is `main.ea`, each such line starts another file (so the fuzzer can build imports, including
/// ones that try to leave the root).
pub fn split_files(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    const MARKER: &[u8] = b"\n//@file ";
    let mut files = Vec::new();
    let mut name = "main.ea".to_owned();
    let mut rest = data;
    loop {
        let Some(at) = rest.windows(MARKER.len()).position(|w| w == MARKER) else {
            files.push((name, rest.to_vec()));
            break;
        };
        files.push((name, rest[..at].to_vec()));
        rest = &rest[at + MARKER.len()..];
        let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let raw = String::from_utf8_lossy(&rest[..line_end]);
        let cleaned: String = raw
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
            .take(64)
            .collect();
        name = if cleaned.is_empty() {
            format!("file{}.ea", files.len())
        } else {
            cleaned
        };
        rest = &rest[line_end.min(rest.len())..];
        if files.len() >= 16 {
            files.push((name, rest.to_vec()));
            break;
        }
    }
    files
}

/// Target `parse`: the whole pipeline (load, parse, imports, resolve against vn-egov-3.0, rules)
/// on a workspace made from the input.
pub fn parse_target(fixture: &Fixture, data: &[u8]) {
    let root = Path::new("/ws");
    let mut provider = MemoryProvider::default();
    let mut entries = Vec::new();
    for (name, bytes) in split_files(data) {
        let path = kientruc_dsl::workspace::normalize(root, &name);
        if Path::new(&name)
            .extension()
            .is_some_and(|extension| extension == "ea")
            && path.starts_with(root)
        {
            entries.push(path.clone());
        }
        provider.insert(path, bytes);
    }
    // A file outside the root that an import may try to reach: it must never be loaded.
    provider.insert(
        "/outside.ea",
        b"architecture secret \"Secret\" {}\n".to_vec(),
    );
    let options = CheckOptions::on(Date::new(2026, 1, 1).expect("a date"));
    let checked = analyze_and_check(root, &entries, &provider, &fixture.registry, options);
    let files = &checked.analysis.workspace.files;
    for (_, file) in files.iter() {
        assert!(
            file.path != Path::new("/outside.ea"),
            "a file outside the workspace root was loaded"
        );
    }
    check_spans(files, &checked.analysis.diagnostics);
    for finding in &checked.findings {
        let _ = files.line_columns(finding.span);
    }
}

/// Target `parse` under its libFuzzer name.
pub fn parse(fixture: &Fixture, data: &[u8]) {
    parse_target(fixture, data);
}

/// Target `format_roundtrip`: the direct reader agrees with pest on the input; when the formatter
/// accepts a file, its output parses without diagnostics, has the same meaning as the input, and
/// formats to itself.
pub fn format_roundtrip(_fixture: &Fixture, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The direct reader gives pest's declarations or gives up, as pest does (dsl/src/reader.rs).
    let direct = kientruc_dsl::parser::direct_declarations(text);
    let reference = kientruc_dsl::parser::reference_declarations(text);
    assert!(
        direct == reference,
        "the direct reader and pest disagree:\n--- input\n{text}\n--- direct\n{direct:#?}\n--- pest\n{reference:#?}"
    );
    let original = parse_file(FileId(0), text);
    let Some(formatted) = format_text(text) else {
        return;
    };
    let reparsed = parse_file(FileId(0), &formatted);
    assert!(
        reparsed.diagnostics.is_empty(),
        "formatted text does not parse: {:?}\n--- input\n{text}\n--- formatted\n{formatted}",
        reparsed.diagnostics
    );
    assert!(
        same_meaning(&original.tree, &reparsed.tree),
        "formatting changed the meaning\n--- input\n{text}\n--- formatted\n{formatted}"
    );
    let again = format_text(&formatted);
    assert_eq!(
        again.as_deref(),
        Some(formatted.as_str()),
        "formatting is not idempotent\n--- input\n{text}"
    );
}

/// Target `selector`: parse a selector against the pack's metamodel and, when it is valid,
/// evaluate it on the Hanoi model; the selection through the graph's indexes must equal a scan
/// of every element.
pub fn selector(fixture: &Fixture, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(selector) = Selector::parse(text, &fixture.metamodel) {
        let graph = ModelGraph::build(&fixture.hanoi.model);
        let selected = selector.select(&graph);
        let scanned: Vec<_> = fixture
            .hanoi
            .model
            .elements
            .iter()
            .filter(|element| selector.matches(&graph, element))
            .map(|element| element.id)
            .collect();
        assert_eq!(
            selected, scanned,
            "the indexed selection differs from a scan for {text:?}"
        );
        // Computed block by block with the rules' other selectors, across block and task
        // boundaries, the selection is the same.
        let others: Vec<Selector> = ["kind(system)", "workspace", "not kind(agency)"]
            .iter()
            .filter_map(|other| Selector::parse(other, &fixture.metamodel).ok())
            .collect();
        let mut all: Vec<&Selector> = others.iter().collect();
        all.insert(1, &selector);
        for (block, task) in [(1, 1), (3, 7), (16, 16), (1024, 32 * 1024)] {
            let selections =
                kientruc_checker::engine::Selections::compute_in_blocks(&graph, &all, block, task);
            assert_eq!(
                selections.get(&selector),
                Some(scanned.as_slice()),
                "the selection in blocks of {block} (tasks of {task}) differs for {text:?}"
            );
        }
    }
}

/// Target `rule_pack`: the input as a rule file, as `kientruc.toml`, and as a metamodel.
pub fn rule_pack(fixture: &Fixture, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diagnostics = Vec::new();
    let register = &fixture.rules.register;
    let loaded = rules::load_rule_file(
        FileId(0),
        text,
        &fixture.metamodel,
        register,
        None,
        &mut diagnostics,
    );
    let mut pack = rules::assemble(loaded, register.clone(), &mut diagnostics);
    // The input as an overlay's register and rules, on top of the pack.
    let overlay = rules::Overlay {
        id: "fuzz".to_owned(),
        prefix: "FZ".to_owned(),
        documents: Some((
            "documents.toml".to_owned(),
            "/fuzz/documents.toml".into(),
            text.into(),
        )),
        rules: vec![(
            "rules.toml".to_owned(),
            "/fuzz/rules.toml".into(),
            text.into(),
        )],
    };
    let mut files = kientruc_dsl::workspace::Files::default();
    let _ = rules::with_overlay(
        fixture.rules.clone(),
        &overlay,
        &mut files,
        &fixture.metamodel,
        &mut diagnostics,
    );
    let _ = kientruc_checker::register::load_register(
        FileId(3),
        text,
        Some(register),
        &mut diagnostics,
    );
    let mut fixture_rules = fixture.rules.clone();
    let _ = config::Config::parse(FileId(1), text, &mut fixture_rules, |_, _, _| {});
    let _ = config::Config::parse(FileId(1), text, &mut pack, |_, _, _| {});
    let _ = Metamodel::from_toml(FileId(2), text);
}

/// A target: the fixture and one input.
pub type Target = fn(&Fixture, &[u8]);

/// The targets by name, for the replay test.
pub const TARGETS: &[(&str, Target)] = &[
    ("parse", parse_target),
    ("format_roundtrip", format_roundtrip),
    ("selector", selector),
    ("rule_pack", rule_pack),
];
