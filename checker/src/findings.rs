//! Findings: a rule's hit with its message rendered in both languages, a stable fingerprint
//! (rule, element and the rule's own key — never line numbers), and its waiver state. Waivers
//! are applied here: a valid waiver marks its findings waived; an expired one leaves them active
//! and becomes a finding of its own; one that matches nothing is reported as unused. A waiver on
//! the architecture's id waives the rule's model-wide findings (those without an element).

use crate::engine::Hit;
use crate::rules::{Citation, CitationSource, ReferenceModel, Rule, RulePack};
use kientruc_dsl::Label;
use kientruc_dsl::diagnostic::{Code, Diagnostic, Severity};
use kientruc_dsl::metamodel::Localized;
use kientruc_dsl::model::{ElementId, Model};
use kientruc_dsl::resolve::suggest;
use kientruc_dsl::syntax::Date;
use kientruc_dsl::text::Span;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// Ids of the checker's own bookkeeping rules (they are in the catalogue with a `tool` citation).
pub const WAIVER_EXPIRED: &str = "KT-WAIVER-EXPIRED";
pub const WAIVER_UNUSED: &str = "KT-WAIVER-UNUSED";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverState {
    pub until: Option<Date>,
    pub reason: String,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub reference_model: ReferenceModel,
    pub message: Localized,
    /// The qualified id of the element (or the architecture id for model-wide findings).
    pub element: Option<String>,
    #[serde(skip)]
    pub element_id: Option<ElementId>,
    #[serde(skip)]
    pub span: Span,
    #[serde(skip)]
    pub related: Vec<Label>,
    /// For route rules: the elements the offending path (or route) passes, as qualified ids.
    pub path: Vec<String>,
    /// For route rules: the routes the path takes, in order (a relation with its intermediaries
    /// is one route).
    pub routes: Vec<FindingRoute>,
    pub fingerprint: String,
    pub waiver: Option<WaiverState>,
    /// Accepted in the baseline given to the check (does not fail it).
    pub baselined: bool,
    /// Why the baseline accepts the finding, who closes the gap and when it is reviewed (from
    /// the baseline entry that matched it).
    pub acceptance: Option<Acceptance>,
}

/// A baseline's acceptance of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acceptance {
    pub reason: Option<String>,
    /// The responsible agency's element id.
    pub owner: Option<String>,
    /// The review date, YYYY-MM-DD.
    pub review: Option<String>,
}

/// One route of a finding's path: a relation (or reference property) of the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRoute {
    /// The relation type, or the reference property's name.
    pub relation: String,
    /// Source, intermediaries and target, as qualified ids.
    pub elements: Vec<String>,
    /// Where the relation is declared.
    #[serde(skip)]
    pub span: Span,
}

impl Finding {
    pub fn is_waived(&self) -> bool {
        self.waiver.is_some()
    }

    /// Waived or baselined: reported, but not failing.
    pub fn is_accepted(&self) -> bool {
        self.waiver.is_some() || self.baselined
    }
}

