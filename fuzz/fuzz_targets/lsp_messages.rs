#![no_main]
//! Fuzz target: arbitrary LSP frames and JSON-RPC messages into the language server.

#[path = "../src/lsp_messages.rs"]
mod lsp_messages;

libfuzzer_sys::fuzz_target!(|data: &[u8]| lsp_messages::fuzz_lsp_messages(data));
