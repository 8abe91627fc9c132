//! kientruc-checker: checks a resolved model against a framework's rule pack. Pure: the caller
//! passes the analysis (from kientruc-dsl) and today's date; no IO happens here.
//!
//! Stages: [`graph::ModelGraph::build`] (petgraph + indexes) → rule pack loading
//! ([`rules`], selectors in [`selector`]) → each rule's check ([`checks`], one module per check type) for every selected rule in
//! parallel (rayon) → [`findings`] (messages, fingerprints, waivers) → sorted findings.

// pest_derive (built without its `std` feature, see Cargo.toml) refers to `alloc`.
extern crate alloc;

pub mod baseline;
pub mod checks;
pub mod config;
pub mod docs;
pub mod engine;
pub mod findings;
pub mod generate;
pub mod graph;
pub mod routes;
pub mod rules;
pub mod selector;

use config::Config;
use findings::Finding;
use kientruc_dsl::analysis::Analysis;
use kientruc_dsl::diagnostic::{Code, Diagnostic, Severity};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::Origin;
use rayon::prelude::*;
use rules::{Rule, RulePack};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// Options of one check run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The date expired waivers and date rules are judged against.
    pub today: Date,
    /// `kientruc.toml` of the workspace, if any: (display name, path, text).
    pub config: Option<(String, PathBuf, Arc<str>)>,
    /// Command-line `--select` / `--ignore`, which replace the configuration's when given. A
    /// pattern that selects no rule (of the pack or the checker's own) is a KT0302 error naming
    /// the option.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Where a caller that checks again and again keeps the last rule pack (`None`: load it).
    pub pack_cache: Option<Arc<rules::RulePackCache>>,
}

/// The whole analysis: language diagnostics, rule pack, configuration and findings.
#[derive(Debug, Clone)]
pub struct Checked {
    pub analysis: Analysis,
    /// Every rule of the pack, sorted by id.
    pub pack: RulePack,
    /// The checker's own bookkeeping rules (waivers).
    pub tool_rules: Vec<Rule>,
    /// Ids of the rules that ran.
    pub ran: BTreeSet<String>,
    pub config: Config,
    /// Sorted by file, position, rule id and fingerprint.
    pub findings: Vec<Finding>,
}

impl Checked {
    /// The metamodel of the workspace's framework, if it has one that loaded.
    pub fn metamodel(&self) -> Option<&kientruc_dsl::metamodel::Metamodel> {
        self.analysis
            .workspace
            .framework
            .as_ref()?
            .metamodel
            .as_deref()
    }

    /// A rule of the pack or of the tool.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.pack
            .get(id)
            .or_else(|| self.tool_rules.iter().find(|rule| rule.id == id))
    }

    /// The errors in the command-line `--select` / `--ignore` (KT0302 with no place in a file).
    pub fn option_errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.analysis.diagnostics.iter().filter(|diagnostic| {
            diagnostic.code == Code::ConfigError && diagnostic.primary.is_none()
        })
    }

    /// Did the rule (of the pack, or one of the checker's own) run? The checker's own rules run
    /// unless the selection leaves them out.
    pub fn rule_ran(&self, rule: &Rule) -> bool {
        self.ran.contains(&rule.id)
            || (self.pack.get(&rule.id).is_none()
                && self.config.runs(&rule.id, rule.reference_model.as_str()))
    }

    /// Findings that are not waived and at or above `threshold`.
    pub fn failing(&self, threshold: Severity) -> usize {
        self.findings
            .iter()
            .filter(|finding| !finding.is_accepted() && finding.severity >= threshold)
            .count()
    }

    /// Findings of one severity that are not waived (baselined ones included).
    pub fn unwaived_count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|finding| !finding.is_waived() && finding.severity == severity)
            .count()
    }

    /// Findings of one severity that are neither waived nor accepted by a baseline or `--diff`.
    pub fn open_count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|finding| !finding.is_accepted() && finding.severity == severity)
            .count()
    }
}

