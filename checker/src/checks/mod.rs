//! The check types a rule can use. Each lives in one module with its TOML keys, its loading
//! (validation against the metamodel, problems as diagnostics at the rule file) and its
//! evaluation over the graph; [`CHECK_TYPES`] registers them. Adding a check type is one new
//! module and one row of that table.

pub mod acyclic;
pub mod builtin;
pub mod cardinality;
pub mod forbidden_relation;
pub mod path_through;
pub mod reachable;
pub mod required_property;
pub mod required_relation;
pub mod unique;

use crate::engine::{Context, Hit};
use crate::selector::Selector;
use kientruc_dsl::diagnostic::{Code, Diagnostic};
use kientruc_dsl::metamodel::{Metamodel, ValueType};
use kientruc_dsl::resolve::suggest;
use kientruc_dsl::text::{FileId, TextRange};
use schemars::JsonSchema;
use serde::Deserialize;
use std::sync::Arc;
use toml::Spanned;

/// What one rule checks: a value of one of the check types.
pub trait CheckRule: std::fmt::Debug + Send + Sync + std::panic::RefUnwindSafe {
    /// The check type's name as written in a pack (`path-through`).
    fn type_name(&self) -> &'static str;

    /// The selectors whose whole selection the check takes: computed for all rules together
    /// before any runs (see [`crate::engine::Selections`]). Selectors it tests one element at a
    /// time (a link's target, an intermediary) are not among them.
    fn selected(&self) -> Vec<&Selector> {
        Vec::new()
    }

    /// The selector of the elements the rule judges one by one, when it has one: a rule whose
    /// subject selects no workspace element is *not applicable*, not passed. Checks of the
    /// whole model (cardinality, built-in rules) have none.
    fn subject(&self) -> Option<&Selector> {
        None
    }

    /// The violations in the model.
    fn evaluate(&self, context: &Context<'_>) -> Vec<Hit>;

    /// The properties of elements that [`CheckRule::evaluate`] reads (see [`PropertyReads`]):
    /// when an edit changes only properties it does not read, the language server keeps the
    /// rule's findings instead of evaluating it again. A check that does not say reads them all.
    fn property_reads(&self) -> PropertyReads {
        PropertyReads::All
    }
}

/// The properties of elements a check reads, the part of a model an edit most often changes (a
/// value typed). Everything else a check may read is taken to be read by every check: the
/// elements' ids, kinds, layers, names, tags, parents and children, the relations, the header,
/// the boundary, the rule pack and the dates. A change to any of those evaluates every rule
/// again (`crate::incremental`).
///
/// A check's reads must include every property its `evaluate` reads, on any element, directly
/// or through a selector: a property missing here is a finding kept when it should have changed.
/// A check must follow no link of the graph but those of the types its reads name (none when
/// they name no `links`): when only some checks run again, their graph has those links alone
/// (`ModelGraph::with_link_types`, `ModelGraph::without_links`). `checker/tests/incremental.rs`
/// compares the kept findings with a full run after random edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyReads {
    /// Any property of any element.
    All,
    /// The properties `names`, and, when `links` is given, the reference properties the graph
    /// turns into links of those types (an empty list: of every type).
    Named {
        names: Vec<String>,
        links: Option<Vec<String>>,
    },
}

impl PropertyReads {
    /// The properties `selectors` test, and no links.
    pub fn of_selectors(selectors: &[&Selector]) -> PropertyReads {
        PropertyReads::Named {
            names: Vec::new(),
            links: None,
        }
        .and_selectors(selectors)
    }

    /// These reads and the properties `selectors` test too.
    #[must_use]
    pub fn and_selectors(self, selectors: &[&Selector]) -> PropertyReads {
        match self {
            PropertyReads::All => PropertyReads::All,
            PropertyReads::Named { mut names, links } => {
                for selector in selectors {
                    crate::selector::properties_read(selector, &mut names);
                }
                PropertyReads::Named { names, links }
            }
        }
    }

    /// These reads and the property `name` too.
    #[must_use]
    pub fn and_property(self, name: &str) -> PropertyReads {
        match self {
            PropertyReads::All => PropertyReads::All,
            PropertyReads::Named { mut names, links } => {
                names.push(name.to_owned());
                PropertyReads::Named { names, links }
            }
        }
    }

