//! Identifiers written with letters outside ASCII (KT0012): one diagnostic per identifier, at the
//! whole identifier, saying what an identifier is and suggesting one without diacritics; no
//! syntax error and no resolution error follows from it, and the rest of the file is read.

use kientruc_dsl::analysis::{Analysis, analyze};
use kientruc_dsl::workspace::{FrameworkPack, MemoryProvider, MemoryRegistry};
use kientruc_dsl::{FileId, parse};
use std::path::Path;
use std::sync::Arc;

fn registry() -> MemoryRegistry {
    let mut files = std::collections::BTreeMap::new();
    files.insert(
        "framework.toml".to_owned(),
        Arc::from(include_str!("../../tests/frameworks/mini/framework.toml")),
    );
    files.insert(
        "metamodel.toml".to_owned(),
        Arc::from(include_str!("../../tests/frameworks/mini/metamodel.toml")),
    );
    MemoryRegistry {
        packs: vec![FrameworkPack {
            id: "mini".to_owned(),
            origin: "test".to_owned(),
            display_root: None,
            files,
        }],
    }
}

const HEADER: &str = "architecture hn \"Hà Nội\" {\n  framework \"mini\"\n  version \"3.0\"\n}\n\nagency ubnd \"UBND\" {\n  level province\n}\n";

/// Analyses `main.ea` holding `text`.
fn analyze_text(text: &str) -> Analysis {
    let mut provider = MemoryProvider::default();
    provider.insert("/ws/main.ea", text);
    analyze(
        Path::new("/ws"),
        &[Path::new("/ws/main.ea").to_path_buf()],
        &provider,
        &registry(),
    )
}

/// Each diagnostic as a user sees it: `CODE line:column-line:column message`.
fn shown(analysis: &Analysis) -> Vec<String> {
    analysis
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let label = diagnostic.primary.as_ref().expect("a place");
            let (start, end) = analysis.workspace.files.line_columns(label.span);
            format!(
                "{} {}:{}-{}:{} {}",
                diagnostic.code, start.line, start.column, end.line, end.column, diagnostic.message
            )
        })
        .collect()
}

fn message(word: &str) -> String {
    format!(
        "identifier `{word}` is not ASCII: an identifier is an ASCII letter (a-z, A-Z) or `_`, followed by ASCII letters, digits, `_` or `-`"
    )
}

fn help(ascii: &str) -> String {
    format!(
        "write `{ascii}` (the same letters without diacritics); Vietnamese text belongs in strings, such as the display name"
    )
}

fn ids(analysis: &Analysis) -> Vec<String> {
    analysis
        .model
        .workspace_elements()
        .map(|element| element.qualified_id.to_string())
        .collect()
}

#[test]
fn an_element_id_with_vietnamese_letters_is_one_clear_error_and_the_element_is_kept() {
    let text = format!(
        "{HEADER}\nsystem ở_xây_dựng \"Hệ thống đang xây dựng\" {{\n  owner ubnd\n}}\n\nsystem sau \"Sau\" {{\n  owner ubnd\n}}\n"
    );
    let analysis = analyze_text(&text);
    assert_eq!(
        shown(&analysis),
        vec![format!("KT0012 10:8-10:18 {}", message("ở_xây_dựng"))]
    );
    let diagnostic = &analysis.diagnostics[0];
    assert_eq!(
        diagnostic.primary.as_ref().unwrap().message,
        "`ở`, `â` and `ự` are not ASCII"
    );
    assert_eq!(
        diagnostic.help.as_deref(),
        Some(help("o_xay_dung").as_str())
    );
    // The element is kept as written (its owner resolved), and the next one is read.
    assert_eq!(ids(&analysis), vec!["ubnd", "ở_xây_dựng", "sau"]);
    let element = analysis.model.find("ở_xây_dựng").unwrap();
    assert!(element.property("owner").is_some());
}

#[test]
fn a_reference_target_and_a_property_key_are_reported_once_without_a_resolution_error() {
    let text = format!(
        "{HEADER}\nsystem a \"A\" {{\n  owner ubnd_hà\n  sở_hữu ubnd\n  uses -> hn.hệ_thống via trục_lgsp\n  tags [công-khai, b]\n}}\n\nuses a -> đích\n"
    );
    let analysis = analyze_text(&text);
    assert_eq!(
        shown(&analysis),
        vec![
            format!("KT0012 11:9-11:16 {}", message("ubnd_hà")),
            format!("KT0012 12:3-12:9 {}", message("sở_hữu")),
            format!("KT0012 13:14-13:22 {}", message("hệ_thống")),
            format!("KT0012 13:27-13:36 {}", message("trục_lgsp")),
            format!("KT0012 14:9-14:18 {}", message("công-khai")),
            format!("KT0012 17:11-17:15 {}", message("đích")),
        ]
    );
    let helps: Vec<&str> = analysis
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic.help.as_deref().unwrap())
        .collect();
    assert_eq!(
        helps,
        [
            help("ubnd_ha"),
            help("so_huu"),
            help("he_thong"),
            help("truc_lgsp"),
            help("cong-khai"),
            help("dich")
        ]
    );
    assert_eq!(ids(&analysis), vec!["ubnd", "a"]);
}

