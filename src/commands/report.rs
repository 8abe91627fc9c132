//! `kientruc report`: check a workspace and write its reports into a folder (`report.html`,
//! `report.md`, `report.json`, `report.sarif`, `report.junit.xml`). Every report is streamed to a
//! temporary file beside its target, and the targets are replaced (renamed over) only once every
//! report is complete; nothing else in the folder is touched. The reports themselves come from the pure `kientruc-reports` crate.

use crate::args::{LanguageArg, ReportArgs, ReportFormat};
use crate::commands::check::{language, run_pipeline};
use crate::exit::ExitStatus;
use kientruc_dsl::metamodel::Language;
use kientruc_host::FolderReadError;
use kientruc_reports::{Format, ReportError, ReportOptions, Templates};
use std::io::Write as _;
use std::path::Path;

/// Report options for the CLI: the tool's version, the timestamp, and the template overrides read
/// from `templates` (every `*.tera` file in it).
pub fn options(
    language: Language,
    baseline: bool,
    timestamp: Option<String>,
    templates: Option<&Path>,
) -> anyhow::Result<ReportOptions> {
    let mut overrides = Templates::default();
    if let Some(folder) = templates {
        // Confinement: a template file is read only when its real path (after links) is inside
        // the folder, so a link in DIR cannot make the report read an arbitrary file.
        let files = kientruc_host::read_folder(folder, "tera").map_err(|error| match error {
            FolderReadError::Folder(error) => anyhow::anyhow!(
                "cannot read the templates folder {}: {error}",
                folder.display()
            ),
            FolderReadError::LeavesFolder(path) => anyhow::anyhow!(
                "template {} leads outside the templates folder {} (a link); refusing to read it",
                path.display(),
                folder.display()
            ),
            FolderReadError::File(path, error) => {
                anyhow::anyhow!("cannot read template {}: {error}", path.display())
            }
        })?;
        for (name, text) in files {
            overrides.insert(&name, text);
        }
    }
    Ok(ReportOptions {
        language,
        timestamp,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        baseline,
        templates: overrides,
        ..ReportOptions::default()
    })
}

/// The report's time: `SOURCE_DATE_EPOCH` when set (reproducible builds), else the clock when
/// `--timestamp` asks for it, else none.
pub fn timestamp(requested: bool) -> Option<String> {
    if let Some(seconds) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|value| value.trim().parse::<i64>().ok())
    {
        return Some(rfc3339(seconds));
    }
    requested.then(|| rfc3339(kientruc_host::clock::now_unix_seconds()))
}

/// `2025-01-31T08:00:00Z`.
fn rfc3339(seconds: i64) -> String {
    let date = kientruc_checker::date_from_unix_seconds(seconds);
    let in_day = seconds.rem_euclid(86_400);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    )
}

fn format_of(argument: ReportFormat) -> Format {
    match argument {
        ReportFormat::Html => Format::Html,
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Json => Format::Json,
        ReportFormat::Sarif => Format::Sarif,
        ReportFormat::Junit => Format::Junit,
    }
}

/// The report's languages, the first main: `--lang`, else the configuration's `language`
/// then the other one (Vietnamese and English both, Vietnamese first by default).
fn languages(arguments: &[LanguageArg], checked: &kientruc_checker::Checked) -> Vec<Language> {
    let mut languages: Vec<Language> = Vec::new();
    let given: Vec<Language> = if arguments.is_empty() {
        let first = checked.config.language.unwrap_or_default();
        vec![first, Language::Vi, Language::En]
    } else {
        arguments
            .iter()
            .map(|argument| language(Some(*argument), checked))
            .collect()
    };
    for language in given {
        if !languages.contains(&language) {
            languages.push(language);
        }
    }
    languages
}

