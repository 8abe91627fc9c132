//! The register of legal documents (`documents.toml`) of a framework pack or an overlay, and
//! rule citations by key: which documents ground a rule, with article, clause and point, and the
//! periods in which they are in force. A rule applies to a model when one of its basis documents
//! is in force on the model's date (`as_of`); the finding then cites the documents in force on
//! that date (see docs/rules.md, "Legal basis and dates").
//!
//! Loading validates the register: kinds, dates (a verified document has its signing and
//! effective dates), keys of replacements and amendments, and URLs (never on a host the register
//! lists as unacceptable: betting, football and document-mirror sites).

use kientruc_dsl::diagnostic::Diagnostic;
use kientruc_dsl::metamodel::{Language, Localized};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::text::{FileId, TextRange};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use toml::Spanned;

use crate::checks::{pack_error, spanned_range};

/// The kinds of legal document (loại văn bản) a register may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocumentKind {
    Luat,
    NghiDinh,
    NghiQuyet,
    QuyetDinh,
    ThongTu,
    ChiThi,
    KeHoach,
    CongVan,
    QuyHoach,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 9] = [
        DocumentKind::Luat,
        DocumentKind::NghiDinh,
        DocumentKind::NghiQuyet,
        DocumentKind::QuyetDinh,
        DocumentKind::ThongTu,
        DocumentKind::ChiThi,
        DocumentKind::KeHoach,
        DocumentKind::CongVan,
        DocumentKind::QuyHoach,
    ];

    /// The Vietnamese name, as written in the register and in citations.
    pub fn vi(self) -> &'static str {
        match self {
            DocumentKind::Luat => "Luật",
            DocumentKind::NghiDinh => "Nghị định",
            DocumentKind::NghiQuyet => "Nghị quyết",
            DocumentKind::QuyetDinh => "Quyết định",
            DocumentKind::ThongTu => "Thông tư",
            DocumentKind::ChiThi => "Chỉ thị",
            DocumentKind::KeHoach => "Kế hoạch",
            DocumentKind::CongVan => "Công văn",
            DocumentKind::QuyHoach => "Quy hoạch",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            DocumentKind::Luat => "Law",
            DocumentKind::NghiDinh => "Decree",
            DocumentKind::NghiQuyet => "Resolution",
            DocumentKind::QuyetDinh => "Decision",
            DocumentKind::ThongTu => "Circular",
            DocumentKind::ChiThi => "Directive",
            DocumentKind::KeHoach => "Plan",
            DocumentKind::CongVan => "Official Letter",
            DocumentKind::QuyHoach => "Master Plan",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|kind| kind.vi() == text)
    }
}

/// The document that replaced another as a whole, and the first day the old one is no longer
/// in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub key: String,
    pub date: Date,
}

/// One legal document of a register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub key: String,
    pub kind: DocumentKind,
    /// The số hiệu as printed: `2568/QĐ-BTTTT`, `20/2023/QH15`.
    pub number: String,
    pub issuer: Localized,
    pub signed: Option<Date>,
    pub effective: Option<Date>,
    pub replaced_by: Option<Replacement>,
    pub amends: Vec<String>,
    /// The trích yếu following the number (for a law: its name without "Luật").
    pub title: Localized,
    pub url: Option<String>,
    /// Number, issuer and dates seen in a source (`status = "verified"`), or not.
    pub verified: bool,
    pub note: Option<String>,
}

/// Whether a document (or a citation of it) is in force on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InForce {
    Yes,
    /// Takes effect on this date, after the date asked about.
    NotYet(Date),
    /// Ceased to be in force on this date, on or before the date asked about.
    NoLonger(Date),
}

pub use crate::dates::{date_en, date_in, date_vi};

impl Document {
    /// The first day in force: the effective date, else the signing date.
    pub fn from(&self) -> Option<Date> {
        self.effective.or(self.signed)
    }

