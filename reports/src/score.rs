//! The scorecard: per reference model, the rules that ran, passed and failed, the findings by
//! severity, and the compliance score derived from them. One [`ModelScore`] per reference model
//! serves the terminal's summary table, `check --format json` and every report.

use crate::escape::anchor;
use kientruc_checker::Checked;
use kientruc_checker::rules::ReferenceModel;
use kientruc_dsl::Severity;
use kientruc_dsl::metamodel::Language;
use serde::Serialize;

/// Per reference model: its name and compliance score, the rules run, passed and failed, the
/// findings by severity, the waived ones.
#[derive(Debug, Default, Clone, Serialize)]
pub struct ModelScore {
    pub reference_model: &'static str,
    /// The reference model's name in the report's language.
    pub name: String,
    /// Its HTML anchor (`rm-` and the reference model).
    pub anchor: String,
    /// Its compliance score, 0–100 (`None` when none of its rules ran).
    pub score: Option<u32>,
    pub rules: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub waived: usize,
}

/// A rule passes when it ran and none of its findings is left unwaived.
pub fn scorecard(checked: &Checked, language: Language) -> Vec<ModelScore> {
    ReferenceModel::ALL
        .iter()
        .map(|model| {
            let mut score = ModelScore {
                reference_model: model.as_str(),
                name: model.name().get(language).to_owned(),
                anchor: anchor("rm-", model.as_str()),
                score: compliance_score(checked, Some(*model)),
                ..ModelScore::default()
            };
            for rule in checked
                .pack
                .rules
                .iter()
                .filter(|rule| rule.reference_model == *model && checked.ran.contains(&rule.id))
            {
                score.rules += 1;
                if rule_fails(checked, &rule.id) {
                    score.failed += 1;
                } else {
                    score.passed += 1;
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

/// The compliance score of a set of rules, 0–100: the share of rules that pass, each weighted by
/// its severity ([`weight`]). `None` when no rule ran.
pub fn compliance_score(checked: &Checked, model: Option<ReferenceModel>) -> Option<u32> {
    let mut total = 0u32;
    let mut passed = 0u32;
    for rule in checked.pack.rules.iter().filter(|rule| {
        checked.ran.contains(&rule.id) && model.is_none_or(|model| rule.reference_model == model)
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
