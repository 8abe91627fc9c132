//! Framework versions as data: a pack that replaces another (`replaces = "vn-egov-3.0"` in its
//! `framework.toml`) says in `migration.toml` how a model written for the old pack reads in the
//! new one: kinds, properties, enum values, relation types, ids of the national model and rule
//! ids renamed, a kind split by a property's value, properties removed, and the facts the new
//! pack requires that the old one did not. [`plan`] turns that map into text edits of one parsed
//! file (a name replaced at its range, a removed property turned into a comment that keeps its
//! text), so comments, order and layout survive; `kientruc migrate` applies them and formats the
//! result.
//!
//! What cannot be decided from the text is reported rather than guessed: a removed kind, a split
//! whose property the element does not set, a view selector that names a renamed word.

use crate::syntax::{
    Block, Declaration, Element, Entry, Name, Property, Relation, SourceFile, ValueKind,
};
use crate::text::TextRange;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `migration.toml`: how a model of the pack this one replaces reads in this one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MigrationMap {
    /// The pack a model migrates from (the `replaces` of this pack's `framework.toml`).
    pub from: String,
    /// Element kinds, by their name in the old pack.
    #[serde(default)]
    pub kinds: BTreeMap<String, Change>,
    /// Properties (of every kind, of the header and of relations), by their old name.
    #[serde(default)]
    pub properties: BTreeMap<String, Change>,
    /// Enum values, by property (its old name) and old value.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, Change>>,
    /// Relation types, by their old name.
    #[serde(default)]
    pub relations: BTreeMap<String, Change>,
    /// Ids of the national model (`national.ndxp` → `national.ndxp_2025`), by their old local id.
    #[serde(default)]
    pub national: BTreeMap<String, Change>,
    /// Rule ids (in waivers), by their old id.
    #[serde(default)]
    pub rules: BTreeMap<String, Change>,
    /// Facts the new pack requires that the old one did not: listed for the architect.
    #[serde(default)]
    pub required: Vec<Required>,
}

/// What becomes of one name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Change {
    /// Renamed: the new name.
    Renamed(String),
    /// Renamed, split, or removed, with why.
    Described(Described),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Described {
    /// The new name (a merge is several old names with the same `to`).
    #[serde(default)]
    pub to: Option<String>,
    /// A kind split by the value of one of the element's properties.
    #[serde(default)]
    pub split: Option<Split>,
    /// Gone from the new pack: a property is kept as a comment; anything else is reported.
    #[serde(default)]
    pub removed: bool,
    /// Why (shown to the architect): the article or section of the new framework.
    pub note: String,
}

/// `split = { by = "platform_type", map = { lgsp = "integration_platform" }, otherwise = "platform" }`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Split {
    /// The property whose value decides.
    pub by: String,
    /// Its value → the new kind.
    pub map: BTreeMap<String, String>,
    /// The new kind for other values; without it, an element with another value (or none) is
    /// reported and left as it is.
    #[serde(default)]
    pub otherwise: Option<String>,
}

/// A fact the new pack requires.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Required {
    /// The kinds it concerns (new names); empty: the header.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// The property to supply.
    pub property: String,
    /// Why, with the article or section that requires it.
    pub note: String,
}

impl MigrationMap {
    /// The schema of a pack's `migration.toml` (`schemas/migration.schema.json`).
    pub fn schema() -> schemars::Schema {
        crate::schema::document::<MigrationMap>(
            "migration.schema.json",
            "kientruc framework migration map (migration.toml)",
            "How a model written for the pack this one replaces reads in this one: names renamed, \
             split or removed, and the facts the new pack requires.",
        )
    }
}

impl Change {
    fn renamed(&self) -> Option<&str> {
        match self {
            Change::Renamed(to) => Some(to),
            Change::Described(described) if !described.removed && described.split.is_none() => {
                described.to.as_deref()
            }
            Change::Described(_) => None,
        }
    }

    fn note(&self) -> Option<&str> {
        match self {
            Change::Renamed(_) => None,
            Change::Described(described) => Some(&described.note),
        }
    }

    fn removed(&self) -> bool {
        matches!(self, Change::Described(described) if described.removed)
    }
}

/// The pack that replaces `from` (its `framework.toml` says `replaces = "from"`) and its map,
/// among the packs `registry` knows; `None` when no pack replaces it. The language server offers
/// the migration with it; `kientruc migrate` names its target and uses [`load`].
pub fn replacing(
    registry: &dyn crate::workspace::FrameworkRegistry,
    from: &str,
) -> Option<(crate::workspace::FrameworkPack, MigrationMap)> {
    registry.ids().into_iter().find_map(|id| {
        let pack = registry.get(&id)?;
        let map = load(&pack, from).ok()?;
        Some((pack, map))
    })
}

