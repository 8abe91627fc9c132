//! The server's main loop driven over an in-memory connection, on a workspace written to a
//! temporary folder (with the test framework pack in `frameworks/mini` beside it): diagnostics
//! publishing, UTF-16 positions inside Vietnamese text, navigation into the national model,
//! rename, formatting, error answers and shutdown.

mod support;

use lsp_server::RequestId;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::time::Duration;
use support::client::{TestClient, uri};

fn findings_only() -> Vec<(String, String, u64, String)> {
    vec![
        (
            "T-REL-001".to_owned(),
            "8:9-8:13".to_owned(),
            2,
            "Nền tảng lgsp chưa đặt tại trung tâm dữ liệu".to_owned(),
        ),
        (
            "T-PROP-001".to_owned(),
            "13:7-13:13".to_owned(),
            4,
            "Hệ thống Camera giám sát (camera) chưa có cấp độ an toàn (waived)".to_owned(),
        ),
    ]
}

#[test]
fn diagnostics_are_published_for_every_affected_file_and_cleared_when_fixed() {
    let mut client = TestClient::start(support::WORKSPACE, Duration::from_millis(20));
    client.open("apps.ea");
    assert_eq!(client.diagnostics("apps.ea"), findings_only());

    // Renaming the agency in main.ea breaks the three uses in apps.ea (a file not edited).
    client.open("main.ea");
    client.change("main.ea", 2, [7, 7, 7, 11], "ubnd_hn");
    let unresolved: Vec<(String, String)> = client
        .diagnostics("apps.ea")
        .into_iter()
        .filter(|diagnostic| diagnostic.0 == "KT0206")
        .map(|diagnostic| (diagnostic.0, diagnostic.1))
        .collect();
    assert_eq!(
        unresolved,
        vec![
            ("KT0206".to_owned(), "2:8-2:12".to_owned()),
            ("KT0206".to_owned(), "9:8-9:12".to_owned()),
            ("KT0206".to_owned(), "14:8-14:12".to_owned()),
        ]
    );
    // Undoing the edit leaves only the findings again.
    client.change("main.ea", 3, [7, 7, 7, 14], "ubnd");
    assert_eq!(client.diagnostics("apps.ea"), findings_only());

    // A syntax error is published with its code; fixing it clears the file.
    client.change("main.ea", 4, [9, 0, 9, 1], "");
    let broken = client.diagnostics("main.ea");
    assert_eq!(broken[0].0, "KT0003");
    client.change("main.ea", 5, [9, 0, 9, 0], "}");
    assert_eq!(client.diagnostics("main.ea"), Vec::new());
    client.shutdown();
}

/// The message of the first diagnostic of `apps.ea` (the unresolved owner the edits make).
fn first_message(diagnostics: &[(String, String, u64, String)]) -> &str {
    assert_eq!(diagnostics[0].0, "KT0206", "{diagnostics:?}");
    &diagnostics[0].3
}

#[test]
fn a_burst_of_edits_is_analysed_once() {
    let mut client = TestClient::start(support::WORKSPACE, Duration::from_millis(300));
    client.open("apps.ea");
    assert_eq!(client.diagnostics("apps.ea"), findings_only());
    // An edit after a quiet period is analysed at once...
    client.change("apps.ea", 2, [2, 12, 2, 12], "x");
    let after_first = client.diagnostics("apps.ea");
    assert!(
        first_message(&after_first).starts_with("cannot find element `ubndx`"),
        "{after_first:?}"
    );
    // ...and the edits that follow it within the debounce period wait for the burst to end.
    for (version, column) in (3..7).zip(13..) {
        client.change("apps.ea", version, [2, column, 2, column], "x");
    }
    let after_burst = client.diagnostics("apps.ea");
    assert!(
        first_message(&after_burst).starts_with("cannot find element `ubndxxxxx`"),
        "{after_burst:?}"
    );
    // Nothing else was published for the burst.
    client.result("textDocument/hover", client.position("apps.ea", 0, 0));
    assert!(
        client.notifications.is_empty(),
        "{:?}",
        client.notifications
    );
    client.shutdown();
}

