//! SARIF 2.1.0 (OASIS): the tool driver with its version and information URI, every rule of the
//! pack and of the tool with descriptions, help and a link to its documentation, and one result
//! per finding with a physical location (1-based lines, columns in Unicode code points), the
//! finding's fingerprint, and waivers as suppressions. Valid against
//! `reports/schema/sarif-schema-2.1.0.json` (tested) and checked with the SARIF Multitool in CI.

use crate::escape::uri_path;
use crate::view::{citation_view, rule_doc};
use crate::{Report, ReportError, ReportOptions, i18n};
use kientruc_checker::Checked;
use kientruc_checker::findings::Finding;
use kientruc_checker::rules::Rule;
use kientruc_dsl::Severity;
use kientruc_dsl::metamodel::Language;
use serde::Serialize;
use std::collections::BTreeMap;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of the finding fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "kientrucFingerprint/v1";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    language: &'static str,
    column_kind: &'static str,
    results: Vec<SarifResult>,
    properties: RunProperties,
}

#[derive(Serialize)]
struct RunProperties {
    architecture: Option<String>,
    framework: Option<String>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    full_name: String,
    version: String,
    semantic_version: String,
    information_uri: String,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DescriptorProperties {
    tags: Vec<String>,
    reference_model: &'static str,
    citation: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<Vec<Suppression>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    reference_model: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    element: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    path: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    physical_location: PhysicalLocation,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
    context_region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    snippet: Text,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF viewers show the first sentence of a message: end every message with a full stop.
fn sentence(text: &str) -> String {
    let trimmed = text.trim_end();
    if trimmed.ends_with(['.', '!', '?']) {
        trimmed.to_owned()
    } else {
        format!("{trimmed}.")
    }
}

/// A rule's friendly name: its English title as one Pascal-case identifier.
fn pascal_case(title: &str) -> String {
    title
        .split(|character: char| !character.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut characters = word.chars();
            characters.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + characters.as_str()
            })
        })
        .collect()
}

fn descriptor(checked: &Checked, rule: &Rule, options: &ReportOptions) -> Descriptor {
    let language = options.language;
    let citation = citation_view(rule, language).text;
    let doc = rule_doc(checked, &rule.id, options);
    let (citation_label, fix_label) = (
        i18n::text(language, "citation"),
        i18n::text(language, "fix"),
    );
    Descriptor {
        id: rule.id.clone(),
        name: pascal_case(&rule.title.en),
        short_description: Text {
            text: sentence(rule.title.get(language)),
        },
        full_description: Text {
            text: sentence(rule.rationale.get(language)),
        },
        help: Help {
            text: format!(
                "{fix_label}: {}\n{citation_label}: {citation}\n{doc}",
                rule.fix.get(language)
            ),
            markdown: format!(
                "**{fix_label}:** {}\n\n**{citation_label}:** {}\n\n[{}]({doc})",
                crate::escape::markdown(rule.fix.get(language)),
                crate::escape::markdown(&citation),
                rule.id
            ),
        },
        help_uri: doc,
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: DescriptorProperties {
            tags: vec![rule.reference_model.as_str().to_owned()],
            reference_model: rule.reference_model.as_str(),
            citation,
        },
    }
}

fn region(checked: &Checked, span: kientruc_dsl::Span) -> (String, Region, Region) {
    let files = &checked.analysis.workspace.files;
    let file = files.get(span.file);
    let (start, end) = files.line_columns(span);
    let range = span.range.to_range();
    let snippet = file.text.get(range).unwrap_or_default().to_owned();
    // The whole lines of the region, for context.
    let line_start = file.line_index.line_start(start.line as usize - 1);
    let end_line_index = end.line as usize;
    let line_end = if end_line_index < file.line_index.line_count() {
        file.line_index.line_start(end_line_index)
    } else {
        file.text.len()
    };
    let context_text = file.text.get(line_start..line_end).unwrap_or_default();
    let context_trimmed = context_text.trim_end_matches(['\n', '\r']);
    // Through the line index, like every column (a byte-order mark is not counted).
    let context_end_column = file
        .line_index
        .line_column(&file.text, line_start + context_trimmed.len())
        .column;
    (
        uri_path(&file.name),
        Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
            snippet: Text { text: snippet },
        },
        Region {
            start_line: start.line,
            start_column: 1,
            end_line: end.line,
            end_column: context_end_column.max(if start.line == end.line {
                end.column
            } else {
                1
            }),
            snippet: Text {
                text: context_trimmed.to_owned(),
            },
        },
    )
}

