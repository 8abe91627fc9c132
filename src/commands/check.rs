//! `kientruc check`: parse, resolve and (once rules exist) check a workspace; print diagnostics.

use crate::args::{CheckArgs, ColorChoice, OutputFormat};
use crate::exit::ExitStatus;
use crate::host::{self, DiskProvider, Registry};
use crate::render;
use kientruc_dsl::analysis::{Analysis, analyze};
use kientruc_dsl::workspace::Origin;
use serde::Serialize;
use std::io::{IsTerminal as _, Write as _};

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    elements: usize,
    relations: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonOutput {
    summary: JsonSummary,
    diagnostics: Vec<render::JsonDiagnostic>,
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitStatus> {
    let discovered = match host::discover(&args.paths) {
        Ok(discovered) => discovered,
        Err(error) => {
            eprintln!("error: {}", error.0);
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let provider = DiskProvider::new(&discovered.root);
    let registry = Registry::new(&discovered.root);
    let analysis = analyze(&discovered.root, &discovered.files, &provider, &registry);
    let mut stdout = std::io::stdout().lock();
    match args.format {
        OutputFormat::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => std::io::stdout().is_terminal(),
            };
            stdout.write_all(
                render::human(&analysis.workspace.files, &analysis.diagnostics, color).as_bytes(),
            )?;
            writeln!(stdout, "{}", summary_line(&analysis))?;
        }
        OutputFormat::Json => {
            let mut text = serde_json::to_string_pretty(&json_output(&analysis))?;
            text.push('\n');
            stdout.write_all(text.as_bytes())?;
        }
    }
    Ok(if analysis.error_count() > 0 {
        ExitStatus::InvalidInput
    } else {
        ExitStatus::Success
    })
}

fn counts(analysis: &Analysis) -> JsonSummary {
    let count = |severity| {
        analysis
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity == severity)
            .count()
    };
    JsonSummary {
        files: analysis
            .workspace
            .files
            .iter()
            .filter(|(_, file)| {
                file.origin != Origin::Framework || file.path.extension().is_some_and(|e| e == "ea")
            })
            .count(),
        elements: analysis.model.elements.len(),
        relations: analysis.model.relations.len(),
        errors: count(kientruc_dsl::Severity::Error),
        warnings: count(kientruc_dsl::Severity::Warning),
    }
}

fn summary_line(analysis: &Analysis) -> String {
    let summary = counts(analysis);
    format!(
        "checked {}: {}, {}; {}, {}",
        plural(summary.files, "file"),
        plural(summary.elements, "element"),
        plural(summary.relations, "relation"),
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
    )
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn json_output(analysis: &Analysis) -> JsonOutput {
    JsonOutput {
        summary: counts(analysis),
        diagnostics: analysis
            .diagnostics
            .iter()
            .map(|diagnostic| render::json_diagnostic(&analysis.workspace.files, diagnostic))
            .collect(),
    }
}