#[test]
fn an_edit_after_a_quiet_period_is_analysed_without_waiting_for_the_debounce() {
    // A debounce far longer than the test may take: diagnostics that arrive at all were not
    // held back by it.
    let mut client = TestClient::start(support::WORKSPACE, Duration::from_secs(24 * 3600));
    client.open("apps.ea");
    assert_eq!(client.diagnostics("apps.ea"), findings_only());
    client.change("apps.ea", 2, [2, 12, 2, 12], "x");
    let diagnostics = client.diagnostics("apps.ea");
    assert!(
        first_message(&diagnostics).starts_with("cannot find element `ubndx`"),
        "{diagnostics:?}"
    );
    // The next edit comes within the debounce period, so it waits; a request about the document
    // does not wait for the period to end: it asks for the analysis at once and is answered
    // from the new text.
    client.change("apps.ea", 3, [2, 13, 2, 13], "y");
    let hover = client.result("textDocument/hover", client.position("apps.ea", 1, 8));
    let contents = hover["contents"]["value"].as_str().expect("markdown");
    assert!(contents.contains("Hệ thống dịch vụ công"), "{contents}");
    let apps = client.uri("apps.ea");
    assert!(
        client
            .notifications
            .iter()
            .any(|notification| notification.params["uri"] == apps.as_str()),
        "the hover was answered before the analysis of the edit"
    );
    let diagnostics = client.diagnostics("apps.ea");
    assert!(
        first_message(&diagnostics).starts_with("cannot find element `ubndxy`"),
        "{diagnostics:?}"
    );
    client.shutdown();
}

#[test]
fn requests_about_an_edited_document_wait_for_its_analysis_and_can_be_cancelled_or_outdated() {
    // A workspace large enough that its analysis takes a while even on a fast machine, so the
    // requests below are still waiting when the next message arrives.
    let mut text = support::WORKSPACE.to_owned();
    text.push_str("//- /ws/many.ea\n");
    for index in 0..3_000 {
        write!(
            text,
            "system s{index} \"Hệ thống số {index}\" {{\n  owner ubnd\n  uses -> lgsp\n}}\n\n"
        )
        .unwrap();
    }
    let mut client = TestClient::start(&text, Duration::from_millis(20));
    client.open("apps.ea");
    assert_eq!(client.diagnostics("apps.ea"), findings_only());

    // Edit apps.ea. While that edit waits for its analysis, a request about another document
    // is answered at once from the latest analysis: before the edit's diagnostics arrive.
    client.change(
        "apps.ea",
        2,
        [13, 0, 13, 0],
        "/// Camera ở các nút giao thông.\n",
    );
    let other = client.result("textDocument/hover", client.position("main.ea", 7, 8));
    let contents = other["contents"]["value"].as_str().expect("markdown");
    assert!(contents.contains("Ủy ban nhân dân thành phố"), "{contents}");
    let apps = client.uri("apps.ea");
    assert!(
        !client
            .notifications
            .iter()
            .any(|notification| notification.params["uri"] == apps.as_str()),
        "the hover on main.ea was answered only after the analysis of the edit"
    );

    // Ask about the edited document, then cancel: the hover waits for the edit's analysis (its
    // positions are in the new text) and is cancelled meanwhile.
    let hover = client.send_request("textDocument/hover", client.position("apps.ea", 14, 8));
    client.notify("$/cancelRequest", json!({ "id": 3 }));
    assert_eq!(hover, RequestId::from(3));
    let cancelled = client.response(&hover);
    assert_eq!(cancelled.error.expect("cancelled").code, -32800);

    // Edit, ask, edit again: the waiting request is about text that no longer exists.
    client.change("apps.ea", 3, [13, 0, 13, 0], "// Ghi chú.\n");
    let outdated = client.send_request("textDocument/hover", client.position("apps.ea", 15, 8));
    client.change("apps.ea", 4, [13, 0, 14, 0], "");
    let response = client.response(&outdated);
    assert_eq!(response.error.expect("content modified").code, -32801);

    // A request after the edits is answered from the newest text (version 4): the doc comment
    // of version 2 is on the line above `system camera`, now line 14 (0-based).
    let hover = client.result("textDocument/hover", client.position("apps.ea", 14, 8));
    let contents = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        contents.contains("Camera ở các nút giao thông."),
        "{contents}"
    );
    client.shutdown();
}

