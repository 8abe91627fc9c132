//! Which column of an inventory holds what: a mapping (TOML) lists, for each thing a row can say,
//! the headers a spreadsheet gives that column in Vietnamese or English. The default mapping
//! ([`DEFAULT_MAPPING`], `default-mapping.toml` beside this file) reads a typical provincial
//! inventory of information systems ("danh mục hệ thống thông tin": STT, Tên hệ thống, Cơ quan
//! chủ quản, Đơn vị vận hành, Cấp độ an toàn thông tin, Nơi triển khai, Tình trạng, …) and the
//! tables `kientruc export --format csv|xlsx` writes.
//!
//! A header matches a column when it is equal to one of the column's headers ignoring case,
//! surrounding spaces and the spacing inside (a header broken over two lines matches), else when
//! they are equal without Vietnamese diacritics (`Cap do an toan thong tin`). A header no column
//! lists is still understood when it is a field's name (`id`, `kind`, `name`, …) or a property of
//! the metamodel (`security_level`): what the export writes. Any other column is kept as an
//! `attributes` item `Header: value` of its row's element (see [`crate::imported::ATTRIBUTES`]).

use kientruc_dsl::diacritics::remove_diacritics;
use kientruc_dsl::metamodel::{Metamodel, ValueType};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The mapping used without `--mapping`.
pub const DEFAULT_MAPPING: &str = include_str!("default-mapping.toml");

/// A mapping, as read from TOML.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// What the mapping reads, for people.
    #[serde(default)]
    pub description: Option<String>,
    /// The kind of an element whose row has no `kind` column (or an empty one).
    pub kind: String,
    /// The architecture header of the imported model.
    #[serde(default)]
    pub header: HeaderSettings,
    /// What separates the items of a list in a cell (`;` and line breaks by default). A comma is
    /// not one: names hold commas ("Sở Nội vụ, Sở Tư pháp" is rare, "Hệ thống quản lý văn bản và
    /// điều hành, chỉ đạo" is common).
    #[serde(default = "default_separators")]
    pub list_separators: Vec<String>,
    /// The columns (`[[column]]`): the headers each goes by and what it holds.
    #[serde(default, rename = "column")]
    pub columns: Vec<ColumnRule>,
    /// What an element created for a reference gets, by kind (`[create.agency]`).
    #[serde(default)]
    pub create: BTreeMap<String, CreateRule>,
}

/// The imported architecture's header.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeaderSettings {
    /// The architecture's id; default: from the first file's name.
    pub id: Option<String>,
    /// Its name; default: the title row above the first sheet's header, else the file's name.
    pub name: Option<String>,
    /// Its level (`province`, `ministry`): the header's `scope`.
    pub scope: Option<String>,
    /// Its version.
    pub version: Option<String>,
}

/// One column: the headers it goes by, and what it holds (exactly one of `field`, `property`,
/// `relation`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColumnRule {
    /// The headers the column goes by, in Vietnamese or English (matched ignoring case, spacing
    /// and, failing that, diacritics).
    pub headers: Vec<String>,
    /// What the column holds, when it is not a property or a relation.
    #[serde(default)]
    pub field: Option<Field>,
    /// A property of the metamodel.
    #[serde(default)]
    pub property: Option<String>,
    /// A relation type: the cell lists the targets (ids or names) of relations from the row's
    /// element.
    #[serde(default)]
    pub relation: Option<String>,
    /// For a reference property or a relation: the kind of the element to create when no element
    /// has the id or name the cell gives.
    #[serde(default)]
    pub create: Option<String>,
    /// Words a cell may hold for a value besides the value itself and its names in the
    /// metamodel (`"Đang sử dụng" = "operational"`), for enum and boolean properties.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

/// What a created element gets.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRule {
    /// Properties as cell texts (`level = "province"`), read like the cells of a column.
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
    /// The `.ea` file it goes to; default: `KIND.ea` (`agency.ea`).
    #[serde(default)]
    pub file: Option<String>,
}

/// What a column holds besides properties and relations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The element's id (kept when it is a valid identifier, else made one).
    Id,
    /// The element's kind, by id or name (`system`, `Hệ thống thông tin`).
    Kind,
    /// The element's name (required on every element row).
    Name,
    /// The element it is nested in, by id or name.
    NestedIn,
    /// Its tags, a list.
    Tags,
    /// Its doc comment (or a relation's).
    Doc,
    /// A relation's source, by id or name.
    From,
    /// A relation's type, by id or name (`exchanges_with`, `kết nối, chia sẻ dữ liệu với`).
    Relation,
    /// A relation's target, by id or name.
    To,
    /// A relation's label.
    Label,
    /// The elements a relation goes through, a list.
    Via,
    /// Read and left out (a row number: `STT`).
    Skip,
}

impl Field {
    /// Every field, with the name a header may give it.
    pub const ALL: [(Field, &'static str); 12] = [
        (Field::Id, "id"),
        (Field::Kind, "kind"),
        (Field::Name, "name"),
        (Field::NestedIn, "nested_in"),
        (Field::Tags, "tags"),
        (Field::Doc, "doc"),
        (Field::From, "from"),
        (Field::Relation, "relation"),
        (Field::To, "to"),
        (Field::Label, "label"),
        (Field::Via, "via"),
        (Field::Skip, "skip"),
    ];

    pub fn name(self) -> &'static str {
        Field::ALL
            .iter()
            .find(|(field, _)| *field == self)
            .map_or("", |(_, name)| name)
    }
}

