//! `kientruc import archimate FILE.xml --out DIR [--force] [--framework ID]`: an `ArchiMate` Model
//! Exchange File (Archi's "Export → Model to Open Exchange File") read
//! ([`kientruc_interop::archimate::import`]) and written as formatted `.ea` files. Only the named
//! file is read, and only after its size is checked; the table of what became of each type is
//! printed; the files are analysed in memory before any is written and are not written when they
//! would not analyse; `.ea` files already in `DIR` are not overwritten unless `--force`. Exit 0
//! when written, 2 when the file cannot be imported (nothing is written then).

use crate::args::ImportArgs;
use crate::exit::ExitStatus;
use crate::host;
use kientruc_dsl::workspace::FrameworkRegistry as _;
use kientruc_interop::archimate::{ImportOptions, MAX_FILE_SIZE, import, load};
use kientruc_reports::escape::terminal;
use std::io::Write as _;

pub fn run(args: &ImportArgs) -> anyhow::Result<ExitStatus> {
    let current = host::current_folder();
    let [path] = args.files.as_slice() else {
        eprintln!(
            "error: `import archimate` reads one exchange file; {} were given",
            args.files.len()
        );
        return Ok(ExitStatus::InvalidInput);
    };
    let shown = host::display_path(path, &current);
    let shown = terminal(&shown);
    if args.mapping.is_some() {
        eprintln!(
            "error: `--mapping` is for spreadsheets; an ArchiMate import follows the framework pack's archimate.toml"
        );
        return Ok(ExitStatus::InvalidInput);
    }
    let registry = host::registry(&current);
    let Some(pack) = registry.get(&args.framework) else {
        eprintln!(
            "error: no framework pack `{}` (known: {})",
            terminal(&args.framework),
            registry.ids().join(", ")
        );
        return Ok(ExitStatus::InvalidInput);
    };
    let (metamodel, mapping) = match load(&pack) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("error: {}", terminal(&error.to_string()));
            return Ok(ExitStatus::InvalidInput);
        }
    };
    // The size first: a file over the limit is never read.
    let size = match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => metadata.len(),
        Ok(_) => {
            eprintln!("error: {shown}: not a file");
            return Ok(ExitStatus::InvalidInput);
        }
        Err(error) => {
            eprintln!("error: {shown}: {error}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    if size > MAX_FILE_SIZE as u64 {
        eprintln!(
            "error: {shown}: the file is {size} bytes, over the limit of {MAX_FILE_SIZE} bytes (64 MiB) for an exchange file"
        );
        return Ok(ExitStatus::InvalidInput);
    }
    let bytes = std::fs::read(path)?;
    let Ok(xml) = String::from_utf8(bytes) else {
        eprintln!("error: {shown}: the file is not UTF-8 (exchange files are)");
        return Ok(ExitStatus::InvalidInput);
    };
    let options = ImportOptions {
        framework: &pack.id,
        metamodel: &metamodel,
    };
    let (model, report) = match import(&xml, &mapping, options) {
        Ok(imported) => imported,
        Err(error) => {
            eprintln!("error: {shown}: {}", terminal(&error.to_string()));
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let mut stdout = crate::output::chatter();
    for line in report.table().lines() {
        writeln!(stdout, "{}", terminal(line))?;
    }
    for warning in &model.warnings {
        eprintln!("warning: {}", terminal(warning));
    }
    if !crate::commands::import::write_model(&model, &metamodel, &pack, args, &mut stdout)? {
        return Ok(ExitStatus::InvalidInput);
    }
    Ok(ExitStatus::Success)
}
