//! Turns diagnostics into text: rustc-style excerpts with codespan-reporting for people, one JSON
//! object for tools. Both are sorted and deterministic.

use codespan_reporting::diagnostic::{
    Diagnostic as CodespanDiagnostic, Label as CodespanLabel, LabelStyle,
};
use codespan_reporting::files::{Error as FilesError, Files as CodespanFiles};
use codespan_reporting::term::{self, termcolor};
use kientruc_dsl::workspace::Files;
use kientruc_dsl::{Diagnostic, FileId, Severity};
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
        let start = file.line_index.line_start(line_index);
        let end = if line_index + 1 < file.line_index.line_count() {
            file.line_index.line_start(line_index + 1)
        } else {
            file.text.len()
        };
        Ok(start..end)
    }
}

fn to_codespan(diagnostic: &Diagnostic) -> CodespanDiagnostic<FileId> {
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
                primary.span.range.to_range(),
            )
            .with_message(&primary.message),
        );
    }
    for secondary in &diagnostic.secondary {
        labels.push(
            CodespanLabel::new(
                LabelStyle::Secondary,
                secondary.span.file,
                secondary.span.range.to_range(),
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
        if term::emit(&mut buffer, &config, &table, &to_codespan(diagnostic)).is_err() {
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
