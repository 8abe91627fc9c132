//! `JUnit` XML for CI dashboards. Input errors first, when there are any: a `testsuite` `KT` with
//! one failing `testcase` per KT code, listing its problems. Then one `testsuite` per reference
//! model, one `testcase` per rule, by outcome: passed, failed (a `failure` listing the rule's
//! open findings), accepted (passes; `system-out` says so with the reason and lists the waived
//! and baselined findings), not applicable (`skipped` with the reason as its message: basis not
//! in force on the model's date, or nothing to check), and `skipped` "not run" when `--select` /
//! `--ignore` or the configuration left the rule out. Written by hand with escaping ([`crate::escape::xml`]); no time is recorded unless the caller passes a
//! timestamp.

use crate::escape::{xml, xml_attribute};
use crate::problem::Problem;
use crate::score::{outcome_label, outcomes};
use crate::view::severity_label;
use crate::{Report, ReportOptions, i18n};
use kientruc_checker::rules::{ReferenceModel, Rule};
use kientruc_checker::{Outcome, RuleOutcome};
use kientruc_dsl::workspace::Files;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One test case: a rule, or a KT code of the input.
struct Case<'a> {
    name: String,
    /// Why it is skipped: it did not run, or it does not apply.
    skipped: Option<String>,
    failures: Vec<Problem<'a>>,
    accepted: Vec<Problem<'a>>,
    /// A line before the accepted findings (`Đã chấp nhận: …`).
    note: Option<String>,
}

/// One problem on one line: where, severity, element, message, why it is accepted.
fn problem_line(problem: Problem<'_>, files: &Files, options: &ReportOptions) -> String {
    let language = options.language;
    let mut line = problem
        .location(files)
        .map(|location| format!("{}:{}:{} ", location.file, location.line, location.column))
        .unwrap_or_default();
    let _ = write!(line, "[{}] ", severity_label(language, problem.severity()));
    if let Some(element) = problem
        .finding()
        .and_then(|finding| finding.element.as_deref())
    {
        let _ = write!(line, "{element}: ");
    }
    line.push_str(problem.message(language));
    if let Some(finding) = problem.finding() {
        if let Some(waiver) = &finding.waiver {
            let _ = write!(
                line,
                " ({} {}: {})",
                i18n::text(language, "waived_until"),
                waiver.until.map_or_else(
                    || i18n::text(language, "no_date").to_owned(),
                    |until| until.to_string()
                ),
                waiver.reason
            );
        } else if finding.baselined {
            let _ = write!(line, " ({})", i18n::text(language, "baselined"));
        }
    }
    line
}

/// Counts of a suite or of the whole document.
#[derive(Default)]
struct Totals {
    tests: usize,
    failures: usize,
    skipped: usize,
}