    /// In force on `date` (a document with no known dates is taken to be in force).
    /// The date a replacement took effect is the one written in `replaced_by`, not the
    /// replacing document's own effective date.
    pub fn in_force(&self, date: Date) -> InForce {
        if let Some(from) = self.from()
            && date < from
        {
            return InForce::NotYet(from);
        }
        if let Some(replacement) = &self.replaced_by
            && date >= replacement.date
        {
            return InForce::NoLonger(replacement.date);
        }
        InForce::Yes
    }

    /// `Nghị định 194/2025/NĐ-CP` / `Decree 194/2025/NĐ-CP`.
    pub fn short(&self, language: Language) -> String {
        match language {
            Language::Vi => format!("{} {}", self.kind.vi(), self.number),
            Language::En => format!("{} {}", self.kind.en(), self.number),
        }
    }

    /// The document in legal form: `Quyết định số 2568/QĐ-BTTTT ngày 29/12/2023 của Bộ trưởng Bộ
    /// Thông tin và Truyền thông về việc ban hành …`; a law: `Luật Giao dịch điện tử số
    /// 20/2023/QH15 ngày 22/06/2023 của Quốc hội`.
    pub fn render(&self, language: Language) -> String {
        match language {
            Language::Vi => {
                let date = self
                    .signed
                    .map(|date| format!(" ngày {}", date_vi(date)))
                    .unwrap_or_default();
                if self.kind == DocumentKind::Luat {
                    format!(
                        "Luật {} số {}{date} của {}",
                        self.title.vi, self.number, self.issuer.vi
                    )
                } else {
                    format!(
                        "{} số {}{date} của {} {}",
                        self.kind.vi(),
                        self.number,
                        self.issuer.vi,
                        self.title.vi
                    )
                }
            }
            Language::En => {
                let date = self
                    .signed
                    .map(|date| format!(" of {}", date_en(date)))
                    .unwrap_or_default();
                if self.kind == DocumentKind::Luat {
                    format!(
                        "Law on {} No. {}{date} of the {}",
                        self.title.en, self.number, self.issuer.en
                    )
                } else {
                    format!(
                        "{} No. {}{date} of the {} {}",
                        self.kind.en(),
                        self.number,
                        self.issuer.en,
                        self.title.en
                    )
                }
            }
        }
    }
}

/// The documents of a pack (and of an overlay, which adds its own to the pack's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    pub documents: BTreeMap<String, Arc<Document>>,
    pub unacceptable_hosts: Vec<String>,
}

impl Register {
    pub fn get(&self, key: &str) -> Option<&Arc<Document>> {
        self.documents.get(key)
    }
}

/// A register of legal documents (`documents.toml`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawRegister {
    /// Hosts no document URL may be on (betting, football and document-mirror sites), with
    /// their subdomains.
    #[serde(default)]
    unacceptable_hosts: Vec<String>,
    /// The documents, by key (`[document.nd-194-2025]`: lowercase ASCII letters, digits and
    /// `-`; kind, number, year).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawDocument>")]
    #[schemars(extend("propertyNames" = { "pattern": "^[a-z0-9-]+$" }))]
    document: BTreeMap<String, Spanned<RawDocument>>,
}

/// One legal document.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    /// The kind of document (loại văn bản), in Vietnamese.
    #[schemars(with = "DocumentKindName")]
    kind: Spanned<String>,
    /// The number (số hiệu) as printed: `2568/QĐ-BTTTT`, `20/2023/QH15`.
    number: String,
    /// Who issued it, in Vietnamese and English.
    issuer: Localized,
    /// The date it was signed, `YYYY-MM-DD` (required when `status = "verified"`).
    #[schemars(with = "Option<kientruc_dsl::schema::DateText>")]
    signed: Option<Spanned<String>>,
    /// The date it took effect, `YYYY-MM-DD` (required when `status = "verified"`).
    #[schemars(with = "Option<kientruc_dsl::schema::DateText>")]
    effective: Option<Spanned<String>>,
    /// The document that replaced it as a whole, and the first day it is no longer in force.
    #[schemars(with = "Option<RawReplacement>")]
    replaced_by: Option<Spanned<RawReplacement>>,
    /// The documents it amends, by key.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    amends: Vec<Spanned<String>>,
    /// The summary (trích yếu) following the number; for a law, its name without "Luật".
    title: Localized,
    /// Where the document can be read (an `http(s)` address, not on an unacceptable host).
    #[schemars(with = "Option<String>")]
    url: Option<Spanned<String>>,
    /// `verified`: number, issuer and dates seen in a source; `inferred`: not yet.
    #[schemars(with = "DocumentStatus")]
    status: Spanned<String>,
    /// A note for readers of the register.
    note: Option<String>,
}

