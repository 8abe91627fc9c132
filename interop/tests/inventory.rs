//! Spreadsheet inventories (issue 21, item 2): the export of a checked model as CSV and XLSX
//! (columns, order, quoting, formula neutralisation, the workbook's header row, frozen panes and
//! widths, identical bytes on every run), the round trip of Hanoi and of the Bộ Tư pháp through
//! both formats (same elements, relations and properties, modulo the documented losses), and the
//! import of a hand-written Vietnamese inventory with the default mapping (its rows, the elements
//! it creates, its references to the national model, its bad row's exact problem).

use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::model::{Model, PropertyValue};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{FrameworkPack, MemoryProvider, MemoryRegistry};
use kientruc_interop::imported::ImportedValue;
use kientruc_interop::inventory::import::{Context, Outcome, PackContext, import, pack_context};
use kientruc_interop::inventory::mapping::Mapping;
use kientruc_interop::inventory::{Sheet, csv, export, xlsx};
use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file below `folder` whose name ends with `ending`, by its path below `folder`.
fn files(folder: &Path, ending: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.to_string_lossy().ends_with(ending) {
                let name = path
                    .strip_prefix(folder)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    found
}

/// The `vn-egov-3.0` pack, read from the repository.
fn pack() -> FrameworkPack {
    let folder = repository().join("architecture/frameworks/vn-egov-3.0");
    let mut pack_files: BTreeMap<String, Arc<str>> = BTreeMap::new();
    for name in [
        "framework.toml",
        "metamodel.toml",
        "national.ea",
        "documents.toml",
    ] {
        pack_files.insert(
            name.to_owned(),
            Arc::from(std::fs::read_to_string(folder.join(name)).unwrap()),
        );
    }
    for (name, text) in files(&folder.join("rules"), ".toml") {
        pack_files.insert(format!("rules/{name}"), Arc::from(text));
    }
    FrameworkPack {
        id: "vn-egov-3.0".to_owned(),
        origin: "test".to_owned(),
        display_root: None,
        files: pack_files,
    }
}

/// `files` (name, text) checked as the workspace `/ws` against the pack (the model's own
/// `kientruc.toml` overlay, if any, with them).
fn check(files: &BTreeMap<String, String>) -> Checked {
    let registry = MemoryRegistry {
        packs: vec![pack()],
    };
    let root = Path::new("/ws");
    let mut provider = MemoryProvider::default();
    let mut entries = Vec::new();
    for (name, text) in files {
        // A model's rule fixtures (`rules/…`) are not part of it.
        if name.ends_with(".ea") && !name.contains('/') {
            entries.push(root.join(name));
        }
        provider.insert(root.join(name), text.as_bytes().to_vec());
    }
    analyze_and_check(
        root,
        &entries,
        &provider,
        &registry,
        CheckOptions::on(Date::new(2026, 1, 1).unwrap()),
    )
}

/// A model of the repository (`hanoi`, `bo-tu-phap`), checked as the CLI checks it.
fn model(name: &str) -> Checked {
    let folder = repository().join("architecture").join(name);
    let mut all = files(&folder, ".ea");
    all.extend(files(&folder, ".toml"));
    let checked = check(&all);
    assert_eq!(checked.analysis.error_count(), 0, "{name} has input errors");
    checked
}

/// A small workspace of the real pack with hostile texts: formula starts, quotes, commas, line
/// breaks, a nested element, a relation through an intermediary.
fn hostile() -> Checked {
    let files = BTreeMap::from([(
        "architecture.ea".to_owned(),
        r#"architecture tinh_thu "Tỉnh thử" {
  framework "vn-egov-3.0"
  version "1.0"
  scope province
}

import "framework:national.ea" as national

agency so_khcn "=HYPERLINK(\"http://evil.example\",\"Sở KH&CN\")" {
  level province
  abbreviation "+SKHCN"
  phone "-1022"
  address "@Hà Nội, 185 Giảng Võ"
}

/// Hai dòng: "một",
/// và hai.
system tthc "Hệ thống, \"TTHC\"" {
  owner so_khcn
  security_level 3
  status operational
  tags [public-service, personal-data]
  description "	bắt đầu bằng tab"
  platform lgsp_con "'trích dẫn" {
    platform_type lgsp
  }
  exchanges_with -> national.dvcqg "đồng bộ; hồ sơ" via national.ndxp { protocol "REST" }
}
"#
        .to_owned(),
    )]);
    let checked = check(&files);
    assert_eq!(checked.analysis.error_count(), 0, "the fixture has errors");
    checked
}

