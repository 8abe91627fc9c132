//! Rule packs: every `rules/*.toml` file of a framework pack holds `[[rule]]` tables with the
//! rule's metadata (bilingual title, message, rationale and fix; severity; reference model;
//! citation) and its check: one of the declarative rule types, or a built-in rule written in Rust
//! (see [`crate::checks`], one module per check type). Loading validates everything and reports problems as diagnostics with the
//! rule file, line and column (selectors are checked against the metamodel).

use crate::checks::{self, Check, RawCheck, spanned_range};
use crate::register::{
    Applicability, CitedDocument, InForce, RawCitedDocument, Register, Role, resolve_cited,
};
use kientruc_dsl::diagnostic::{Code, Diagnostic, Severity};
use kientruc_dsl::metamodel::{Language, Localized, Metamodel, ValueType};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::text::{FileId, Span, TextRange};
use kientruc_dsl::workspace::FrameworkInfo;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;

/// The reference models of the framework, plus governance.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum ReferenceModel {
    #[serde(rename = "BRM")]
    Brm,
    #[serde(rename = "DRM")]
    Drm,
    #[serde(rename = "ARM")]
    Arm,
    #[serde(rename = "TRM")]
    Trm,
    #[serde(rename = "SRM")]
    Srm,
    #[serde(rename = "GOV")]
    Gov,
}

impl ReferenceModel {
    pub const ALL: [ReferenceModel; 6] = [
        ReferenceModel::Brm,
        ReferenceModel::Drm,
        ReferenceModel::Arm,
        ReferenceModel::Trm,
        ReferenceModel::Srm,
        ReferenceModel::Gov,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceModel::Brm => "BRM",
            ReferenceModel::Drm => "DRM",
            ReferenceModel::Arm => "ARM",
            ReferenceModel::Trm => "TRM",
            ReferenceModel::Srm => "SRM",
            ReferenceModel::Gov => "GOV",
        }
    }

    pub fn name(self) -> Localized {
        let (vi, en) = match self {
            ReferenceModel::Brm => ("Mô hình tham chiếu nghiệp vụ", "Business reference model"),
            ReferenceModel::Drm => ("Mô hình tham chiếu dữ liệu", "Data reference model"),
            ReferenceModel::Arm => ("Mô hình tham chiếu ứng dụng", "Application reference model"),
            ReferenceModel::Trm => ("Mô hình tham chiếu công nghệ", "Technology reference model"),
            ReferenceModel::Srm => (
                "Mô hình tham chiếu an toàn thông tin mạng, an ninh mạng",
                "Network information security and cybersecurity reference model",
            ),
            ReferenceModel::Gov => (
                "Quản trị, chỉ đạo và chính sách",
                "Governance, direction and policy",
            ),
        };
        Localized {
            vi: vi.to_owned(),
            en: en.to_owned(),
        }
    }
}

/// Whether a citation was checked against a public source, drawn by inference (the domain notes
/// mark it so), or is the tool's own policy (waiver bookkeeping).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CitationSource {
    /// Checked against a public source.
    Verified,
    /// Drawn by inference (the domain notes mark it so).
    Inferred,
    /// The tool's own policy.
    Tool,
}

/// A rule's citation: the documents of the register that ground it (by key, with article,
/// clause and point), whether the mapping was verified, and a note saying what was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub source: CitationSource,
    pub note: Option<String>,
    pub documents: Vec<CitedDocument>,
    /// For the checker's own rules (no legal document): where the policy is written.
    pub tool_reference: Option<String>,
}

/// A rule's citation: the documents of the register that ground it.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawCitation {
    /// Whether the mapping to the documents was verified, inferred, or is the tool's own policy.
    source: CitationSource,
    /// What was decided, for readers of the citation.
    note: Option<String>,
    /// The documents cited (at least one), by their key in the register (`documents.toml`).
    #[schemars(with = "Vec<RawCitedDocument>", length(min = 1))]
    documents: Spanned<Vec<RawCitedDocument>>,
}

