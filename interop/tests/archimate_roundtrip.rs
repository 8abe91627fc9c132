//! Round trips through the exchange format: `import(export(Hanoi))` gives Hanoi's elements,
//! relations, properties, header and waivers back (docs/interop.md lists what it does not keep:
//! comments, the file a relation or waiver is written in), and `export(import(F))` keeps every
//! element and relationship identifier of a hand-written file of every `ArchiMate` type, with its
//! type, source and target.

mod common;

use kientruc_checker::Checked;
use kientruc_dsl::metamodel::Metamodel;
use kientruc_dsl::model::{Model, Properties, PropertyValue};
use kientruc_interop::archimate::{ExportOptions, ImportOptions, export, import, mapping_of};
use std::collections::BTreeMap;

fn metamodel() -> Metamodel {
    let pack = common::pack();
    let (metamodel, _) =
        Metamodel::from_toml(kientruc_dsl::FileId(0), &pack.files["metamodel.toml"]);
    metamodel.unwrap()
}

/// Exchange file → `.ea` files (checked: no diagnostic) → the check.
fn import_and_check(xml: &str) -> (Checked, Vec<(String, String)>) {
    let metamodel = metamodel();
    let mapping = mapping_of(&common::pack(), &metamodel).unwrap();
    let (model, _) = import(
        xml,
        &mapping,
        ImportOptions {
            framework: "vn-egov-3.0",
            metamodel: &metamodel,
        },
    )
    .unwrap();
    let written = model.write(Some(&metamodel));
    let checked = common::check_files(&written.files);
    assert_eq!(common::diagnostics(&checked), Vec::<String>::new());
    (checked, written.files)
}

fn text(model: &Model, value: &PropertyValue) -> String {
    match value {
        PropertyValue::Reference(id) => model.element(*id).qualified_id.to_string(),
        PropertyValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| text(model, item))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        PropertyValue::String(text) => format!("{text:?}"),
        other => format!("{other:?}"),
    }
}

fn properties(model: &Model, properties: &Properties) -> BTreeMap<String, String> {
    properties
        .iter()
        .map(|(name, entry)| (name.to_string(), text(model, &entry.value)))
        .collect()
}

/// What must survive, as comparable text: every workspace element (kind, name, file, parent,
/// doc, tags, properties), every workspace relation (in a sorted list), the header, the waivers.
fn summary(checked: &Checked) -> BTreeMap<String, String> {
    let analysis = &checked.analysis;
    let model = &analysis.model;
    let mut out = BTreeMap::new();
    for element in model.workspace_elements() {
        let file = &analysis.workspace.files.get(element.span.file).name;
        out.insert(
            format!("element {}", element.qualified_id),
            format!(
                "{} {:?} in {} parent {:?} doc {:?} tags {:?} {:?}",
                element.kind,
                element.name,
                file.rsplit('/').next().unwrap_or(file),
                element
                    .parent
                    .map(|parent| model.element(parent).qualified_id.to_string()),
                element.doc,
                element.tags,
                properties(model, &element.properties)
            ),
        );
    }
    let mut relations: Vec<String> = model
        .relations
        .iter()
        .filter(|relation| relation.in_workspace)
        .map(|relation| {
            format!(
                "{} {} -> {} {:?} via {:?} doc {:?} {:?}",
                relation.relation_type,
                model.element(relation.source).qualified_id,
                model.element(relation.target).qualified_id,
                relation.label,
                relation
                    .via
                    .iter()
                    .map(|id| model.element(*id).qualified_id.to_string())
                    .collect::<Vec<_>>(),
                relation.doc,
                properties(model, &relation.properties)
            )
        })
        .collect();
    relations.sort();
    for (index, relation) in relations.into_iter().enumerate() {
        out.insert(format!("relation {index:04}"), relation);
    }
    let header = model.header.as_ref().unwrap();
    out.insert(
        "header".to_owned(),
        format!(
            "{} {:?} {:?} {:?} {:?} {:?} {:?}",
            header.id,
            header.name,
            header.framework,
            header.version,
            header.as_of,
            header.doc,
            properties(model, &header.properties)
        ),
    );
    let mut waivers: Vec<String> = model
        .waivers
        .iter()
        .map(|waiver| {
            format!(
                "{} on {:?} until {:?} {:?}",
                waiver.rule,
                waiver
                    .element
                    .map(|element| model.element(element).qualified_id.to_string()),
                waiver.until,
                waiver.reason
            )
        })
        .collect();
    waivers.sort();
    out.insert("waivers".to_owned(), waivers.join("\n"));
    out
}