/// FNV-1a, 64 bits: stable across runs, platforms and versions (unlike `DefaultHasher`).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn interpolate(template: &str, values: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if values.contains_key(&after[..end]) => {
                out.push_str(&values[&after[..end]]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Renders a rule's hit into a finding.
pub fn finding(rule: &Rule, hit: Hit, model: &Model) -> Finding {
    let mut values: HashMap<&str, String> = hit.values.into_iter().collect();
    let element = hit.element.map(|id| model.element(id));
    let element_id = match element {
        Some(element) => {
            values.insert("id", element.qualified_id.to_string());
            values.insert("name", element.name.clone());
            values.insert("kind", element.kind.to_string());
            Some(element.qualified_id.to_string())
        }
        None => model.header.as_ref().map(|header| {
            values.insert("id", header.id.clone());
            values.insert("name", header.name.clone());
            values.insert("kind", "architecture".to_owned());
            header.id.clone()
        }),
    };
    let fingerprint = fingerprint(&[&rule.id, element_id.as_deref().unwrap_or(""), &hit.key]);
    Finding {
        rule: rule.id.clone(),
        severity: rule.severity,
        reference_model: rule.reference_model,
        message: Localized {
            vi: interpolate(&rule.message.vi, &values),
            en: interpolate(&rule.message.en, &values),
        },
        element: element_id,
        element_id: hit.element,
        span: hit.span,
        related: hit.related,
        path: hit
            .path
            .iter()
            .map(|id| model.element(*id).qualified_id.to_string())
            .collect(),
        routes: hit
            .routes
            .into_iter()
            .map(|route| FindingRoute {
                relation: route.relation,
                elements: route
                    .elements
                    .iter()
                    .map(|id| model.element(*id).qualified_id.to_string())
                    .collect(),
                span: route.span,
            })
            .collect(),
        fingerprint,
        waiver: None,
        baselined: false,
        acceptance: None,
    }
}

/// The checker's own bookkeeping rules, listed in the catalogue beside the pack's rules.
pub fn tool_rules() -> Vec<Rule> {
    let tool_citation = Citation {
        source: CitationSource::Tool,
        note: Some("Not a legal requirement: the tool's waiver bookkeeping.".to_owned()),
        documents: Vec::new(),
        tool_reference: Some("kientruc, docs/rules.md#waivers".to_owned()),
    };
    let text = |vi: &str, en: &str| Localized {
        vi: vi.to_owned(),
        en: en.to_owned(),
    };
    let rule = |id: &str,
                severity,
                title: Localized,
                message: Localized,
                rationale: Localized,
                fix: Localized| Rule {
        id: id.to_owned(),
        title,
        message,
        severity,
        reference_model: ReferenceModel::Gov,
        citation: tool_citation.clone(),
        rationale,
        fix,
        check: crate::checks::builtin::BuiltinRule::WaiverBookkeeping.check(),
        check_source: std::collections::BTreeMap::new(),
        span: Span::new(kientruc_dsl::FileId(0), kientruc_dsl::TextRange::default()),
        overlay: None,
        levels: Vec::new(),
    };
    vec![
        rule(
            WAIVER_EXPIRED,
            Severity::Error,
            text("Miễn trừ đã hết hạn", "Waiver expired"),
            text(
                "Miễn trừ quy tắc {rule} cho {id} đã hết hạn ngày {until_vi}",
                "The waiver of {rule} on {id} expired on {until}",
            ),
            text(
                "Một miễn trừ chỉ có giá trị đến ngày đã ghi; sau đó vi phạm phải được khắc phục hoặc miễn trừ được gia hạn có lý do.",
                "A waiver is valid until its date; after that the violation must be fixed or the waiver renewed with a reason.",
            ),
            text(
                "Khắc phục vi phạm, hoặc gia hạn miễn trừ với ngày và lý do mới.",
                "Fix the violation, or renew the waiver with a new date and reason.",
            ),
        ),
        rule(
            WAIVER_UNUSED,
            Severity::Warning,
            text("Miễn trừ không được sử dụng", "Unused waiver"),
            text(
                "Miễn trừ quy tắc {rule} cho {id} không khớp với phát hiện nào",
                "The waiver of {rule} on {id} matches no finding",
            ),
            text(
                "Miễn trừ không còn cần thiết làm mô hình khó đọc và có thể che giấu vi phạm mới sau này.",
                "A waiver that is no longer needed clutters the model and could hide a future violation.",
            ),
            text("Xóa miễn trừ.", "Remove the waiver."),
        ),
    ]
}

/// Applies the model's waivers to `findings` and returns the bookkeeping findings and the
/// diagnostics (unknown rule ids). `ran` is the set of rules that were evaluated.
pub fn apply_waivers(
    findings: &mut [Finding],
    model: &Model,
    pack: &RulePack,
    tool: &[Rule],
    ran: &BTreeSet<String>,
    today: Date,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    let mut extra = Vec::new();
    let mut diagnostics = Vec::new();
    // Findings by rule and element; model-wide findings (no element) under `None`, which is what
    // a waiver on the architecture's id names.
    let mut by_target: HashMap<(&str, Option<ElementId>), Vec<usize>> = HashMap::new();
    for (index, finding) in findings.iter().enumerate() {
        by_target
            .entry((finding.rule.as_str(), finding.element_id))
            .or_default()
            .push(index);
    }
    let mut waive: Vec<(usize, WaiverState)> = Vec::new();
    for waiver in &model.waivers {
        if pack.get(&waiver.rule).is_none() {
            let mut diagnostic = Diagnostic::new(
                Code::UnknownWaivedRule,
                format!("no rule `{}` in the framework's rule pack", waiver.rule),
            )
            .at(
                waiver.rule_span.file,
                waiver.rule_span.range,
                "unknown rule",
            );
            if let Some(best) =
                suggest(&waiver.rule, pack.rules.iter().map(|rule| rule.id.as_str()))
            {
                diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
            }
            diagnostics.push(diagnostic);
            continue;
        }
        if !ran.contains(&waiver.rule) {
            continue;
        }
        let matched = by_target
            .get(&(waiver.rule.as_str(), waiver.element))
            .cloned()
            .unwrap_or_default();
        let expired = waiver.until.is_some_and(|until| until < today);
        let bookkeeping = |id: &str| {
            let rule = tool
                .iter()
                .find(|rule| rule.id == id)
                .expect("tool rule exists");
            let mut values = std::collections::BTreeMap::new();
            values.insert("rule", waiver.rule.clone());
            values.insert(
                "until",
                waiver
                    .until
                    .map_or_else(String::new, |until| until.to_string()),
            );
            // Vietnamese texts write dates dd/mm/yyyy.
            values.insert(
                "until_vi",
                waiver.until.map_or_else(String::new, crate::dates::date_vi),
            );
            let hit = Hit {
                element: waiver.element,
                span: waiver.span,
                key: waiver.rule.clone(),
                values,
                related: Vec::new(),
                path: Vec::new(),
                routes: Vec::new(),
            };
            finding(rule, hit, model)
        };
        if expired {
            extra.push(bookkeeping(WAIVER_EXPIRED));
        } else if matched.is_empty() {
            extra.push(bookkeeping(WAIVER_UNUSED));
        } else {
            let state = WaiverState {
                until: waiver.until,
                reason: waiver.reason.clone().unwrap_or_default(),
                span: waiver.span,
            };
            waive.extend(matched.into_iter().map(|index| (index, state.clone())));
        }
    }
    for (index, state) in waive {
        findings[index].waiver = Some(state);
    }
    (extra, diagnostics)
}
