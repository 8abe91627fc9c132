//! `kientruc.toml`, the optional workspace configuration at the workspace root: which rules run
//! (`select`, `ignore`: rule ids, id prefixes such as `SEC`, or reference models such as `SRM`),
//! per-rule severity overrides, the `fail-on` threshold and the language of messages. Unknown
//! keys and unknown rule ids are errors with a location and a hint. Patterns may name the pack's
//! rules and the checker's own (`KT-WAIVER-EXPIRED`, `KT-WAIVER-UNUSED`).

use crate::rules::{Rule, RulePack};
use kientruc_dsl::diagnostic::{Code, Diagnostic, Severity};
use kientruc_dsl::metamodel::Language;
use kientruc_dsl::resolve::suggest;
use kientruc_dsl::text::{FileId, TextRange};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub fail_on: Option<Severity>,
    pub language: Option<Language>,
    /// The workspace's overlay of own rules (`[overlay]`), if it declares one.
    pub overlay: Option<OverlayDeclaration>,
    /// The offset from UTC, in minutes, of the zone whose date is "today" (`utc-offset`,
    /// default +07:00, Vietnam).
    pub utc_offset_minutes: Option<i32>,
    /// Where the rule catalogue is published (`docs-url`, an `http(s)` address): a rule's page
    /// is `{docs-url}/{framework}.md#{rule}`, or the address with its `{framework}` and `{rule}`
    /// placeholders filled in. Overrides the pack's `doc_base_url`.
    pub docs_url: Option<String>,
    /// The workspace's baseline file (`baseline`), relative to the folder holding
    /// `kientruc.toml` and inside it: `check` and `report` apply it when no `--baseline` is
    /// given, and `kientruc baseline` writes there by default.
    pub baseline: Option<String>,
    /// Paths the walk of the workspace skips (`exclude`): patterns in `.gitignore` syntax,
    /// relative to the folder holding `kientruc.toml`. A file named on the command line is
    /// read all the same.
    pub exclude: Vec<String>,
}

/// `[overlay]` of `kientruc.toml`: a province's or ministry's own rules, loaded with the pack.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverlayDeclaration {
    /// The overlay's id (`hanoi`).
    pub id: String,
    /// The prefix of its rule ids (`HN`: every rule id starts with `HN-`).
    pub prefix: String,
    /// The overlay's register, relative to `kientruc.toml`.
    #[schemars(with = "Option<String>")]
    pub documents: Option<Spanned<String>>,
    /// Its rule files, relative to `kientruc.toml`.
    #[schemars(with = "Vec<String>")]
    pub rules: Vec<Spanned<String>>,
}

/// The files an overlay declares (register first), relative to the configuration's folder: read
/// them before checking. Empty when the text declares no overlay (or does not parse).
pub fn overlay_files(text: &str) -> Vec<String> {
    #[derive(Deserialize)]
    struct Loose {
        overlay: Option<OverlayDeclaration>,
    }
    let Ok(Loose {
        overlay: Some(overlay),
    }) = toml::from_str::<Loose>(text)
    else {
        return Vec::new();
    };
    overlay
        .documents
        .iter()
        .chain(&overlay.rules)
        .map(|path| path.get_ref().clone())
        .collect()
}

/// The `exclude` patterns of a configuration's text, for the walk of the workspace (which runs
/// before the configuration is checked): empty when the text does not parse. Patterns that are
/// not valid are left out here and reported by [`Config::parse`].
pub fn exclude_patterns(text: &str) -> Vec<String> {
    #[derive(Deserialize)]
    struct Loose {
        #[serde(default)]
        exclude: Vec<String>,
    }
    toml::from_str::<Loose>(text)
        .map(|loose| {
            loose
                .exclude
                .into_iter()
                .filter(|pattern| exclude_pattern_error(pattern).is_none())
                .collect()
        })
        .unwrap_or_default()
}

