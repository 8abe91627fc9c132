//! The change report: what changed in an architecture between a git revision and now
//! (`kientruc diff REV`, `kientruc report --since REV`). Pure: the caller checks the workspace at
//! both revisions and passes the two [`Checked`] models in; [`Changes::between`] compares them and
//! the renderers here ([`human`]) and the `changes.html` / `changes.md` partials print the result.
//!
//! What is compared:
//! - **Elements** by qualified id, the workspace's own only (`in_workspace`): the imported
//!   national reference model is not compared. An element is changed when its name, kind,
//!   properties, tags or outgoing relations differ; where it is declared (file, line, layout)
//!   does not count, like a finding's fingerprint.
//! - **Relations** belong to their source element and are compared whole (type, target, `via`,
//!   label, properties): a relation whose label changed is one removed and one added.
//! - **Findings** by fingerprint, counted as a multiset, with their status at each revision: open
//!   (not waived; a finding the baseline accepts is open too, as in the score), or waived. New:
//!   open now, not open at the revision. Fixed: open at the revision, gone now. Waived: open at
//!   the revision, waived now. Still open: open at both.
//! - **The compliance score** ([`crate::score::compliance_score`]), overall and per reference
//!   model.
//!
//! The result holds both languages where a text is localised (kind and relation names, rule
//! titles, messages), so one [`Changes`] serves reports in either language and its JSON is the
//! same whatever the language. Every list is sorted, so the output is deterministic.

use crate::i18n;
use crate::score::compliance_score;
use kientruc_checker::Checked;
use kientruc_checker::findings::Finding;
use kientruc_checker::rules::ReferenceModel;
use kientruc_dsl::Severity;
use kientruc_dsl::metamodel::{Language, Localized};
use kientruc_dsl::model::{Element, Model, PropertyValue, Relation};
use kientruc_dsl::syntax::CompactString;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What changed between a revision and now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// The revision compared with, as given (`HEAD~1`, `origin/main`).
    pub revision: String,
    /// Whether the paths checked existed at the revision. When they did not, every element and
    /// every finding is new and the score before is `None`.
    pub found_at_revision: bool,
    /// What the element lists compare: always `workspace` (the elements declared in the
    /// workspace; the imported national reference model is not compared).
    pub compared: &'static str,
    /// The architecture header's fields that changed (`name`, `version`, `framework`, `as_of`
    /// and its properties), by name.
    pub header: Vec<PropertyChange>,
    pub elements: ElementChanges,
    pub findings: FindingChanges,
    pub score: ScoreChange,
}

/// Elements added, removed and changed, each sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ElementChanges {
    pub added: Vec<ElementEntry>,
    pub removed: Vec<ElementEntry>,
    pub changed: Vec<ElementChange>,
}

/// An element as it is now (added) or was at the revision (removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElementEntry {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// The kind's name in the framework's metamodel (the kind itself when it has none).
    pub kind_name: Localized,
}

/// An element present at both revisions whose content differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElementChange {
    pub id: String,
    /// The name and kind now.
    pub name: String,
    pub kind: String,
    pub kind_name: Localized,
    /// The name at the revision, when it changed.
    pub previous_name: Option<String>,
    /// The kind at the revision, when it changed, and its name.
    pub previous_kind: Option<String>,
    pub previous_kind_name: Option<Localized>,
    /// Properties added, removed or changed, by name.
    pub properties: Vec<PropertyChange>,
    pub tags_added: Vec<String>,
    pub tags_removed: Vec<String>,
    /// Relations from this element, added or removed.
    pub relations_added: Vec<RelationEntry>,
    pub relations_removed: Vec<RelationEntry>,
}

/// A property added (`before` is `None`), removed (`after` is `None`) or changed. Values are
/// written as in the DSL ([`value_text`]) and compared so; the labels are how a reader reads them,
/// in both languages: an enum word by its name in the metamodel (`operational` → "Đang vận
/// hành"), any other value as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyChange {
    pub name: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub before_label: Option<Localized>,
    pub after_label: Option<Localized>,
}

