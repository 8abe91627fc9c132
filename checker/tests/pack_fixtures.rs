//! Runs every rule fixture of every framework pack under `architecture/frameworks/`:
//! `fixtures/<RULE-ID>/pass*.ea` must give no finding of that rule, `fail*.ea` at least one.
//! A fail fixture lists the findings of its rule, exactly, with comment lines
//! `// expect: RULE-ID on ELEMENT-ID` (optionally `at LINE`, the line the finding points at):
//! no more, no fewer (a rule that also fires on compliant elements fails its fixture).
//! The suite fails on a rule without both kinds of fixture and on a folder that names no rule
//! (Biome's spec tests). Fixtures must also be free of syntax and resolution errors.

use kientruc_checker::{CheckOptions, analyze_and_check};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{FrameworkPack, MemoryProvider, MemoryRegistry};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn read_pack(folder: &Path) -> FrameworkPack {
    let mut files = BTreeMap::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(directory) = stack.pop() {
        for entry in std::fs::read_dir(&directory).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("toml" | "ea")
            ) {
                let name = path
                    .strip_prefix(folder)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(name, Arc::from(std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    FrameworkPack {
        id: folder.file_name().unwrap().to_string_lossy().into_owned(),
        origin: folder.display().to_string(),
        display_root: None,
        files,
    }
}

#[test]
fn every_rule_has_passing_and_failing_fixtures_that_behave() {
    let frameworks = Path::new(env!("CARGO_MANIFEST_DIR")).join("../architecture/frameworks");
    let mut problems = Vec::new();
    let mut checked_fixtures = 0;
    for entry in std::fs::read_dir(&frameworks).unwrap().flatten() {
        if !entry.path().join("framework.toml").is_file() {
            continue;
        }
        let pack = read_pack(&entry.path());
        let registry = MemoryRegistry {
            packs: vec![pack.clone()],
        };
        // The rule ids, from an analysis of the national model (loads the pack once).
        let mut fixtures: BTreeMap<String, Vec<(String, Arc<str>)>> = BTreeMap::new();
        for (name, text) in &pack.files {
            if let Some(rest) = name.strip_prefix("fixtures/") {
                let (rule, file) = rest.split_once('/').expect("fixtures/<RULE-ID>/<file>.ea");
                fixtures
                    .entry(rule.to_owned())
                    .or_default()
                    .push((file.to_owned(), text.clone()));
            }
        }
        let options = || CheckOptions {
            today: Date::new(2025, 1, 1).unwrap(),
            config: None,
            select: Vec::new(),
            ignore: Vec::new(),
            pack_cache: None,
            as_of: None,
            now: None,
            overlay_files: Vec::new(),
        };
        let probe = {
            let mut provider = MemoryProvider::default();
            provider.insert(
                "/ws/probe.ea",
                format!(
                    "architecture probe \"Probe\" {{\n  framework \"{}\"\n  version \"1\"\n}}\n",
                    pack.id
                ),
            );
            analyze_and_check(
                Path::new("/ws"),
                &[PathBuf::from("/ws/probe.ea")],
                &provider,
                &registry,
                options(),
            )
        };
        let pack_errors: Vec<String> = probe
            .analysis
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect();
        assert!(
            pack_errors.is_empty(),
            "{}: the pack itself has problems: {pack_errors:#?}",
            pack.id
        );
        for rule in &probe.pack.rules {
            let files = fixtures
                .get(&rule.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if !files.iter().any(|(name, _)| name.starts_with("pass"))
                || !files.iter().any(|(name, _)| name.starts_with("fail"))
            {
                problems.push(format!(
                    "{}/{}: needs fixtures/{}/pass*.ea and fail*.ea",
                    pack.id, rule.id, rule.id
                ));
            }
        }
        for (rule_id, files) in &fixtures {
            if probe.pack.get(rule_id).is_none() {
                problems.push(format!("{}: fixtures/{rule_id}/ names no rule", pack.id));
                continue;
            }
            for (name, text) in files {
                checked_fixtures += 1;
                let path = PathBuf::from(format!("/ws/{name}"));
                let mut provider = MemoryProvider::default();
                provider.insert(path.clone(), text.as_bytes());
                let checked =
                    analyze_and_check(Path::new("/ws"), &[path], &provider, &registry, options());
                let label = format!("{}/fixtures/{rule_id}/{name}", pack.id);
                let errors: Vec<String> = checked
                    .analysis
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == kientruc_dsl::Severity::Error)
                    .map(|d| {
                        let line = d.primary.as_ref().map_or(0, |label| {
                            checked
                                .analysis
                                .workspace
                                .files
                                .line_columns(label.span)
                                .0
                                .line
                        });
                        format!("{}:{line} {}", d.code, d.message)
                    })
                    .collect();
                if !errors.is_empty() {
                    problems.push(format!("{label}: does not resolve cleanly: {errors:?}"));
                    continue;
                }
                let hits: Vec<&kientruc_checker::findings::Finding> = checked
                    .findings
                    .iter()
                    .filter(|finding| finding.rule == *rule_id && !finding.is_waived())
                    .collect();
                if name.starts_with("pass") && !hits.is_empty() {
                    let messages: Vec<&str> = hits
                        .iter()
                        .map(|finding| finding.message.en.as_str())
                        .collect();
                    problems.push(format!(
                        "{label}: expected no {rule_id} finding, got {messages:?}"
                    ));
                }
                if name.starts_with("fail") {
                    if hits.is_empty() {
                        problems.push(format!("{label}: expected a {rule_id} finding, got none"));
                    }
                    // The expected findings of the rule, exactly: `// expect: RULE on ELEMENT`,
                    // optionally `at LINE` (the line the finding points at).
                    let mut expected: Vec<(String, Option<u32>)> = Vec::new();
                    for line in text.lines() {
                        if let Some(expect) = line.trim().strip_prefix("// expect:") {
                            let (expected_rule, rest) = expect
                                .trim()
                                .split_once(" on ")
                                .unwrap_or((expect.trim(), ""));
                            if expected_rule.trim() != rule_id {
                                problems.push(format!(
                                    "{label}: expects {expected_rule}, not the folder's rule"
                                ));
                            }
                            let (element, at) = match rest.split_once(" at ") {
                                Some((element, at)) => (element, at.trim().parse().ok()),
                                None => (rest, None),
                            };
                            expected.push((element.trim().to_owned(), at));
                        }
                    }
                    let mut got: Vec<(String, Option<u32>)> = hits
                        .iter()
                        .map(|finding| {
                            let line = checked
                                .analysis
                                .workspace
                                .files
                                .line_columns(finding.span)
                                .0
                                .line;
                            (finding.element.clone().unwrap_or_default(), Some(line))
                        })
                        .collect();
                    got.sort();
                    let mut expected_sorted = expected.clone();
                    expected_sorted.sort();
                    let matches = got.len() == expected_sorted.len()
                        && got.iter().zip(&expected_sorted).all(|(got, expected)| {
                            got.0 == expected.0 && (expected.1.is_none() || got.1 == expected.1)
                        });
                    if !matches {
                        problems.push(format!(
                            "{label}: expected exactly {expected_sorted:?} (element, line), got {got:?}"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} fixture problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    eprintln!("{checked_fixtures} fixtures checked");
}