#[test]
fn the_server_asks_to_watch_model_files_and_rereads_the_disk_when_they_change() {
    let capabilities =
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let mut client = TestClient::start_with(support::WORKSPACE, Duration::ZERO, &capabilities);
    client.open("apps.ea");
    assert_eq!(client.diagnostics("apps.ea"), findings_only());
    // The registration arrived before any diagnostics.
    let registration = client
        .server_requests
        .iter()
        .find(|request| request.method == "client/registerCapability")
        .expect("a registration request");
    let registered = &registration.params["registrations"][0];
    assert_eq!(registered["method"], "workspace/didChangeWatchedFiles");
    let patterns: Vec<&str> = registered["registerOptions"]["watchers"]
        .as_array()
        .expect("watchers")
        .iter()
        .map(|watcher| watcher["globPattern"].as_str().expect("a glob"))
        .collect();
    assert_eq!(
        patterns,
        [
            "**/*.ea",
            "**/kientruc.toml",
            "**/.gitignore",
            "**/frameworks/**",
            "**/*.json"
        ]
    );

    // A file that is not open changes on disk: main.ea loses the agency every file refers to.
    let main = client.path("main.ea");
    let text = std::fs::read_to_string(&main).expect("main.ea");
    std::fs::write(&main, text.replace("agency ubnd", "agency ubnd_moi")).expect("written");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": client.uri("main.ea"), "type": 2 }] }),
    );
    let after = client.diagnostics("apps.ea");
    assert!(
        after.iter().any(|(code, _, _, message)| code == "KT0206"
            && message.starts_with("cannot find element `ubnd`")),
        "{after:?}"
    );
    client.shutdown();
}

const VIETNAMESE_LINE: &str = "exchanges_with camera -> dvc \"chia sẻ hình ảnh\" via lgsp\n";

#[test]
fn hover_and_definition_use_utf16_positions_inside_vietnamese_text() {
    let text = support::with_file(support::WORKSPACE, "/ws/apps.ea", |text| {
        format!("{text}\n{VIETNAMESE_LINE}")
    });
    let mut client = TestClient::start(&text, Duration::from_millis(20));
    client.open("apps.ea");
    client.diagnostics("apps.ea");
    // `lgsp` starts at UTF-16 column 52 of line 20 (byte column 57).
    let hover = client.result("textDocument/hover", client.position("apps.ea", 20, 54));
    assert_eq!(
        hover["range"],
        json!({ "start": { "line": 20, "character": 52 }, "end": { "line": 20, "character": 56 } })
    );
    let contents = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        contents.starts_with("```kientruc\nplatform lgsp \"Nền tảng LGSP\"\n```"),
        "{contents}"
    );

    let definition = client.result(
        "textDocument/definition",
        client.position("apps.ea", 20, 54),
    );
    assert_eq!(
        definition,
        json!([{ "uri": client.uri("apps.ea"), "range": { "start": { "line": 8, "character": 9 }, "end": { "line": 8, "character": 13 } } }])
    );
    // Into the national model: the pack came from disk, so its real file is served.
    let definition = client.result("textDocument/definition", client.position("apps.ea", 5, 20));
    let national = client
        .root
        .parent()
        .expect("the temporary folder")
        .join("frameworks/mini/national.ea");
    assert_eq!(
        definition,
        json!([{ "uri": uri(&national), "range": { "start": { "line": 10, "character": 9 }, "end": { "line": 10, "character": 13 } } }])
    );
    let references = client.result(
        "textDocument/references",
        json!({ "textDocument": { "uri": client.uri("apps.ea") }, "position": { "line": 20, "character": 53 }, "context": { "includeDeclaration": false } }),
    );
    let lines: Vec<u64> = references
        .as_array()
        .expect("a list")
        .iter()
        .map(|location| location["range"]["start"]["line"].as_u64().expect("a line"))
        .collect();
    assert_eq!(lines, vec![15, 20]);
    client.shutdown();
}