/// A property of a relation: its value as written in the DSL and as a reader reads it (see
/// [`PropertyChange`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationProperty {
    pub name: String,
    pub value: String,
    pub label: Localized,
}

/// A relation from an element: its type, target, intermediaries, label and properties (by
/// name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelationEntry {
    pub relation: String,
    pub target: String,
    pub via: Vec<String>,
    pub label: Option<String>,
    pub properties: Vec<RelationProperty>,
    /// The relation type's name in the metamodel (the type itself when it has none).
    pub relation_name: Localized,
}

/// Findings new, fixed, now waived and still open, each sorted by rule, element and
/// fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FindingChanges {
    pub new: Vec<FindingEntry>,
    pub fixed: Vec<FindingEntry>,
    pub waived: Vec<FindingEntry>,
    pub still_open: Vec<FindingEntry>,
}

/// A finding, as it is now (new, waived, still open) or was at the revision (fixed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingEntry {
    pub rule: String,
    pub rule_title: Localized,
    pub severity: Severity,
    pub reference_model: &'static str,
    /// The element's id, `None` for a model-wide finding.
    pub element: Option<String>,
    pub message: Localized,
    pub fingerprint: String,
    /// Accepted by the baseline given to this run (`report --baseline`): still open, but known.
    pub baselined: bool,
}

/// The compliance score at the revision and now, overall and per reference model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreChange {
    pub before: Option<u32>,
    pub after: Option<u32>,
    pub by_reference_model: Vec<ModelScoreChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelScoreChange {
    pub reference_model: &'static str,
    pub name: Localized,
    pub before: Option<u32>,
    pub after: Option<u32>,
}

impl Changes {
    /// Compares the workspace at `revision` (`before`; `None` when the paths did not exist
    /// there) with the workspace now (`after`).
    pub fn between(revision: &str, before: Option<&Checked>, after: &Checked) -> Changes {
        Changes {
            revision: revision.to_owned(),
            found_at_revision: before.is_some(),
            compared: "workspace",
            header: header_changes(before, after),
            elements: element_changes(before, after),
            findings: finding_changes(before, after),
            score: ScoreChange {
                before: before.and_then(|before| compliance_score(before, None)),
                after: compliance_score(after, None),
                by_reference_model: ReferenceModel::ALL
                    .iter()
                    .map(|model| ModelScoreChange {
                        reference_model: model.as_str(),
                        name: model.name(),
                        before: before.and_then(|before| compliance_score(before, Some(*model))),
                        after: compliance_score(after, Some(*model)),
                    })
                    .collect(),
            },
        }
    }

    /// Whether nothing changed: no element added, removed or changed, no finding new, fixed or
    /// waived, the same score.
    pub fn is_empty(&self) -> bool {
        self.header.is_empty()
            && self.elements.added.is_empty()
            && self.elements.removed.is_empty()
            && self.elements.changed.is_empty()
            && self.findings.new.is_empty()
            && self.findings.fixed.is_empty()
            && self.findings.waived.is_empty()
            && self.score.before == self.score.after
    }
}

/// The header's fields as written in the DSL and as read, by name (the built-in ones and its
/// properties).
fn header_fields(checked: &Checked) -> BTreeMap<String, (String, Localized)> {
    let model = &checked.analysis.model;
    let Some(header) = &model.header else {
        return BTreeMap::new();
    };
    let mut fields: BTreeMap<String, (String, Localized)> = header
        .properties
        .iter()
        .map(|(name, entry)| (name.to_string(), value(checked, name, &entry.value)))
        .collect();
    for (name, text) in [
        ("name", Some(quoted(&header.name))),
        ("version", header.version.as_deref().map(quoted)),
        ("framework", header.framework.as_deref().map(quoted)),
        ("as_of", header.as_of.map(|date| date.to_string())),
    ] {
        if let Some(text) = text {
            let label = localized(&text);
            fields.insert(name.to_owned(), (text, label));
        }
    }
    fields
}

