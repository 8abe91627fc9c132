//! `kientruc import KIND FILE… --out DIR`: an `ArchiMate` exchange file or a spreadsheet inventory
//! read ([`kientruc_interop`]) and written as formatted `.ea` files. Only the named files are read;
//! nothing is written when the input has errors (unless `--keep-going`), and `.ea` files already
//! in `DIR` are not overwritten (unless `--force`).

use crate::args::{ImportArgs, ImportKind};
use crate::exit::ExitStatus;

pub fn run(args: &ImportArgs) -> anyhow::Result<ExitStatus> {
    match args.kind {
        ImportKind::Archimate => crate::commands::import_archimate::run(args),
        ImportKind::Csv | ImportKind::Xlsx => crate::commands::import_inventory::run(args),
    }
}
