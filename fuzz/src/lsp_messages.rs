//! The language server's message-handling fuzz target, shared by the libFuzzer binary
//! `fuzz_targets/lsp_messages.rs` and the stable replay in `lsp/tests/fuzz_messages.rs` (which
//! includes this file with `#[path]`).
//!
//! The input is read as a sequence of LSP frames (`Content-Length: N\r\n\r\n{json}`); frames that
//! do not decode are skipped, and each line of input that is a JSON object with a `method` also
//! becomes a message, so arbitrary methods, parameters, ids and edit sequences reach the server.
//! The server runs in-process over `Connection::memory()` after a valid `initialize`; it must
//! answer the final `shutdown`, exit on `exit`, and never panic or hang.

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use std::time::{Duration, Instant};

/// Messages decoded from the fuzz input.
pub fn messages_from(data: &[u8]) -> Vec<Message> {
    let mut messages = Vec::new();
    let mut reader = std::io::BufReader::new(data);
    while let Ok(Some(message)) = Message::read(&mut reader) {
        messages.push(message);
        if messages.len() >= 200 {
            return messages;
        }
    }
    for line in data.split(|byte| *byte == b'\n') {
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(line) else {
            continue;
        };
        let Some(method) = value.get("method").and_then(serde_json::Value::as_str) else {
            continue;
        };
        let params = value
            .get("params")
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        let message = match value.get("id").and_then(serde_json::Value::as_i64) {
            Some(id) => Message::Request(Request {
                id: RequestId::from(id as i32),
                method: method.to_owned(),
                params,
            }),
            None => Message::Notification(Notification {
                method: method.to_owned(),
                params,
            }),
        };
        messages.push(message);
        if messages.len() >= 200 {
            break;
        }
    }
    messages
}

/// Runs the server on the messages of `data`; panics if the server panics, hangs or does not
/// answer the shutdown request.
pub fn fuzz_lsp_messages(data: &[u8]) {
    let messages = messages_from(data);
    let (server, client) = Connection::memory();
    let cache = std::env::temp_dir().join("kientruc-fuzz-lsp-cache");
    let options = kientruc_lsp::ServerOptions {
        cache_directory: cache,
        debounce: Duration::from_millis(1),
        ..kientruc_lsp::ServerOptions::default()
    };
    let thread = std::thread::spawn(move || kientruc_lsp::run(&server, options));
    // The session's workspace: an empty folder that the corpus URIs (`file:///tmp/kientruc-fuzz/…`)
    // live in, as an editor would give (without a root the server searches upward from each file).
    let root = std::env::temp_dir().join("kientruc-fuzz");
    let _ = std::fs::create_dir_all(&root);
    let initialize = serde_json::json!({ "processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {} });
    client
        .sender
        .send(Message::Request(Request {
            id: RequestId::from(-1),
            method: "initialize".to_owned(),
            params: initialize,
        }))
        .expect("server alive");
    client
        .sender
        .send(Message::Notification(Notification {
            method: "initialized".to_owned(),
            params: serde_json::json!({}),
        }))
        .expect("server alive");
    for message in messages {
        // The fuzzer may not end the session itself: the harness does that below.
        if let Message::Notification(notification) = &message
            && notification.method == "exit"
        {
            continue;
        }
        if client.sender.send(message).is_err() {
            break;
        }
    }
    let shutdown = RequestId::from(i32::MAX);
    let _ = client.sender.send(Message::Request(Request {
        id: shutdown.clone(),
        method: "shutdown".to_owned(),
        params: serde_json::Value::Null,
    }));
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut answered = false;
    while Instant::now() < deadline {
        match client.receiver.recv_timeout(Duration::from_millis(100)) {
            Ok(Message::Response(response)) if response.id == shutdown => {
                answered = true;
                break;
            }
            Ok(_) | Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
        }
    }
    let _ = client.sender.send(Message::Notification(Notification {
        method: "exit".to_owned(),
        params: serde_json::Value::Null,
    }));
    drop(client);
    let outcome = thread.join();
    assert!(outcome.is_ok(), "the server thread panicked");
    // A `shutdown` sent by the input itself may already have ended the session; otherwise ours
    // must be answered.
    assert!(
        answered || outcome.is_ok_and(|result| result.is_ok()),
        "the server did not answer shutdown"
    );
}