/// The document that replaced another.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawReplacement {
    /// The replacing document's key.
    key: String,
    /// The first day the replaced document is no longer in force, `YYYY-MM-DD`.
    #[schemars(with = "kientruc_dsl::schema::DateText")]
    date: Spanned<String>,
}

/// The kinds of document a register may hold, as written ([`DocumentKind::vi`]).
struct DocumentKindName;

impl JsonSchema for DocumentKindName {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DocumentKind".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let kinds: Vec<&str> = DocumentKind::ALL.iter().map(|kind| kind.vi()).collect();
        schemars::json_schema!({ "type": "string", "enum": kinds })
    }
}

/// Whether a document's facts were verified.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[expect(
    dead_code,
    reason = "schema only: the loader reads the status as a string"
)]
enum DocumentStatus {
    /// Number, issuer and dates seen in a source.
    Verified,
    /// Not yet checked against a source.
    Inferred,
}

/// The schema of a register of documents (`schemas/documents.schema.json`).
pub fn schema() -> schemars::Schema {
    kientruc_dsl::schema::document::<RawRegister>(
        "documents.schema.json",
        "kientruc register of legal documents (documents.toml)",
        "The legal documents a pack's or an overlay's rules cite, by key: kind, number, issuer, \
         dates, title, address, replacement and amendments, and whether they were verified.",
    )
}

/// The host of an `http(s)` URL, lowercased, without `www.`.
fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?.split(':').next()?;
    let host = host.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_owned())
}

/// Is `host` one of `hosts` or a subdomain of one?
fn host_listed(host: &str, hosts: &[String]) -> bool {
    hosts.iter().any(|listed| {
        let listed = listed.to_ascii_lowercase();
        host == listed
            || host
                .strip_suffix(listed.as_str())
                .is_some_and(|prefix| prefix.ends_with('.'))
    })
}

