//! Rule packs: every `rules/*.toml` file of a framework pack holds `[[rule]]` tables with the
//! rule's metadata (bilingual title, message, rationale and fix; severity; reference model;
//! citation) and its check: one of the declarative rule types, or a built-in rule written in Rust
//! (see [`crate::checks`], one module per check type). Loading validates everything and reports problems as diagnostics with the
//! rule file, line and column (selectors are checked against the metamodel).

use crate::checks::{self, Check, RawCheck, spanned_range};
use kientruc_dsl::diagnostic::{Code, Diagnostic, Severity};
use kientruc_dsl::metamodel::{Localized, Metamodel};
use kientruc_dsl::text::{FileId, Span, TextRange};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;

/// The reference models of the framework, plus governance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CitationSource {
    Verified,
    Inferred,
    Tool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The document: `Nghị định 85/2016/NĐ-CP`, `Quyết định 2568/QĐ-BTTTT`.
    pub document: String,
    /// Article, clause or section, when known; never invented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    pub source: CitationSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Citation {
    pub fn describe(&self) -> String {
        let mut text = self.document.clone();
        if let Some(section) = &self.section {
            text.push_str(", ");
            text.push_str(section);
        }
        match self.source {
            CitationSource::Verified => {}
            CitationSource::Inferred => text.push_str(" (inferred)"),
            CitationSource::Tool => text.push_str(" (kientruc policy)"),
        }
        text
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    title: Localized,
    message: Localized,
    severity: Spanned<String>,
    reference_model: ReferenceModel,
    citation: Citation,
    rationale: Localized,
    fix: Localized,
    check: Spanned<RawCheck>,
}

/// All rules of a pack, sorted by id, and the problems found while loading them.
#[derive(Debug, Clone, Default)]
pub struct RulePack {
    pub rules: Vec<Rule>,
}

impl RulePack {
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
    diagnostics: &'a mut Vec<Diagnostic>,
}

/// Loads the rules of one TOML file. Problems become diagnostics; valid rules are returned.
pub fn load_rule_file(
    file: FileId,
    text: &str,
    metamodel: &Metamodel,
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
pub fn assemble(mut rules: Vec<Rule>, diagnostics: &mut Vec<Diagnostic>) -> RulePack {
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
    RulePack { rules: unique }
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
        let check = self.check(&id, raw.check)?;
        Some(Rule {
            id,
            title: raw.title,
            message: raw.message,
            severity,
            reference_model: raw.reference_model,
            citation: raw.citation,
            rationale: raw.rationale,
            fix: raw.fix,
            check,
            check_source,
            span,
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

/// Loads every `rules/*.toml` of a pack (adding the files to `files` for diagnostics).
pub fn load_pack(
    files: &mut kientruc_dsl::workspace::Files,
    pack: &kientruc_dsl::workspace::FrameworkPack,
    metamodel: &Metamodel,
    diagnostics: &mut Vec<Diagnostic>,
) -> RulePack {
    let mut loaded = Vec::new();
    for (file, text) in add_rule_files(files, pack) {
        loaded.extend(load_rule_file(file, &text, metamodel, diagnostics));
    }
    assemble(loaded, diagnostics)
}

/// Adds the pack's `rules/*.toml` to `files`, in name order: their ids and texts.
fn add_rule_files(
    files: &mut kientruc_dsl::workspace::Files,
    pack: &kientruc_dsl::workspace::FrameworkPack,
) -> Vec<(FileId, Arc<str>)> {
    pack.files
        .iter()
        .filter(|(name, _)| name.starts_with("rules/") && name.ends_with(".toml"))
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
            (file, text.clone())
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
        let added = add_rule_files(files, pack);
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