/// Why `pattern` cannot be an `exclude` pattern, or `None` when it can: a `.gitignore` line
/// that is not empty, not a comment, not a negation (`!`: the walk has nothing to re-include)
/// and a valid glob.
pub fn exclude_pattern_error(pattern: &str) -> Option<String> {
    let trimmed = pattern.trim();
    if trimmed.is_empty() {
        return Some("an empty pattern excludes nothing".to_owned());
    }
    if trimmed.starts_with('#') {
        return Some("a pattern starting with # is a comment in .gitignore syntax".to_owned());
    }
    if trimmed.starts_with('!') {
        return Some("exclude patterns cannot re-include (!)".to_owned());
    }
    if pattern.chars().any(char::is_control) {
        return Some("a pattern cannot hold control characters".to_owned());
    }
    let mut builder = ignore::gitignore::GitignoreBuilder::new("");
    builder
        .add_line(None, pattern)
        .err()
        .map(|error| error.to_string())
}

/// Whether `text` is an `http(s)` address without spaces or control characters: what a
/// documentation address (`docs-url`, a pack's `doc_base_url`) must be to become a link.
pub fn is_http_address(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !text
            .chars()
            .any(|character| character.is_control() || character.is_whitespace())
}

/// Parses `+07:00` / `-05:30` / `UTC` into minutes east of UTC.
pub fn parse_utc_offset(text: &str) -> Option<i32> {
    if text == "UTC" || text == "Z" {
        return Some(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 60 + minutes))
}

/// `kientruc.toml`, as written.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(transform = docs_url_alias)]
struct RawConfig {
    /// The workspace's own rules (a province's or a ministry's), loaded with the framework pack.
    overlay: Option<OverlayDeclaration>,
    /// The offset from UTC of the zone whose date is "today", for dates in force and waiver
    /// expiry: `+07:00` (the default, Vietnam), `-05:30` or `UTC`.
    #[schemars(with = "Option<kientruc_dsl::schema::UtcOffset>")]
    utc_offset: Option<Spanned<String>>,
    /// Where the rule catalogue is published (an `http(s)` address): a rule's page is
    /// `{docs-url}/{framework}.md#{rule}`, or the address with its `{framework}` and `{rule}`
    /// placeholders filled in. Overrides the pack's `doc_base_url`.
    #[serde(alias = "docs_url")]
    #[schemars(with = "Option<kientruc_dsl::schema::HttpAddress>")]
    docs_url: Option<Spanned<String>>,
    /// The workspace's baseline file, relative to `kientruc.toml` and inside its folder
    /// (`.kientruc-baseline.json`): `check` and `report` apply it when no `--baseline` is given,
    /// and `kientruc baseline` writes there.
    #[schemars(with = "Option<String>")]
    baseline: Option<Spanned<String>>,
    /// Paths the walk of the workspace skips: patterns in `.gitignore` syntax, relative to
    /// `kientruc.toml` (`["drafts/", "generated/**/*.ea"]`). A file named on the command line
    /// is read all the same.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    exclude: Vec<Spanned<String>>,
    /// The rules to run (default: all): rule ids (`SEC-001`), id prefixes (`SEC`) or reference
    /// models (`SRM`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    select: Vec<Spanned<String>>,
    /// The rules not to run: rule ids, id prefixes or reference models.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    ignore: Vec<Spanned<String>>,
    /// Severity overrides: a rule id, id prefix or reference model → `error`, `warning` or
    /// `info` (the most specific pattern wins).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, kientruc_dsl::schema::SeverityName>")]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    /// Findings at or above this severity make `check` fail (exit 1): `error` (the default),
    /// `warning` or `info`.
    #[schemars(with = "Option<kientruc_dsl::schema::SeverityName>")]
    fail_on: Option<Spanned<String>>,
    /// The language of messages: `vi` (Vietnamese) or `en` (English).
    #[schemars(with = "Option<kientruc_dsl::schema::LanguageCode>")]
    language: Option<Spanned<String>>,
}