/// The changes between two sets of named values (written as in the DSL, and as read), by name.
fn value_changes(
    then: &BTreeMap<String, (String, Localized)>,
    now: &BTreeMap<String, (String, Localized)>,
) -> Vec<PropertyChange> {
    let names: BTreeSet<&String> = then.keys().chain(now.keys()).collect();
    names
        .into_iter()
        .filter_map(|name| {
            let (before, after) = (then.get(name), now.get(name));
            (before.map(|(text, _)| text) != after.map(|(text, _)| text)).then(|| PropertyChange {
                name: name.clone(),
                before: before.map(|(text, _)| text.clone()),
                after: after.map(|(text, _)| text.clone()),
                before_label: before.map(|(_, label)| label.clone()),
                after_label: after.map(|(_, label)| label.clone()),
            })
        })
        .collect()
}

fn header_changes(before: Option<&Checked>, after: &Checked) -> Vec<PropertyChange> {
    let Some(before) = before else {
        return Vec::new();
    };
    value_changes(&header_fields(before), &header_fields(after))
}

/// The workspace's own elements of a checked model, by qualified id.
fn workspace_elements(checked: &Checked) -> BTreeMap<&str, &Element> {
    checked
        .analysis
        .model
        .workspace_elements()
        .map(|element| (element.qualified_id.as_str(), element))
        .collect()
}

fn localized(text: &str) -> Localized {
    Localized {
        vi: text.to_owned(),
        en: text.to_owned(),
    }
}

fn kind_name(checked: &Checked, kind: &str) -> Localized {
    checked
        .metamodel()
        .and_then(|metamodel| metamodel.kind(kind))
        .map_or_else(|| localized(kind), |definition| definition.name.clone())
}

fn relation_name(checked: &Checked, relation: &str) -> Localized {
    checked
        .metamodel()
        .and_then(|metamodel| metamodel.relation(relation))
        .map_or_else(|| localized(relation), |definition| definition.name.clone())
}

fn entry(checked: &Checked, element: &Element) -> ElementEntry {
    ElementEntry {
        id: element.qualified_id.to_string(),
        name: element.name.clone(),
        kind: element.kind.to_string(),
        kind_name: kind_name(checked, &element.kind),
    }
}

fn element_changes(before: Option<&Checked>, after: &Checked) -> ElementChanges {
    let now = workspace_elements(after);
    let then = before.map(workspace_elements).unwrap_or_default();
    let mut changes = ElementChanges::default();
    let (now_relations, then_relations) = (
        relations_by_source(after),
        before.map(relations_by_source).unwrap_or_default(),
    );
    for (id, element) in &now {
        let (Some(previous), Some(before)) = (then.get(id), before) else {
            changes.added.push(entry(after, element));
            continue;
        };
        let properties = value_changes(
            &element_properties(before, previous),
            &element_properties(after, element),
        );
        let (relations_added, relations_removed) = multiset_difference(
            now_relations.get(id).map(Vec::as_slice).unwrap_or_default(),
            then_relations
                .get(id)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        );
        let tags_now: BTreeSet<&str> = element.tags.iter().map(CompactString::as_str).collect();
        let tags_then: BTreeSet<&str> = previous.tags.iter().map(CompactString::as_str).collect();
        let change = ElementChange {
            id: (*id).to_owned(),
            name: element.name.clone(),
            kind: element.kind.to_string(),
            kind_name: kind_name(after, &element.kind),
            previous_name: (previous.name != element.name).then(|| previous.name.clone()),
            previous_kind: (previous.kind != element.kind).then(|| previous.kind.to_string()),
            previous_kind_name: (previous.kind != element.kind)
                .then(|| kind_name(before, &previous.kind)),
            properties,
            tags_added: tags_now
                .difference(&tags_then)
                .map(|tag| (*tag).to_owned())
                .collect(),
            tags_removed: tags_then
                .difference(&tags_now)
                .map(|tag| (*tag).to_owned())
                .collect(),
            relations_added: relations_added
                .into_iter()
                .map(|relation| relation.entry(after))
                .collect(),
            relations_removed: relations_removed
                .into_iter()
                .map(|relation| relation.entry(before))
                .collect(),
        };
        if change.previous_name.is_some()
            || change.previous_kind.is_some()
            || !change.properties.is_empty()
            || !change.tags_added.is_empty()
            || !change.tags_removed.is_empty()
            || !change.relations_added.is_empty()
            || !change.relations_removed.is_empty()
        {
            changes.changed.push(change);
        }
    }
    if let Some(before) = before {
        for (id, element) in &then {
            if !now.contains_key(id) {
                changes.removed.push(entry(before, element));
            }
        }
    }
    changes
}

