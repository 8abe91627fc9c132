//! LSP soak: `kientruc lsp` over stdio on a temporary copy of the Hanoi model, driven through
//! 10,000 random edits (deterministic): small typing edits, invalid text, pastes of ~200 KB,
//! whole-file deletes and restores, edits at positions past the end, rapid and out-of-order
//! versions, files closed, deleted from disk and recreated, interleaved with hover, completion,
//! definition, bad-parameter and unknown-method requests. Every request must be answered, the
//! server must still be running at the end and shut down cleanly, and its peak resident memory
//! (`VmHWM`) must stay bounded. Prints the figures (`cargo test --test cli lsp_soak:: -- --nocapture`).
#![cfg(target_os = "linux")]

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{frame, kientruc, read_messages};

const EDITS: usize = 10_000;
/// A request after this many edits (on average).
const EDITS_PER_REQUEST: u64 = 80;
const MEMORY_BOUND_KIB: u64 = 1024 * 1024;
const ANSWER_TIMEOUT: Duration = Duration::from_secs(120);

/// `SplitMix64`: deterministic edits.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The LSP position (line, UTF-16 column) of a byte offset.
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    json!({ "line": line, "character": character })
}

/// A random character boundary in `text`.
fn boundary(random: &mut Random, text: &str) -> usize {
    let mut offset = random.below(text.len() + 1);
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

const SNIPPETS: &[&str] = &[
    "a",
    "x",
    " ",
    "\n",
    "{",
    "}",
    "\"",
    "[",
    "]",
    ",",
    "->",
    " via ",
    "//",
    "/*",
    "\\",
    "ệ",
    "đ",
    "😀",
    "\t",
    "\r\n",
    "agency ",
    "system tmp \"Tạm\" {\n  owner ubnd\n}\n",
    "import \"",
    "national.",
    "status operational\n",
    "99999999999999999999999",
    "2024-13-45",
    "\u{0}",
    "architecture x \"y\" {}\n",
    "waive SEC-001 on ",
];

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    next_id: u64,
    answered: u64,
    errors: u64,
    longest_wait: Duration,
}

impl Server {
    fn send(&mut self, message: &Value) {
        self.stdin
            .write_all(&frame(message))
            .expect("the server reads its input");
    }

    #[allow(clippy::needless_pass_by_value)]
    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its answer (diagnostics and other notifications are
    /// drained meanwhile).
    #[allow(clippy::needless_pass_by_value)]
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let started = Instant::now();
        loop {
            let remaining = ANSWER_TIMEOUT
                .checked_sub(started.elapsed())
                .unwrap_or_else(|| panic!("no answer to request {id} ({method}) in time"));
            let message = self
                .messages
                .recv_timeout(remaining)
                .unwrap_or_else(|error| panic!("no answer to request {id} ({method}): {error}"));
            if message["id"] == id {
                self.answered += 1;
                if message.get("error").is_some() {
                    self.errors += 1;
                }
                self.longest_wait = self.longest_wait.max(started.elapsed());
                return message;
            }
        }
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_none()
    }

    fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/PID/status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM")
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn the_server_survives_ten_thousand_random_edits_with_bounded_memory() {
    let started = Instant::now();
    let hanoi = Path::new(env!("CARGO_MANIFEST_DIR")).join("architecture/hanoi");
    let folder = tempfile::tempdir().unwrap();
    let workspace = folder.path().join("hanoi");
    std::fs::create_dir_all(&workspace).unwrap();
    let mut originals: BTreeMap<PathBuf, String> = BTreeMap::new();
    for entry in std::fs::read_dir(&hanoi).unwrap().flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) == Some("ea") {
            let text = std::fs::read_to_string(&path).unwrap();
            let copy = workspace.join(entry.file_name());
            std::fs::write(&copy, &text).unwrap();
            originals.insert(copy, text);
        }
    }
    let paths: Vec<PathBuf> = originals.keys().cloned().collect();
    // A ~200 KB paste: the Hanoi model's text over and over (duplicate ids, broken joins).
    let all_text: String = originals.values().cloned().collect();
    let mut big_paste = String::new();
    while big_paste.len() < 200_000 {
        // Cut at a character boundary (the model's Vietnamese text has multi-byte characters).
        let mut end = all_text.len().min(200_000 - big_paste.len());
        while !all_text.is_char_boundary(end) {
            end -= 1;
        }
        big_paste.push_str(&all_text[..end]);
        if big_paste.len() > 190_000 {
            break;
        }
    }
    let garbage: String = {
        let mut random = Random(7);
        (0..200_000)
            .map(|_| {
                const ALPHABET: &[u8] = b" {}[]\"\\\n\tazAZ09,.=->/*";
                char::from(ALPHABET[random.below(ALPHABET.len())])
            })
            .collect()
    };

    let mut child = kientruc()
        .arg("lsp")
        .current_dir(folder.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let messages = read_messages(child.stdout.take().unwrap());
    let mut server = Server {
        child,
        stdin,
        messages,
        next_id: 0,
        answered: 0,
        errors: 0,
        longest_wait: Duration::ZERO,
    };
    let initialized = server.request(
        "initialize",
        json!({ "capabilities": {}, "rootUri": uri(folder.path()) }),
    );
    assert_eq!(initialized["result"]["serverInfo"]["name"], "kientruc");
    server.notify("initialized", json!({}));

    // The client's view of each open document.
    let mut open: BTreeMap<PathBuf, (String, i64)> = BTreeMap::new();
    for path in &paths {
        let text = originals[path].clone();
        server.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri(path), "languageId": "kientruc", "version": 1, "text": text } }),
        );
        open.insert(path.clone(), (text, 1));
    }

    let mut random = Random(0x5eed_2026);
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut max_size = 0usize;
    for edit in 0..EDITS {
        // Sometimes a closed (and deleted) file comes back.
        let closed: Vec<PathBuf> = paths
            .iter()
            .filter(|p| !open.contains_key(*p))
            .cloned()
            .collect();
        if !closed.is_empty() && random.chance(30) {
            let path = closed[random.below(closed.len())].clone();
            std::fs::write(&path, &originals[&path]).unwrap();
            server.notify(
                "workspace/didChangeWatchedFiles",
                json!({ "changes": [ { "uri": uri(&path), "type": 1 } ] }),
            );
            server.notify(
                "textDocument/didOpen",
                json!({ "textDocument": { "uri": uri(&path), "languageId": "kientruc", "version": 1, "text": originals[&path] } }),
            );
            open.insert(path.clone(), (originals[&path].clone(), 1));
            *kinds.entry("reopen").or_default() += 1;
        }
        let keys: Vec<PathBuf> = open.keys().cloned().collect();
        let path = keys[random.below(keys.len())].clone();
        let (text, version) = open.get_mut(&path).unwrap();
        // Rapid versions: usually +1, sometimes a jump, sometimes backwards.
        *version += match random.below(20) {
            0 => 1000,
            1 => -3,
            _ => 1,
        };
        let roll = random.below(1000);
        let change = if roll < 4 {
            // A big paste at a random place.
            let at = boundary(&mut random, text);
            let paste = if random.chance(50) {
                &big_paste
            } else {
                &garbage
            };
            let change = json!({ "range": { "start": position(text, at), "end": position(text, at) }, "text": paste });
            text.insert_str(at, paste);
            *kinds.entry("paste 200 KB").or_default() += 1;
            change
        } else if roll < 14 {
            // The whole file deleted (full-text change).
            text.clear();
            *kinds.entry("delete whole file").or_default() += 1;
            json!({ "text": "" })
        } else if roll < 34 || (text.len() > 100_000 && random.chance(50)) {
            // Restored to the original (full-text change).
            *text = originals[&path].clone();
            *kinds.entry("restore").or_default() += 1;
            json!({ "text": text.clone() })
        } else if roll < 40 {
            // Positions past the end of the document; then resynchronise with a full text.
            let bogus = json!({ "range": { "start": { "line": 99_999, "character": 5 }, "end": { "line": 100_000, "character": 0 } }, "text": "x" });
            server.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri(&path), "version": *version }, "contentChanges": [bogus] }),
            );
            *version += 1;
            *kinds.entry("past the end").or_default() += 1;
            json!({ "text": text.clone() })
        } else if roll < 42 {
            // Close the file, delete it from disk and tell the server.
            server.notify(
                "textDocument/didClose",
                json!({ "textDocument": { "uri": uri(&path) } }),
            );
            std::fs::remove_file(&path).unwrap();
            server.notify(
                "workspace/didChangeWatchedFiles",
                json!({ "changes": [ { "uri": uri(&path), "type": 3 } ] }),
            );
            open.remove(&path);
            *kinds.entry("close and delete").or_default() += 1;
            continue;
        } else if roll < 300 {
            // Delete a range.
            let start = boundary(&mut random, text);
            let mut end = (start + random.below(200)).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let change = json!({ "range": { "start": position(text, start), "end": position(text, end) }, "text": "" });
            text.replace_range(start..end, "");
            *kinds.entry("delete range").or_default() += 1;
            change
        } else {
            // Type a snippet, or replace a range with one.
            let start = boundary(&mut random, text);
            let mut end = if random.chance(20) {
                (start + random.below(40)).min(text.len())
            } else {
                start
            };
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let snippet = SNIPPETS[random.below(SNIPPETS.len())];
            let change = json!({ "range": { "start": position(text, start), "end": position(text, end) }, "text": snippet });
            text.replace_range(start..end, snippet);
            *kinds.entry("type").or_default() += 1;
            change
        };
        max_size = max_size.max(text.len());
        let version = *version;
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri(&path), "version": version }, "contentChanges": [change] }),
        );
        if random.below(EDITS_PER_REQUEST as usize) == 0 || edit + 1 == EDITS {
            let keys: Vec<PathBuf> = open.keys().cloned().collect();
            let path = &keys[random.below(keys.len())];
            let text = &open[path].0;
            let at = boundary(&mut random, text);
            let mut place = position(text, at);
            if random.chance(5) {
                place = json!({ "line": 1_000_000, "character": 77 });
            }
            let document = json!({ "textDocument": { "uri": uri(path) }, "position": place });
            let (method, params) = match random.below(12) {
                0..=3 => ("textDocument/hover", document),
                4..=7 => ("textDocument/completion", document),
                8..=9 => ("textDocument/definition", document),
                10 => ("textDocument/hover", json!({ "nonsense": true })),
                _ => ("kientruc/noSuchMethod", json!({})),
            };
            let answer = server.request(method, params);
            assert!(
                answer.get("result").is_some() || answer.get("error").is_some(),
                "{answer}"
            );
            *kinds.entry(method).or_default() += 1;
            if std::env::var_os("KIENTRUC_SOAK_PROGRESS").is_some() {
                eprintln!("edit {edit}: {method} answered, {:.1?}", started.elapsed());
            }
            assert!(server.alive(), "the server exited after edit {edit}");
        }
    }
    // A last request after everything settled, then the figures.
    let last_path = open.keys().next().unwrap().clone();
    server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri(&last_path) }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(server.alive(), "the server is still running");
    let peak = server.peak_kib();
    let elapsed = started.elapsed();
    eprintln!(
        "lsp soak: {EDITS} edits, {} requests answered ({} with an error answer), longest wait {:.2?}, largest document {} KB, peak RSS (VmHWM) {} MiB, {:.1?} in all",
        server.answered,
        server.errors,
        server.longest_wait,
        max_size / 1024,
        peak / 1024,
        elapsed
    );
    eprintln!("lsp soak: operations {kinds:?}");
    assert!(
        peak < MEMORY_BOUND_KIB,
        "peak RSS {peak} KiB is over the bound {MEMORY_BOUND_KIB} KiB"
    );

    let shut_down = server.request("shutdown", Value::Null);
    assert_eq!(shut_down["result"], Value::Null);
    server.notify("exit", Value::Null);
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