/// `docs_url` is accepted for `docs-url` (serde's `alias`, which schemars does not see).
fn docs_url_alias(schema: &mut schemars::Schema) {
    if let Some(properties) = schema
        .get_mut("properties")
        .and_then(serde_json::Value::as_object_mut)
        && let Some(mut docs_url) = properties.get("docs-url").cloned()
    {
        docs_url["description"] = "Another spelling of `docs-url`.".into();
        properties.insert("docs_url".to_owned(), docs_url);
    }
}

/// The schema of `kientruc.toml` (`schemas/kientruc.schema.json`).
pub fn schema() -> schemars::Schema {
    kientruc_dsl::schema::document::<RawConfig>(
        "kientruc.schema.json",
        "kientruc workspace configuration (kientruc.toml)",
        "The optional configuration at a workspace's root: which rules run and at what severity, \
         the fail-on threshold, the language of messages, the baseline, excluded paths, the \
         workspace's own rules (overlay) and where the rule catalogue is published.",
    )
}

const KEYS: &[&str] = &[
    "select",
    "ignore",
    "severity",
    "fail-on",
    "language",
    "overlay",
    "utc-offset",
    "docs-url",
    "baseline",
    "exclude",
];

/// Is `path` (from `baseline`) relative and inside the configuration's folder? Refuses an
/// absolute path (`/x`, `\\x`, `C:x`), an empty one and one whose `..` leave the folder.
fn inside_workspace(path: &str) -> bool {
    let bytes = path.as_bytes();
    if path.trim().is_empty()
        || path.starts_with('/')
        || path.starts_with('\\')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
        || path.chars().any(char::is_control)
    {
        return false;
    }
    let mut depth = 0_usize;
    for component in path.split(['/', '\\']) {
        match component {
            "" | "." => {}
            ".." => match depth.checked_sub(1) {
                Some(up) => depth = up,
                None => return false,
            },
            _ => depth += 1,
        }
    }
    depth > 0
}

/// Does `pattern` (an id, an id prefix, or a reference model) select the rule?
pub fn selects(pattern: &str, rule_id: &str, reference_model: &str) -> bool {
    rule_id == pattern
        || rule_id
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('-'))
        || pattern.eq_ignore_ascii_case(reference_model)
}

/// A `select`, `ignore` or severity pattern that selects no rule (see [`unknown_pattern`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPattern {
    /// The pattern names a rule id or id prefix in another case (`sec-001`): ids are
    /// case-sensitive.
    pub case_only: bool,
    /// The pattern to use instead: the correctly cased id or prefix, or else the closest id,
    /// id prefix or reference model.
    pub suggestion: Option<String>,
}

impl UnknownPattern {
    /// The diagnostic's message, `written` being how the pattern appears (`` `SEC-04` ``).
    pub fn message(&self, written: &str) -> String {
        if self.case_only {
            format!("{written} selects no rule: rule ids are case-sensitive")
        } else {
            format!("{written} selects no rule")
        }
    }

    /// The did-you-mean help, when there is a suggestion.
    pub fn help(&self) -> Option<String> {
        self.suggestion
            .as_ref()
            .map(|suggestion| format!("did you mean `{suggestion}`?"))
    }
}