/// A relation reduced to what identifies it across revisions (no spans, ids as text), with the
/// labels of its property values (not part of its identity).
#[derive(Debug, Clone)]
struct RelationKey {
    relation: String,
    target: String,
    via: Vec<String>,
    label: Option<String>,
    properties: BTreeMap<String, String>,
    labels: BTreeMap<String, Localized>,
}

impl RelationKey {
    fn identity(&self) -> impl Ord + '_ {
        (
            &self.relation,
            &self.target,
            &self.via,
            &self.label,
            &self.properties,
        )
    }
}

impl PartialEq for RelationKey {
    fn eq(&self, other: &Self) -> bool {
        self.identity() == other.identity()
    }
}

impl Eq for RelationKey {}

impl PartialOrd for RelationKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RelationKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.identity().cmp(&other.identity())
    }
}

impl RelationKey {
    fn of(checked: &Checked, relation: &Relation) -> RelationKey {
        let model = &checked.analysis.model;
        let values: BTreeMap<String, (String, Localized)> = relation
            .properties
            .iter()
            .map(|(name, entry)| (name.to_string(), value(checked, name, &entry.value)))
            .collect();
        RelationKey {
            relation: relation.relation_type.to_string(),
            target: model.element(relation.target).qualified_id.to_string(),
            via: relation
                .via
                .iter()
                .map(|id| model.element(*id).qualified_id.to_string())
                .collect(),
            label: relation.label.clone(),
            properties: values
                .iter()
                .map(|(name, (text, _))| (name.clone(), text.clone()))
                .collect(),
            labels: values
                .into_iter()
                .map(|(name, (_, label))| (name, label))
                .collect(),
        }
    }

    fn entry(self, checked: &Checked) -> RelationEntry {
        RelationEntry {
            relation_name: relation_name(checked, &self.relation),
            relation: self.relation,
            target: self.target,
            via: self.via,
            label: self.label,
            properties: self
                .properties
                .into_iter()
                .map(|(name, value)| RelationProperty {
                    label: self
                        .labels
                        .get(&name)
                        .cloned()
                        .unwrap_or_else(|| localized(&value)),
                    name,
                    value,
                })
                .collect(),
        }
    }
}

/// The relations of every workspace element, by its id, sorted.
fn relations_by_source(checked: &Checked) -> BTreeMap<&str, Vec<RelationKey>> {
    let model = &checked.analysis.model;
    let mut by_source: BTreeMap<&str, Vec<RelationKey>> = BTreeMap::new();
    for relation in &model.relations {
        let source = model.element(relation.source);
        if source.in_workspace {
            by_source
                .entry(source.qualified_id.as_str())
                .or_default()
                .push(RelationKey::of(checked, relation));
        }
    }
    for relations in by_source.values_mut() {
        relations.sort();
    }
    by_source
}

