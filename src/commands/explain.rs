//! `kientruc explain RULE`: a rule's title, rationale, citation, fix, check, and its passing and
//! failing fixtures.

use crate::args::{ExplainArgs, LanguageArg};
use crate::commands::rules::load;
use crate::exit::ExitStatus;
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::resolve::suggest;
use std::fmt::Write as _;
use std::io::Write as _;

pub fn run(args: &ExplainArgs) -> anyhow::Result<ExitStatus> {
    let loaded = match load(&args.framework, args.level.as_deref()) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitStatus::InvalidInput);
        }
    };
    let language = if args.lang == Some(LanguageArg::En) {
        Language::En
    } else {
        Language::Vi
    };
    let wanted = args.rule.to_ascii_uppercase();
    let Some(rule) = loaded
        .rules
        .get(&wanted)
        .or_else(|| loaded.tool_rules.iter().find(|rule| rule.id == wanted))
    else {
        let ids = loaded.rules.rules.iter().map(|rule| rule.id.as_str());
        let hint = suggest(&wanted, ids)
            .map(|best| format!("; did you mean `{best}`?"))
            .unwrap_or_default();
        eprintln!("error: no rule `{}` in {}{hint}", args.rule, loaded.pack.id);
        return Ok(ExitStatus::InvalidInput);
    };
    let mut out = String::new();
    let other = if language == Language::Vi {
        Language::En
    } else {
        Language::Vi
    };
    writeln!(out, "{} — {}", rule.id, rule.title.get(language))?;
    writeln!(out, "({})", rule.title.get(other))?;
    writeln!(out)?;
    writeln!(out, "severity:        {}", rule.severity.as_str())?;
    writeln!(
        out,
        "reference model: {} ({})",
        rule.reference_model.as_str(),
        rule.reference_model.name().get(language)
    )?;
    writeln!(
        out,
        "levels:          {}",
        if rule.levels.is_empty() {
            "every level".to_owned()
        } else {
            rule.levels.join(", ")
        }
    )?;
    writeln!(out, "citation:")?;
    for cited in &rule.citation.documents {
        let period = match (cited.document.from(), &cited.document.replaced_by) {
            (Some(from), Some(replacement)) => format!(
                "in force {} – {} (replaced by {})",
                from, replacement.date, replacement.key
            ),
            (Some(from), None) => format!("in force from {from}"),
            (None, _) => "dates unknown".to_owned(),
        };
        writeln!(out, "  - {}", cited.render(language))?;
        writeln!(
            out,
            "    [{}] {period}{}",
            cited.document.key,
            if cited.document.verified {
                ""
            } else {
                ", inferred"
            }
        )?;
        if let Some(url) = &cited.document.url {
            writeln!(out, "    {url}")?;
        }
    }
    if let Some(reference) = &rule.citation.tool_reference {
        writeln!(out, "  {reference}")?;
    }
    if let Some(note) = &rule.citation.note {
        writeln!(out, "                 {note}")?;
    }
    writeln!(out, "\nWhy:\n  {}", rule.rationale.get(language))?;
    writeln!(out, "\nHow to fix:\n  {}", rule.fix.get(language))?;
    writeln!(out, "\nMessage:\n  {}", rule.message.get(language))?;
    if !rule.check_source.is_empty() {
        writeln!(out, "\nCheck:")?;
        for (key, value) in &rule.check_source {
            writeln!(out, "  {key} = {value}")?;
        }
    }
    for (heading, prefix) in [("Failing example", "fail"), ("Passing example", "pass")] {
        let fixture_prefix = format!("fixtures/{}/{prefix}", rule.id);
        for (name, text) in loaded
            .pack
            .files
            .iter()
            .filter(|(name, _)| name.starts_with(&fixture_prefix))
        {
            writeln!(out, "\n{heading} ({name}):")?;
            for line in text.lines() {
                writeln!(out, "    {line}")?;
            }
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitStatus::Success)
}
