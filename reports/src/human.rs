//! The terminal text (`check --format human`): rustc-style excerpts with codespan-reporting for
//! every open problem (input errors first, then findings with their path, citation and fix), the
//! waived findings listed briefly, what a baseline or `--diff` accepted, and the compliance
//! summary: a table of the rules by outcome and the findings per reference model, then the four
//! outcome counts with the date the model was judged on. Coloured only when the caller asks ([`crate::ReportOptions::color`]).
//! Every fixed text is in the report's language ([`i18n`]).
//!
//! Nothing from the model reaches the terminal raw: messages, names, reasons, file names and the
//! source lines of the excerpts show control and bidirectional characters as `⟨U+XXXX⟩`, and
//! model text never breaks a line ([`crate::escape::terminal`]), so a model can neither recolour,
//! hyperlink, move the cursor in or rewrite the lines of a CI log, nor start a line with a
//! workflow command of its own. Source lines are shown through [`ShownText`], which maps every
//! byte offset of a span to the line as shown.

use crate::escape::{self, terminal};
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
use kientruc_dsl::{Diagnostic, FileId, LineIndex, Severity, Span};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A file's text as the terminal shows it, when it holds a character that must not reach the
/// terminal: each one (control and bidirectional characters, see [`escape::neutralise`]; a
/// carriage return that ends a line stays, codespan drops it) replaced by its visible form
/// `⟨U+XXXX⟩`, with the offsets mapped between the two texts.
struct ShownText {
    text: String,
    line_index: LineIndex,
    /// `[original start, original end, shown start, shown end]` of every replaced character, in
    /// order.
    replaced: Vec<[usize; 4]>,
}

impl ShownText {
    /// The shown text of `text`, or `None` when it can be shown as it is.
    fn of(text: &str) -> Option<ShownText> {
        let hidden = |index: usize, character: char| {
            escape::is_neutralised(character)
                && !(character == '\r' && text[index + 1..].starts_with('\n'))
        };
        if !text
            .char_indices()
            .any(|(index, character)| hidden(index, character))
        {
            return None;
        }
        let mut shown = String::with_capacity(text.len() + 64);
        let mut replaced = Vec::new();
        for (index, character) in text.char_indices() {
            if hidden(index, character) {
                let start = shown.len();
                escape::push_visible(&mut shown, character);
                replaced.push([index, index + character.len_utf8(), start, shown.len()]);
            } else {
                shown.push(character);
            }
        }
        Some(ShownText {
            line_index: LineIndex::new(&shown),
            text: shown,
            replaced,
        })
    }

    /// The shown offset of an original one (a replaced character's start for an offset in it).
    fn to_shown(&self, offset: usize) -> usize {
        match self
            .replaced
            .partition_point(|replaced| replaced[0] <= offset)
        {
            0 => offset,
            after => {
                let [_, end, shown_start, shown_end] = self.replaced[after - 1];
                if offset < end {
                    shown_start
                } else {
                    shown_end + (offset - end)
                }
            }
        }
    }

    /// The original offset of a shown one (a replaced character's start for an offset in its
    /// visible form).
    fn to_original(&self, offset: usize) -> usize {
        match self
            .replaced
            .partition_point(|replaced| replaced[2] <= offset)
        {
            0 => offset,
            after => {
                let [start, end, _, shown_end] = self.replaced[after - 1];
                if offset < shown_end {
                    start
                } else {
                    end + (offset - shown_end)
                }
            }
        }
    }
}

/// Adapts our file table to codespan-reporting, showing names and the files that need it as
/// [`ShownText`].
struct FileTable<'a> {
    files: &'a Files,
    /// Names that hold a character the terminal must not get, as shown.
    names: BTreeMap<FileId, String>,
    /// Texts that hold one, as shown.
    texts: BTreeMap<FileId, ShownText>,
}

