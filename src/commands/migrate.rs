//! `kientruc migrate PATHS --to ID [--out DIR | --in-place]`: moves a workspace from its framework
//! pack to the pack that replaces it, with the replacing pack's `migration.toml`
//! ([`kientruc_dsl::migration`]): names renamed at their places (comments and layout kept), the
//! header's `framework` changed, each changed file formatted. It prints every change and every
//! question the map could not decide; once written, it checks the result against the new pack
//! and lists what the architect must now supply (input errors, and the open findings by rule).
//! Without `--out` or `--in-place` nothing is written.

use crate::args::MigrateArgs;
use crate::exit::ExitStatus;
use crate::host::{self, DiskProvider, display_path};
use kientruc_dsl::format::format_text;
use kientruc_dsl::migration::{FilePlan, plan};
use kientruc_dsl::syntax::{Declaration, Entry, ValueKind};
use kientruc_dsl::workspace::{FrameworkRegistry as _, SourceProvider as _, decode};
use kientruc_dsl::{FileId, LineIndex, parse};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// One `.ea` file of the workspace, read and parsed.
struct Source {
    path: PathBuf,
    name: String,
    text: String,
    tree: kientruc_dsl::syntax::SourceFile,
}

/// The workspace's framework: its header's `framework`.
fn framework_of(sources: &[Source]) -> Option<String> {
    sources.iter().find_map(|source| {
        source.tree.declarations.iter().find_map(|declaration| {
            let Declaration::Architecture(header) = declaration else {
                return None;
            };
            header
                .body
                .as_ref()?
                .entries
                .iter()
                .find_map(|entry| match entry {
                    Entry::Property(property) if property.name.text == "framework" => {
                        match &property.value.kind {
                            ValueKind::String(value) => Some(value.value.clone()),
                            _ => None,
                        }
                    }
                    _ => None,
                })
        })
    })
}

