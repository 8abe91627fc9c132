//! kientruc-interop: models in and out of kientruc, for the tools architects already use.
//!
//! - [`archimate`]: the `ArchiMate` Model Exchange File Format 3.x (The Open Group), which Archi,
//!   Sparx EA and `BiZZdesign` read and write: export of a checked model (elements, relationships,
//!   properties, organizations, and the report's views with bounds), import of an exchange file.
//! - [`inventory`]: spreadsheet inventories ("danh mục hệ thống thông tin"), CSV and XLSX, out
//!   and in, with a mapping of column headers.
//! - [`sources`]: diagram sources (Mermaid, D2, DOT, `PlantUML`) of the report's views and of an
//!   element's neighbourhood.
//! - [`imported`]: what an import builds, written as formatted `.ea` files that parse and resolve.
//!
//! Pure like `kientruc-reports`: checked models and file contents in, strings or bytes out; the
//! CLI (`kientruc export`, `kientruc import`) reads and writes the files. The mapping between
//! `ArchiMate` types and the framework's kinds is data: the pack's `archimate.toml`.

pub mod archimate;
pub mod imported;
pub mod inventory;
pub mod sources;

/// The JSON schemas of the TOML files this crate reads, by file name (`archimate.schema.json`): a pack's `archimate.toml`
/// and an inventory mapping (see `kientruc_checker::schema` for the others).
pub fn schemas() -> Vec<(&'static str, schemars::Schema)> {
    vec![
        ("archimate.schema.json", archimate::schema()),
        (
            "inventory-mapping.schema.json",
            inventory::mapping::schema(),
        ),
    ]
}