impl Citation {
    /// The cited documents in legal form, joined by `; ` (all of them, whatever the date).
    pub fn text(&self, language: Language) -> String {
        if let Some(reference) = &self.tool_reference {
            return reference.clone();
        }
        self.documents
            .iter()
            .map(|cited| cited.render(language))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The documents cited on `date`: the basis documents in force then, and the context ones
    /// (all of them when none is in force).
    pub fn documents_on(&self, date: Date) -> Vec<&CitedDocument> {
        let in_force: Vec<&CitedDocument> = self
            .documents
            .iter()
            .filter(|cited| cited.role == Role::Context || cited.in_force(date) == InForce::Yes)
            .collect();
        if in_force.iter().any(|cited| cited.role == Role::Basis) {
            in_force
        } else {
            self.documents.iter().collect()
        }
    }

    /// [`Citation::text`] with only the documents cited on `date`.
    pub fn text_on(&self, date: Date, language: Language) -> String {
        if let Some(reference) = &self.tool_reference {
            return reference.clone();
        }
        self.documents_on(date)
            .iter()
            .map(|cited| cited.render(language))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The URL of the first cited document that has one.
    pub fn url(&self) -> Option<&str> {
        self.documents
            .iter()
            .find_map(|cited| cited.document.url.as_deref())
    }

    /// Does the rule apply on `date`? It does while one of its basis documents is in force (a
    /// citation without documents, the checker's own, always applies).
    pub fn applicability(&self, date: Date) -> Applicability {
        let mut not_yet: Option<(Date, &CitedDocument)> = None;
        let mut no_longer: Option<(Date, &CitedDocument)> = None;
        let mut any_basis = false;
        for cited in self
            .documents
            .iter()
            .filter(|cited| cited.role == Role::Basis)
        {
            any_basis = true;
            match cited.in_force(date) {
                InForce::Yes => return Applicability::Applies,
                InForce::NotYet(from) => {
                    if not_yet.is_none_or(|(earliest, _)| from < earliest) {
                        not_yet = Some((from, cited));
                    }
                }
                InForce::NoLonger(since) => {
                    if no_longer.is_none_or(|(latest, _)| since > latest) {
                        no_longer = Some((since, cited));
                    }
                }
            }
        }
        if !any_basis {
            return Applicability::Applies;
        }
        match (not_yet, no_longer) {
            (Some((from, cited)), _) => Applicability::NotYet {
                document: cited.document.clone(),
                from,
            },
            (None, Some((since, cited))) => Applicability::NoLonger {
                document: cited.document.clone(),
                since,
            },
            (None, None) => Applicability::Applies,
        }
    }
}

impl Serialize for Citation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(Serialize)]
        struct ReplacedBy<'a> {
            key: &'a str,
            date: Date,
        }
        #[derive(Serialize)]
        struct DocumentView<'a> {
            key: &'a str,
            kind: &'static str,
            kind_en: &'static str,
            number: &'a str,
            issuer: &'a Localized,
            title: &'a Localized,
            signed: Option<Date>,
            effective: Option<Date>,
            replaced_by: Option<ReplacedBy<'a>>,
            url: Option<&'a str>,
            verified: bool,
            article: Option<&'a str>,
            clause: Option<&'a str>,
            point: Option<&'a str>,
            locator: Option<Localized>,
            from: Option<Date>,
            until: Option<Date>,
            role: &'static str,
            text: Localized,
        }
        let documents: Vec<DocumentView<'_>> = self
            .documents
            .iter()
            .map(|cited| {
                let document = &cited.document;
                DocumentView {
                    key: &document.key,
                    kind: document.kind.vi(),
                    kind_en: document.kind.en(),
                    number: &document.number,
                    issuer: &document.issuer,
                    title: &document.title,
                    signed: document.signed,
                    effective: document.effective,
                    replaced_by: document.replaced_by.as_ref().map(|replacement| ReplacedBy {
                        key: &replacement.key,
                        date: replacement.date,
                    }),
                    url: document.url.as_deref(),
                    verified: document.verified,
                    article: cited.article.as_deref(),
                    clause: cited.clause.as_deref(),
                    point: cited.point.as_deref(),
                    locator: cited.locator(Language::Vi).map(|vi| Localized {
                        vi,
                        en: cited.locator(Language::En).unwrap_or_default(),
                    }),
                    from: cited.from,
                    until: cited.until,
                    role: match cited.role {
                        Role::Basis => "basis",
                        Role::Context => "context",
                    },
                    text: Localized {
                        vi: cited.render(Language::Vi),
                        en: cited.render(Language::En),
                    },
                }
            })
            .collect();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("source", &self.source)?;
        map.serialize_entry("documents", &documents)?;
        map.serialize_entry(
            "text",
            &Localized {
                vi: self.text(Language::Vi),
                en: self.text(Language::En),
            },
        )?;
        if let Some(note) = &self.note {
            map.serialize_entry("note", note)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub title: Localized,
    pub message: Localized,
    pub severity: Severity,
    pub reference_model: ReferenceModel,
    pub citation: Citation,
    pub rationale: Localized,
    pub fix: Localized,
    pub check: Check,
    /// The check as written in the pack (for `rules --format json` and docs).
    pub check_source: BTreeMap<String, toml::Value>,
    pub span: Span,
    /// The overlay the rule comes from (`hanoi`), `None` for the framework pack's rules.
    pub overlay: Option<String>,
    /// The levels of architecture the rule applies at (`["province"]`); empty: every level.
    pub levels: Vec<String>,
}

