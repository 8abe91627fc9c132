//! The real `kientruc lsp` over stdio: initialize, open a file of a temporary workspace (checked
//! against the framework pack embedded in the binary) that has an unresolved reference into the
//! national model, receive its diagnostics with the expected code and range, shut down and exit.

use serde_json::{Value, json};
use std::io::Write as _;
use std::process::Stdio;
use std::time::Duration;

use crate::support::{frame, kientruc, read_messages};

const MODEL: &str = "architecture tinh \"Tỉnh thử nghiệm\" {\n  framework \"vn-egov-3.0\"\n  version \"1.0\" scope province\n}\n\nimport \"framework:national.ea\" as national\n\n/// Ủy ban nhân dân tỉnh.\nagency ubnd \"Ủy ban nhân dân tỉnh\" {\n  level province\n  parent national.bo_khcnn\n}\n";

#[test]
fn kientruc_lsp_publishes_diagnostics_over_stdio_and_exits_cleanly() {
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("tinh.ea");
    std::fs::write(&file, MODEL).unwrap();
    let mut server = kientruc()
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
