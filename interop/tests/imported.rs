//! The writer of imported models: hostile names survive exactly, identifiers are unique and
//! valid, values are fitted to the metamodel (what does not fit goes to `attributes`), and the
//! written files parse and resolve against the real `vn-egov-3.0` pack.

mod common;

use kientruc_interop::imported::{
    Identifiers, ImportedElement, ImportedHeader, ImportedImport, ImportedModel, ImportedRelation,
    ImportedValue, ImportedWaiver, safe_file_name, verify,
};

fn header() -> ImportedHeader {
    ImportedHeader {
        id: "tinh".to_owned(),
        name: "Kiến trúc Chính quyền điện tử tỉnh \"Thử\"".to_owned(),
        framework: "vn-egov-3.0".to_owned(),
        version: "1.0".to_owned(),
        scope: Some("province".to_owned()),
        as_of: None,
        doc: Some("Nhập từ tệp trao đổi.\nDòng hai.".to_owned()),
        properties: vec![(
            "adopted_by".to_owned(),
            ImportedValue::String("12/QĐ-UBND".to_owned()),
        )],
        file: "architecture.ea".to_owned(),
    }
}

fn element(id: &str, kind: &str, name: &str, file: &str) -> ImportedElement {
    ImportedElement {
        id: id.to_owned(),
        kind: kind.to_owned(),
        name: name.to_owned(),
        file: file.to_owned(),
        ..ImportedElement::default()
    }
}

fn string(text: &str) -> ImportedValue {
    ImportedValue::String(text.to_owned())
}

/// A model with every construct the writer has, hostile texts included.
fn sample() -> ImportedModel {
    let hostile = "Tên có \"ngoặc kép\", \\gạch\\, } { // /// \n xuống dòng\t\u{202E}đảo\u{1b}[31m";
    let mut agency = element(
        "so_khcn",
        "agency",
        "Sở Khoa học và Công nghệ",
        "co-quan.ea",
    );
    agency.properties = vec![
        ("level".to_owned(), string("Cấp tỉnh")),
        ("phone".to_owned(), string("024 3825 6789")),
        ("Chi phí".to_owned(), string("2 tỷ")),
        ("roles".to_owned(), string("it_unit, architecture_owner")),
    ];
    agency.tags = vec!["chinh-quyen".to_owned(), "cấp tỉnh".to_owned()];
    let mut system = element("he_thong", "system", hostile, "Ứng dụng/Hệ thống.ea");
    system.doc = Some("Tài liệu }\r\n/// lồng".to_owned());
    system.properties = vec![
        (
            "owner".to_owned(),
            ImportedValue::Reference("so_khcn".to_owned()),
        ),
        ("security_level".to_owned(), string("3")),
        ("status".to_owned(), string("Đang vận hành")),
        ("operational_since".to_owned(), string("2021-03-15")),
        ("description".to_owned(), string(hostile)),
        ("archimate_id".to_owned(), string("id-1f\"x")),
        ("security_level".to_owned(), string("4")),
        ("citizen_facing".to_owned(), string("không rõ")),
        (
            "hosted_in".to_owned(),
            ImportedValue::Reference("national.ndc".to_owned()),
        ),
        ("tags".to_owned(), string("[mot-cua, \"dịch vụ\"]")),
    ];
    let mut database = element("csdl", "database", "CSDL \\\"dân cư\"", "du-lieu.ea");
    database.children = vec![{
        let mut entity = element("cong_dan", "data_entity", "Công dân", "");
        entity.properties = vec![("contains_personal_data".to_owned(), string("true"))];
        entity
    }];
    ImportedModel {
        header: header(),
        imports: vec![ImportedImport {
            path: "framework:national.ea".to_owned(),
            alias: "national".to_owned(),
        }],
        elements: vec![agency, system, database],
        relations: vec![
            ImportedRelation {
                source: "he_thong".to_owned(),
                relation_type: "exchanges_with".to_owned(),
                target: "national.dvcqg".to_owned(),
                label: Some("đồng bộ \"hồ sơ\"".to_owned()),
                via: vec!["national.ndxp".to_owned()],
                doc: Some("Đồng bộ.".to_owned()),
                properties: vec![
                    ("direction".to_owned(), string("outbound")),
                    ("data".to_owned(), string("cong_dan")),
                    ("Tần suất".to_owned(), string("hằng ngày")),
                ],
            },
            ImportedRelation {
                source: "he_thong".to_owned(),
                relation_type: "writes".to_owned(),
                target: "csdl".to_owned(),
                ..ImportedRelation::default()
            },
            ImportedRelation {
                source: "national.vneid".to_owned(),
                relation_type: "depends_on".to_owned(),
                target: "he_thong".to_owned(),
                ..ImportedRelation::default()
            },
        ],
        waivers: vec![ImportedWaiver {
            rule: "SEC-004".to_owned(),
            target: "he_thong".to_owned(),
            until: kientruc_dsl::syntax::Date::new(2027, 6, 30),
            reason: "Đang thẩm định \"phương án\"".to_owned(),
        }],
        views: Vec::new(),
        warnings: Vec::new(),
    }
}