impl<'a> FileTable<'a> {
    /// The table for excerpts of spans in `shown` files.
    fn new(files: &'a Files, shown: impl IntoIterator<Item = FileId>) -> Self {
        let mut table = FileTable {
            files,
            names: BTreeMap::new(),
            texts: BTreeMap::new(),
        };
        for id in shown {
            if table.names.contains_key(&id) || table.texts.contains_key(&id) {
                continue;
            }
            let file = files.get(id);
            if let std::borrow::Cow::Owned(name) = terminal(&file.name) {
                table.names.insert(id, name);
            }
            if let Some(text) = ShownText::of(&file.text) {
                table.texts.insert(id, text);
            }
        }
        table
    }

    /// The shown byte range of an original one.
    fn to_shown_range(
        &self,
        file: FileId,
        range: std::ops::Range<usize>,
    ) -> std::ops::Range<usize> {
        match self.texts.get(&file) {
            Some(shown) => shown.to_shown(range.start)..shown.to_shown(range.end),
            None => range,
        }
    }

    fn shown_text(&self, id: FileId) -> &str {
        self.texts
            .get(&id)
            .map_or(&*self.files.get(id).text, |shown| shown.text.as_str())
    }

    fn shown_line_index(&self, id: FileId) -> &LineIndex {
        self.texts
            .get(&id)
            .map_or(&*self.files.get(id).line_index, |shown| &shown.line_index)
    }
}

