//! `kientruc rules`: the rule catalogue of a framework pack, with all metadata.

use crate::args::{CatalogueFormat, LanguageArg, RulesArgs};
use crate::exit::ExitStatus;
use kientruc_checker::rules::{Rule, RulePack};
use kientruc_dsl::metamodel::{Language, Metamodel};
use kientruc_dsl::workspace::{Files, FrameworkPack, FrameworkRegistry as _};
use serde::Serialize;
use std::io::Write as _;

/// A framework pack with its rules loaded, for catalogue commands.
pub struct LoadedPack {
    pub pack: FrameworkPack,
    /// `framework.toml`, when it parses.
    pub info: Option<kientruc_dsl::workspace::FrameworkInfo>,
    pub files: Files,
    pub rules: RulePack,
    pub tool_rules: Vec<Rule>,
}

/// Loads a pack by id (a local folder near the current directory wins over the embedded one),
/// its rule texts read at `level` (`None`: at every level, as the catalogue shows them);
/// `Err` holds rendered diagnostics or a message for exit code 2.
pub fn load(framework: &str, level: Option<&str>) -> Result<LoadedPack, String> {
    let current = std::env::current_dir().unwrap_or_default();
    let registry = crate::host::registry(&current);
    let Some(pack) = registry.get(framework) else {
        return Err(format!(
            "no framework pack `{framework}`; known: {}",
            registry.ids().join(", ")
        ));
    };
    let mut files = Files::default();
    let mut diagnostics = Vec::new();
    let Some(text) = pack.files.get("metamodel.toml").cloned() else {
        return Err(format!(
            "framework pack `{framework}` has no metamodel.toml"
        ));
    };
    let metamodel_file = files.add(
        pack.display_name("metamodel.toml"),
        format!("framework:{framework}/metamodel.toml").into(),
        text.clone(),
        kientruc_dsl::workspace::Origin::Framework,
    );
    let (metamodel, metamodel_diagnostics) = Metamodel::from_toml(metamodel_file, &text);
    diagnostics.extend(metamodel_diagnostics);
    let metamodel = metamodel.unwrap_or_default();
    let rules = kientruc_checker::rules::load_pack(&mut files, &pack, &metamodel, &mut diagnostics);
    let info = pack
        .files
        .get("framework.toml")
        .and_then(|text| toml::from_str::<kientruc_dsl::workspace::FrameworkInfo>(text).ok());
    if let (Some(level), Some(info)) = (level, &info)
        && !info.levels.contains_key(level)
    {
        return Err(format!(
            "framework `{framework}` defines no level `{level}`; its levels: {}",
            info.levels.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    let rules = rules.at_level(info.as_ref(), level);
    if !diagnostics.is_empty() {
        return Err(kientruc_reports::human::diagnostics(
            &files,
            &diagnostics,
            false,
        ));
    }
    Ok(LoadedPack {
        pack,
        info,
        files,
        rules,
        tool_rules: kientruc_checker::findings::tool_rules(),
    })
}

#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    title: &'a kientruc_dsl::metamodel::Localized,
    message: &'a kientruc_dsl::metamodel::Localized,
    severity: kientruc_dsl::Severity,
    reference_model: &'static str,
    citation: &'a kientruc_checker::rules::Citation,
    rationale: &'a kientruc_dsl::metamodel::Localized,
    fix: &'a kientruc_dsl::metamodel::Localized,
    check: &'a std::collections::BTreeMap<String, toml::Value>,
    /// The levels of architecture the rule applies at; empty: every level.
    levels: &'a [String],
    fixtures: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonCatalogue<'a> {
    framework: &'a str,
    rules: Vec<JsonRule<'a>>,
}

pub fn run(args: &RulesArgs) -> anyhow::Result<ExitStatus> {
    let loaded = match load(&args.framework, args.level.as_deref()) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprint!("error: {message}");
            eprintln!();
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let language = if args.lang == Some(LanguageArg::En) {
        Language::En
    } else {
        Language::Vi
    };
    let mut stdout = std::io::stdout().lock();
    let all: Vec<&Rule> = loaded
        .rules
        .rules
        .iter()
        .chain(&loaded.tool_rules)
        .collect();
    match args.format {
        CatalogueFormat::Json => {
            let catalogue = JsonCatalogue {
                framework: &loaded.pack.id,
                rules: all
                    .iter()
                    .map(|rule| JsonRule {
                        id: &rule.id,
                        title: &rule.title,
                        message: &rule.message,
                        severity: rule.severity,
                        reference_model: rule.reference_model.as_str(),
                        citation: &rule.citation,
                        rationale: &rule.rationale,
                        fix: &rule.fix,
                        check: &rule.check_source,
                        levels: &rule.levels,
                        fixtures: loaded
                            .pack
                            .files
                            .keys()
                            .filter(|name| name.starts_with(&format!("fixtures/{}/", rule.id)))
                            .map(String::as_str)
                            .collect(),
                    })
                    .collect(),
            };
            let mut text = serde_json::to_string_pretty(&catalogue)?;
            text.push('\n');
            stdout.write_all(text.as_bytes())?;
        }
        CatalogueFormat::Markdown => {
            let title = loaded.info.clone().map_or_else(
                || loaded.pack.id.clone(),
                |info| {
                    let issued = info.issued.unwrap_or_default();
                    let issued = match (language, kientruc_dsl::syntax::Date::parse(&issued)) {
                        (Language::Vi, Some(date)) => kientruc_checker::register::date_vi(date),
                        (Language::En, Some(date)) => kientruc_checker::register::date_en(date),
                        (_, None) => issued,
                    };
                    format!(
                        "{} ({}, {issued})",
                        info.name.get(language),
                        info.decision.unwrap_or_default(),
                    )
                },
            );
            let mut rules: Vec<Rule> = loaded.rules.rules.clone();
            rules.extend(loaded.tool_rules.iter().cloned());
            stdout.write_all(
                kientruc_checker::docs::catalogue_markdown(&loaded.pack, &title, &rules, language)
                    .as_bytes(),
            )?;
        }
        CatalogueFormat::Human => {
            for rule in &all {
                writeln!(
                    stdout,
                    "{:<20} {:<7} {:<4} {}",
                    rule.id,
                    rule.severity.as_str(),
                    rule.reference_model.as_str(),
                    rule.title.get(language)
                )?;
            }
            writeln!(stdout, "{} rules", all.len())?;
        }
    }
    let _ = &loaded.files;
    Ok(ExitStatus::Success)
}
