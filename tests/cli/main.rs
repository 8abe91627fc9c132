//! The end-to-end tests of the `kientruc` binary, in one test executable (one link instead of
//! one per file): one module per command or concern, sharing `support` (the runner, the test
//! packs, LSP framing).
//!
//! Run one module with `cargo test --test cli MODULE::` (for example
//! `cargo test --test cli catalogue::`); the blessing modes are
//! `KIENTRUC_BLESS=1 INSTA_UPDATE=always cargo test --test cli catalogue::` and
//! `KIENTRUC_BLESS=1 cargo test --test cli rule_docs::`.

mod support;

mod action;
mod archimate;
mod catalogue;
mod changes;
mod check_cli;
mod ci_gating;
mod cli_habits;
mod config_baseline;
mod confinement;
mod diacritics;
mod hanoi;
mod init;
mod inventory;
mod level_words;
mod levels;
mod lsp_neovim;
mod lsp_neovim_config;
mod lsp_soak;
mod lsp_stdio;
mod migrate;
mod ministry;
mod module_imports;
mod one_engine;
mod release;
mod report_browser;
mod report_cli;
mod report_levels;
mod report_numbers;
mod report_words;
mod rule_docs;
mod rule_ids;
mod schemas;
mod second_province;
mod serve;
mod serve_browser;
mod sources;