/// Loads a register. `base` is the pack's register when this is an overlay's: the overlay may
/// cite the pack's documents, may not redefine them, and inherits its unacceptable hosts.
pub fn load_register(
    file: FileId,
    text: &str,
    base: Option<&Register>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Register {
    let mut register = base.cloned().unwrap_or_default();
    let raw: RawRegister = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let range = error.span().map_or(TextRange::empty(0), |span| {
                TextRange::new(span.start, span.end)
            });
            diagnostics.push(pack_error(
                file,
                range,
                format!("register of documents: {}", error.message().trim_end()),
                None,
            ));
            return register;
        }
    };
    register.unacceptable_hosts.extend(raw.unacceptable_hosts);
    register.unacceptable_hosts.sort();
    register.unacceptable_hosts.dedup();
    let mut error = |range: TextRange, message: String, help: Option<&str>| {
        diagnostics.push(pack_error(file, range, message, help.map(str::to_owned)));
    };
    let keys: Vec<String> = raw.document.keys().cloned().collect();
    let mut loaded: Vec<Document> = Vec::new();
    for (key, raw_document) in raw.document {
        let range = spanned_range(&raw_document);
        let raw_document = raw_document.into_inner();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            error(
                range,
                format!("document key `{key}` is not lowercase ASCII letters, digits and `-`"),
                Some("keys read like `nd-194-2025`: kind, number, year"),
            );
            continue;
        }
        if base.is_some_and(|base| base.get(&key).is_some()) {
            error(
                range,
                format!("document `{key}` is already in the framework pack's register"),
                Some("cite the pack's document by its key instead of redefining it"),
            );
            continue;
        }
        let Some(kind) = DocumentKind::parse(raw_document.kind.get_ref()) else {
            let kinds: Vec<&str> = DocumentKind::ALL.iter().map(|kind| kind.vi()).collect();
            error(
                spanned_range(&raw_document.kind),
                format!(
                    "document `{key}`: unknown kind `{}`",
                    raw_document.kind.get_ref()
                ),
                Some(&format!("kinds: {}", kinds.join(", "))),
            );
            continue;
        };
        let verified = match raw_document.status.get_ref().as_str() {
            "verified" => true,
            "inferred" => false,
            other => {
                error(
                    spanned_range(&raw_document.status),
                    format!("document `{key}`: unknown status `{other}`"),
                    Some("use `verified` or `inferred`"),
                );
                continue;
            }
        };
        let mut date = |field: &str, value: &Option<Spanned<String>>| -> Result<Option<Date>, ()> {
            let Some(value) = value else {
                return Ok(None);
            };
            if let Some(date) = Date::parse(value.get_ref()) {
                Ok(Some(date))
            } else {
                error(
                    spanned_range(value),
                    format!(
                        "document `{key}`: `{field}` is not a date: `{}`",
                        value.get_ref()
                    ),
                    Some("write dates as YYYY-MM-DD"),
                );
                Err(())
            }
        };
        let (Ok(signed), Ok(effective)) = (
            date("signed", &raw_document.signed),
            date("effective", &raw_document.effective),
        ) else {
            continue;
        };
        if verified && (signed.is_none() || effective.is_none()) {
            let missing = if signed.is_none() {
                "signed"
            } else {
                "effective"
            };
            error(
                range,
                format!("document `{key}` is verified but has no `{missing}` date"),
                Some(
                    "give the date from the source you verified, or mark the document `status = \"inferred\"`",
                ),
            );
            continue;
        }
        let mut replaced_by = None;
        if let Some(replacement) = raw_document.replaced_by {
            let replacement_range = spanned_range(&replacement);
            let replacement = replacement.into_inner();
            let Ok(Some(date)) = date("replaced_by.date", &Some(replacement.date)) else {
                continue;
            };
            if !keys.contains(&replacement.key)
                && base.is_none_or(|base| base.get(&replacement.key).is_none())
            {
                error(
                    replacement_range,
                    format!(
                        "document `{key}` is replaced by unknown document `{}`",
                        replacement.key
                    ),
                    Some("add the replacing document to the register"),
                );
                continue;
            }
            replaced_by = Some(Replacement {
                key: replacement.key,
                date,
            });
        }
        let mut amends = Vec::new();
        for amended in raw_document.amends {
            if !keys.contains(amended.get_ref())
                && base.is_none_or(|base| base.get(amended.get_ref()).is_none())
            {
                error(
                    spanned_range(&amended),
                    format!(
                        "document `{key}` amends unknown document `{}`",
                        amended.get_ref()
                    ),
                    None,
                );
                continue;
            }
            amends.push(amended.into_inner());
        }
        let mut url = None;
        if let Some(raw_url) = raw_document.url {
            match host_of(raw_url.get_ref()) {
                None => {
                    error(
                        spanned_range(&raw_url),
                        format!("document `{key}`: `url` is not an http(s) address"),
                        None,
                    );
                    continue;
                }
                Some(host) if host_listed(&host, &register.unacceptable_hosts) => {
                    error(
                        spanned_range(&raw_url),
                        format!("document `{key}`: `{host}` is listed as an unacceptable source"),
                        Some("cite an official portal or a recognised legal database"),
                    );
                    continue;
                }
                Some(_) => url = Some(raw_url.into_inner()),
            }
        }
        loaded.push(Document {
            key: key.clone(),
            kind,
            number: raw_document.number,
            issuer: raw_document.issuer,
            signed,
            effective,
            replaced_by,
            amends,
            title: raw_document.title,
            url,
            verified,
            note: raw_document.note,
        });
    }
    for document in loaded {
        register
            .documents
            .insert(document.key.clone(), Arc::new(document));
    }
    register
}

