//! Benchmarks of each stage of the pipeline on generated workspaces (`cargo bench -p
//! kientruc-reports`): parse, load + resolve, the full check with the vn-egov-3.0 rule pack, and
//! rendering each report format. Whole-process figures at larger sizes are in BENCHMARKS.md
//! (`python3 bench/run.py`).

use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{FrameworkPack, MemoryProvider, MemoryRegistry};
use kientruc_dsl::{FileId, parse};
use kientruc_reports::{Format, ReportOptions, render};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const SIZES: &[usize] = &[1_000, 10_000];

fn main() {
    divan::main();
}

/// The vn-egov-3.0 pack, read from the repository.
fn registry() -> MemoryRegistry {
    let folder =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../architecture/frameworks/vn-egov-3.0");
    let mut files = BTreeMap::new();
    for name in ["framework.toml", "metamodel.toml", "national.ea"] {
        files.insert(
            name.to_owned(),
            Arc::from(std::fs::read_to_string(folder.join(name)).expect("pack file")),
        );
    }
    for entry in std::fs::read_dir(folder.join("rules"))
        .expect("rules folder")
        .flatten()
    {
        let name = format!("rules/{}", entry.file_name().to_string_lossy());
        files.insert(
            name,
            Arc::from(std::fs::read_to_string(entry.path()).expect("rule file")),
        );
    }
    MemoryRegistry {
        packs: vec![FrameworkPack {
            id: "vn-egov-3.0".to_owned(),
            origin: "bench".to_owned(),
            display_root: None,
            files,
        }],
    }
}

fn workspace(elements: usize) -> (MemoryProvider, Vec<PathBuf>) {
    let generated = kientruc_checker::generate::generate(elements, 1);
    let mut provider = MemoryProvider::default();
    let mut entries = Vec::new();
    for (name, text) in generated.files {
        let path = Path::new("/ws").join(name);
        provider.insert(path.clone(), text);
        entries.push(path);
    }
    (provider, entries)
}

fn options() -> CheckOptions {
    CheckOptions::on(Date::new(2025, 1, 1).expect("a date"))
}

fn checked(elements: usize) -> Checked {
    let (provider, entries) = workspace(elements);
    analyze_and_check(
        Path::new("/ws"),
        &entries,
        &provider,
        &registry(),
        options(),
    )
}

#[divan::bench(args = SIZES)]
fn parse_files(bencher: divan::Bencher, elements: usize) {
    let texts: Vec<String> = kientruc_checker::generate::generate(elements, 1)
        .files
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    bencher.bench(|| {
        texts
            .iter()
            .enumerate()
            .map(|(index, text)| parse(FileId(index as u32), text).tree.declarations.len())
            .sum::<usize>()
    });
}

#[divan::bench(args = SIZES)]
fn load_and_resolve(bencher: divan::Bencher, elements: usize) {
    let (provider, entries) = workspace(elements);
    let registry = registry();
    bencher.bench(|| {
        kientruc_dsl::analysis::analyze(Path::new("/ws"), &entries, &provider, &registry)
            .model
            .elements
            .len()
    });
}

#[divan::bench(args = SIZES)]
fn check_full_rule_pack(bencher: divan::Bencher, elements: usize) {
    let (provider, entries) = workspace(elements);
    let registry = registry();
    bencher.bench(|| {
        analyze_and_check(Path::new("/ws"), &entries, &provider, &registry, options())
            .findings
            .len()
    });
}

#[divan::bench(args = [Format::Html, Format::Markdown, Format::Json, Format::Sarif, Format::Junit])]
fn render_report_10000(bencher: divan::Bencher, format: Format) {
    let checked = checked(10_000);
    let report_options = ReportOptions::default();
    bencher.bench(|| render(format, &checked, &report_options).map_or(0, |text| text.len()));
}
