//! One layout engine: the language server's `kientruc/view` (the editor's preview) and
//! `kientruc serve`'s `/api/view/ID` (the browser) give the same laid-out view of Hanoi, key for
//! key: the same boxes at the same coordinates, the same links, the same SVG.

use serde_json::{Value, json};
use std::io::Write as _;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::serve::Server;
use crate::support::{frame, kientruc, read_messages};

/// `kientruc/view` for `view` in `language`, asked about Hanoi's `views.ea`.
fn lsp_view(view: &str, language: &str) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("architecture/hanoi");
    let file = root.join("views.ea");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut server = kientruc()
        .arg("lsp")
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = server.stdin.take().unwrap();
    let messages = read_messages(server.stdout.take().unwrap());
    let receive = |wanted: &dyn Fn(&Value) -> bool| loop {
        let message = messages
            .recv_timeout(Duration::from_secs(60))
            .expect("a message in time");
        if wanted(&message) {
            return message;
        }
    };
    let root_uri = format!("file://{}", root.display());
    let file_uri = format!("file://{}", file.display());
    let mut send = |message: Value| stdin.write_all(&frame(&message)).unwrap();
    send(
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "capabilities": {}, "rootUri": root_uri } }),
    );
    let initialized = receive(&|message| message["id"] == 1);
    assert_eq!(
        initialized["result"]["capabilities"]["experimental"]["kientrucView"],
        true
    );
    send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    send(json!({
        "jsonrpc": "2.0",
        "method": "textDocument/didOpen",
        "params": { "textDocument": { "uri": file_uri, "languageId": "kientruc", "version": 1, "text": text } }
    }));
    send(json!({
        "jsonrpc": "2.0",
        "id": 2,
        "method": "kientruc/view",
        "params": { "textDocument": { "uri": file_uri }, "view": view, "language": language }
    }));
    let answer = receive(&|message| message["id"] == 2);
    send(json!({ "jsonrpc": "2.0", "id": 3, "method": "shutdown" }));
    receive(&|message| message["id"] == 3);
    send(json!({ "jsonrpc": "2.0", "method": "exit" }));
    drop(stdin);
    let _ = server.wait();
    answer["result"]["view"].clone()
}

#[test]
fn the_preview_and_the_server_draw_a_view_the_same_way() {
    let server = Server::start(&["architecture/hanoi"]);
    for (view, language) in [
        ("tich_hop_lgsp_ndxp", "vi"),
        ("ioc_nguon_du_lieu", "en"),
        ("overview", "vi"),
    ] {
        let from_lsp = lsp_view(view, language);
        let from_server = server.json(&format!("/api/view/{view}?lang={language}"));
        let keys = from_lsp
            .as_object()
            .unwrap_or_else(|| panic!("kientruc/view answered {from_lsp} for {view}"));
        for key in ["id", "title", "width", "height", "nodes", "links", "svg"] {
            assert!(keys.contains_key(key), "{view}: no {key} in {from_lsp}");
        }
        assert!(
            !keys["nodes"].as_array().unwrap().is_empty(),
            "{view} draws elements"
        );
        for (key, value) in keys {
            assert_eq!(
                &from_server[key], value,
                "{view} ({language}): `{key}` differs between kientruc/view and /api/view"
            );
        }
    }
}
