//! The queries compile against the grammar, and capture what an editor must colour: on a sample
//! model, the keywords, kinds, ids, strings, escapes, numbers, dates, comments and the selectors
//! of a view get the names
//! each editor's theme knows. The query sets are the grammar's own (queries/: tree-sitter's CLI
//! and nvim-treesitter names), Helix's (editors/helix/queries/kientruc) and Zed's
//! (editors/zed/languages/kientruc).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use tree_sitter::{Query, QueryCursor, StreamingIterator as _};

const SAMPLE: &str = r#"/// Kiến trúc của thành phố.
architecture hanoi "Kiến trúc Chính quyền điện tử" {
  framework "vn-egov-3.0"
  as_of 2025-07-01
}

import "framework:national.ea" as national

// Hệ thống dùng chung
system dvc_hn "Hệ thống \"DVC\"" {
  security_level 3
  citizen_facing true
  owner ubnd_hn
  tags [chinh-quyen]
  uses -> national.ndxp via lgsp_hn
}

waive SEC-004 on dvc_hn until 2027-06-30 "lý do"

view health "Y tế" {
  title_en "Health"
  include kind(system) and tag(health) -> kind(platform) // đích
  exclude id("test_*")
  layout bands
  group by kind
}
"#;

fn read_query(relative: &str) -> Query {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let source = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    Query::new(&tree_sitter_kientruc::LANGUAGE.into(), &source)
        .unwrap_or_else(|error| panic!("{relative} does not compile: {error}"))
}

/// Every capture of `query` on `source`: (capture name, captured text, start byte), in
/// document order, with the predicates (`#match?`, `#any-of?`, ...) applied.
fn captures(query: &Query, source: &str) -> Vec<(String, String, usize)> {
    let tree = common::parse(source);
    assert!(!tree.root_node().has_error(), "the sample parses");
    let mut cursor = QueryCursor::new();
    let mut found = Vec::new();
    let mut matches = cursor.captures(query, tree.root_node(), source.as_bytes());
    while let Some((found_match, index)) = matches.next() {
        let capture = found_match.captures[*index];
        found.push((
            query.capture_names()[capture.index as usize].to_owned(),
            capture
                .node
                .utf8_text(source.as_bytes())
                .unwrap()
                .to_owned(),
            capture.node.start_byte(),
        ));
    }
    found
}

/// The highlight of the first occurrence of each captured text. No node may be captured twice:
/// editors disagree on whether the first or the last pattern wins (tree-sitter's CLI and Helix
/// before 25.07 take the first, nvim, Zed and newer Helix the last), so the queries never
/// depend on it.
fn highlights(relative: &str) -> BTreeMap<String, String> {
    let mut by_node: BTreeMap<(usize, String), String> = BTreeMap::new();
    let mut by_text: BTreeMap<String, String> = BTreeMap::new();
    for (name, text, start) in captures(&read_query(relative), SAMPLE) {
        if let Some(previous) = by_node.insert((start, text.clone()), name.clone()) {
            assert_eq!(
                previous, name,
                "{relative}: {text:?} at byte {start} is captured both as @{previous} and as @{name}"
            );
        }
        by_text.entry(text).or_insert(name);
    }
    by_text
}

fn assert_highlights(relative: &str, expected: &[(&str, &str)]) {
    let highlights = highlights(relative);
    let mut wrong = Vec::new();
    for (text, name) in expected {
        match highlights.get(*text) {
            Some(found) if found == name => {}
            found => wrong.push(format!("{text:?}: expected @{name}, got {found:?}")),
        }
    }
    assert!(
        wrong.is_empty(),
        "{relative}:\n{}\n(all captures: {highlights:?})",
        wrong.join("\n")
    );
}

