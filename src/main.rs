//! The `kientruc` command-line tool: parses arguments, installs logging (stderr only), runs one
//! command, and maps the outcome to an exit code. Commands live in `commands/`.

mod args;
mod commands;
mod exit;
mod host;
mod output;

use clap::Parser as _;
use exit::ExitStatus;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "internal error: {info}\nThis is a bug in kientruc; please report it with the input that caused it."
        );
    }));
    let cli = args::Cli::parse();
    output::init(&cli);
    let filter = tracing_subscriber::EnvFilter::try_new(output::log_level(&cli))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let outcome = std::panic::catch_unwind(|| match &cli.command {
        args::Command::Check(check) => commands::check::run(check),
        args::Command::Fmt(fmt) => commands::fmt::run(fmt),
        args::Command::Rules(rules) => commands::rules::run(rules),
        args::Command::Explain(explain) => commands::explain::run(explain),
        args::Command::Init(init) => commands::init::run(init),
        args::Command::Baseline(baseline) => commands::baseline::run(baseline),
        args::Command::Report(report) => commands::report::run(report),
        args::Command::Diff(diff) => commands::diff_report::run(diff),
        args::Command::Export(export) => commands::export::run(export),
        args::Command::Import(import) => commands::import::run(import),
        args::Command::Gen(generate) => commands::generate::run(generate),
        args::Command::Lsp(_) => commands::lsp::run(),
        args::Command::Migrate(migrate) => commands::migrate::run(migrate),
        args::Command::Serve(serve) => commands::serve::run(serve),
        args::Command::Completions(completions) => commands::completions::run(completions),
        args::Command::Man(man) => commands::completions::man(man),
    });
    let status = match outcome {
        Ok(Ok(status)) => status,
        Ok(Err(error)) if is_broken_pipe(&error) => ExitStatus::Success,
        Ok(Err(error)) => {
            eprintln!("error: {error:#}");
            ExitStatus::InternalError
        }
        Err(_) => ExitStatus::InternalError,
    };
    std::process::ExitCode::from(status.code())
}

/// A reader that closed our stdout early (`kientruc check | head`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