/// `(now − then, then − now)` of two sorted lists, counting repeats.
fn multiset_difference<T: Ord + Clone>(now: &[T], then: &[T]) -> (Vec<T>, Vec<T>) {
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    let (mut left, mut right) = (0, 0);
    while left < now.len() || right < then.len() {
        match (now.get(left), then.get(right)) {
            (Some(a), Some(b)) if a == b => {
                left += 1;
                right += 1;
            }
            (Some(a), Some(b)) if a < b => {
                added.push(a.clone());
                left += 1;
            }
            (Some(_) | None, Some(b)) => {
                removed.push(b.clone());
                right += 1;
            }
            (Some(a), None) => {
                added.push(a.clone());
                left += 1;
            }
            (None, None) => break,
        }
    }
    (added, removed)
}

/// An element's properties written as in the DSL and as read, by name.
fn element_properties(
    checked: &Checked,
    element: &Element,
) -> BTreeMap<String, (String, Localized)> {
    element
        .properties
        .iter()
        .map(|(name, entry)| (name.to_string(), value(checked, name, &entry.value)))
        .collect()
}

/// A value of property `property` as written in the DSL ([`value_text`]) and as a reader reads
/// it, in both languages ([`value_label`]).
fn value(checked: &Checked, property: &str, value: &PropertyValue) -> (String, Localized) {
    let model = &checked.analysis.model;
    (
        value_text(model, value),
        Localized {
            vi: value_label(checked, property, value, Language::Vi),
            en: value_label(checked, property, value, Language::En),
        },
    )
}

/// A property value as a reader reads it: an enum word by its name in the metamodel's
/// `value_names` (the word itself when it has none), lists item by item, anything else as written
/// in the DSL.
pub fn value_label(
    checked: &Checked,
    property: &str,
    value: &PropertyValue,
    language: Language,
) -> String {
    match value {
        PropertyValue::Enum(word) => checked
            .metamodel()
            .and_then(|metamodel| metamodel.value_name(property, word, language))
            .unwrap_or(word)
            .to_owned(),
        PropertyValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| value_label(checked, property, item, language))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => value_text(&checked.analysis.model, other),
    }
}

/// A property value as written in the DSL: strings quoted (with `"`, `\`, line breaks and tabs
/// escaped, so a value stays on one line), references as the target's id, lists in brackets.
/// Control and bidi characters are left to the output format's escaping ([`crate::escape`]).
pub fn value_text(model: &Model, value: &PropertyValue) -> String {
    match value {
        PropertyValue::String(text) => quoted(text),
        PropertyValue::Integer(number) => number.to_string(),
        PropertyValue::Boolean(flag) => flag.to_string(),
        PropertyValue::Date(date) => date.to_string(),
        PropertyValue::Enum(word) => word.to_string(),
        PropertyValue::Reference(id) => model.element(*id).qualified_id.to_string(),
        PropertyValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| value_text(model, item))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A DSL string literal for `text`.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            character => out.push(character),
        }
    }
    out.push('"');
    out
}

/// Open (not waived) and waived findings of a checked model, by fingerprint.
struct ByFingerprint<'a> {
    open: BTreeMap<&'a str, Vec<&'a Finding>>,
    waived: BTreeMap<&'a str, Vec<&'a Finding>>,
}

fn by_fingerprint(checked: &Checked) -> ByFingerprint<'_> {
    let mut sorted = ByFingerprint {
        open: BTreeMap::new(),
        waived: BTreeMap::new(),
    };
    for finding in &checked.findings {
        let side = if finding.is_waived() {
            &mut sorted.waived
        } else {
            &mut sorted.open
        };
        side.entry(finding.fingerprint.as_str())
            .or_default()
            .push(finding);
    }
    sorted
}

fn finding_entry(checked: &Checked, finding: &Finding) -> FindingEntry {
    FindingEntry {
        rule: finding.rule.clone(),
        rule_title: checked
            .rule(&finding.rule)
            .map_or_else(|| localized(&finding.rule), |rule| rule.title.clone()),
        severity: finding.severity,
        reference_model: finding.reference_model.as_str(),
        element: finding.element.clone(),
        message: finding.message.clone(),
        fingerprint: finding.fingerprint.clone(),
        baselined: finding.baselined,
    }
}

