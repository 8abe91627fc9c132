//! kientruc-checker: checks a resolved model against a framework's rule pack. Pure: the caller
//! passes the analysis (from kientruc-dsl) and today's date; no IO happens here.
//!
//! Stages: [`graph::ModelGraph::build`] (petgraph + indexes) → rule pack loading
//! ([`rules`], selectors in [`selector`]) → each rule's check ([`checks`], one module per check type) for every selected rule in
//! parallel (rayon) → [`findings`] (messages, fingerprints, waivers) → sorted findings.

// pest_derive (built without its `std` feature, see Cargo.toml) refers to `alloc`.
extern crate alloc;

pub mod baseline;
pub mod boundary;
pub mod checks;
pub mod config;
pub mod dates;
pub mod docs;
pub mod engine;
pub mod findings;
pub mod generate;
pub mod graph;
pub mod incremental;
pub mod register;
pub mod routes;
pub mod rules;
pub mod schema;
pub mod selector;
pub mod views;

use config::Config;
use findings::Finding;
use kientruc_dsl::analysis::Analysis;
use kientruc_dsl::diagnostic::{Code, Diagnostic, Severity};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::Origin;
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
    /// `--as-of`: the date the model is judged on, replacing its header's `as_of`.
    pub as_of: Option<Date>,
    /// The current time (seconds since the Unix epoch), when "today" is the clock's: today is
    /// then its date in the configured zone (`utc-offset`, default Vietnam, UTC+7), replacing
    /// `today`. `None` (tests) keeps `today` as given.
    pub now: Option<i64>,
    /// The files the configuration's `[overlay]` names, read by the caller: path (joined to the
    /// workspace root) → text. A declared file missing here is an error.
    pub overlay_files: Vec<(String, PathBuf, Arc<str>)>,
    /// Free the syntax trees once the model is resolved ([`Workspace::drop_syntax`]): the
    /// command line, which reads only the model, the files' texts and the diagnostics from here
    /// on. `false` (the language server, tests) keeps them in [`Checked::analysis`].
    ///
    /// [`Workspace::drop_syntax`]: kientruc_dsl::workspace::Workspace::drop_syntax
    pub drop_syntax: bool,
    /// Where a caller that checks again and again keeps the last run's rule inputs and results
    /// (`None`: evaluate every rule). See [`incremental`].
    pub rule_cache: Option<Arc<incremental::RuleCache>>,
}

impl CheckOptions {
    /// Options that judge waivers against `today`, with no configuration given, every rule
    /// selected, no cache, the model's own date and no overlay files read yet.
    pub fn on(today: Date) -> Self {
        CheckOptions {
            today,
            config: None,
            select: Vec::new(),
            ignore: Vec::new(),
            pack_cache: None,
            as_of: None,
            now: None,
            overlay_files: Vec::new(),
            drop_syntax: false,
            rule_cache: None,
        }
    }
}

/// Vietnam's offset from UTC, in minutes: the default zone of "today".
pub const VIETNAM_UTC_OFFSET_MINUTES: i32 = 7 * 60;

/// Where the date a model is judged on comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AsOfSource {
    /// The model's header (`as_of`).
    Model,
    /// `--as-of` on the command line.
    Option,
    /// Neither: today's date.
    Today,
}

/// The four outcomes of a rule on a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It ran on at least one element and found nothing.
    Passed,
    /// It has findings that are neither waived nor accepted by the baseline.
    Failed,
    /// All its findings are waived or accepted by the baseline.
    Accepted,
    /// Its basis is not in force on the model's date, or its subject matched nothing.
    NotApplicable,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Accepted => "accepted",
            Outcome::NotApplicable => "not-applicable",
        }
    }
}

/// A rule's outcome on the model, with the reason in both languages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleOutcome {
    pub rule: String,
    pub outcome: Outcome,
    pub reason: kientruc_dsl::metamodel::Localized,
    /// Findings of the rule (all of them, accepted ones included).
    pub findings: usize,
    /// Findings neither waived nor baselined.
    pub open: usize,
}

/// How a rule that ran stood before findings were counted.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RuleState {
    /// Not applicable, and why.
    NotApplicable(kientruc_dsl::metamodel::Localized),
    /// Evaluated; the number of workspace elements its subject selects (`None`: the check
    /// has no per-element subject, e.g. a cardinality).
    Ran(Option<usize>),
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
    /// The date the model was judged on, and where it came from.
    pub as_of: Date,
    pub as_of_source: AsOfSource,
    /// Today, in the configured zone (waiver expiry).
    pub today: Date,
    /// The architecture's level (the header's `scope` when the framework defines it as a level):
    /// rules with other `levels` are not applicable, and rule texts read at it.
    pub level: Option<String>,
    /// Which elements the architecture answers for (`owns`, `context`).
    pub boundary: boundary::Boundary,
    /// Each rule that ran (pack and overlay), by id: applicable or not.
    states: std::collections::BTreeMap<String, RuleState>,
}

