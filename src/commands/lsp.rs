//! `kientruc lsp`: the language server over stdin and stdout, with the framework packs embedded
//! in this binary (local `frameworks/<id>` folders above a workspace still win).

use crate::exit::ExitStatus;

pub fn run() -> anyhow::Result<ExitStatus> {
    kientruc_lsp::run_stdio(kientruc_lsp::ServerOptions {
        embedded_framework_files: crate::host::EMBEDDED_FRAMEWORK_FILES,
        ..kientruc_lsp::ServerOptions::default()
    })?;
    Ok(ExitStatus::Success)
}
