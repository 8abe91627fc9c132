//! SARIF 2.1.0 (OASIS): the tool driver with its version and information URI, every rule of the
//! pack and of the tool with descriptions, help and a link to its documentation, and one result
//! per problem with a physical location (1-based lines, columns in Unicode code points) and a
//! fingerprint; waivers are suppressions. Valid against `reports/schema/sarif-schema-2.1.0.json`
//! (tested) and checked with the SARIF Multitool in CI.
//!
//! Rules that do not apply to the model (their basis is not in force on the date it is judged
//! on, or their subject selects nothing) are disabled for the run: one invocation lists each in
//! `ruleConfigurationOverrides` with `configuration.enabled = false`, its descriptor by id and
//! index, and `properties` `{"outcome": "not-applicable", "reason": …}` (the reason in the run's
//! language). The run's `properties` hold the date judged (`asOf`, `asOfSource`) and the rules by
//! outcome (`rules`: `passed`, `failed`, `accepted`, `notApplicable`).
//!
//! Input errors are results too, with their KT code as `ruleId`, and every KT code that occurs is
//! a descriptor in the driver's `rules`: the specification keeps `notifications` (and
//! `invocations[].toolExecutionNotifications`) for conditions "relevant to the tool itself, as
//! opposed to being relevant to a target being analyzed", while a syntax or resolution error is
//! a problem of the analysed files, located in them; and a result's `ruleIndex` points into
//! `rules` only.

use crate::escape::{Breaks, neutralise, uri_path};
use crate::problem::Problem;
use crate::score::{RuleCounts, outcomes, rule_counts};
use crate::view::citation_view;
use crate::{Report, ReportError, ReportOptions, i18n};
use kientruc_checker::findings::{Finding, fingerprint};
use kientruc_checker::rules::Rule;
use kientruc_checker::{AsOfSource, Checked, Outcome};
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::{Code, Diagnostic, Severity};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
    /// One, when some rule does not apply: its overrides disable those rules.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    properties: RunProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    architecture: Option<String>,
    framework: Option<String>,
    /// The date the model was judged on, and where it comes from (`model`, `option`, `today`).
    as_of: String,
    as_of_source: AsOfSource,
    rules: OutcomeCounts,
}

/// [`RuleCounts`] with SARIF's camel case.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutcomeCounts {
    passed: usize,
    failed: usize,
    accepted: usize,
    not_applicable: usize,
}