impl Checked {
    /// Applies a baseline file's text to the findings (the CLI's `--baseline` and the
    /// configuration's `baseline`, the language server's too): the findings it records become
    /// accepted. Returns the parsed baseline and its entries that matched no finding (fixed
    /// since); `Err` is a message for the user.
    pub fn apply_baseline(
        &mut self,
        text: &str,
    ) -> Result<(baseline::Baseline, Vec<baseline::BaselineEntry>), String> {
        let tool_rule_ids: Vec<&str> = self
            .tool_rules
            .iter()
            .map(|rule| rule.id.as_str())
            .collect();
        let parsed = baseline::Baseline::parse(text, &self.pack, &tool_rule_ids)?;
        let fixed = parsed.apply(&mut self.findings);
        Ok((parsed, fixed))
    }

    /// The metamodel of the workspace's framework, if it has one that loaded.
    pub fn metamodel(&self) -> Option<&kientruc_dsl::metamodel::Metamodel> {
        self.analysis
            .workspace
            .framework
            .as_ref()?
            .metamodel
            .as_deref()
    }

    /// The published documentation page of a pack's or overlay's rule: from `kientruc.toml`'s
    /// `docs-url`, else the pack's `doc_base_url`; `None` when neither is set (or for the
    /// checker's own rules), so that every output links to something real or to nothing. The
    /// address is `{base}/{framework}.md#{rule}` (the rule id in lower case), or the base with its
    /// `{framework}` and `{rule}` placeholders filled in.
    pub fn rule_doc_url(&self, id: &str) -> Option<String> {
        self.pack.get(id)?;
        let framework = self.analysis.workspace.framework.as_ref()?;
        let base = self.config.docs_url.as_deref().or_else(|| {
            framework
                .info
                .as_ref()
                .and_then(|info| info.doc_base_url.as_deref())
        })?;
        // A pack is data too: only an http(s) address without spaces or controls is a link.
        if !config::is_http_address(base) {
            return None;
        }
        let anchor = id.to_ascii_lowercase();
        let pack = &framework.pack.id;
        if base.contains("{rule}") || base.contains("{framework}") {
            return Some(base.replace("{framework}", pack).replace("{rule}", &anchor));
        }
        Some(format!("{}/{pack}.md#{anchor}", base.trim_end_matches('/')))
    }

