//! The `ArchiMate` Model Exchange File Format (The Open Group, `ArchiMate` 3.x), which Archi, Sparx
//! EA and `BiZZdesign` read and write. The mapping between `ArchiMate` types and the framework's
//! kinds and relation types is the pack's `archimate.toml` ([`Mapping`]).

mod export;
mod import;
mod mapping;
mod read;
mod report;
mod types;
mod xml;

pub use export::{ExportError, ExportOptions, Exported, export, marker};
pub use import::{ImportError, ImportOptions, import};
pub use read::{MAX_DEPTH, MAX_FILE_SIZE, MAX_NODES, ReadError};
pub use report::{ImportReport, Outcome, Row};

pub use mapping::{
    ACCESS_TYPES, ExportLinks, ExportRelation, Fit, ImportHeader, ImportRelation, MAPPING_FILE,
    Mapping, MappingError, RelationChoice, schema,
};
pub use types::{EXPORT_ELEMENT_TYPES, IMPORT_ELEMENT_TYPES, RELATIONSHIP_TYPES, is_junction};

use kientruc_dsl::metamodel::Metamodel;
use kientruc_dsl::workspace::FrameworkPack;

/// The metamodel of a framework pack and its mapping, both checked: what an import needs.
pub fn load(pack: &FrameworkPack) -> Result<(Metamodel, Mapping), MappingError> {
    let text = pack
        .files
        .get("metamodel.toml")
        .ok_or_else(|| MappingError {
            problems: vec![format!(
                "the framework pack `{}` has no metamodel.toml",
                pack.id
            )],
        })?;
    let (metamodel, diagnostics) = Metamodel::from_toml(kientruc_dsl::FileId(0), text);
    let Some(metamodel) = metamodel.filter(|_| diagnostics.is_empty()) else {
        return Err(MappingError {
            problems: diagnostics
                .iter()
                .map(|diagnostic| format!("metamodel.toml: {}", diagnostic.message))
                .collect(),
        });
    };
    let mapping = mapping_of(pack, &metamodel)?;
    Ok((metamodel, mapping))
}

/// The mapping of a framework pack (its `archimate.toml`), checked against its metamodel.
pub fn mapping_of(pack: &FrameworkPack, metamodel: &Metamodel) -> Result<Mapping, MappingError> {
    let text = pack.files.get(MAPPING_FILE).ok_or_else(|| MappingError {
        problems: vec![format!(
            "the framework pack `{}` has no {MAPPING_FILE}: it does not say how its kinds meet ArchiMate",
            pack.id
        )],
    })?;
    Mapping::from_toml(text, metamodel)
}