/// Basis or context: a rule applies while one of its basis documents is in force; context
/// documents are cited but decide nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Basis,
    Context,
}

/// One document a rule cites, with where in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedDocument {
    pub document: Arc<Document>,
    pub article: Option<String>,
    pub clause: Option<String>,
    pub point: Option<String>,
    pub part: Option<Localized>,
    /// Narrow the period this document grounds the rule (a partly repealed article).
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub role: Role,
}

impl CitedDocument {
    /// `điểm a khoản 1 Điều 16` / `Article 16(1)(a)`, plus a non-article part.
    pub fn locator(&self, language: Language) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        if let Some(article) = &self.article {
            parts.push(match language {
                Language::Vi => {
                    let point = self
                        .point
                        .as_ref()
                        .map(|point| format!("điểm {point} "))
                        .unwrap_or_default();
                    let clause = self
                        .clause
                        .as_ref()
                        .map(|clause| format!("khoản {clause} "))
                        .unwrap_or_default();
                    format!("{point}{clause}Điều {article}")
                }
                Language::En => {
                    let clause = self
                        .clause
                        .as_ref()
                        .map(|clause| format!("({clause})"))
                        .unwrap_or_default();
                    let point = self
                        .point
                        .as_ref()
                        .map(|point| format!("({point})"))
                        .unwrap_or_default();
                    format!("Article {article}{clause}{point}")
                }
            });
        }
        if let Some(part) = &self.part {
            parts.push(part.get(language).to_owned());
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// The document in legal form, with its locator.
    pub fn render(&self, language: Language) -> String {
        let mut text = self.document.render(language);
        if let Some(locator) = self.locator(language) {
            text.push_str(", ");
            text.push_str(&locator);
        }
        text
    }

    /// In force on `date`, within the entry's own period.
    pub fn in_force(&self, date: Date) -> InForce {
        if let Some(from) = self.from
            && date < from
        {
            return InForce::NotYet(from);
        }
        if let Some(until) = self.until
            && date >= until
        {
            return InForce::NoLonger(until);
        }
        self.document.in_force(date)
    }
}

/// Whether a rule applies on a date, by its basis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applicability {
    Applies,
    /// No basis document is in force yet: the earliest one takes effect on this date.
    NotYet {
        document: Arc<Document>,
        from: Date,
    },
    /// Every basis document has ceased to be in force: the last one on this date.
    NoLonger {
        document: Arc<Document>,
        since: Date,
    },
}

impl Applicability {
    /// Why the rule does not apply on `date`, in both languages (`None` when it applies).
    pub fn reason(&self, date: Date) -> Option<Localized> {
        match self {
            Applicability::Applies => None,
            Applicability::NotYet { document, from } => Some(Localized {
                vi: format!(
                    "Căn cứ chưa có hiệu lực vào ngày {}: {} có hiệu lực từ ngày {}",
                    date_vi(date),
                    document.short(Language::Vi),
                    date_vi(*from)
                ),
                en: format!(
                    "Basis not yet in force on {}: {} takes effect on {}",
                    date_en(date),
                    document.short(Language::En),
                    date_en(*from)
                ),
            }),
            Applicability::NoLonger { document, since } => Some(Localized {
                vi: format!(
                    "Căn cứ không còn hiệu lực vào ngày {}: {} hết hiệu lực từ ngày {}",
                    date_vi(date),
                    document.short(Language::Vi),
                    date_vi(*since)
                ),
                en: format!(
                    "Basis no longer in force on {}: {} ceased to be in force on {}",
                    date_en(date),
                    document.short(Language::En),
                    date_en(*since)
                ),
            }),
        }
    }
}