/// `pack`'s migration map from `from`: its `framework.toml` must say `replaces = "from"` and its
/// `migration.toml` must read and start from `from`. `Err` is a message for the user.
pub fn load(pack: &crate::workspace::FrameworkPack, from: &str) -> Result<MigrationMap, String> {
    let replaces = pack
        .files
        .get("framework.toml")
        .and_then(|text| toml::from_str::<crate::workspace::FrameworkInfo>(text).ok())
        .and_then(|info| info.replaces);
    if replaces.as_deref() != Some(from) {
        return Err(format!(
            "framework `{}` does not replace `{from}`{}",
            pack.id,
            replaces
                .map(|replaced| format!(" (it replaces `{replaced}`)"))
                .unwrap_or_default()
        ));
    }
    let Some(text) = pack.files.get("migration.toml") else {
        return Err(format!(
            "framework `{}` replaces `{from}` but has no migration.toml",
            pack.id
        ));
    };
    let map: MigrationMap = toml::from_str(text)
        .map_err(|error| format!("{}: {error}", pack.display_name("migration.toml")))?;
    if map.from != from {
        return Err(format!(
            "{} migrates from `{}`, not `{from}`",
            pack.display_name("migration.toml"),
            map.from
        ));
    }
    Ok(map)
}

/// The alias a workspace imports the national model under (`import "framework:national.ea" as
/// national`), from its files' trees.
pub fn national_alias<'a>(trees: impl IntoIterator<Item = &'a SourceFile>) -> Option<String> {
    trees.into_iter().find_map(|tree| {
        tree.declarations
            .iter()
            .find_map(|declaration| match declaration {
                Declaration::Import(import) if import.path.value == "framework:national.ea" => {
                    import.alias.as_ref().map(|alias| alias.text.to_string())
                }
                _ => None,
            })
    })
}

/// One text edit: `range` of the file becomes `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub text: String,
    /// What changed, for the architect (`kind platform → integration_platform`).
    pub what: String,
}

/// Something the migration could not decide, at a place of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub range: TextRange,
    pub message: String,
}

/// The edits and questions of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePlan {
    pub edits: Vec<Edit>,
    pub questions: Vec<Question>,
}

impl FilePlan {
    /// `text` with the edits applied (they never overlap).
    pub fn apply(&self, text: &str) -> String {
        let mut edits: Vec<&Edit> = self.edits.iter().collect();
        edits.sort_by_key(|edit| std::cmp::Reverse(edit.range.start));
        let mut out = text.to_owned();
        for edit in edits {
            out.replace_range(edit.range.to_range(), &edit.text);
        }
        out
    }
}

/// The edits that move one file of a workspace from `map.from` to the pack `to`.
/// `national_alias` is the alias the workspace imports the national model under (`national`).
pub fn plan(
    text: &str,
    tree: &SourceFile,
    map: &MigrationMap,
    to: &str,
    national_alias: Option<&str>,
) -> FilePlan {
    let mut planner = Planner {
        text,
        map,
        national_alias,
        plan: FilePlan::default(),
    };
    for declaration in &tree.declarations {
        match declaration {
            Declaration::Architecture(header) => {
                if let Some(body) = &header.body {
                    for entry in &body.entries {
                        if let Entry::Property(property) = entry
                            && property.name.text == "framework"
                            && let ValueKind::String(value) = &property.value.kind
                            && value.value == map.from
                        {
                            planner.plan.edits.push(Edit {
                                range: value.range,
                                text: format!("\"{to}\""),
                                what: format!("framework {} → {to}", map.from),
                            });
                        }
                    }
                    planner.properties(body);
                }
            }
            Declaration::Import(_) => {}
            Declaration::Element(element) => planner.element(element),
            Declaration::Relation(relation) => planner.relation(relation),
            Declaration::Waiver(waiver) => {
                planner.rename(&waiver.rule, &map.rules, "rule");
                planner.reference(&waiver.element);
            }
            Declaration::View(view) => planner.view(view),
        }
    }
    planner.plan.edits.sort_by_key(|edit| edit.range.start);
    planner
        .plan
        .questions
        .sort_by_key(|question| question.range.start);
    planner.plan
}

struct Planner<'a> {
    text: &'a str,
    map: &'a MigrationMap,
    national_alias: Option<&'a str>,
    plan: FilePlan,
}

