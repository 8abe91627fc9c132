//! What the report tests share: the fixtures' own framework pack (`fixtures/frameworks/report-test`,
//! so snapshots do not churn as the real rule pack grows) and a workspace of files checked
//! against it in memory.

#![allow(dead_code)] // each test binary uses its own part

use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{FrameworkPack, MemoryProvider, MemoryRegistry};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const PACK: &[(&str, &str)] = &[
    (
        "framework.toml",
        include_str!("../fixtures/frameworks/report-test/framework.toml"),
    ),
    (
        "metamodel.toml",
        include_str!("../fixtures/frameworks/report-test/metamodel.toml"),
    ),
    (
        "national.ea",
        include_str!("../fixtures/frameworks/report-test/national.ea"),
    ),
    (
        "documents.toml",
        include_str!("../fixtures/frameworks/report-test/documents.toml"),
    ),
    (
        "rules/rules.toml",
        include_str!("../fixtures/frameworks/report-test/rules/rules.toml"),
    ),
];

/// `files` (name, text) as the workspace `/ws`, checked against the test pack on 01/07/2025 and
/// judged on `as_of` (`--as-of`) when given, else on the header's date; input problems and all.
pub fn analyze_as_of(files: &[(&str, &str)], as_of: Option<Date>) -> Checked {
    let registry = MemoryRegistry {
        packs: vec![FrameworkPack {
            id: "report-test".to_owned(),
            origin: "test".to_owned(),
            display_root: None,
            files: PACK
                .iter()
                .map(|(name, text)| ((*name).to_owned(), Arc::from(*text)))
                .collect(),
        }],
    };
    let mut provider = MemoryProvider::default();
    let mut entries: Vec<PathBuf> = Vec::new();
    for (name, text) in files {
        let path = Path::new("/ws").join(name);
        provider.insert(&path, *text);
        entries.push(path);
    }
    analyze_and_check(
        Path::new("/ws"),
        &entries,
        &provider,
        &registry,
        CheckOptions {
            today: Date::new(2025, 7, 1).unwrap(),
            config: None,
            select: Vec::new(),
            ignore: Vec::new(),
            pack_cache: None,
            as_of,
            now: None,
            overlay_files: Vec::new(),
            drop_syntax: false,
            rule_cache: None,
        },
    )
}

/// A checked model, input problems and all.
pub fn analyze(files: &[(&str, &str)]) -> Checked {
    analyze_as_of(files, None)
}

/// A checked model whose input has no problem (the test fails otherwise, listing them).
pub fn check(files: &[(&str, &str)]) -> Checked {
    let checked = analyze(files);
    let diagnostics: Vec<String> = checked
        .analysis
        .diagnostics
        .iter()
        .map(|diagnostic| format!("{} {}", diagnostic.code, diagnostic.message))
        .collect();
    assert!(
        diagnostics.is_empty(),
        "fixture diagnostics: {diagnostics:?}"
    );
    checked
}