impl Rule {
    /// The rule's subject as the pack writes it (`applies-to`, `select` or `from` of its check:
    /// `kind(database) and status != retiring`), when its check has one.
    pub fn subject_source(&self) -> Option<&str> {
        ["applies-to", "select", "from"]
            .iter()
            .find_map(|key| self.check_source.get(*key).and_then(toml::Value::as_str))
    }

    /// Whether the rule applies at the architecture's level (`None`: no level known, every rule
    /// applies).
    pub fn applies_at(&self, level: Option<&str>) -> bool {
        match level {
            Some(level) => self.levels.is_empty() || self.levels.iter().any(|own| own == level),
            None => true,
        }
    }

    /// The level the rule's texts read at: the architecture's when the rule applies there, else
    /// the rule's only level, else `any`.
    pub fn text_level<'a>(&'a self, level: Option<&'a str>) -> &'a str {
        match (level, self.levels.as_slice()) {
            (Some(level), _) if self.applies_at(Some(level)) => level,
            (_, [only]) => only,
            _ => "any",
        }
    }
}

/// `text` with each `{word}` the framework defines replaced by the word at `level` (or at `any`).
pub fn with_words(
    text: &str,
    words: &BTreeMap<String, BTreeMap<String, Localized>>,
    level: &str,
    language: Language,
) -> String {
    if !text.contains('{') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let replaced = after.find('}').and_then(|close| {
            let by_level = words.get(&after[..close])?;
            let word = by_level.get(level).or_else(|| by_level.get("any"))?;
            Some((word.get(language), close))
        });
        if let Some((word, close)) = replaced {
            out.push_str(word);
            rest = &after[close + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A rule file of a pack or an overlay (`rules/*.toml`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// The rules (`[[rule]]`).
    #[serde(default)]
    #[schemars(with = "Vec<RawRule>")]
    rule: Vec<Spanned<RawRule>>,
}

/// A rule: its metadata and its check.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawRule {
    /// The rule's id, unique in the pack (`SEC-001`; an overlay's start with its prefix: `HN-`).
    #[schemars(with = "String")]
    id: Spanned<String>,
    /// A short title in Vietnamese and English.
    title: Localized,
    /// The finding's message; `{name}`, `{id}`, `{kind}` … name the element at fault.
    message: Localized,
    /// The finding's default severity: `error`, `warning` or `info`.
    #[schemars(with = "kientruc_dsl::schema::SeverityName")]
    severity: Spanned<String>,
    /// The reference model the rule belongs to.
    reference_model: ReferenceModel,
    /// The legal documents that ground the rule.
    citation: RawCitation,
    /// Why the rule exists (Markdown).
    rationale: Localized,
    /// How to fix a finding (Markdown).
    fix: Localized,
    /// The levels of architecture the rule applies at (keys of the framework's `[levels]`:
    /// `province`, `ministry`); absent: every level.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    levels: Vec<Spanned<String>>,
    /// What the rule checks: a `type` and the keys that type takes.
    #[schemars(with = "RawCheck")]
    check: Spanned<RawCheck>,
}

/// The schema of a rule file (`schemas/rules.schema.json`).
pub fn schema() -> schemars::Schema {
    let mut schema = kientruc_dsl::schema::document::<RawFile>(
        "rules.schema.json",
        "kientruc rule file (rules/*.toml)",
        "The rules of a framework pack or a workspace's overlay: for each `[[rule]]`, its id, \
         bilingual title, message, rationale and fix, severity, reference model, citation of the \
         register's documents and its check.",
    );
    crate::checks::restrict_check_keys(&mut schema);
    schema
}

/// All rules of a pack, sorted by id, and the problems found while loading them.
#[derive(Debug, Clone, Default)]
pub struct RulePack {
    pub rules: Vec<Rule>,
    /// The register of documents the rules cite (the pack's, plus the overlay's).
    pub register: Arc<Register>,
}

impl RulePack {
    /// The pack with its rule texts read at `level` (the architecture's; `None` for the catalogue):
    /// each placeholder naming one of the framework's words (`{level}`, `{unit}`, …) becomes that
    /// word at the level. A rule outside the level (not applicable there) reads at its own level
    /// when it has one, else at `any`, as in the catalogue. Message placeholders of findings
    /// (`{name}`, `{id}`, …) are not words and stay.
    #[must_use]
    pub fn at_level(mut self, framework: Option<&FrameworkInfo>, level: Option<&str>) -> RulePack {
        let Some(words) = framework.map(|framework| &framework.words) else {
            return self;
        };
        if words.is_empty() {
            return self;
        }
        for rule in &mut self.rules {
            let key = rule.text_level(level).to_owned();
            for text in [
                &mut rule.title,
                &mut rule.message,
                &mut rule.rationale,
                &mut rule.fix,
            ] {
                *text = Localized {
                    vi: with_words(&text.vi, words, &key, Language::Vi),
                    en: with_words(&text.en, words, &key, Language::En),
                };
            }
        }
        self
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules
            .binary_search_by(|rule| rule.id.as_str().cmp(id))
            .ok()
            .map(|index| &self.rules[index])
    }
}

struct Loader<'a> {
    file: FileId,
    text: &'a str,
    metamodel: &'a Metamodel,
    register: &'a Register,
    overlay: Option<&'a Overlay>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

/// A province's (or ministry's) own rules, declared by the workspace's `kientruc.toml` and
/// loaded in addition to the framework pack: their register of documents and rule files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    /// `hanoi`.
    pub id: String,
    /// `HN`: every rule id of the overlay starts with `HN-`.
    pub prefix: String,
    /// `documents.toml` of the overlay: (display name, path, text).
    pub documents: Option<(String, std::path::PathBuf, Arc<str>)>,
    /// The rule files: (display name, path, text).
    pub rules: Vec<(String, std::path::PathBuf, Arc<str>)>,
}

/// Loads the rules of one TOML file. Problems become diagnostics; valid rules are returned.
pub fn load_rule_file(
    file: FileId,
    text: &str,
    metamodel: &Metamodel,
    register: &Register,
    overlay: Option<&Overlay>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Rule> {
    let raw: RawFile = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let range = error.span().map_or(TextRange::empty(0), |span| {
                TextRange::new(span.start, span.end)
            });
            diagnostics.push(
                Diagnostic::new(
                    Code::RulePackError,
                    format!("rule pack: {}", error.message().trim_end()),
                )
                .at(file, range, "here"),
            );
            return Vec::new();
        }
    };
    // The check tables as written, in the same order as the rules (for the catalogue).
    let sources: Vec<BTreeMap<String, toml::Value>> = toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|table| table.get("rule").and_then(toml::Value::as_array).cloned())
        .unwrap_or_default()
        .iter()
        .map(|rule| {
            rule.get("check")
                .and_then(toml::Value::as_table)
                .map(|check| check.clone().into_iter().collect())
                .unwrap_or_default()
        })
        .collect();
    let mut loader = Loader {
        file,
        text,
        metamodel,
        register,
        overlay,
        diagnostics,
    };
    raw.rule
        .into_iter()
        .enumerate()
        .filter_map(|(index, rule)| {
            loader.rule(rule, sources.get(index).cloned().unwrap_or_default())
        })
        .collect()
}