    /// These reads and the links of `types` too (empty: every type).
    #[must_use]
    pub fn and_links(self, types: &[String]) -> PropertyReads {
        match self {
            PropertyReads::All => PropertyReads::All,
            PropertyReads::Named { names, links } => {
                let links = match links {
                    // One list of every type stays every type.
                    Some(read) if read.is_empty() || types.is_empty() => Vec::new(),
                    Some(mut read) => {
                        read.extend(types.iter().cloned());
                        read
                    }
                    None => types.to_vec(),
                };
                PropertyReads::Named {
                    names,
                    links: Some(links),
                }
            }
        }
    }

    /// Whether a change to the property `name` on some element can change what the check finds;
    /// `link`: the property's value named an element before or after the change (the graph has
    /// a link of type `name` for it).
    pub fn affected_by(&self, name: &str, link: bool) -> bool {
        match self {
            PropertyReads::All => true,
            PropertyReads::Named { names, links } => {
                names.iter().any(|read| read == name)
                    || (link
                        && links.as_ref().is_some_and(|types| {
                            types.is_empty() || types.iter().any(|read| read == name)
                        }))
            }
        }
    }
}

/// A rule's check, shared (rule packs are cached and cloned).
pub type Check = Arc<dyn CheckRule>;

/// A check type: its name, the keys its `check` table takes besides `type`, and its loader.
pub struct CheckType {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub load: fn(&mut CheckInput<'_>) -> Option<Check>,
}

/// Every check type, in the order the documentation lists them.
pub const CHECK_TYPES: &[CheckType] = &[
    required_property::TYPE,
    required_relation::TYPE,
    forbidden_relation::TYPE,
    path_through::TYPE,
    reachable::TYPE,
    acyclic::TYPE,
    unique::TYPE,
    cardinality::TYPE,
    builtin::TYPE,
];

/// Which way a relation check looks from its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Outgoing,
    Incoming,
    /// Outgoing and incoming.
    Both,
}

/// The `check` table of a rule as written: every key some type takes (each type says which it
/// accepts).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCheck {
    /// The check type; each takes only its own keys (see docs/rules.md).
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    check_type: Spanned<String>,
    /// The elements the rule judges: a selector (`kind(system) and status = operational`).
    #[schemars(with = "Option<String>")]
    select: Option<Spanned<String>>,
    /// Where paths start: a selector.
    #[schemars(with = "Option<String>")]
    from: Option<Spanned<String>>,
    /// Where paths end: a selector.
    #[schemars(with = "Option<String>")]
    to: Option<Spanned<String>>,
    /// What every path must pass through: a selector.
    #[schemars(with = "Option<String>")]
    through: Option<Spanned<String>>,
    /// What the relation's other end must (or must not) be: a selector.
    #[schemars(with = "Option<String>")]
    target: Option<Spanned<String>>,
    /// A forbidden relation is allowed when it goes through an element this selector matches.
    #[schemars(with = "Option<String>")]
    unless_via: Option<Spanned<String>>,
    /// A property of the metamodel.
    #[schemars(with = "Option<String>")]
    property: Option<Spanned<String>>,
    /// One relation type (or reference property) or a list of them.
    relation: Option<OneOrMany>,
    /// For `reachable`: the relation types that serve an element on the way (one or a list).
    served_by: Option<OneOrMany>,
    /// The values the property may take.
    values: Option<Vec<String>>,
    /// The smallest count (or value) allowed.
    min: Option<i64>,
    /// The largest count (or value) allowed.
    max: Option<i64>,
    /// Which way relations are followed from the selected element: `outgoing` (the default),
    /// `incoming` or `both` (each type says which it allows).
    #[schemars(with = "Option<DirectionName>")]
    direction: Option<String>,
    /// Count relations that go through an intermediary (`via`) too.
    count_via: Option<bool>,
    /// A relation to an element superseded on the model's date counts as forbidden.
    superseded_on_date: Option<bool>,
    /// The rule's population, when `select` already narrows to the violating elements: the rule
    /// is *not applicable* (rather than passed) when this selector matches no element.
    #[schemars(with = "Option<String>")]
    applies_to: Option<Spanned<String>>,
    /// For `builtin`: the name of the rule written in Rust.
    #[schemars(with = "Option<BuiltinName>")]
    builtin: Option<Spanned<String>>,
}

/// One name or a list of names.
#[derive(Deserialize, Clone, JsonSchema)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// The directions a relation check may look.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[expect(
    dead_code,
    reason = "schema only: the loader reads the direction as a string"
)]
enum DirectionName {
    Outgoing,
    Incoming,
    Both,
}

/// The built-in rules' names ([`builtin::BuiltinRule::NAMES`]).
struct BuiltinName;

