//! The pack's `archimate.toml`: which `ArchiMate` element type each kind exports as and which kind
//! each type imports as, the same for relation and relationship types (with the direction rules),
//! and the values an import gives what the metamodel requires. Read and checked against the
//! metamodel here; [`Mapping::classify_element`] and [`Mapping::relation_for`] answer the import.

use super::types::{EXPORT_ELEMENT_TYPES, IMPORT_ELEMENT_TYPES, RELATIONSHIP_TYPES};
use kientruc_dsl::metamodel::Metamodel;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The name of the mapping file in a framework pack.
pub const MAPPING_FILE: &str = "archimate.toml";

/// The Access relationship's `accessType` values.
pub const ACCESS_TYPES: &[&str] = &["Access", "Read", "Write", "ReadWrite"];

/// A pack's `archimate.toml`: how its metamodel meets the `ArchiMate` exchange format.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    /// What `kientruc export --format archimate` writes.
    export: RawExport,
    /// How `kientruc import archimate` reads a file.
    import: RawImport,
}

/// The export: kinds, relation types and other links as `ArchiMate` types.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawExport {
    /// Each kind of the metamodel → the element type it exports as (`system` →
    /// `ApplicationComponent`).
    #[schemars(with = "BTreeMap<String, ExportElementType>")]
    kinds: BTreeMap<String, String>,
    /// Each relation type of the metamodel → the relationship it exports as.
    relations: BTreeMap<String, ExportRelation>,
    /// The relationships of links that are not relations.
    links: ExportLinks,
}

/// How a relation type is written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportRelation {
    /// The relationship type.
    #[serde(rename = "type")]
    #[schemars(with = "RelationshipType")]
    pub relationship: String,
    /// The relationship runs from the relation's target to its source.
    #[serde(default)]
    pub reverse: bool,
    /// The Access relationship's `accessType`.
    #[serde(default)]
    #[schemars(with = "Option<AccessType>")]
    pub access: Option<String>,
}

/// The relationship types of the links that are not relations.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportLinks {
    /// A reference-typed property, from the element to the referenced one.
    #[schemars(with = "RelationshipType")]
    pub references: String,
    /// A nested element, from its parent.
    #[schemars(with = "RelationshipType")]
    pub nesting: String,
}

/// The import: `ArchiMate` types as kinds and relation types.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawImport {
    /// Each element type → the kind it imports as (every type an import reads is listed).
    #[schemars(extend("propertyNames" = { "enum": IMPORT_ELEMENT_TYPES }))]
    elements: BTreeMap<String, String>,
    /// What a junction becomes.
    junctions: Junctions,
    /// Each relationship type → the relation types it may import as, in order of preference.
    #[schemars(extend("propertyNames" = { "enum": RELATIONSHIP_TYPES }))]
    relationships: BTreeMap<String, Vec<ImportRelation>>,
    /// The header of the imported model, when the file gives none.
    header: ImportHeader,
    /// Kind → required property → the value an import gives it when the file does not.
    #[serde(default)]
    required: BTreeMap<String, BTreeMap<String, String>>,
}

/// Junctions (And/Or) of the exchange file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Junctions {
    /// The kind of a junction with no neighbour.
    kind: String,
}

/// One candidate relation type for a relationship type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRelation {
    /// The relation type of the metamodel.
    #[serde(rename = "type")]
    pub relation_type: String,
    /// The relation runs from the relationship's target to its source.
    #[serde(default)]
    pub reverse: bool,
    /// For Access: only relationships of these access types (empty: any).
    #[serde(default)]
    #[schemars(with = "Vec<AccessType>")]
    pub access: Vec<String>,
}

/// The header values an import uses when the file gives none.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportHeader {
    /// The architecture's version.
    pub version: String,
    /// Its level (`province`, `ministry`): the header's `scope`.
    pub scope: Option<String>,
}

