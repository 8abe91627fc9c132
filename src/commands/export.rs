//! `kientruc export --format FORMAT [PATHS] -o PATH`: the workspace, checked, written for another
//! tool ([`kientruc_interop`]). Rendered in full before anything is written; the file is replaced
//! atomically. Exit 0 when written, 2 for invalid input (the model must analyse without errors).

use crate::args::{ExportArgs, ExportFormat};
use crate::commands::check::{Dates, language, run_pipeline};
use crate::exit::ExitStatus;

pub fn run(args: &ExportArgs) -> anyhow::Result<ExitStatus> {
    let checked = match run_pipeline(
        &args.paths,
        Dates {
            today: args.today.as_deref(),
            as_of: args.as_of.as_deref(),
        },
        &[],
        &[],
    ) {
        Ok(checked) => checked,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    if checked.analysis.error_count() > 0 {
        eprint!(
            "{}",
            kientruc_reports::human::diagnostics(
                &checked.analysis.workspace.files,
                &checked.analysis.diagnostics,
                false
            )
        );
        eprintln!("error: the model has errors; nothing was exported");
        return Ok(ExitStatus::InvalidInput);
    }
    let language = language(args.lang, &checked);
    match args.format {
        ExportFormat::Archimate => crate::commands::export_archimate::run(args, &checked, language),
        ExportFormat::Csv | ExportFormat::Xlsx => {
            crate::commands::export_inventory::run(args, &checked, language)
        }
        ExportFormat::Mermaid | ExportFormat::D2 | ExportFormat::Dot | ExportFormat::Plantuml => {
            crate::commands::export_sources::run(args, &checked, language)
        }
    }
}
