//! The terminal text (`check --format human`): rustc-style excerpts with codespan-reporting for
//! every open problem (input errors first, then findings with their path, citation and fix), the
//! waived findings listed briefly, what a baseline or `--diff` accepted, and the compliance
//! summary: a table of the rules by outcome and the findings per reference model, then the four
//! outcome counts with the date the model was judged on. Coloured only when the caller asks ([`crate::ReportOptions::color`]).

use crate::outcome::{BaselineOutcome, DiffOutcome};
use crate::problem::Problem;
use crate::score::{ModelScore, as_of_label, scorecard};
use crate::view::citation_view;
use crate::{Report, check_json, i18n};
use codespan_reporting::diagnostic::{
    Diagnostic as CodespanDiagnostic, Label as CodespanLabel, LabelStyle,
    Severity as CodespanSeverity,
};
use codespan_reporting::files::{Error as FilesError, Files as CodespanFiles};
use codespan_reporting::term::{self, termcolor};
use kientruc_checker::Checked;
use kientruc_checker::findings::Finding;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::workspace::Files;
use kientruc_dsl::{Diagnostic, FileId, Severity, Span};
use std::fmt::Write as _;

/// Adapts our file table to codespan-reporting.
struct FileTable<'a>(&'a Files);

impl<'a> CodespanFiles<'a> for FileTable<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.get(id).line_index.line_of(byte_index))
    }

    /// The column every other output shows (`LineIndex`: a byte-order mark is not counted).
    fn column_number(
        &'a self,
        id: FileId,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let file = self.0.get(id);
        Ok(file.line_index.line_column(&file.text, byte_index).column as usize)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        let file = self.0.get(id);
        if line_index >= file.line_index.line_count() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: file.line_index.line_count() - 1,
            });
        }
        // Line 1 is shown without a byte-order mark (editors do not show one either).
        let start = if line_index == 0 {
            text_start(&file.text)
        } else {
            file.line_index.line_start(line_index)
        };
        let end = if line_index + 1 < file.line_index.line_count() {
            file.line_index.line_start(line_index + 1)
        } else {
            file.text.len()
        };
        Ok(start..end)
    }
}