/// Writes one suite; `what` names its failures (`phát hiện`, `lỗi trong dữ liệu đầu vào`).
fn suite(
    out: &mut String,
    name: &str,
    classname: &str,
    what: &str,
    cases: &[Case<'_>],
    report: &Report<'_>,
    totals: &mut Totals,
) {
    let options = report.options;
    let files = report.files();
    let tests = cases.len();
    let failures = cases
        .iter()
        .filter(|case| case.skipped.is_none() && !case.failures.is_empty())
        .count();
    let skipped = cases.iter().filter(|case| case.skipped.is_some()).count();
    totals.tests += tests;
    totals.failures += failures;
    totals.skipped += skipped;
    let timestamp = options
        .timestamp
        .as_ref()
        .map(|timestamp| format!(" timestamp=\"{}\"", xml_attribute(timestamp)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\"{timestamp}>",
        xml_attribute(name)
    );
    for case in cases {
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
            xml_attribute(&case.name),
            xml_attribute(classname)
        );
        if case.skipped.is_none()
            && case.failures.is_empty()
            && case.accepted.is_empty()
            && case.note.is_none()
        {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        let lines = |problems: &[Problem<'_>]| -> String {
            let lines: Vec<String> = problems
                .iter()
                .map(|problem| problem_line(*problem, files, options))
                .collect();
            xml(&lines.join("\n"))
        };
        if let Some(message) = &case.skipped {
            let _ = writeln!(
                out,
                "      <skipped message=\"{}\"/>",
                xml_attribute(message)
            );
        } else if !case.failures.is_empty() {
            let worst = case
                .failures
                .iter()
                .map(|problem| problem.severity())
                .max()
                .expect("failures are not empty");
            let _ = writeln!(
                out,
                "      <failure message=\"{} {}\" type=\"{}\">{}</failure>",
                case.failures.len(),
                xml_attribute(what),
                worst.as_str(),
                lines(&case.failures)
            );
        }
        if case.note.is_some() || !case.accepted.is_empty() {
            let note = case.note.as_deref().map(xml).unwrap_or_default();
            let separator = if case.note.is_some() && !case.accepted.is_empty() {
                "\n"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "      <system-out>{note}{separator}{}</system-out>",
                lines(&case.accepted)
            );
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n");
}

pub fn render(report: &Report<'_>) -> String {
    let checked = report.checked;
    let language = report.language();
    let architecture = checked
        .analysis
        .model
        .header
        .as_ref()
        .map_or_else(String::new, |header| header.id.clone());
    let mut suites = String::new();
    let mut totals = Totals::default();

    // Input errors: one failing case per KT code, in code order.
    let mut by_code: BTreeMap<kientruc_dsl::Code, Vec<Problem<'_>>> = BTreeMap::new();
    for problem in report.problems.iter().filter(|problem| problem.is_input()) {
        if let Some(diagnostic) = problem.diagnostic() {
            by_code.entry(diagnostic.code).or_default().push(*problem);
        }
    }
    if !by_code.is_empty() {
        let title = i18n::text(language, "input_errors_title");
        let cases: Vec<Case> = by_code
            .into_iter()
            .map(|(code, problems)| Case {
                name: format!("{}: {}", code.as_str(), code.title()),
                skipped: None,
                failures: problems,
                accepted: Vec::new(),
                note: None,
            })
            .collect();
        suite(
            &mut suites,
            &format!("KT — {title}"),
            &format!("kientruc.{architecture}.input"),
            &title.to_lowercase(),
            &cases,
            report,
            &mut totals,
        );
    }

    let findings_word = i18n::text(language, "findings").to_lowercase();
    let outcomes = outcomes(checked);
    for model in ReferenceModel::ALL {
        let mut rules: Vec<&Rule> = checked
            .pack
            .rules
            .iter()
            .chain(checked.tool_rules.iter())
            .filter(|rule| rule.reference_model == model)
            .collect();
        rules.sort_by(|left, right| left.id.cmp(&right.id));
        let cases: Vec<Case> = rules
            .into_iter()
            .map(|rule| {
                let (accepted, failures): (Vec<Problem>, Vec<Problem>) = report
                    .problems
                    .iter()
                    .filter(|problem| !problem.is_input() && problem.code() == rule.id)
                    .partition(|problem| !problem.is_open());
                let outcome: Option<&RuleOutcome> = outcomes.get(&rule.id);
                let reason = |outcome: &RuleOutcome| outcome.reason.get(language).to_owned();
                Case {
                    name: format!("{}: {}", rule.id, rule.title.get(language)),
                    skipped: match outcome {
                        None => Some(i18n::text(language, "rule_not_run").to_owned()),
                        Some(outcome) if outcome.outcome == Outcome::NotApplicable => {
                            Some(format!(
                                "{}: {}",
                                outcome_label(language, outcome.outcome),
                                reason(outcome)
                            ))
                        }
                        Some(_) => None,
                    },
                    note: outcome
                        .filter(|outcome| outcome.outcome == Outcome::Accepted)
                        .map(|outcome| {
                            format!(
                                "{}: {}",
                                outcome_label(language, outcome.outcome),
                                reason(outcome)
                            )
                        }),
                    failures,
                    accepted,
                }
            })
            .collect();
        suite(
            &mut suites,
            &format!("{} — {}", model.as_str(), model.name().get(language)),
            &format!("kientruc.{architecture}.{}", model.as_str()),
            &findings_word,
            &cases,
            report,
            &mut totals,
        );
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kientruc {}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"0\">\n{suites}</testsuites>\n",
        xml_attribute(&architecture),
        totals.tests,
        totals.failures,
        totals.skipped
    )
}
