//! Quick fixes: apply a diagnostic's "did you mean" suggestion (unresolved references, unknown
//! kinds, properties and relation types), add a missing required property with a placeholder
//! value, and add a `waive` line for a compliance finding.

use super::ProjectAnalysis;
use kientruc_checker::findings::{WAIVER_EXPIRED, WAIVER_UNUSED};
use kientruc_dsl::diagnostic::Code;
use kientruc_dsl::metamodel::ValueType;
use kientruc_dsl::syntax::Date;
use kientruc_dsl::text::{FileId, TextRange};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub file: FileId,
    pub range: TextRange,
    pub new_text: String,
}

/// What a fix fixes: an index into the analysis' diagnostics, or into the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixFor {
    Diagnostic(usize),
    Finding(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
    pub fixes: FixFor,
    pub preferred: bool,
}

fn touches(left: TextRange, right: TextRange) -> bool {
    left.start <= right.end && right.start <= left.end
}

/// The text between the first pair of backticks after `after` in `text`.
fn quoted_after<'a>(text: &'a str, after: &str) -> Option<&'a str> {
    let rest = &text[text.find(after)? + after.len()..];
    let start = rest.find('`')? + 1;
    let length = rest[start..].find('`')?;
    Some(&rest[start..start + length])
}

/// The quick fixes for diagnostics and findings in `file` that touch `range`.
pub fn fixes(project: &ProjectAnalysis, file: FileId, range: TextRange) -> Vec<Fix> {
    let mut fixes = Vec::new();
    for (index, diagnostic) in project.checked.analysis.diagnostics.iter().enumerate() {
        let Some(primary) = &diagnostic.primary else {
            continue;
        };
        if primary.span.file != file || !touches(primary.span.range, range) {
            continue;
        }
        // A suggestion in the help replaces the primary range: "did you mean `x`?", or KT0012's
        // "write `x`" (the identifier without diacritics).
        let help = diagnostic.help.as_deref();
        let replacement = help
            .and_then(|help| quoted_after(help, "did you mean"))
            .map(|suggestion| (format!("Replace with `{suggestion}`"), suggestion))
            .or_else(|| {
                (diagnostic.code == Code::NonAsciiIdentifier)
                    .then(|| help.and_then(|help| quoted_after(help, "write")))
                    .flatten()
                    .map(|ascii| (format!("Write `{ascii}` (without diacritics)"), ascii))
            });
        if let Some((title, new_text)) = replacement {
            fixes.push(Fix {
                title,
                edits: vec![TextEdit {
                    file,
                    range: primary.span.range,
                    new_text: new_text.to_owned(),
                }],
                fixes: FixFor::Diagnostic(index),
                preferred: true,
            });
        }
        if diagnostic.code == Code::MissingProperty
            && let Some(property) = quoted_after(&primary.message, "needs")
            && let Some(edit) = add_property(project, file, primary.span.range, property)
        {
            fixes.push(Fix {
                title: format!("Add the required property `{property}`"),
                edits: vec![edit],
                fixes: FixFor::Diagnostic(index),
                preferred: true,
            });
        }
    }
    for (index, finding) in project.checked.findings.iter().enumerate() {
        let is_bookkeeping = finding.rule == WAIVER_EXPIRED || finding.rule == WAIVER_UNUSED;
        if finding.span.file != file
            || !touches(finding.span.range, range)
            || finding.is_waived()
            || is_bookkeeping
        {
            continue;
        }
        let Some(element) = &finding.element else {
            continue;
        };
        let until = three_months_after(project.today);
        let text = project.text(file);
        let separator = if text.is_empty() || text.ends_with("\n\n") {
            ""
        } else if text.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        fixes.push(Fix {
            title: format!("Waive {} on {element} until {until}", finding.rule),
            edits: vec![TextEdit {
                file,
                range: TextRange::empty(text.len()),
                new_text: format!(
                    "{separator}waive {} on {element} until {until} \"lý do\"\n",
                    finding.rule
                ),
            }],
            fixes: FixFor::Finding(index),
            preferred: false,
        });
    }
    fixes
}

/// The date three months after `date` (the day clamped to 28 so that it always exists).
pub fn three_months_after(date: Date) -> Date {
    let months = u32::from(date.month) + 2;
    let year = date.year + u16::try_from(months / 12).unwrap_or(0);
    let month = u8::try_from(months % 12 + 1).unwrap_or(1);
    Date::new(year, month, date.day.min(28)).unwrap_or(date)
}