#[test]
fn rename_code_actions_and_completion_over_the_protocol() {
    let mut client = TestClient::start(support::WORKSPACE, Duration::from_millis(20));
    client.open("apps.ea");
    client.diagnostics("apps.ea");
    let prepared = client.result(
        "textDocument/prepareRename",
        client.position("apps.ea", 13, 9),
    );
    assert_eq!(
        prepared,
        json!({ "start": { "line": 13, "character": 7 }, "end": { "line": 13, "character": 13 } })
    );
    let mut params = client.position("apps.ea", 13, 9);
    params["newName"] = json!("camera_an_ninh");
    let edit = client.result("textDocument/rename", params.clone());
    let edits = edit["changes"][client.uri("apps.ea")]
        .as_array()
        .expect("edits")
        .len();
    assert_eq!(edits, 2);
    params["newName"] = json!("via");
    assert_eq!(client.error_code("textDocument/rename", params), -32803);

    let actions = client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": client.uri("apps.ea") },
            "range": { "start": { "line": 8, "character": 10 }, "end": { "line": 8, "character": 10 } },
            "context": { "diagnostics": [] }
        }),
    );
    assert_eq!(
        actions[0]["title"],
        "Waive T-REL-001 on lgsp until 2025-04-01"
    );
    assert_eq!(actions[0]["diagnostics"][0]["code"], "T-REL-001");
    assert_eq!(
        actions[0]["edit"]["changes"][client.uri("apps.ea")][0]["newText"],
        "\nwaive T-REL-001 on lgsp until 2025-04-01 \"lý do\"\n"
    );

    let completion = client.result("textDocument/completion", client.position("apps.ea", 4, 9));
    let labels: Vec<&str> = completion
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["label"].as_str().expect("label"))
        .collect();
    assert_eq!(labels, vec!["operational", "planned", "retiring"]);
    client.shutdown();
}

#[test]
fn formatting_formats_clean_files_and_refuses_files_with_syntax_errors() {
    let text = "//- /ws/main.ea\narchitecture hn \"Hà Nội\" {\nframework   \"mini\"\n  version \"3.0\"\n}\n";
    let mut client = TestClient::start(text, Duration::from_millis(20));
    client.open("main.ea");
    let params = json!({ "textDocument": { "uri": client.uri("main.ea") }, "options": { "tabSize": 2, "insertSpaces": true } });
    let edits = client.result("textDocument/formatting", params.clone());
    assert_eq!(
        edits[0]["newText"],
        "architecture hn \"Hà Nội\" {\n  framework \"mini\"\n  version \"3.0\"\n}\n"
    );
    assert_eq!(
        edits[0]["range"],
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 4, "character": 0 } })
    );
    client.change("main.ea", 2, [3, 0, 3, 1], "");
    assert_eq!(client.error_code("textDocument/formatting", params), -32803);
    client.shutdown();
}