/// `None` when `pattern` selects one of `rules`; otherwise why not, with a suggestion.
pub fn unknown_pattern<'r>(
    pattern: &str,
    rules: impl IntoIterator<Item = &'r Rule>,
) -> Option<UnknownPattern> {
    let rules: Vec<&Rule> = rules.into_iter().collect();
    if rules
        .iter()
        .any(|rule| selects(pattern, &rule.id, rule.reference_model.as_str()))
    {
        return None;
    }
    // The same id or id prefix in another case: say that ids are case-sensitive.
    let cased = rules.iter().find_map(|rule| {
        let prefix = rule.id.get(..pattern.len())?;
        let rest = &rule.id[pattern.len()..];
        (prefix.eq_ignore_ascii_case(pattern) && (rest.is_empty() || rest.starts_with('-')))
            .then(|| prefix.to_owned())
    });
    if cased.is_some() {
        return Some(UnknownPattern {
            case_only: true,
            suggestion: cased,
        });
    }
    let mut candidates: BTreeSet<&str> = BTreeSet::new();
    for rule in &rules {
        candidates.insert(&rule.id);
        candidates.insert(rule.reference_model.as_str());
        candidates.extend(
            rule.id
                .match_indices('-')
                .map(|(index, _)| &rule.id[..index]),
        );
    }
    Some(UnknownPattern {
        case_only: false,
        suggestion: (!pattern.is_empty())
            .then(|| suggest(pattern, candidates.into_iter()))
            .flatten()
            .map(str::to_owned),
    })
}