#[test]
fn the_written_files_parse_and_resolve_against_the_pack() {
    let pack = common::pack();
    let metamodel = pack_metamodel(&pack);
    let written = sample().write(Some(&metamodel));
    let names: Vec<&str> = written
        .files
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "architecture.ea",
            "co-quan.ea",
            "du-lieu.ea",
            "ung-dung/he-thong.ea"
        ]
    );
    let analysis = verify(&written.files, &pack);
    let errors: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|diagnostic| format!("{} {}", diagnostic.code, diagnostic.message))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    let checked = common::check_files(&written.files);
    assert_eq!(common::diagnostics(&checked), Vec::<String>::new());
    let model = &checked.analysis.model;
    let system = model.find("he_thong").expect("written");
    let hostile = "Tên có \"ngoặc kép\", \\gạch\\, } { // /// \n xuống dòng\t\u{202E}đảo\u{1b}[31m";
    assert_eq!(system.name, hostile);
    assert_eq!(
        system
            .property("description")
            .and_then(|value| value.as_str()),
        Some(hostile)
    );
    assert_eq!(system.doc.as_deref(), Some("Tài liệu }\n/// lồng"));
    assert_eq!(model.find("csdl").unwrap().name, "CSDL \\\"dân cư\"");
    assert_eq!(
        model.header.as_ref().unwrap().name,
        "Kiến trúc Chính quyền điện tử tỉnh \"Thử\""
    );
    assert_eq!(model.waivers.len(), 1);
    assert_eq!(
        model
            .relations
            .iter()
            .filter(|relation| relation.in_workspace)
            .count(),
        3
    );
}

#[test]
fn values_are_fitted_to_the_metamodel_and_the_rest_kept_as_attributes() {
    let pack = common::pack();
    let metamodel = pack_metamodel(&pack);
    let written = sample().write(Some(&metamodel));
    let text = |name: &str| {
        written
            .files
            .iter()
            .find(|(file, _)| file == name)
            .map(|(_, text)| text.clone())
            .unwrap()
    };
    insta::assert_snapshot!("written_agency", text("co-quan.ea"));
    insta::assert_snapshot!("written_system", text("ung-dung/he-thong.ea"));
    insta::assert_snapshot!("written_header", text("architecture.ea"));
    insta::assert_snapshot!("written_database", text("du-lieu.ea"));
    insta::assert_snapshot!("written_warnings", written.warnings.join("\n"));
}