/// A string schema listing the allowed values (`enum`).
fn names_schema(values: &[&str]) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": values })
}

/// The element types an export may write ([`EXPORT_ELEMENT_TYPES`]).
struct ExportElementType;

impl JsonSchema for ExportElementType {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ExportElementType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        names_schema(EXPORT_ELEMENT_TYPES)
    }
}

/// The relationship types ([`RELATIONSHIP_TYPES`]).
struct RelationshipType;

impl JsonSchema for RelationshipType {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RelationshipType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        names_schema(RELATIONSHIP_TYPES)
    }
}

/// The Access relationship's `accessType` values ([`ACCESS_TYPES`]).
struct AccessType;

impl JsonSchema for AccessType {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AccessType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        names_schema(ACCESS_TYPES)
    }
}

/// The schema of a pack's `archimate.toml` (`schemas/archimate.schema.json`).
pub fn schema() -> schemars::Schema {
    kientruc_dsl::schema::document::<RawMapping>(
        "archimate.schema.json",
        "kientruc ArchiMate mapping (archimate.toml)",
        "How a framework pack meets the ArchiMate Model Exchange File Format: the element type \
         each kind exports as, the kind each element type imports as, the same for relation and \
         relationship types, and the values an import gives what the metamodel requires.",
    )
}

/// The mapping, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// Kind → element type.
    pub kinds: BTreeMap<String, String>,
    /// Relation type → relationship.
    pub relations: BTreeMap<String, ExportRelation>,
    pub links: ExportLinks,
    /// Element type → kind.
    pub elements: BTreeMap<String, String>,
    /// The kind of a junction with no neighbour.
    pub junction_kind: String,
    /// Relationship type → candidate relation types, in order.
    pub relationships: BTreeMap<String, Vec<ImportRelation>>,
    pub header: ImportHeader,
    /// Kind → required property → the value an import gives it when the file does not.
    pub required: BTreeMap<String, BTreeMap<String, String>>,
}

/// Whether an imported type became its own counterpart or a more general one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fit {
    /// The kind (relation type) exports as this very type: nothing is lost.
    Mapped,
    /// Imported as a more general kind (relation type); the `ArchiMate` type is kept.
    Generalised,
}

/// A relation type chosen for a relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationChoice {
    pub relation_type: String,
    pub reverse: bool,
    pub fit: Fit,
}

/// `archimate.toml` does not read or does not fit the metamodel: every problem, one per line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {MAPPING_FILE}:\n{}", .problems.join("\n"))]
pub struct MappingError {
    pub problems: Vec<String>,
}

impl Mapping {
    /// Reads `text` (the pack's `archimate.toml`) and checks it against `metamodel`: every kind and
    /// relation type exports, every `ArchiMate` type imports, and every name is known.
    pub fn from_toml(text: &str, metamodel: &Metamodel) -> Result<Mapping, MappingError> {
        let raw: RawMapping = toml::from_str(text).map_err(|error| MappingError {
            problems: vec![error.to_string().trim().to_owned()],
        })?;
        let mapping = Mapping {
            kinds: raw.export.kinds,
            relations: raw.export.relations,
            links: raw.export.links,
            elements: raw.import.elements,
            junction_kind: raw.import.junctions.kind,
            relationships: raw.import.relationships,
            header: raw.import.header,
            required: raw.import.required,
        };
        let problems = mapping.problems(metamodel);
        if problems.is_empty() {
            Ok(mapping)
        } else {
            Err(MappingError { problems })
        }
    }

