//! `kientruc init DIR`: writes a starter workspace from the framework pack's `starter/` files
//! (header, import of the national model, one element per layer). Never overwrites: it refuses
//! a folder that already holds `.ea` files.

use crate::args::InitArgs;
use crate::exit::ExitStatus;
use kientruc_dsl::workspace::FrameworkRegistry as _;
use kientruc_host::write_atomically;
use std::io::Write as _;

fn is_identifier(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

pub fn run(args: &InitArgs) -> anyhow::Result<ExitStatus> {
    let current = std::env::current_dir().unwrap_or_default();
    let registry = crate::host::registry(&current);
    let Some(pack) = registry.get(&args.framework) else {
        eprintln!(
            "error: no framework pack `{}`; known: {}",
            args.framework,
            registry.ids().join(", ")
        );
        return Ok(ExitStatus::InvalidInput);
    };
    let starter: Vec<(&String, &std::sync::Arc<str>)> = pack
        .files
        .iter()
        .filter(|(name, _)| name.starts_with("starter/"))
        .collect();
    if starter.is_empty() {
        eprintln!(
            "error: framework `{}` has no starter workspace (starter/*.ea in the pack)",
            pack.id
        );
        return Ok(ExitStatus::InvalidInput);
    }
    let folder_name = args.directory.file_name().map_or_else(
        || "tinh".to_owned(),
        |name| name.to_string_lossy().into_owned(),
    );
    let id = args.id.clone().unwrap_or_else(|| {
        let cleaned: String = folder_name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        if cleaned.starts_with(|c: char| c.is_ascii_alphabetic()) {
            cleaned
        } else {
            format!("kien_truc_{cleaned}")
        }
    });
    if !is_identifier(&id) {
        eprintln!(
            "error: `{id}` is not a valid architecture id (letters, digits, `_`, `-`; not starting with a digit)"
        );
        return Ok(ExitStatus::InvalidInput);
    }
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| format!("Kiến trúc Chính quyền điện tử {folder_name}"));
    if name.contains(['"', '\\', '\n']) {
        eprintln!(
            "error: the architecture name may not contain quotes, backslashes or line breaks"
        );
        return Ok(ExitStatus::InvalidInput);
    }
    if args.directory.exists() {
        let has_models = std::fs::read_dir(&args.directory)?
            .flatten()
            .any(|entry| entry.path().extension().is_some_and(|e| e == "ea"));
        if has_models {
            eprintln!(
                "error: {} already holds .ea files; `init` writes only into a new or empty workspace",
                args.directory.display()
            );
            return Ok(ExitStatus::InvalidInput);
        }
    }
    std::fs::create_dir_all(&args.directory)?;
    let mut stdout = std::io::stdout().lock();
    for (name_in_pack, text) in starter {
        let relative = name_in_pack.trim_start_matches("starter/");
        let target = args.directory.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let contents = text.replace("__ID__", &id).replace("__NAME__", &name);
        write_atomically(&target, &contents)?;
        writeln!(stdout, "created {}", target.display())?;
    }
    writeln!(stdout, "next: kientruc check {}", args.directory.display())?;
    Ok(ExitStatus::Success)
}
