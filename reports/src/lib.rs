//! kientruc-reports: every output of a checked model ([`kientruc_checker::Checked`]): the
//! terminal text, GitHub annotations and JSON of `kientruc check`, and the reports (an HTML
//! report, a Markdown summary, a versioned JSON document, SARIF 2.1.0 and `JUnit` XML).
//!
//! Pure, like the crates below it: callers pass the checked model and [`ReportOptions`] (language,
//! colour, optional timestamp, template overrides as text, what a baseline or `--diff` found) and
//! get strings back; no file, network or terminal IO happens here. Output is deterministic:
//! identical input gives byte-identical output (no hash-map iteration order, no wall-clock time
//! unless the caller passes one).
//!
//! One [`Format`], one module per format ([`human`], [`github`], [`check_json`], [`html`],
//! [`markdown`], [`json`], [`sarif`], [`junit`]), each taking the same [`Report`]: the checked
//! model and its [`Problem`]s, a problem being an input error (a KT code) or a rule's finding, so
//! every format sees every kind of problem (ruff's `message/` module over its `Message`). What
//! the HTML, Markdown and JSON reports share is computed once in [`view`]; the scorecard is in
//! [`score`]; diagrams are laid out in [`diagram`]; fixed texts live in [`i18n`] (Vietnamese and
//! English); HTML and Markdown come from tera templates embedded in the binary and overridable
//! ([`templates`]).

pub mod changes;
pub mod check_json;
pub mod concise;
pub mod diagram;
pub mod escape;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod i18n;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod markup;
pub mod outcome;
pub mod problem;
pub mod sarif;
pub mod score;
pub mod templates;
pub mod view;
pub mod views;

pub use kientruc_dsl::metamodel::Language;
pub use outcome::{BaselineOutcome, DiffOutcome, ResolvedFinding};
pub use problem::{Location, Problem, Status};
pub use score::{ModelScore, scorecard};
pub use templates::Templates;

use kientruc_checker::Checked;

/// The version of the JSON report's schema (`reports/schema/report.schema.json`). Bump it on
/// any incompatible change of the JSON report.
pub const SCHEMA_VERSION: u32 = 3;

/// Every output format. `kientruc check --format` offers all but the HTML and JSON reports;
/// `kientruc report` writes [`Format::REPORTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// The terminal text: excerpts of the source for every open problem, the summary table.
    Human,
    /// GitHub Actions workflow commands, one annotation per open problem.
    Github,
    /// The JSON of `kientruc check --format json` (summary, scorecard, findings, diagnostics).
    CheckJson,
    /// The HTML report.
    Html,
    /// The Markdown summary.
    Markdown,
    /// The JSON report (`report.json`, `schema/report.schema.json`).
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// `JUnit` XML.
    Junit,
    /// One line per open problem (`FILE:LINE:COLUMN: SEVERITY[CODE] MESSAGE`).
    Concise,
    /// GitLab Code Quality JSON, one issue per open problem.
    Gitlab,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Human,
        Format::Github,
        Format::CheckJson,
        Format::Html,
        Format::Markdown,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Concise,
        Format::Gitlab,
    ];

    /// The reports `kientruc report` writes, in order.
    pub const REPORTS: [Format; 5] = [
        Format::Html,
        Format::Markdown,
        Format::Json,
        Format::Sarif,
        Format::Junit,
    ];

    /// The file `kientruc report --out DIR` writes (the reports only).
    pub fn file_name(self) -> Option<&'static str> {
        match self {
            Format::Human
            | Format::Github
            | Format::CheckJson
            | Format::Concise
            | Format::Gitlab => None,
            Format::Html => Some("report.html"),
            Format::Markdown => Some("report.md"),
            Format::Json => Some("report.json"),
            Format::Sarif => Some("report.sarif"),
            Format::Junit => Some("report.junit.xml"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Github => "github",
            Format::CheckJson => "check-json",
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Concise => "concise",
            Format::Gitlab => "gitlab",
        }
    }
}

/// Options shared by every format.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Language of fixed texts and messages (Vietnamese by default).
    pub language: Language,
    /// More languages for the HTML report, after `language`, each behind the page's language
    /// switch (`report --lang vi,en`). The other formats are written in `language`.
    pub also: Vec<Language>,
    /// When the report was made (`2025-01-31T08:00:00Z`); `None` leaves every time out, so the
    /// same model gives the same bytes.
    pub timestamp: Option<String>,
    /// The tool's version, shown in the reports and in SARIF's driver.
    pub tool_version: String,
    /// Whether a baseline was applied (findings are then "new" or "remaining").
    pub baseline: bool,
    /// Template overrides (HTML and Markdown).
    pub templates: Templates,
    /// ANSI colours in the human format. The caller decides (a terminal, `--color`): this crate
    /// never looks at one.
    pub color: bool,
    /// The human format shows the open problems only: no waived list, no baseline or `--diff`
    /// outcome, no summary table (`kientruc -q`).
    pub quiet: bool,
    /// What `--baseline FILE` found (human and check-JSON formats).
    pub baseline_outcome: Option<BaselineOutcome>,
    /// What `--diff REV` found (human and check-JSON formats).
    pub diff_outcome: Option<DiffOutcome>,
    /// What changed since a git revision (`report --since REV`): the reports' change section.
    pub changes: Option<changes::Changes>,
    /// The HTML report draws a view of more elements than this as its summary, one box per
    /// group ([`diagram::MAX_BOXES`] by default).
    pub diagram_max_boxes: usize,
    /// In a model of more elements than this, the HTML report lists the elements without findings
    /// once, in the first language, and the templates' `elements` holds only those with findings
    /// ([`view::INDEX_SHARED_ABOVE`] by default).
    pub index_shared_above: usize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            language: Language::Vi,
            also: Vec::new(),
            timestamp: None,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            baseline: false,
            templates: Templates::default(),
            color: false,
            quiet: false,
            baseline_outcome: None,
            diff_outcome: None,
            changes: None,
            diagram_max_boxes: diagram::MAX_BOXES,
            index_shared_above: view::INDEX_SHARED_ABOVE,
        }
    }
}