impl Config {
    /// Parses the configuration; problems are diagnostics in `file`. `extend` adds the
    /// overlay the configuration declares to the pack before rule patterns are checked.
    pub fn parse(
        file: FileId,
        text: &str,
        pack: &mut RulePack,
        extend: impl FnOnce(&mut RulePack, &OverlayDeclaration, &mut Vec<Diagnostic>),
    ) -> (Config, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let raw: RawConfig = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(error) => {
                let range = error.span().map_or(TextRange::empty(0), |span| {
                    TextRange::new(span.start, span.end)
                });
                let message = error.message().trim_end().to_owned();
                let mut diagnostic =
                    Diagnostic::new(Code::ConfigError, format!("kientruc.toml: {message}"))
                        .at(file, range, "here");
                if let Some(unknown) = message
                    .strip_prefix("unknown field `")
                    .and_then(|rest| rest.split('`').next())
                {
                    diagnostic = match suggest(unknown, KEYS.iter().copied()) {
                        Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                        None => diagnostic.with_help(format!("keys: {}", KEYS.join(", "))),
                    };
                }
                diagnostics.push(diagnostic);
                return (Config::default(), diagnostics);
            }
        };
        let range =
            |spanned: &Spanned<String>| TextRange::new(spanned.span().start, spanned.span().end);
        if let Some(overlay) = &raw.overlay {
            extend(pack, overlay, &mut diagnostics);
        }
        let pack: &RulePack = pack;
        let utc_offset_minutes = raw.utc_offset.as_ref().and_then(|offset| {
            let parsed = parse_utc_offset(offset.get_ref());
            if parsed.is_none() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ConfigError,
                        format!("`{}` is not a UTC offset", offset.get_ref()),
                    )
                    .at(file, range(offset), "not an offset")
                    .with_help("write the offset as +07:00 (Vietnam), -05:00 or UTC"),
                );
            }
            parsed
        });
        let docs_url = raw.docs_url.as_ref().and_then(|url| {
            let text = url.get_ref().trim();
            let valid = is_http_address(text);
            if !valid {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ConfigError,
                        format!("`{}` is not an http(s) address", url.get_ref()),
                    )
                    .at(file, range(url), "not an http(s) address")
                    .with_help(
                        "write the address where the rule catalogue is published, e.g. \
                         https://docs.example.gov.vn/kientruc/rules (a rule's page is \
                         {docs-url}/{framework}.md#{rule}, or use the {framework} and {rule} \
                         placeholders)",
                    ),
                );
            }
            valid.then(|| text.to_owned())
        });
        let baseline = raw.baseline.as_ref().and_then(|path| {
            let valid = inside_workspace(path.get_ref());
            if !valid {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ConfigError,
                        format!("`{}` is not a file inside the workspace", path.get_ref()),
                    )
                    .at(file, range(path), "not a path inside the workspace")
                    .with_help(
                        "write the baseline's path relative to kientruc.toml, inside its folder, \
                         e.g. baseline = \".kientruc-baseline.json\"",
                    ),
                );
            }
            valid.then(|| path.get_ref().clone())
        });
        for pattern in &raw.exclude {
            if let Some(error) = exclude_pattern_error(pattern.get_ref()) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ConfigError,
                        format!("`{}` is not an exclude pattern: {error}", pattern.get_ref()),
                    )
                    .at(file, range(pattern), "not an exclude pattern")
                    .with_help(
                        "write paths in .gitignore syntax, relative to kientruc.toml, e.g. \
                         exclude = [\"drafts/\", \"generated/**/*.ea\"]",
                    ),
                );
            }
        }
        let tool_rules = crate::findings::tool_rules();
        let check_pattern = |pattern: &Spanned<String>, diagnostics: &mut Vec<Diagnostic>| {
            if let Some(unknown) =
                unknown_pattern(pattern.get_ref(), pack.rules.iter().chain(&tool_rules))
            {
                let mut diagnostic = Diagnostic::new(
                    Code::ConfigError,
                    unknown.message(&format!("`{}`", pattern.get_ref())),
                )
                .at(
                    file,
                    range(pattern),
                    "matches no rule id, prefix or reference model",
                );
                if let Some(help) = unknown.help() {
                    diagnostic = diagnostic.with_help(help);
                }
                diagnostics.push(diagnostic);
            }
        };
        for pattern in raw.select.iter().chain(&raw.ignore) {
            check_pattern(pattern, &mut diagnostics);
        }
        let mut severity = BTreeMap::new();
        for (rule, level) in &raw.severity {
            check_pattern(rule, &mut diagnostics);
            match Severity::parse(level.get_ref()) {
                Some(level) => {
                    severity.insert(rule.get_ref().clone(), level);
                }
                None => diagnostics.push(
                    Diagnostic::new(
                        Code::ConfigError,
                        format!("unknown severity `{}`", level.get_ref()),
                    )
                    .at(file, range(level), "not a severity")
                    .with_help("use error, warning or info"),
                ),
            }
        }
        let fail_on = raw.fail_on.as_ref().and_then(|level| {
            let parsed = Severity::parse(level.get_ref());
            if parsed.is_none() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ConfigError,
                        format!("unknown severity `{}`", level.get_ref()),
                    )
                    .at(file, range(level), "not a severity")
                    .with_help("use error, warning or info"),
                );
            }
            parsed
        });
        let language =
            raw.language
                .as_ref()
                .and_then(|language| match language.get_ref().as_str() {
                    "vi" => Some(Language::Vi),
                    "en" => Some(Language::En),
                    other => {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::ConfigError,
                                format!("unknown language `{other}`"),
                            )
                            .at(file, range(language), "not a language")
                            .with_help("use vi or en"),
                        );
                        None
                    }
                });
        let config = Config {
            select: raw.select.into_iter().map(Spanned::into_inner).collect(),
            ignore: raw.ignore.into_iter().map(Spanned::into_inner).collect(),
            severity,
            fail_on,
            language,
            overlay: raw.overlay,
            utc_offset_minutes,
            docs_url,
            baseline,
            exclude: raw
                .exclude
                .into_iter()
                .map(Spanned::into_inner)
                .filter(|pattern| exclude_pattern_error(pattern).is_none())
                .collect(),
        };
        (config, diagnostics)
    }

    /// Does this configuration run `rule`?
    pub fn runs(&self, rule_id: &str, reference_model: &str) -> bool {
        let selected = self.select.is_empty()
            || self
                .select
                .iter()
                .any(|pattern| selects(pattern, rule_id, reference_model));
        selected
            && !self
                .ignore
                .iter()
                .any(|pattern| selects(pattern, rule_id, reference_model))
    }

    /// The severity of `rule` after overrides (the most specific pattern wins: longest).
    pub fn severity_of(&self, rule_id: &str, reference_model: &str, default: Severity) -> Severity {
        self.severity
            .iter()
            .filter(|(pattern, _)| selects(pattern, rule_id, reference_model))
            .max_by_key(|(pattern, _)| pattern.len())
            .map_or(default, |(_, severity)| *severity)
    }
}
