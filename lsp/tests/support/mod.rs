//! Shared test support: the test framework pack, multi-file fixtures with a `$0` cursor marker,
//! and analysing a fixture in memory the way the server does.

#![allow(dead_code)]

pub mod client;

use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{FrameworkPack, MemoryProvider, MemoryRegistry};
use kientruc_lsp::ide::FilePosition;
use kientruc_lsp::state::ProjectAnalysis;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const METAMODEL: &str = include_str!("../../../tests/frameworks/mini/metamodel.toml");
pub const FRAMEWORK: &str = include_str!("../fixtures/framework.toml");
pub const RULES: &str = include_str!("../fixtures/rules.toml");
pub const DOCUMENTS: &str = include_str!("../../../tests/frameworks/mini/documents.toml");
pub const NATIONAL: &str = include_str!("../fixtures/national.ea");

/// The date every test judges waivers against.
pub fn today() -> Date {
    Date::new(2025, 1, 1).expect("a valid date")
}

/// The pack's files by name.
pub fn pack_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("framework.toml", FRAMEWORK),
        ("metamodel.toml", METAMODEL),
        ("documents.toml", DOCUMENTS),
        ("rules/test.toml", RULES),
        ("national.ea", NATIONAL),
    ]
}

pub fn registry() -> MemoryRegistry {
    let files: BTreeMap<String, Arc<str>> = pack_files()
        .into_iter()
        .map(|(name, text)| (name.to_owned(), Arc::from(text)))
        .collect();
    MemoryRegistry {
        packs: vec![FrameworkPack {
            id: "mini".to_owned(),
            origin: "test".to_owned(),
            display_root: None,
            files,
        }],
    }
}

/// A workspace used by most tests: a header importing the national model, an agency, systems
/// (one waived), a platform, and Vietnamese display names everywhere.
pub const WORKSPACE: &str = r#"//- /ws/main.ea
architecture hn "Hà Nội" {
  framework "mini"
  version "3.0"
}

import "framework:national.ea" as national

agency ubnd "Ủy ban nhân dân thành phố" {
  level province
}
//- /ws/apps.ea
/// Hệ thống thông tin giải quyết thủ tục hành chính.
system dvc "Hệ thống dịch vụ công" {
  owner ubnd
  security_level 3
  status operational
  uses -> national.ndxp "trao đổi hồ sơ"
}

platform lgsp "Nền tảng LGSP" {
  owner ubnd
  platform_type lgsp
}

system camera "Camera giám sát" {
  owner ubnd
  uses -> lgsp
}

waive T-PROP-001 on camera until 2025-06-30 "đang lập hồ sơ"
"#;

/// Files of a fixture and the cursor (`$0`, removed from the text).
#[derive(Debug, Clone)]
pub struct Fixture {
    pub files: Vec<(PathBuf, String)>,
    pub cursor: Option<(PathBuf, usize)>,
}

/// Splits `//- /path` sections; the first `$0` marks the cursor.
pub fn fixture(text: &str) -> Fixture {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut cursor = None;
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("//- ") {
            files.push((PathBuf::from(path.trim()), String::new()));
            continue;
        }
        let (path, content) = files.last_mut().expect("a fixture starts with `//- /path`");
        if let Some(at) = line.find("$0") {
            cursor = Some((path.clone(), content.len() + at));
            content.push_str(&line.replacen("$0", "", 1));
        } else {
            content.push_str(line);
        }
    }
    Fixture { files, cursor }
}

/// Replaces the text of one fixture file by `replace(text)`.
pub fn with_file(text: &str, path: &str, mut replace: impl FnMut(&str) -> String) -> String {
    let mut out = String::new();
    let mut sections = text.split("//- ").filter(|section| !section.is_empty());
    for section in sections.by_ref() {
        let (header, content) = section.split_once('\n').expect("a header line");
        out.push_str("//- ");
        out.push_str(header);
        out.push('\n');
        if header.trim() == path {
            out.push_str(&replace(content));
        } else {
            out.push_str(content);
        }
    }
    out
}

pub fn cache_directory() -> PathBuf {
    std::env::temp_dir().join("kientruc-lsp-tests")
}

/// Analyses every file of the fixture under `/ws`, like the server does.
pub fn analyze(fixture: &Fixture) -> ProjectAnalysis {
    let mut provider = MemoryProvider::default();
    for (path, text) in &fixture.files {
        provider.insert(path.clone(), text.clone());
    }
    let entries: Vec<PathBuf> = fixture
        .files
        .iter()
        .map(|(path, _)| path.clone())
        .filter(|path| path.extension().is_some_and(|extension| extension == "ea"))
        .collect();
    ProjectAnalysis::analyze(
        Path::new("/ws"),
        &entries,
        &provider,
        &registry(),
        kientruc_lsp::ide::AnalysisSettings {
            today: today(),
            language_preference: None,
            cache_directory: &cache_directory(),
            pack_cache: None,
            rule_cache: None,
            config: None,
        },
    )
}

/// The analysis of a fixture and its cursor.
pub fn analyze_at(text: &str) -> (ProjectAnalysis, FilePosition) {
    let fixture = fixture(text);
    let project = analyze(&fixture);
    let (path, offset) = fixture.cursor.clone().expect("a `$0` cursor");
    let file = project
        .file_of_path(&path)
        .expect("the cursor's file is analysed");
    (project, FilePosition { file, offset })
}

/// `file:line:column` (1-based) of a span, with the file's display name.
pub fn place(project: &ProjectAnalysis, span: kientruc_dsl::text::Span) -> String {
    let files = &project.checked.analysis.workspace.files;
    let (start, end) = files.line_columns(span);
    format!(
        "{}:{}:{}-{}:{}",
        files.get(span.file).name,
        start.line,
        start.column,
        end.line,
        end.column
    )
}

/// The language diagnostics of an analysis as `CODE message` lines.
pub fn diagnostic_lines(project: &ProjectAnalysis) -> Vec<String> {
    project
        .checked
        .analysis
        .diagnostics
        .iter()
        .map(|diagnostic| format!("{} {}", diagnostic.code, diagnostic.message))
        .collect()
}