    fn problems(&self, metamodel: &Metamodel) -> Vec<String> {
        let mut problems = Vec::new();
        for kind in metamodel.kinds.keys() {
            if !self.kinds.contains_key(kind) {
                problems.push(format!(
                    "[export.kinds]: the kind `{kind}` has no element type"
                ));
            }
        }
        for (kind, element_type) in &self.kinds {
            if metamodel.kind(kind).is_none() {
                problems.push(format!(
                    "[export.kinds]: `{kind}` is not a kind of the metamodel"
                ));
            }
            if !EXPORT_ELEMENT_TYPES.contains(&element_type.as_str()) {
                problems.push(format!(
                    "[export.kinds]: `{kind}` exports as `{element_type}`, which is not an element type of the ArchiMate 3.0 exchange schema"
                ));
            }
        }
        for relation in metamodel.relations.keys() {
            if !self.relations.contains_key(relation) {
                problems.push(format!(
                    "[export.relations]: the relation type `{relation}` has no relationship type"
                ));
            }
        }
        for (relation, export) in &self.relations {
            if metamodel.relation(relation).is_none() {
                problems.push(format!(
                    "[export.relations]: `{relation}` is not a relation type of the metamodel"
                ));
            }
            if !RELATIONSHIP_TYPES.contains(&export.relationship.as_str()) {
                problems.push(format!(
                    "[export.relations]: `{relation}` exports as `{}`, which is not a relationship type",
                    export.relationship
                ));
            }
            match (&export.access, export.relationship.as_str()) {
                (Some(access), "Access") if !ACCESS_TYPES.contains(&access.as_str()) => problems
                    .push(format!(
                        "[export.relations]: `{relation}`: `{access}` is not an accessType ({})",
                        ACCESS_TYPES.join(", ")
                    )),
                (Some(_), other) if other != "Access" => problems.push(format!(
                    "[export.relations]: `{relation}`: only Access relationships have an access type"
                )),
                _ => {}
            }
        }
        for (what, relationship) in [
            ("references", &self.links.references),
            ("nesting", &self.links.nesting),
        ] {
            if !RELATIONSHIP_TYPES.contains(&relationship.as_str()) {
                problems.push(format!(
                    "[export.links]: `{what}` is `{relationship}`, which is not a relationship type"
                ));
            }
        }
        for element_type in IMPORT_ELEMENT_TYPES {
            if !self.elements.contains_key(*element_type) && !element_type.ends_with("Junction") {
                problems.push(format!(
                    "[import.elements]: the element type `{element_type}` has no kind"
                ));
            }
        }
        for (element_type, kind) in &self.elements {
            if !IMPORT_ELEMENT_TYPES.contains(&element_type.as_str()) {
                problems.push(format!(
                    "[import.elements]: `{element_type}` is not an ArchiMate element type"
                ));
            }
            if metamodel.kind(kind).is_none() {
                problems.push(format!(
                    "[import.elements]: `{element_type}` imports as `{kind}`, which is not a kind of the metamodel"
                ));
            }
        }
        if metamodel.kind(&self.junction_kind).is_none() {
            problems.push(format!(
                "[import.junctions]: `{}` is not a kind of the metamodel",
                self.junction_kind
            ));
        }
        for relationship in RELATIONSHIP_TYPES {
            if !self.relationships.contains_key(*relationship) {
                problems.push(format!(
                    "[import.relationships]: the relationship type `{relationship}` has no relation type"
                ));
            }
        }
        for (relationship, candidates) in &self.relationships {
            if !RELATIONSHIP_TYPES.contains(&relationship.as_str()) {
                problems.push(format!(
                    "[import.relationships]: `{relationship}` is not a relationship type"
                ));
            }
            let mut seen: BTreeMap<&str, bool> = BTreeMap::new();
            for candidate in candidates {
                let definition = metamodel.relation(&candidate.relation_type);
                if definition.is_none() {
                    problems.push(format!(
                        "[import.relationships]: `{relationship}` names `{}`, which is not a relation type of the metamodel",
                        candidate.relation_type
                    ));
                }
                if let Some(reverse) = seen.insert(&candidate.relation_type, candidate.reverse)
                    && reverse != candidate.reverse
                {
                    problems.push(format!(
                        "[import.relationships]: `{relationship}` names `{}` in both directions; an export could not tell which",
                        candidate.relation_type
                    ));
                }
                for access in &candidate.access {
                    if relationship != "Access" || !ACCESS_TYPES.contains(&access.as_str()) {
                        problems.push(format!(
                            "[import.relationships]: `{relationship}`: `{access}` is not an accessType of an Access relationship"
                        ));
                    }
                }
            }
            let ends_open = candidates.last().is_some_and(|last| {
                metamodel
                    .relation(&last.relation_type)
                    .is_some_and(|definition| definition.from.is_none() && definition.to.is_none())
                    && last.access.is_empty()
            });
            if !ends_open {
                problems.push(format!(
                    "[import.relationships]: `{relationship}`: the last relation type must join any kinds (e.g. `depends_on`), so that every relationship imports"
                ));
            }
        }
        if let Some(scope) = &self.header.scope
            && let Some(definition) = metamodel.property("scope")
            && let kientruc_dsl::metamodel::ValueType::Enum { values } = &definition.value_type
            && !values.contains(scope)
        {
            problems.push(format!(
                "[import.header]: `scope` is `{scope}`, which is not a value of the metamodel's `scope`"
            ));
        }
        for (kind, properties) in &self.required {
            if metamodel.kind(kind).is_none() {
                problems.push(format!(
                    "[import.required]: `{kind}` is not a kind of the metamodel"
                ));
            }
            for property in properties.keys() {
                if !metamodel.kind_allows_property(kind, property) {
                    problems.push(format!(
                        "[import.required]: the kind `{kind}` has no property `{property}`"
                    ));
                }
            }
        }
        problems
    }

