//! `kientruc_interop::archimate::export`: Hanoi's model as an exchange file that validates against
//! the official schema (`xmllint`), with its elements, relationships, properties, folders and two
//! views; identical input gives identical bytes.

mod common;

use kientruc_interop::archimate::{ExportOptions, export};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether `xmllint` runs here. Without it the schema checks are SKIPPED with a warning, except
/// under CI (`CI` set), where they fail: `.ci/run` installs `libxml2-utils`.
pub fn xmllint_available() -> bool {
    if Command::new("xmllint").arg("--version").output().is_ok() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "xmllint is missing: .ci/run installs it with `apt-get install -y libxml2-utils`"
    );
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        b"\nwarning: xmllint is missing, so the schema check is SKIPPED (apt-get install -y libxml2-utils)\n\n",
    );
    false
}

/// The schema's verdict on `xml`: `Ok` when it validates, else xmllint's messages.
pub fn validate(xml: &str, name: &str) -> Result<(), String> {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("archimate-xsd");
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join(name);
    std::fs::write(&file, xml).unwrap();
    let schema: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/archimate-xsd/archimate3_with_dc.xsd");
    let output = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("xmllint runs");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn hanoi_xml() -> String {
    let checked = common::check_files(&common::read_model("architecture/hanoi"));
    assert_eq!(common::diagnostics(&checked), Vec::<String>::new());
    let exported = export(&checked, &ExportOptions::default()).expect("Hanoi exports");
    assert_eq!(exported.warnings, Vec::<String>::new());
    exported.xml
}

#[test]
fn hanoi_exports_to_a_file_the_official_schema_accepts() {
    let xml = hanoi_xml();
    if xmllint_available() {
        validate(&xml, "hanoi.xml").unwrap();
    }
    let document = roxmltree::Document::parse(&xml).unwrap();
    let count = |tag: &str| {
        document
            .descendants()
            .filter(|node| node.has_tag_name(tag))
            .count()
    };
    let checked = common::check_files(&common::read_model("architecture/hanoi"));
    let model = &checked.analysis.model;
    assert_eq!(count("element"), model.elements.len());
    let references: usize = model
        .elements
        .iter()
        .map(|element| {
            element
                .properties
                .values()
                .filter(|entry| {
                    matches!(
                        entry.value,
                        kientruc_dsl::model::PropertyValue::Reference(_)
                    )
                })
                .count()
        })
        .sum();
    let nested = model
        .elements
        .iter()
        .filter(|element| element.parent.is_some())
        .count();
    assert_eq!(
        count("relationship"),
        model.relations.len() + references + nested
    );
    // The overview, the integration view and Hanoi's five declared views.
    assert_eq!(count("view"), 2 + model.views.len());
    assert_eq!(model.views.len(), 5);
    assert!(count("connection") > 50, "{}", count("connection"));
    // Names in Vietnamese, the views named in both languages.
    assert!(xml.contains("<name xml:lang=\"vi\">Ủy ban nhân dân thành phố Hà Nội</name>"));
    assert!(
        xml.contains("xsi:type=\"Diagram\">\n        <name xml:lang=\"vi\">"),
        "views are diagrams"
    );
}

#[test]
fn the_export_is_deterministic() {
    assert_eq!(hanoi_xml(), hanoi_xml());
}

/// A small workspace with every construct the export has: nesting, `via`, a reference, a
/// waiver, doc comments, kept identifiers and types, an English name, hostile text.
pub const SMALL: &[(&str, &str)] = &[
    (
        "architecture.ea",
        r#"/// Tỉnh thử.
architecture thu "Kiến trúc tỉnh <Thử> & \"mẫu\"" {
  framework "vn-egov-3.0"
  version "1.0"
  as_of 2025-07-01
  scope province
  archimate_id "id-model-1"
}

import "framework:national.ea" as national

waive SEC-004 on he_thong until 2027-06-30 "đang thẩm định"
"#,
    ),
    (
        "ung-dung.ea",
        r#"agency so_khcn "Sở Khoa học và Công nghệ" {
  level province
  name_en "Department of Science and Technology"
}

/// Hệ thống chính.
system he_thong "Hệ thống \u{1B}[31m <b>\"một cửa\"</b>" {
  owner so_khcn
  security_level 3
  status operational
  archimate_id "id-abc"
  attributes ["Chi phí: 2 tỷ", "Nhà cung cấp: VNPT"]
  tags [mot-cua, "dịch vụ công"]
  exchanges_with -> national.dvcqg "đồng bộ" via national.ndxp {
    direction outbound
    data [cong_dan]
  }
  writes -> csdl
}

database csdl "CSDL dân cư" {
  description "Dữ liệu dân cư.\nDòng hai."
  data_entity cong_dan "Công dân" {
    contains_personal_data true
  }
}

business_function chuoi_gia_tri "Chuỗi giá trị" {
  archimate_type "ValueStream"
}
"#,
    ),
];

fn small() -> kientruc_checker::Checked {
    let files: Vec<(String, String)> = SMALL
        .iter()
        .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
        .collect();
    let checked = common::check_files(&files);
    assert_eq!(common::diagnostics(&checked), Vec::<String>::new());
    checked
}

#[test]
fn a_small_model_exports_every_construct() {
    let exported = export(&small(), &ExportOptions::default()).unwrap();
    if xmllint_available() {
        validate(&exported.xml, "small.xml").unwrap();
    }
    assert_eq!(
        exported.warnings,
        ["`he_thong`: a character XML cannot carry (a control character) is written as ⟨U+XXXX⟩"]
    );
    // The workspace's part (the national model's 105 elements left out of the snapshot).
    let document = roxmltree::Document::parse(&exported.xml).unwrap();
    let workspace_part: Vec<String> = document
        .descendants()
        .filter(|node| node.has_tag_name("element") || node.has_tag_name("relationship"))
        .filter(|node| {
            !node.descendants().any(|child| {
                child.has_tag_name("property")
                    && child.attribute("propertyDefinitionRef") == Some("propid-kientruc-model")
            })
        })
        .map(|node| exported.xml[node.range()].to_owned())
        .collect();
    insta::assert_snapshot!("small_elements", workspace_part.join("\n"));
    let head = exported.xml.split("<elements>").next().unwrap();
    insta::assert_snapshot!("small_model_head", head);
}
