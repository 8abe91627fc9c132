//! The scorecard: per reference model, the rules that ran by outcome (passed, failed, accepted,
//! not applicable), the findings by severity, and the compliance score derived from them. One
//! [`ModelScore`] per reference model serves the terminal's summary table, `check --format json`
//! and every report.

use crate::escape::anchor;
use kientruc_checker::register::{date_en, date_vi};
use kientruc_checker::rules::ReferenceModel;
use kientruc_checker::{AsOfSource, Checked, Outcome, RuleOutcome};
use kientruc_dsl::Severity;
use kientruc_dsl::metamodel::Language;
use serde::Serialize;
use std::collections::BTreeMap;

/// A rule that does not apply to the model, and why (in the report's language).
#[derive(Debug, Clone, Serialize)]
pub struct NotApplicableRule {
    pub id: String,
    /// The rule's row in the report (`r-` and the id).
    pub anchor: String,
    pub title: String,
    pub reason: String,
    /// When the reason is that the rule's subject matched nothing: the subject, a selector of
    /// the pack (code, shown as such), which the reason then leaves out.
    pub subject: Option<String>,
}

/// A rule outcome's reason in `language`, with the model's code apart: the selector of an empty
/// subject (the checker writes "… ({subject})") or the header's `scope` of a rule outside its
/// levels ("… (scope ministry)"); the reports show it as code.
pub fn reason_and_subject(
    rule: &kientruc_checker::rules::Rule,
    reason: &kientruc_dsl::metamodel::Localized,
    language: Language,
) -> (String, Option<String>) {
    let text = reason.get(language);
    if let Some(subject) = rule.subject_source()
        && let Some(before) = text.strip_suffix(&format!(" ({subject})"))
    {
        return (before.to_owned(), Some(subject.to_owned()));
    }
    // A rule outside its levels: "… kiến trúc này là … cấp bộ (scope ministry)".
    if let Some(open) = text.rfind(" (scope ")
        && text.ends_with(')')
        && !text[open + 2..text.len() - 1].contains(['(', ')'])
    {
        return (
            text[..open].to_owned(),
            Some(text[open + 2..text.len() - 1].to_owned()),
        );
    }
    (text.to_owned(), None)
}

/// Per reference model: its name and compliance score, the rules that ran by outcome, the
/// findings by severity, the waived ones, and the rules that do not apply with their reasons.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ModelScore {
    pub reference_model: &'static str,
    /// The reference model's name in the report's language.
    pub name: String,
    /// Its HTML anchor (`rm-` and the reference model).
    pub anchor: String,
    /// Its compliance score, 0–100 (`None` when none of its rules applies).
    pub score: Option<u32>,
    /// Rules that ran, whatever their outcome (`passed + failed + accepted + not_applicable`).
    pub rules: usize,
    pub passed: usize,
    pub failed: usize,
    /// Rules whose findings are all waived or accepted by a baseline or `--diff`.
    pub accepted: usize,
    /// Rules that do not apply (basis not in force on the model's date, or empty subject): not
    /// in the score.
    pub not_applicable: usize,
    /// Open findings (neither waived nor accepted by a baseline or `--diff`), by severity: the
    /// columns add up to the summary's `findings.open`.
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings accepted by a baseline or `--diff` (not waived).
    pub accepted_findings: usize,
    pub waived: usize,
    /// The rules that do not apply, by id, with their reasons.
    pub not_applicable_rules: Vec<NotApplicableRule>,
}

/// How many of the framework's and the overlay's rules that ran had each outcome (they add up to
/// `rules_run`; the checker's own rules, the waivers', are left out, as in the scorecard).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCounts {
    pub passed: usize,
    pub failed: usize,
    pub accepted: usize,
    pub not_applicable: usize,
}

/// Findings by status: open (by severity), accepted by a baseline or `--diff`, waived. Every
/// finding is in exactly one of them (`total` is their sum).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct FindingTotals {
    pub open: SeverityCounts,
    pub accepted: usize,
    pub waived: usize,
    pub total: usize,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

