//! The report's data, computed once from the checked model and shared by the HTML, Markdown and
//! JSON formats: architecture header, summary (with the date the model was judged on and the
//! rules by outcome), scorecard, findings with locations, citations and fixes, the outcome of
//! every rule with its reason, the element index and the roadmap. Serialised as is, it is the JSON report
//! (`schema/report.schema.json`); templates receive it as their context.

use crate::escape::{anchor, is_safe_url};
use crate::i18n;
use crate::score::{
    ModelScore, Totals, as_of_label, compliance_score, outcome_label, outcomes, scorecard, totals,
};
use crate::{Report, ReportOptions, SCHEMA_VERSION};
use kientruc_checker::findings::Finding;
use kientruc_checker::rules::{CitationSource, ReferenceModel, Rule};
use kientruc_checker::{AsOfSource, Checked};
use kientruc_dsl::Severity;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::model::{Element, PropertyValue};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The kind of roadmap items and the relation from an item to what it builds (vn-egov-3.0's
/// names; a framework without them simply has no roadmap section).
pub const ROADMAP_KIND: &str = "roadmap_item";
pub const IMPLEMENTS: &str = "implements";

/// Above this many elements the HTML report's index lists the elements without findings once,
/// not once per language: 2,000 names fill some forty printed pages already.
pub const INDEX_SHARED_ABOVE: usize = 2_000;

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub schema_version: u32,
    pub language: &'static str,
    pub tool: ToolView,
    pub generated_at: Option<String>,
    pub architecture: ArchitectureView,
    pub summary: SummaryView,
    /// The overall compliance score, 0–100 (`None` when no rule ran).
    pub score: Option<u32>,
    pub scorecard: Vec<ModelScore>,
    pub findings: Vec<FindingView>,
    pub rules: Vec<RuleView>,
    pub elements: Vec<ElementView>,
    pub roadmap: Vec<RoadmapItemView>,
    pub diagnostics: Vec<DiagnosticView>,
    /// What changed since a git revision (`report --since REV`); absent without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<crate::changes::Changes>,
    /// The fixed texts, at the architecture's level (templates see them as `t`).
    #[serde(skip)]
    pub texts: i18n::Texts,
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolView {
    pub name: &'static str,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArchitectureView {
    pub id: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    /// The date the model describes (`as_of`), `YYYY-MM-DD`.
    pub as_of: Option<String>,
    pub framework: Option<FrameworkView>,
    /// `as_of` in the report's language (dd/mm/yyyy in Vietnamese).
    pub as_of_text: Option<String>,
    /// The adopting decision (`adopted_by`), when the header names one.
    pub adopted_by: Option<String>,
    /// The model's status in the report's language: adopted by the named decision, or a
    /// reference model not adopted by the body that adopts architectures at its level (the
    /// ministry, the People's Committee; `adopted_by` absent).
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkView {
    pub id: String,
    pub name: Option<String>,
    pub version: Option<String>,
    pub decision: Option<String>,
}

/// The report's numbers ([`Totals`], the same as every other output's) with the date the model
/// was judged on.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryView {
    #[serde(flatten)]
    pub totals: Totals,
    /// The date the model was judged on (`YYYY-MM-DD`): the header's `as_of`, `--as-of`, or
    /// today; where it comes from (`model`, `option`, `today`); both as one text in the
    /// report's language (`31/12/2024 (as_of của mô hình)`).
    pub as_of: String,
    pub as_of_source: AsOfSource,
    pub as_of_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CitationView {
    /// `verified`, `inferred` or `tool`.
    pub source: &'static str,
    /// The first cited document's address (only `http` and `https` addresses are kept).
    pub url: Option<String>,
    /// The documents in force on the model's date, in legal form, with the source qualifier.
    pub text: String,
    /// Those documents one by one.
    pub documents: Vec<CitedDocumentView>,
}

/// One document a finding's rule cites, as in force on the model's date.
#[derive(Debug, Clone, Serialize)]
pub struct CitedDocumentView {
    pub key: String,
    /// `Nghị định` / `Decree`, in the report's language.
    pub kind: &'static str,
    pub number: String,
    pub signed: Option<String>,
    pub effective: Option<String>,
    /// Article, clause and point (`điểm a khoản 1 Điều 16` / `Article 16(1)(a)`).
    pub article: Option<String>,
    pub url: Option<String>,
    pub verified: bool,
    /// The document in legal form with its article.
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverView {
    pub until: Option<String>,
    /// `until` in the report's language (dd/mm/yyyy in Vietnamese).
    pub until_text: Option<String>,
    pub reason: String,
}

/// Why the baseline accepts a finding: its reason, the responsible agency and the review date.
#[derive(Debug, Clone, Serialize)]
pub struct AcceptanceView {
    pub reason: Option<String>,
    /// The responsible agency's element id, and its name when the model has it.
    pub owner: Option<String>,
    pub owner_name: Option<String>,
    /// The review date in the report's language (dd/mm/yyyy in Vietnamese).
    pub review: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedView {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    /// Unique within the report; also the HTML anchor (`f-` and the fingerprint).
    pub id: String,
    pub rule: String,
    pub rule_title: String,
    pub severity: Severity,
    pub severity_label: &'static str,
    pub reference_model: &'static str,
    pub message: String,
    pub element: Option<String>,
    pub element_name: Option<String>,
    pub element_kind: Option<String>,
    pub element_anchor: Option<String>,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub citation: Option<CitationView>,
    /// The rule's fix, as the pack writes it (Markdown; the HTML report renders it).
    pub fix: Option<String>,
    /// The rule's published documentation ([`Checked::rule_doc_url`]), when an address is set.
    pub rule_url: Option<String>,
    /// The rule's row in the report's rule table (the link when no address is set).
    pub rule_anchor: String,
    /// `open`, `waived` or `baselined`.
    pub status: &'static str,
    pub waiver: Option<WaiverView>,
    /// For a finding the baseline accepts: why, who closes it, when it is reviewed.
    pub acceptance: Option<AcceptanceView>,
    pub path: Vec<String>,
    /// The routes of `path`, in order (a relation with its intermediaries is one route).
    pub routes: Vec<RouteView>,
    pub related: Vec<RelatedView>,
    pub fingerprint: String,
}

/// One route of a finding's path: the relation type, its elements (source, intermediaries,
/// target) and where it is declared.
#[derive(Debug, Clone, Serialize)]
pub struct RouteView {
    pub relation: String,
    pub elements: Vec<String>,
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// The routes of a finding, with their locations.
pub fn route_views(checked: &Checked, finding: &Finding) -> Vec<RouteView> {
    let files = &checked.analysis.workspace.files;
    finding
        .routes
        .iter()
        .map(|route| {
            let (start, _) = files.line_columns(route.span);
            RouteView {
                relation: route.relation.clone(),
                elements: route.elements.clone(),
                file: files.get(route.span.file).name.clone(),
                line: start.line,
                column: start.column,
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    pub id: String,
    pub title: String,
    pub reference_model: &'static str,
    pub severity: Severity,
    pub severity_label: &'static str,
    /// The rule's outcome: `passed`, `failed`, `accepted`, `not-applicable`, or `not-run` when
    /// `--select` / `--ignore` or the configuration left it out.
    pub result: &'static str,
    /// The outcome in the report's language (`Không áp dụng`).
    pub result_label: &'static str,
    /// Why, in the report's language (`None` for a rule that did not run).
    pub reason: Option<String>,
    /// For a rule whose subject matched nothing: the subject's selector (the reason leaves it
    /// out; the reports show it as code).
    pub subject: Option<String>,
    /// The overlay the rule comes from (`hanoi`), `None` for the framework's and the checker's.
    pub overlay: Option<String>,
    pub findings: usize,
    pub citation: String,
    /// The documents alone (`Nghị định 47/2020/NĐ-CP, Điều 11 (suy luận)`), for the rule table.
    pub citation_short: String,
    /// The rule's rationale (Markdown) and the pack's note on its citation (Markdown, in English:
    /// what is verified, what inferred, what was decided).
    pub rationale: String,
    pub notes: Option<String>,
    /// The rule's published documentation, when an address is set ([`Checked::rule_doc_url`]).
    pub url: Option<String>,
    /// The rule's row in the report (`r-` and the id).
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ElementView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub kind_name: String,
    pub layer: Option<String>,
    pub layer_name: Option<String>,
    pub file: String,
    pub line: u32,
    pub anchor: String,
    /// Open findings (neither accepted nor waived) by severity.
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings accepted by a baseline or `--diff`.
    pub accepted: usize,
    pub waived: usize,
    /// Ids of the element's findings.
    pub findings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ElementRef {
    pub id: String,
    pub name: String,
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClosedFinding {
    pub id: String,
    pub rule: String,
    pub severity: Severity,
    pub severity_label: &'static str,
    pub element: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoadmapItemView {
    pub id: String,
    pub name: String,
    pub anchor: String,
    /// The `status` value (`planned`) and its name in the report's language (`Kế hoạch`).
    pub status: Option<String>,
    pub status_name: Option<String>,
    pub start_date: Option<String>,
    pub target_date: Option<String>,
    pub owner: Option<String>,
    /// The target date is before the model's date and the item is not operational.
    pub overdue: bool,
    pub implements: Vec<ElementRef>,
    /// Open findings on the elements the item implements.
    pub closes: Vec<ClosedFinding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticView {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// Findings of one reference model (templates only): the open ones grouped by element, the
/// accepted and waived ones folded by rule.
#[derive(Debug, Clone, Serialize)]
pub struct ModelGroup {
    pub score: ModelScore,
    pub elements: Vec<ElementGroup>,
    pub folds: Vec<Fold>,
    /// How many findings the folds hold.
    pub folded: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ElementGroup {
    pub element: Option<String>,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub anchor: Option<String>,
    pub findings: Vec<FindingView>,
}

/// The findings of one rule that a baseline (or `--diff`) accepts, or that waivers waive, folded
/// in one `<details>`: what they share (reason, responsible agency, date) is said once.
#[derive(Debug, Clone, Serialize)]
pub struct Fold {
    /// `baselined` or `waived`.
    pub status: &'static str,
    pub anchor: String,
    pub rule: String,
    pub rule_title: String,
    pub severity: Severity,
    pub severity_label: &'static str,
    pub rule_url: Option<String>,
    pub fix: Option<String>,
    /// How many findings the fold holds.
    pub count: usize,
    /// The reason, responsible agency and review (or expiry) date, when every finding of the fold
    /// has the same one.
    pub reason: Option<String>,
    pub owner: Option<String>,
    pub until: Option<String>,
    pub findings: Vec<FindingView>,
}

pub fn severity_label(language: Language, severity: Severity) -> &'static str {
    i18n::text(
        language,
        match severity {
            Severity::Error => "severity_error",
            Severity::Warning => "severity_warning",
            Severity::Info => "severity_info",
        },
    )
}

/// The anchor of a rule's row in the report's rule table.
pub fn rule_anchor(rule: &str) -> String {
    anchor("r-", rule)
}

pub fn framework_id(checked: &Checked) -> Option<String> {
    checked
        .analysis
        .workspace
        .framework
        .as_ref()
        .map(|framework| framework.pack.id.clone())
}

/// A rule's citation as it applies to the checked model: the documents in force on its date.
pub fn citation_view(checked: &Checked, rule: &Rule, language: Language) -> CitationView {
    let citation = &rule.citation;
    let source = match citation.source {
        CitationSource::Verified => "verified",
        CitationSource::Inferred => "inferred",
        CitationSource::Tool => "tool",
    };
    let text = checked.citation_text(rule, language);
    let documents: Vec<CitedDocumentView> = citation
        .documents_on(checked.as_of)
        .into_iter()
        .map(|cited| {
            let document = &cited.document;
            CitedDocumentView {
                key: document.key.clone(),
                kind: match language {
                    Language::Vi => document.kind.vi(),
                    Language::En => document.kind.en(),
                },
                number: document.number.clone(),
                signed: document.signed.map(|date| date.to_string()),
                effective: document.effective.map(|date| date.to_string()),
                article: cited.locator(language),
                url: document.url.clone().filter(|url| is_safe_url(url)),
                verified: document.verified,
                text: cited.render(language),
            }
        })
        .collect();
    CitationView {
        source,
        url: documents.iter().find_map(|document| document.url.clone()),
        text,
        documents,
    }
}

/// A citation by its documents' kinds, numbers and articles, with its qualifier: the rule table's
/// short form of [`CitationView::text`].
fn short_citation(citation: &CitationView, language: Language) -> String {
    let documents: Vec<String> = citation
        .documents
        .iter()
        .map(|document| match &document.article {
            Some(article) => format!("{} {}, {article}", document.kind, document.number),
            None => format!("{} {}", document.kind, document.number),
        })
        .collect();
    let qualifier = match citation.source {
        "inferred" => Some("citation_inferred"),
        "tool" => Some("citation_tool"),
        _ => None,
    };
    let mut text = if documents.is_empty() {
        citation.text.clone()
    } else {
        documents.join("; ")
    };
    if let Some(key) = qualifier
        && !documents.is_empty()
    {
        text = format!("{text} ({})", i18n::text(language, key));
    }
    text
}

/// The model's status: adopted by the named decision, or a reference model that the body
/// adopting architectures at its level has not adopted: the ministry, the People's Committee —
/// the city's for a centrally-run city (Hà Nội: "UBND Thành phố"), else the province's.
fn model_status(
    header: Option<&kientruc_dsl::model::Header>,
    adopted_by: Option<&str>,
    texts: &i18n::Texts,
) -> String {
    if let Some(decision) = adopted_by {
        return format!("{} {decision}", texts.get("model_adopted"));
    }
    // A centrally-run city is a province-level architecture (or one without a level).
    let city = texts.level().is_none_or(|level| level == "province")
        && header.is_some_and(|header| header.name.to_lowercase().contains("thành phố"));
    let key = if city {
        "model_not_adopted_city"
    } else {
        "model_not_adopted"
    };
    texts.get(key).to_owned()
}

pub fn element_anchor(id: &str) -> String {
    anchor("e-", id)
}

/// The name of an element kind in the report's language (the kind itself when the metamodel
/// does not know it).
pub fn kind_name(checked: &Checked, kind: &str, language: Language) -> String {
    checked
        .metamodel()
        .and_then(|metamodel| metamodel.kind(kind))
        .map_or_else(
            || kind.to_owned(),
            |definition| definition.name.get(language).to_owned(),
        )
}

fn status_of(finding: &Finding) -> &'static str {
    if finding.is_waived() {
        "waived"
    } else if finding.baselined {
        "baselined"
    } else {
        "open"
    }
}

fn finding_view(
    checked: &Checked,
    finding: &Finding,
    id: String,
    options: &ReportOptions,
) -> FindingView {
    let language = options.language;
    let files = &checked.analysis.workspace.files;
    let (start, end) = files.line_columns(finding.span);
    let rule = checked.rule(&finding.rule);
    let element = finding
        .element
        .as_deref()
        .and_then(|id| checked.analysis.model.find(id));
    FindingView {
        id,
        rule: finding.rule.clone(),
        rule_title: rule
            .map(|rule| rule.title.get(language).to_owned())
            .unwrap_or_default(),
        severity: finding.severity,
        severity_label: severity_label(language, finding.severity),
        reference_model: finding.reference_model.as_str(),
        message: finding.message.get(language).to_owned(),
        element: finding.element.clone(),
        element_name: element.map(|element| element.name.clone()).or_else(|| {
            checked
                .analysis
                .model
                .header
                .as_ref()
                .filter(|header| Some(&header.id) == finding.element.as_ref())
                .map(|header| header.name.clone())
        }),
        element_kind: element.map(|element| kind_name(checked, &element.kind, language)),
        element_anchor: element.map(|element| element_anchor(&element.qualified_id)),
        file: files.get(finding.span.file).name.clone(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        citation: rule.map(|rule| citation_view(checked, rule, language)),
        fix: rule.map(|rule| rule.fix.get(language).to_owned()),
        rule_url: checked.rule_doc_url(&finding.rule),
        rule_anchor: rule_anchor(&finding.rule),
        status: status_of(finding),
        waiver: finding.waiver.as_ref().map(|waiver| WaiverView {
            until: waiver.until.map(|until| until.to_string()),
            until_text: waiver
                .until
                .map(|until| kientruc_checker::register::date_in(until, language)),
            reason: waiver.reason.clone(),
        }),
        acceptance: finding
            .acceptance
            .as_ref()
            .map(|acceptance| AcceptanceView {
                reason: acceptance.reason.clone(),
                owner: acceptance.owner.clone(),
                owner_name: acceptance
                    .owner
                    .as_deref()
                    .and_then(|owner| checked.analysis.model.find(owner))
                    .map(|element| element.name.clone()),
                review: acceptance.review.as_deref().map(|review| {
                    kientruc_dsl::syntax::Date::parse(review).map_or_else(
                        || review.to_owned(),
                        |date| kientruc_checker::register::date_in(date, language),
                    )
                }),
            }),
        path: finding.path.clone(),
        routes: route_views(checked, finding),
        related: finding
            .related
            .iter()
            .map(|label| {
                let (start, _) = files.line_columns(label.span);
                RelatedView {
                    file: files.get(label.span.file).name.clone(),
                    line: start.line,
                    column: start.column,
                    message: label.message.clone(),
                }
            })
            .collect(),
        fingerprint: finding.fingerprint.clone(),
    }
}

/// Report ids of the findings, in the checker's order (`f-` + fingerprint, made unique).
pub fn finding_ids(checked: &Checked) -> Vec<String> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    checked
        .findings
        .iter()
        .map(|finding| {
            let base = anchor("f-", &finding.fingerprint);
            let mut id = base.clone();
            let mut counter = 2;
            while used.contains(&id) {
                id = format!("{base}-{counter}");
                counter += 1;
            }
            used.insert(id.clone());
            id
        })
        .collect()
}

/// A property's value as a reader sees it, in the report's language: an enum value by its name in
/// the metamodel (`value_names`; the bare word when the pack gives none), a reference by the
/// element's name.
fn property_text(
    checked: &Checked,
    element: &Element,
    name: &str,
    language: Language,
) -> Option<String> {
    element.property(name).map(|value| match value {
        PropertyValue::String(text) => text.clone(),
        PropertyValue::Enum(text) => checked
            .metamodel()
            .and_then(|metamodel| metamodel.value_name(name, text, language))
            .map_or_else(|| text.to_string(), str::to_owned),
        PropertyValue::Integer(number) => number.to_string(),
        PropertyValue::Boolean(value) => {
            i18n::text(language, if *value { "yes" } else { "no" }).to_owned()
        }
        PropertyValue::Date(date) => kientruc_checker::register::date_in(*date, language),
        PropertyValue::Reference(id) => checked.analysis.model.element(*id).name.clone(),
        PropertyValue::List(items) => items.len().to_string(),
    })
}

/// Builds the view.
pub fn build(report: &Report<'_>) -> ReportView {
    let (checked, options) = (report.checked, report.options);
    let language = options.language;
    let model = &checked.analysis.model;
    let files = &checked.analysis.workspace.files;
    let header = model.header.as_ref();
    let framework = checked.analysis.workspace.framework.as_ref();
    let info = framework.and_then(|framework| framework.info.as_ref());
    let ids = finding_ids(checked);
    let findings: Vec<FindingView> = checked
        .findings
        .iter()
        .zip(&ids)
        .map(|(finding, id)| finding_view(checked, finding, id.clone(), options))
        .collect();

    let outcomes = outcomes(checked);
    let mut rules: Vec<RuleView> = checked
        .pack
        .rules
        .iter()
        .chain(checked.tool_rules.iter())
        .map(|rule| {
            let count = checked
                .findings
                .iter()
                .filter(|finding| finding.rule == rule.id)
                .count();
            let outcome = outcomes.get(&rule.id);
            let citation = citation_view(checked, rule, language);
            let reason = outcome
                .map(|outcome| crate::score::reason_and_subject(rule, &outcome.reason, language));
            RuleView {
                id: rule.id.clone(),
                title: rule.title.get(language).to_owned(),
                reference_model: rule.reference_model.as_str(),
                severity: rule.severity,
                severity_label: severity_label(language, rule.severity),
                result: outcome.map_or("not-run", |outcome| outcome.outcome.as_str()),
                result_label: outcome.map_or_else(
                    || i18n::text(language, "rule_not_run"),
                    |outcome| outcome_label(language, outcome.outcome),
                ),
                reason: reason.as_ref().map(|(reason, _)| reason.clone()),
                subject: reason.and_then(|(_, subject)| subject),
                overlay: rule.overlay.clone(),
                findings: count,
                citation: citation.text.clone(),
                citation_short: short_citation(&citation, language),
                rationale: rule.rationale.get(language).to_owned(),
                notes: rule.citation.note.clone(),
                url: checked.rule_doc_url(&rule.id),
                anchor: rule_anchor(&rule.id),
            }
        })
        .collect();
    rules.sort_by(|left, right| {
        (left.reference_model_order(), &left.id).cmp(&(right.reference_model_order(), &right.id))
    });

    // Element index: every element of the workspace and every imported element the architecture
    // owns (`owns`), with its findings.
    // In id order, as the elements are listed: each element's findings are found by walking both.
    let mut by_element: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, finding) in checked.findings.iter().enumerate() {
        if let Some(element) = &finding.element {
            by_element.entry(element.as_str()).or_default().push(index);
        }
    }
    let owned = checked.boundary.owned().iter().map(|id| model.element(*id));
    // Kinds' and layers' names, looked up once each.
    let mut kind_names: HashMap<&str, String> = HashMap::new();
    let mut layer_names: HashMap<&str, Option<String>> = HashMap::new();
    // Sorted by id before their views are made: a view is large to move.
    let mut listed: Vec<&Element> = model.workspace_elements().chain(owned).collect();
    listed.sort_by(|left, right| left.qualified_id.as_str().cmp(right.qualified_id.as_str()));
    let mut with_findings = by_element.iter().peekable();
    let elements: Vec<ElementView> = listed
        .into_iter()
        .map(|element| {
            let id = element.qualified_id.as_str();
            while with_findings.next_if(|(listed, _)| **listed < id).is_some() {}
            let indices: &[usize] = match with_findings.peek() {
                Some((listed, indices)) if **listed == id => indices,
                _ => &[],
            };
            let count = |severity| {
                indices
                    .iter()
                    .filter(|index| {
                        let finding = &checked.findings[**index];
                        !finding.is_accepted() && finding.severity == severity
                    })
                    .count()
            };
            let file = files.get(element.id_span.file);
            ElementView {
                id: element.qualified_id.to_string(),
                name: element.name.clone(),
                kind: element.kind.to_string(),
                kind_name: kind_names
                    .entry(element.kind.as_str())
                    .or_insert_with(|| kind_name(checked, &element.kind, language))
                    .clone(),
                layer: element.layer.as_ref().map(ToString::to_string),
                layer_name: element.layer.as_ref().and_then(|layer| {
                    layer_names
                        .entry(layer.as_str())
                        .or_insert_with(|| {
                            checked
                                .metamodel()
                                .and_then(|metamodel| metamodel.layer(layer))
                                .map(|definition| definition.name.get(language).to_owned())
                        })
                        .clone()
                }),
                file: file.name.clone(),
                // The line of the element's id (its column is not shown).
                line: file
                    .line_index
                    .line_of(element.id_span.range.start as usize) as u32
                    + 1,
                anchor: element_anchor(&element.qualified_id),
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
                infos: count(Severity::Info),
                accepted: indices
                    .iter()
                    .filter(|index| {
                        let finding = &checked.findings[**index];
                        finding.baselined && !finding.is_waived()
                    })
                    .count(),
                waived: indices
                    .iter()
                    .filter(|index| checked.findings[**index].is_waived())
                    .count(),
                findings: indices.iter().map(|index| ids[*index].clone()).collect(),
            }
        })
        .collect();

    // Roadmap: items sorted by target date (undated last), then id.
    let mut roadmap: Vec<RoadmapItemView> = model
        .workspace_elements()
        .filter(|element| element.kind == ROADMAP_KIND)
        .map(|item| {
            let mut implements: Vec<ElementRef> = Vec::new();
            let mut targets: BTreeSet<&str> = BTreeSet::new();
            for relation in model.relations.iter().filter(|relation| {
                relation.relation_type == IMPLEMENTS && relation.source == item.id
            }) {
                let target = model.element(relation.target);
                if targets.insert(target.qualified_id.as_str()) {
                    implements.push(ElementRef {
                        id: target.qualified_id.to_string(),
                        name: target.name.clone(),
                        anchor: element_anchor(&target.qualified_id),
                    });
                }
            }
            let closes = checked
                .findings
                .iter()
                .zip(&ids)
                .filter(|(finding, _)| {
                    !finding.is_waived()
                        && finding
                            .element
                            .as_deref()
                            .is_some_and(|element| targets.contains(element))
                })
                .map(|(finding, id)| ClosedFinding {
                    id: id.clone(),
                    rule: finding.rule.clone(),
                    severity: finding.severity,
                    severity_label: severity_label(language, finding.severity),
                    element: finding.element.clone(),
                })
                .collect();
            let target_date = item
                .property("target_date")
                .and_then(PropertyValue::as_date);
            let status = item
                .property("status")
                .and_then(PropertyValue::as_str)
                .map(str::to_owned);
            let overdue = match (target_date, header.and_then(|header| header.as_of)) {
                (Some(target), Some(as_of)) => {
                    target < as_of && status.as_deref() != Some("operational")
                }
                _ => false,
            };
            RoadmapItemView {
                id: item.qualified_id.to_string(),
                name: item.name.clone(),
                anchor: element_anchor(&item.qualified_id),
                status,
                status_name: property_text(checked, item, "status", language),
                start_date: item
                    .property("start_date")
                    .and_then(PropertyValue::as_date)
                    .map(|date| date.to_string()),
                target_date: target_date.map(|date| date.to_string()),
                owner: property_text(checked, item, "owner", language),
                overdue,
                implements,
                closes,
            }
        })
        .collect();
    roadmap.sort_by(|left, right| {
        (left.target_date.is_none(), &left.target_date, &left.id).cmp(&(
            right.target_date.is_none(),
            &right.target_date,
            &right.id,
        ))
    });

    let texts = i18n::Texts::of(checked, language);
    let adopted_by = header
        .and_then(|header| header.properties.get("adopted_by"))
        .and_then(|entry| entry.value.as_str())
        .map(str::to_owned);
    ReportView {
        schema_version: SCHEMA_VERSION,
        language: i18n::code(language),
        tool: ToolView {
            name: "kientruc",
            version: options.tool_version.clone(),
        },
        generated_at: options.timestamp.clone(),
        architecture: ArchitectureView {
            id: header.map(|header| header.id.clone()),
            name: header.map(|header| header.name.clone()),
            version: header.and_then(|header| header.version.clone()),
            as_of: header
                .and_then(|header| header.as_of)
                .map(|date| date.to_string()),
            framework: framework.map(|framework| FrameworkView {
                id: framework.pack.id.clone(),
                name: info.map(|info| info.name.get(language).to_owned()),
                version: info.map(|info| info.version.clone()),
                decision: info.and_then(|info| info.decision.clone()),
            }),
            as_of_text: header
                .and_then(|header| header.as_of)
                .map(|date| kientruc_checker::register::date_in(date, language)),
            adopted_by: adopted_by.clone(),
            status: model_status(header, adopted_by.as_deref(), &texts),
        },
        summary: SummaryView {
            totals: totals(checked),
            as_of: checked.as_of.to_string(),
            as_of_source: checked.as_of_source,
            as_of_label: as_of_label(checked, language),
        },
        score: compliance_score(checked, None),
        scorecard: scorecard(checked, language),
        findings,
        rules,
        elements,
        roadmap,
        diagnostics: report
            .problems
            .iter()
            .filter(|problem| problem.is_input())
            .map(|problem| {
                let location = problem.location(files);
                DiagnosticView {
                    code: problem.code().to_owned(),
                    severity: problem.severity(),
                    message: problem.message(language).to_owned(),
                    file: location.as_ref().map(|location| location.file.clone()),
                    line: location.as_ref().map(|location| location.line),
                    column: location.as_ref().map(|location| location.column),
                }
            })
            .collect(),
        changes: options.changes.clone(),
        texts,
    }
}

impl RuleView {
    fn reference_model_order(&self) -> usize {
        ReferenceModel::ALL
            .iter()
            .position(|model| model.as_str() == self.reference_model)
            .unwrap_or(usize::MAX)
    }
}

/// The findings of each reference model: the open ones grouped by element in order of first
/// appearance, the accepted and waived ones folded by rule (accepted first, then waived; by rule
/// id).
pub fn groups(view: &ReportView) -> Vec<ModelGroup> {
    view.scorecard
        .iter()
        .map(|score| {
            let mut order: Vec<Option<String>> = Vec::new();
            let mut grouped: BTreeMap<Option<String>, Vec<FindingView>> = BTreeMap::new();
            let mut folded: BTreeMap<(&'static str, String), Vec<FindingView>> = BTreeMap::new();
            for finding in view
                .findings
                .iter()
                .filter(|finding| finding.reference_model == score.reference_model)
            {
                if finding.status != "open" {
                    folded
                        .entry((finding.status, finding.rule.clone()))
                        .or_default()
                        .push(finding.clone());
                    continue;
                }
                let key = finding
                    .element_anchor
                    .clone()
                    .map(|_| finding.element.clone().unwrap_or_default());
                if !grouped.contains_key(&key) {
                    order.push(key.clone());
                }
                grouped.entry(key).or_default().push(finding.clone());
            }
            let elements = order
                .into_iter()
                .map(|key| {
                    let findings = grouped.remove(&key).unwrap_or_default();
                    let first = &findings[0];
                    ElementGroup {
                        element: key.clone(),
                        name: key.as_ref().and(first.element_name.clone()),
                        kind: key.as_ref().and(first.element_kind.clone()),
                        anchor: first.element_anchor.clone(),
                        findings,
                    }
                })
                .collect();
            let folds: Vec<Fold> = folded
                .into_iter()
                .map(|((status, rule), findings)| fold(status, rule, findings))
                .collect();
            ModelGroup {
                score: score.clone(),
                elements,
                folded: folds.iter().map(|fold| fold.findings.len()).sum(),
                folds,
            }
        })
        .collect()
}

/// The value every finding shares, if they all have the same one.
fn shared(values: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let mut values = values.into_iter();
    let first = values.next()??;
    values
        .all(|value| value.as_ref() == Some(&first))
        .then_some(first)
}

fn fold(status: &'static str, rule: String, findings: Vec<FindingView>) -> Fold {
    let first = &findings[0];
    let (reason, owner, until) = if status == "waived" {
        let waivers = || findings.iter().map(|finding| finding.waiver.as_ref());
        (
            shared(waivers().map(|waiver| waiver.map(|waiver| waiver.reason.clone()))),
            None,
            shared(waivers().map(|waiver| waiver.and_then(|waiver| waiver.until_text.clone()))),
        )
    } else {
        let acceptances = || findings.iter().map(|finding| finding.acceptance.as_ref());
        (
            shared(acceptances().map(|acceptance| acceptance.and_then(|a| a.reason.clone()))),
            shared(acceptances().map(|acceptance| {
                acceptance.and_then(|a| a.owner_name.clone().or_else(|| a.owner.clone()))
            })),
            shared(acceptances().map(|acceptance| acceptance.and_then(|a| a.review.clone()))),
        )
    };
    Fold {
        status,
        anchor: anchor(if status == "waived" { "w-" } else { "a-" }, &rule),
        rule_title: first.rule_title.clone(),
        severity: first.severity,
        severity_label: first.severity_label,
        fix: first.fix.clone(),
        rule_url: first.rule_url.clone(),
        count: findings.len(),
        rule,
        reason,
        owner,
        until,
        findings,
    }
}