fn finding_changes(before: Option<&Checked>, after: &Checked) -> FindingChanges {
    let now = by_fingerprint(after);
    let then = before.map(by_fingerprint);
    let empty = BTreeMap::new();
    let then_open = then.as_ref().map_or(&empty, |then| &then.open);
    let mut changes = FindingChanges::default();
    for (fingerprint, findings) in &now.open {
        let matched = then_open.get(fingerprint).map_or(0, Vec::len);
        for (index, finding) in findings.iter().enumerate() {
            let list = if index < matched {
                &mut changes.still_open
            } else {
                &mut changes.new
            };
            list.push(finding_entry(after, finding));
        }
    }
    if let Some(before) = before {
        for (fingerprint, findings) in then_open {
            let still = now.open.get(fingerprint).map_or(0, Vec::len);
            let waived = now.waived.get(fingerprint).map_or(0, Vec::len);
            for (index, finding) in findings.iter().enumerate().skip(still) {
                if index < still + waived {
                    let now_waived = now.waived[fingerprint][index - still];
                    changes.waived.push(finding_entry(after, now_waived));
                } else {
                    changes.fixed.push(finding_entry(before, finding));
                }
            }
        }
    }
    for list in [
        &mut changes.new,
        &mut changes.fixed,
        &mut changes.waived,
        &mut changes.still_open,
    ] {
        list.sort_by(|left, right| {
            (&left.rule, &left.element, &left.fingerprint).cmp(&(
                &right.rule,
                &right.element,
                &right.fingerprint,
            ))
        });
    }
    changes
}

