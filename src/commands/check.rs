//! `kientruc check`: parse, resolve and check a workspace against its framework's rules; print
//! diagnostics and findings, and exit by the documented codes.

use crate::args::{CheckArgs, ColorChoice, LanguageArg, OutputFormat, SeverityArg};
use crate::exit::ExitStatus;
use crate::host::{self, DiskProvider};
use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::Severity;
use kientruc_dsl::metamodel::Language;
use std::io::{IsTerminal as _, Write as _};

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
    let today = today(dates.today)?;
    let as_of = dates
        .as_of
        .map(|text| {
            kientruc_dsl::syntax::Date::parse(text)
                .ok_or_else(|| format!("--as-of: `{text}` is not a date (YYYY-MM-DD)"))
        })
        .transpose()?;
    let provider = DiskProvider::new(&discovered.root);
    let registry = host::registry(&discovered.root);
    let options = CheckOptions {
        today,
        config: None,
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
    };
    Ok(analyze_and_check(
        &discovered.root,
        &discovered.files,
        &provider,
        &registry,
        options,
    ))
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitStatus> {
    let total_started = std::time::Instant::now();
    let mut checked = match run_pipeline(
        &args.paths,
        Dates {
            today: args.today.as_deref(),
            as_of: args.as_of.as_deref(),
        },
        &args.select,
        &args.ignore,
    ) {
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
    let color = use_color(args.color);
    let outcomes = Outcomes {
        baseline: baseline_outcome.as_ref(),
        diff: diff_outcome.as_ref(),
        baseline_used,
    };
    stdout
        .write_all(render_format(args.format, &checked, language, color, &outcomes)?.as_bytes())?;
    for (format, path) in &args.outputs {
        let text = render_format(*format, &checked, language, false, &outcomes)?;
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
        let markdown = render_format(OutputFormat::Markdown, &checked, language, false, &outcomes)?;
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

/// The text of one output format for a checked workspace (every format is in `kientruc-reports`).
pub fn render_format(
    format: OutputFormat,
    checked: &Checked,
    language: Language,
    color: bool,
    outcomes: &Outcomes<'_>,
) -> anyhow::Result<String> {
    let format = match format {
        OutputFormat::Human => kientruc_reports::Format::Human,
        OutputFormat::Json => kientruc_reports::Format::CheckJson,
        OutputFormat::Github => kientruc_reports::Format::Github,
        OutputFormat::Markdown => kientruc_reports::Format::Markdown,
        OutputFormat::Sarif => kientruc_reports::Format::Sarif,
        OutputFormat::Junit => kientruc_reports::Format::Junit,
    };
    let options = kientruc_reports::ReportOptions {
        color,
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

/// Whether human output on stdout is coloured: `--color always` and `--color never` decide;
/// with `auto`, a non-empty `NO_COLOR` turns colour off (<https://no-color.org>), else a
/// `CLICOLOR_FORCE` that is non-empty and not `0` turns it on, else colour is on when stdout is
/// a terminal. The one place every command decides colour.
pub fn use_color(choice: ColorChoice) -> bool {
    let variable = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if variable("NO_COLOR").is_some() => false,
        ColorChoice::Auto if variable("CLICOLOR_FORCE").is_some_and(|value| value != "0") => true,
        ColorChoice::Auto => std::io::stdout().is_terminal(),
    }
}