/// Checks rule ids across the whole pack and sorts the rules by id.
pub fn assemble(
    mut rules: Vec<Rule>,
    register: Arc<Register>,
    diagnostics: &mut Vec<Diagnostic>,
) -> RulePack {
    rules.sort_by(|left, right| left.id.cmp(&right.id).then(left.span.cmp(&right.span)));
    let mut unique: Vec<Rule> = Vec::with_capacity(rules.len());
    for rule in rules {
        if let Some(first) = unique.last().filter(|first| first.id == rule.id) {
            diagnostics.push(
                Diagnostic::new(
                    Code::RulePackError,
                    format!("rule id `{}` is used twice", rule.id),
                )
                .at(rule.span.file, rule.span.range, "second rule with this id")
                .with_secondary(first.span, "first rule with this id")
                .with_help(
                    "rule ids are stable identifiers; give the new rule the next free number",
                ),
            );
            continue;
        }
        unique.push(rule);
    }
    RulePack {
        rules: unique,
        register,
    }
}

impl Loader<'_> {
    fn error(&mut self, range: TextRange, message: String, help: Option<String>) {
        self.diagnostics
            .push(checks::pack_error(self.file, range, message, help));
    }

    fn rule(
        &mut self,
        raw: Spanned<RawRule>,
        check_source: BTreeMap<String, toml::Value>,
    ) -> Option<Rule> {
        let span = Span::new(self.file, spanned_range(&raw.get_ref().id));
        let raw = raw.into_inner();
        let id = raw.id.get_ref().clone();
        let id_ok = !id.is_empty()
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && id.starts_with(|c: char| c.is_ascii_alphabetic());
        if !id_ok {
            self.error(
                spanned_range(&raw.id),
                format!("rule id `{id}` is not of the form ABC-123"),
                None,
            );
            return None;
        }
        let Some(severity) = Severity::parse(raw.severity.get_ref()) else {
            self.error(
                spanned_range(&raw.severity),
                format!("unknown severity `{}`", raw.severity.get_ref()),
                Some("use error, warning or info".to_owned()),
            );
            return None;
        };
        for (field, text) in [
            ("title", &raw.title),
            ("message", &raw.message),
            ("rationale", &raw.rationale),
            ("fix", &raw.fix),
        ] {
            if text.vi.trim().is_empty() || text.en.trim().is_empty() {
                self.error(
                    span.range,
                    format!("rule `{id}` has an empty {field} (both `vi` and `en` are required)"),
                    None,
                );
                return None;
            }
        }
        if let Some(overlay) = self.overlay
            && !id
                .strip_prefix(overlay.prefix.as_str())
                .is_some_and(|rest| rest.starts_with('-') && rest.len() > 1)
        {
            let prefix = &overlay.prefix;
            self.error(
                spanned_range(&raw.id),
                format!("rule id `{id}` of overlay `{}` does not start with `{prefix}-`", overlay.id),
                Some(format!(
                    "an overlay's rule ids carry its prefix (`{prefix}-001`), so they never clash with the framework pack's"
                )),
            );
            return None;
        }
        let documents_range = spanned_range(&raw.citation.documents);
        let raw_documents = raw.citation.documents.into_inner();
        if raw_documents.is_empty() {
            self.error(
                documents_range,
                format!("rule `{id}` cites no document"),
                Some("cite at least one document of the register by its key".to_owned()),
            );
            return None;
        }
        let documents = resolve_cited(
            self.file,
            &id,
            raw_documents,
            self.register,
            self.diagnostics,
        )?;
        let citation = Citation {
            source: raw.citation.source,
            note: raw.citation.note,
            documents,
            tool_reference: None,
        };
        let mut levels = Vec::new();
        let allowed = self
            .metamodel
            .properties
            .get("scope")
            .map(|p| &p.value_type);
        for level in raw.levels {
            let known = match allowed {
                Some(ValueType::Enum { values }) => values.contains(level.get_ref()),
                _ => true,
            };
            if !known {
                self.error(
                    spanned_range(&level),
                    format!("rule `{id}` names an unknown level `{}`", level.get_ref()),
                    Some(
                        "a level is a value of the header's `scope` (`ministry`, `province`)"
                            .to_owned(),
                    ),
                );
                return None;
            }
            levels.push(level.into_inner());
        }
        let check = self.check(&id, raw.check)?;
        Some(Rule {
            id,
            title: raw.title,
            message: raw.message,
            severity,
            reference_model: raw.reference_model,
            citation,
            rationale: raw.rationale,
            fix: raw.fix,
            check,
            check_source,
            span,
            overlay: self.overlay.map(|overlay| overlay.id.clone()),
            levels,
        })
    }

    fn check(&mut self, id: &str, raw: Spanned<RawCheck>) -> Option<Check> {
        checks::load(
            id,
            raw,
            self.file,
            self.text,
            self.metamodel,
            self.diagnostics,
        )
    }
}