pub fn run(args: &ReportArgs) -> anyhow::Result<ExitStatus> {
    let mut checked = match run_pipeline(
        &args.paths,
        crate::commands::check::Dates {
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
    // A `--select` / `--ignore` that selects no rule is a bad argument: no report is written.
    let option_errors: Vec<_> = checked.option_errors().cloned().collect();
    if !option_errors.is_empty() {
        eprint!(
            "{}",
            kientruc_reports::human::diagnostics(
                &checked.analysis.workspace.files,
                &option_errors,
                false
            )
        );
        return Ok(ExitStatus::InvalidInput);
    }
    let baseline_file = match crate::commands::baseline::resolve(args.baseline.as_deref(), &checked)
    {
        Ok(file) => file,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    if let Some(file) = &baseline_file
        && let Err(message) = crate::commands::baseline::apply(file, &mut checked, false)
    {
        eprintln!("error: {message}");
        return Ok(ExitStatus::InvalidInput);
    }
    // `--since REV`: the change section, from the workspace checked at REV (an error when REV
    // cannot be read or does not analyse: nothing is written).
    let changes = match &args.since {
        Some(revision) => match crate::commands::diff_report::changes_since(
            "--since",
            revision,
            &args.paths,
            &checked,
            crate::commands::check::Dates {
                today: args.today.as_deref(),
                as_of: args.as_of.as_deref(),
            },
            &args.select,
            &args.ignore,
        ) {
            Ok(changes) => Some(changes),
            Err(message) => {
                eprintln!("error: {message}");
                return Ok(ExitStatus::InvalidInput);
            }
        },
        None => None,
    };
    let mut formats: Vec<Format> = if args.format.is_empty() {
        Format::REPORTS.to_vec()
    } else {
        args.format.iter().copied().map(format_of).collect()
    };
    formats.sort();
    formats.dedup();
    let languages = languages(&args.lang, &checked);
    let options = match options(
        languages[0],
        baseline_file.is_some(),
        timestamp(args.timestamp),
        args.templates.as_deref(),
    ) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("error: {error:#}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let options = ReportOptions {
        also: languages[1..].to_vec(),
        ..options
    };
    let options = ReportOptions { changes, ..options };
    // Every report is streamed to a temporary file beside its target, and the targets are
    // replaced only once all are complete: a broken template writes nothing. The Markdown is
    // written once per language (`report.md`, `report.en.md`); the HTML holds every language.
    let created = !args.out.is_dir();
    std::fs::create_dir_all(&args.out).map_err(|error| {
        anyhow::anyhow!(
            "cannot create the report folder {}: {error}",
            args.out.display()
        )
    })?;
    let mut views = kientruc_reports::Views::default();
    let last_with_views = formats
        .iter()
        .rposition(|format| matches!(format, Format::Html | Format::Markdown | Format::Json));
    let mut staged: Vec<kientruc_host::Staged> = Vec::new();
    for (position, format) in formats.iter().copied().enumerate() {
        let file = format.file_name().expect("a report format");
        let runs: Vec<(String, ReportOptions)> = if format == Format::Markdown {
            languages
                .iter()
                .enumerate()
                .map(|(index, language)| {
                    let name = if index == 0 {
                        file.to_owned()
                    } else {
                        format!("report.{}.md", kientruc_reports::i18n::code(*language))
                    };
                    (
                        name,
                        ReportOptions {
                            language: *language,
                            ..options.clone()
                        },
                    )
                })
                .collect()
        } else {
            vec![(file.to_owned(), options.clone())]
        };
        for (name, options) in runs {
            let path = args.out.join(name);
            let mut file = kientruc_host::Staged::new(&path)
                .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", path.display()))?;
            match kientruc_reports::render_to(format, &checked, &options, &mut views, &mut file) {
                Ok(()) => staged.push(file),
                Err(error @ ReportError::Template { .. }) if args.templates.is_some() => {
                    drop(staged);
                    drop(file);
                    if created {
                        // Only the folder this run created, and only when nothing is in it.
                        let _ = std::fs::remove_dir(&args.out);
                    }
                    eprintln!("error: {error}");
                    return Ok(ExitStatus::InvalidInput);
                }
                Err(ReportError::Write(error)) => {
                    return Err(anyhow::anyhow!("cannot write {}: {error}", path.display()));
                }
                Err(error) => return Err(error.into()),
            }
        }
        if Some(position) == last_with_views {
            // SARIF and JUnit do not use the views: free them.
            views = kientruc_reports::Views::default();
        }
    }
    drop(views);
    let mut stdout = crate::output::chatter();
    for file in staged {
        let path = file.path().to_owned();
        let bytes = file
            .commit()
            .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", path.display()))?;
        writeln!(
            stdout,
            "{}",
            kientruc_reports::human::fill(
                kientruc_reports::i18n::text(options.language, "cli_wrote"),
                &[
                    (
                        "file",
                        &kientruc_reports::escape::terminal(&path.display().to_string())
                    ),
                    ("bytes", &bytes.to_string()),
                ],
            )
        )?;
    }
    stdout
        .write_all(kientruc_reports::human::summary_table(&checked, options.language).as_bytes())?;
    if checked.analysis.error_count() > 0 {
        eprintln!(
            "error: the model has {} error(s) in its input; the reports may be incomplete",
            checked.analysis.error_count()
        );
        return Ok(ExitStatus::InvalidInput);
    }
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn timestamps_are_utc_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_735_603_200 + 3_723), "2024-12-31T01:02:03Z");
    }
}