/// Findings counted by rule (`SEC-007 ×12`), in rule order: how the terminal and the Markdown
/// show the findings still open, which can be hundreds.
pub fn counts_by_rule(findings: &[FindingEntry]) -> Vec<(&str, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in findings {
        *counts.entry(finding.rule.as_str()).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// A score or `—`.
fn score_text(score: Option<u32>) -> String {
    score.map_or_else(|| "—".to_owned(), |score| score.to_string())
}

/// `75 → 80 (+5)`, `— → 80`.
pub fn score_change_text(before: Option<u32>, after: Option<u32>) -> String {
    let mut text = format!("{} → {}", score_text(before), score_text(after));
    if let (Some(before), Some(after)) = (before, after)
        && before != after
    {
        let difference = i64::from(after) - i64::from(before);
        let _ = write!(text, " ({difference:+})");
    }
    text
}

/// A relation as one line, its property values as read in `language`:
/// `exchanges_with → lgsp "label" via a, b { protocol "REST" }`.
pub fn relation_text(relation: &RelationEntry, language: Language) -> String {
    let mut text = format!("{} → {}", relation.relation, relation.target);
    if let Some(label) = &relation.label {
        let _ = write!(text, " {}", quoted(label));
    }
    if !relation.via.is_empty() {
        let _ = write!(text, " via {}", relation.via.join(", "));
    }
    if !relation.properties.is_empty() {
        let properties: Vec<String> = relation
            .properties
            .iter()
            .map(|property| format!("{} {}", property.name, property.label.get(language)))
            .collect();
        let _ = write!(text, " {{ {} }}", properties.join(", "));
    }
    text
}

/// ANSI styles of the terminal text, or nothing.
struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Model text for the terminal: control and bidi characters shown as `⟨U+XXXX⟩`
/// ([`crate::escape::terminal`]), so a name can neither move the cursor, recolour the output nor
/// reverse the text around it.
fn plain(text: &str) -> std::borrow::Cow<'_, str> {
    crate::escape::terminal(text)
}

/// The terminal text of `kientruc diff` (ANSI colours only when `color`).
pub fn human(changes: &Changes, language: Language, color: bool) -> String {
    let style = Style { color };
    let text = |key: &str| i18n::text(language, key);
    let lower = |key: &str| i18n::text(language, key).to_lowercase();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        style.paint(
            "1",
            &format!("{} {}", text("changes_title"), plain(&changes.revision))
        )
    );
    let _ = writeln!(out, "{}", text("changes_scope_note"));
    if !changes.found_at_revision {
        let _ = writeln!(out, "{}", text("changes_not_at_revision"));
    }
    if !changes.header.is_empty() {
        let _ = writeln!(out, "\n{}:", style.paint("1", text("architecture")));
        for field in &changes.header {
            let _ = writeln!(
                out,
                "  {}: {} → {}",
                field.name,
                plain(
                    field
                        .before_label
                        .as_ref()
                        .map_or("—", |label| label.get(language))
                ),
                plain(
                    field
                        .after_label
                        .as_ref()
                        .map_or("—", |label| label.get(language))
                )
            );
        }
    }
    let elements = &changes.elements;
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(
            "1",
            &format!(
                "{}: {} {}, {} {}, {} {}",
                text("elements"),
                elements.added.len(),
                lower("changes_added"),
                elements.removed.len(),
                lower("changes_removed"),
                elements.changed.len(),
                lower("changes_changed"),
            )
        )
    );
    let element_line = |sign: &str, code: &str, id: &str, name: &str, kind: &Localized| {
        format!(
            "  {} {} \"{}\" ({})",
            style.paint(code, sign),
            plain(id),
            plain(name),
            plain(kind.get(language))
        )
    };
    for element in &elements.added {
        let _ = writeln!(
            out,
            "{}",
            element_line("+", "32", &element.id, &element.name, &element.kind_name)
        );
    }
    for element in &elements.removed {
        let _ = writeln!(
            out,
            "{}",
            element_line("-", "31", &element.id, &element.name, &element.kind_name)
        );
    }
    for element in &elements.changed {
        let _ = writeln!(
            out,
            "{}",
            element_line("~", "33", &element.id, &element.name, &element.kind_name)
        );
        for line in change_lines(element, language) {
            let _ = writeln!(out, "      {}", plain(&line));
        }
    }
    let findings = &changes.findings;
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(
            "1",
            &format!(
                "{}: {} {}, {} {}, {} {}, {} {}",
                text("findings"),
                findings.new.len(),
                lower("changes_new"),
                findings.fixed.len(),
                lower("changes_fixed"),
                findings.waived.len(),
                lower("changes_waived"),
                findings.still_open.len(),
                lower("changes_still_open"),
            )
        )
    );
    let finding_line = |sign: &str, code: &str, finding: &FindingEntry| {
        format!(
            "  {} {} {} {}: {}",
            style.paint(code, sign),
            crate::view::severity_label(language, finding.severity).to_lowercase(),
            finding.rule,
            plain(finding.element.as_deref().unwrap_or(text("model_wide"))),
            plain(finding.message.get(language))
        )
    };
    for finding in &findings.new {
        let _ = writeln!(out, "{}", finding_line("+", "31", finding));
    }
    for finding in &findings.fixed {
        let _ = writeln!(out, "{}", finding_line("-", "32", finding));
    }
    for finding in &findings.waived {
        let _ = writeln!(out, "{}", finding_line("=", "33", finding));
    }
    if !findings.still_open.is_empty() {
        let counts: Vec<String> = counts_by_rule(&findings.still_open)
            .into_iter()
            .map(|(rule, count)| format!("{rule} ×{count}"))
            .collect();
        let _ = writeln!(
            out,
            "  {}: {}",
            text("changes_still_open"),
            counts.join(", ")
        );
    }
    let score = &changes.score;
    let _ = writeln!(
        out,
        "\n{}",
        style.paint(
            "1",
            &format!(
                "{}: {}",
                text("overall_score"),
                score_change_text(score.before, score.after)
            )
        )
    );
    for model in &score.by_reference_model {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            model.reference_model,
            model.name.get(language),
            score_change_text(model.before, model.after)
        );
    }
    out
}

