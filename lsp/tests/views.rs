//! `kientruc/view`, the request behind the editor's architecture preview, over the protocol: the
//! server answers what `kientruc_reports::views` draws for the same workspace (one layout engine
//! for the report, `kientruc serve` and the editor), chooses the view under the cursor, answers
//! `view: null` for a view the workspace lacks, and follows edits.

mod support;

use kientruc_dsl::metamodel::Language;
use kientruc_lsp::ide;
use kientruc_lsp::ide::highlighting::HighlightKind;
use kientruc_reports::i18n::Texts;
use kientruc_reports::views;
use serde_json::{Value, json};
use std::time::Duration;
use support::client::TestClient;

/// What `kientruc_reports::views` gives for the fixture analysed in memory, as the server's
/// answer would carry it: the catalogue and the payload of view `id`.
fn drawn_directly(fixture_text: &str, id: &str) -> (Vec<Value>, Value) {
    let project = support::analyze(&support::fixture(fixture_text));
    let texts = Texts::of(&project.checked, Language::Vi);
    let catalogue = views::catalogue(&project.checked, &texts)
        .into_iter()
        .map(|entry| {
            json!({
                "id": entry.id,
                "title": entry.title,
                "description": entry.description,
                "builtin": entry.builtin,
            })
        })
        .collect();
    let view = views::render(&project.checked, &texts, id)
        .map_or(Value::Null, |rendered| views::payload(&rendered));
    (catalogue, view)
}

