//! `kientruc check`: parse, resolve and check a workspace against its framework's rules; print
//! diagnostics and findings, and exit by the documented codes.

use crate::args::{CheckArgs, LanguageArg, OutputFormat, SeverityArg};
use crate::exit::ExitStatus;
use crate::host::{self, DiskProvider};
use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::Severity;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::workspace::SourceProvider;
use kientruc_host::Discovery;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

pub fn language(argument: Option<LanguageArg>, checked: &Checked) -> Language {
    match argument {
        Some(LanguageArg::Vi) => Language::Vi,
        Some(LanguageArg::En) => Language::En,
        None => checked.config.language.unwrap_or_default(),
    }
}

/// Today's date, or `--today`.
pub fn today(argument: Option<&str>) -> Result<kientruc_dsl::syntax::Date, String> {
    match argument {
        Some(text) => kientruc_dsl::syntax::Date::parse(text)
            .ok_or_else(|| format!("--today: `{text}` is not a date (YYYY-MM-DD)")),
        None => Ok(kientruc_host::clock::today()),
    }
}

/// `--today` and `--as-of` as given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dates<'a> {
    pub today: Option<&'a str>,
    pub as_of: Option<&'a str>,
}

/// Runs the shared pipeline on the paths; `Err` carries a message for exit code 2.
pub fn run_pipeline(
    paths: &[std::path::PathBuf],
    today_argument: Dates<'_>,
    select: &[String],
    ignore: &[String],
) -> Result<Checked, String> {
    run_pipeline_from(
        &host::current_folder(),
        paths,
        today_argument,
        select,
        ignore,
    )
}

/// [`run_pipeline`] as if run from `working_folder` (see `host::discover_from`).
pub fn run_pipeline_from(
    working_folder: &std::path::Path,
    paths: &[std::path::PathBuf],
    dates: Dates<'_>,
    select: &[String],
    ignore: &[String],
) -> Result<Checked, String> {
    let discovered = host::discover_from(working_folder, paths).map_err(|error| error.0)?;
    let provider = DiskProvider::new(&discovered.root);
    check_workspace(&discovered, &provider, dates, select, ignore)
}

/// Checks the files of `workspace`, read through `provider`, with `--config` when given.
fn check_workspace(
    workspace: &host::Workspace,
    provider: &dyn SourceProvider,
    dates: Dates<'_>,
    select: &[String],
    ignore: &[String],
) -> Result<Checked, String> {
    let today = today(dates.today)?;
    let as_of = dates
        .as_of
        .map(|text| {
            kientruc_dsl::syntax::Date::parse(text)
                .ok_or_else(|| format!("--as-of: `{text}` is not a date (YYYY-MM-DD)"))
        })
        .transpose()?;
    let registry = host::registry(&workspace.root);
    let options = CheckOptions {
        today,
        config: configuration()?,
        select: select.to_vec(),
        ignore: ignore.to_vec(),
        pack_cache: None,
        as_of,
        // Without `--today`, today is the clock's date in the configured zone (Vietnam).
        now: dates
            .today
            .is_none()
            .then(kientruc_host::clock::now_unix_seconds),
        overlay_files: Vec::new(),
        // The command line reads the model from here on, not the syntax trees.
        drop_syntax: true,
        rule_cache: None,
    };
    Ok(analyze_and_check(
        &workspace.root,
        &workspace.files,
        provider,
        &registry,
        options,
    ))
}

/// The configuration `--config FILE` names, as the checker takes it (display name, path,
/// text); `None` without the flag (the checker then reads the workspace's kientruc.toml).
pub fn configuration() -> Result<Option<(String, PathBuf, Arc<str>)>, String> {
    let Some(path) = crate::output::config() else {
        return Ok(None);
    };
    let name = host::display_path(path, &host::current_folder());
    let bytes = kientruc_host::read_bounded(path)
        .map_err(|error| format!("--config: cannot read {name}: {error}"))?;
    if bytes.len() > kientruc_dsl::workspace::MAX_FILE_SIZE {
        return Err(format!(
            "--config: {name} is larger than a configuration can be"
        ));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| format!("--config: {name} is not UTF-8 text"))?;
    Ok(Some((name, path.to_path_buf(), Arc::from(text))))
}

