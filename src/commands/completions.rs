//! `kientruc completions SHELL` and `kientruc man`: shell completion scripts and manual pages,
//! generated from the same clap definition as `--help`, so they never fall behind it.

use crate::args::{Cli, CompletionsArgs, ManArgs};
use crate::exit::ExitStatus;
use clap::CommandFactory as _;
use std::io::Write as _;

/// The command line without its hidden commands (`gen`): clap's completion scripts would offer
/// them.
fn visible_command() -> clap::Command {
    let full = Cli::command();
    let visible: Vec<clap::Command> = full
        .get_subcommands()
        .filter(|command| !command.is_hide_set())
        .cloned()
        .collect();
    clap::Command::new("kientruc")
        .subcommand_required(full.is_subcommand_required_set())
        .args(full.get_arguments().cloned())
        .subcommands(visible)
}

pub fn run(args: &CompletionsArgs) -> anyhow::Result<ExitStatus> {
    let mut command = visible_command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "kientruc", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(ExitStatus::Success)
}

/// The pages: `kientruc.1`, then one per command not hidden (`kientruc-check.1`, …), each
/// with its file name.
fn pages() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    fn add(command: clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
        let children: Vec<clap::Command> = command
            .get_subcommands()
            .filter(|child| !child.is_hide_set())
            .cloned()
            .collect();
        let man = clap_mangen::Man::new(command);
        let mut page = Vec::new();
        man.render(&mut page)?;
        pages.push((man.get_filename(), page));
        for child in children {
            add(child, pages)?;
        }
        Ok(())
    }
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    add(command, &mut pages)?;
    Ok(pages)
}

pub fn man(args: &ManArgs) -> anyhow::Result<ExitStatus> {
    let pages = pages()?;
    let Some(out) = &args.out else {
        std::io::stdout().lock().write_all(&pages[0].1)?;
        return Ok(ExitStatus::Success);
    };
    std::fs::create_dir_all(out)
        .map_err(|error| anyhow::anyhow!("cannot create {}: {error}", out.display()))?;
    let mut stdout = std::io::stdout().lock();
    for (name, page) in &pages {
        let path = out.join(name);
        let text = String::from_utf8_lossy(page);
        kientruc_host::write_atomically(&path, &text)
            .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", path.display()))?;
        if !crate::output::quiet() {
            writeln!(stdout, "wrote {}", path.display())?;
        }
    }
    Ok(ExitStatus::Success)
}