/// The register file of a pack or an overlay.
pub const DOCUMENTS_FILE: &str = "documents.toml";

/// Loads a pack's register (`documents.toml`) and every `rules/*.toml` (adding the files to
/// `files` for diagnostics).
pub fn load_pack(
    files: &mut kientruc_dsl::workspace::Files,
    pack: &kientruc_dsl::workspace::FrameworkPack,
    metamodel: &Metamodel,
    diagnostics: &mut Vec<Diagnostic>,
) -> RulePack {
    let pack_files = add_pack_files(files, pack);
    let register = match pack_files
        .first()
        .filter(|(_, name, _)| name == DOCUMENTS_FILE)
    {
        Some((file, _, text)) => crate::register::load_register(*file, text, None, diagnostics),
        None => Register::default(),
    };
    let mut loaded = Vec::new();
    for (file, _, text) in pack_files
        .into_iter()
        .filter(|(_, name, _)| name != DOCUMENTS_FILE)
    {
        loaded.extend(load_rule_file(
            file,
            &text,
            metamodel,
            &register,
            None,
            diagnostics,
        ));
    }
    assemble(loaded, Arc::new(register), diagnostics)
}

/// Adds an overlay's rules (and register) to a loaded pack.
pub fn with_overlay(
    pack: RulePack,
    overlay: &Overlay,
    files: &mut kientruc_dsl::workspace::Files,
    metamodel: &Metamodel,
    diagnostics: &mut Vec<Diagnostic>,
) -> RulePack {
    let register = match &overlay.documents {
        Some((name, path, text)) => {
            let file = files.add(
                name.clone(),
                path.clone(),
                text.clone(),
                kientruc_dsl::workspace::Origin::Workspace,
            );
            crate::register::load_register(file, text, Some(&pack.register), diagnostics)
        }
        None => (*pack.register).clone(),
    };
    let mut rules = pack.rules;
    for (name, path, text) in &overlay.rules {
        let file = files.add(
            name.clone(),
            path.clone(),
            text.clone(),
            kientruc_dsl::workspace::Origin::Workspace,
        );
        rules.extend(load_rule_file(
            file,
            text,
            metamodel,
            &register,
            Some(overlay),
            diagnostics,
        ));
    }
    assemble(rules, Arc::new(register), diagnostics)
}