fn physical_location(checked: &Checked, span: kientruc_dsl::Span) -> PhysicalLocation {
    let (uri, region, context_region) = region(checked, span);
    PhysicalLocation {
        artifact_location: ArtifactLocation { uri },
        region,
        context_region,
    }
}

fn result(
    checked: &Checked,
    finding: &Finding,
    rule_index: usize,
    language: Language,
    baseline: bool,
) -> SarifResult {
    SarifResult {
        rule_id: finding.rule.clone(),
        rule_index,
        level: level(finding.severity),
        message: Text {
            text: sentence(finding.message.get(language)),
        },
        locations: vec![Location {
            physical_location: physical_location(checked, finding.span),
        }],
        related_locations: finding
            .related
            .iter()
            .enumerate()
            .map(|(index, label)| RelatedLocation {
                id: index + 1,
                physical_location: physical_location(checked, label.span),
                message: Text {
                    text: sentence(&label.message),
                },
            })
            .collect(),
        partial_fingerprints: std::iter::once((FINGERPRINT_KEY, finding.fingerprint.clone()))
            .collect(),
        suppressions: finding.waiver.as_ref().map(|waiver| {
            let until = waiver.until.map_or_else(String::new, |until| {
                format!(" ({} {until})", i18n::text(language, "waived_until"))
            });
            vec![Suppression {
                kind: "inSource",
                status: "accepted",
                justification: format!("{}{until}", waiver.reason),
            }]
        }),
        baseline_state: baseline.then_some(if finding.baselined {
            "unchanged"
        } else {
            "new"
        }),
        properties: ResultProperties {
            reference_model: finding.reference_model.as_str(),
            element: finding.element.clone(),
            path: finding.path.clone(),
        },
    }
}

pub fn render(report: &Report<'_>) -> Result<String, ReportError> {
    let (checked, options) = (report.checked, report.options);
    let mut rules: Vec<&Rule> = checked
        .pack
        .rules
        .iter()
        .chain(checked.tool_rules.iter())
        .collect();
    rules.sort_by(|left, right| left.id.cmp(&right.id));
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(position, rule)| (rule.id.as_str(), position))
        .collect();
    let header = checked.analysis.model.header.as_ref();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "kientruc",
                    full_name: format!("kientruc {}", options.tool_version),
                    version: options.tool_version.clone(),
                    semantic_version: options.tool_version.clone(),
                    information_uri: env!("CARGO_PKG_REPOSITORY").to_owned(),
                    rules: rules
                        .iter()
                        .map(|rule| descriptor(checked, rule, options))
                        .collect(),
                },
            },
            language: i18n::locale(options.language),
            column_kind: "unicodeCodePoints",
            results: checked
                .findings
                .iter()
                .filter_map(|finding| {
                    index.get(finding.rule.as_str()).map(|position| {
                        result(
                            checked,
                            finding,
                            *position,
                            options.language,
                            options.baseline,
                        )
                    })
                })
                .collect(),
            properties: RunProperties {
                architecture: header.map(|header| header.id.clone()),
                framework: crate::view::framework_id(checked),
            },
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).map_err(|source| ReportError::Serialize {
        format: "SARIF",
        source,
    })?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::{pascal_case, sentence};

    #[test]
    fn rule_names_are_pascal_case_and_messages_sentences() {
        assert_eq!(
            pascal_case("Systems have a security level"),
            "SystemsHaveASecurityLevel"
        );
        assert_eq!(pascal_case("One LGSP (per province)"), "OneLGSPPerProvince");
        assert_eq!(sentence("Thiếu cấp độ"), "Thiếu cấp độ.");
        assert_eq!(sentence("Done."), "Done.");
    }
}