#[test]
fn highlights_capture_keywords_declarations_literals_and_comments() {
    assert_highlights(
        "queries/highlights.scm",
        &[
            ("architecture", "keyword"),
            ("import", "keyword.import"),
            ("as", "keyword.import"),
            ("waive", "keyword"),
            ("on", "keyword"),
            ("until", "keyword"),
            ("via", "keyword"),
            ("view", "keyword"),
            ("include", "keyword"),
            ("exclude", "keyword"),
            ("layout", "keyword"),
            ("group", "keyword"),
            ("by", "keyword"),
            ("system", "type"),
            ("hanoi", "constant"),
            ("dvc_hn", "constant"),
            ("health", "constant"),
            ("uses", "function"),
            ("SEC-004", "label"),
            ("framework", "property"),
            ("security_level", "property"),
            ("title_en", "property"),
            ("bands", "constant.builtin"),
            ("kind", "constant.builtin"),
            ("kind(system) and tag(health)", "string.special"),
            ("kind(platform)", "string.special"),
            ("id(\"test_*\")", "string.special"),
            ("\"Y tế\"", "string"),
            ("// đích", "comment"),
            ("true", "boolean"),
            ("ubnd_hn", "variable"),
            ("chinh-quyen", "variable"),
            ("lgsp_hn", "variable"),
            ("national", "module"),
            ("ndxp", "variable"),
            ("\"Kiến trúc Chính quyền điện tử\"", "string"),
            ("\"Hệ thống \\\"DVC\\\"\"", "string"),
            ("\\\"", "string.escape"),
            ("\"framework:national.ea\"", "string.special.path"),
            ("3", "number"),
            ("2025-07-01", "string.special"),
            ("/// Kiến trúc của thành phố.", "comment.documentation"),
            ("// Hệ thống dùng chung", "comment"),
            ("->", "operator"),
            ("{", "punctuation.bracket"),
            ("[", "punctuation.bracket"),
            (".", "punctuation.delimiter"),
        ],
    );
}

#[test]
fn locals_define_ids_and_aliases_and_reference_them() {
    let found = captures(&read_query("queries/locals.scm"), SAMPLE);
    let named = |name: &str| -> Vec<String> {
        found
            .iter()
            .filter(|(capture, _, _)| capture == name)
            .map(|(_, text, _)| text.clone())
            .collect()
    };
    assert_eq!(
        named("local.definition"),
        ["hanoi", "national", "dvc_hn", "health"]
    );
    assert_eq!(
        named("local.reference"),
        ["ubnd_hn", "chinh-quyen", "national", "lgsp_hn", "dvc_hn"]
    );
    assert_eq!(named("local.scope").len(), 1);
}

#[test]
fn folds_and_indents_capture_bodies_and_lists() {
    let folds = captures(&read_query("queries/folds.scm"), SAMPLE);
    let folded: Vec<&str> = folds
        .iter()
        .map(|(_, text, _)| text.lines().next().unwrap_or(""))
        .collect();
    assert_eq!(folded, ["{", "{", "[chinh-quyen]", "{"]);
    let indents = captures(&read_query("queries/indents.scm"), SAMPLE);
    assert!(
        indents
            .iter()
            .any(|(name, text, _)| name == "indent.begin" && text.starts_with('{'))
    );
    assert!(
        indents
            .iter()
            .any(|(name, text, _)| name == "indent.end" && text == "}")
    );
}

/// The texts captured under `name` by the query in `relative`, in document order.
fn captured(relative: &str, name: &str) -> Vec<String> {
    captures(&read_query(relative), SAMPLE)
        .into_iter()
        .filter(|(capture, _, _)| capture == name)
        .map(|(_, text, _)| text)
        .collect()
}