/// Adds the pack's register (first, when it has one) and its `rules/*.toml` (in name order) to
/// `files`: their ids, names in the pack and texts.
fn add_pack_files(
    files: &mut kientruc_dsl::workspace::Files,
    pack: &kientruc_dsl::workspace::FrameworkPack,
) -> Vec<(FileId, String, Arc<str>)> {
    let register = pack.files.get_key_value(DOCUMENTS_FILE).into_iter();
    let rules = pack
        .files
        .iter()
        .filter(|(name, _)| name.starts_with("rules/") && name.ends_with(".toml"));
    register
        .chain(rules)
        .map(|(name, text)| {
            let path = std::path::PathBuf::from(format!(
                "{}{}/{name}",
                kientruc_dsl::workspace::FRAMEWORK_PREFIX,
                pack.id
            ));
            let file = files.add(
                pack.display_name(name),
                path,
                text.clone(),
                kientruc_dsl::workspace::Origin::Framework,
            );
            (file, name.clone(), text.clone())
        })
        .collect()
}

/// The rule pack a caller loaded last, for one that checks the same workspace again and again
/// (the language server, on every edit): loading parses every rule file and validates every
/// selector against the metamodel. A pack whose files (rules, metamodel and all) are unchanged
/// is taken from here, its rule files added to the workspace's files as a load adds them, and
/// its spans moved to their new ids.
#[derive(Debug, Default)]
pub struct RulePackCache {
    last: std::sync::Mutex<Option<CachedPack>>,
}

