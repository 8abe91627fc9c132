//! Every rule id named anywhere in the repository (docs, models, metamodel descriptions, code,
//! tests) is defined by a framework pack or an overlay: a renamed, moved or never-built rule
//! cannot linger in a comment, a waiver or a description (issue 18). Ids are recognised by the
//! framework's prefixes (`GOV-001`, `SEC-004-COVERS`, `HN-DAT-013-LAND`); test-only packs use
//! other prefixes (`T-…`, `X-…`). Fuzz corpora (arbitrary inputs) are not read.

use crate::support::{repository_root, tracked_files};
use std::collections::BTreeSet;

const PREFIXES: &[&str] = &["GOV", "BUS", "DAT", "APP", "INT", "INF", "SEC", "PDP", "HN"];

/// The rule ids in `text`: a prefix, `-`, three digits, then `-WORD` parts in capitals or digits.
fn rule_ids(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let boundary = index == 0
            || !(bytes[index - 1].is_ascii_alphanumeric()
                || bytes[index - 1] == b'-'
                || bytes[index - 1] == b'_');
        let prefix = PREFIXES
            .iter()
            .find(|prefix| boundary && bytes[index..].starts_with(format!("{prefix}-").as_bytes()));
        let Some(prefix) = prefix else {
            index += 1;
            continue;
        };
        let mut end = index + prefix.len();
        // `HN-` may be followed by another prefix (`HN-DAT-013-LAND`).
        let mut parts = 0;
        let mut has_number = false;
        while end < bytes.len() && bytes[end] == b'-' {
            let start = end + 1;
            let mut stop = start;
            while stop < bytes.len()
                && (bytes[stop].is_ascii_uppercase() || bytes[stop].is_ascii_digit())
            {
                stop += 1;
            }
            if stop == start {
                break;
            }
            let part = &text[start..stop];
            if part.len() == 3 && part.bytes().all(|b| b.is_ascii_digit()) {
                has_number = true;
            } else if !has_number && !PREFIXES.contains(&part) {
                break;
            }
            end = stop;
            parts += 1;
        }
        let next_is_word =
            end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_');
        if has_number && parts > 0 && !next_is_word {
            found.push(text[index..end].to_owned());
        }
        index = end.max(index + 1);
    }
    found
}

#[test]
fn the_rule_id_scanner_reads_ids_and_only_ids() {
    assert_eq!(
        rule_ids(
            "GOV-001, SEC-004-COVERS; HN-DAT-013-LAND (INT-003) docs/GOV-002-ARM.md x-SEC-001 SEC-01 ARM-001 HN-001"
        ),
        [
            "GOV-001",
            "SEC-004-COVERS",
            "HN-DAT-013-LAND",
            "INT-003",
            "GOV-002-ARM",
            "HN-001"
        ]
    );
}

#[test]
fn every_rule_id_named_in_the_repository_is_defined() {
    let root = repository_root();
    // The defined ids: `id = "…"` of every rule file of the packs and overlays.
    let files = tracked_files();
    let mut defined: BTreeSet<String> = BTreeSet::new();
    for name in &files {
        if name.starts_with("architecture/")
            && name.contains("/rules/")
            && name.ends_with(".toml")
            && !name.contains("/fixtures/")
        {
            let text = std::fs::read_to_string(root.join(name)).unwrap();
            for line in text.lines() {
                if let Some(id) = line
                    .trim()
                    .strip_prefix("id = \"")
                    .and_then(|rest| rest.strip_suffix('"'))
                {
                    defined.insert(id.to_owned());
                }
            }
        }
    }
    assert!(defined.len() >= 80, "{defined:?}");
    let mut unknown: Vec<String> = Vec::new();
    for name in &files {
        if name.starts_with("fuzz/corpus")
            || name.contains("/snapshots/") && name.ends_with(".snap.new")
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(name)) else {
            continue; // not text
        };
        for (number, line) in text.lines().enumerate() {
            for id in rule_ids(line) {
                // A family (`GOV-002`) is named by the rules it prefixes (`GOV-002-ARM`).
                let family = defined.iter().any(|known| {
                    known
                        .strip_prefix(id.as_str())
                        .is_some_and(|rest| rest.starts_with('-'))
                });
                if !defined.contains(&id) && !family {
                    unknown.push(format!("{name}:{}: {id}", number + 1));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "{} mentions of rule ids no pack or overlay defines (rename them, build the rule, or remove the mention):\n{}",
        unknown.len(),
        unknown.join("\n")
    );
}