#[test]
fn the_csv_files_are_utf8_with_a_bom_rfc_4180_and_neutralise_formulas() {
    let inventory = export::inventory(&hostile());
    let elements = csv::write(&inventory.elements);
    let relations = csv::write(&inventory.relations);
    assert!(elements.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
    let elements = String::from_utf8(elements).unwrap();
    let relations = String::from_utf8(relations).unwrap();
    insta::assert_snapshot!("hostile_elements_csv", elements);
    insta::assert_snapshot!("hostile_relations_csv", relations);
    // Every cell a spreadsheet would take for a formula starts with `'`.
    assert!(elements.contains(r#""'=HYPERLINK(""http://evil.example"",""Sở KH&CN"")""#));
    assert!(elements.contains(",'+SKHCN,"));
    assert!(elements.contains(",'-1022,"));
    assert!(
        elements.contains(",'@Hà Nội, 185 Giảng Võ,")
            || elements.contains(",\"'@Hà Nội, 185 Giảng Võ\",")
    );
    assert!(elements.contains("'\tbắt đầu bằng tab"));
    assert!(elements.contains(",''trích dẫn,"));
    // Lines end with CR LF; a line break inside a quoted cell stays as it is.
    assert!(elements.contains("\"Hai dòng: \"\"một\"\",\nvà hai.\""));
    assert_eq!(elements.matches("\r\n").count(), 4, "one CR LF per record");
    assert!(elements.ends_with("\r\n") && relations.ends_with("\r\n"));
}

#[test]
fn neutralised_cells_read_back_as_written() {
    for text in [
        "=1+1",
        "+84",
        "-",
        "@x",
        "\tx",
        "\rx",
        "'",
        "''x",
        "'a",
        "a'",
        "",
        "bình thường",
    ] {
        assert_eq!(csv::restore(&csv::neutralise(text)), text, "{text:?}");
    }
    // A cell typed with a leading quote keeps it.
    assert_eq!(csv::restore("'abc"), "'abc");
}

#[test]
fn hanoi_exports_its_own_elements_sorted_by_id_and_the_workspaces_relations() {
    let checked = model("hanoi");
    let inventory = export::inventory(&checked);
    let model = &checked.analysis.model;
    let own = model
        .elements
        .iter()
        .filter(|element| checked.boundary.is_declared_or_owned(element))
        .count();
    assert_eq!(inventory.elements.rows.len(), own);
    assert!(own > 250, "Hanoi has {own} elements");
    let ids: Vec<&str> = inventory
        .elements
        .rows
        .iter()
        .map(|row| row[0].as_str())
        .collect();
    assert!(
        ids.windows(2).all(|pair| pair[0] < pair[1]),
        "not sorted by id"
    );
    assert!(
        ids.iter().all(|id| !id.starts_with("national.")),
        "national elements exported"
    );
    assert_eq!(
        inventory.relations.rows.len(),
        model
            .relations
            .iter()
            .filter(|relation| relation.in_workspace)
            .count()
    );
    let headers: Vec<&str> = inventory
        .elements
        .columns
        .iter()
        .map(|column| column.header.as_str())
        .collect();
    assert_eq!(&headers[..6], &export::ELEMENT_COLUMNS);
    assert!(headers[6..].windows(2).all(|pair| pair[0] < pair[1]));
    // One column per property present, and none for a property no element has.
    for property in ["owner", "hosted_in", "status", "url", "detection_hours"] {
        assert!(headers.contains(&property), "no column {property}");
    }
    // Hanoi's security levels are not public: no element has one, so no column.
    assert!(!headers.contains(&"security_level"));
    assert!(!headers.contains(&"archimate_id"));
    let hours = headers
        .iter()
        .position(|header| *header == "detection_hours")
        .unwrap();
    assert!(inventory.elements.columns[hours].integer);
    // Same bytes on every run.
    assert_eq!(
        csv::write(&inventory.elements),
        csv::write(&export::inventory(&checked).elements)
    );
    let first = xlsx::write(&[&inventory.elements, &inventory.relations]).unwrap();
    let second = xlsx::write(&[&inventory.elements, &inventory.relations]).unwrap();
    assert_eq!(first, second, "the workbook differs between two runs");
}

/// The XML of a part of an XLSX workbook.
fn part(workbook: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(workbook)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_workbook_has_two_sheets_with_a_bold_header_frozen_panes_filters_and_widths() {
    let inventory = export::inventory(&hostile());
    let workbook = xlsx::write(&[&inventory.elements, &inventory.relations]).unwrap();
    let book = part(&workbook, "xl/workbook.xml");
    assert!(
        book.contains(r#"<sheet name="elements" sheetId="1""#),
        "{book}"
    );
    assert!(
        book.contains(r#"<sheet name="relations" sheetId="2""#),
        "{book}"
    );
    let sheet = part(&workbook, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(r#"<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/>"#),
        "{sheet}"
    );
    assert!(sheet.contains("<autoFilter ref=\"A1:"), "{sheet}");
    assert!(sheet.contains("customWidth=\"1\""), "{sheet}");
    // The header row's cells use the bold format (style 1).
    assert!(sheet.contains(r#"<c r="A1" s="1" t="s">"#), "{sheet}");
    assert!(part(&workbook, "xl/styles.xml").contains("<b/>"));
    // The creation date is fixed.
    assert!(part(&workbook, "docProps/core.xml").contains("1980-01-01T00:00:00Z"));
    // An integer column holds numbers; other cells are text, never formulas.
    assert!(!sheet.contains("<f>"));
    let (sheets, problems) = xlsx::read("x.xlsx", &workbook).unwrap();
    assert!(problems.is_empty());
    assert_eq!(sheets.len(), 2);
    let read: Vec<Vec<String>> = sheets[0]
        .rows
        .iter()
        .map(|(_, cells)| cells.clone())
        .collect();
    let mut written = vec![
        inventory
            .elements
            .columns
            .iter()
            .map(|column| column.header.clone())
            .collect::<Vec<_>>(),
    ];
    written.extend(inventory.elements.rows.iter().cloned());
    assert_eq!(read, written, "the workbook does not read back as written");
}

/// A model's elements and relations as comparable text: each element's kind, name, parent, tags,
/// doc and properties, each relation's ends, type, label, via, doc and properties.
fn described(
    model: &Model,
    boundary: impl Fn(&kientruc_dsl::model::Element) -> bool,
) -> (BTreeMap<String, String>, Vec<String>) {
    let text = |value: &PropertyValue| export::value_text(value, model);
    let properties = |properties: &kientruc_dsl::model::Properties| {
        properties
            .iter()
            .map(|(name, entry)| format!("{name}={}", text(&entry.value)))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let elements = model
        .elements
        .iter()
        .filter(|element| boundary(element))
        .map(|element| {
            (
                element.qualified_id.to_string(),
                format!(
                    "{} {:?} parent={:?} tags={:?} doc={:?} {}",
                    element.kind,
                    element.name,
                    element
                        .parent
                        .map(|parent| model.element(parent).qualified_id.to_string()),
                    element.tags,
                    element.doc,
                    properties(&element.properties)
                ),
            )
        })
        .collect();
    let mut relations: Vec<String> = model
        .relations
        .iter()
        .filter(|relation| relation.in_workspace)
        .map(|relation| {
            format!(
                "{} {} {} label={:?} via={:?} doc={:?} {}",
                model.element(relation.source).qualified_id,
                relation.relation_type,
                model.element(relation.target).qualified_id,
                relation.label,
                relation
                    .via
                    .iter()
                    .map(|id| model.element(*id).qualified_id.to_string())
                    .collect::<Vec<_>>(),
                relation.doc,
                properties(&relation.properties)
            )
        })
        .collect();
    relations.sort();
    (elements, relations)
}

/// Reads `sheets` with the default mapping against the real pack.
fn import_sheets(sheets: &[Sheet]) -> Outcome {
    let pack = pack();
    let PackContext {
        metamodel,
        known,
        known_import,
    } = pack_context(&pack).unwrap();
    import(
        sheets,
        &Mapping::default_mapping(),
        &Context {
            metamodel: &metamodel,
            framework: pack.id.clone(),
            known: &known,
            known_import,
        },
    )
}

/// The written files of an import, checked like a workspace.
fn written(outcome: &Outcome) -> (BTreeMap<String, String>, Checked) {
    let pack = pack();
    let metamodel = pack_context(&pack).unwrap().metamodel;
    let written = outcome.model.write(Some(&metamodel));
    assert_eq!(
        written.warnings,
        Vec::<String>::new(),
        "the writer changed something"
    );
    let files: BTreeMap<String, String> = written.files.into_iter().collect();
    let checked = check(&files);
    (files, checked)
}

/// Exports `name` in both formats, imports each back, and compares the models.
fn round_trip(name: &str) {
    let original = model(name);
    let inventory = export::inventory(&original);
    let expected = described(&original.analysis.model, |element| {
        original.boundary.is_declared_or_owned(element) && element.in_workspace
    });
    let through_csv = vec![
        csv::read("elements.csv", &csv::write(&inventory.elements)).unwrap(),
        csv::read("relations.csv", &csv::write(&inventory.relations)).unwrap(),
    ];
    let workbook = xlsx::write(&[&inventory.elements, &inventory.relations]).unwrap();
    let (through_xlsx, cell_problems) = xlsx::read(&format!("{name}.xlsx"), &workbook).unwrap();
    assert!(cell_problems.is_empty());
    for (format, sheets) in [("csv", through_csv), ("xlsx", through_xlsx)] {
        let outcome = import_sheets(&sheets);
        assert_eq!(
            outcome
                .problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            Vec::<String>::new(),
            "{name} through {format}"
        );
        assert!(
            outcome.created.is_empty(),
            "{name} through {format} created {:?}",
            outcome.created
        );
        let (_, checked) = written(&outcome);
        assert_eq!(
            checked.analysis.error_count(),
            0,
            "{name} through {format}: {:?}",
            checked.analysis.diagnostics
        );
        let actual = described(&checked.analysis.model, |element| element.in_workspace);
        let missing: Vec<_> = expected
            .0
            .iter()
            .filter(|(id, text)| actual.0.get(*id) != Some(text))
            .collect();
        assert!(
            missing.is_empty(),
            "{name} through {format}: elements differ: {:#?}\n{:#?}",
            missing,
            missing
                .iter()
                .map(|(id, _)| actual.0.get(*id))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            actual.0.len(),
            expected.0.len(),
            "{name} through {format}: element count"
        );
        assert_eq!(
            actual.1, expected.1,
            "{name} through {format}: relations differ"
        );
        // What the header owned it owns again.
        assert_eq!(
            checked.boundary.owned().len(),
            original.boundary.owned().len()
        );
    }
}

#[test]
fn hanoi_round_trips_through_csv_and_xlsx() {
    round_trip("hanoi");
}

#[test]
fn the_ministry_round_trips_with_its_owned_national_elements() {
    round_trip("bo-tu-phap");
}

/// The hand-written inventory's sheets: the CSV fixture, and the same cells in a workbook.
fn inventory_fixture() -> (Vec<u8>, Sheet) {
    let bytes =
        std::fs::read(repository().join("interop/tests/fixtures/inventory/danh-muc-httt.csv"))
            .unwrap();
    let sheet = csv::read("danh-muc-httt.csv", &bytes).unwrap();
    (bytes, sheet)
}

#[test]
fn a_vietnamese_inventory_imports_with_the_default_mapping() {
    let (_, sheet) = inventory_fixture();
    let outcome = import_sheets(std::slice::from_ref(&sheet));
    assert_eq!(
        outcome.problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        vec![
            "danh-muc-httt.csv: row 11, column F \"Cấp độ an toàn thông tin\": `Cấp độ cao` is not an integer from 1 to 5"
                .to_owned()
        ]
    );
    let report = &outcome.sheets[0];
    assert_eq!(report.header_row, 4);
    assert_eq!((report.rows, report.headings), (6, 2));
    let columns: Vec<String> = report
        .columns
        .iter()
        .map(|(_, header, meaning)| format!("{header} → {meaning}"))
        .collect();
    insta::assert_snapshot!("fixture_columns", columns.join("\n"));
    insta::assert_snapshot!(
        "fixture_created",
        outcome
            .created
            .iter()
            .map(|(id, kind, name)| format!("{kind} {id} {name:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The written files (with the bad cell kept as an attribute) parse and resolve.
    let (files, checked) = written(&outcome);
    assert_eq!(
        checked.analysis.error_count(),
        0,
        "{:?}",
        checked.analysis.diagnostics
    );
    for (name, text) in &files {
        insta::assert_snapshot!(format!("fixture_{name}"), text);
    }
    let model = &checked.analysis.model;
    let health = model
        .find("he_thong_thong_tin_y_te_co_so")
        .expect("row 11 is imported");
    assert_eq!(health.property("security_level"), None);
    assert_eq!(
        health.property("attributes"),
        Some(&PropertyValue::List(vec![PropertyValue::String(
            "Cấp độ an toàn thông tin: Cấp độ cao".to_owned()
        )]))
    );
    let tthc = model
        .find("httt_gqtthc")
        .expect("the TTHC system, by its abbreviation");
    assert_eq!(
        tthc.property("security_level"),
        Some(&PropertyValue::Integer(3))
    );
    assert_eq!(
        tthc.property("status").and_then(PropertyValue::as_str),
        Some("operational")
    );
    // References by name to the national model, and to a row by its abbreviation.
    let targets: Vec<String> = model
        .relations
        .iter()
        .filter(|relation| model.element(relation.source).qualified_id == "httt_gqtthc")
        .map(|relation| model.element(relation.target).qualified_id.to_string())
        .collect();
    assert_eq!(targets, vec!["national.dvcqg", "lgsp"]);
    // Section headings are not elements; unknown columns are kept.
    assert!(
        model
            .workspace_elements()
            .all(|element| !element.name.starts_with("Hệ thống thông tin dùng chung"))
    );
    assert!(model.find("lgsp").unwrap().property("attributes").is_some_and(|value| matches!(value, PropertyValue::List(items) if items.contains(&PropertyValue::String("Ghi chú: Kết nối 12 hệ thống của các sở, ngành".to_owned())))));
}

#[test]
fn the_same_inventory_as_a_workbook_gives_the_same_model_and_names_the_sheet() {
    let (_, sheet) = inventory_fixture();
    // The fixture's cells in a workbook, as a person would type them: numbers as numbers, the
    // title in a merged row, a second sheet of notes.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("Hướng dẫn").unwrap();
    notes
        .write_string(0, 0, "Điền mỗi hệ thống một dòng.")
        .unwrap();
    let data = workbook.add_worksheet();
    data.set_name("Danh mục HTTT").unwrap();
    for (number, cells) in &sheet.rows {
        for (column, text) in cells.iter().enumerate() {
            let (row, column) = ((*number - 1) as u32, column as u16);
            match text.parse::<f64>() {
                Ok(value) if !text.is_empty() => data.write_number(row, column, value).unwrap(),
                _ => data.write_string(row, column, text).unwrap(),
            };
        }
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let (sheets, problems) = xlsx::read("danh-muc-httt.xlsx", &bytes).unwrap();
    assert!(problems.is_empty());
    let outcome = import_sheets(&sheets);
    assert_eq!(
        outcome.problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        vec![
            "danh-muc-httt.xlsx: sheet \"Danh mục HTTT\", row 11, column F \"Cấp độ an toàn thông tin\": `Cấp độ cao` is not an integer from 1 to 5"
                .to_owned()
        ]
    );
    assert_eq!(
        outcome.sheets[0].reading,
        kientruc_interop::inventory::import::Reading::Skipped(
            "no row of headers the mapping knows".to_owned()
        )
    );
    let from_csv = import_sheets(std::slice::from_ref(&sheet));
    let strip = |outcome: &Outcome| {
        outcome
            .model
            .all_elements()
            .into_iter()
            .map(|element| {
                (
                    element.id.clone(),
                    element.kind.clone(),
                    element.properties.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&outcome), strip(&from_csv));
    assert_eq!(outcome.model.relations, from_csv.model.relations);
}

/// One sheet of `rows` (header first) in a CSV file `f.csv`.
fn sheet(rows: &[&[&str]]) -> Sheet {
    Sheet {
        file: "f.csv".to_owned(),
        sheet: None,
        rows: rows
            .iter()
            .enumerate()
            .map(|(index, cells)| {
                (
                    index + 1,
                    cells.iter().map(|cell| (*cell).to_owned()).collect(),
                )
            })
            .collect(),
    }
}

fn problems_of(outcome: &Outcome) -> Vec<String> {
    outcome.problems.iter().map(ToString::to_string).collect()
}

#[test]
fn headers_match_without_case_spacing_or_diacritics() {
    let outcome = import_sheets(&[sheet(&[
        &[
            " TÊN HỆ THỐNG ",
            "CẤP ĐỘ\nAN TOÀN THÔNG TIN",
            "tinh trang",
            "Loại phần tử",
            "Chi phí (triệu đồng)",
        ],
        &[
            "Cổng thông tin điện tử tỉnh",
            "Cấp 2",
            "Đang hoạt động",
            "Cổng thông tin, cổng dịch vụ",
            "1.200",
        ],
        &[
            "Cơ sở dữ liệu cán bộ",
            "cấp độ 3",
            "operational",
            "database",
            "",
        ],
    ])]);
    assert_eq!(problems_of(&outcome), Vec::<String>::new());
    let elements = outcome.model.all_elements();
    assert_eq!(elements[0].kind, "portal");
    assert_eq!(elements[1].kind, "database");
    assert_eq!(
        elements[0].properties,
        vec![
            ("security_level".to_owned(), ImportedValue::Integer(2)),
            (
                "status".to_owned(),
                ImportedValue::Enum("operational".to_owned())
            ),
            (
                "attributes".to_owned(),
                ImportedValue::List(vec![ImportedValue::String(
                    "Chi phí (triệu đồng): 1.200".to_owned()
                )])
            ),
        ]
    );
    assert_eq!(
        elements[1].properties[0],
        ("security_level".to_owned(), ImportedValue::Integer(3))
    );
}

#[test]
fn every_problem_names_its_file_row_and_column() {
    let outcome = import_sheets(&[sheet(&[
        &[
            "Tên hệ thống",
            "Cơ quan chủ quản",
            "Tình trạng",
            "Loại phần tử",
            "Kết nối với",
            "Ngày đưa vào vận hành",
            "Có xử lý dữ liệu cá nhân",
        ],
        &[
            "Hệ thống A",
            "Cổng Dịch vụ công quốc gia",
            "Đang chạy",
            "Hệ thống",
            "",
            "31/02/2024",
            "có lẽ",
        ],
        &["", "Sở Y tế", "", "", "", "", ""],
        &[
            "Hệ thống B",
            "",
            "",
            "Phần mềm",
            "Hệ thống A; Hệ thống C",
            "",
            "",
        ],
        &["Hệ thống A", "", "", "", "", "", ""],
        &[
            "Hệ thống D",
            "",
            "",
            "",
            "Hệ thống A",
            "2024-01-01",
            "Không",
        ],
    ])]);
    insta::assert_snapshot!("problems", problems_of(&outcome).join("\n"));
}

#[test]
fn a_mapping_names_only_what_the_metamodel_has() {
    let pack = pack();
    let metamodel = pack_context(&pack).unwrap().metamodel;
    assert_eq!(
        Mapping::default_mapping().check(&metamodel),
        Vec::<String>::new()
    );
    let mapping = Mapping::from_toml(
        r#"
kind = "sytem"
[[column]]
headers = ["Cấp độ"]
property = "securty_level"
[[column]]
headers = ["Tình trạng"]
property = "status"
create = "agency"
[create.agency]
properties = { levle = "province" }
"#,
    )
    .unwrap();
    assert_eq!(
        mapping.check(&metamodel),
        vec![
            "`kind`: the metamodel has no kind `sytem`",
            "column 1 (Cấp độ): the metamodel has no property `securty_level`",
            "column 2 (Tình trạng): `create` is for references, and `status` is not one",
            "[create.agency]: kind `agency` has no property `levle`",
        ]
    );
    assert_eq!(
        Mapping::from_toml("kind = \"system\"\n[[column]]\nheaders = [\"A\"]\nfield = \"name\"\nproperty = \"url\"\n").unwrap_err(),
        "column 1 (A): give exactly one of `field`, `property` and `relation`"
    );
    assert!(
        Mapping::from_toml("kind = \"system\"\ncolums = []\n")
            .unwrap_err()
            .contains("unknown field `colums`")
    );
}

#[test]
fn files_that_are_not_inventories_are_one_problem_each() {
    let latin1 = b"T\xean h\xe1\xbb th\xf4ng\r\nA\r\n";
    assert_eq!(
        csv::read("cp1258.csv", latin1).unwrap_err().to_string(),
        "cp1258.csv: row 1: the file is not UTF-8 text; save it from the spreadsheet as \"CSV UTF-8\""
    );
    assert!(
        xlsx::read("fake.xlsx", b"PK\x03\x04 not a workbook")
            .unwrap_err()
            .to_string()
            .starts_with("fake.xlsx: not an XLSX workbook: ")
    );
    let outcome = import_sheets(&[sheet(&[&["Số", "Ghi chú"], &["1", "x"]])]);
    assert_eq!(
        problems_of(&outcome),
        vec!["f.csv: no row of headers the mapping knows; it was not read"]
    );
}

#[test]
fn a_workbook_that_unpacks_to_too_much_is_refused_before_unpacking() {
    let inventory = export::inventory(&hostile());
    let workbook = xlsx::write(&[&inventory.elements, &inventory.relations]).unwrap();
    let unpacked: u64 = {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&workbook)).unwrap();
        (0..archive.len())
            .map(|index| archive.by_index_raw(index).unwrap().size())
            .sum()
    };
    assert!(xlsx::read_at_most("w.xlsx", &workbook, unpacked).is_ok());
    assert_eq!(
        xlsx::read_at_most("w.xlsx", &workbook, unpacked - 1)
            .unwrap_err()
            .to_string(),
        format!(
            "w.xlsx: the workbook unpacks to {unpacked} bytes; a spreadsheet import reads at most {}",
            unpacked - 1
        )
    );
    // A real zip bomb: 300 MiB of zeros in a few hundred kilobytes.
    let mut bomb = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    bomb.start_file(
        "xl/worksheets/sheet1.xml",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true),
    )
    .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..300 {
        std::io::Write::write_all(&mut bomb, &zeros).unwrap();
    }
    let bomb = bomb.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    assert!(
        xlsx::read("bomb.xlsx", &bomb)
            .unwrap_err()
            .to_string()
            .starts_with("bomb.xlsx: the workbook unpacks to 314572800 bytes; a spreadsheet import reads at most 268435456")
    );
}

#[test]
fn workbook_cells_read_as_typed_dates_and_whole_numbers() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (column, header) in [
        "Tên hệ thống",
        "Ngày đưa vào vận hành",
        "Cấp độ",
        "Sao lưu, dự phòng",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    sheet
        .write_string(1, 0, "Hệ thống thư điện tử công vụ")
        .unwrap();
    sheet
        .write_datetime_with_format(
            1,
            1,
            rust_xlsxwriter::ExcelDateTime::from_ymd(2019, 5, 20).unwrap(),
            &date,
        )
        .unwrap();
    sheet.write_number(1, 2, 3.0).unwrap();
    sheet.write_boolean(1, 3, true).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let (sheets, problems) = xlsx::read("d.xlsx", &bytes).unwrap();
    assert!(problems.is_empty());
    assert_eq!(
        sheets[0].rows[1].1,
        vec!["Hệ thống thư điện tử công vụ", "2019-05-20", "3", "true"]
    );
    let outcome = import_sheets(&sheets);
    assert_eq!(problems_of(&outcome), Vec::<String>::new());
    assert_eq!(
        outcome.model.elements[0].properties,
        vec![
            (
                "operational_since".to_owned(),
                ImportedValue::Date(Date::new(2019, 5, 20).unwrap())
            ),
            ("security_level".to_owned(), ImportedValue::Integer(3)),
            ("backup".to_owned(), ImportedValue::Boolean(true)),
        ]
    );
}
