//! Command-line arguments (clap derive).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "kientruc",
    version,
    about = "Enterprise-architecture modeling and compliance for Vietnam's e-Government Architecture Framework"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log level for diagnostics about the tool itself (written to stderr).
    #[arg(long, global = true, default_value = "warn", value_name = "LEVEL")]
    pub log: String,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse, resolve and check `.ea` files or folders.
    Check(CheckArgs),
    /// Format `.ea` files canonically (in place, or `--check` to list files that would change).
    Fmt(FmtArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (folders: every `*.ea` below). Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Colour in human output (default: only when stdout is a terminal).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Files or folders to format. Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change and exit 1 if any would.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
