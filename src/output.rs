//! The global output settings (`--color`, `-q`), decided once from the arguments and the
//! environment before a command runs, and read by every command that prints.

use crate::args::{Cli, ColorChoice};
use std::io::IsTerminal as _;
use std::sync::OnceLock;

#[derive(Debug, Clone)]
struct Settings {
    color: bool,
    quiet: bool,
    config: Option<std::path::PathBuf>,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Records the settings of `cli`; called once by `main`.
pub fn init(cli: &Cli) {
    let _ = SETTINGS.set(Settings {
        color: use_color(cli.color),
        quiet: cli.quiet,
        config: cli.config.as_deref().map(crate::host::absolute),
    });
}

const DEFAULT: Settings = Settings {
    color: false,
    quiet: false,
    config: None,
};

fn settings() -> &'static Settings {
    SETTINGS.get().unwrap_or(&DEFAULT)
}

/// Whether terminal output on stdout is coloured (see [`use_color`]).
pub fn color() -> bool {
    settings().color
}

/// `-q`: print the problems and errors only.
pub fn quiet() -> bool {
    settings().quiet
}

/// Where lines about what a command did go (`wrote …`, the mapping an import used, the summary
/// after a report): standard output, or nowhere under `-q`.
pub fn chatter() -> Box<dyn std::io::Write> {
    if quiet() {
        Box::new(std::io::sink())
    } else {
        Box::new(std::io::stdout().lock())
    }
}

/// `--config FILE`, made absolute.
pub fn config() -> Option<&'static std::path::Path> {
    settings().config.as_deref()
}

/// The log filter: `--log`, raised by `-v` (info, debug, trace), lowered to `error` by `-q`.
pub fn log_level(cli: &Cli) -> &str {
    const LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];
    if cli.quiet {
        return "error";
    }
    let given = LEVELS
        .iter()
        .position(|level| *level == cli.log)
        .unwrap_or(2);
    let wanted = match cli.verbose {
        0 => given,
        verbose => given.max(2 + usize::from(verbose).min(3)),
    };
    LEVELS[wanted]
}

/// Whether output on stdout is coloured: `--color always` and `--color never` decide; with
/// `auto`, a non-empty `NO_COLOR` turns colour off (<https://no-color.org>), else a
/// `CLICOLOR_FORCE` that is non-empty and not `0` turns it on, else colour is on when stdout is
/// a terminal. The one place the tool decides colour.
pub fn use_color(choice: ColorChoice) -> bool {
    let variable = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if variable("NO_COLOR").is_some() => false,
        ColorChoice::Auto if variable("CLICOLOR_FORCE").is_some_and(|value| value != "0") => true,
        ColorChoice::Auto => std::io::stdout().is_terminal(),
    }
}
