//! `kientruc init DIR [--scope LEVEL]`: writes a starter workspace from the framework pack's
//! starter files (header, import of the national model, one element per layer): the files of
//! `starter/LEVEL/` when the pack has them (`starter/ministry/`), else those directly in
//! `starter/` (the provincial starter), and a `kientruc.toml` whose first line names its JSON
//! schema (`#:schema`, for taplo and Even Better TOML) and whose keys are commented examples.
//! Never overwrites: it refuses a folder that already holds `.ea` files, and keeps a
//! `kientruc.toml` that is there.

use crate::args::InitArgs;
use crate::exit::ExitStatus;
use kientruc_dsl::workspace::FrameworkRegistry as _;
use kientruc_host::write_atomically;
use std::io::Write as _;

/// The level of the starter written without `--scope`.
pub const DEFAULT_SCOPE: &str = "province";

/// The level and the path inside the starter of a pack file: `starter/NAME` is the default
/// level's, `starter/LEVEL/NAME` that level's; other files are no starter's.
fn starter_file(name: &str) -> Option<(&str, &str)> {
    let relative = name.strip_prefix("starter/")?;
    Some(match relative.split_once('/') {
        Some((level, rest)) => (level, rest),
        None => (DEFAULT_SCOPE, relative),
    })
}

/// The starter `kientruc.toml`: the `#:schema` line naming the published schema of the file
/// (`schemas/kientruc.schema.json`), then every key as a commented example (all are optional; the
/// file as written changes nothing).
pub fn starter_configuration() -> String {
    let schema = kientruc_dsl::schema::url("kientruc.schema.json");
    let rule_pages = format!(
        "{}/blob/main/docs/rules",
        env!("CARGO_PKG_REPOSITORY").trim_end_matches('/')
    );
    format!(
        r#"#:schema {schema}
# The workspace's configuration (docs/cli.md, "kientruc.toml and its JSON schema"). Every key is
# optional: uncomment what you need. Editors with taplo or Even Better TOML check this file
# against the schema named on the first line.

# The baseline: `kientruc baseline` records the current findings there, and `check` and `report`
# then fail only on new ones.
# baseline = ".kientruc-baseline.json"

# Which rules run (default: all) and which do not: rule ids (APP-001), id prefixes (APP) or
# reference models (BRM, DRM, ARM, TRM, SRM, GOV).
# select = ["SRM", "ARM"]
# ignore = ["KT-WAIVER-UNUSED"]

# Findings at or above this severity make `check` fail: error (the default), warning or info.
# fail-on = "warning"

# The language of messages: vi (the default) or en.
# language = "en"

# The zone whose date is "today" (waiver expiry, documents in force): +07:00 by default.
# utc-offset = "+07:00"

# Paths the walk of the workspace skips, in .gitignore syntax, relative to this file.
# exclude = ["drafts/", "generated/**/*.ea"]

# Where the rule catalogue is published: a rule's page is {{docs-url}}/{{framework}}.md#{{rule}}.
# docs-url = "{rule_pages}"

# Severity overrides by rule id, id prefix or reference model: error, warning or info.
# [severity]
# KT-WAIVER-UNUSED = "info"

# The workspace's own rules (a province's or a ministry's), loaded with the framework pack.
# [overlay]
# id = "tinh"
# prefix = "TINH"
# documents = "rules/documents.toml"
# rules = ["rules/tinh.toml"]
"#
    )
}

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
    let starters: Vec<(&str, &str, &std::sync::Arc<str>)> = pack
        .files
        .iter()
        .filter_map(|(name, text)| {
            let (level, relative) = starter_file(name)?;
            Some((level, relative, text))
        })
        .collect();
    let starter: Vec<(&str, &std::sync::Arc<str>)> = starters
        .iter()
        .filter(|(level, _, _)| *level == args.scope)
        .map(|(_, relative, text)| (*relative, *text))
        .collect();
    if starter.is_empty() {
        let mut levels: Vec<&str> = starters.iter().map(|(level, _, _)| *level).collect();
        levels.sort_unstable();
        levels.dedup();
        eprintln!(
            "error: framework `{}` has no starter workspace at the level `{}`{}",
            pack.id,
            args.scope,
            if levels.is_empty() {
                String::new()
            } else {
                format!("; its starters: {}", levels.join(", "))
            }
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
    let name = args.name.clone().unwrap_or_else(|| {
        if args.scope == "ministry" {
            format!("Kiến trúc Chính phủ điện tử {folder_name}")
        } else {
            format!("Kiến trúc Chính quyền điện tử {folder_name}")
        }
    });
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
    let mut stdout = crate::output::chatter();
    for (relative, text) in starter {
        let target = args.directory.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let contents = text.replace("__ID__", &id).replace("__NAME__", &name);
        write_atomically(&target, &contents)?;
        writeln!(stdout, "created {}", target.display())?;
    }
    let configuration = args.directory.join("kientruc.toml");
    if configuration.exists() {
        writeln!(stdout, "kept {}", configuration.display())?;
    } else {
        write_atomically(&configuration, &starter_configuration())?;
        writeln!(stdout, "created {}", configuration.display())?;
    }
    writeln!(stdout, "next: kientruc check {}", args.directory.display())?;
    Ok(ExitStatus::Success)
}