impl Planner<'_> {
    fn ask(&mut self, range: TextRange, message: String) {
        self.plan.questions.push(Question { range, message });
    }

    /// Renames `name` when `changes` renames it; asks when it is removed or split.
    fn rename(&mut self, name: &Name, changes: &BTreeMap<String, Change>, what: &str) {
        let Some(change) = changes.get(name.text.as_str()) else {
            return;
        };
        if let Some(to) = change.renamed() {
            let note = change
                .note()
                .map(|note| format!(" ({note})"))
                .unwrap_or_default();
            self.plan.edits.push(Edit {
                range: name.range,
                text: to.to_owned(),
                what: format!("{what} {} → {to}{note}", name.text),
            });
        } else if change.removed() {
            let note = change.note().unwrap_or_default();
            self.ask(
                name.range,
                format!("{what} `{}` is not in the new framework: {note}", name.text),
            );
        }
    }

    /// A reference into the national model (`national.ndxp`) whose id the map renames.
    fn reference(&mut self, name: &Name) {
        let Some(alias) = self.national_alias else {
            return;
        };
        let Some(local) = name
            .text
            .strip_prefix(alias)
            .and_then(|rest| rest.strip_prefix('.'))
        else {
            return;
        };
        let Some(change) = self.map.national.get(local) else {
            return;
        };
        if let Some(to) = change.renamed() {
            self.plan.edits.push(Edit {
                range: name.range,
                text: format!("{alias}.{to}"),
                what: format!("national element {} → {alias}.{to}", name.text),
            });
        } else if change.removed() {
            let note = change.note().unwrap_or_default();
            self.ask(
                name.range,
                format!(
                    "`{}` is not in the new framework's national model: {note}",
                    name.text
                ),
            );
        }
    }

    fn element(&mut self, element: &Element) {
        if let Some(Change::Described(Described {
            split: Some(split), ..
        })) = self.map.kinds.get(element.kind.text.as_str())
        {
            self.split(element, split);
        } else {
            let map = self.map;
            self.rename(&element.kind, &map.kinds, "kind");
        }
        if let Some(body) = &element.body {
            self.block(body);
        }
    }

    fn split(&mut self, element: &Element, split: &Split) {
        let value = element.body.as_ref().and_then(|body| {
            body.entries.iter().find_map(|entry| match entry {
                Entry::Property(property) if property.name.text == split.by => {
                    match &property.value.kind {
                        ValueKind::Path(word) => Some(word.text.to_string()),
                        ValueKind::String(text) => Some(text.value.clone()),
                        _ => None,
                    }
                }
                _ => None,
            })
        });
        let chosen = value
            .as_ref()
            .and_then(|value| split.map.get(value))
            .or(split.otherwise.as_ref());
        match chosen {
            Some(to) => self.plan.edits.push(Edit {
                range: element.kind.range,
                text: to.clone(),
                what: format!(
                    "kind {} → {to} ({} {})",
                    element.kind.text,
                    split.by,
                    value.as_deref().unwrap_or("not set")
                ),
            }),
            None => self.ask(
                element.kind.range,
                format!(
                    "`{}` ({}) is split by `{}` in the new framework, and its value ({}) names no new kind",
                    element.id.text,
                    element.kind.text,
                    split.by,
                    value.as_deref().unwrap_or("not set")
                ),
            ),
        }
    }

    fn relation(&mut self, relation: &Relation) {
        let map = self.map;
        self.rename(&relation.relation_type, &map.relations, "relation");
        if let Some(source) = &relation.source {
            self.reference(source);
        }
        self.reference(&relation.target);
        for via in &relation.via {
            self.reference(via);
        }
        if let Some(body) = &relation.body {
            self.block(body);
        }
    }

    fn block(&mut self, block: &Block) {
        self.properties(block);
        for entry in &block.entries {
            match entry {
                Entry::Property(_) => {}
                Entry::Relation(relation) => self.relation(relation),
                Entry::Element(element) => self.element(element),
            }
        }
    }

    /// The block's properties: names and enum values renamed, removed ones kept as comments,
    /// references into the national model renamed.
    fn properties(&mut self, block: &Block) {
        for entry in &block.entries {
            let Entry::Property(property) = entry else {
                continue;
            };
            if let Some(change) = self.map.properties.get(property.name.text.as_str())
                && change.removed()
            {
                self.remove(property, change.note().unwrap_or_default());
                continue;
            }
            let map = self.map;
            self.rename(&property.name, &map.properties, "property");
            let values = map.values.get(property.name.text.as_str());
            let mut words: Vec<&Name> = Vec::new();
            match &property.value.kind {
                ValueKind::Path(word) => words.push(word),
                ValueKind::List(items) => {
                    for item in items {
                        if let ValueKind::Path(word) = &item.kind {
                            words.push(word);
                        }
                    }
                }
                _ => {}
            }
            for word in words {
                match &values {
                    Some(values) if values.contains_key(word.text.as_str()) => {
                        self.rename(word, values, &format!("{} value", property.name.text));
                    }
                    _ => self.reference(word),
                }
            }
        }
    }

    /// A property the new pack does not have becomes a comment holding its text.
    fn remove(&mut self, property: &Property, note: &str) {
        let written = &self.text[property.range.to_range()];
        if written.contains('\n') {
            // A list over several lines: left as it is, for the architect.
            self.ask(
                property.name.range,
                format!(
                    "property `{}` is not in the new framework: {note}",
                    property.name.text
                ),
            );
            return;
        }
        self.plan.edits.push(Edit {
            range: property.range,
            text: format!("// kientruc migrate: removed: {written}"),
            what: format!("property {} removed ({note})", property.name.text),
        });
    }

    /// A view's selectors are left as written: a renamed word in them is reported.
    fn view(&mut self, view: &crate::syntax::View) {
        for item in &view.items {
            let crate::syntax::ViewItem::Statement(statement) = item else {
                continue;
            };
            for selector in std::iter::once(&statement.selector).chain(statement.target.as_ref()) {
                let renamed: Vec<&str> = selector
                    .text
                    .split(|character: char| {
                        !(character.is_ascii_alphanumeric() || character == '_' || character == '-')
                    })
                    .filter(|word| {
                        self.map.kinds.contains_key(*word)
                            || self.map.properties.contains_key(*word)
                            || self.map.relations.contains_key(*word)
                    })
                    .collect();
                if !renamed.is_empty() {
                    self.ask(
                        selector.range,
                        format!(
                            "view `{}`: the selector names {} which the new framework renames or removes; rewrite it by hand",
                            view.id.text,
                            renamed
                                .iter()
                                .map(|word| format!("`{word}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::FileId;

    fn map() -> MigrationMap {
        toml::from_str(
            r#"
from = "old-1.0"
[kinds]
system = "information_system"
platform = { split = { by = "platform_type", map = { lgsp = "integration_platform" } }, note = "§4.2" }
legacy = { removed = true, note = "gone in §3" }
[properties]
owner_unit = { removed = true, note = "use owner" }
hosted = "hosted_in"
[values.status]
retiring = "retired"
[relations]
uses = "depends_on"
[national]
ndxp = "ndxp_2025"
[rules]
"EA-001" = "EA-101"
"#,
        )
        .unwrap()
    }

    #[test]
    fn renames_at_their_ranges_and_keeps_the_rest_of_the_text() {
        let text = "architecture a \"A\" {\n  framework \"old-1.0\" // the pack\n  version \"1\"\n}\n\nimport \"framework:national.ea\" as national\n\n/// Doc.\nsystem s \"S\" {\n  status retiring\n  owner_unit x // why\n  hosted dc\n  uses -> national.ndxp via national.ndxp\n}\n\nplatform p \"P\" {\n  platform_type lgsp\n}\n\nplatform q \"Q\" {}\n\nlegacy l \"L\" {}\n\nwaive EA-001 on s until 2026-01-01 \"r\"\n\nview v \"V\" {\n  include kind(system)\n}\n";
        let parsed = crate::parse(FileId(0), text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let plan = plan(text, &parsed.tree, &map(), "new-2.0", Some("national"));
        let migrated = plan.apply(text);
        assert_eq!(
            migrated,
            "architecture a \"A\" {\n  framework \"new-2.0\" // the pack\n  version \"1\"\n}\n\nimport \"framework:national.ea\" as national\n\n/// Doc.\ninformation_system s \"S\" {\n  status retired\n  // kientruc migrate: removed: owner_unit x // why\n  hosted_in dc\n  depends_on -> national.ndxp_2025 via national.ndxp_2025\n}\n\nintegration_platform p \"P\" {\n  platform_type lgsp\n}\n\nplatform q \"Q\" {}\n\nlegacy l \"L\" {}\n\nwaive EA-101 on s until 2026-01-01 \"r\"\n\nview v \"V\" {\n  include kind(system)\n}\n"
        );
        let questions: Vec<&str> = plan
            .questions
            .iter()
            .map(|question| question.message.as_str())
            .collect();
        assert_eq!(
            questions,
            [
                "`q` (platform) is split by `platform_type` in the new framework, and its value (not set) names no new kind",
                "kind `legacy` is not in the new framework: gone in §3",
                "view `v`: the selector names `system` which the new framework renames or removes; rewrite it by hand",
            ]
        );
        assert!(crate::parse(FileId(0), &migrated).diagnostics.is_empty());
    }
}
