//! `kientruc export --format archimate [PATHS] -o FILE.xml`: the checked model as an `ArchiMate`
//! Model Exchange File ([`kientruc_interop::archimate::export`]), which Archi opens with
//! "Import → Open Exchange XML Model". `-o -` writes it to standard output; a file is replaced
//! atomically. What the format could not carry exactly is printed as warnings.

use crate::args::ExportArgs;
use crate::exit::ExitStatus;
use kientruc_checker::Checked;
use kientruc_interop::archimate::{ExportOptions, export};
use kientruc_reports::Language;
use kientruc_reports::escape::terminal;
use std::io::Write as _;

pub fn run(args: &ExportArgs, checked: &Checked, language: Language) -> anyhow::Result<ExitStatus> {
    let exported = match export(checked, &ExportOptions { language }) {
        Ok(exported) => exported,
        Err(error) => {
            eprintln!("error: {}", terminal(&error.to_string()));
            return Ok(ExitStatus::InvalidInput);
        }
    };
    for warning in &exported.warnings {
        eprintln!("warning: {}", terminal(warning));
    }
    if args.output.as_os_str() == "-" {
        std::io::stdout()
            .lock()
            .write_all(exported.xml.as_bytes())?;
        return Ok(ExitStatus::Success);
    }
    if args.output.is_dir() {
        eprintln!(
            "error: `{}` is a folder; `--format archimate` writes one file: give `-o` a file name (.xml)",
            terminal(&args.output.display().to_string())
        );
        return Ok(ExitStatus::InvalidInput);
    }
    kientruc_host::write_atomically(&args.output, &exported.xml)?;
    writeln!(
        crate::output::chatter(),
        "{}",
        kientruc_reports::human::fill(
            kientruc_reports::i18n::text(language, "cli_wrote"),
            &[
                ("file", &terminal(&args.output.display().to_string())),
                ("bytes", &exported.xml.len().to_string()),
            ],
        )
    )?;
    Ok(ExitStatus::Success)
}
