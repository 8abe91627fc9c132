//! Stable replay of the `lsp_messages` fuzz target (`fuzz/src/lsp_messages.rs`): the seed corpus
//! and random message sequences must never make the server panic, hang, or fail to shut down.

#[path = "../../fuzz/src/lsp_messages.rs"]
mod lsp_messages;

use proptest::prelude::*;
use std::path::Path;

#[test]
fn the_seed_corpus_replays_without_a_crash() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/lsp_messages");
    let mut count = 0;
    for entry in std::fs::read_dir(corpus)
        .expect("the corpus folder")
        .flatten()
    {
        lsp_messages::fuzz_lsp_messages(&std::fs::read(entry.path()).expect("a corpus file"));
        count += 1;
    }
    assert!(count >= 4, "{count} corpus files");
}

fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("textDocument/didOpen".to_owned()),
        Just("textDocument/didChange".to_owned()),
        Just("textDocument/hover".to_owned()),
        Just("textDocument/completion".to_owned()),
        Just("textDocument/definition".to_owned()),
        Just("textDocument/references".to_owned()),
        Just("textDocument/rename".to_owned()),
        Just("textDocument/codeAction".to_owned()),
        Just("textDocument/formatting".to_owned()),
        Just("shutdown".to_owned()),
        "[a-z/]{0,20}",
    ]
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[a-zà-ỹ\"{}\\[\\] \\n]{0,20}".prop_map(serde_json::Value::from),
        Just(
            serde_json::json!({"textDocument": {"uri": "file:///tmp/kientruc-fuzz/a.ea", "text": "system a \"A\" {", "version": 3}, "position": {"line": 0, "character": 9}})
        ),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..4)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_message_sequences_never_crash_the_server(
        messages in prop::collection::vec((method(), json_value(), prop::option::of(0i64..1000)), 0..12),
    ) {
        let mut input = Vec::new();
        for (method, params, id) in messages {
            let mut object = serde_json::json!({ "method": method, "params": params });
            if let Some(id) = id {
                object["id"] = serde_json::Value::from(id);
            }
            input.extend_from_slice(object.to_string().as_bytes());
            input.push(b'\n');
        }
        lsp_messages::fuzz_lsp_messages(&input);
    }
}
