//! Runs every rule fixture of every framework pack under `architecture/frameworks/`:
//! `fixtures/<RULE-ID>/pass*.ea` must make that rule pass (it applies, on the fixture's date and
//! subject, and finds nothing), `fail*.ea` give at least one finding; the same for the overlays
//! the models under `architecture/` declare (`<rules folder>/fixtures/<RULE-ID>/`).
//! A fail fixture lists the findings of its rule, exactly, with comment lines
//! `// expect: RULE-ID on ELEMENT-ID` (optionally `at LINE`, the line the finding points at):
//! no more, no fewer (a rule that also fires on compliant elements fails its fixture).
//! The suite fails on a rule without both kinds of fixture and on a folder that names no rule
//! (Biome's spec tests). Fixtures must also be free of syntax and resolution errors.

mod support;

use kientruc_checker::{CheckOptions, analyze_and_check};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{MemoryProvider, MemoryRegistry};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A workspace's overlay (`kientruc.toml` with `[overlay]`): the configuration and the files it
/// names, relative to the workspace folder.
struct OverlayWorkspace {
    config: String,
    files: Vec<(String, Arc<str>)>,
    fixtures: BTreeMap<String, Vec<(String, Arc<str>)>>,
}

fn options() -> CheckOptions {
    CheckOptions::on(Date::new(2025, 1, 1).unwrap())
}

/// A provider holding `files` under `/ws`, plus the overlay's configuration and files.
fn provider_with(overlay: Option<&OverlayWorkspace>, files: &[(&str, &str)]) -> MemoryProvider {
    let mut provider = MemoryProvider::default();
    if let Some(overlay) = overlay {
        provider.insert("/ws/kientruc.toml", overlay.config.as_bytes());
        for (name, text) in &overlay.files {
            provider.insert(PathBuf::from(format!("/ws/{name}")), text.as_bytes());
        }
    }
    for (name, text) in files {
        provider.insert(PathBuf::from(format!("/ws/{name}")), text.as_bytes());
    }
    provider
}

/// The fixtures of a folder: `<RULE-ID>/<file>.ea`.
fn fixtures_in(
    files: impl Iterator<Item = (String, Arc<str>)>,
) -> BTreeMap<String, Vec<(String, Arc<str>)>> {
    let mut fixtures: BTreeMap<String, Vec<(String, Arc<str>)>> = BTreeMap::new();
    for (rest, text) in files {
        let (rule, file) = rest.split_once('/').expect("fixtures/<RULE-ID>/<file>.ea");
        fixtures
            .entry(rule.to_owned())
            .or_default()
            .push((file.to_owned(), text));
    }
    fixtures
}

/// The overlays declared by the models under `architecture/` (not the packs): each with the
/// fixtures beside its rule files (`<rules folder>/fixtures/<RULE-ID>/`).
fn overlays(architecture: &Path) -> Vec<(String, OverlayWorkspace)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(architecture).unwrap().flatten() {
        let config_path = entry.path().join("kientruc.toml");
        let Ok(config) = std::fs::read_to_string(&config_path) else {
            continue;
        };
        let named = kientruc_checker::config::overlay_files(&config);
        if named.is_empty() {
            continue;
        }
        let files: Vec<(String, Arc<str>)> = named
            .iter()
            .map(|name| {
                let text = std::fs::read_to_string(entry.path().join(name))
                    .unwrap_or_else(|error| panic!("{}: {name}: {error}", config_path.display()));
                (name.clone(), Arc::from(text))
            })
            .collect();
        let mut fixture_files = Vec::new();
        let mut folders: Vec<PathBuf> = named
            .iter()
            .filter_map(|name| {
                Path::new(name)
                    .parent()
                    .map(|parent| parent.join("fixtures"))
            })
            .collect();
        folders.sort();
        folders.dedup();
        for folder in folders {
            let root = entry.path().join(&folder);
            let Ok(rules) = std::fs::read_dir(&root) else {
                continue;
            };
            for rule in rules.flatten().filter(|rule| rule.path().is_dir()) {
                for file in std::fs::read_dir(rule.path()).unwrap().flatten() {
                    let name = format!(
                        "{}/{}",
                        rule.file_name().to_string_lossy(),
                        file.file_name().to_string_lossy()
                    );
                    fixture_files.push((
                        name,
                        Arc::from(std::fs::read_to_string(file.path()).unwrap()),
                    ));
                }
            }
        }
        found.push((
            entry.file_name().to_string_lossy().into_owned(),
            OverlayWorkspace {
                config,
                files,
                fixtures: fixtures_in(fixture_files.into_iter()),
            },
        ));
    }
    found
}

