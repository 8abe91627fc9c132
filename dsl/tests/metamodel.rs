//! The `vn-egov-3.0` metamodel names every enum value in both languages, so that a report
//! never shows a bare enum word (`operational`, `people_committee`) in place of a name.

use kientruc_dsl::metamodel::{Language, Metamodel, ValueType};
use kientruc_dsl::text::FileId;

const VN_EGOV: &str = include_str!("../../architecture/frameworks/vn-egov-3.0/metamodel.toml");

fn vn_egov() -> Metamodel {
    let (metamodel, diagnostics) = Metamodel::from_toml(FileId(0), VN_EGOV);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    metamodel.expect("the vn-egov-3.0 metamodel")
}

/// The values of an enum property or a list of enums; `None` for other properties.
fn enum_values(value_type: &ValueType) -> Option<&[String]> {
    match value_type {
        ValueType::Enum { values } => Some(values),
        ValueType::List { item } => enum_values(item),
        _ => None,
    }
}

#[test]
fn every_enum_value_of_vn_egov_has_a_vietnamese_and_an_english_name() {
    let metamodel = vn_egov();
    let mut unnamed = Vec::new();
    let mut values = 0;
    for property in metamodel.properties.values() {
        for value in enum_values(&property.value_type).unwrap_or_default() {
            values += 1;
            for language in [Language::Vi, Language::En] {
                let name = metamodel.value_name(&property.name, value, language);
                if name.is_none_or(|name| name.trim().is_empty()) {
                    unnamed.push(format!("{}.{value} ({language:?})", property.name));
                }
            }
        }
    }
    assert!(
        unnamed.is_empty(),
        "enum values without a name in `[property.X.value_names]` of \
         architecture/frameworks/vn-egov-3.0/metamodel.toml: {unnamed:#?}"
    );
    // The walk saw the enums (28 properties, 215 values when this test was written).
    assert!(values >= 215, "only {values} enum values found");
}

#[test]
fn vietnamese_names_are_not_the_enum_words() {
    // A Vietnamese name that contains the value as a word (`kiosk`, `internet`) would read as
    // an untranslated enum word in a Vietnamese report. Proper names and acronyms written in
    // capitals (SAML, OpenID Connect, LGSP) are the same in both languages and are fine.
    let metamodel = vn_egov();
    let mut untranslated = Vec::new();
    for property in metamodel.properties.values() {
        for (value, name) in &property.value_names {
            let mut words = name.vi.split(|c: char| !c.is_alphanumeric() && c != '_');
            if words.any(|word| word == value) {
                untranslated.push(format!("{}.{value} = {:?}", property.name, name.vi));
            }
        }
    }
    assert!(untranslated.is_empty(), "{untranslated:#?}");
}

#[test]
fn value_name_returns_the_names_of_the_pack() {
    let metamodel = vn_egov();
    let cases = [
        ("status", "operational", "Đang vận hành", "Operational"),
        ("status", "retiring", "Sắp ngừng sử dụng", "Retiring"),
        (
            "agency_type",
            "people_committee",
            "Ủy ban nhân dân",
            "People's Committee",
        ),
        ("agency_type", "department", "Sở", "Department"),
        (
            "database_class",
            "national",
            "Cơ sở dữ liệu quốc gia",
            "National database",
        ),
        ("online_level", "full", "Toàn trình", "Fully online"),
        ("online_level", "partial", "Một phần", "Partly online"),
        // A list of enums.
        ("roles", "it_unit", "Đơn vị chuyên trách CNTT", "IT unit"),
        (
            "covers",
            "risk_management",
            "Quản lý rủi ro",
            "Risk management",
        ),
    ];
    for (property, value, vi, en) in cases {
        assert_eq!(
            metamodel.value_name(property, value, Language::Vi),
            Some(vi),
            "{property}.{value}"
        );
        assert_eq!(
            metamodel.value_name(property, value, Language::En),
            Some(en),
            "{property}.{value}"
        );
    }
    // The same word names different things in different properties.
    assert_eq!(
        metamodel.value_name("scope", "national", Language::Vi),
        Some("Quốc gia")
    );
    assert_eq!(
        metamodel.value_name("status", "national", Language::Vi),
        None
    );
    assert_eq!(
        metamodel.value_name("owner", "national", Language::Vi),
        None
    );
}
