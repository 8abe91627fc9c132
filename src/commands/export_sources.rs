//! `kientruc export --format mermaid|d2|dot|plantuml [--view overview|integration|ELEMENT_ID]`:
//! a diagram source of the report's views or of an element's neighbourhood
//! ([`kientruc_interop::sources`]), to `-o FILE` (replaced atomically) or `-o -` (standard
//! output). An unknown `--view` is invalid input (exit 2), with the closest element id.

use crate::args::{ExportArgs, ExportFormat};
use crate::exit::ExitStatus;
use kientruc_checker::Checked;
use kientruc_interop::sources::{self, SourceFormat, ViewChoice};
use kientruc_reports::Language;
use kientruc_reports::i18n::Texts;
use std::io::Write as _;

pub fn run(args: &ExportArgs, checked: &Checked, language: Language) -> anyhow::Result<ExitStatus> {
    let format = match args.format {
        ExportFormat::Mermaid => SourceFormat::Mermaid,
        ExportFormat::D2 => SourceFormat::D2,
        ExportFormat::Dot => SourceFormat::Dot,
        ExportFormat::Plantuml => SourceFormat::Plantuml,
        ExportFormat::Archimate | ExportFormat::Csv | ExportFormat::Xlsx => {
            unreachable!("exchange files and spreadsheets are written by their own modules")
        }
    };
    let texts = Texts::of(checked, language);
    let choice = ViewChoice::parse(args.view.as_deref());
    let source = match sources::export(checked, &texts, format, &choice) {
        Ok(source) => source,
        Err(error) => {
            eprintln!(
                "error: --view: {}",
                kientruc_reports::escape::terminal(&error.to_string())
            );
            return Ok(ExitStatus::InvalidInput);
        }
    };
    if args.output.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(source.as_bytes())?;
        stdout.flush()?;
        return Ok(ExitStatus::Success);
    }
    kientruc_host::write_atomically(&args.output, source.as_str())
        .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", args.output.display()))?;
    writeln!(
        crate::output::chatter(),
        "{}",
        kientruc_reports::human::fill(
            kientruc_reports::i18n::text(language, "cli_wrote"),
            &[
                (
                    "file",
                    &kientruc_reports::escape::terminal(&args.output.display().to_string())
                ),
                ("bytes", &source.len().to_string()),
            ],
        )
    )?;
    Ok(ExitStatus::Success)
}
