//! The Zed extension of kientruc's `.ea` language. Zed builds the grammar named in
//! `extension.toml` and reads the queries of `languages/kientruc`; this code only tells Zed how to
//! start the language server: `kientruc lsp`, with the `kientruc` found on the worktree's `PATH`
//! (installed with `cargo install --locked kientruc` or from a release).

use zed_extension_api::{self as zed, LanguageServerId, Result, Worktree};

struct Kientruc;

impl zed::Extension for Kientruc {
    fn new() -> Self {
        Kientruc
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &Worktree,
    ) -> Result<zed::Command> {
        let command = worktree.which("kientruc").ok_or_else(|| {
            "kientruc is not on PATH: install it (cargo install --locked kientruc, or a release \
             binary from https://github.com/kientruc/kientruc/releases) and reopen the worktree"
                .to_owned()
        })?;
        Ok(zed::Command {
            command,
            args: vec!["lsp".to_owned()],
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(Kientruc);
