//! `JUnit` XML for CI dashboards: one `testsuite` per reference model, one `testcase` per rule
//! (`skipped` when it did not run), a `failure` listing the rule's open findings (waived and
//! baselined ones are accepted and listed in `system-out`). Written by hand with escaping
//! ([`crate::escape::xml`]); no time is recorded unless the caller passes a timestamp.

use crate::escape::{xml, xml_attribute};
use crate::view::severity_label;
use crate::{Report, ReportOptions, i18n};
use kientruc_checker::Checked;
use kientruc_checker::findings::Finding;
use kientruc_checker::rules::{ReferenceModel, Rule};
use std::fmt::Write as _;

struct Case<'a> {
    rule: &'a Rule,
    ran: bool,
    failures: Vec<&'a Finding>,
    accepted: Vec<&'a Finding>,
}

fn finding_line(checked: &Checked, finding: &Finding, options: &ReportOptions) -> String {
    let files = &checked.analysis.workspace.files;
    let (start, _) = files.line_columns(finding.span);
    let mut line = format!(
        "{}:{}:{} [{}] {}{}",
        files.get(finding.span.file).name,
        start.line,
        start.column,
        severity_label(options.language, finding.severity),
        finding
            .element
            .as_deref()
            .map(|element| format!("{element}: "))
            .unwrap_or_default(),
        finding.message.get(options.language)
    );
    if let Some(waiver) = &finding.waiver {
        let _ = write!(
            line,
            " ({} {}: {})",
            i18n::text(options.language, "waived_until"),
            waiver.until.map_or_else(
                || i18n::text(options.language, "no_date").to_owned(),
                |until| until.to_string()
            ),
            waiver.reason
        );
    } else if finding.baselined {
        let _ = write!(line, " ({})", i18n::text(options.language, "baselined"));
    }
    line
}

pub fn render(report: &Report<'_>) -> String {
    let (checked, options) = (report.checked, report.options);
    let language = options.language;
    let architecture = checked
        .analysis
        .model
        .header
        .as_ref()
        .map_or_else(String::new, |header| header.id.clone());
    let mut suites = String::new();
    let (mut total_tests, mut total_failures, mut total_skipped) = (0, 0, 0);
    let timestamp = options
        .timestamp
        .as_ref()
        .map(|timestamp| format!(" timestamp=\"{}\"", xml_attribute(timestamp)))
        .unwrap_or_default();
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
                let findings = checked
                    .findings
                    .iter()
                    .filter(|finding| finding.rule == rule.id);
                let (accepted, failures): (Vec<&Finding>, Vec<&Finding>) =
                    findings.partition(|finding| finding.is_accepted());
                Case {
                    rule,
                    ran: checked.rule_ran(rule),
                    failures,
                    accepted,
                }
            })
            .collect();
        let tests = cases.len();
        let failures = cases
            .iter()
            .filter(|case| case.ran && !case.failures.is_empty())
            .count();
        let skipped = cases.iter().filter(|case| !case.ran).count();
        total_tests += tests;
        total_failures += failures;
        total_skipped += skipped;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{} — {}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\"{timestamp}>",
            model.as_str(),
            xml_attribute(model.name().get(language))
        );
        for case in cases {
            let _ = write!(
                suites,
                "    <testcase name=\"{}: {}\" classname=\"kientruc.{}.{}\" time=\"0\"",
                xml_attribute(&case.rule.id),
                xml_attribute(case.rule.title.get(language)),
                xml_attribute(&architecture),
                model.as_str()
            );
            if case.ran && case.failures.is_empty() && case.accepted.is_empty() {
                suites.push_str("/>\n");
                continue;
            }
            suites.push_str(">\n");
            if !case.ran {
                let _ = writeln!(
                    suites,
                    "      <skipped message=\"{}\"/>",
                    xml_attribute(i18n::text(language, "rule_not_run"))
                );
            } else if !case.failures.is_empty() {
                let worst = case
                    .failures
                    .iter()
                    .map(|finding| finding.severity)
                    .max()
                    .expect("failures are not empty");
                let body: Vec<String> = case
                    .failures
                    .iter()
                    .map(|finding| finding_line(checked, finding, options))
                    .collect();
                let _ = writeln!(
                    suites,
                    "      <failure message=\"{} {}\" type=\"{}\">{}</failure>",
                    case.failures.len(),
                    xml_attribute(&i18n::text(language, "findings").to_lowercase()),
                    worst.as_str(),
                    xml(&body.join("\n"))
                );
            }
            if !case.accepted.is_empty() {
                let body: Vec<String> = case
                    .accepted
                    .iter()
                    .map(|finding| finding_line(checked, finding, options))
                    .collect();
                let _ = writeln!(
                    suites,
                    "      <system-out>{}</system-out>",
                    xml(&body.join("\n"))
                );
            }
            suites.push_str("    </testcase>\n");
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kientruc {}\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"0\" skipped=\"{total_skipped}\" time=\"0\">\n{suites}</testsuites>\n",
        xml_attribute(&architecture)
    )
}