#[test]
fn without_a_metamodel_values_are_written_as_given() {
    let mut model = sample();
    model.elements[0].properties = vec![
        (
            "level".to_owned(),
            ImportedValue::Enum("province".to_owned()),
        ),
        ("Chi phí".to_owned(), string("2 tỷ")),
        (
            "bad".to_owned(),
            ImportedValue::Enum("không phải từ".to_owned()),
        ),
    ];
    let written = model.write(None);
    let agency = &written.files[1].1;
    assert!(agency.contains("  level province\n"), "{agency}");
    assert!(
        agency.contains("  attributes [\"Chi phí: 2 tỷ\", \"bad: không phải từ\"]\n"),
        "{agency}"
    );
}

#[test]
fn a_missing_required_property_is_a_warning_and_verify_reports_it() {
    let pack = common::pack();
    let metamodel = pack_metamodel(&pack);
    let mut model = sample();
    model.elements[0].properties.clear();
    let written = model.write(Some(&metamodel));
    assert!(
        written.warnings.contains(
            &"`so_khcn`: the agency has no `level`, which the metamodel requires".to_owned()
        ),
        "{:?}",
        written.warnings
    );
    let analysis = verify(&written.files, &pack);
    let codes: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|diagnostic| format!("{} {}", diagnostic.code, diagnostic.message))
        .collect();
    assert_eq!(
        codes,
        ["KT0209 agency `so_khcn` lacks the required property `level`"]
    );
}

#[test]
fn identifiers_from_duplicate_and_hostile_names_are_unique_and_resolve() {
    let pack = common::pack();
    let metamodel = pack_metamodel(&pack);
    let mut ids = Identifiers::new();
    assert!(ids.reserve("national"));
    let names = [
        "Sở Y tế",
        "Sở Y tế",
        "SỞ Y TẾ",
        "\"}{//",
        "national",
        "123",
        "via",
    ];
    let mut model = ImportedModel {
        header: header(),
        ..ImportedModel::default()
    };
    for name in names {
        let id = ids.allocate(&[name, "id-x"], "agency");
        let mut agency = element(&id, "agency", name, "co-quan.ea");
        agency.properties = vec![("level".to_owned(), string("province"))];
        model.elements.push(agency);
    }
    let ids: Vec<&str> = model
        .elements
        .iter()
        .map(|element| element.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "so_y_te",
            "so_y_te_2",
            "so_y_te_3",
            "id_x",
            "national_2",
            "agency_123",
            "via_2"
        ]
    );
    let written = model.write(Some(&metamodel));
    let checked = common::check_files(&written.files);
    assert_eq!(common::diagnostics(&checked), Vec::<String>::new());
    let names_back: Vec<&str> = checked
        .analysis
        .model
        .workspace_elements()
        .map(|element| element.name.as_str())
        .collect();
    assert_eq!(names_back, names);
}

#[test]
fn file_names_are_made_safe() {
    assert_eq!(safe_file_name("../../etc/passwd"), "etc/passwd.ea");
    assert_eq!(
        safe_file_name("Ứng dụng/Hệ thống.ea"),
        "ung-dung/he-thong.ea"
    );
    assert_eq!(safe_file_name("/abs\\olute/./x"), "abs/olute/x.ea");
    assert_eq!(safe_file_name("users-channels.ea"), "users-channels.ea");
    assert_eq!(safe_file_name("..."), "model.ea");
    assert_eq!(safe_file_name(""), "model.ea");
}

#[test]
fn writing_is_deterministic() {
    let pack = common::pack();
    let metamodel = pack_metamodel(&pack);
    assert_eq!(
        sample().write(Some(&metamodel)),
        sample().write(Some(&metamodel))
    );
}

fn pack_metamodel(
    pack: &kientruc_dsl::workspace::FrameworkPack,
) -> kientruc_dsl::metamodel::Metamodel {
    let (metamodel, diagnostics) = kientruc_dsl::metamodel::Metamodel::from_toml(
        kientruc_dsl::FileId(0),
        &pack.files["metamodel.toml"],
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    metamodel.unwrap()
}