#[test]
fn hanoi_comes_back_from_its_exchange_file() {
    let original = common::check_files(&common::read_model("architecture/hanoi"));
    assert_eq!(common::diagnostics(&original), Vec::<String>::new());
    let exported = export(&original, &ExportOptions::default()).unwrap();
    let (back, files) = import_and_check(&exported.xml);
    let (before, after) = (summary(&original), summary(&back));
    let differences: Vec<String> = before
        .keys()
        .chain(after.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|key| before.get(*key) != after.get(*key))
        .map(|key| {
            format!(
                "{key}\n  before: {:?}\n  after:  {:?}",
                before.get(key),
                after.get(key)
            )
        })
        .collect();
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
    // The same files (the header's file is architecture.ea in both).
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let original_names: Vec<String> = common::read_model("architecture/hanoi")
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name != "waivers.ea")
        .collect();
    assert_eq!(names, original_names);
    // The declared views come back as declared (their kientruc:view properties, doc comments
    // included), and resolve to the same views.
    assert!(
        files.iter().any(|(name, _)| name == "views.ea"),
        "views.ea comes back"
    );
    let resolved = |checked: &kientruc_checker::Checked| -> Vec<(String, String, Vec<String>)> {
        checked
            .analysis
            .model
            .views
            .iter()
            .map(|view| {
                (
                    view.id.to_string(),
                    format!("{} {:?}", view.title, view.doc),
                    view.statements
                        .iter()
                        .map(|statement| statement.selector_text.clone())
                        .collect(),
                )
            })
            .collect()
    };
    assert_eq!(resolved(&back), resolved(&original));
    assert_eq!(resolved(&original).len(), 5);
    // And a second trip changes nothing at all.
    let again = export(&back, &ExportOptions::default()).unwrap();
    let (third, _) = import_and_check(&again.xml);
    assert_eq!(summary(&third), after);
}

#[test]
fn every_identifier_of_a_file_of_every_type_survives_a_round_trip() {
    let original = include_str!("fixtures/archimate/every-type.xml");
    let (checked, _) = import_and_check(original);
    let exported = export(&checked, &ExportOptions::default()).unwrap();
    let concepts = |xml: &str| -> BTreeMap<String, String> {
        let document = roxmltree::Document::parse(xml).unwrap();
        document
            .descendants()
            .filter(|node| node.has_tag_name("element") || node.has_tag_name("relationship"))
            .map(|node| {
                let kind = node
                    .attribute(("http://www.w3.org/2001/XMLSchema-instance", "type"))
                    .unwrap_or_default();
                let ends = match (node.attribute("source"), node.attribute("target")) {
                    (Some(source), Some(target)) => format!(" {source} -> {target}"),
                    _ => String::new(),
                };
                let access = node
                    .attribute("accessType")
                    .map(|access| format!(" ({access})"))
                    .unwrap_or_default();
                (
                    node.attribute("identifier").unwrap().to_owned(),
                    format!("{kind}{ends}{access}"),
                )
            })
            .collect()
    };
    let before = concepts(original);
    let after = concepts(&exported.xml);
    assert_eq!(before.len(), 62 + 23);
    let mut lost = Vec::new();
    for (identifier, concept) in &before {
        let expected = match concept.as_str() {
            // Not in the 3.0 exchange schema the export validates against: written as the
            // kind's type, the type kept as a property.
            "ValueStream" => "BusinessFunction",
            // The schema's default accessType, written out.
            other if other.starts_with("Access") && !other.contains('(') => {
                &format!("{other} (Access)")
            }
            other => other,
        };
        if after.get(identifier).map(String::as_str) != Some(expected) {
            lost.push(format!(
                "{identifier}: {concept} -> {:?}",
                after.get(identifier)
            ));
        }
    }
    assert_eq!(lost, Vec::<String>::new());
    assert!(exported.xml.contains("<value>ValueStream</value>"));
}

#[test]
fn an_english_name_comes_back_through_a_tool_that_keeps_one_name() {
    let files = vec![
        (
            "architecture.ea".to_owned(),
            "architecture thu \"Thử\" {\n  framework \"vn-egov-3.0\"\n  version \"1.0\"\n  scope province\n}\n"
                .to_owned(),
        ),
        (
            "co-quan.ea".to_owned(),
            "agency so \"Sở Khoa học và Công nghệ\" {\n  level province\n  name_en \"Department of Science and Technology\"\n}\n"
                .to_owned(),
        ),
    ];
    let original = common::check_files(&files);
    let exported = export(&original, &ExportOptions::default()).unwrap();
    // Archi keeps one name per element (here the Vietnamese one) and every property.
    let english = "      <name xml:lang=\"en\">Department of Science and Technology</name>\n";
    assert!(exported.xml.contains(english));
    let (back, written) = import_and_check(&exported.xml.replace(english, ""));
    assert_eq!(summary(&back), summary(&original));
    assert_eq!(written, files);
}
