//! The pack's `archimate.toml`: it reads, covers every kind, relation type and `ArchiMate` type, and
//! its mistakes are named.

mod common;

use kientruc_dsl::metamodel::Metamodel;
use kientruc_interop::archimate::{
    Fit, IMPORT_ELEMENT_TYPES, Mapping, RELATIONSHIP_TYPES, is_junction, mapping_of,
};
use std::fmt::Write as _;

fn metamodel() -> Metamodel {
    let pack = common::pack();
    let (metamodel, diagnostics) =
        Metamodel::from_toml(kientruc_dsl::FileId(0), &pack.files["metamodel.toml"]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    metamodel.unwrap()
}

#[test]
fn the_pack_mapping_reads_and_covers_everything() {
    let metamodel = metamodel();
    let mapping = mapping_of(&common::pack(), &metamodel).expect("archimate.toml is valid");
    assert_eq!(mapping.kinds.len(), metamodel.kinds.len());
    assert_eq!(mapping.relations.len(), metamodel.relations.len());
    // The table the import prints, and docs/interop.md shows.
    let mut table = String::new();
    for element_type in IMPORT_ELEMENT_TYPES {
        if is_junction(element_type) {
            let _ = writeln!(
                table,
                "{element_type:26} -> (junction) {}",
                mapping.junction_kind
            );
            continue;
        }
        let (kind, fit) = mapping
            .classify_element(element_type)
            .expect("every type imports");
        let _ = writeln!(
            table,
            "{element_type:26} -> {kind:20} {}",
            if fit == Fit::Mapped {
                "mapped"
            } else {
                "generalised"
            }
        );
    }
    insta::assert_snapshot!("element_types", table);
    let mut relations = String::new();
    for (relation, export) in &mapping.relations {
        let _ = writeln!(
            relations,
            "{relation:18} -> {}{}{}",
            export.relationship,
            export
                .access
                .as_deref()
                .map(|access| format!(" ({access})"))
                .unwrap_or_default(),
            if export.reverse { ", reversed" } else { "" }
        );
    }
    insta::assert_snapshot!("relation_types", relations);
}

#[test]
fn relationships_import_as_the_first_relation_the_metamodel_allows() {
    let metamodel = metamodel();
    let mapping = mapping_of(&common::pack(), &metamodel).unwrap();
    let choice = |relationship: &str, access: Option<&str>, source: &str, target: &str| {
        let choice = mapping
            .relation_for(relationship, access, source, target, &metamodel)
            .expect("every relationship imports");
        format!(
            "{}{} {:?}",
            choice.relation_type,
            if choice.reverse { " (reversed)" } else { "" },
            choice.fit
        )
    };
    assert_eq!(
        choice("Serving", None, "platform", "system"),
        "uses (reversed) Mapped"
    );
    assert_eq!(
        choice("Serving", None, "channel", "user_group"),
        "serves Mapped"
    );
    assert_eq!(
        choice("Serving", None, "project", "principle"),
        "depends_on (reversed) Mapped"
    );
    assert_eq!(
        choice("Flow", None, "system", "platform"),
        "exchanges_with Mapped"
    );
    assert_eq!(
        choice("Flow", None, "process", "process"),
        "depends_on (reversed) Generalised"
    );
    assert_eq!(
        choice("Access", Some("Read"), "system", "database"),
        "reads Mapped"
    );
    assert_eq!(
        choice("Access", None, "system", "database"),
        "reads Generalised"
    );
    assert_eq!(
        choice("Access", Some("ReadWrite"), "system", "database"),
        "writes Generalised"
    );
    assert_eq!(
        choice("Access", Some("Write"), "agency", "database"),
        "depends_on Generalised"
    );
    assert_eq!(
        choice("Triggering", None, "process", "process"),
        "depends_on (reversed) Generalised"
    );
    for relationship in RELATIONSHIP_TYPES {
        assert!(
            mapping
                .relation_for(relationship, None, "indicator", "network", &metamodel)
                .is_some(),
            "{relationship} imports between any kinds"
        );
    }
}

#[test]
fn mistakes_in_a_mapping_are_named() {
    let metamodel = metamodel();
    let pack = common::pack();
    let text = pack.files["archimate.toml"]
        .replace("system = \"ApplicationComponent\"", "system = \"Application\"")
        .replace("agency = \"BusinessActor\"\n", "")
        .replace("Flow = [{ type = \"exchanges_with\" }, { type = \"integrates_with\" }, { type = \"depends_on\", reverse = true }]", "Flow = [{ type = \"exchanges_with\" }, { type = \"flows\" }]")
        .replace("agency = { level = \"province\" }", "agency = { colour = \"red\" }");
    let error = Mapping::from_toml(&text, &metamodel).unwrap_err();
    insta::assert_snapshot!("mapping_errors", error.to_string());
    let error = Mapping::from_toml("[export]\nkinds = 3", &metamodel).unwrap_err();
    assert!(
        error.to_string().starts_with("invalid archimate.toml:\n"),
        "{error}"
    );
}
