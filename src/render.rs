//! Turns diagnostics into text: rustc-style excerpts with codespan-reporting for people, one JSON
//! object for tools. Both are sorted and deterministic.

use codespan_reporting::diagnostic::{
    Diagnostic as CodespanDiagnostic, Label as CodespanLabel, LabelStyle,
};
use codespan_reporting::files::{Error as FilesError, Files as CodespanFiles};
use codespan_reporting::term::{self, termcolor};
use kientruc_dsl::workspace::Files;
use kientruc_dsl::{Diagnostic, FileId, Severity, Span};
use serde::Serialize;

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

fn to_codespan(files: &Files, diagnostic: &Diagnostic) -> CodespanDiagnostic<FileId> {
    let severity = match diagnostic.severity {
        Severity::Error => codespan_reporting::diagnostic::Severity::Error,
        Severity::Warning => codespan_reporting::diagnostic::Severity::Warning,
        Severity::Info => codespan_reporting::diagnostic::Severity::Note,
    };
    let mut labels = Vec::new();
    if let Some(primary) = &diagnostic.primary {
        labels.push(
            CodespanLabel::new(
                LabelStyle::Primary,
                primary.span.file,
                shown_range(files, primary.span),
            )
            .with_message(&primary.message),
        );
    }
    for secondary in &diagnostic.secondary {
        labels.push(
            CodespanLabel::new(
                LabelStyle::Secondary,
                secondary.span.file,
                shown_range(files, secondary.span),
            )
            .with_message(&secondary.message),
        );
    }
    let mut notes: Vec<String> = diagnostic
        .notes
        .iter()
        .map(|note| format!("note: {note}"))
        .collect();
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    CodespanDiagnostic::new(severity)
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders diagnostics as rustc-style text, coloured when `color` is set.
pub fn human(files: &Files, diagnostics: &[Diagnostic], color: bool) -> String {
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    let table = FileTable(files);
    for diagnostic in diagnostics {
        if term::emit(
            &mut buffer,
            &config,
            &table,
            &to_codespan(files, diagnostic),
        )
        .is_err()
        {
            // A span that does not fit its file is a bug; still show the message.
            let _ = std::io::Write::write_all(
                &mut buffer,
                format!(
                    "{}[{}]: {}\n",
                    diagnostic.severity.as_str(),
                    diagnostic.code,
                    diagnostic.message
                )
                .as_bytes(),
            );
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

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

fn json_label(files: &Files, label: &kientruc_dsl::Label) -> JsonLabel {
    let (start, end) = files.line_columns(label.span);
    JsonLabel {
        file: files.get(label.span.file).name.clone(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        message: label.message.clone(),
    }
}

pub fn json_diagnostic(files: &Files, diagnostic: &Diagnostic) -> JsonDiagnostic {
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

use kientruc_checker::Checked;
use kientruc_checker::findings::Finding;
use kientruc_checker::rules::Citation;
use kientruc_dsl::metamodel::Language;

fn finding_to_codespan(
    checked: &Checked,
    finding: &Finding,
    language: Language,
) -> CodespanDiagnostic<FileId> {
    let severity = match finding.severity {
        Severity::Error => codespan_reporting::diagnostic::Severity::Error,
        Severity::Warning => codespan_reporting::diagnostic::Severity::Warning,
        Severity::Info => codespan_reporting::diagnostic::Severity::Note,
    };
    let rule = checked.rule(&finding.rule);
    let files = &checked.analysis.workspace.files;
    let mut labels = vec![
        CodespanLabel::primary(finding.span.file, shown_range(files, finding.span))
            .with_message(finding.element.clone().unwrap_or_default()),
    ];
    for related in &finding.related {
        labels.push(
            CodespanLabel::secondary(related.span.file, shown_range(files, related.span))
                .with_message(&related.message),
        );
    }
    let mut notes = Vec::new();
    if !finding.path.is_empty() {
        notes.push(format!("path: {}", finding.path.join(" → ")));
    }
    if let Some(rule) = rule {
        notes.push(format!(
            "{}: {}",
            if language == Language::Vi {
                "căn cứ"
            } else {
                "citation"
            },
            rule.citation.describe()
        ));
        notes.push(format!("help: {}", rule.fix.get(language)));
    }
    CodespanDiagnostic::new(severity)
        .with_code(&finding.rule)
        .with_message(finding.message.get(language))
        .with_labels(labels)
        .with_notes(notes)
}

/// Active findings rendered like diagnostics; waived ones listed briefly after them.
pub fn human_findings(checked: &Checked, language: Language, color: bool) -> String {
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    let table = FileTable(&checked.analysis.workspace.files);
    for finding in checked
        .findings
        .iter()
        .filter(|finding| !finding.is_accepted())
    {
        let _ = term::emit(
            &mut buffer,
            &config,
            &table,
            &finding_to_codespan(checked, finding, language),
        );
    }
    let mut out = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    let waived: Vec<&Finding> = checked
        .findings
        .iter()
        .filter(|finding| finding.is_waived())
        .collect();
    if !waived.is_empty() {
        out.push_str(if language == Language::Vi {
            "Phát hiện được miễn trừ:\n"
        } else {
            "Waived findings:\n"
        });
        for finding in waived {
            let waiver = finding.waiver.as_ref().expect("waived");
            let until = waiver
                .until
                .map(|until| until.to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "  {} {} ({until}): {}\n",
                finding.rule,
                finding.element.as_deref().unwrap_or(""),
                waiver.reason
            ));
        }
        out.push('\n');
    }
    out
}

/// The scorecard lives in the reports crate; the summary table and JSON output use it.
pub use kientruc_reports::{ModelScore, scorecard};

pub fn summary_table(checked: &Checked, language: Language) -> String {
    let scores = scorecard(checked, language);
    let mut out = String::new();
    let header = checked.analysis.model.header.as_ref();
    let framework = header
        .and_then(|header| header.framework.clone())
        .unwrap_or_default();
    let (title, columns) = match language {
        Language::Vi => (
            "Tổng hợp tuân thủ",
            [
                "mô hình",
                "quy tắc",
                "đạt",
                "không đạt",
                "lỗi",
                "cảnh báo",
                "thông tin",
                "miễn trừ",
            ],
        ),
        Language::En => (
            "Compliance summary",
            [
                "model", "rules", "passed", "failed", "errors", "warnings", "info", "waived",
            ],
        ),
    };
    let name = header.map(|header| header.name.clone()).unwrap_or_default();
    out.push_str(&format!("{title}: {name} ({framework})\n"));
    let widths: Vec<usize> = columns
        .iter()
        .map(|column| column.chars().count().max(6))
        .collect();
    let row = |cells: [String; 8]| -> String {
        let mut line = String::new();
        for (index, cell) in cells.iter().enumerate() {
            if index == 0 {
                line.push_str(&format!("{cell:<width$}", width = widths[index]));
            } else {
                line.push_str(&format!("  {cell:>width$}", width = widths[index]));
            }
        }
        line.push('\n');
        line
    };
    if checked.ran.is_empty() {
        out.clear();
    } else {
        out.push_str(&row(columns.map(str::to_owned)));
    }
    let mut total = ModelScore {
        reference_model: "total",
        ..ModelScore::default()
    };
    for score in &scores {
        total.rules += score.rules;
        total.passed += score.passed;
        total.failed += score.failed;
        total.errors += score.errors;
        total.warnings += score.warnings;
        total.infos += score.infos;
        total.waived += score.waived;
    }
    for score in scores
        .iter()
        .chain(std::iter::once(&total))
        .filter(|_| !checked.ran.is_empty())
    {
        let label = if score.reference_model == "total" {
            if language == Language::Vi {
                "tổng"
            } else {
                "total"
            }
        } else {
            score.reference_model
        };
        out.push_str(&row([
            label.to_owned(),
            score.rules.to_string(),
            score.passed.to_string(),
            score.failed.to_string(),
            score.errors.to_string(),
            score.warnings.to_string(),
            score.infos.to_string(),
            score.waived.to_string(),
        ]));
    }
    let summary = json_summary(checked);
    out.push_str(&format!(
        "checked {}: {}, {}; {}, {} in the input\n",
        plural(summary.files, "file"),
        plural(summary.elements, "element"),
        plural(summary.relations, "relation"),
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
    ));
    out
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[derive(Debug, Serialize)]
pub struct JsonFindingCounts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

#[derive(Debug, Serialize)]
pub struct JsonSummary {
    pub files: usize,
    pub elements: usize,
    pub relations: usize,
    pub rules_run: usize,
    pub findings: JsonFindingCounts,
    pub waived: usize,
    /// Diagnostics (syntax, resolution, configuration) by severity.
    pub errors: usize,
    pub warnings: usize,
}

pub fn json_summary(checked: &Checked) -> JsonSummary {
    let active = |severity| checked.unwaived_count(severity);
    let diagnostics = |severity| checked.analysis.diagnostic_count(severity);
    JsonSummary {
        files: checked
            .analysis
            .workspace
            .files
            .iter()
            .filter(|(_, file)| {
                file.path
                    .extension()
                    .is_some_and(|extension| extension == "ea")
            })
            .count(),
        elements: checked.analysis.model.elements.len(),
        relations: checked.analysis.model.relations.len(),
        rules_run: checked.ran.len(),
        findings: JsonFindingCounts {
            error: active(Severity::Error),
            warning: active(Severity::Warning),
            info: active(Severity::Info),
        },
        waived: checked
            .findings
            .iter()
            .filter(|finding| finding.is_waived())
            .count(),
        errors: diagnostics(Severity::Error),
        warnings: diagnostics(Severity::Warning),
    }
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
    pub path: Vec<String>,
    /// The routes of `path`, in order: each relation with its intermediaries and where it is
    /// declared.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<kientruc_reports::view::RouteView>,
    pub fingerprint: String,
}

pub fn json_finding(checked: &Checked, finding: &Finding, language: Language) -> JsonFinding {
    let files = &checked.analysis.workspace.files;
    let (start, end) = files.line_columns(finding.span);
    let rule = checked.rule(&finding.rule);
    JsonFinding {
        rule: finding.rule.clone(),
        severity: finding.severity,
        reference_model: finding.reference_model.as_str(),
        message: finding.message.get(language).to_owned(),
        element: finding.element.clone(),
        file: files.get(finding.span.file).name.clone(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        citation: rule.map(|rule| rule.citation.clone()),
        fix: rule.map(|rule| rule.fix.get(language).to_owned()),
        waived: finding.is_waived(),
        baselined: finding.baselined,
        waiver: finding.waiver.as_ref().map(|waiver| JsonWaiver {
            until: waiver.until.map(|until| until.to_string()),
            reason: waiver.reason.clone(),
        }),
        path: finding.path.clone(),
        routes: kientruc_reports::view::route_views(checked, finding),
        fingerprint: finding.fingerprint.clone(),
    }
}

/// A scorecard row of `check --format json`: the counts of a [`ModelScore`], without the
/// report's name, anchor and score.
#[derive(Debug, Serialize)]
pub struct JsonScore {
    pub reference_model: &'static str,
    pub rules: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub waived: usize,
}

#[derive(Debug, Serialize)]
pub struct JsonOutput {
    pub summary: JsonSummary,
    /// Present with `--baseline`: how the findings compare with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::commands::baseline::JsonBaseline>,
    /// Present with `--diff REV`: introduced, pre-existing and resolved findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<crate::commands::diff::DiffOutcome>,
    pub scorecard: Vec<JsonScore>,
    pub findings: Vec<JsonFinding>,
    pub diagnostics: Vec<JsonDiagnostic>,
}

pub fn json_output(checked: &Checked, language: Language) -> JsonOutput {
    JsonOutput {
        baseline: None,
        diff: None,
        summary: json_summary(checked),
        scorecard: scorecard(checked, language)
            .into_iter()
            .map(|score| JsonScore {
                reference_model: score.reference_model,
                rules: score.rules,
                passed: score.passed,
                failed: score.failed,
                errors: score.errors,
                warnings: score.warnings,
                infos: score.infos,
                waived: score.waived,
            })
            .collect(),
        findings: checked
            .findings
            .iter()
            .map(|finding| json_finding(checked, finding, language))
            .collect(),
        diagnostics: checked
            .analysis
            .diagnostics
            .iter()
            .map(|diagnostic| json_diagnostic(&checked.analysis.workspace.files, diagnostic))
            .collect(),
    }
}

/// Escapes a GitHub workflow-command message (`data`) or, with `property`, a property value.
fn github_escape(text: &str, property: bool) -> String {
    let mut escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        escaped = escaped.replace(':', "%3A").replace(',', "%2C");
    }
    escaped
}

fn github_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// GitHub Actions workflow commands: one annotation per problem in the input and per finding
/// that fails (not waived, not accepted by a baseline or `--diff`).
pub fn github(checked: &Checked, language: Language) -> String {
    let files = &checked.analysis.workspace.files;
    let mut out = String::new();
    let mut annotate =
        |level: &str, span: Option<kientruc_dsl::Span>, title: &str, message: &str| {
            let location = span.map(|span| {
                let (start, end) = files.line_columns(span);
                format!(
                    "file={},line={},col={},endLine={},endColumn={},",
                    github_escape(&files.get(span.file).name, true),
                    start.line,
                    start.column,
                    end.line,
                    end.column
                )
            });
            out.push_str(&format!(
                "::{level} {}title={}::{}\n",
                location.unwrap_or_default(),
                github_escape(title, true),
                github_escape(message, false)
            ));
        };
    for diagnostic in &checked.analysis.diagnostics {
        let span = diagnostic.primary.as_ref().map(|label| label.span);
        annotate(
            github_level(diagnostic.severity),
            span,
            diagnostic.code.as_str(),
            &diagnostic.message,
        );
    }
    for finding in checked
        .findings
        .iter()
        .filter(|finding| !finding.is_accepted())
    {
        let mut message = finding.message.get(language).to_owned();
        if let Some(rule) = checked.rule(&finding.rule) {
            message.push_str(&format!(" [{}]", rule.citation.describe()));
        }
        annotate(
            github_level(finding.severity),
            Some(finding.span),
            &finding.rule,
            &message,
        );
    }
    out
}