/// Standard input's text, as one file of a workspace: what `check -` reads.
struct StdinProvider {
    disk: DiskProvider,
    path: PathBuf,
    bytes: Vec<u8>,
}

impl SourceProvider for StdinProvider {
    fn read(&self, path: &std::path::Path) -> std::io::Result<Vec<u8>> {
        if path == self.path {
            Ok(self.bytes.clone())
        } else {
            self.disk.read(path)
        }
    }

    fn display_name(&self, path: &std::path::Path) -> String {
        self.disk.display_name(path)
    }
}

/// Standard input, bounded like a file: one byte more than the largest file the language
/// accepts is read, so a huge input is reported by its size.
pub fn read_stdin() -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let limit = kientruc_dsl::workspace::MAX_FILE_SIZE as u64 + 1;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `check -`: standard input checked as the file `--stdin-filename` names (default:
/// `stdin.ea` in the current folder, a workspace of its own), with the rest of its workspace
/// read from disk as an editor would; only that file's problems are kept.
fn run_stdin(args: &CheckArgs) -> Result<Checked, String> {
    let bytes = read_stdin().map_err(|error| format!("cannot read standard input: {error}"))?;
    let current = host::current_folder();
    let path = host::absolute(
        args.stdin_filename
            .as_deref()
            .unwrap_or_else(|| std::path::Path::new("stdin.ea")),
    );
    let workspace = if args.stdin_filename.is_some() {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let open: HashMap<PathBuf, String> = HashMap::from([(path.clone(), text)]);
        let discovery = Discovery::editor(std::slice::from_ref(&current), &open);
        let root = discovery.root_of(&path);
        let named = if root == path { path.clone() } else { root };
        let mut workspace = discovery
            .discover(std::slice::from_ref(&named))
            .map_err(|error| error.0)?;
        if !workspace.files.contains(&path) {
            workspace.files.push(path.clone());
            workspace.files.sort();
        }
        workspace
    } else {
        host::Workspace {
            root: current,
            files: vec![path.clone()],
        }
    };
    let provider = StdinProvider {
        disk: DiskProvider::new(&workspace.root),
        path: path.clone(),
        bytes,
    };
    let mut checked = check_workspace(
        &workspace,
        &provider,
        Dates {
            today: args.today.as_deref(),
            as_of: args.as_of.as_deref(),
        },
        &args.select,
        &args.ignore,
    )?;
    if let Some(file) = checked.analysis.workspace.files.find(&path) {
        checked.analysis.diagnostics.retain(|diagnostic| {
            diagnostic
                .primary
                .as_ref()
                .is_none_or(|label| label.span.file == file)
        });
        checked.findings.retain(|finding| finding.span.file == file);
    }
    Ok(checked)
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitStatus> {
    let total_started = std::time::Instant::now();
    let from_stdin = args.paths.iter().any(|path| path.as_os_str() == "-");
    if from_stdin && args.paths.len() > 1 {
        eprintln!("error: `-` (standard input) cannot be checked with other paths");
        return Ok(ExitStatus::InvalidInput);
    }
    if from_stdin && args.diff.is_some() {
        eprintln!("error: --diff compares a workspace on disk; it cannot check standard input");
        return Ok(ExitStatus::InvalidInput);
    }
    if args.stdin_filename.is_some() && !from_stdin {
        eprintln!("error: --stdin-filename names standard input; check it with `kientruc check -`");
        return Ok(ExitStatus::InvalidInput);
    }
    let pipeline = if from_stdin {
        run_stdin(args)
    } else {
        run_pipeline(
            &args.paths,
            Dates {
                today: args.today.as_deref(),
                as_of: args.as_of.as_deref(),
            },
            &args.select,
            &args.ignore,
        )
    };
    let mut checked = match pipeline {
        Ok(checked) => checked,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let baseline_file = match crate::commands::baseline::resolve(args.baseline.as_deref(), &checked)
    {
        Ok(file) => file,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    if args.update_baseline && baseline_file.is_none() {
        eprintln!(
            "error: --update-baseline needs a baseline: give --baseline FILE, or name it with \
             baseline = \"PATH\" in kientruc.toml"
        );
        return Ok(ExitStatus::InvalidInput);
    }
    let baseline_outcome = match &baseline_file {
        Some(file) => {
            match crate::commands::baseline::apply(file, &mut checked, args.update_baseline) {
                Ok(outcome) => Some(outcome),
                Err(message) => {
                    eprintln!("error: {message}");
                    return Ok(ExitStatus::InvalidInput);
                }
            }
        }
        None => None,
    };
    let diff_outcome = match &args.diff {
        Some(revision) => {
            match crate::commands::diff::apply(
                revision,
                &args.paths,
                &mut checked,
                Dates {
                    today: args.today.as_deref(),
                    as_of: args.as_of.as_deref(),
                },
                &args.select,
                &args.ignore,
            ) {
                Ok(outcome) => Some(outcome),
                Err(message) => {
                    eprintln!("error: {message}");
                    return Ok(ExitStatus::InvalidInput);
                }
            }
        }
        None => None,
    };
    let language = language(args.lang, &checked);
    let threshold = match args.fail_on {
        Some(SeverityArg::Error) => Severity::Error,
        Some(SeverityArg::Warning) => Severity::Warning,
        Some(SeverityArg::Info) => Severity::Info,
        None => checked.config.fail_on.unwrap_or(Severity::Error),
    };
    let render_started = std::time::Instant::now();
    let baseline_used = baseline_outcome.is_some() || diff_outcome.is_some();
    let mut stdout = std::io::stdout().lock();
    let color = crate::output::color();
    let outcomes = Outcomes {
        baseline: baseline_outcome.as_ref(),
        diff: diff_outcome.as_ref(),
        baseline_used,
    };
    stdout.write_all(
        render_format(
            args.format,
            &checked,
            language,
            Terminal {
                color,
                quiet: crate::output::quiet(),
            },
            &outcomes,
        )?
        .as_bytes(),
    )?;
    for (format, path) in &args.outputs {
        let text = render_format(*format, &checked, language, Terminal::FILE, &outcomes)?;
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)
                .map_err(|error| anyhow::anyhow!("cannot create {}: {error}", parent.display()))?;
        }
        kientruc_host::write_atomically(path, &text)
            .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", path.display()))?;
    }
    // In GitHub Actions, the annotations come with a Markdown summary on the run's page.
    if args.format == OutputFormat::Github
        && let Some(summary) =
            std::env::var_os("GITHUB_STEP_SUMMARY").filter(|path| !path.is_empty())
    {
        let markdown = render_format(
            OutputFormat::Markdown,
            &checked,
            language,
            Terminal::FILE,
            &outcomes,
        )?;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)?;
        file.write_all(markdown.as_bytes())?;
    }
    drop(stdout);
    if args.timings {
        eprint!(
            "{}",
            timings_report(&checked, render_started.elapsed(), total_started.elapsed())
        );
    }
    let status = if checked.analysis.error_count() > 0 {
        ExitStatus::InvalidInput
    } else if checked.failing(threshold) > 0 && !args.exit_zero {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };
    // Everything is written; the process ends next. Freeing a large model piece by piece takes
    // longer than checking part of it (a fifth of the run at 100,000 elements), and the
    // operating system reclaims the memory at exit anyway.
    std::mem::forget(checked);
    Ok(status)
}

/// Peak resident memory of this process in KiB (Linux: `VmHWM`), if known.
pub fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The `--timings` table: wall time per stage, elements per second, peak memory.
pub fn timings_report(
    checked: &Checked,
    render: std::time::Duration,
    total: std::time::Duration,
) -> String {
    use std::fmt::Write as _;
    let elements = checked.analysis.model.elements.len();
    let mut out = String::from("stage            time (ms)\n");
    for (stage, duration) in checked
        .analysis
        .timings
        .iter()
        .chain(std::iter::once(&("render", render)))
    {
        let _ = writeln!(out, "{stage:<14} {:>11.1}", duration.as_secs_f64() * 1000.0);
    }
    let seconds = total.as_secs_f64();
    let _ = writeln!(out, "{:<14} {:>11.1}", "total", seconds * 1000.0);
    let _ = writeln!(
        out,
        "{elements} elements, {} relations, {} findings; {:.0} elements/s; peak memory {} MiB",
        checked.analysis.model.relations.len(),
        checked.findings.len(),
        per_second(elements, seconds),
        peak_memory_kib().map_or_else(|| "?".to_owned(), |kib| (kib / 1024).to_string())
    );
    out
}

/// What `--baseline` and `--diff` found, shown by the formats that report them.
pub struct Outcomes<'a> {
    pub baseline: Option<&'a kientruc_reports::BaselineOutcome>,
    pub diff: Option<&'a kientruc_reports::DiffOutcome>,
    pub baseline_used: bool,
}