/// A document a rule cites, and where in it.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCitedDocument {
    /// The document's key in the register (`nd-194-2025`).
    #[schemars(with = "String")]
    key: Spanned<String>,
    /// The article (Điều): `20`.
    article: Option<String>,
    /// The clause (Khoản): `2`.
    clause: Option<String>,
    /// The point (Điểm): `a`.
    point: Option<String>,
    /// A part that is not an article (a section, an appendix), in Vietnamese and English.
    part: Option<Localized>,
    /// The first day the citation holds, `YYYY-MM-DD` (default: the document's).
    #[schemars(with = "Option<kientruc_dsl::schema::DateText>")]
    from: Option<Spanned<String>>,
    /// The first day it no longer holds, `YYYY-MM-DD`.
    #[schemars(with = "Option<kientruc_dsl::schema::DateText>")]
    until: Option<Spanned<String>>,
    /// `basis` (the default): the rule applies while the document is in force; `context`: cited
    /// for background.
    #[schemars(with = "Option<CitationRole>")]
    role: Option<Spanned<String>>,
}

/// The role of a cited document.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[expect(
    dead_code,
    reason = "schema only: the loader reads the role as a string"
)]
enum CitationRole {
    /// The rule applies while the document is in force.
    Basis,
    /// Cited for background.
    Context,
}

