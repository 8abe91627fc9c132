//! A test client for the server's main loop over `Connection::memory()`, on a workspace written
//! to a temporary folder (with the test framework pack in `frameworks/mini` beside it).

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub struct TestClient {
    pub connection: Connection,
    pub server: Option<std::thread::JoinHandle<()>>,
    pub next_id: i32,
    /// Notifications received while waiting for something else.
    pub notifications: VecDeque<Notification>,
    /// Requests the server sent to the client (`client/registerCapability`).
    pub server_requests: Vec<Request>,
    pub _folder: tempfile::TempDir,
    pub root: PathBuf,
    /// What the server announced in its `initialize` answer.
    pub capabilities: Value,
}

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub fn uri(path: &Path) -> String {
    kientruc_lsp::convert::path_to_uri(path)
        .expect("a file uri")
        .as_str()
        .to_owned()
}

impl TestClient {
    /// Writes the fixture's files under a temporary `ws/` (and the pack under `frameworks/mini`)
    /// and starts a server whose client root is `ws/`.
    pub fn start(fixture_text: &str, debounce: Duration) -> Self {
        Self::start_with(fixture_text, debounce, &json!({}))
    }

    /// Like [`TestClient::start`], announcing the given client capabilities.
    pub fn start_with(fixture_text: &str, debounce: Duration, capabilities: &Value) -> Self {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let pack = folder.path().join("frameworks/mini");
        std::fs::create_dir_all(pack.join("rules")).expect("pack folder");
        for (name, text) in super::pack_files() {
            std::fs::write(pack.join(name), text).expect("pack file");
        }
        let root = folder.path().join("ws");
        for (path, text) in super::fixture(fixture_text).files {
            let relative = path
                .strip_prefix("/ws")
                .expect("fixture files are under /ws");
            let on_disk = root.join(relative);
            std::fs::create_dir_all(on_disk.parent().expect("a parent")).expect("folder");
            std::fs::write(on_disk, text).expect("file");
        }
        let (server_connection, connection) = Connection::memory();
        let options = kientruc_lsp::ServerOptions {
            today: Some(super::today()),
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
            capabilities: Value::Null,
        };
        let root_uri = uri(&client.root);
        let initialized = client.request(
            "initialize",
            json!({ "capabilities": capabilities, "rootUri": root_uri, "locale": "vi" }),
        );
        client.capabilities =
            initialized.result.expect("initialize succeeds")["capabilities"].clone();
        let capabilities = &client.capabilities;
        assert_eq!(
            capabilities["renameProvider"],
            json!({ "prepareProvider": true })
        );
        client.notify("initialized", json!({}));
        client
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn uri(&self, relative: &str) -> String {
        uri(&self.path(relative))
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.to_owned(),
                params,
            )))
            .expect("the server is listening");
    }

    pub fn receive(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(TIMEOUT)
            .expect("a message from the server")
    }

    /// Sends a request without waiting for its answer.
    pub fn send_request(&mut self, method: &str, params: Value) -> RequestId {
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

    pub fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.send_request(method, params);
        self.response(&id)
    }

    /// Waits for the answer to request `id` (keeping notifications that arrive first).
    pub fn response(&mut self, id: &RequestId) -> Response {
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
    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(
            response.error.is_none(),
            "{method} failed: {:?}",
            response.error
        );
        response.result.unwrap_or(Value::Null)
    }

    /// The error code of a request that must fail.
    pub fn error_code(&mut self, method: &str, params: Value) -> i32 {
        self.request(method, params)
            .error
            .expect("an error response")
            .code
    }

    /// The next `publishDiagnostics` for `relative`, as `(code, range, severity, message)`.
    pub fn diagnostics(&mut self, relative: &str) -> Vec<(String, String, u64, String)> {
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

    pub fn open(&self, relative: &str) {
        let text = std::fs::read_to_string(self.path(relative)).expect("the file exists");
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": self.uri(relative), "languageId": "kientruc", "version": 1, "text": text } }),
        );
    }

    pub fn change(&self, relative: &str, version: i32, range: [u32; 4], text: &str) {
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

    pub fn position(&self, relative: &str, line: u32, character: u32) -> Value {
        json!({ "textDocument": { "uri": self.uri(relative) }, "position": { "line": line, "character": character } })
    }

    /// Asks the server to shut down and exit, and waits for it to stop.
    pub fn shutdown(mut self) {
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