/// How the human format is printed: in colour, and with only the problems (`-q`).
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub color: bool,
    pub quiet: bool,
}

impl Terminal {
    /// A file written with `--output` or the step summary: no colour, everything.
    pub const FILE: Terminal = Terminal {
        color: false,
        quiet: false,
    };
}

/// The text of one output format for a checked workspace (every format is in `kientruc-reports`).
pub fn render_format(
    format: OutputFormat,
    checked: &Checked,
    language: Language,
    terminal: Terminal,
    outcomes: &Outcomes<'_>,
) -> anyhow::Result<String> {
    let format = match format {
        OutputFormat::Human => kientruc_reports::Format::Human,
        OutputFormat::Json => kientruc_reports::Format::CheckJson,
        OutputFormat::Github => kientruc_reports::Format::Github,
        OutputFormat::Markdown => kientruc_reports::Format::Markdown,
        OutputFormat::Sarif => kientruc_reports::Format::Sarif,
        OutputFormat::Junit => kientruc_reports::Format::Junit,
        OutputFormat::Concise => kientruc_reports::Format::Concise,
        OutputFormat::Gitlab => kientruc_reports::Format::Gitlab,
    };
    let options = kientruc_reports::ReportOptions {
        color: terminal.color,
        quiet: terminal.quiet,
        baseline_outcome: outcomes.baseline.cloned(),
        diff_outcome: outcomes.diff.cloned(),
        ..crate::commands::report::options(
            language,
            outcomes.baseline_used,
            crate::commands::report::timestamp(false),
            None,
        )?
    };
    Ok(kientruc_reports::render(format, checked, &options)?)
}

/// Parses `--output FORMAT=PATH`.
pub fn parse_output(text: &str) -> Result<(OutputFormat, std::path::PathBuf), String> {
    use clap::ValueEnum as _;
    let (format, path) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: expected FORMAT=PATH, e.g. sarif=kientruc.sarif"))?;
    let format = OutputFormat::from_str(format, true).map_err(|_| {
        let names: Vec<String> = OutputFormat::value_variants()
            .iter()
            .filter_map(|variant| {
                variant
                    .to_possible_value()
                    .map(|value| value.get_name().to_owned())
            })
            .collect();
        format!("unknown format `{format}`; formats: {}", names.join(", "))
    })?;
    if path.is_empty() {
        return Err(format!("`{text}`: the path is empty"));
    }
    Ok((format, std::path::PathBuf::from(path)))
}

/// A rate shown without decimals: a count above 2^52 could not be told apart anyway.
#[allow(clippy::cast_precision_loss)]
fn per_second(count: usize, seconds: f64) -> f64 {
    count as f64 / seconds.max(1e-9)
}