impl<'a> CodespanFiles<'a> for FileTable<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self
            .names
            .get(&id)
            .map_or(self.files.get(id).name.as_str(), String::as_str))
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.shown_text(id))
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.shown_line_index(id).line_of(byte_index))
    }

    /// The column every other output shows (`LineIndex` on the original text: a byte-order mark
    /// is not counted, a replaced character counts as one).
    fn column_number(
        &'a self,
        id: FileId,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let file = self.files.get(id);
        let original = self
            .texts
            .get(&id)
            .map_or(byte_index, |shown| shown.to_original(byte_index));
        Ok(file.line_index.line_column(&file.text, original).column as usize)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, FilesError> {
        let (text, lines) = (self.shown_text(id), self.shown_line_index(id));
        if line_index >= lines.line_count() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: lines.line_count() - 1,
            });
        }
        // Line 1 is shown without a byte-order mark (editors do not show one either).
        let start = if line_index == 0 {
            text_start(text)
        } else {
            lines.line_start(line_index)
        };
        let end = if line_index + 1 < lines.line_count() {
            lines.line_start(line_index + 1)
        } else {
            text.len()
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

fn label(
    table: &FileTable<'_>,
    style: LabelStyle,
    span: Span,
    message: &str,
) -> CodespanLabel<FileId> {
    let range = table.to_shown_range(span.file, shown_range(table.files, span));
    CodespanLabel::new(style, span.file, range).with_message(terminal(message))
}

/// One problem as codespan-reporting's diagnostic: an input problem with its labels, notes and
/// help; a finding labelled with its element, with its path, citation and fix as notes. Every
/// text is shown on one line ([`terminal`]).
fn excerpt(
    problem: Problem<'_>,
    table: &FileTable<'_>,
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
                    table,
                    LabelStyle::Primary,
                    primary.span,
                    &primary.message,
                ));
            }
            // Input problems are in English only, their notes and help too.
            notes.extend(
                diagnostic
                    .notes
                    .iter()
                    .map(|note| format!("note: {}", terminal(note))),
            );
            if let Some(help) = &diagnostic.help {
                notes.push(format!("help: {}", terminal(help)));
            }
        }
        Problem::Finding(finding) => {
            labels.push(label(
                table,
                LabelStyle::Primary,
                finding.span,
                finding.element.as_deref().unwrap_or_default(),
            ));
            if !finding.path.is_empty() {
                notes.push(format!(
                    "{}: {}",
                    i18n::text(language, "cli_path"),
                    terminal(&finding.path.join(" → "))
                ));
            }
            if let Some(checked) = checked
                && let Some(rule) = checked.rule(&finding.rule)
            {
                notes.push(format!(
                    "{}: {}",
                    i18n::text(language, "citation").to_lowercase(),
                    terminal(&citation_view(checked, rule, language).text)
                ));
                notes.push(format!(
                    "{}: {}",
                    i18n::text(language, "cli_help"),
                    // The pack writes fixes in Markdown: the terminal shows their words.
                    terminal(&crate::markup::to_plain(rule.fix.get(language)))
                ));
            }
        }
    }
    labels.extend(
        problem
            .related()
            .iter()
            .map(|related| label(table, LabelStyle::Secondary, related.span, &related.message)),
    );
    CodespanDiagnostic::new(severity)
        .with_code(terminal(problem.code()))
        .with_message(terminal(problem.message(language)))
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
    let problems: Vec<Problem<'a>> = problems.collect();
    let mut buffer = if color {
        termcolor::Buffer::ansi()
    } else {
        termcolor::Buffer::no_color()
    };
    let config = term::Config::default();
    let table = FileTable::new(
        files,
        problems.iter().flat_map(|problem| {
            problem
                .span()
                .into_iter()
                .chain(problem.related().iter().map(|related| related.span))
                .map(|span| span.file)
        }),
    );
    for problem in problems {
        let excerpt = excerpt(problem, &table, checked, language);
        if term::emit(&mut buffer, &config, &table, &excerpt).is_err() {
            // A span that does not fit its file is a bug; still show the message.
            let _ = std::io::Write::write_all(
                &mut buffer,
                format!(
                    "{}[{}]: {}\n",
                    problem.severity().as_str(),
                    terminal(problem.code()),
                    terminal(problem.message(language))
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
    if options.quiet {
        return out;
    }
    out.push_str(&waived_findings(checked, language));
    if let Some(outcome) = &options.baseline_outcome {
        out.push_str(&baseline_summary(outcome, checked, language));
    }
    if let Some(outcome) = &options.diff_outcome {
        out.push_str(&diff_summary(outcome, language));
    }
    out.push_str(&summary_table(checked, language));
    out
}

/// A fixed text with its `{name}` placeholders filled in one pass (a value that holds `{…}` is
/// not read again); an unknown placeholder stays as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let filled = after.find('}').and_then(|close| {
            values
                .iter()
                .find(|(name, _)| *name == &after[..close])
                .map(|(_, value)| (close, value))
        });
        if let Some((close, value)) = filled {
            out.push_str(value);
            rest = &after[close + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A count with its noun in the language (`cli_file`, `cli_files`: "1 file", "3 files", "3
/// tệp").
pub fn count(language: Language, count: usize, noun: &str) -> String {
    let key = if count == 1 {
        noun.to_owned()
    } else {
        format!("{noun}s")
    };
    fill(
        i18n::text(language, &format!("cli_{key}")),
        &[("n", &count.to_string())],
    )
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
        let until = waiver.until.map_or_else(
            || i18n::text(language, "no_date").to_owned(),
            |until| until.to_string(),
        );
        let _ = writeln!(
            out,
            "  {} {} ({until}): {}",
            terminal(&finding.rule),
            terminal(finding.element.as_deref().unwrap_or("")),
            terminal(&waiver.reason)
        );
    }
    out.push('\n');
    out
}

fn baseline_summary(outcome: &BaselineOutcome, checked: &Checked, language: Language) -> String {
    let mut out = fill(
        i18n::text(language, "cli_baseline"),
        &[
            ("file", &terminal(&outcome.file)),
            ("findings", &count(language, outcome.matched, "finding")),
            ("new", &check_json::new_findings(checked).to_string()),
        ],
    );
    out.push('\n');
    if !outcome.fixed.is_empty() {
        let what = i18n::text(
            language,
            if outcome.updated {
                "cli_baseline_removed"
            } else {
                "cli_baseline_update"
            },
        );
        let key = if outcome.fixed.len() == 1 {
            "cli_baseline_fixed_one"
        } else {
            "cli_baseline_fixed"
        };
        let _ = writeln!(
            out,
            "{}",
            fill(
                i18n::text(language, key),
                &[("count", &outcome.fixed.len().to_string()), ("what", what)]
            )
        );
        for entry in &outcome.fixed {
            let _ = writeln!(
                out,
                "  {}: {} {}",
                i18n::text(language, "cli_fixed"),
                terminal(&entry.rule),
                terminal(entry.element.as_deref().unwrap_or("-"))
            );
        }
    }
    out
}

fn diff_summary(outcome: &DiffOutcome, language: Language) -> String {
    let mut out = fill(
        i18n::text(language, "cli_compared"),
        &[
            ("revision", &terminal(&outcome.revision)),
            ("new", &outcome.introduced.to_string()),
            ("old", &outcome.preexisting.to_string()),
            ("resolved", &outcome.resolved.len().to_string()),
        ],
    );
    out.push('\n');
    for resolved in &outcome.resolved {
        let _ = writeln!(
            out,
            "  {}: {} {}",
            i18n::text(language, "cli_resolved"),
            terminal(&resolved.rule),
            terminal(resolved.element.as_deref().unwrap_or("-"))
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
        .and_then(|header| header.framework.as_deref())
        .map_or_else(String::new, |framework| terminal(framework).into_owned());
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
        "accepted_findings",
        "waived",
    ]
    .map(|key| i18n::text(language, key).to_lowercase());
    let name = header.map_or_else(String::new, |header| terminal(&header.name).into_owned());
    let _ = writeln!(
        out,
        "{}: {name} ({framework})",
        i18n::text(language, "compliance_summary")
    );
    let widths: Vec<usize> = columns
        .iter()
        .map(|column| column.chars().count().max(6))
        .collect();
    let row = |cells: [String; 11]| -> String {
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
            total.accepted_findings += score.accepted_findings;
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
                score.accepted_findings.to_string(),
                score.waived.to_string(),
            ]));
        }
    }
    let summary = check_json::summary(checked);
    if !checked.ran.is_empty() {
        // The four outcomes of the rules that ran (the table's total), and the date.
        let counts = &summary.totals.rules;
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
        "{}",
        fill(
            // The national model is named only when the workspace imports one.
            i18n::text(
                language,
                if summary.totals.national_elements > 0 {
                    "cli_checked_national"
                } else {
                    "cli_checked"
                }
            ),
            &[
                ("files", &count(language, summary.totals.files, "file")),
                (
                    "elements",
                    &count(language, summary.totals.elements, "element")
                ),
                ("national", &summary.totals.national_elements.to_string()),
                (
                    "relations",
                    &count(language, summary.totals.relations, "relation")
                ),
                (
                    "errors",
                    &count(language, summary.totals.input_errors, "error")
                ),
                (
                    "warnings",
                    &count(language, summary.totals.input_warnings, "warning")
                ),
            ]
        )
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_offsets_map_both_ways_around_replaced_characters() {
        // `\u{1b}` and `\u{202E}` are replaced; the `\r` before `\n` ends a line and stays.
        let text = "a\u{1b}b\r\nc\u{202E}d\re";
        let shown = ShownText::of(text).expect("something to replace");
        assert_eq!(shown.text, "a⟨U+001B⟩b\r\nc⟨U+202E⟩d⟨U+000D⟩e");
        assert_eq!(shown.line_index.line_count(), 2);
        for (original, expected) in [(0, 0), (1, 1), (2, 13), (6, 17), (9, 29), (11, 42)] {
            assert_eq!(shown.to_shown(original), expected, "{original}");
            assert_eq!(shown.to_original(expected), original, "{expected}");
        }
        // Every original character boundary comes back from its shown offset.
        for (index, _) in text.char_indices() {
            assert_eq!(shown.to_original(shown.to_shown(index)), index);
            assert!(shown.text.is_char_boundary(shown.to_shown(index)));
        }
        // An offset inside a visible form is the replaced character's.
        assert_eq!(shown.to_original(5), 1);
        assert!(ShownText::of("Hà Nội\r\n\tx\n").is_none());
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(
            fill("{a} and {b}, {c}", &[("a", "{b}"), ("b", "2")]),
            "{b} and 2, {c}"
        );
        assert_eq!(count(Language::En, 1, "file"), "1 file");
        assert_eq!(count(Language::En, 2, "file"), "2 files");
        assert_eq!(count(Language::Vi, 2, "file"), "2 tệp");
    }
}
