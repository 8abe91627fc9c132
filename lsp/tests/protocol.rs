//! The server's main loop driven over an in-memory connection, on a workspace written to a
//! temporary folder (with the test framework pack in `frameworks/mini` beside it): diagnostics
//! publishing, UTF-16 positions inside Vietnamese text, navigation into the national model,
//! rename, formatting, error answers and shutdown.

mod support;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

struct TestClient {
    connection: Connection,
    server: Option<std::thread::JoinHandle<()>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    notifications: VecDeque<Notification>,
    /// Requests the server sent to the client (`client/registerCapability`).
    server_requests: Vec<Request>,
    _folder: tempfile::TempDir,
    root: PathBuf,
}

const TIMEOUT: Duration = Duration::from_secs(20);

fn uri(path: &Path) -> String {
    kientruc_lsp::convert::path_to_uri(path)
        .expect("a file uri")
        .as_str()
        .to_owned()
}

impl TestClient {
    /// Writes the fixture's files under a temporary `ws/` (and the pack under `frameworks/mini`)
    /// and starts a server whose client root is `ws/`.
    fn start(fixture_text: &str, debounce: Duration) -> Self {
        Self::start_with(fixture_text, debounce, &json!({}))
    }

    /// Like [`TestClient::start`], announcing the given client capabilities.
    fn start_with(fixture_text: &str, debounce: Duration, capabilities: &Value) -> Self {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let pack = folder.path().join("frameworks/mini");
        std::fs::create_dir_all(pack.join("rules")).expect("pack folder");
        for (name, text) in support::pack_files() {
            std::fs::write(pack.join(name), text).expect("pack file");
        }
        let root = folder.path().join("ws");
        for (path, text) in support::fixture(fixture_text).files {
            let relative = path
                .strip_prefix("/ws")
                .expect("fixture files are under /ws");
            let on_disk = root.join(relative);
            std::fs::create_dir_all(on_disk.parent().expect("a parent")).expect("folder");
            std::fs::write(on_disk, text).expect("file");
        }
        let (server_connection, connection) = Connection::memory();
        let options = kientruc_lsp::ServerOptions {
            today: Some(support::today()),
            debounce,
            cache_directory: folder.path().join("cache"),
            ..kientruc_lsp::ServerOptions::default()
        };
        let server = std::thread::spawn(move || {
            kientruc_lsp::run(&server_connection, options).expect("the server runs");
        });
        let mut client = Self {
            connection,
            server: Some(server),
            next_id: 0,
            notifications: VecDeque::new(),
            server_requests: Vec::new(),
            _folder: folder,
            root,
        };
        let root_uri = uri(&client.root);
        let initialized = client.request(
            "initialize",
            json!({ "capabilities": capabilities, "rootUri": root_uri, "locale": "vi" }),
        );
        let capabilities = &initialized.result.expect("initialize succeeds")["capabilities"];
        assert_eq!(
            capabilities["renameProvider"],
            json!({ "prepareProvider": true })
        );
        client.notify("initialized", json!({}));
        client
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn uri(&self, relative: &str) -> String {
        uri(&self.path(relative))
    }

    fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.to_owned(),
                params,
            )))
            .expect("the server is listening");
    }

    fn receive(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(TIMEOUT)
            .expect("a message from the server")
    }

    /// Sends a request without waiting for its answer.
    fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_owned(),
                params,
            )))
            .expect("the server is listening");
        id
    }

    fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.send_request(method, params);
        self.response(&id)
    }

    /// Waits for the answer to request `id` (keeping notifications that arrive first).
    fn response(&mut self, id: &RequestId) -> Response {
        loop {
            match self.receive() {
                Message::Response(response) if &response.id == id => return response,
                Message::Notification(notification) => self.notifications.push_back(notification),
                Message::Request(request) => self.server_requests.push(request),
                Message::Response(other) => panic!("unexpected message {other:?}"),
            }
        }
    }

    /// The result of a request that must succeed.
    fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(
            response.error.is_none(),
            "{method} failed: {:?}",
            response.error
        );
        response.result.unwrap_or(Value::Null)
    }

    /// The error code of a request that must fail.
    fn error_code(&mut self, method: &str, params: Value) -> i32 {
        self.request(method, params)
            .error
            .expect("an error response")
            .code
    }

    /// The next `publishDiagnostics` for `relative`, as `(code, range, severity, message)`.
    fn diagnostics(&mut self, relative: &str) -> Vec<(String, String, u64, String)> {
        let wanted = self.uri(relative);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let position = self.notifications.iter().position(|notification| {
                notification.method == "textDocument/publishDiagnostics"
                    && notification.params["uri"] == wanted
            });
            if let Some(position) = position {
                let notification = self.notifications.remove(position).expect("present");
                return notification.params["diagnostics"]
                    .as_array()
                    .expect("a list")
                    .iter()
                    .map(|diagnostic| {
                        let range = &diagnostic["range"];
                        (
                            diagnostic["code"].as_str().unwrap_or_default().to_owned(),
                            format!(
                                "{}:{}-{}:{}",
                                range["start"]["line"],
                                range["start"]["character"],
                                range["end"]["line"],
                                range["end"]["character"]
                            ),
                            diagnostic["severity"].as_u64().unwrap_or_default(),
                            diagnostic["message"]
                                .as_str()
                                .unwrap_or_default()
                                .to_owned(),
                        )
                    })
                    .collect();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .connection
                .receiver
                .recv_timeout(left)
                .expect("diagnostics in time")
            {
                Message::Notification(notification) => self.notifications.push_back(notification),
                Message::Request(request) => self.server_requests.push(request),
                Message::Response(other) => panic!("unexpected message {other:?}"),
            }
        }
    }

    fn open(&self, relative: &str) {
        let text = std::fs::read_to_string(self.path(relative)).expect("the file exists");
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": self.uri(relative), "languageId": "kientruc", "version": 1, "text": text } }),
        );
    }

    fn change(&self, relative: &str, version: i32, range: [u32; 4], text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": self.uri(relative), "version": version },
                "contentChanges": [{
                    "range": { "start": { "line": range[0], "character": range[1] }, "end": { "line": range[2], "character": range[3] } },
                    "text": text
                }]
            }),
        );
    }

    fn position(&self, relative: &str, line: u32, character: u32) -> Value {
        json!({ "textDocument": { "uri": self.uri(relative) }, "position": { "line": line, "character": character } })
    }

    /// Asks the server to shut down and exit, and waits for it to stop.
    fn shutdown(mut self) {
        assert_eq!(self.result("shutdown", Value::Null), Value::Null);
        // Requests after `shutdown` are refused.
        assert_eq!(
            self.error_code("textDocument/hover", self.position("apps.ea", 0, 0)),
            -32600
        );
        self.notify("exit", Value::Null);
        self.server
            .take()
            .expect("running")
            .join()
            .expect("the server stops cleanly");
    }
}

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
