//! GitLab Code Quality (`check --format gitlab`): the JSON array GitLab reads from a job's
//! `artifacts:reports:codequality` file and shows in merge requests
//! (<https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format>). One issue per
//! open problem, as the other CI formats: input errors (KT codes) and findings that fail (not
//! waived, not accepted by a baseline or `--diff`).
//!
//! - `check_name` is the KT code or the rule id; `description` the message, with the rule's
//!   citation after it as in the GitHub annotations.
//! - `severity`: an input error is `blocker` (the check is incomplete), a finding's error
//!   `critical`, a warning `major`, an info `info`.
//! - `fingerprint` is the finding's stable fingerprint (the one baselines and SARIF use), or for
//!   an input problem one of its code, file and message; a fingerprint met twice gets the
//!   number of its occurrence, since GitLab wants them unique.
//! - `location.path` is the file as the other formats name it (relative to the folder the check
//!   ran in: run it from the repository's root), with the 1-based begin and end lines and
//!   columns in `positions`.

use crate::Report;
use crate::problem::Problem;
use crate::{ReportError, escape};
use kientruc_checker::findings::fingerprint;
use kientruc_dsl::Severity;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    positions: Positions,
}

#[derive(Serialize)]
struct Positions {
    begin: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

fn severity(problem: Problem<'_>) -> &'static str {
    match (problem.is_input(), problem.severity()) {
        (true, Severity::Error) => "blocker",
        (false, Severity::Error) => "critical",
        (_, Severity::Warning) => "major",
        (_, Severity::Info) => "info",
    }
}

pub fn render(report: &Report<'_>) -> Result<String, ReportError> {
    let files = report.files();
    let language = report.language();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut issues = Vec::new();
    for problem in report
        .problems
        .iter()
        .copied()
        .filter(|problem| problem.is_open())
    {
        let location = problem.location(files);
        let path = location
            .as_ref()
            .map_or_else(String::new, |location| location.file.clone());
        let mut description = problem.message(language).to_owned();
        let base = match problem {
            Problem::Finding(finding) => {
                if let Some(rule) = report.checked.rule(&finding.rule) {
                    let citation = crate::view::citation_view(report.checked, rule, language);
                    let _ = write!(description, " [{}]", citation.text);
                }
                finding.fingerprint.clone()
            }
            Problem::Input(diagnostic) => {
                fingerprint(&[diagnostic.code.as_str(), &path, &diagnostic.message])
            }
        };
        let occurrence = seen.entry(base.clone()).or_insert(0);
        *occurrence += 1;
        let fingerprint = if *occurrence == 1 {
            base
        } else {
            format!("{base}-{occurrence}")
        };
        let (begin, end) = location.as_ref().map_or(((1, 1), (1, 1)), |location| {
            (
                (location.line, location.column),
                (location.end_line, location.end_column),
            )
        });
        issues.push(Issue {
            description,
            check_name: problem.code().to_owned(),
            fingerprint,
            severity: severity(problem),
            location: Location {
                path,
                positions: Positions {
                    begin: Position {
                        line: begin.0,
                        column: begin.1,
                    },
                    end: Position {
                        line: end.0,
                        column: end.1,
                    },
                },
            },
        });
    }
    let mut text = escape::json_pretty(&issues).map_err(|source| ReportError::Serialize {
        format: "gitlab",
        source,
    })?;
    text.push('\n');
    Ok(text)
}