/// The numbers every output shows, computed once ([`totals`]): the terminal's summary, the check
/// JSON, the report's cards and the scorecard's totals read the same fields.
///
/// What is counted is the architecture's own: the workspace's `.ea` files, its elements and the
/// imported ones its header `owns`, the relations its files declare. The national reference
/// model it imports is not counted, but its size is given (`national_elements`), so that "376
/// elements" and "271 elements" can no longer both be true of one model.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// The workspace's `.ea` files.
    pub files: usize,
    /// The architecture's elements: the workspace's and the imported ones it owns.
    pub elements: usize,
    /// Relations declared in the workspace's files.
    pub relations: usize,
    /// Elements of imported models (the national reference model) that the architecture does
    /// not own: not counted in `elements`.
    pub national_elements: usize,
    /// Rules that ran (framework and overlay), and their outcomes.
    pub rules_run: usize,
    pub rules: RuleCounts,
    pub findings: FindingTotals,
    /// Problems in the input itself (syntax, resolution, configuration), by severity.
    pub input_errors: usize,
    pub input_warnings: usize,
}

/// The numbers of a checked model (see [`Totals`]).
pub fn totals(checked: &Checked) -> Totals {
    let model = &checked.analysis.model;
    let owned = checked.boundary.owned().len();
    let workspace = model.workspace_elements().count();
    let mut findings = FindingTotals::default();
    for finding in &checked.findings {
        findings.total += 1;
        if finding.is_waived() {
            findings.waived += 1;
        } else if finding.baselined {
            findings.accepted += 1;
        } else {
            match finding.severity {
                Severity::Error => findings.open.error += 1,
                Severity::Warning => findings.open.warning += 1,
                Severity::Info => findings.open.info += 1,
            }
        }
    }
    let rules = rule_counts(checked);
    Totals {
        files: checked
            .analysis
            .workspace
            .files
            .iter()
            .filter(|(_, file)| {
                file.origin == kientruc_dsl::workspace::Origin::Workspace
                    && file
                        .path
                        .extension()
                        .is_some_and(|extension| extension == "ea")
            })
            .count(),
        elements: workspace + owned,
        relations: model
            .relations
            .iter()
            .filter(|relation| relation.in_workspace)
            .count(),
        national_elements: model.elements.len().saturating_sub(workspace + owned),
        rules_run: rules.passed + rules.failed + rules.accepted + rules.not_applicable,
        rules,
        findings,
        input_errors: checked.analysis.diagnostic_count(Severity::Error),
        input_warnings: checked.analysis.diagnostic_count(Severity::Warning),
    }
}

/// The outcomes of the pack's and the overlay's rules that ran, counted.
pub fn rule_counts(checked: &Checked) -> RuleCounts {
    let mut counts = RuleCounts::default();
    for outcome in checked
        .outcomes()
        .into_iter()
        .filter(|outcome| checked.pack.get(&outcome.rule).is_some())
    {
        match outcome.outcome {
            Outcome::Passed => counts.passed += 1,
            Outcome::Failed => counts.failed += 1,
            Outcome::Accepted => counts.accepted += 1,
            Outcome::NotApplicable => counts.not_applicable += 1,
        }
    }
    counts
}

/// The word of an outcome in the report's language (`Không áp dụng`, `Not applicable`).
pub fn outcome_label(language: Language, outcome: Outcome) -> &'static str {
    crate::i18n::text(
        language,
        match outcome {
            Outcome::Passed => "rule_passed",
            Outcome::Failed => "rule_failed",
            Outcome::Accepted => "rule_accepted",
            Outcome::NotApplicable => "rule_not_applicable",
        },
    )
}

/// The date the model was judged on and where it comes from, in the report's language:
/// `31/12/2024 (as_of của mô hình)`, `31 December 2024 (the model's as_of)`.
pub fn as_of_label(checked: &Checked, language: Language) -> String {
    let date = match language {
        Language::Vi => date_vi(checked.as_of),
        Language::En => date_en(checked.as_of),
    };
    let source = crate::i18n::text(
        language,
        match checked.as_of_source {
            AsOfSource::Model => "as_of_model",
            AsOfSource::Option => "as_of_option",
            AsOfSource::Today => "as_of_today",
        },
    );
    format!("{date} ({source})")
}

