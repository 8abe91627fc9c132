//! The JSON schemas of the workspace's and the framework pack's TOML files, generated from the
//! types their loaders deserialize (see [`kientruc_dsl::schema`]) and committed under `schemas/`
//! (`tests/cli/schemas.rs` regenerates them and validates every TOML file of the repository).

/// Each schema this crate and `kientruc-dsl` generate, by file name (`kientruc.schema.json`). The interop crate adds those of `archimate.toml` and inventory mappings.
pub fn schemas() -> Vec<(&'static str, schemars::Schema)> {
    vec![
        ("kientruc.schema.json", crate::config::schema()),
        (
            "framework.schema.json",
            kientruc_dsl::workspace::FrameworkInfo::schema(),
        ),
        ("metamodel.schema.json", kientruc_dsl::metamodel::schema()),
        ("documents.schema.json", crate::register::schema()),
        ("rules.schema.json", crate::rules::schema()),
        (
            "migration.schema.json",
            kientruc_dsl::migration::MigrationMap::schema(),
        ),
    ]
}