    /// A rule of the pack or of the tool.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.pack
            .get(id)
            .or_else(|| self.tool_rules.iter().find(|rule| rule.id == id))
    }

    /// A rule's citation as it applies to this model: the documents in force on the date it is
    /// judged on, in legal form, marked when the mapping is inferred. The CLI's reports and the
    /// language server show this text.
    pub fn citation_text(
        &self,
        rule: &Rule,
        language: kientruc_dsl::metamodel::Language,
    ) -> String {
        let mut text = rule.citation.text_on(self.as_of, language);
        let qualifier = match (rule.citation.source, language) {
            (rules::CitationSource::Verified, _) => None,
            (rules::CitationSource::Inferred, kientruc_dsl::metamodel::Language::Vi) => {
                Some("suy luận")
            }
            (rules::CitationSource::Inferred, kientruc_dsl::metamodel::Language::En) => {
                Some("inferred")
            }
            (rules::CitationSource::Tool, kientruc_dsl::metamodel::Language::Vi) => {
                Some("quy định của công cụ")
            }
            (rules::CitationSource::Tool, kientruc_dsl::metamodel::Language::En) => {
                Some("kientruc policy")
            }
        };
        if let Some(qualifier) = qualifier {
            text.push_str(" (");
            text.push_str(qualifier);
            text.push(')');
        }
        text
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

    /// The outcome of every rule that ran (the pack's, the overlay's and the checker's own),
    /// sorted by rule id. Computed from the findings as they stand (after a baseline or `--diff`
    /// marked some accepted).
    pub fn outcomes(&self) -> Vec<RuleOutcome> {
        use kientruc_dsl::metamodel::Localized;
        let mut counts: std::collections::BTreeMap<&str, (usize, usize, usize, usize)> =
            std::collections::BTreeMap::new();
        for finding in &self.findings {
            let entry = counts.entry(finding.rule.as_str()).or_default();
            entry.0 += 1;
            if finding.is_waived() {
                entry.1 += 1;
            } else if finding.baselined {
                entry.2 += 1;
            } else {
                entry.3 += 1;
            }
        }
        let tool_states = self
            .tool_rules
            .iter()
            .filter(|rule| self.rule_ran(rule))
            .map(|rule| (rule.id.clone(), RuleState::Ran(None)));
        let states: Vec<(String, RuleState)> = self
            .states
            .iter()
            .map(|(id, state)| (id.clone(), state.clone()))
            .chain(tool_states)
            .collect();
        let mut outcomes: Vec<RuleOutcome> = states
            .into_iter()
            .map(|(rule, state)| {
                let (findings, waived, baselined, open) =
                    counts.get(rule.as_str()).copied().unwrap_or_default();
                let (outcome, reason) = match state {
                    RuleState::NotApplicable(reason) => (Outcome::NotApplicable, reason),
                    RuleState::Ran(_) if open > 0 => (
                        Outcome::Failed,
                        Localized {
                            vi: format!("{open} phát hiện chưa xử lý (trên tổng số {findings})"),
                            en: format!("{open} open finding(s) of {findings}"),
                        },
                    ),
                    RuleState::Ran(_) if findings > 0 => (
                        Outcome::Accepted,
                        Localized {
                            vi: format!(
                                "{findings} phát hiện đều đã được chấp nhận: {waived} miễn trừ, {baselined} trong đường cơ sở"
                            ),
                            en: format!(
                                "all {findings} finding(s) accepted: {waived} waived, {baselined} in the baseline"
                            ),
                        },
                    ),
                    RuleState::Ran(Some(subjects)) => (
                        Outcome::Passed,
                        Localized {
                            vi: format!("Đã kiểm tra {subjects} phần tử, không có phát hiện"),
                            en: format!("{subjects} element(s) checked, no finding"),
                        },
                    ),
                    RuleState::Ran(None) => (
                        Outcome::Passed,
                        Localized {
                            vi: "Đã kiểm tra, không có phát hiện".to_owned(),
                            en: "Checked, no finding".to_owned(),
                        },
                    ),
                };
                RuleOutcome {
                    rule,
                    outcome,
                    reason,
                    findings,
                    open,
                }
            })
            .collect();
        outcomes.sort_by(|left, right| left.rule.cmp(&right.rule));
        outcomes
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
    if options.drop_syntax {
        analysis.workspace.drop_syntax();
    }
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

    let mut pack = pack;
    let mut config = Config::default();
    if let Some((name, path, text)) = &options.config {
        let file = analysis.workspace.files.add(
            name.clone(),
            path.clone(),
            text.clone(),
            Origin::Workspace,
        );
        let config_root = path
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        let files = &mut analysis.workspace.files;
        let (parsed, config_diagnostics) =
            Config::parse(file, text, &mut pack, |pack, declaration, diagnostics| {
                let Some(metamodel) = metamodel.as_ref() else {
                    return;
                };
                let mut read = |written: &toml::Spanned<String>| {
                    let wanted = config_root.join(written.get_ref());
                    let found = options
                        .overlay_files
                        .iter()
                        .find(|(_, path, _)| *path == wanted)
                        .cloned();
                    if found.is_none() {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::ConfigError,
                                format!("overlay file `{}` cannot be read", written.get_ref()),
                            )
                            .at(
                                file,
                                kientruc_dsl::text::TextRange::new(
                                    written.span().start,
                                    written.span().end,
                                ),
                                "no such file",
                            )
                            .with_help("paths in `[overlay]` are relative to kientruc.toml"),
                        );
                    }
                    found
                };
                let documents = declaration.documents.as_ref().and_then(&mut read);
                let rules = declaration.rules.iter().filter_map(&mut read).collect();
                let overlay = rules::Overlay {
                    id: declaration.id.clone(),
                    prefix: declaration.prefix.clone(),
                    documents,
                    rules,
                };
                *pack = rules::with_overlay(
                    std::mem::take(pack),
                    &overlay,
                    files,
                    metamodel,
                    diagnostics,
                );
            });
        config = parsed;
        diagnostics.extend(config_diagnostics);
    }
    let framework_info = analysis
        .workspace
        .framework
        .as_ref()
        .and_then(|framework| framework.info.as_ref());
    let level = match boundary::level_of(&analysis.model, framework_info) {
        Ok(level) => level,
        Err(diagnostic) => {
            diagnostics.push(*diagnostic);
            None
        }
    };
    let pack = pack.at_level(framework_info, level.as_deref());
    let (boundary, boundary_diagnostics) = boundary::Boundary::of(&analysis.model);
    diagnostics.extend(boundary_diagnostics);
    let today = match options.now {
        Some(now) => local_date(
            now,
            config
                .utc_offset_minutes
                .unwrap_or(VIETNAM_UTC_OFFSET_MINUTES),
        ),
        None => options.today,
    };
    let (as_of, as_of_source) = match (
        options.as_of,
        analysis
            .model
            .header
            .as_ref()
            .and_then(|header| header.as_of),
    ) {
        (Some(date), _) => (date, AsOfSource::Option),
        (None, Some(date)) => (date, AsOfSource::Model),
        (None, None) => (today, AsOfSource::Today),
    };
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

    // The rules read the framework's description while the analysis is lent to them.
    let framework = framework_info.cloned();
    let setting = incremental::Setting {
        pack: &pack,
        config: &config,
        framework: framework.as_ref(),
        level: level.as_deref(),
        today,
        as_of,
    };
    let (evaluated, boundary) = incremental::evaluate(
        options.rule_cache.as_deref(),
        &mut analysis,
        &setting,
        boundary,
    );
    let ran: BTreeSet<String> = evaluated.iter().map(|(id, _, _)| id.clone()).collect();
    let mut states = std::collections::BTreeMap::new();
    let mut findings: Vec<Finding> = Vec::new();
    for (id, state, found) in evaluated {
        states.insert(id, state);
        findings.extend(found);
    }
    let started = std::time::Instant::now();
    let (extra, waiver_diagnostics) = findings::apply_waivers(
        &mut findings,
        &analysis.model,
        &pack,
        &tool_rules,
        &ran,
        today,
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
        as_of,
        as_of_source,
        today,
        level,
        boundary,
        states,
    }
}