/// Loads the rule pack of the analysed workspace's framework and checks the model.
pub fn check(mut analysis: Analysis, options: &CheckOptions) -> Checked {
    let started = std::time::Instant::now();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let metamodel = analysis
        .workspace
        .framework
        .as_ref()
        .and_then(|framework| framework.metamodel.clone());
    let pack = match (analysis.workspace.framework.clone(), metamodel.as_ref()) {
        (Some(framework), Some(metamodel)) => match &options.pack_cache {
            Some(cache) => rules::load_pack_cached(
                cache,
                &mut analysis.workspace.files,
                &framework.pack,
                metamodel,
                &mut diagnostics,
            ),
            None => rules::load_pack(
                &mut analysis.workspace.files,
                &framework.pack,
                metamodel,
                &mut diagnostics,
            ),
        },
        _ => RulePack::default(),
    };
    let tool_rules = findings::tool_rules();
    analysis.timings.push(("rule pack", started.elapsed()));

    let mut config = Config::default();
    if let Some((name, path, text)) = &options.config {
        let file = analysis.workspace.files.add(
            name.clone(),
            path.clone(),
            text.clone(),
            Origin::Workspace,
        );
        let (parsed, config_diagnostics) = Config::parse(file, text, &pack);
        config = parsed;
        diagnostics.extend(config_diagnostics);
    }
    // A command-line pattern that selects no rule is an error like one in the file: a typo must
    // not quietly turn the check off.
    let mut reported: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (option, patterns) in [("--select", &options.select), ("--ignore", &options.ignore)] {
        for pattern in patterns {
            if !reported.insert((option, pattern)) {
                continue;
            }
            let Some(unknown) =
                config::unknown_pattern(pattern, pack.rules.iter().chain(&tool_rules))
            else {
                continue;
            };
            let written = if pattern.is_empty() {
                format!("`{option} \"\"`")
            } else {
                format!("`{option} {pattern}`")
            };
            let mut diagnostic = Diagnostic::new(Code::ConfigError, unknown.message(&written));
            if !unknown.case_only {
                diagnostic = diagnostic.with_note(format!(
                    "`{option}` takes rule ids, id prefixes (`SEC`, `KT-WAIVER`) and reference \
                     models (`SRM`); `kientruc rules` lists the rules"
                ));
            }
            if let Some(help) = unknown.help() {
                diagnostic = diagnostic.with_help(help);
            }
            diagnostics.push(diagnostic);
        }
    }
    if !options.select.is_empty() {
        config.select.clone_from(&options.select);
    }
    if !options.ignore.is_empty() {
        config.ignore.clone_from(&options.ignore);
    }

    let started = std::time::Instant::now();
    let graph = graph::ModelGraph::build(&analysis.model);
    analysis.timings.push(("graph", started.elapsed()));
    let started = std::time::Instant::now();
    let framework_info = analysis
        .workspace
        .framework
        .as_ref()
        .and_then(|framework| framework.info.as_ref());
    let selected: Vec<&Rule> = pack
        .rules
        .iter()
        .filter(|rule| config.runs(&rule.id, rule.reference_model.as_str()))
        .collect();
    let selections = engine::Selections::compute(
        &graph,
        &selected
            .iter()
            .flat_map(|rule| rule.check.selected())
            .collect::<Vec<_>>(),
    );
    let context = engine::Context {
        graph: &graph,
        selections: &selections,
        model: &analysis.model,
        framework: framework_info,
        today: options.today,
    };
    let ran: BTreeSet<String> = selected.iter().map(|rule| rule.id.clone()).collect();
    let mut findings: Vec<Finding> = selected
        .par_iter()
        .flat_map_iter(|rule| {
            let hits = rule.check.evaluate(&context);
            hits.into_iter()
                .map(|hit| findings::finding(rule, hit, &analysis.model))
                .collect::<Vec<_>>()
        })
        .collect();
    analysis.timings.push(("rules", started.elapsed()));
    let started = std::time::Instant::now();
    let (extra, waiver_diagnostics) = findings::apply_waivers(
        &mut findings,
        &analysis.model,
        &pack,
        &tool_rules,
        &ran,
        options.today,
    );
    // The checker's own rules are selected, ignored and overridden like the pack's.
    findings.extend(
        extra
            .into_iter()
            .filter(|finding| config.runs(&finding.rule, finding.reference_model.as_str())),
    );
    diagnostics.extend(waiver_diagnostics);
    for finding in &mut findings {
        finding.severity = config.severity_of(
            &finding.rule,
            finding.reference_model.as_str(),
            finding.severity,
        );
    }
    findings.sort_by(|left, right| {
        (
            left.span.file,
            left.span.range.start,
            &left.rule,
            &left.fingerprint,
        )
            .cmp(&(
                right.span.file,
                right.span.range.start,
                &right.rule,
                &right.fingerprint,
            ))
    });
    drop(graph);
    analysis.timings.push(("waivers+sort", started.elapsed()));
    analysis.diagnostics.extend(diagnostics);
    analysis.diagnostics.sort_by_key(Diagnostic::sort_key);
    Checked {
        analysis,
        pack,
        tool_rules,
        ran,
        config,
        findings,
    }
}

/// The configuration file's name; it lives in the workspace root.
pub const CONFIG_FILE: &str = "kientruc.toml";

/// The whole pipeline, shared by the CLI and the LSP: load and resolve the workspace, read its
/// configuration through the same provider, and check it.
pub fn analyze_and_check(
    root: &std::path::Path,
    entries: &[PathBuf],
    provider: &dyn kientruc_dsl::workspace::SourceProvider,
    registry: &dyn kientruc_dsl::workspace::FrameworkRegistry,
    mut options: CheckOptions,
) -> Checked {
    let analysis = kientruc_dsl::analysis::analyze(root, entries, provider, registry);
    if options.config.is_none() {
        let path = root.join(CONFIG_FILE);
        if let Ok(bytes) = provider.read(&path)
            && let Ok(text) = String::from_utf8(bytes)
        {
            options.config = Some((provider.display_name(&path), path, Arc::from(text)));
        }
    }
    check(analysis, &options)
}

/// The civil date of a Unix timestamp (UTC), for "today" at the edges.
pub fn date_from_unix_seconds(seconds: i64) -> Date {
    // Howard Hinnant's days-to-civil algorithm.
    let days = seconds.div_euclid(86_400);
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date::new(year.clamp(0, 9999) as u16, month as u8, day as u8)
        .expect("the algorithm yields valid dates")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_from_timestamps() {
        assert_eq!(date_from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(
            date_from_unix_seconds(951_782_400).to_string(),
            "2000-02-29"
        );
        assert_eq!(
            date_from_unix_seconds(1_735_603_200).to_string(),
            "2024-12-31"
        );
    }
}