#[test]
fn every_rule_has_passing_and_failing_fixtures_that_behave() {
    let frameworks = Path::new(env!("CARGO_MANIFEST_DIR")).join("../architecture/frameworks");
    let mut problems = Vec::new();
    let mut checked_fixtures = 0;
    let mut packs = Vec::new();
    for entry in std::fs::read_dir(&frameworks).unwrap().flatten() {
        if entry.path().join("framework.toml").is_file() {
            packs.push(support::read_pack(&entry.path()));
        }
    }
    let registry = MemoryRegistry {
        packs: packs.clone(),
    };
    for pack in &packs {
        let fixtures = fixtures_in(pack.files.iter().filter_map(|(name, text)| {
            name.strip_prefix("fixtures/")
                .map(|rest| (rest.to_owned(), text.clone()))
        }));
        run_suite(
            &registry,
            &pack.id,
            &pack.id,
            None,
            &fixtures,
            &mut problems,
            &mut checked_fixtures,
        );
    }
    let architecture = frameworks.parent().unwrap();
    for (name, overlay) in overlays(architecture) {
        // The configuration does not say which pack its model uses, so an overlay runs with
        // every pack (today only vn-egov-3.0); rules that do not load with one are a problem.
        for pack in &packs {
            run_suite(
                &registry,
                &pack.id,
                &format!("{name} (overlay)"),
                Some(&overlay),
                &overlay.fixtures,
                &mut problems,
                &mut checked_fixtures,
            );
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

/// Checks the fixtures of one rule set: the pack's own (`overlay` = `None`), or an overlay's
/// with the pack. Every rule of the set needs a pass and a fail fixture; a pass fixture must make
/// the rule *pass* (not be vacuous), a fail fixture must give exactly its expected findings.
fn run_suite(
    registry: &MemoryRegistry,
    pack_id: &str,
    label_root: &str,
    overlay: Option<&OverlayWorkspace>,
    fixtures: &BTreeMap<String, Vec<(String, Arc<str>)>>,
    problems: &mut Vec<String>,
    checked_fixtures: &mut usize,
) {
    let probe_text = format!(
        "architecture probe \"Probe\" {{\n  framework \"{pack_id}\"\n  version \"1\"\n  scope province\n}}\n"
    );
    let probe = analyze_and_check(
        Path::new("/ws"),
        &[PathBuf::from("/ws/probe.ea")],
        &provider_with(overlay, &[("probe.ea", &probe_text)]),
        registry,
        options(),
    );
    let pack_errors: Vec<String> = probe
        .analysis
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    if !pack_errors.is_empty() {
        problems.push(format!(
            "{label_root}: the rules themselves have problems: {pack_errors:#?}"
        ));
        return;
    }
    // The rules this suite owns: the pack's, or only the overlay's.
    let own: Vec<&kientruc_checker::rules::Rule> = probe
        .pack
        .rules
        .iter()
        .filter(|rule| rule.overlay.is_some() == overlay.is_some())
        .collect();
    for rule in &own {
        let files = fixtures
            .get(&rule.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if !files.iter().any(|(name, _)| name.starts_with("pass"))
            || !files.iter().any(|(name, _)| name.starts_with("fail"))
        {
            problems.push(format!(
                "{label_root}/{}: needs fixtures/{}/pass*.ea and fail*.ea",
                rule.id, rule.id
            ));
        }
    }
    for (rule_id, files) in fixtures {
        if !own.iter().any(|rule| rule.id == *rule_id) {
            problems.push(format!("{label_root}: fixtures/{rule_id}/ names no rule"));
            continue;
        }
        for (name, text) in files {
            *checked_fixtures += 1;
            let path = PathBuf::from(format!("/ws/{name}"));
            let provider = provider_with(overlay, &[(name.as_str(), text)]);
            let checked =
                analyze_and_check(Path::new("/ws"), &[path], &provider, registry, options());
            let label = format!("{label_root}/fixtures/{rule_id}/{name}");
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
            let outcome = checked
                .outcomes()
                .into_iter()
                .find(|outcome| outcome.rule == *rule_id);
            if let Some(outcome) = outcome
                .as_ref()
                .filter(|outcome| outcome.outcome == kientruc_checker::Outcome::NotApplicable)
            {
                problems.push(format!(
                        "{label}: the rule does not apply to this fixture ({}); a fixture must make it pass or fail",
                        outcome.reason.en
                    ));
                continue;
            }
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