/// Why a rule does not apply at the architecture's level, or `None` when it does.
fn level_reason(
    rule: &Rule,
    level: Option<&str>,
    framework: Option<&kientruc_dsl::workspace::FrameworkInfo>,
) -> Option<kientruc_dsl::metamodel::Localized> {
    use kientruc_dsl::metamodel::Language::{En, Vi};
    let level = level?;
    if rule.applies_at(Some(level)) {
        return None;
    }
    let name = |level: &str, language: kientruc_dsl::metamodel::Language| {
        framework
            .and_then(|framework| framework.levels.get(level))
            .map_or_else(|| level.to_owned(), |name| name.get(language).to_owned())
    };
    let names = |language| {
        rule.levels
            .iter()
            .map(|own| name(own, language))
            .collect::<Vec<_>>()
    };
    Some(kientruc_dsl::metamodel::Localized {
        vi: format!(
            "Quy tắc chỉ áp dụng cho {}; kiến trúc này là {} (scope {level})",
            names(Vi).join(", "),
            name(level, Vi)
        ),
        en: format!(
            "The rule applies to {} only; this is a {} (scope {level})",
            names(En).join(", "),
            name(level, En)
        ),
    })
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
    // The overlay's files, through the same provider (the editor's unsaved texts included).
    if let Some((_, config_path, text)) = &options.config {
        let config_root = config_path
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        for written in config::overlay_files(text) {
            let path = config_root.join(&written);
            if options
                .overlay_files
                .iter()
                .any(|(_, known, _)| *known == path)
            {
                continue;
            }
            if let Ok(bytes) = provider.read(&path)
                && let Ok(text) = String::from_utf8(bytes)
            {
                options
                    .overlay_files
                    .push((provider.display_name(&path), path, Arc::from(text)));
            }
        }
    }
    check(analysis, &options)
}

/// The civil date of a Unix timestamp in a zone `offset_minutes` east of UTC: "today" in
/// Vietnam is `local_date(now, VIETNAM_UTC_OFFSET_MINUTES)`.
pub fn local_date(seconds: i64, offset_minutes: i32) -> Date {
    date_from_unix_seconds(seconds + i64::from(offset_minutes) * 60)
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
    fn today_is_the_date_in_vietnam_not_in_utc() {
        // 2026-12-01 18:30 UTC is 2026-12-02 01:30 in Hanoi: a waiver until 2026-12-01 has
        // expired there, though UTC is still on the 1st.
        let evening_utc = 1_796_149_800;
        assert_eq!(
            date_from_unix_seconds(evening_utc).to_string(),
            "2026-12-01"
        );
        assert_eq!(
            local_date(evening_utc, VIETNAM_UTC_OFFSET_MINUTES).to_string(),
            "2026-12-02"
        );
        assert_eq!(local_date(evening_utc, -5 * 60).to_string(), "2026-12-01");
        assert_eq!(config::parse_utc_offset("+07:00"), Some(420));
        assert_eq!(config::parse_utc_offset("-05:30"), Some(-330));
        assert_eq!(config::parse_utc_offset("UTC"), Some(0));
        assert_eq!(config::parse_utc_offset("7"), None);
    }

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