pub fn run(args: &MigrateArgs) -> anyhow::Result<ExitStatus> {
    let discovered = match host::discover(&args.paths) {
        Ok(discovered) => discovered,
        Err(error) => {
            eprintln!("error: {}", error.0);
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let current_directory = host::current_folder();
    let reader = DiskProvider::new(&discovered.root);
    let mut sources = Vec::new();
    for path in &discovered.files {
        let name = display_path(path, &current_directory);
        let text = match reader.read(path) {
            Ok(bytes) => match decode(FileId(0), bytes) {
                Ok(text) => text,
                Err(diagnostic) => {
                    eprintln!("error: {name}: {}", diagnostic.message);
                    return Ok(ExitStatus::InvalidInput);
                }
            },
            Err(error) => {
                eprintln!("error: cannot read {name}: {error}");
                return Ok(ExitStatus::InvalidInput);
            }
        };
        let parsed = parse(FileId(0), &text);
        if !parsed.diagnostics.is_empty() {
            eprintln!(
                "error: {name} has syntax errors (kientruc check {name} shows them); nothing is migrated"
            );
            return Ok(ExitStatus::InvalidInput);
        }
        sources.push(Source {
            path: path.clone(),
            name,
            text,
            tree: parsed.tree,
        });
    }
    let alias = kientruc_dsl::migration::national_alias(sources.iter().map(|source| &source.tree));
    let Some(from) = framework_of(&sources) else {
        eprintln!(
            "error: no architecture header names a framework (`framework \"vn-egov-3.0\"`) under {}",
            display_path(&discovered.root, &current_directory)
        );
        return Ok(ExitStatus::InvalidInput);
    };
    let registry = host::registry(&discovered.root);
    let Some(pack) = registry.get(&args.to) else {
        eprintln!(
            "error: no framework pack `{}`; known: {}",
            args.to,
            registry.ids().join(", ")
        );
        return Ok(ExitStatus::InvalidInput);
    };
    if from == args.to {
        eprintln!("error: the workspace already declares framework `{from}`");
        return Ok(ExitStatus::InvalidInput);
    }
    let map = match kientruc_dsl::migration::load(&pack, &from) {
        Ok(map) => map,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };

    // Plan every file, then say what changes.
    let plans: Vec<FilePlan> = sources
        .iter()
        .map(|source| plan(&source.text, &source.tree, &map, &args.to, alias.as_deref()))
        .collect();
    let mut chatter = crate::output::chatter();
    let mut out = std::io::stdout().lock();
    let mut changes = 0;
    let mut questions = 0;
    for (source, plan) in sources.iter().zip(&plans) {
        let lines = LineIndex::new(&source.text);
        let shown = kientruc_reports::escape::terminal(&source.name).into_owned();
        for edit in &plan.edits {
            let at = lines.line_column(&source.text, edit.range.start as usize);
            writeln!(
                out,
                "{shown}:{}:{}: {}",
                at.line,
                at.column,
                kientruc_reports::escape::terminal(&edit.what)
            )?;
            changes += 1;
        }
        for question in &plan.questions {
            let at = lines.line_column(&source.text, question.range.start as usize);
            writeln!(
                out,
                "{shown}:{}:{}: to decide: {}",
                at.line,
                at.column,
                kientruc_reports::escape::terminal(&question.message)
            )?;
            questions += 1;
        }
    }
    for required in &map.required {
        let kinds = if required.kinds.is_empty() {
            "the header".to_owned()
        } else {
            required.kinds.join(", ")
        };
        writeln!(
            out,
            "to supply: `{}` on {kinds}: {}",
            required.property,
            kientruc_reports::escape::terminal(&required.note)
        )?;
    }
    writeln!(
        chatter,
        "{changes} changes, {questions} to decide, {} facts to supply ({from} → {})",
        map.required.len(),
        args.to
    )?;

    // Write: a copy of the whole workspace folder, or the files in place.
    let written_root = if let Some(target) = &args.out {
        let absolute = current_directory.join(target);
        if absolute.starts_with(&discovered.root) {
            eprintln!(
                "error: --out {} is inside the workspace it migrates; choose a folder outside it",
                target.display()
            );
            return Ok(ExitStatus::InvalidInput);
        }
        if target.exists()
            && std::fs::read_dir(target).is_ok_and(|mut entries| entries.next().is_some())
        {
            eprintln!(
                "error: {} is not empty; migrate writes a new folder (or use --in-place)",
                target.display()
            );
            return Ok(ExitStatus::InvalidInput);
        }
        copy_folder(&discovered.root, target)?;
        Some(target.clone())
    } else if args.in_place {
        Some(discovered.root.clone())
    } else {
        writeln!(
            chatter,
            "nothing written: --out DIR writes the migrated workspace to DIR, --in-place rewrites its files"
        )?;
        None
    };
    let Some(written_root) = written_root else {
        return Ok(ExitStatus::Success);
    };
    for (source, plan) in sources.iter().zip(&plans) {
        if plan.edits.is_empty() {
            continue;
        }
        let migrated = plan.apply(&source.text);
        let formatted = format_text(&migrated).unwrap_or_else(|| {
            eprintln!(
                "warning: {} does not format after its migration; written unformatted",
                source.name
            );
            migrated
        });
        let relative = source
            .path
            .strip_prefix(&discovered.root)
            .unwrap_or(&source.path);
        let target = written_root.join(relative);
        kientruc_host::write_atomically(&target, &formatted)
            .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", target.display()))?;
    }
    writeln!(
        chatter,
        "wrote {}",
        display_path(&written_root, &current_directory)
    )?;

    // What the new pack says of the result.
    let checked = match crate::commands::check::run_pipeline(
        std::slice::from_ref(&written_root),
        crate::commands::check::Dates {
            today: None,
            as_of: None,
        },
        &[],
        &[],
    ) {
        Ok(checked) => checked,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let files = &checked.analysis.workspace.files;
    for diagnostic in checked
        .analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == kientruc_dsl::Severity::Error)
    {
        let place = diagnostic
            .primary
            .as_ref()
            .map(|label| {
                let (start, _) = files.line_columns(label.span);
                format!(
                    "{}:{}:{}: ",
                    kientruc_reports::escape::terminal(&files.get(label.span.file).name),
                    start.line,
                    start.column
                )
            })
            .unwrap_or_default();
        writeln!(
            out,
            "{place}to fix: error[{}] {}",
            diagnostic.code,
            kientruc_reports::escape::terminal(&diagnostic.message)
        )?;
    }
    let mut by_rule: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for finding in checked
        .findings
        .iter()
        .filter(|finding| !finding.is_accepted())
    {
        by_rule
            .entry(finding.rule.as_str())
            .or_insert((0, finding.severity.as_str()))
            .0 += 1;
    }
    for (rule, (count, severity)) in &by_rule {
        writeln!(out, "to supply: {rule} ({severity}): {count} open findings")?;
    }
    writeln!(
        chatter,
        "under {}: {} input errors, {} open findings of {} rules (kientruc check {} lists them)",
        args.to,
        checked.analysis.error_count(),
        by_rule.values().map(|(count, _)| count).sum::<usize>(),
        by_rule.len(),
        display_path(&written_root, &current_directory)
    )?;
    Ok(if checked.analysis.error_count() > 0 {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Copies `from` (a folder) to `to`, recursively, files and folders only (links are not
/// followed: a workspace's files are read confined to it).
fn copy_folder(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)
        .map_err(|error| anyhow::anyhow!("cannot create {}: {error}", to.display()))?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            if entry.file_name() == ".git" {
                continue;
            }
            copy_folder(&entry.path(), &target)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target)
                .map_err(|error| anyhow::anyhow!("cannot copy to {}: {error}", target.display()))?;
        }
    }
    Ok(())
}
