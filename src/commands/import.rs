//! `kientruc import KIND FILE… --out DIR`: an `ArchiMate` exchange file or a spreadsheet inventory
//! read ([`kientruc_interop`]) and written as formatted `.ea` files. Only the named files are read;
//! nothing is written when the input has errors (unless `--keep-going`), and `.ea` files already
//! in `DIR` are not overwritten (unless `--force`).

use crate::args::{ImportArgs, ImportKind};
use crate::exit::ExitStatus;
use crate::host;
use kientruc_dsl::metamodel::Metamodel;
use kientruc_dsl::workspace::FrameworkPack;
use kientruc_interop::imported::{ImportedModel, verify};
use kientruc_reports::escape::terminal;
use std::io::Write;

pub fn run(args: &ImportArgs) -> anyhow::Result<ExitStatus> {
    match args.kind {
        ImportKind::Archimate => crate::commands::import_archimate::run(args),
        ImportKind::Csv | ImportKind::Xlsx => crate::commands::import_inventory::run(args),
    }
}

/// Writes what an import built as formatted `.ea` files into `--out`, the same way for every kind:
/// the writer's warnings on standard error, the files analysed in memory first (nothing is written
/// when they would not analyse), `.ea` files already there kept unless `--force`, each file
/// replaced atomically and named on `out`. `Ok(false)` when nothing was written (why is on
/// standard error).
pub fn write_model(
    model: &ImportedModel,
    metamodel: &Metamodel,
    pack: &FrameworkPack,
    args: &ImportArgs,
    out: &mut impl Write,
) -> anyhow::Result<bool> {
    let current = host::current_folder();
    let written = model.write(Some(metamodel));
    for warning in &written.warnings {
        eprintln!("warning: {}", terminal(warning));
    }
    let analysis = verify(&written.files, pack);
    if analysis.error_count() > 0 {
        eprint!(
            "{}",
            kientruc_reports::human::diagnostics(
                &analysis.workspace.files,
                &analysis.diagnostics,
                false
            )
        );
        eprintln!("error: the files the import would write do not analyse; nothing was written");
        return Ok(false);
    }
    let existing: Vec<String> = written
        .files
        .iter()
        .map(|(name, _)| args.out.join(name))
        .filter(|path| path.exists())
        .map(|path| host::display_path(&path, &current))
        .collect();
    if !existing.is_empty() && !args.force {
        eprintln!(
            "error: {} exist(s) already; nothing was written (--force overwrites)",
            terminal(&existing.join(", "))
        );
        return Ok(false);
    }
    for (name, text) in &written.files {
        let path = args.out.join(name);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        kientruc_host::write_atomically(&path, text)?;
        writeln!(
            out,
            "wrote {} ({} bytes)",
            terminal(&host::display_path(&path, &current)),
            text.len()
        )?;
    }
    Ok(true)
}