    /// The kind an element type imports as, and whether that loses the type.
    pub fn classify_element(&self, element_type: &str) -> Option<(&str, Fit)> {
        let kind = self.elements.get(element_type)?;
        let fit = if self
            .kinds
            .get(kind)
            .is_some_and(|exported| exported == element_type)
        {
            Fit::Mapped
        } else {
            Fit::Generalised
        };
        Some((kind, fit))
    }

    /// The relation type a relationship of type `relationship` (`access`: its accessType) from an
    /// element of kind `source_kind` to one of `target_kind` imports as: the first candidate the
    /// metamodel allows between the two kinds in its direction.
    pub fn relation_for(
        &self,
        relationship: &str,
        access: Option<&str>,
        source_kind: &str,
        target_kind: &str,
        metamodel: &Metamodel,
    ) -> Option<RelationChoice> {
        let access = access.unwrap_or("Access");
        let candidate = self
            .relationships
            .get(relationship)?
            .iter()
            .find(|candidate| {
                (candidate.access.is_empty() || candidate.access.iter().any(|a| a == access))
                    && metamodel
                        .relation(&candidate.relation_type)
                        .is_some_and(|definition| {
                            if candidate.reverse {
                                definition.allows(target_kind, source_kind)
                            } else {
                                definition.allows(source_kind, target_kind)
                            }
                        })
            })?;
        let exported = self.relations.get(&candidate.relation_type);
        let fit = if exported.is_some_and(|export| {
            export.relationship == relationship
                && export.reverse == candidate.reverse
                && (relationship != "Access"
                    || export.access.as_deref().unwrap_or("Access") == access)
        }) {
            Fit::Mapped
        } else {
            Fit::Generalised
        };
        Some(RelationChoice {
            relation_type: candidate.relation_type.clone(),
            reverse: candidate.reverse,
            fit,
        })
    }

    /// How a relation of `relation_type` imported from a `relationship` (its kept `ArchiMate` type)
    /// runs: reversed when the import reversed it. `None` when the mapping never imports that
    /// relationship as that relation type.
    pub fn import_direction(&self, relationship: &str, relation_type: &str) -> Option<bool> {
        self.relationships
            .get(relationship)?
            .iter()
            .find(|candidate| candidate.relation_type == relation_type)
            .map(|candidate| candidate.reverse)
    }
}