#[derive(Debug)]
struct CachedPack {
    id: String,
    files: BTreeMap<String, Arc<str>>,
    /// The id the pack's first rule file had when it was loaded.
    first_file: FileId,
    rule_files: usize,
    pack: RulePack,
    diagnostics: Vec<Diagnostic>,
}

/// [`load_pack`], through `cache`.
pub fn load_pack_cached(
    cache: &RulePackCache,
    files: &mut kientruc_dsl::workspace::Files,
    pack: &kientruc_dsl::workspace::FrameworkPack,
    metamodel: &Metamodel,
    diagnostics: &mut Vec<Diagnostic>,
) -> RulePack {
    let mut last = cache
        .last
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(cached) = last
        .as_ref()
        .filter(|cached| cached.id == pack.id && cached.files == pack.files)
    {
        let first_file = FileId(files.len() as u32);
        let added = add_pack_files(files, pack);
        debug_assert_eq!(added.len(), cached.rule_files);
        let moved = |file: &mut FileId| {
            let index = file.0.wrapping_sub(cached.first_file.0);
            if (index as usize) < cached.rule_files {
                *file = FileId(first_file.0 + index);
            }
        };
        let mut loaded = cached.pack.clone();
        for rule in &mut loaded.rules {
            moved(&mut rule.span.file);
        }
        for mut diagnostic in cached.diagnostics.iter().cloned() {
            for label in diagnostic
                .primary
                .iter_mut()
                .chain(&mut diagnostic.secondary)
            {
                moved(&mut label.span.file);
            }
            diagnostics.push(diagnostic);
        }
        return loaded;
    }
    let first_file = FileId(files.len() as u32);
    let mut own = Vec::new();
    let loaded = load_pack(files, pack, metamodel, &mut own);
    *last = Some(CachedPack {
        id: pack.id.clone(),
        files: pack.files.clone(),
        first_file,
        rule_files: files.len() - first_file.0 as usize,
        pack: loaded.clone(),
        diagnostics: own.clone(),
    });
    diagnostics.extend(own);
    loaded
}