/// What a column of a sheet holds, once its header is matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Field(Field),
    /// A property, with the rule that named it (none when the header is the property's name).
    Property(String, Option<usize>),
    /// A relation type, with the rule that named it.
    Relation(String, usize),
    /// No column: the header and value become an `attributes` item.
    Attribute,
}

fn default_separators() -> Vec<String> {
    vec![";".to_owned(), "\n".to_owned()]
}

/// A header as compared: trimmed, lower case, inner spacing one space.
pub fn normalise(header: &str) -> String {
    header
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// [`normalise`]d and without diacritics.
pub fn fold(header: &str) -> String {
    remove_diacritics(&normalise(header))
}

impl Mapping {
    /// The default mapping.
    pub fn default_mapping() -> Mapping {
        Mapping::from_toml(DEFAULT_MAPPING).expect("the default mapping is valid")
    }

    /// A mapping read from TOML; `Err` names what is wrong.
    pub fn from_toml(text: &str) -> Result<Mapping, String> {
        let mapping: Mapping = toml::from_str(text).map_err(|error| error.to_string())?;
        for (index, column) in mapping.columns.iter().enumerate() {
            let targets = usize::from(column.field.is_some())
                + usize::from(column.property.is_some())
                + usize::from(column.relation.is_some());
            if targets != 1 {
                return Err(format!(
                    "column {} ({}): give exactly one of `field`, `property` and `relation`",
                    index + 1,
                    column.headers.first().map_or("no header", String::as_str)
                ));
            }
            if column.headers.is_empty() {
                return Err(format!("column {}: `headers` is empty", index + 1));
            }
        }
        Ok(mapping)
    }

    /// What the mapping names that `metamodel` does not have, one sentence each.
    pub fn check(&self, metamodel: &Metamodel) -> Vec<String> {
        let mut problems = Vec::new();
        let mut kind = |kind: &str, place: &str| {
            if metamodel.kind(kind).is_none() {
                problems.push(format!("{place}: the metamodel has no kind `{kind}`"));
            }
        };
        kind(&self.kind, "`kind`");
        for (index, column) in self.columns.iter().enumerate() {
            let place = format!("column {} ({})", index + 1, column.headers[0]);
            if let Some(created) = &column.create {
                kind(created, &place);
            }
        }
        for created in self.create.keys() {
            kind(created, &format!("[create.{created}]"));
        }
        for (index, column) in self.columns.iter().enumerate() {
            let place = format!("column {} ({})", index + 1, column.headers[0]);
            if let Some(property) = &column.property {
                match metamodel.property(property) {
                    None => problems.push(format!(
                        "{place}: the metamodel has no property `{property}`"
                    )),
                    Some(definition) => {
                        if column.create.is_some() && !is_reference(&definition.value_type) {
                            problems.push(format!(
                                "{place}: `create` is for references, and `{property}` is not one"
                            ));
                        }
                    }
                }
            }
            if let Some(relation) = &column.relation
                && metamodel.relation(relation).is_none()
            {
                problems.push(format!(
                    "{place}: the metamodel has no relation type `{relation}`"
                ));
            }
        }
        for (created, rule) in &self.create {
            for property in rule.properties.keys() {
                if !metamodel.kind_allows_property(created, property) {
                    problems.push(format!(
                        "[create.{created}]: kind `{created}` has no property `{property}`"
                    ));
                }
            }
        }
        problems
    }

    /// What the column headed `header` holds: a rule's column (exact match first, then without
    /// diacritics), else a field's or a property's name, else an attribute.
    pub fn target(&self, header: &str, metamodel: &Metamodel) -> Target {
        let wanted = normalise(header);
        let folded = remove_diacritics(&wanted);
        let rule = self
            .columns
            .iter()
            .position(|rule| rule.headers.iter().any(|name| normalise(name) == wanted))
            .or_else(|| {
                self.columns
                    .iter()
                    .position(|rule| rule.headers.iter().any(|name| fold(name) == folded))
            });
        if let Some(index) = rule {
            let rule = &self.columns[index];
            if let Some(field) = rule.field {
                return Target::Field(field);
            }
            if let Some(property) = &rule.property {
                return Target::Property(property.clone(), Some(index));
            }
            if let Some(relation) = &rule.relation {
                return Target::Relation(relation.clone(), index);
            }
        }
        if let Some((field, _)) = Field::ALL.iter().find(|(_, name)| *name == wanted) {
            return Target::Field(*field);
        }
        let trimmed = header.trim();
        if metamodel.property(trimmed).is_some() {
            return Target::Property(trimmed.to_owned(), None);
        }
        Target::Attribute
    }

    /// Whether the header is one the mapping knows (for finding the header row).
    pub fn knows(&self, header: &str, metamodel: &Metamodel) -> bool {
        !header.trim().is_empty() && self.target(header, metamodel) != Target::Attribute
    }
}

fn is_reference(value_type: &ValueType) -> bool {
    match value_type {
        ValueType::Reference { .. } => true,
        ValueType::List { item } => is_reference(item),
        _ => false,
    }
}

/// The schema of an inventory mapping (`schemas/inventory-mapping.schema.json`).
pub fn schema() -> schemars::Schema {
    kientruc_dsl::schema::document::<Mapping>(
        "inventory-mapping.schema.json",
        "kientruc inventory mapping (kientruc import csv|xlsx --mapping)",
        "Which column of a spreadsheet inventory holds what: for each column, the headers it goes \
         by and whether it holds a field, a property or a relation; the default kind, the header \
         of the imported architecture and what elements created for references get.",
    )
}
