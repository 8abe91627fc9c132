//! JSON schemas (draft-07) of kientruc's TOML files, generated from the very types their loaders
//! deserialize (`schemars` reads their serde attributes and doc comments), so a schema cannot
//! drift from what the tool accepts. Editors that know TOML schemas (taplo, Even Better TOML)
//! validate and complete the files with them; the generated schemas are committed under
//! `schemas/` (see `tests/cli/schemas.rs`).
//!
//! This module holds what every crate's schemas share: the generator settings, the published
//! address of a schema, and the schema-only types that say what a loader accepts in a string
//! (a date, a severity, a language). It imports nothing of this crate: the metamodel's schema is
//! [`crate::metamodel::schema`], `framework.toml`'s [`crate::workspace::FrameworkInfo::schema`],
//! and the checker and the interop crate add the others.

use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// Where the schema named `file_name` (`kientruc.schema.json`) is published: the `schemas/`
/// folder of the project repository's main branch (the root manifest's `repository`). It is the
/// schema's `$id`, and what a `#:schema` line names.
pub fn url(file_name: &str) -> String {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    match repository.strip_prefix("https://github.com/") {
        Some(path) => format!("https://raw.githubusercontent.com/{path}/main/schemas/{file_name}"),
        None => format!("{repository}/raw/main/schemas/{file_name}"),
    }
}

/// The schema of a whole file read as `T`, with its `$id` ([`url`] of `file_name`), title and
/// description.
pub fn document<T: JsonSchema>(file_name: &str, title: &str, description: &str) -> Schema {
    let mut schema = SchemaSettings::draft07()
        .with_transform(ForToml)
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("$id".to_owned(), url(file_name).into());
    schema.insert("title".to_owned(), title.into());
    schema.insert("description".to_owned(), description.into());
    schema
}

/// Fits schemars' output to TOML and to editors: TOML has no null, so an optional key is absent,
/// never `null` (schemars writes `Option<T>` as "T or null", with a `null` default); a doc
/// comment's line breaks are not the text's (an editor shows the description as one paragraph);
/// and draft-07 ignores the keywords beside a `$ref`, so a field's description there moves beside
/// an `allOf` holding the reference.
#[derive(Clone)]
struct ForToml;

impl Transform for ForToml {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(types) = schema
            .get_mut("type")
            .and_then(|value| value.as_array_mut())
        {
            types.retain(|value| value != "null");
            if types.len() == 1 {
                let only = types.remove(0);
                schema.insert("type".to_owned(), only);
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(options) = schema.get_mut(key).and_then(|value| value.as_array_mut()) {
                options.retain(|option| option.get("type").is_none_or(|kind| kind != "null"));
                if options.len() == 1 {
                    let only = options.remove(0);
                    schema.remove(key);
                    if let Some(object) = only.as_object() {
                        for (name, value) in object {
                            schema.insert(name.clone(), value.clone());
                        }
                    }
                }
            }
        }
        if let Some(values) = schema
            .get_mut("enum")
            .and_then(|value| value.as_array_mut())
        {
            values.retain(|value| !value.is_null());
        }
        if matches!(schema.get("default"), Some(value) if value.is_null()) {
            schema.remove("default");
        }
        if let Some(description) = schema.get("description").and_then(|value| value.as_str()) {
            let paragraphs: Vec<String> = description
                .split("\n\n")
                .map(|paragraph| paragraph.split('\n').collect::<Vec<_>>().join(" "))
                .collect();
            schema.insert("description".to_owned(), paragraphs.join("\n\n").into());
        }
        if schema.get("$ref").is_some()
            && schema.as_object().is_some_and(|object| object.len() > 1)
            && let Some(reference) = schema.remove("$ref")
        {
            let mut all_of = schema
                .remove("allOf")
                .and_then(|value| value.as_array().cloned())
                .unwrap_or_default();
            all_of.insert(0, json_schema!({ "$ref": reference }).to_value());
            schema.insert("allOf".to_owned(), all_of.into());
        }
        transform_subschemas(self, schema);
    }
}

/// A string-valued schema-only type: what a loader accepts in a `String` field, for the schema.
macro_rules! string_schema {
    ($(#[$doc:meta])* $name:ident, $title:literal, $schema:tt) => {
        $(#[$doc])*
        pub struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                $title.into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

string_schema!(
    /// A calendar date, `YYYY-MM-DD` (what `syntax::Date::parse` reads).
    DateText,
    "Date",
    {
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    }
);

string_schema!(
    /// A severity: `error`, `warning` or `info` (what `Severity::parse` reads).
    SeverityName,
    "Severity",
    {
        "type": "string",
        "enum": ["error", "warning", "info"]
    }
);

string_schema!(
    /// The language of messages: `vi` (Vietnamese) or `en` (English).
    LanguageCode,
    "Language",
    {
        "type": "string",
        "enum": ["vi", "en"]
    }
);

string_schema!(
    /// An `http(s)` address without spaces.
    HttpAddress,
    "HttpAddress",
    {
        "type": "string",
        "pattern": "^[hH][tT][tT][pP][sS]?://[^\\s]+$"
    }
);

string_schema!(
    /// An offset from UTC: `+07:00`, `-05:30`, or `UTC`.
    UtcOffset,
    "UtcOffset",
    {
        "type": "string",
        "pattern": "^(UTC|Z|[+-][0-9]{2}:[0-9]{2})$"
    }
);