#[test]
fn bad_requests_get_error_answers_or_empty_results() {
    let mut client = TestClient::start(support::WORKSPACE, Duration::from_millis(20));
    client.open("apps.ea");
    client.diagnostics("apps.ea");
    assert_eq!(client.error_code("kientruc/unknown", json!({})), -32601);
    assert_eq!(
        client.error_code("textDocument/hover", json!({ "nonsense": true })),
        -32602
    );
    // Positions past the end of a line or of the file are clamped, never an error.
    assert_eq!(
        client.result("textDocument/hover", client.position("apps.ea", 999, 999)),
        Value::Null
    );
    let completion = client.result(
        "textDocument/completion",
        client.position("apps.ea", 2, 999),
    );
    assert!(completion.is_array());
    // Documents the server does not know, and URIs that are not files.
    let unknown = json!({ "textDocument": { "uri": "file:///nowhere/x.ea" }, "position": { "line": 0, "character": 0 } });
    assert_eq!(
        client.result("textDocument/definition", unknown),
        Value::Null
    );
    let untitled = json!({ "textDocument": { "uri": "untitled:Untitled-1" } });
    assert_eq!(
        client.result("textDocument/documentSymbol", untitled),
        Value::Null
    );
    // The server is still alive and answering.
    let symbols = client.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": client.uri("apps.ea") } }),
    );
    assert_eq!(symbols.as_array().expect("symbols").len(), 4);
    client.shutdown();
}

#[test]
fn the_header_offers_the_migration_to_the_pack_that_replaces_its_framework() {
    let mut client = TestClient::start(support::WORKSPACE, Duration::from_millis(20));
    client.open("apps.ea");
    client.diagnostics("apps.ea");
    client.open("main.ea");
    let header_action = |client: &mut TestClient| -> Option<Value> {
        let actions = client.result(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": client.uri("main.ea") },
                "range": { "start": { "line": 1, "character": 3 }, "end": { "line": 1, "character": 3 } },
                "context": { "diagnostics": [] }
            }),
        );
        actions
            .as_array()
            .expect("actions")
            .iter()
            .find(|action| action["kind"] == "refactor.rewrite")
            .cloned()
    };
    // No pack replaces `mini` yet: nothing is offered.
    assert_eq!(header_action(&mut client), None);
    // A pack that replaces it appears beside the workspace (tests/frameworks/mini-next).
    let next = client
        .root
        .parent()
        .expect("the folder")
        .join("frameworks/mini-next");
    std::fs::create_dir_all(&next).unwrap();
    for (name, text) in [
        (
            "framework.toml",
            include_str!("../../tests/frameworks/mini-next/framework.toml"),
        ),
        (
            "metamodel.toml",
            include_str!("../../tests/frameworks/mini-next/metamodel.toml"),
        ),
        (
            "migration.toml",
            include_str!("../../tests/frameworks/mini-next/migration.toml"),
        ),
        (
            "documents.toml",
            include_str!("../../tests/frameworks/mini-next/documents.toml"),
        ),
    ] {
        std::fs::write(next.join(name), text).unwrap();
    }
    let action = header_action(&mut client).expect("the migration is offered on the header");
    assert_eq!(
        action["title"],
        "Migrate the workspace to mini-next (3 changes)"
    );
    let changes = &action["edit"]["changes"];
    assert_eq!(
        changes[client.uri("main.ea")],
        json!([{ "range": { "start": { "line": 1, "character": 12 }, "end": { "line": 1, "character": 18 } }, "newText": "\"mini-next\"" }])
    );
    assert_eq!(
        changes[client.uri("apps.ea")],
        json!([
            { "range": { "start": { "line": 3, "character": 2 }, "end": { "line": 3, "character": 16 } }, "newText": "security_grade" },
            { "range": { "start": { "line": 8, "character": 0 }, "end": { "line": 8, "character": 8 } }, "newText": "integration_platform" }
        ])
    );
    // Elsewhere than the header it is not offered.
    let actions = client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": client.uri("apps.ea") },
            "range": { "start": { "line": 2, "character": 3 }, "end": { "line": 2, "character": 3 } },
            "context": { "diagnostics": [] }
        }),
    );
    assert!(
        actions
            .as_array()
            .expect("actions")
            .iter()
            .all(|action| action["kind"] != "refactor.rewrite"),
        "{actions}"
    );
    client.shutdown();
}