/// Resolves a rule's cited documents against the register; problems become diagnostics and the
/// entry is dropped.
pub(crate) fn resolve_cited(
    file: FileId,
    rule: &str,
    raw: Vec<RawCitedDocument>,
    register: &Register,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<CitedDocument>> {
    let mut cited = Vec::with_capacity(raw.len());
    let mut ok = true;
    for entry in raw {
        let Some(document) = register.get(entry.key.get_ref()) else {
            let help = kientruc_dsl::resolve::suggest(
                entry.key.get_ref(),
                register.documents.keys().map(String::as_str),
            )
            .map_or_else(
                || "add the document to the register (documents.toml)".to_owned(),
                |close| format!("did you mean `{close}`?"),
            );
            diagnostics.push(pack_error(
                file,
                spanned_range(&entry.key),
                format!(
                    "rule `{rule}` cites `{}`, which is not in the register of documents",
                    entry.key.get_ref()
                ),
                Some(help),
            ));
            ok = false;
            continue;
        };
        let mut date = |value: &Option<Spanned<String>>| -> Option<Option<Date>> {
            let Some(value) = value else {
                return Some(None);
            };
            let parsed = Date::parse(value.get_ref());
            if parsed.is_none() {
                diagnostics.push(pack_error(
                    file,
                    spanned_range(value),
                    format!("rule `{rule}`: `{}` is not a date", value.get_ref()),
                    Some("write dates as YYYY-MM-DD".to_owned()),
                ));
            }
            parsed.map(Some)
        };
        let (Some(from), Some(until)) = (date(&entry.from), date(&entry.until)) else {
            ok = false;
            continue;
        };
        let entry_role = match entry
            .role
            .as_ref()
            .map(|written| written.get_ref().as_str())
        {
            None | Some("basis") => Role::Basis,
            Some("context") => Role::Context,
            Some(other) => {
                let range = entry
                    .role
                    .as_ref()
                    .map_or(TextRange::empty(0), spanned_range);
                diagnostics.push(pack_error(
                    file,
                    range,
                    format!("rule `{rule}`: unknown citation role `{other}`"),
                    Some("use `basis` or `context`".to_owned()),
                ));
                ok = false;
                continue;
            }
        };
        cited.push(CitedDocument {
            document: document.clone(),
            article: entry.article,
            clause: entry.clause,
            point: entry.point,
            part: entry.part,
            from,
            until,
            role: entry_role,
        });
    }
    ok.then_some(cited)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTER: &str = r#"
unacceptable_hosts = ["88tysobongda.com"]

[document.nd-47-2020]
kind = "Nghị định"
number = "47/2020/NĐ-CP"
issuer = { vi = "Chính phủ", en = "Government" }
signed = "2020-04-09"
effective = "2020-05-25"
replaced_by = { key = "nd-194-2025", date = "2025-07-03" }
title = { vi = "về quản lý, kết nối và chia sẻ dữ liệu số của cơ quan nhà nước", en = "on management, connection and sharing of digital data of state agencies" }
status = "verified"

[document.nd-194-2025]
kind = "Nghị định"
number = "194/2025/NĐ-CP"
issuer = { vi = "Chính phủ", en = "Government" }
signed = "2025-07-03"
effective = "2025-07-03"
title = { vi = "hướng dẫn", en = "guiding" }
url = "https://vanban.chinhphu.vn/x"
status = "verified"

[document.luat-gddt-2023]
kind = "Luật"
number = "20/2023/QH15"
issuer = { vi = "Quốc hội", en = "National Assembly" }
signed = "2023-06-22"
effective = "2024-07-01"
title = { vi = "Giao dịch điện tử", en = "Electronic Transactions" }
status = "verified"
"#;

    fn load(text: &str) -> (Register, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let register = load_register(FileId(0), text, None, &mut diagnostics);
        (register, diagnostics)
    }

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn documents_render_in_legal_form() {
        let (register, diagnostics) = load(REGISTER);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let decree = register.get("nd-47-2020").unwrap();
        assert_eq!(
            decree.render(Language::Vi),
            "Nghị định số 47/2020/NĐ-CP ngày 09/04/2020 của Chính phủ về quản lý, kết nối và chia sẻ dữ liệu số của cơ quan nhà nước"
        );
        assert_eq!(
            decree.render(Language::En),
            "Decree No. 47/2020/NĐ-CP of 9 April 2020 of the Government on management, connection and sharing of digital data of state agencies"
        );
        assert_eq!(
            register.get("luat-gddt-2023").unwrap().render(Language::Vi),
            "Luật Giao dịch điện tử số 20/2023/QH15 ngày 22/06/2023 của Quốc hội"
        );
        let cited = CitedDocument {
            document: decree.clone(),
            article: Some("16".into()),
            clause: Some("1".into()),
            point: Some("a".into()),
            part: None,
            from: None,
            until: None,
            role: Role::Basis,
        };
        assert_eq!(
            cited.locator(Language::Vi).unwrap(),
            "điểm a khoản 1 Điều 16"
        );
        assert_eq!(cited.locator(Language::En).unwrap(), "Article 16(1)(a)");
    }

    #[test]
    fn documents_are_in_force_between_their_dates() {
        let (register, _) = load(REGISTER);
        let old = register.get("nd-47-2020").unwrap();
        assert_eq!(
            old.in_force(date("2020-05-24")),
            InForce::NotYet(date("2020-05-25"))
        );
        assert_eq!(old.in_force(date("2024-12-31")), InForce::Yes);
        assert_eq!(
            old.in_force(date("2025-07-03")),
            InForce::NoLonger(date("2025-07-03"))
        );
        let new = register.get("nd-194-2025").unwrap();
        assert_eq!(
            new.in_force(date("2024-12-31")),
            InForce::NotYet(date("2025-07-03"))
        );
    }

    #[test]
    fn the_loader_rejects_bad_entries() {
        let bad = r#"
unacceptable_hosts = ["88tysobongda.com"]

[document.a]
kind = "Quyết định"
number = "1/QĐ-X"
issuer = { vi = "X", en = "X" }
signed = "2024-01-01"
title = { vi = "x", en = "x" }
status = "verified"

[document.b]
kind = "Sắc lệnh"
number = "1"
issuer = { vi = "X", en = "X" }
title = { vi = "x", en = "x" }
status = "inferred"

[document.c]
kind = "Công văn"
number = "1"
issuer = { vi = "X", en = "X" }
title = { vi = "x", en = "x" }
url = "https://m.88tysobongda.com/thoi-su/x"
status = "inferred"

[document.d]
kind = "Công văn"
number = "1"
issuer = { vi = "X", en = "X" }
title = { vi = "x", en = "x" }
replaced_by = { key = "zzz", date = "2024-01-01" }
status = "inferred"
"#;
        let (register, diagnostics) = load(bad);
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "document `a` is verified but has no `effective` date",
                "document `b`: unknown kind `Sắc lệnh`",
                "document `c`: `m.88tysobongda.com` is listed as an unacceptable source",
                "document `d` is replaced by unknown document `zzz`",
            ]
        );
        assert!(register.documents.is_empty());
    }
}