impl From<RuleCounts> for OutcomeCounts {
    fn from(counts: RuleCounts) -> Self {
        OutcomeCounts {
            passed: counts.passed,
            failed: counts.failed,
            accepted: counts.accepted,
            not_applicable: counts.not_applicable,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    rule_configuration_overrides: Vec<ConfigurationOverride>,
}

/// A rule disabled for the run because it does not apply to the model.
#[derive(Serialize)]
struct ConfigurationOverride {
    configuration: OverrideConfiguration,
    descriptor: DescriptorReference,
    properties: OverrideProperties,
}

#[derive(Serialize)]
struct OverrideConfiguration {
    enabled: bool,
}

#[derive(Serialize)]
struct DescriptorReference {
    id: String,
    index: usize,
}

#[derive(Serialize)]
struct OverrideProperties {
    /// `not-applicable`.
    outcome: Outcome,
    reason: String,
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
    /// The tool's home page (the workspace's `homepage`), which SARIF viewers show as a link.
    information_uri: &'static str,
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
    /// The rule's published documentation; absent when no address is set (`docs-url`, the
    /// pack's `doc_base_url`) and for KT codes: never a placeholder.
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
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
    /// A rule's reference model; `input` for a KT code.
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference_model: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    /// Empty only for an input problem with no place (no `.ea` files at all).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation>,
    /// A route finding's path: one thread flow whose steps are its routes, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    code_flows: Vec<CodeFlow>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<Vec<Suppression>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    /// A finding's reference model, element and path (an input problem has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties>,
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
    /// What is wrong there (an input problem's label).
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeFlow {
    thread_flows: Vec<ThreadFlow>,
}

#[derive(Serialize)]
struct ThreadFlow {
    locations: Vec<ThreadFlowLocation>,
}

#[derive(Serialize)]
struct ThreadFlowLocation {
    location: Location,
}

/// The path of a route finding as a code flow: each route at its relation, with its elements.
fn code_flows(checked: &Checked, finding: &Finding) -> Vec<CodeFlow> {
    if finding.routes.is_empty() {
        return Vec::new();
    }
    let locations = finding
        .routes
        .iter()
        .map(|route| ThreadFlowLocation {
            location: Location {
                physical_location: physical_location(checked, route.span),
                message: Some(Text {
                    text: sentence(&format!(
                        "{}: {}",
                        route.relation,
                        route.elements.join(" → ")
                    )),
                }),
            },
        })
        .collect();
    vec![CodeFlow {
        thread_flows: vec![ThreadFlow { locations }],
    }]
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
    /// The whole lines around the region; left out when the region already is whole lines (a
    /// context region must be a proper superset of the region).
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<Region>,
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
/// Control and bidirectional characters are shown as `⟨U+XXXX⟩`
/// ([`crate::escape::neutralise`]): a viewer must not reverse the text or run an escape sequence.
fn sentence(text: &str) -> String {
    let text = neutralise(text, Breaks::Keep);
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
    let citation = citation_view(checked, rule, language).text;
    let doc = checked.rule_doc_url(&rule.id);
    let fix = rule.fix.get(language);
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
                "{fix_label}: {}\n{citation_label}: {citation}{}",
                crate::markup::to_plain(fix),
                doc.as_ref()
                    .map(|doc| format!("\n{doc}"))
                    .unwrap_or_default()
            ),
            // The fix is the pack's own Markdown; the citation is text.
            markdown: format!(
                "**{fix_label}:** {fix}\n\n**{citation_label}:** {}{}",
                crate::escape::markdown(&citation),
                doc.as_ref()
                    .map(|doc| format!("\n\n[{}]({doc})", rule.id))
                    .unwrap_or_default()
            ),
        },
        help_uri: doc,
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: DescriptorProperties {
            tags: vec![rule.reference_model.as_str().to_owned()],
            reference_model: Some(rule.reference_model.as_str()),
            citation: Some(citation),
        },
    }
}

/// A KT code as a rule: its title, what an input problem means and its default help (the codes
/// are explained in kientruc's `docs/language.md`, which has no published address to link).
fn input_descriptor(code: Code, options: &ReportOptions) -> Descriptor {
    let language = options.language;
    let title = capitalised(code.title());
    let fix_label = i18n::text(language, "fix");
    let (help_text, help_markdown) = match code.default_help() {
        Some(help) => (
            format!("{fix_label}: {help}"),
            format!("**{fix_label}:** {}", crate::escape::markdown(help)),
        ),
        None => (sentence(&title), crate::escape::markdown(&sentence(&title))),
    };
    Descriptor {
        id: code.as_str().to_owned(),
        // The code's variant name in the code registry (`UnclosedDelimiter`), stable like its id.
        name: format!("{code:?}"),
        short_description: Text {
            text: sentence(&title),
        },
        full_description: Text {
            text: format!(
                "{} {}",
                sentence(&title),
                i18n::text(language, "input_error_description")
            ),
        },
        help: Help {
            text: help_text,
            markdown: help_markdown,
        },
        help_uri: None,
        default_configuration: Configuration {
            level: level(code.default_severity()),
        },
        properties: DescriptorProperties {
            tags: vec!["input".to_owned()],
            reference_model: None,
            citation: None,
        },
    }
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + characters.as_str()
    })
}

fn region(checked: &Checked, span: kientruc_dsl::Span) -> (String, Region, Option<Region>) {
    let files = &checked.analysis.workspace.files;
    let file = files.get(span.file);
    let (start, end) = files.line_columns(span);
    let range = span.range.to_range();
    let snippet = file.text.get(range).unwrap_or_default().to_owned();
    // The whole lines of the region, for context.
    let mut line_start = file.line_index.line_start(start.line as usize - 1);
    // Line 1 is shown without a byte-order mark (editors do not show one either).
    if line_start == 0 && file.text.starts_with('\u{feff}') {
        line_start = '\u{feff}'.len_utf8();
    }
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
    let context_end_column = context_end_column.max(if start.line == end.line {
        end.column
    } else {
        1
    });
    let whole_lines = start.column == 1 && end.column == context_end_column;
    (
        uri_path(&file.name),
        Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
            snippet: Text { text: snippet },
        },
        (!whole_lines).then(|| Region {
            start_line: start.line,
            start_column: 1,
            end_line: end.line,
            end_column: context_end_column,
            snippet: Text {
                text: context_trimmed.to_owned(),
            },
        }),
    )
}

/// An input problem as a result: its KT code, where it is with its label, the other places it
/// names, and a fingerprint of its code, file and message.
fn input_result(
    checked: &Checked,
    diagnostic: &Diagnostic,
    rule_index: usize,
    baseline: bool,
) -> SarifResult {
    let files = &checked.analysis.workspace.files;
    let file = diagnostic
        .primary
        .as_ref()
        .map_or("", |label| files.get(label.span.file).name.as_str());
    SarifResult {
        rule_id: diagnostic.code.as_str().to_owned(),
        rule_index,
        level: level(diagnostic.severity),
        message: Text {
            text: sentence(&diagnostic.message),
        },
        locations: diagnostic
            .primary
            .iter()
            .map(|label| Location {
                physical_location: physical_location(checked, label.span),
                message: (!label.message.is_empty()).then(|| Text {
                    text: sentence(&label.message),
                }),
            })
            .collect(),
        related_locations: related_locations(checked, &diagnostic.secondary),
        code_flows: Vec::new(),
        partial_fingerprints: std::iter::once((
            FINGERPRINT_KEY,
            fingerprint(&[diagnostic.code.as_str(), file, &diagnostic.message]),
        ))
        .collect(),
        suppressions: None,
        // Nothing accepts an input problem: with a baseline, it is new.
        baseline_state: baseline.then_some("new"),
        properties: None,
    }
}