/// The outcome of every rule that ran, by id.
pub fn outcomes(checked: &Checked) -> BTreeMap<String, RuleOutcome> {
    checked
        .outcomes()
        .into_iter()
        .map(|outcome| (outcome.rule.clone(), outcome))
        .collect()
}

/// Counts, per reference model, the outcomes of the pack's rules (and the overlay's) that ran;
/// the checker's own rules (waivers) are not in the scorecard.
pub fn scorecard(checked: &Checked, language: Language) -> Vec<ModelScore> {
    let outcomes = outcomes(checked);
    ReferenceModel::ALL
        .iter()
        .map(|model| {
            let mut score = ModelScore {
                reference_model: model.as_str(),
                name: model.name().get(language).to_owned(),
                anchor: anchor("rm-", model.as_str()),
                score: score_of(checked, &outcomes, Some(*model)),
                ..ModelScore::default()
            };
            for rule in checked
                .pack
                .rules
                .iter()
                .filter(|rule| rule.reference_model == *model)
            {
                let Some(outcome) = outcomes.get(&rule.id) else {
                    continue;
                };
                score.rules += 1;
                match outcome.outcome {
                    Outcome::Passed => score.passed += 1,
                    Outcome::Failed => score.failed += 1,
                    Outcome::Accepted => score.accepted += 1,
                    Outcome::NotApplicable => {
                        score.not_applicable += 1;
                        let (reason, subject) = reason_and_subject(rule, &outcome.reason, language);
                        score.not_applicable_rules.push(NotApplicableRule {
                            id: rule.id.clone(),
                            anchor: anchor("r-", &rule.id),
                            title: rule.title.get(language).to_owned(),
                            reason,
                            subject,
                        });
                    }
                }
            }
            for finding in checked
                .findings
                .iter()
                .filter(|finding| finding.reference_model == *model)
            {
                if finding.is_waived() {
                    score.waived += 1;
                    continue;
                }
                if finding.baselined {
                    score.accepted_findings += 1;
                    continue;
                }
                match finding.severity {
                    Severity::Error => score.errors += 1,
                    Severity::Warning => score.warnings += 1,
                    Severity::Info => score.infos += 1,
                }
            }
            score
        })
        .collect()
}

/// Whether a rule has a finding that is not waived.
pub fn rule_fails(checked: &Checked, rule: &str) -> bool {
    checked
        .findings
        .iter()
        .any(|finding| finding.rule == rule && !finding.is_waived())
}

/// The weight of a rule in the compliance score: errors count three times, warnings twice.
pub fn weight(severity: Severity) -> u32 {
    match severity {
        Severity::Error => 3,
        Severity::Warning => 2,
        Severity::Info => 1,
    }
}

/// The compliance score of a set of rules, 0–100: the share of the rules that apply which pass,
/// each weighted by its severity ([`weight`]). A rule that does not apply (its basis is not in
/// force on the model's date, or its subject selects nothing) is left out of the score. A rule
/// passes when none of its findings is left unwaived (a rule whose findings are all waived
/// passes; one accepted by a baseline does not). `None` when no rule applies.
pub fn compliance_score(checked: &Checked, model: Option<ReferenceModel>) -> Option<u32> {
    score_of(checked, &outcomes(checked), model)
}

fn score_of(
    checked: &Checked,
    outcomes: &BTreeMap<String, RuleOutcome>,
    model: Option<ReferenceModel>,
) -> Option<u32> {
    let mut total = 0u32;
    let mut passed = 0u32;
    for rule in checked.pack.rules.iter().filter(|rule| {
        outcomes
            .get(&rule.id)
            .is_some_and(|outcome| outcome.outcome != Outcome::NotApplicable)
            && model.is_none_or(|model| rule.reference_model == model)
    }) {
        total += weight(rule.severity);
        if !rule_fails(checked, &rule.id) {
            passed += weight(rule.severity);
        }
    }
    if total == 0 {
        return None;
    }
    // Round half up, in integers (no float formatting differences between platforms).
    Some((passed * 200 + total) / (total * 2))
}
