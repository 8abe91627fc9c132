//! Command-line arguments (clap derive).
//!
//! The doc comments on arguments are the help texts clap prints, and clap prints Markdown
//! literally, so they hold no backticks (the CLI test
//! `cli_habits::help_texts_hold_no_backticks` checks it); hence `doc_markdown` is allowed here.
#![allow(clippy::doc_markdown)]

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "kientruc",
    version = env!("KIENTRUC_VERSION"),
    about = "Enterprise-architecture modeling and compliance for Vietnam's e-Government Architecture Framework"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log level for diagnostics about the tool itself (written to stderr).
    #[arg(
        long,
        global = true,
        default_value = "warn",
        value_name = "LEVEL",
        value_parser = ["error", "warn", "info", "debug", "trace", "off"]
    )]
    pub log: String,
    /// Colour in terminal output (auto, the default: when stdout is a terminal, never when
    /// NO_COLOR is set, always when CLICOLOR_FORCE is set and not 0).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only the problems (and errors): no summary, no lists of files written or
    /// formatted; logs at error level.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Log more about the tool itself on stderr: -v info, -vv debug, -vvv trace (raises --log).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Read the configuration from this file instead of the workspace's kientruc.toml (check,
    /// report, baseline, diff, export, serve); its relative paths (overlay, baseline) count from
    /// its folder.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse, resolve and check .ea files or folders.
    Check(CheckArgs),
    /// Format .ea files canonically (in place, or --check to list files that would change).
    Fmt(FmtArgs),
    /// List the rules of a framework pack (the catalogue, with all metadata).
    Rules(RulesArgs),
    /// Explain one rule: title, rationale, citation, fix, and its passing and failing fixtures.
    Explain(ExplainArgs),
    /// Write a starter provincial workspace that resolves cleanly and shows what the rules expect.
    Init(InitArgs),
    /// Record the current findings as accepted, so that check --baseline fails only on new ones.
    Baseline(BaselineArgs),
    /// Write the compliance reports (HTML, Markdown, JSON, SARIF, JUnit) into a folder.
    Report(ReportArgs),
    /// What changed since a git revision: elements added, removed and changed, findings new,
    /// fixed and still open, the score before and after.
    Diff(DiffArgs),
    /// Export a workspace for other tools: an ArchiMate exchange file, a spreadsheet inventory,
    /// or the source of a diagram.
    Export(ExportArgs),
    /// Import an ArchiMate exchange file or a spreadsheet inventory as formatted .ea files.
    Import(ImportArgs),
    /// Generate a large, realistic workspace for benchmarks (deterministic for N and seed); a
    /// tool for developers, hidden from --help.
    #[command(hide = true)]
    Gen(GenArgs),
    /// Run the language server over stdin and stdout (for editors).
    Lsp(LspArgs),
    /// Move a workspace to the framework pack that replaces its own (renames from the new pack's
    /// migration.toml, comments kept), and list what the architect must now supply.
    Migrate(MigrateArgs),
    /// Serve the workspace's views as a local web page that follows the files as they change
    /// (http://127.0.0.1:4870/ by default).
    Serve(ServeArgs),
    /// Print a shell completion script, e.g. kientruc completions bash >
    /// ~/.local/share/bash-completion/completions/kientruc.
    Completions(CompletionsArgs),
    /// Write the manual pages (roff): kientruc.1 on stdout, or one page per command into --out.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Files or folders of the workspace (folders: every *.ea below). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// The framework pack to move to (e.g. vn-egov-4.0): it must replace the workspace's own.
    #[arg(long, value_name = "FRAMEWORK")]
    pub to: String,
    /// Write the migrated workspace (a copy of its whole folder) into this new folder.
    #[arg(long, value_name = "DIR", conflicts_with = "in_place")]
    pub out: Option<PathBuf>,
    /// Rewrite the workspace's files where they are.
    #[arg(long)]
    pub in_place: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Files or folders to serve (folders: every *.ea below). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// The port to listen on; 0 takes any free port (the address is printed on stderr).
    #[arg(long, default_value_t = 4870)]
    pub port: u16,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Listen on this address instead of 127.0.0.1 (e.g. a LAN address): the page is then
    /// readable by anyone who can reach it. Requests must name this address in their Host.
    #[arg(long, value_name = "ADDR")]
    pub host: Option<String>,
    /// The page's first language (default: vi, or the configuration's language); the page can
    /// switch.
    #[arg(long, value_enum)]
    pub lang: Option<LanguageArg>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A folder to write kientruc.1 and a page per command (kientruc-check.1, …) into (created
    /// if missing), e.g. /usr/local/share/man/man1. Without it, kientruc.1 goes to stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Files or folders to check (folders: every *.ea below). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// What to write.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The file (or, for csv, the folder) to write; "-" for standard output where the format
    /// is text.
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    /// The view a diagram source shows: overview, integration, or an element's id (its
    /// neighbourhood). Default: overview.
    #[arg(long)]
    pub view: Option<String>,
    /// Language of names and labels where the format holds one language (default: vi, or the
    /// configuration's language).
    #[arg(long, value_enum)]
    pub lang: Option<LanguageArg>,
    /// Today's date, for waiver expiry (default: the date now in Vietnam).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Judge the model as of this date instead of its header's as_of.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// An ArchiMate Model Exchange File (Archi, Sparx EA, BiZZdesign): -o FILE.xml.
    Archimate,
    /// A spreadsheet inventory: elements.csv and relations.csv in the folder -o names.
    Csv,
    /// A spreadsheet inventory: one XLSX workbook with the sheets elements and relations.
    Xlsx,
    /// A diagram source in Mermaid (GitHub and GitLab Markdown draw it): --view.
    Mermaid,
    /// A diagram source in D2: --view.
    D2,
    /// A diagram source in Graphviz DOT: --view.
    Dot,
    /// A diagram source in PlantUML: --view.
    Plantuml,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The kind of file to import.
    #[arg(value_enum)]
    pub kind: ImportKind,
    /// The files to import.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The folder to write the .ea files into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// How columns map to properties (spreadsheets): a TOML file; default: the documented
    /// mapping of a typical provincial inventory.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Write what could be imported even when some rows or elements have errors.
    #[arg(long)]
    pub keep_going: bool,
    /// Overwrite .ea files already in --out.
    #[arg(long)]
    pub force: bool,
    /// The framework pack the imported model uses.
    #[arg(long, default_value = "vn-egov-3.0")]
    pub framework: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportKind {
    /// An ArchiMate Model Exchange File (Archi's "Export → Model to Open Exchange File").
    Archimate,
    /// Spreadsheet inventories saved as CSV (UTF-8), one table per file.
    Csv,
    /// Spreadsheet inventories as XLSX workbooks, every sheet read.
    Xlsx,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// Accepted for clients that pass it; stdio is the only transport.
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Debug, Args)]
pub struct GenArgs {
    /// About how many elements to generate.
    #[arg(long)]
    pub elements: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The folder to write (created; must not hold .ea files).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Files or folders to check (folders: every *.ea below). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// The folder to write the reports into (created if missing; other files are left alone).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Formats to write (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub format: Vec<ReportFormat>,
    /// Languages of the reports, the first one main: the HTML page holds every one behind a
    /// language switch, the Markdown is written once per language (report.md, then
    /// report.en.md), the JSON, SARIF and JUnit reports and the printed summary use the
    /// first (default: vi,en, or the configuration's language first).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub lang: Vec<LanguageArg>,
    /// A folder of templates overriding the built-in ones (report.html.tera, style.css.tera,
    /// report.md.tera); a template missing from it falls back to the built-in one.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Record when the report was made (SOURCE_DATE_EPOCH when set, else now). Without it the
    /// reports hold no time unless SOURCE_DATE_EPOCH is set, so they are reproducible.
    #[arg(long)]
    pub timestamp: bool,
    /// Today's date, for waiver expiry (default: the date now in Vietnam, UTC+7, or in the
    /// configuration's utc-offset).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Judge the model as of this date ("what if"), instead of its header's as_of: which
    /// rules apply depends on the documents in force then.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Run only these rules (ids, id prefixes or reference models).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Mark the findings recorded in this baseline file as accepted (new vs remaining).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Add a section on what changed since this git revision (e.g. the last approved version's
    /// tag, origin/main, HEAD~1).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The git revision to compare with (a tag, a branch, a commit, HEAD~1).
    #[arg(value_name = "REV")]
    pub revision: String,
    /// Files or folders to check (folders: every *.ea below). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Language of the texts (default: vi, or the configuration's language).
    #[arg(long, value_enum)]
    pub lang: Option<LanguageArg>,
    /// Today's date, for waiver expiry (default: the date now in Vietnam, UTC+7, or in the
    /// configuration's utc-offset).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Judge both revisions as of this date instead of their headers' as_of.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Run only these rules (ids, id prefixes or reference models), at both revisions.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules, at both revisions.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    /// The changes as one JSON object (docs/cli.md describes it).
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    #[value(alias = "markdown")]
    Md,
    Json,
    Sarif,
    Junit,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Files or folders to check. Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Where to write the baseline (default: .kientruc-baseline.json in the workspace root).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// A reason recorded with every entry (for reviewers).
    #[arg(long)]
    pub reason: Option<String>,
    /// Today's date, for waiver expiry (default: the date now in Vietnam).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Judge the model as of this date instead of its header's as_of.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (or an empty one).
    pub directory: PathBuf,
    #[arg(long, default_value = "vn-egov-3.0")]
    pub framework: String,
    /// The architecture id (default: from the folder name).
    #[arg(long)]
    pub id: Option<String>,
    /// The architecture's display name.
    #[arg(long)]
    pub name: Option<String>,
    /// The level of the architecture (the header's scope): province or ministry.
    #[arg(long, default_value = crate::commands::init::DEFAULT_SCOPE)]
    pub scope: String,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// The framework pack (default: the one embedded, vn-egov-3.0).
    #[arg(long, default_value = "vn-egov-3.0")]
    pub framework: String,
    #[arg(long, value_enum, default_value_t = CatalogueFormat::Human)]
    pub format: CatalogueFormat,
    /// Language of titles.
    #[arg(long, value_enum)]
    pub lang: Option<LanguageArg>,
    /// Read the rule texts at one level of architecture (ministry, province); default: texts
    /// that fit every level.
    #[arg(long)]
    pub level: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. ARM-001.
    pub rule: String,
    /// The framework pack (default: the one embedded, vn-egov-3.0).
    #[arg(long, default_value = "vn-egov-3.0")]
    pub framework: String,
    /// Language of the explanation.
    #[arg(long, value_enum)]
    pub lang: Option<LanguageArg>,
    /// Read the rule at one level of architecture (ministry, province).
    #[arg(long)]
    pub level: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogueFormat {
    Human,
    Json,
    /// The catalogue page committed as docs/rules/<framework>.md.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LanguageArg {
    Vi,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (folders: every *.ea below). Default: the current folder. "-"
    /// checks standard input as the file --stdin-filename names, with the rest of its workspace
    /// read from disk, and reports that file's problems only (what an editor shows).
    pub paths: Vec<PathBuf>,
    /// The path of the file standard input ("-") holds: its workspace, its name in messages.
    /// Default: a file of its own in the current folder.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Exit 1 when unwaived findings at or above this severity remain (default: error, or the
    /// configuration's fail-on).
    #[arg(long, value_enum)]
    pub fail_on: Option<SeverityArg>,
    /// Language of messages (default: vi, or the configuration's language).
    #[arg(long, value_enum)]
    pub lang: Option<LanguageArg>,
    /// Today's date, for waiver expiry (default: the date now in Vietnam, UTC+7, or in the
    /// configuration's utc-offset).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Judge the model as of this date ("what if"), instead of its header's as_of: which
    /// rules apply depends on the documents in force then.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Run only these rules (ids, id prefixes such as SEC, or reference models such as SRM);
    /// replaces the configuration's select.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules; replaces the configuration's ignore.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Accept the findings recorded in this baseline file: only new findings fail.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Remove fixed entries from the baseline file (--baseline, or the configuration's
    /// baseline); it only ever shrinks.
    #[arg(long)]
    pub update_baseline: bool,
    /// Compare with the workspace at this git revision (e.g. origin/main, HEAD~1): only findings
    /// introduced since then fail.
    #[arg(long, value_name = "REV")]
    pub diff: Option<String>,
    /// Never exit 1 because of findings (invalid input still exits 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print wall time per stage, elements per second and peak memory to stderr.
    #[arg(long)]
    pub timings: bool,
    /// Also write FORMAT to PATH (atomically); repeatable, e.g. --output sarif=kientruc.sarif
    /// --output junit=kientruc.junit.xml.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = crate::commands::check::parse_output)]
    pub outputs: Vec<(OutputFormat, PathBuf)>,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Files or folders to format. Default: the current folder. "-" formats standard input to
    /// standard output.
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change and exit 1 if any would.
    #[arg(long)]
    pub check: bool,
    /// Write nothing; print what would change as a unified diff and exit 1 if anything would.
    #[arg(long, conflicts_with = "check")]
    pub diff: bool,
    /// The name of the file standard input ("-") holds, for messages and the diff's header.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    /// GitHub Actions workflow commands (::error file=…,line=…::message).
    Github,
    /// The Markdown summary of the reports (scorecard and findings).
    Markdown,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML (one suite per reference model, one case per rule).
    Junit,
    /// One line per open problem, FILE:LINE:COLUMN: SEVERITY[CODE] MESSAGE (for editors'
    /// quickfix lists and grep).
    Concise,
    /// GitLab Code Quality JSON (artifacts:reports:codequality).
    Gitlab,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
