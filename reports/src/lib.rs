//! kientruc-reports: renders a checked model ([`kientruc_checker::Checked`]) as an HTML report,
//! a Markdown summary, a versioned JSON document, SARIF 2.1.0 and `JUnit` XML.
//!
//! Pure, like the crates below it: callers pass the checked model and [`ReportOptions`] (language,
//! optional timestamp, template overrides as text) and get strings back; no file, network or
//! terminal IO happens here. Output is deterministic: identical input gives byte-identical
//! reports (no hash-map iteration order, no wall-clock time unless the caller passes one).
//!
//! One module per format ([`html`], [`markdown`], [`json`], [`sarif`], [`junit`]); the data they
//! share is computed once in [`view`]; diagrams are laid out in [`diagram`]; fixed texts live in
//! [`i18n`] (Vietnamese and English); HTML and Markdown come from tera templates embedded in the
//! binary and overridable ([`templates`]).

pub mod diagram;
pub mod escape;
pub mod html;
pub mod i18n;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod score;
pub mod templates;
pub mod view;

pub use kientruc_dsl::metamodel::Language;
pub use score::{ModelScore, scorecard};
pub use templates::Templates;

use kientruc_checker::Checked;

/// The version of the JSON report's schema (`reports/schema/report.schema.json`). Bump it on
/// any incompatible change of the JSON report.
pub const SCHEMA_VERSION: u32 = 1;

/// Where rule documentation is published: `docs/rules/<framework>.md#<rule-id>` is appended.
pub const DEFAULT_DOCUMENTATION_BASE: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/");

/// The report formats, in the order `kientruc report` writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Html,
    Markdown,
    Json,
    Sarif,
    Junit,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Html,
        Format::Markdown,
        Format::Json,
        Format::Sarif,
        Format::Junit,
    ];

    /// The file `kientruc report --out DIR` writes.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Html => "report.html",
            Format::Markdown => "report.md",
            Format::Json => "report.json",
            Format::Sarif => "report.sarif",
            Format::Junit => "report.junit.xml",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
        }
    }
}

/// Options shared by every format.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Language of fixed texts and messages (Vietnamese by default).
    pub language: Language,
    /// When the report was made (`2025-01-31T08:00:00Z`); `None` leaves every time out, so the
    /// same model gives the same bytes.
    pub timestamp: Option<String>,
    /// The tool's version, shown in the reports and in SARIF's driver.
    pub tool_version: String,
    /// Absolute URL that rule documentation paths are appended to.
    pub documentation_base: String,
    /// Whether a baseline was applied (findings are then "new" or "remaining").
    pub baseline: bool,
    /// Template overrides (HTML and Markdown).
    pub templates: Templates,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            language: Language::Vi,
            timestamp: None,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            documentation_base: DEFAULT_DOCUMENTATION_BASE.to_owned(),
            baseline: false,
            templates: Templates::default(),
        }
    }
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A template does not parse or fails to render (an override, or a bug in a built-in one).
    #[error("template `{template}`{}: {message}", line.map(|line| format!(", line {line}")).unwrap_or_default())]
    Template {
        template: String,
        line: Option<usize>,
        message: String,
    },
    #[error("cannot serialise the {format} report: {source}")]
    Serialize {
        format: &'static str,
        source: serde_json::Error,
    },
}

/// Renders one format.
pub fn render(
    format: Format,
    checked: &Checked,
    options: &ReportOptions,
) -> Result<String, ReportError> {
    match format {
        Format::Html => html::render(checked, options),
        Format::Markdown => markdown::render(checked, options),
        Format::Json => json::render(checked, options),
        Format::Sarif => sarif::render(checked, options),
        Format::Junit => Ok(junit::render(checked, options)),
    }
}
