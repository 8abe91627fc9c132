//! Baselines: a committed, reviewed list of accepted findings (by fingerprint), so that only new
//! findings fail a change. Matching is by fingerprint and counts duplicates; entries that no
//! longer occur are reported so the baseline can shrink (`--update-baseline`), never grow
//! silently.

use crate::findings::Finding;
use crate::rules::RulePack;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub rule: String,
    pub element: Option<String>,
    pub fingerprint: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The agency responsible for closing the gap: an element id of the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// When the acceptance is to be reviewed (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub framework: String,
    pub findings: Vec<BaselineEntry>,
}

impl Baseline {
    /// A baseline of the unwaived findings, sorted by rule, element and fingerprint.
    pub fn from_findings(framework: &str, findings: &[Finding], reason: Option<&str>) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .iter()
            .filter(|finding| !finding.is_waived())
            .map(|finding| BaselineEntry {
                rule: finding.rule.clone(),
                element: finding.element.clone(),
                fingerprint: finding.fingerprint.clone(),
                message: finding.message.vi.clone(),
                reason: reason.map(str::to_owned),
                owner: None,
                review: None,
            })
            .collect();
        entries.sort_by(|left, right| {
            (&left.rule, &left.element, &left.fingerprint).cmp(&(
                &right.rule,
                &right.element,
                &right.fingerprint,
            ))
        });
        Baseline {
            version: BASELINE_VERSION,
            framework: framework.to_owned(),
            findings: entries,
        }
    }

    /// Parses a baseline file and checks it against the rule pack. `Err` is a message for the user.
    pub fn parse(text: &str, pack: &RulePack, tool_rule_ids: &[&str]) -> Result<Baseline, String> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|error| {
            format!("line {}, column {}: {error}", error.line(), error.column())
        })?;
        if baseline.version != BASELINE_VERSION {
            return Err(format!(
                "unsupported baseline version {} (this kientruc writes version {BASELINE_VERSION})",
                baseline.version
            ));
        }
        for entry in &baseline.findings {
            if pack.get(&entry.rule).is_none() && !tool_rule_ids.contains(&entry.rule.as_str()) {
                return Err(format!(
                    "entry for element {:?} names unknown rule `{}`",
                    entry.element.as_deref().unwrap_or("-"),
                    entry.rule
                ));
            }
            if let Some(review) = &entry.review
                && kientruc_dsl::syntax::Date::parse(review).is_none()
            {
                return Err(format!(
                    "entry for rule `{}` has a review date `{review}` that is not YYYY-MM-DD",
                    entry.rule
                ));
            }
            if entry.fingerprint.len() != 16
                || !entry.fingerprint.chars().all(|c| c.is_ascii_hexdigit())
            {
                return Err(format!(
                    "entry for rule `{}` has a malformed fingerprint `{}`",
                    entry.rule, entry.fingerprint
                ));
            }
        }
        Ok(baseline)
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serializes");
        text.push('\n');
        text
    }

    /// Marks findings present in the baseline; returns the baseline entries that matched nothing
    /// (fixed since the baseline was written).
    pub fn apply(&self, findings: &mut [Finding]) -> Vec<BaselineEntry> {
        let mut available: BTreeMap<&str, Vec<&BaselineEntry>> = BTreeMap::new();
        for entry in &self.findings {
            available
                .entry(entry.fingerprint.as_str())
                .or_default()
                .push(entry);
        }
        for finding in findings.iter_mut().filter(|finding| !finding.is_waived()) {
            if let Some(entries) = available.get_mut(finding.fingerprint.as_str())
                && let Some(entry) = entries.pop()
            {
                finding.baselined = true;
                finding.acceptance = Some(crate::findings::Acceptance {
                    reason: entry.reason.clone(),
                    owner: entry.owner.clone(),
                    review: entry.review.clone(),
                });
            }
        }
        let mut fixed: Vec<BaselineEntry> = available.into_values().flatten().cloned().collect();
        fixed.sort_by(|left, right| {
            (&left.rule, &left.element, &left.fingerprint).cmp(&(
                &right.rule,
                &right.element,
                &right.fingerprint,
            ))
        });
        fixed
    }

    /// The baseline without the `fixed` entries (it only ever shrinks).
    #[must_use]
    pub fn without(&self, fixed: &[BaselineEntry]) -> Baseline {
        let mut remaining = self.findings.clone();
        for entry in fixed {
            if let Some(position) = remaining.iter().position(|candidate| candidate == entry) {
                remaining.remove(position);
            }
        }
        Baseline {
            version: self.version,
            framework: self.framework.clone(),
            findings: remaining,
        }
    }
}