/// Where the shown text of a file starts: after its byte-order mark, if it has one.
fn text_start(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// The byte range to underline for a span: one that starts inside a byte-order mark (the start
/// of a file) starts after it, where line 1 is shown from.
fn shown_range(files: &Files, span: Span) -> std::ops::Range<usize> {
    let start = text_start(&files.get(span.file).text);
    let range = span.range.to_range();
    range.start.max(start)..range.end.max(start)
}

fn label(files: &Files, style: LabelStyle, span: Span, message: &str) -> CodespanLabel<FileId> {
    CodespanLabel::new(style, span.file, shown_range(files, span)).with_message(message)
}

/// One problem as codespan-reporting's diagnostic: an input problem with its labels, notes and
/// help; a finding labelled with its element, with its path, citation and fix as notes.
fn excerpt(
    problem: Problem<'_>,
    files: &Files,
    checked: Option<&Checked>,
    language: Language,
) -> CodespanDiagnostic<FileId> {
    let severity = match problem.severity() {
        Severity::Error => CodespanSeverity::Error,
        Severity::Warning => CodespanSeverity::Warning,
        Severity::Info => CodespanSeverity::Note,
    };
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    match problem {
        Problem::Input(diagnostic) => {
            if let Some(primary) = &diagnostic.primary {
                labels.push(label(
                    files,
                    LabelStyle::Primary,
                    primary.span,
                    &primary.message,
                ));
            }
            notes.extend(diagnostic.notes.iter().map(|note| format!("note: {note}")));
            if let Some(help) = &diagnostic.help {
                notes.push(format!("help: {help}"));
            }
        }
        Problem::Finding(finding) => {
            labels.push(label(
                files,
                LabelStyle::Primary,
                finding.span,
                finding.element.as_deref().unwrap_or_default(),
            ));
            if !finding.path.is_empty() {
                notes.push(format!("path: {}", finding.path.join(" → ")));
            }
            if let Some(checked) = checked
                && let Some(rule) = checked.rule(&finding.rule)
            {
                notes.push(format!(
                    "{}: {}",
                    i18n::text(language, "citation").to_lowercase(),
                    citation_view(checked, rule, language).text
                ));
                notes.push(format!("help: {}", rule.fix.get(language)));
            }
        }
    }
    labels.extend(
        problem
            .related()
            .iter()
            .map(|related| label(files, LabelStyle::Secondary, related.span, &related.message)),
    );
    CodespanDiagnostic::new(severity)
        .with_code(problem.code())
        .with_message(problem.message(language))
        .with_labels(labels)
        .with_notes(notes)
}

/// The excerpts of the problems, in order.
fn excerpts<'a>(
    problems: impl Iterator<Item = Problem<'a>>,
    files: &Files,
    checked: Option<&Checked>,
    language: Language,
    color: bool,
) -> String {
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    let table = FileTable(files);
    for problem in problems {
        let excerpt = excerpt(problem, files, checked, language);
        if term::emit(&mut buffer, &config, &table, &excerpt).is_err() {
            // A span that does not fit its file is a bug; still show the message.
            let _ = std::io::Write::write_all(
                &mut buffer,
                format!(
                    "{}[{}]: {}\n",
                    problem.severity().as_str(),
                    problem.code(),
                    problem.message(language)
                )
                .as_bytes(),
            );
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// Diagnostics alone, for the commands that report problems before any check (`fmt`, `rules`,
/// `baseline`, a bad `--select`).
pub fn diagnostics(files: &Files, diagnostics: &[Diagnostic], color: bool) -> String {
    excerpts(
        diagnostics.iter().map(Problem::Input),
        files,
        None,
        Language::En,
        color,
    )
}

/// The human format: open problems as excerpts, waived findings listed briefly, the baseline and
/// `--diff` outcomes, the summary table.
pub fn render(report: &Report<'_>) -> String {
    let (checked, options) = (report.checked, report.options);
    let language = options.language;
    let mut out = excerpts(
        report
            .problems
            .iter()
            .copied()
            .filter(|problem| problem.is_open()),
        report.files(),
        Some(checked),
        language,
        options.color,
    );
    out.push_str(&waived_findings(checked, language));
    if let Some(outcome) = &options.baseline_outcome {
        out.push_str(&baseline_summary(outcome, checked));
    }
    if let Some(outcome) = &options.diff_outcome {
        out.push_str(&diff_summary(outcome));
    }
    out.push_str(&summary_table(checked, language));
    out
}

fn waived_findings(checked: &Checked, language: Language) -> String {
    let listed: Vec<&Finding> = checked
        .findings
        .iter()
        .filter(|finding| finding.is_waived())
        .collect();
    let mut out = String::new();
    if listed.is_empty() {
        return out;
    }
    let _ = writeln!(out, "{}:", i18n::text(language, "waived_findings"));
    for finding in listed {
        let waiver = finding.waiver.as_ref().expect("waived");
        let until = waiver
            .until
            .map(|until| until.to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {} ({until}): {}",
            finding.rule,
            finding.element.as_deref().unwrap_or(""),
            waiver.reason
        );
    }
    out.push('\n');
    out
}

fn baseline_summary(outcome: &BaselineOutcome, checked: &Checked) -> String {
    let mut out = format!(
        "baseline {}: {} findings accepted, {} new\n",
        outcome.file,
        outcome.matched,
        check_json::new_findings(checked)
    );
    if !outcome.fixed.is_empty() {
        let _ = writeln!(
            out,
            "{} baseline entries no longer occur{}:",
            outcome.fixed.len(),
            if outcome.updated {
                " (removed from the baseline)"
            } else {
                " (run with --update-baseline to remove them)"
            }
        );
        for entry in &outcome.fixed {
            let _ = writeln!(
                out,
                "  fixed: {} {}",
                entry.rule,
                entry.element.as_deref().unwrap_or("-")
            );
        }
    }
    out
}

fn diff_summary(outcome: &DiffOutcome) -> String {
    let mut out = format!(
        "compared with {}: {} new findings, {} already there, {} resolved\n",
        outcome.revision,
        outcome.introduced,
        outcome.preexisting,
        outcome.resolved.len()
    );
    for resolved in &outcome.resolved {
        let _ = writeln!(
            out,
            "  resolved: {} {}",
            resolved.rule,
            resolved.element.as_deref().unwrap_or("-")
        );
    }
    out
}

/// The compliance summary: a row per reference model and a total (when rules ran), the rules by
/// outcome with the date the model was judged on, then what was checked and how many problems
/// the input has.
pub fn summary_table(checked: &Checked, language: Language) -> String {
    let scores = scorecard(checked, language);
    let mut out = String::new();
    let header = checked.analysis.model.header.as_ref();
    let framework = header
        .and_then(|header| header.framework.clone())
        .unwrap_or_default();
    // The reports' column headings, in lower case.
    let columns = [
        "summary_model",
        "rules",
        "passed",
        "failed",
        "accepted",
        "not_applicable",
        "errors",
        "warnings",
        "infos",
        "waived",
    ]
    .map(|key| i18n::text(language, key).to_lowercase());
    let name = header.map(|header| header.name.clone()).unwrap_or_default();
    let _ = writeln!(
        out,
        "{}: {name} ({framework})",
        i18n::text(language, "compliance_summary")
    );
    let widths: Vec<usize> = columns
        .iter()
        .map(|column| column.chars().count().max(6))
        .collect();
    let row = |cells: [String; 10]| -> String {
        let mut line = String::new();
        for (index, cell) in cells.iter().enumerate() {
            if index == 0 {
                let _ = write!(line, "{cell:<width$}", width = widths[index]);
            } else {
                let _ = write!(line, "  {cell:>width$}", width = widths[index]);
            }
        }
        line.push('\n');
        line
    };
    if checked.ran.is_empty() {
        out.clear();
    } else {
        out.push_str(&row(columns.clone()));
        let mut total = ModelScore {
            reference_model: "total",
            name: i18n::text(language, "total").to_lowercase(),
            ..ModelScore::default()
        };
        for score in &scores {
            total.rules += score.rules;
            total.passed += score.passed;
            total.failed += score.failed;
            total.accepted += score.accepted;
            total.not_applicable += score.not_applicable;
            total.errors += score.errors;
            total.warnings += score.warnings;
            total.infos += score.infos;
            total.waived += score.waived;
        }
        for (label, score) in scores
            .iter()
            .map(|score| (score.reference_model, score))
            .chain(std::iter::once((total.name.as_str(), &total)))
        {
            out.push_str(&row([
                label.to_owned(),
                score.rules.to_string(),
                score.passed.to_string(),
                score.failed.to_string(),
                score.accepted.to_string(),
                score.not_applicable.to_string(),
                score.errors.to_string(),
                score.warnings.to_string(),
                score.infos.to_string(),
                score.waived.to_string(),
            ]));
        }
    }
    let summary = check_json::summary(checked);
    if !checked.ran.is_empty() {
        // The four outcomes of the rules that ran (the table's total), and the date.
        let counts = &summary.rules;
        let words = [
            "rule_passed",
            "rule_failed",
            "rule_accepted",
            "rule_not_applicable",
        ]
        .map(|key| i18n::text(language, key).to_lowercase());
        let _ = writeln!(
            out,
            "{}: {} {} / {} {} / {} {} / {} {}, {} {}",
            i18n::text(language, "rules").to_lowercase(),
            counts.passed,
            words[0],
            counts.failed,
            words[1],
            counts.accepted,
            words[2],
            counts.not_applicable,
            words[3],
            i18n::text(language, "as_of_prefix"),
            as_of_label(checked, language)
        );
    }
    let _ = writeln!(
        out,
        "checked {}: {}, {}; {}, {} in the input",
        plural(summary.files, "file"),
        plural(summary.elements, "element"),
        plural(summary.relations, "relation"),
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
    );
    out
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