#[test]
fn a_kind_in_column_one_starts_its_own_declaration_so_the_one_above_survives() {
    let text = format!(
        "{HEADER}\nsystem truoc \"Trước\" {{\n  owner ubnd\n}}\nhệ_thống sau \"Sau\" {{\n  owner ubnd\n}}\nsystem cuoi \"Cuối\" {{\n  owner ubnd\n}}\n"
    );
    let analysis = analyze_text(&text);
    assert_eq!(
        shown(&analysis),
        vec![format!("KT0012 13:1-13:9 {}", message("hệ_thống"))]
    );
    let mut kept = ids(&analysis);
    kept.sort();
    assert_eq!(kept, vec!["cuoi", "sau", "truoc", "ubnd"]);
}

#[test]
fn import_aliases_waivers_and_decomposed_letters_are_identifiers_too() {
    // `ở` typed as `o`, a combining horn and a combining hook above.
    let text = "import \"a.ea\" as bí\nwaive EA-1 on đ until 2030-01-01 \"lý do\"\nsystem o\u{31B}\u{309}_x \"X\" {}\n";
    let parsed = parse(FileId(0), text);
    let found: Vec<(String, std::ops::Range<usize>)> = parsed
        .diagnostics
        .iter()
        .map(|diagnostic| {
            (
                diagnostic.code.to_string(),
                diagnostic.primary.as_ref().unwrap().span.range.to_range(),
            )
        })
        .collect();
    let at = |before: &str, word: &str| {
        let start = text.find(before).unwrap() + before.len();
        ("KT0012".to_owned(), start..start + word.len())
    };
    assert_eq!(
        found,
        vec![
            at("as ", "bí"),
            at("on ", "đ"),
            at("system ", "o\u{31B}\u{309}_x")
        ]
    );
    assert_eq!(
        parsed.diagnostics[2].primary.as_ref().unwrap().message,
        // The letter as typed, with its marks: one letter on screen.
        "`o\u{31B}\u{309}` is not ASCII"
    );
    assert_eq!(
        parsed.diagnostics[2].help.as_deref(),
        Some(help("o_x").as_str())
    );
    // All three declarations are kept, with the names as written.
    assert_eq!(parsed.tree.declarations.len(), 3);
}

#[test]
fn letters_of_other_scripts_get_the_rule_without_a_suggestion() {
    let analysis = analyze_text(&format!(
        "{HEADER}\nsystem 系统 \"Hệ thống\" {{\n  owner ubnd\n}}\n"
    ));
    assert_eq!(
        shown(&analysis),
        vec![format!("KT0012 10:8-10:10 {}", message("系统"))]
    );
    assert_eq!(
        analysis.diagnostics[0].help.as_deref(),
        Some(
            kientruc_dsl::Code::NonAsciiIdentifier
                .default_help()
                .unwrap()
        )
    );
}

#[test]
fn words_inside_typographic_quotes_are_text_and_the_quote_is_the_syntax_error() {
    let text = format!(
        "{HEADER}\nsystem a \"A\" {{\n  owner ubnd\n  url “Sở Khoa học và Công nghệ”\n}}\n"
    );
    let analysis = analyze_text(&text);
    let codes: Vec<&str> = analysis
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic.code.as_str())
        .collect();
    assert_eq!(codes, vec!["KT0001"]);
    assert!(shown(&analysis)[0].starts_with("KT0001 12:7-12:8 unexpected `“`"));
}

#[test]
fn after_a_byte_order_mark_a_declaration_in_column_one_is_reported_at_column_one() {
    let text = format!("\u{feff}hệ_thống a \"A\" {{}}\n{HEADER}");
    let analysis = analyze_text(&text);
    assert_eq!(
        shown(&analysis),
        vec![format!("KT0012 1:1-1:9 {}", message("hệ_thống"))]
    );
}

#[test]
fn words_of_a_display_name_that_lost_its_quotes_are_not_reported_as_identifiers() {
    // Both quotes missing: the syntax error at the first word, as before; the opening quote
    // missing: the closing one starts an unterminated string. No KT0012 either way.
    let text = format!(
        "{HEADER}\nsystem a Hệ thống {{\n  owner ubnd\n}}\n\nsystem b Hệ thống\" {{\n  owner ubnd\n}}\n"
    );
    let analysis = analyze_text(&text);
    assert_eq!(
        shown(&analysis),
        vec![
            "KT0001 10:10-10:12 unexpected `Hệ`, expected `->` or a string".to_owned(),
            "KT0002 14:18-14:21 unterminated string".to_owned(),
        ]
    );
}

#[test]
fn another_syntax_error_in_the_declaration_is_reported_first() {
    let text = format!("{HEADER}\nsystem ở_c \"C\" {{\n  owner ubnd\n  security_level\n}}\n");
    let analysis = analyze_text(&text);
    assert_eq!(
        shown(&analysis),
        vec![
            "KT0001 13:1-13:2 unexpected `}`, expected `->`, a date, a list, a string, an identifier or an integer".to_owned()
        ]
    );
    // Once it is fixed, the identifier is reported.
    let fixed = format!("{HEADER}\nsystem ở_c \"C\" {{\n  owner ubnd\n  security_level 3\n}}\n");
    assert_eq!(
        shown(&analyze_text(&fixed)),
        vec![format!("KT0012 10:8-10:11 {}", message("ở_c"))]
    );
}