/// A placeholder value of a property's type: the first enum value, the lowest integer, today,
/// `false`, an empty string or list, or the first element of a referenced kind.
fn placeholder(project: &ProjectAnalysis, value_type: Option<&ValueType>) -> String {
    match value_type {
        Some(ValueType::Enum { values }) => values.first().cloned().unwrap_or_default(),
        Some(ValueType::Integer { min, .. }) => min.unwrap_or(1).to_string(),
        Some(ValueType::Boolean) => "false".to_owned(),
        Some(ValueType::Date) => project.today.to_string(),
        Some(ValueType::List { .. }) => "[]".to_owned(),
        Some(ValueType::Reference { kinds }) => project
            .checked
            .analysis
            .model
            .workspace_elements()
            .find(|element| {
                kinds.is_empty() || kinds.iter().any(|kind| *kind == element.kind.as_str())
            })
            .map_or_else(|| "TODO".to_owned(), |element| element.local_id.to_string()),
        Some(ValueType::String) | None => "\"\"".to_owned(),
    }
}

/// Inserts `property <placeholder>` as the first line of the body of the element declared at
/// `id_range` (creating the body when there is none).
fn add_property(
    project: &ProjectAnalysis,
    file: FileId,
    id_range: TextRange,
    property: &str,
) -> Option<TextEdit> {
    let element = super::syntax_element(project, file, id_range)?;
    let text = project.text(file);
    let line_start = text[..element.range.start as usize]
        .rfind('\n')
        .map_or(0, |index| index + 1);
    let outer_indent: String = text[line_start..element.range.start as usize]
        .chars()
        .take_while(|character| character.is_whitespace())
        .collect();
    let metamodel = project
        .checked
        .analysis
        .workspace
        .framework
        .as_ref()
        .and_then(|framework| framework.metamodel.as_ref());
    let value_type = metamodel
        .and_then(|metamodel| metamodel.property(property))
        .map(|definition| &definition.value_type);
    let line = format!(
        "{outer_indent}  {property} {}",
        placeholder(project, value_type)
    );
    Some(match &element.body {
        Some(body) if !body.entries.is_empty() => TextEdit {
            file,
            range: TextRange::empty(body.range.start as usize + 1),
            new_text: format!("\n{line}"),
        },
        Some(body) => TextEdit {
            file,
            range: body.range,
            new_text: format!("{{\n{line}\n{outer_indent}}}"),
        },
        None => TextEdit {
            file,
            range: TextRange::empty(element.name.range.end as usize),
            new_text: format!(" {{\n{line}\n{outer_indent}}}"),
        },
    })
}

/// The workspace moved to the framework pack that replaces its own (the pack's `replaces` and
/// `migration.toml`, [`kientruc_dsl::migration`]: what `kientruc migrate` does, without the
/// formatting): offered on the architecture header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub title: String,
    pub edits: Vec<TextEdit>,
}

/// The migration of `project`'s workspace, when `range` of `file` touches its header and a pack
/// `registry` knows replaces its framework.
pub fn migration(
    project: &ProjectAnalysis,
    file: FileId,
    range: TextRange,
    registry: &dyn kientruc_dsl::workspace::FrameworkRegistry,
) -> Option<Migration> {
    let header = project.checked.analysis.model.header.as_ref()?;
    if header.span.file != file || !touches(header.span.range, range) {
        return None;
    }
    let from = header.framework.as_deref()?;
    let (pack, map) = kientruc_dsl::migration::replacing(registry, from)?;
    let workspace = &project.checked.analysis.workspace;
    let files: Vec<FileId> = workspace.modules.first()?.files.clone();
    let alias =
        kientruc_dsl::migration::national_alias(files.iter().map(|file| project.tree(*file)));
    let mut edits = Vec::new();
    let mut questions = 0;
    for file in files {
        let plan = kientruc_dsl::migration::plan(
            project.text(file),
            project.tree(file),
            &map,
            &pack.id,
            alias.as_deref(),
        );
        questions += plan.questions.len();
        edits.extend(plan.edits.into_iter().map(|edit| TextEdit {
            file,
            range: edit.range,
            new_text: edit.text,
        }));
    }
    let count = edits.len();
    let title = if questions > 0 {
        format!(
            "Migrate the workspace to {} ({count} changes; {questions} to decide: run kientruc migrate --to {} to list them)",
            pack.id, pack.id
        )
    } else {
        format!("Migrate the workspace to {} ({count} changes)", pack.id)
    };
    Some(Migration { title, edits })
}
