//! The language reference documents every diagnostic code: `docs/language.md` has a
//! `### KTxxxx — title` section for each code of `Code::ALL`, with the code's title.

use kientruc_dsl::Code;

#[test]
fn every_diagnostic_code_has_a_section_in_the_language_reference() {
    let reference = include_str!("../../docs/language.md");
    let missing: Vec<String> = Code::ALL
        .iter()
        .filter(|code| !reference.contains(&format!("### {} — {}", code.as_str(), code.title())))
        .map(|code| format!("### {} — {}", code.as_str(), code.title()))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/language.md lacks sections: {missing:#?}"
    );
}