fn related_locations(checked: &Checked, labels: &[kientruc_dsl::Label]) -> Vec<RelatedLocation> {
    labels
        .iter()
        .enumerate()
        .map(|(index, label)| RelatedLocation {
            id: index + 1,
            physical_location: physical_location(checked, label.span),
            message: Text {
                text: sentence(&label.message),
            },
        })
        .collect()
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
            message: None,
        }],
        related_locations: related_locations(checked, &finding.related),
        code_flows: code_flows(checked, finding),
        partial_fingerprints: std::iter::once((FINGERPRINT_KEY, finding.fingerprint.clone()))
            .collect(),
        suppressions: finding.waiver.as_ref().map(|waiver| {
            let until = waiver.until.map_or_else(String::new, |until| {
                format!(" ({} {until})", i18n::text(language, "waived_until"))
            });
            vec![Suppression {
                kind: "inSource",
                status: "accepted",
                justification: format!("{}{until}", neutralise(&waiver.reason, Breaks::Keep)),
            }]
        }),
        baseline_state: baseline.then_some(if finding.baselined {
            "unchanged"
        } else {
            "new"
        }),
        properties: Some(ResultProperties {
            reference_model: finding.reference_model.as_str(),
            element: finding.element.clone(),
            path: finding.path.clone(),
        }),
    }
}

pub fn render(report: &Report<'_>) -> Result<String, ReportError> {
    let (checked, options) = (report.checked, report.options);
    // Every rule of the pack and of the tool, and the KT codes that occur, by id.
    let codes: BTreeSet<Code> = report.inputs().map(|diagnostic| diagnostic.code).collect();
    let mut rules: Vec<Descriptor> = checked
        .pack
        .rules
        .iter()
        .chain(checked.tool_rules.iter())
        .map(|rule: &Rule| descriptor(checked, rule, options))
        .chain(
            codes
                .into_iter()
                .map(|code| input_descriptor(code, options)),
        )
        .collect();
    rules.sort_by(|left, right| left.id.cmp(&right.id));
    let index: BTreeMap<String, usize> = rules
        .iter()
        .enumerate()
        .map(|(position, rule)| (rule.id.clone(), position))
        .collect();
    let header = checked.analysis.model.header.as_ref();
    let overrides: Vec<ConfigurationOverride> = outcomes(checked)
        .into_values()
        .filter(|outcome| outcome.outcome == Outcome::NotApplicable)
        .filter_map(|outcome| {
            Some(ConfigurationOverride {
                configuration: OverrideConfiguration { enabled: false },
                descriptor: DescriptorReference {
                    index: *index.get(&outcome.rule)?,
                    id: outcome.rule,
                },
                properties: OverrideProperties {
                    outcome: outcome.outcome,
                    reason: outcome.reason.get(options.language).to_owned(),
                },
            })
        })
        .collect();
    let invocations = if overrides.is_empty() {
        Vec::new()
    } else {
        vec![Invocation {
            execution_successful: true,
            rule_configuration_overrides: overrides,
        }]
    };
    let results = report
        .problems
        .iter()
        .filter_map(|problem| {
            let position = *index.get(problem.code())?;
            Some(match *problem {
                Problem::Input(diagnostic) => {
                    input_result(checked, diagnostic, position, options.baseline)
                }
                Problem::Finding(finding) => result(
                    checked,
                    finding,
                    position,
                    options.language,
                    options.baseline,
                ),
            })
        })
        .collect();
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
                    information_uri: env!("CARGO_PKG_HOMEPAGE"),
                    rules,
                },
            },
            language: i18n::locale(options.language),
            column_kind: "unicodeCodePoints",
            invocations,
            results,
            properties: RunProperties {
                architecture: header.map(|header| header.id.clone()),
                framework: crate::view::framework_id(checked),
                as_of: checked.as_of.to_string(),
                as_of_source: checked.as_of_source,
                rules: rule_counts(checked).into(),
            },
        }],
    };
    // Source snippets copy the source: their control characters are `\u` escapes in the file.
    let mut text = crate::escape::json_pretty(&log).map_err(|source| ReportError::Serialize {
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