impl ReportOptions {
    /// The HTML report's languages: `language`, then `also` without repeats.
    pub fn languages(&self) -> Vec<Language> {
        let mut languages = vec![self.language];
        for language in &self.also {
            if !languages.contains(language) {
                languages.push(*language);
            }
        }
        languages
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
    /// The writer [`render_to`] writes to failed.
    #[error("cannot write the report: {0}")]
    Write(#[from] std::io::Error),
}

/// The report views ([`view::build`]) of a report's languages, each built on first use and then
/// shared by the formats that show it (HTML, Markdown, JSON): a large model's view is built once
/// per language, not once per format. Valid for one checked model and one set of options (the
/// language aside).
#[derive(Default)]
pub struct Views {
    built: Vec<(Language, view::ReportView)>,
}

impl Views {
    /// The view of `report` in its language.
    pub fn get(&mut self, report: &Report<'_>) -> &mut view::ReportView {
        let language = report.language();
        let position =
            if let Some(position) = self.built.iter().position(|(built, _)| *built == language) {
                position
            } else {
                self.built.push((language, view::build(report)));
                self.built.len() - 1
            };
        &mut self.built[position].1
    }

    /// Builds the views of `languages` that are not built yet, in parallel.
    pub fn build_all(
        &mut self,
        checked: &Checked,
        options: &ReportOptions,
        languages: &[Language],
    ) {
        use rayon::prelude::*;
        let missing: Vec<Language> = languages
            .iter()
            .copied()
            .filter(|language| !self.built.iter().any(|(built, _)| built == language))
            .collect();
        let built: Vec<(Language, view::ReportView)> = missing
            .into_par_iter()
            .map(|language| {
                let options = ReportOptions {
                    language,
                    ..options.clone()
                };
                (language, view::build(&Report::new(checked, &options)))
            })
            .collect();
        self.built.extend(built);
    }

    /// Every view built, with its language.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Language, &mut view::ReportView)> {
        self.built
            .iter_mut()
            .map(|(language, view)| (&*language, view))
    }
}

/// What every emitter takes: the checked model, its problems in output order (the input's
/// diagnostics, then the findings) and the options.
pub struct Report<'a> {
    pub checked: &'a Checked,
    pub problems: Vec<Problem<'a>>,
    pub options: &'a ReportOptions,
}

impl<'a> Report<'a> {
    pub fn new(checked: &'a Checked, options: &'a ReportOptions) -> Self {
        Report {
            checked,
            problems: problem::problems(checked),
            options,
        }
    }

    pub fn language(&self) -> Language {
        self.options.language
    }

    pub fn files(&self) -> &'a kientruc_dsl::workspace::Files {
        &self.checked.analysis.workspace.files
    }

    /// The input errors and warnings (KT codes), in order.
    pub fn inputs(&self) -> impl Iterator<Item = &'a kientruc_dsl::Diagnostic> + '_ {
        self.problems
            .iter()
            .filter_map(|problem| problem.diagnostic())
    }
}

/// Renders one format.
pub fn render(
    format: Format,
    checked: &Checked,
    options: &ReportOptions,
) -> Result<String, ReportError> {
    render_with(format, checked, options, &mut Views::default())
}

/// Writes one format to `out` (the JSON report is serialised as it is written), with the views
/// of `views` (built there when missing).
pub fn render_to(
    format: Format,
    checked: &Checked,
    options: &ReportOptions,
    views: &mut Views,
    out: &mut dyn std::io::Write,
) -> Result<(), ReportError> {
    if format == Format::Json {
        let report = Report::new(checked, options);
        return json::write(&report, views, out);
    }
    if format == Format::Html {
        let report = Report::new(checked, options);
        return html::write(&report, views, out);
    }
    let text = render_with(format, checked, options, views)?;
    out.write_all(text.as_bytes())?;
    Ok(())
}

fn render_with(
    format: Format,
    checked: &Checked,
    options: &ReportOptions,
    views: &mut Views,
) -> Result<String, ReportError> {
    let report = Report::new(checked, options);
    match format {
        Format::Human => Ok(human::render(&report)),
        Format::Github => Ok(github::render(&report)),
        Format::CheckJson => check_json::render(&report),
        Format::Html => html::render(&report, views),
        Format::Markdown => markdown::render(&report, views),
        Format::Json => json::render(&report, views),
        Format::Sarif => sarif::render(&report),
        Format::Junit => Ok(junit::render(&report)),
        Format::Concise => Ok(concise::render(&report)),
        Format::Gitlab => gitlab::render(&report),
    }
}