impl JsonSchema for BuiltinName {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "BuiltinRule".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": builtin::BuiltinRule::NAMES })
    }
}

/// Writes into a rule file's schema what [`CHECK_TYPES`] says: the check types' names, and for
/// each type the only keys its `check` table takes (besides `type` and `applies-to`).
pub(crate) fn restrict_check_keys(schema: &mut schemars::Schema) {
    let Some(check) = schema
        .get_mut("definitions")
        .and_then(|definitions| definitions.get_mut("RawCheck"))
    else {
        return;
    };
    let names: Vec<&str> = CHECK_TYPES
        .iter()
        .map(|check_type| check_type.name)
        .collect();
    if let Some(type_schema) = check.pointer_mut("/properties/type") {
        type_schema["enum"] = names.into();
    }
    let rules: Vec<serde_json::Value> = CHECK_TYPES
        .iter()
        .map(|check_type| {
            let mut keys = vec!["type", "applies-to"];
            keys.extend(check_type.keys);
            serde_json::json!({
                "if": { "properties": { "type": { "const": check_type.name } }, "required": ["type"] },
                "then": { "propertyNames": { "enum": keys } }
            })
        })
        .collect();
    check["allOf"] = rules.into();
}

impl RawCheck {
    /// Whether each key is present, by its name in the pack.
    fn present(&self) -> [(&'static str, bool); 17] {
        [
            ("select", self.select.is_some()),
            ("from", self.from.is_some()),
            ("to", self.to.is_some()),
            ("through", self.through.is_some()),
            ("target", self.target.is_some()),
            ("unless-via", self.unless_via.is_some()),
            ("property", self.property.is_some()),
            ("relation", self.relation.is_some()),
            ("served-by", self.served_by.is_some()),
            ("values", self.values.is_some()),
            ("min", self.min.is_some()),
            ("max", self.max.is_some()),
            ("direction", self.direction.is_some()),
            ("count-via", self.count_via.is_some()),
            ("superseded-on-date", self.superseded_on_date.is_some()),
            ("applies-to", self.applies_to.is_some()),
            ("builtin", self.builtin.is_some()),
        ]
    }

    /// A string-valued key by its name in the pack.
    fn text(&self, key: &str) -> Option<&Spanned<String>> {
        match key {
            "select" => self.select.as_ref(),
            "from" => self.from.as_ref(),
            "to" => self.to.as_ref(),
            "through" => self.through.as_ref(),
            "target" => self.target.as_ref(),
            "unless-via" => self.unless_via.as_ref(),
            "property" => self.property.as_ref(),
            "builtin" => self.builtin.as_ref(),
            "applies-to" => self.applies_to.as_ref(),
            _ => None,
        }
    }
}

fn one_or_many(value: Option<&OneOrMany>) -> Vec<String> {
    match value {
        Some(OneOrMany::One(one)) => vec![one.clone()],
        Some(OneOrMany::Many(many)) => many.clone(),
        None => Vec::new(),
    }
}

/// The byte range of a value of a rule file.
pub(crate) fn spanned_range<T>(spanned: &Spanned<T>) -> TextRange {
    let span = spanned.span();
    TextRange::new(span.start, span.end)
}

/// A problem of a rule file at `range`, with an optional help.
pub(crate) fn pack_error(
    file: FileId,
    range: TextRange,
    message: String,
    help: Option<String>,
) -> Diagnostic {
    let diagnostic = Diagnostic::new(Code::RulePackError, message).at(file, range, "here");
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// What a check type's loader reads: the rule's `check` table, where it is, and the metamodel
/// to validate it against. Problems become diagnostics at the rule file.
pub struct CheckInput<'a> {
    id: &'a str,
    check_type: String,
    raw: RawCheck,
    /// The whole `check` table.
    range: TextRange,
    file: FileId,
    text: &'a str,
    metamodel: &'a Metamodel,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl CheckInput<'_> {
    /// Reports a problem of the rule file.
    pub fn error(&mut self, range: TextRange, message: String, help: Option<String>) {
        self.diagnostics
            .push(pack_error(self.file, range, message, help));
    }

    /// Reports a problem of the check table as a whole.
    pub fn error_here(&mut self, message: String, help: Option<String>) {
        self.error(self.range, message, help);
    }

    /// Reports a missing key.
    pub fn missing(&mut self, name: &str) {
        let message = format!("{} rule `{}` needs `{name}`", self.check_type, self.id);
        self.error_here(message, None);
    }

    /// Checks that `keys` are all present, in order: the first missing one is reported.
    pub fn require(&mut self, keys: &[&str]) -> Option<()> {
        for key in keys {
            let present = match *key {
                "relation" => self.raw.relation.is_some(),
                key => self.raw.text(key).is_some(),
            };
            if !present {
                self.missing(key);
                return None;
            }
        }
        Some(())
    }

    /// The selector under `key`, parsed; `default` when the key is absent (`None`: required).
    pub fn selector(&mut self, key: &str, default: Option<&str>) -> Option<Selector> {
        let value = match (self.raw.text(key), default) {
            (Some(value), _) => value.clone(),
            (None, Some(default)) => Spanned::new(0..0, default.to_owned()),
            (None, None) => {
                self.missing(key);
                return None;
            }
        };
        self.parse_selector(&value)
    }

    /// The selector under `key` if the key is present: `Some(None)` when absent, `None` when
    /// it does not parse.
    pub fn optional_selector(&mut self, key: &str) -> Option<Option<Selector>> {
        match self.raw.text(key).cloned() {
            Some(value) => self.parse_selector(&value).map(Some),
            None => Some(None),
        }
    }

    fn parse_selector(&mut self, value: &Spanned<String>) -> Option<Selector> {
        match Selector::parse(value.get_ref(), self.metamodel) {
            Ok(selector) => Some(selector),
            Err(error) => {
                let range = spanned_range(value);
                // Point inside the string: skip the opening quote(s).
                let raw = &self.text[range.to_range()];
                let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
                    3
                } else {
                    1
                };
                let start = range.start as usize + quote + error.offset;
                let end = (start + error.length.max(1)).min(range.end as usize);
                self.error(
                    TextRange::new(start.min(range.end as usize), end),
                    format!("{} (in selector `{}`)", error.message, value.get_ref()),
                    None,
                );
                None
            }
        }
    }

    /// The property under `property`, which the metamodel must define.
    pub fn known_property(&mut self) -> Option<String> {
        let property = self.raw.property.clone()?;
        if self.metamodel.property(property.get_ref()).is_none() {
            let hint = suggest(
                property.get_ref(),
                self.metamodel.properties.keys().map(String::as_str),
            )
            .map(|best| format!("did you mean `{best}`?"));
            self.error(
                spanned_range(&property),
                format!("the metamodel defines no property `{}`", property.get_ref()),
                hint,
            );
            return None;
        }
        Some(property.into_inner())
    }

    /// The property under `property`, as written.
    pub fn property(&self) -> Option<String> {
        self.raw
            .property
            .as_ref()
            .map(|property| property.get_ref().clone())
    }

    /// The built-in rule's name and where it is written.
    pub fn builtin_name(&self) -> Option<(String, TextRange)> {
        self.raw
            .builtin
            .as_ref()
            .map(|name| (name.get_ref().clone(), spanned_range(name)))
    }

    /// The relation types (or reference properties) under `relation`; empty when absent. Each
    /// was checked against the metamodel before the type's loader runs.
    pub fn relations(&self) -> Vec<String> {
        one_or_many(self.raw.relation.as_ref())
    }

    /// The relation types under `served-by` (`reachable`); empty when absent.
    pub fn served_by(&self) -> Vec<String> {
        one_or_many(self.raw.served_by.as_ref())
    }

    pub fn values(&self) -> Vec<String> {
        self.raw.values.clone().unwrap_or_default()
    }

    /// `min` or `max` as written.
    pub fn integer(&self, key: &str) -> Option<i64> {
        match key {
            "min" => self.raw.min,
            "max" => self.raw.max,
            _ => None,
        }
    }

    /// `min` or `max` as a count (a negative number is 0).
    pub fn count(&self, key: &str) -> Option<usize> {
        self.integer(key)
            .map(|number| usize::try_from(number).unwrap_or(0))
    }

    pub fn superseded_on_date(&self) -> bool {
        self.raw.superseded_on_date.unwrap_or(false)
    }

    pub fn count_via(&self) -> bool {
        self.raw.count_via.unwrap_or(false)
    }

    /// `direction` (default `outgoing`), one of `allowed`.
    pub fn direction(&mut self, allowed: &[Direction]) -> Option<Direction> {
        let direction = match self.raw.direction.as_deref() {
            None | Some("outgoing") => Some(Direction::Outgoing),
            Some("incoming") => Some(Direction::Incoming),
            Some("both") => Some(Direction::Both),
            Some(_) => None,
        };
        if let Some(direction) = direction.filter(|direction| allowed.contains(direction)) {
            return Some(direction);
        }
        let names: Vec<&str> = allowed
            .iter()
            .map(|direction| match direction {
                Direction::Outgoing => "outgoing",
                Direction::Incoming => "incoming",
                Direction::Both => "both",
            })
            .collect();
        let help = match names.as_slice() {
            [one, two] => format!("use {one} or {two}"),
            _ => format!(
                "use {} or {}",
                names[..names.len() - 1].join(", "),
                names[names.len() - 1]
            ),
        };
        let written = self.raw.direction.clone().unwrap_or_default();
        self.error_here(format!("unknown direction `{written}`"), Some(help));
        None
    }
}

/// Loads a rule's `check` table: its type from [`CHECK_TYPES`], only the keys that type takes,
/// relation names the metamodel defines, then the type's own loader.
pub fn load(
    id: &str,
    raw: Spanned<RawCheck>,
    file: FileId,
    text: &str,
    metamodel: &Metamodel,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Check> {
    let range = spanned_range(&raw);
    let raw = raw.into_inner();
    let mut input = CheckInput {
        id,
        check_type: raw.check_type.get_ref().clone(),
        range,
        file,
        text,
        metamodel,
        diagnostics,
        raw,
    };
    let check_type = input.known_type()?;
    input.only_keys_of(check_type)?;
    input.known_relations()?;
    let applies_to = input.optional_selector("applies-to")?;
    let check = (check_type.load)(&mut input)?;
    Some(match applies_to {
        Some(subject) => Arc::new(AppliesTo {
            inner: check,
            subject,
        }),
        None => check,
    })
}

/// A check with an explicit population (`applies-to`): the rule is *not applicable* when that
/// selector matches no workspace element, whatever selector the check itself uses. For rules
/// whose `select` already narrows to the violating elements (`open = true and
/// contains_personal_data = true`), so that a compliant model is judged *passed*, not "not
/// applicable".
#[derive(Debug)]
struct AppliesTo {
    inner: Check,
    subject: Selector,
}

impl CheckRule for AppliesTo {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }

    fn selected(&self) -> Vec<&Selector> {
        let mut selected = self.inner.selected();
        selected.push(&self.subject);
        selected
    }

    fn subject(&self) -> Option<&Selector> {
        Some(&self.subject)
    }

    fn evaluate(&self, context: &Context<'_>) -> Vec<Hit> {
        self.inner.evaluate(context)
    }

    fn property_reads(&self) -> PropertyReads {
        self.inner.property_reads().and_selectors(&[&self.subject])
    }
}

impl CheckInput<'_> {
    fn known_type(&mut self) -> Option<&'static CheckType> {
        if let Some(found) = CHECK_TYPES
            .iter()
            .find(|check_type| check_type.name == self.check_type)
        {
            return Some(found);
        }
        let names: Vec<&str> = CHECK_TYPES
            .iter()
            .map(|check_type| check_type.name)
            .collect();
        let hint = suggest(&self.check_type, names.iter().copied()).map_or_else(
            || format!("rule types: {}", names.join(", ")),
            |best| format!("did you mean `{best}`?"),
        );
        let range = spanned_range(&self.raw.check_type);
        let message = format!(
            "rule `{}` has unknown rule type `{}`",
            self.id, self.check_type
        );
        self.error(range, message, Some(hint));
        None
    }

    fn only_keys_of(&mut self, check_type: &CheckType) -> Option<()> {
        for (name, is_present) in self.raw.present() {
            if is_present && name != "applies-to" && !check_type.keys.contains(&name) {
                let message = format!("`{name}` does not apply to a {} rule", check_type.name);
                let help = format!(
                    "a {} rule takes: {}",
                    check_type.name,
                    check_type.keys.join(", ")
                );
                self.error_here(message, Some(help));
                return None;
            }
        }
        Some(())
    }

    fn known_relations(&mut self) -> Option<()> {
        for relation in self.relations().into_iter().chain(self.served_by()) {
            let known = self.metamodel.relation(&relation).is_some()
                || matches!(
                    self.metamodel.property(&relation).map(|p| &p.value_type),
                    Some(ValueType::Reference { .. } | ValueType::List { .. })
                );
            if !known {
                let hint = suggest(
                    &relation,
                    self.metamodel.relations.keys().map(String::as_str),
                )
                .map(|best| format!("did you mean `{best}`?"));
                let message = format!(
                    "rule `{}` names relation `{relation}`, which the metamodel does not define (as a relation or reference property)",
                    self.id
                );
                self.error_here(message, hint);
                return None;
            }
        }
        Some(())
    }
}