/// What changed in one element, one line per change (model text not yet escaped).
fn change_lines(element: &ElementChange, language: Language) -> Vec<String> {
    let text = |key: &str| i18n::text(language, key);
    let mut lines = Vec::new();
    if let Some(previous) = &element.previous_name {
        lines.push(format!(
            "{}: {} → {}",
            text("name").to_lowercase(),
            quoted(previous),
            quoted(&element.name)
        ));
    }
    if let Some(previous) = &element.previous_kind_name {
        lines.push(format!(
            "{}: {} → {}",
            text("kind").to_lowercase(),
            previous.get(language),
            element.kind_name.get(language)
        ));
    }
    let label = |label: &Option<Localized>| {
        label
            .as_ref()
            .map_or("—", |label| label.get(language))
            .to_owned()
    };
    for property in &element.properties {
        lines.push(format!(
            "{} {}: {} → {}",
            text("changes_property").to_lowercase(),
            property.name,
            label(&property.before_label),
            label(&property.after_label)
        ));
    }
    if !element.tags_added.is_empty() || !element.tags_removed.is_empty() {
        let tags: Vec<String> = element
            .tags_added
            .iter()
            .map(|tag| format!("+{tag}"))
            .chain(element.tags_removed.iter().map(|tag| format!("-{tag}")))
            .collect();
        lines.push(format!(
            "{}: {}",
            text("changes_tags").to_lowercase(),
            tags.join(", ")
        ));
    }
    for relation in &element.relations_added {
        lines.push(format!(
            "+ {}: {}",
            text("changes_relation").to_lowercase(),
            relation_text(relation, language)
        ));
    }
    for relation in &element.relations_removed {
        lines.push(format!(
            "- {}: {}",
            text("changes_relation").to_lowercase(),
            relation_text(relation, language)
        ));
    }
    lines
}

/// The JSON of `kientruc diff --format json`: the [`Changes`] as they serialise (both languages
/// where a text is localised), with a final line break.
pub fn json(changes: &Changes) -> Result<String, crate::ReportError> {
    let mut text =
        serde_json::to_string_pretty(changes).map_err(|source| crate::ReportError::Serialize {
            format: "changes JSON",
            source,
        })?;
    text.push('\n');
    Ok(text)
}

/// The Markdown of `kientruc diff --format markdown`: the `changes.md` partial on its own, with
/// the fixed texts of `language`.
pub fn markdown(
    changes: &Changes,
    texts: &i18n::Texts,
    templates: &crate::Templates,
) -> Result<String, crate::ReportError> {
    let mut context = tera::Context::new();
    context.insert("changes", changes);
    context.insert("t", &texts.table());
    context.insert("language", i18n::code(texts.language()));
    context.insert("standalone", &true);
    templates.render("changes.md", &context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiset_difference_counts_repeats() {
        let (added, removed) = multiset_difference(&[1, 2, 2, 4], &[2, 3, 4, 4]);
        assert_eq!(added, vec![1, 2]);
        assert_eq!(removed, vec![3, 4]);
    }

    #[test]
    fn strings_are_quoted_on_one_line_and_inert_in_the_terminal() {
        assert_eq!(quoted("a \"b\" \\ \n\tc"), "\"a \\\"b\\\" \\\\ \\n\\tc\"");
        assert_eq!(plain("x\u{2066}y\u{1b}[31m"), "x⟨U+2066⟩y⟨U+001B⟩[31m");
    }

    #[test]
    fn score_changes_read_with_their_difference() {
        assert_eq!(score_change_text(Some(75), Some(80)), "75 → 80 (+5)");
        assert_eq!(score_change_text(Some(80), Some(75)), "80 → 75 (-5)");
        assert_eq!(score_change_text(Some(80), Some(80)), "80 → 80");
        assert_eq!(score_change_text(None, Some(80)), "— → 80");
    }
}
