//! The JSON of `kientruc check --format json`, for tools: the summary, what a baseline or
//! `--diff` found, the scorecard's counts, the outcome of every rule that ran (passed, failed,
//! accepted, not applicable) with its reason, every finding (with its waiver, baseline state, path,
//! routes and fingerprint) and every input problem (KT code, labels, notes, help). Its shape is
//! documented in `docs/cli.md`; the JSON report ([`crate::json`]) is the richer, versioned one.

use crate::problem::{Location, Problem};
use crate::score::{Totals, outcomes, scorecard, totals};
use crate::view::{RouteView, route_views};
use crate::{Report, ReportError};
use kientruc_checker::baseline::BaselineEntry;
use kientruc_checker::findings::Finding;
use kientruc_checker::rules::Citation;
use kientruc_checker::{AsOfSource, Checked, Outcome};
use kientruc_dsl::metamodel::{Language, Localized};
use kientruc_dsl::workspace::Files;
use kientruc_dsl::{Diagnostic, Label, Severity};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct JsonLabel {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub end_line: Option<u32>,
    pub end_column: Option<u32>,
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<JsonLabel>,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

/// The numbers of the check ([`Totals`]: the architecture's files, elements and relations, the
/// national model's size, rules by outcome, findings by status, input problems) and the date the
/// model was judged on.
#[derive(Debug, Serialize)]
pub struct JsonSummary {
    #[serde(flatten)]
    pub totals: Totals,
    /// The date the model was judged on (`YYYY-MM-DD`), and where it comes from: `model` (the
    /// header's `as_of`), `option` (`--as-of`) or `today`.
    pub as_of: String,
    pub as_of_source: AsOfSource,
}

#[derive(Debug, Serialize)]
pub struct JsonWaiver {
    pub until: Option<String>,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct JsonFinding {
    pub rule: String,
    pub severity: Severity,
    pub reference_model: &'static str,
    pub message: String,
    pub element: Option<String>,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub citation: Option<Citation>,
    pub fix: Option<String>,
    pub waived: bool,
    pub waiver: Option<JsonWaiver>,
    /// Accepted by the baseline given with `--baseline`.
    pub baselined: bool,
    /// The baseline entry's reason, responsible agency (element id) and review date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<kientruc_checker::findings::Acceptance>,
    pub path: Vec<String>,
    /// The routes of `path`, in order: each relation with its intermediaries and where it is
    /// declared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<RouteView>,
    pub fingerprint: String,
}

/// How the findings compare with the baseline given with `--baseline`.
#[derive(Debug, Serialize)]
pub struct JsonBaseline {
    pub file: String,
    /// Findings accepted by the baseline.
    pub matched: usize,
    /// Findings not in the baseline (these fail the check at or above the threshold).
    pub new: usize,
    /// Baseline entries that no longer occur.
    pub fixed: Vec<BaselineEntry>,
    pub updated: bool,
}

/// A scorecard row: the counts of a [`crate::ModelScore`], without the report's name, anchor,
/// score and list of rules that do not apply (the `rules` array has them).
#[derive(Debug, Serialize)]
pub struct JsonScore {
    pub reference_model: &'static str,
    pub rules: usize,
    pub passed: usize,
    pub failed: usize,
    pub accepted: usize,
    pub not_applicable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings accepted by a baseline or `--diff` (`errors`, `warnings` and `infos` are the open
    /// ones).
    pub accepted_findings: usize,
    pub waived: usize,
}

/// A rule that ran: its outcome (`passed`, `failed`, `accepted`, `not-applicable`) and the
/// reason in both languages, its findings (all, and those neither waived nor accepted).
#[derive(Debug, Serialize)]
pub struct JsonRule {
    pub id: String,
    pub outcome: Outcome,
    pub reason: Localized,
    pub findings: usize,
    pub open: usize,
    pub severity: Severity,
    pub reference_model: &'static str,
    /// The overlay the rule comes from (`hanoi`); `null` for the framework's and the checker's.
    pub overlay: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct JsonOutput<'a> {
    pub summary: JsonSummary,
    /// Present with `--baseline`: how the findings compare with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<JsonBaseline>,
    /// Present with `--diff REV`: introduced, pre-existing and resolved findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<&'a crate::DiffOutcome>,
    pub scorecard: Vec<JsonScore>,
    /// Every rule that ran, by id: its outcome and why.
    pub rules: Vec<JsonRule>,
    pub findings: Vec<JsonFinding>,
    pub diagnostics: Vec<JsonDiagnostic>,
}

/// Findings neither waived nor accepted by a baseline or `--diff`.
pub fn new_findings(checked: &Checked) -> usize {
    checked
        .findings
        .iter()
        .filter(|finding| !finding.is_accepted())
        .count()
}

/// What was checked and how many problems there are (also the last line of the human format):
/// the numbers every output shows ([`crate::score::totals`]) and the date the model was judged on.
pub fn summary(checked: &Checked) -> JsonSummary {
    JsonSummary {
        totals: totals(checked),
        as_of: checked.as_of.to_string(),
        as_of_source: checked.as_of_source,
    }
}

fn json_label(files: &Files, label: &Label) -> JsonLabel {
    let location = Location::of(files, label.span);
    JsonLabel {
        file: location.file,
        line: location.line,
        column: location.column,
        end_line: location.end_line,
        end_column: location.end_column,
        message: label.message.clone(),
    }
}

fn json_diagnostic(files: &Files, diagnostic: &Diagnostic) -> JsonDiagnostic {
    let primary = diagnostic
        .primary
        .as_ref()
        .map(|label| json_label(files, label));
    JsonDiagnostic {
        file: primary.as_ref().map(|label| label.file.clone()),
        line: primary.as_ref().map(|label| label.line),
        column: primary.as_ref().map(|label| label.column),
        end_line: primary.as_ref().map(|label| label.end_line),
        end_column: primary.as_ref().map(|label| label.end_column),
        code: diagnostic.code.as_str().to_owned(),
        severity: diagnostic.severity,
        message: diagnostic.message.clone(),
        labels: primary
            .into_iter()
            .chain(
                diagnostic
                    .secondary
                    .iter()
                    .map(|label| json_label(files, label)),
            )
            .collect(),
        notes: diagnostic.notes.clone(),
        help: diagnostic.help.clone(),
    }
}

fn json_finding(checked: &Checked, finding: &Finding, language: Language) -> JsonFinding {
    let location = Location::of(&checked.analysis.workspace.files, finding.span);
    let rule = checked.rule(&finding.rule);
    JsonFinding {
        rule: finding.rule.clone(),
        severity: finding.severity,
        reference_model: finding.reference_model.as_str(),
        message: finding.message.get(language).to_owned(),
        element: finding.element.clone(),
        file: location.file,
        line: location.line,
        column: location.column,
        end_line: location.end_line,
        end_column: location.end_column,
        citation: rule.map(|rule| rule.citation.clone()),
        fix: rule.map(|rule| rule.fix.get(language).to_owned()),
        waived: finding.is_waived(),
        baselined: finding.baselined,
        acceptance: finding.acceptance.clone(),
        waiver: finding.waiver.as_ref().map(|waiver| JsonWaiver {
            until: waiver.until.map(|until| until.to_string()),
            reason: waiver.reason.clone(),
        }),
        path: finding.path.clone(),
        routes: route_views(checked, finding),
        fingerprint: finding.fingerprint.clone(),
    }
}

/// Every rule that ran, sorted by id, with its outcome.
pub fn rules(checked: &Checked) -> Vec<JsonRule> {
    outcomes(checked)
        .into_values()
        .map(|outcome| {
            let rule = checked.rule(&outcome.rule);
            JsonRule {
                severity: rule.map_or(Severity::Error, |rule| rule.severity),
                reference_model: rule.map_or("", |rule| rule.reference_model.as_str()),
                overlay: rule.and_then(|rule| rule.overlay.clone()),
                id: outcome.rule,
                outcome: outcome.outcome,
                reason: outcome.reason,
                findings: outcome.findings,
                open: outcome.open,
            }
        })
        .collect()
}

pub fn output<'a>(report: &Report<'a>) -> JsonOutput<'a> {
    let (checked, options) = (report.checked, report.options);
    let files = report.files();
    let mut findings = Vec::new();
    let mut diagnostics = Vec::new();
    for problem in &report.problems {
        match *problem {
            Problem::Input(diagnostic) => diagnostics.push(json_diagnostic(files, diagnostic)),
            Problem::Finding(finding) => {
                findings.push(json_finding(checked, finding, options.language));
            }
        }
    }
    JsonOutput {
        summary: summary(checked),
        baseline: options
            .baseline_outcome
            .as_ref()
            .map(|outcome| JsonBaseline {
                file: outcome.file.clone(),
                matched: outcome.matched,
                new: new_findings(checked),
                fixed: outcome.fixed.clone(),
                updated: outcome.updated,
            }),
        diff: options.diff_outcome.as_ref(),
        scorecard: scorecard(checked, options.language)
            .into_iter()
            .map(|score| JsonScore {
                reference_model: score.reference_model,
                rules: score.rules,
                passed: score.passed,
                failed: score.failed,
                accepted: score.accepted,
                not_applicable: score.not_applicable,
                errors: score.errors,
                warnings: score.warnings,
                infos: score.infos,
                accepted_findings: score.accepted_findings,
                waived: score.waived,
            })
            .collect(),
        rules: rules(checked),
        findings,
        diagnostics,
    }
}

pub fn render(report: &Report<'_>) -> Result<String, ReportError> {
    let mut text =
        serde_json::to_string_pretty(&output(report)).map_err(|source| ReportError::Serialize {
            format: "check JSON",
            source,
        })?;
    text.push('\n');
    Ok(text)
}