#[test]
fn helix_queries_use_helix_capture_names() {
    assert_highlights(
        "../helix/queries/kientruc/highlights.scm",
        &[
            ("architecture", "keyword"),
            ("import", "keyword.control.import"),
            ("as", "keyword.control.import"),
            ("waive", "keyword"),
            ("on", "keyword"),
            ("until", "keyword"),
            ("via", "keyword"),
            ("view", "keyword"),
            ("include", "keyword"),
            ("group", "keyword"),
            ("by", "keyword"),
            ("system", "type"),
            ("hanoi", "constant"),
            ("dvc_hn", "constant"),
            ("health", "constant"),
            ("uses", "function"),
            ("SEC-004", "label"),
            ("framework", "variable.other.member"),
            ("title_en", "variable.other.member"),
            ("bands", "constant.builtin"),
            ("kind(system) and tag(health)", "string.special"),
            ("\"Y tế\"", "string"),
            ("true", "constant.builtin.boolean"),
            ("ubnd_hn", "variable"),
            ("chinh-quyen", "variable"),
            ("national", "namespace"),
            ("ndxp", "variable"),
            ("\"Kiến trúc Chính quyền điện tử\"", "string"),
            ("\\\"", "constant.character.escape"),
            ("\"framework:national.ea\"", "string.special.path"),
            ("3", "constant.numeric.integer"),
            ("2025-07-01", "string.special"),
            ("/// Kiến trúc của thành phố.", "comment.line.documentation"),
            ("// Hệ thống dùng chung", "comment.line"),
            ("->", "operator"),
            ("{", "punctuation.bracket"),
            (".", "punctuation.delimiter"),
        ],
    );
    let locals = "../helix/queries/kientruc/locals.scm";
    assert_eq!(
        captured(locals, "local.definition.constant"),
        ["hanoi", "dvc_hn", "health"]
    );
    assert_eq!(captured(locals, "local.definition.namespace"), ["national"]);
    assert_eq!(
        captured(locals, "local.reference"),
        ["ubnd_hn", "chinh-quyen", "national", "lgsp_hn", "dvc_hn"]
    );
    let indents = "../helix/queries/kientruc/indents.scm";
    assert_eq!(captured(indents, "outdent"), ["}", "]", "}", "}"]);
    assert_eq!(captured(indents, "indent").len(), 4);
    let textobjects = "../helix/queries/kientruc/textobjects.scm";
    let elements = captured(textobjects, "class.around");
    assert_eq!(elements.len(), 2);
    assert!(elements[0].starts_with("system dvc_hn"));
    assert!(elements[1].starts_with("view health"));
    assert_eq!(
        captured(textobjects, "function.around"),
        ["uses -> national.ndxp via lgsp_hn"]
    );
    let entries = captured(textobjects, "entry.around");
    for entry in [
        "security_level 3",
        "exclude id(\"test_*\")",
        "layout bands",
        "group by kind",
    ] {
        assert!(
            entries.contains(&entry.to_owned()),
            "{entry:?} in {entries:?}"
        );
    }
}

#[test]
fn zed_queries_use_zed_capture_names() {
    let languages = "../zed/languages/kientruc";
    assert_highlights(
        &format!("{languages}/highlights.scm"),
        &[
            ("architecture", "keyword"),
            ("import", "keyword"),
            ("as", "keyword"),
            ("waive", "keyword"),
            ("via", "keyword"),
            ("view", "keyword"),
            ("layout", "keyword"),
            ("system", "type"),
            ("hanoi", "constant"),
            ("dvc_hn", "constant"),
            ("health", "constant"),
            ("uses", "function"),
            ("SEC-004", "label"),
            ("framework", "property"),
            ("bands", "constant"),
            ("kind(platform)", "string.special"),
            ("true", "boolean"),
            ("ubnd_hn", "variable"),
            ("national", "namespace"),
            ("ndxp", "variable"),
            ("\"Kiến trúc Chính quyền điện tử\"", "string"),
            ("\\\"", "string.escape"),
            ("\"framework:national.ea\"", "string.special"),
            ("3", "number"),
            ("2025-07-01", "string.special"),
            ("/// Kiến trúc của thành phố.", "comment.doc"),
            ("// Hệ thống dùng chung", "comment"),
            ("->", "operator"),
            ("[", "punctuation.bracket"),
            (".", "punctuation.delimiter"),
        ],
    );
    // The outline lists the header, the element, its relation, the waiver and the view by name.
    let outline = format!("{languages}/outline.scm");
    assert_eq!(
        captured(&outline, "name"),
        [
            "hanoi",
            "dvc_hn",
            "national.ndxp",
            "SEC-004",
            "dvc_hn",
            "health"
        ]
    );
    assert_eq!(captured(&outline, "item").len(), 5);
    let brackets = format!("{languages}/brackets.scm");
    assert_eq!(
        captured(&brackets, "open").len(),
        captured(&brackets, "close").len()
    );
    assert!(captured(&brackets, "open").contains(&"{".to_owned()));
    let indents = format!("{languages}/indents.scm");
    assert_eq!(captured(&indents, "end"), ["}", "]", "}", "}"]);
}