/// The ids of the nodes of a view's payload.
fn node_ids(view: &Value) -> Vec<String> {
    let mut ids: Vec<String> = view["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| node["id"].as_str().expect("an id").to_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_server_announces_the_request_and_answers_what_the_reports_draw() {
    let mut client = TestClient::start(support::WORKSPACE, Duration::from_millis(20));
    assert_eq!(
        client.capabilities["experimental"],
        json!({ "kientrucView": true })
    );
    client.open("apps.ea");
    let answer = client.result(
        "kientruc/view",
        json!({ "textDocument": { "uri": client.uri("apps.ea") } }),
    );
    let (catalogue, overview) = drawn_directly(support::WORKSPACE, "overview");
    assert_eq!(answer["views"], Value::Array(catalogue));
    assert_eq!(answer["view"], overview);
    assert_eq!(answer["view"]["id"], "overview");
    assert!(
        answer["view"]["svg"]
            .as_str()
            .expect("an SVG")
            .starts_with("<svg")
    );
    assert_eq!(node_ids(&answer["view"]), ["camera", "dvc", "lgsp"]);

    // A built-in view asked for by name, in English.
    let integration = client.result(
        "kientruc/view",
        json!({ "textDocument": { "uri": client.uri("apps.ea") }, "view": "integration", "language": "en" }),
    );
    let project = support::analyze(&support::fixture(support::WORKSPACE));
    let texts = Texts::of(&project.checked, Language::En);
    let expected = views::payload(
        &views::render(&project.checked, &texts, "integration").expect("the integration view"),
    );
    assert_eq!(integration["view"], expected);
    client.shutdown();
}

#[test]
fn a_view_the_workspace_lacks_answers_null_and_a_document_outside_any_project_answers_nothing() {
    let mut client = TestClient::start(support::WORKSPACE, Duration::from_millis(20));
    client.open("apps.ea");
    let answer = client.result(
        "kientruc/view",
        json!({ "textDocument": { "uri": client.uri("apps.ea") }, "view": "no_such_view" }),
    );
    assert_eq!(answer["view"], Value::Null);
    assert!(!answer["views"].as_array().expect("a list").is_empty());

    let elsewhere = client.result(
        "kientruc/view",
        json!({ "textDocument": { "uri": "file:///nowhere/else.ea" } }),
    );
    assert_eq!(elsewhere, json!({ "views": [], "view": null }));
    // Malformed parameters are refused, not guessed at.
    assert_eq!(
        client.error_code(
            "kientruc/view",
            json!({ "textDocument": { "uri": client.uri("apps.ea") }, "language": "fr" })
        ),
        -32602
    );
    client.shutdown();
}

#[test]
fn a_wrong_selector_is_published_at_its_place_and_completion_triggers_in_selectors() {
    let text = with_views("view broken \"Hỏng\" {\n  include kind(sistem)\n}\n");
    let mut client = TestClient::start(&text, Duration::from_millis(20));
    let triggers = client.capabilities["completionProvider"]["triggerCharacters"].clone();
    assert_eq!(triggers, json!([".", "(", "\""]));
    client.open("views.ea");
    let diagnostics = client.diagnostics("views.ea");
    assert_eq!(
        diagnostics
            .iter()
            .map(|(code, range, _, _)| (code.as_str(), range.as_str()))
            .collect::<Vec<_>>(),
        [("KT0215", "1:15-1:21")],
        "{diagnostics:?}"
    );
    // The view is still drawn, the wrong line selecting nothing (the diagnostic says why).
    let answer = client.result(
        "kientruc/view",
        json!({ "textDocument": { "uri": client.uri("views.ea") }, "position": { "line": 1, "character": 4 } }),
    );
    assert_eq!(answer["view"]["id"], "broken");
    assert_eq!(answer["view"]["nodes"], json!([]));
    client.shutdown();
}

#[test]
fn the_next_answer_after_an_edit_shows_the_new_element() {
    let mut client = TestClient::start(support::WORKSPACE, Duration::from_millis(20));
    client.open("apps.ea");
    let params = json!({ "textDocument": { "uri": client.uri("apps.ea") }, "view": "overview" });
    let before = client.result("kientruc/view", params.clone());
    assert!(!node_ids(&before["view"]).contains(&"ioc".to_owned()));
    // The request follows the edit at once: it waits for the analysis of the new text.
    client.change(
        "apps.ea",
        2,
        [0, 0, 0, 0],
        "system ioc \"Trung tâm điều hành thông minh\" {\n  owner ubnd\n  security_level 2\n}\n\n",
    );
    let after = client.result("kientruc/view", params);
    assert!(
        node_ids(&after["view"]).contains(&"ioc".to_owned()),
        "{:?}",
        node_ids(&after["view"])
    );
    assert!(
        after["view"]["svg"]
            .as_str()
            .expect("an SVG")
            .contains("Trung tâm điều hành thông minh")
    );
    client.shutdown();
}

/// The workspace of most tests with a file of views.
fn with_views(views_text: &str) -> String {
    format!("{}//- /ws/views.ea\n{views_text}", support::WORKSPACE)
}

const VIEWS: &str = r#"/// Các hệ thống của thành phố.
view city_systems "Hệ thống của thành phố" {
  title_en "City systems"
  description "Hệ thống và nền tảng do UBND quản lý"
  include kind(system) or kind(platform)
  exclude id("camera")
}

view exchanges "Trao đổi dữ liệu" {
  include kind(system) -> kind(platform)
  layout top-down
  group by layer
}
"#;

#[test]
fn the_view_under_the_cursor_is_chosen_else_the_first_of_the_document_else_the_overview() {
    let text = with_views(VIEWS);
    assert_eq!(
        support::diagnostic_lines(&support::analyze(&support::fixture(&text))),
        Vec::<String>::new()
    );
    let mut client = TestClient::start(&text, Duration::from_millis(20));
    client.open("views.ea");
    let ask = |client: &mut TestClient, params: Value| client.result("kientruc/view", params);
    let uri = client.uri("views.ea");
    // Line 9 (0-based) is `include kind(system) -> kind(platform)` in `exchanges`.
    let under_cursor = ask(
        &mut client,
        json!({ "textDocument": { "uri": uri }, "position": { "line": 9, "character": 12 } }),
    );
    let (_, exchanges) = drawn_directly(&text, "exchanges");
    assert_eq!(under_cursor["view"], exchanges);
    // `kind(platform)` selects the national model's NDXP too.
    assert_eq!(
        node_ids(&under_cursor["view"]),
        ["camera", "dvc", "lgsp", "national.ndxp"]
    );
    // The views of the document carry where they are declared; the built-in ones come last.
    let listed: Vec<(String, Value)> = under_cursor["views"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|entry| {
            (
                entry["id"].as_str().expect("an id").to_owned(),
                entry["range"].clone(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (
                "city_systems".to_owned(),
                json!({ "start": { "line": 1, "character": 0 }, "end": { "line": 6, "character": 1 } })
            ),
            (
                "exchanges".to_owned(),
                json!({ "start": { "line": 8, "character": 0 }, "end": { "line": 12, "character": 1 } })
            ),
            ("overview".to_owned(), Value::Null),
            ("integration".to_owned(), Value::Null),
        ]
    );
    // Outside any view's declaration: the first view of the document.
    let between = ask(
        &mut client,
        json!({ "textDocument": { "uri": uri }, "position": { "line": 7, "character": 0 } }),
    );
    assert_eq!(between["view"]["id"], "city_systems");
    assert_eq!(node_ids(&between["view"]), ["dvc", "lgsp", "national.ndxp"]);
    assert_eq!(between["view"]["title"], "Hệ thống của thành phố");
    // A name given wins over the cursor.
    let named = ask(
        &mut client,
        json!({ "textDocument": { "uri": uri }, "position": { "line": 9, "character": 12 }, "view": "city_systems", "language": "en" }),
    );
    assert_eq!(named["view"]["title"], "City systems");
    // A document that declares no view: the overview.
    client.open("apps.ea");
    let apps_uri = client.uri("apps.ea");
    let apps = ask(
        &mut client,
        json!({ "textDocument": { "uri": apps_uri }, "position": { "line": 3, "character": 0 } }),
    );
    assert_eq!(apps["view"]["id"], "overview");
    assert!(
        apps["views"]
            .as_array()
            .expect("a list")
            .iter()
            .all(|entry| entry.get("range").is_none())
    );
    client.shutdown();
}

#[test]
fn an_element_added_to_a_views_selection_appears_in_the_next_answer() {
    let text = with_views(VIEWS);
    let mut client = TestClient::start(&text, Duration::from_millis(20));
    client.open("views.ea");
    client.open("apps.ea");
    let params =
        json!({ "textDocument": { "uri": client.uri("views.ea") }, "view": "city_systems" });
    assert_eq!(
        node_ids(&client.result("kientruc/view", params.clone())["view"]),
        ["dvc", "lgsp", "national.ndxp"]
    );
    // A new platform in apps.ea: `kind(platform)` selects it.
    client.change(
        "apps.ea",
        2,
        [0, 0, 0, 0],
        "platform ioc \"Trung tâm điều hành thông minh\" {\n  owner ubnd\n  platform_type lgsp\n}\n\n",
    );
    let after = client.result("kientruc/view", params.clone());
    assert_eq!(
        node_ids(&after["view"]),
        ["dvc", "ioc", "lgsp", "national.ndxp"]
    );
    // Excluding it again in the view's own file.
    client.change("views.ea", 2, [5, 22, 5, 22], "\n  exclude id(ioc)");
    let excluded = client.result("kientruc/view", params);
    assert_eq!(
        node_ids(&excluded["view"]),
        ["dvc", "lgsp", "national.ndxp"]
    );
    client.shutdown();
}

/// The analysis of the views fixture with the cursor at `marker` (replaced by `$0`) in views.ea.
fn views_at(
    pattern: &str,
    marked: &str,
) -> (
    kientruc_lsp::state::ProjectAnalysis,
    kientruc_lsp::ide::FilePosition,
) {
    assert!(VIEWS.contains(pattern), "{pattern} is not in the views");
    support::analyze_at(&with_views(&VIEWS.replacen(pattern, marked, 1)))
}

#[test]
fn hover_on_a_view_id_shows_its_titles_description_and_selection() {
    let (project, position) = views_at("view city_systems", "view city_sys$0tems");
    let hover = ide::hover::hover(&project, position).expect("a hover");
    assert_eq!(
        hover.markdown,
        "**Hệ thống của thành phố** — view `city_systems` · City systems\n\nHệ thống và nền tảng do UBND quản lý\n\nselects 3 elements · layout `bands` · grouped by `kind`"
    );
    assert_eq!(
        &project.text(position.file)[hover.range.to_range()],
        "city_systems"
    );

    let (project, position) = views_at("view exchanges", "view ex$0changes");
    assert_eq!(
        ide::hover::hover(&project, position)
            .expect("a hover")
            .markdown,
        "**Trao đổi dữ liệu** — view `exchanges`\n\nselects 4 elements and 2 relations · layout `top-down` · grouped by `layer`"
    );
}

#[test]
fn definition_of_an_id_pattern_goes_to_the_elements_it_names() {
    let (project, position) = views_at("id(\"camera\")", "id(\"cam$0era\")");
    let found: Vec<String> = ide::navigation::definition(&project, position)
        .into_iter()
        .map(|span| support::place(&project, span))
        .collect();
    assert_eq!(found, ["ws/apps.ea:14:8-14:14"]);
    // Its hover is the element's.
    assert!(
        ide::hover::hover(&project, position)
            .expect("a hover")
            .markdown
            .starts_with("```kientruc\nsystem camera \"Camera giám sát\"\n```")
    );
    // A pattern names every element it matches.
    let (project, position) = views_at("id(\"camera\")", "id(\"*$0c*\")");
    let mut found: Vec<String> = ide::navigation::definition(&project, position)
        .into_iter()
        .map(|span| support::place(&project, span))
        .collect();
    found.sort();
    assert_eq!(found, ["ws/apps.ea:14:8-14:14", "ws/apps.ea:2:8-2:11"]);
    // A kind is not an id: nothing to go to; its hover is the kind's.
    let (project, position) = views_at("kind(platform)", "kind(plat$0form)");
    assert_eq!(ide::navigation::definition(&project, position), Vec::new());
    assert_eq!(
        ide::hover::hover(&project, position)
            .expect("a hover")
            .markdown,
        "**Nền tảng** · Platform — element kind `platform`, layer `application`\n\nproperties: owner, status, platform_type, code"
    );
}

fn completion_labels(pattern: &str, marked: &str) -> Vec<String> {
    let (project, position) = views_at(pattern, marked);
    let mut labels: Vec<String> = ide::completion::completions(&project, position)
        .items
        .into_iter()
        .map(|item| item.label)
        .collect();
    labels.sort();
    labels
}

#[test]
fn completion_in_a_view_offers_functions_kinds_layers_and_ids() {
    let functions = completion_labels("include kind(system) or", "include $0kind(system) or");
    for expected in [
        "kind", "layer", "tag", "id", "has", "parent", "child", "ancestor", "not",
    ] {
        assert!(
            functions.contains(&expected.to_owned()),
            "{expected} in {functions:?}"
        );
    }
    assert!(!functions.contains(&"system".to_owned()), "{functions:?}");
    // After `or`, and after `->`: functions again.
    let after_or = completion_labels("or kind(platform)", "or $0kind(platform)");
    assert!(after_or.contains(&"ancestor".to_owned()), "{after_or:?}");
    let after_arrow = completion_labels("-> kind(platform)", "-> $0kind(platform)");
    assert!(after_arrow.contains(&"layer".to_owned()), "{after_arrow:?}");

    assert_eq!(
        completion_labels("kind(platform)", "kind(pl$0atform)"),
        ["agency", "component", "data_centre", "platform", "system"]
    );
    assert_eq!(
        completion_labels(
            "include kind(system) ->",
            "include layer($0) or kind(system) ->"
        ),
        ["application", "business", "technology"]
    );
    let ids = completion_labels("id(\"camera\")", "id(\"ca$0mera\")");
    assert!(
        ids.contains(&"camera".to_owned()) && ids.contains(&"national.ndxp".to_owned()),
        "{ids:?}"
    );
    let bare_ids = completion_labels("id(\"camera\")", "id($0)");
    assert_eq!(bare_ids, ids);
    // The start of a line in a view's body: its keywords.
    assert_eq!(
        completion_labels("  layout top-down", "  $0layout top-down"),
        [
            "description",
            "description_en",
            "exclude",
            "group",
            "include",
            "layout",
            "title_en"
        ]
    );
    assert_eq!(
        completion_labels("layout top-down", "layout $0top-down"),
        ["bands", "top-down"]
    );
    assert_eq!(
        completion_labels("group by layer", "group by $0layer"),
        ["kind", "layer", "owner"]
    );
}

#[test]
fn document_symbols_list_views_and_semantic_tokens_mark_their_selectors() {
    let project = support::analyze(&support::fixture(&with_views(VIEWS)));
    let file = project
        .file_of_path(std::path::Path::new("/ws/views.ea"))
        .expect("views.ea");
    let symbols: Vec<(String, Option<String>, ide::symbols::SymbolCategory)> =
        ide::symbols::document_symbols(&project, file)
            .into_iter()
            .map(|symbol| (symbol.name, symbol.detail, symbol.category))
            .collect();
    assert_eq!(
        symbols,
        [
            (
                "city_systems".to_owned(),
                Some("view \"Hệ thống của thành phố\"".to_owned()),
                ide::symbols::SymbolCategory::View
            ),
            (
                "exchanges".to_owned(),
                Some("view \"Trao đổi dữ liệu\"".to_owned()),
                ide::symbols::SymbolCategory::View
            ),
        ]
    );
    let text = project.text(file);
    let tokens: Vec<(&str, HighlightKind)> = ide::highlighting::semantic_tokens(&project, file)
        .into_iter()
        .filter(|token| token.kind != HighlightKind::Comment)
        .map(|token| (&text[token.range.to_range()], token.kind))
        .take(16)
        .collect();
    assert_eq!(
        tokens,
        [
            ("view", HighlightKind::Keyword),
            ("city_systems", HighlightKind::Namespace),
            ("\"Hệ thống của thành phố\"", HighlightKind::String),
            ("title_en", HighlightKind::Property),
            ("\"City systems\"", HighlightKind::String),
            ("description", HighlightKind::Property),
            (
                "\"Hệ thống và nền tảng do UBND quản lý\"",
                HighlightKind::String
            ),
            ("include", HighlightKind::Keyword),
            ("kind", HighlightKind::RelationType),
            ("system", HighlightKind::Kind),
            ("or", HighlightKind::Keyword),
            ("kind", HighlightKind::RelationType),
            ("platform", HighlightKind::Kind),
            ("exclude", HighlightKind::Keyword),
            ("id", HighlightKind::RelationType),
            ("\"camera\"", HighlightKind::String),
        ]
    );
    let folds: Vec<(u32, u32)> = ide::highlighting::folding_ranges(&project, file)
        .into_iter()
        .filter(|fold| !fold.is_comment)
        .map(|fold| (fold.start_line, fold.end_line))
        .collect();
    assert_eq!(folds, [(1, 5), (8, 11)]);
}

#[test]
fn workspace_symbols_find_views_by_id_and_title() {
    let project = support::analyze(&support::fixture(&with_views(VIEWS)));
    let found = |query: &str| -> Vec<(String, String, ide::symbols::SymbolCategory)> {
        ide::symbols::workspace_symbols(&project, query)
            .into_iter()
            .map(|symbol| {
                (
                    symbol.name,
                    support::place(&project, symbol.span),
                    symbol.category,
                )
            })
            .collect()
    };
    assert_eq!(
        found("trao đổi"),
        [(
            "exchanges".to_owned(),
            "ws/views.ea:9:6-9:15".to_owned(),
            ide::symbols::SymbolCategory::View
        )]
    );
    // Elements come first.
    let systems = found("system");
    assert_eq!(
        systems.last().map(|symbol| (symbol.0.as_str(), symbol.2)),
        Some(("city_systems", ide::symbols::SymbolCategory::View))
    );
}
