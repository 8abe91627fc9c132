//! The real `kientruc lsp` over stdio: initialize, open a file of a temporary workspace (checked
//! against the framework pack embedded in the binary) that has an unresolved reference into the
//! national model, receive its diagnostics with the expected code and range, shut down and exit.

use serde_json::{Value, json};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const MODEL: &str = "architecture tinh \"Tỉnh thử nghiệm\" {\n  framework \"vn-egov-3.0\"\n  version \"1.0\"\n}\n\nimport \"framework:national.ea\" as national\n\n/// Ủy ban nhân dân tỉnh.\nagency ubnd \"Ủy ban nhân dân tỉnh\" {\n  level province\n  parent national.bo_khcnn\n}\n";

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Reads framed messages from the server's stdout into a channel.
fn read_messages(stdout: std::process::ChildStdout) -> mpsc::Receiver<Value> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = value.parse().expect("a length");
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("a body");
            let message: Value = serde_json::from_slice(&body).expect("JSON");
            if sender.send(message).is_err() {
                return;
            }
        }
    });
    receiver
}

#[test]
fn kientruc_lsp_publishes_diagnostics_over_stdio_and_exits_cleanly() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("tinh.ea");
    std::fs::write(&file, MODEL).unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_kientruc"))
        .arg("lsp")
        .current_dir(folder.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdin = server.stdin.take().unwrap();
    let messages = read_messages(server.stdout.take().unwrap());
    let root_uri = format!("file://{}", folder.path().display());
    let file_uri = format!("file://{}", file.display());
    let receive = |wanted: &dyn Fn(&Value) -> bool| loop {
        let message = messages
            .recv_timeout(Duration::from_secs(30))
            .expect("a message in time");
        if wanted(&message) {
            return message;
        }
    };

    stdin
        .write_all(&frame(&json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {}, "rootUri": root_uri } })))
        .unwrap();
    let initialized = receive(&|message| message["id"] == 1);
    assert_eq!(initialized["result"]["serverInfo"]["name"], "kientruc");
    stdin
        .write_all(&frame(
            &json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
        ))
        .unwrap();
    stdin
        .write_all(&frame(&json!({
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": { "textDocument": { "uri": file_uri, "languageId": "kientruc", "version": 1, "text": MODEL } }
        })))
        .unwrap();
    let published = receive(&|message| {
        message["method"] == "textDocument/publishDiagnostics"
            && message["params"]["uri"] == file_uri.as_str()
    });
    let unresolved: Vec<&Value> = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|diagnostic| diagnostic["code"] == "KT0206")
        .collect();
    assert_eq!(unresolved.len(), 1, "{published:#}");
    assert_eq!(
        unresolved[0]["range"],
        json!({ "start": { "line": 10, "character": 9 }, "end": { "line": 10, "character": 26 } })
    );
    assert_eq!(unresolved[0]["source"], "kientruc");
    assert_eq!(unresolved[0]["severity"], 1);
    let message = unresolved[0]["message"].as_str().unwrap();
    assert!(
        message.contains("did you mean `national.bo_khcn`?"),
        "{message}"
    );

    stdin
        .write_all(&frame(
            &json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }),
        ))
        .unwrap();
    let shut_down = receive(&|message| message["id"] == 2);
    assert_eq!(shut_down["result"], Value::Null);
    stdin
        .write_all(&frame(&json!({ "jsonrpc": "2.0", "method": "exit" })))
        .unwrap();
    drop(stdin);
    let status = server.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
