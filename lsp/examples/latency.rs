//! Latency of the language server on a large workspace, measured as an editor sees it.
//!
//! ```sh
//! cargo run --release -p kientruc-lsp --example latency
//! cargo run --release -p kientruc-lsp --example latency -- --elements 10000 --edits 50 \
//!     --value-edits 20 --bursts 10 --requests 100 --debounce-ms 100
//! ```
//!
//! Generates a workspace of about 10,000 elements (`kientruc_checker::generate::generate`) in a
//! temporary folder, with the `vn-egov-3.0` pack copied beside it, and drives the server in this
//! process over `lsp_server::Connection::memory()`: opens one province file, then makes small
//! edits to it and waits for the `publishDiagnostics` of each version:
//! - isolated edits, each after a pause of the debounce period (an edit after a quiet period is
//!   analysed at once, so the time is that of the analysis of the whole workspace);
//! - bursts of three keystrokes 20 ms apart, timed from the last one (a burst is analysed once
//!   it pauses, so the time includes the debounce period);
//! - value edits (`--value-edits`), each after a pause of the debounce period: a system's
//!   `security_level` set to 4 and back to 3, so that findings change and the rules that read
//!   the property run again.
//!
//! Then it sends hover and completion requests on references in the file, and `kientruc/view`
//! for the built-in overview and integration views (the editor's preview). Prints p50, p95 and
//! max for each, then where the isolated edits' time went: the server's per-stage timings (its
//! `kientruc_lsp::timings` tracing events: discovery, read, parse, imports, resolve, rule pack,
//! graph, rules, waivers+sort, the rest of the analysis, diagnostics conversion, publishing).
//! A benchmark that prints figures, never a timed test: nothing here asserts a
//! duration.

#![allow(clippy::print_stdout)] // this program's output is its report

// The allocator of the `kientruc` binary, so that the figures are those of `kientruc lsp`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;

/// The server's stage timings (`kientruc_lsp::timings` events), in the order stages first came.
static STAGES: Mutex<Vec<(String, Vec<Duration>)>> = Mutex::new(Vec::new());

/// Collects the `stage` and `micros` fields of the server's timing events into [`STAGES`].
struct StageCollector;

#[derive(Default)]
struct StageFields {
    stage: Option<String>,
    micros: Option<u64>,
}

impl tracing::field::Visit for StageFields {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "stage" {
            self.stage = Some(value.to_owned());
        }
    }
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        if field.name() == "micros" {
            self.micros = Some(value);
        }
    }
    fn record_debug(&mut self, _field: &tracing::field::Field, _value: &dyn std::fmt::Debug) {}
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for StageCollector {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _context: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if event.metadata().target() != "kientruc_lsp::timings" {
            return;
        }
        let mut fields = StageFields::default();
        event.record(&mut fields);
        let (Some(stage), Some(micros)) = (fields.stage, fields.micros) else {
            return;
        };
        let mut stages = STAGES.lock().expect("the stage table");
        let duration = Duration::from_micros(micros);
        match stages.iter_mut().find(|(name, _)| *name == stage) {
            Some((_, samples)) => samples.push(duration),
            None => stages.push((stage, vec![duration])),
        }
    }
}

/// How long any single wait may take before the benchmark gives up.
const TIMEOUT: Duration = Duration::from_secs(300);

struct Settings {
    elements: usize,
    edits: usize,
    value_edits: usize,
    bursts: usize,
    requests: usize,
    debounce: Duration,
}

fn parse_arguments() -> Settings {
    let mut settings = Settings {
        elements: 10_000,
        edits: 50,
        value_edits: 20,
        bursts: 10,
        requests: 100,
        debounce: kientruc_lsp::ServerOptions::default().debounce,
    };
    let mut arguments = std::env::args().skip(1);
    while let Some(name) = arguments.next() {
        let value: u64 = arguments
            .next()
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("{name} takes a number"));
        match name.as_str() {
            "--elements" => settings.elements = value as usize,
            "--edits" => settings.edits = value as usize,
            "--value-edits" => settings.value_edits = value as usize,
            "--bursts" => settings.bursts = value as usize,
            "--requests" => settings.requests = value as usize,
            "--debounce-ms" => settings.debounce = Duration::from_millis(value),
            _ => panic!(
                "unknown argument {name} (--elements N, --edits N, --value-edits N, --bursts N, --requests N, --debounce-ms N)"
            ),
        }
    }
    settings
}

fn uri(path: &Path) -> String {
    kientruc_lsp::convert::path_to_uri(path)
        .expect("a file uri")
        .as_str()
        .to_owned()
}

/// Writes the generated workspace under `folder/ws` and the pack under `folder/frameworks`.
fn write_workspace(folder: &Path, elements: usize) -> (PathBuf, usize, usize, usize) {
    let generated = kientruc_checker::generate::generate(elements, 1);
    let root = folder.join("ws");
    std::fs::create_dir_all(&root).expect("workspace folder");
    for (name, text) in &generated.files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("model folder");
        std::fs::write(path, text).expect("model file");
    }
    let source =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../architecture/frameworks/vn-egov-3.0");
    let pack = folder.join("frameworks/vn-egov-3.0");
    std::fs::create_dir_all(pack.join("rules")).expect("pack folder");
    // Every file of the pack's folder (framework.toml names the others: metamodel, documents,
    // national model, ...), and its rules.
    for entry in std::fs::read_dir(&source).expect("the pack") {
        let path = entry.expect("a pack entry").path();
        if path.is_file() {
            std::fs::copy(&path, pack.join(path.file_name().expect("a name"))).expect("pack file");
        }
    }
    for entry in std::fs::read_dir(source.join("rules")).expect("the pack's rules") {
        let path = entry.expect("a rules entry").path();
        if path.is_file() {
            std::fs::copy(
                &path,
                pack.join("rules").join(path.file_name().expect("a name")),
            )
            .expect("rules file");
        }
    }
    (
        root,
        generated.elements,
        generated.relations,
        generated.files.len(),
    )
}

struct Client {
    connection: Connection,
    next_id: i32,
}

impl Client {
    fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.to_owned(),
                params,
            )))
            .expect("the server is running");
    }

    fn receive(&self) -> Message {
        self.connection
            .receiver
            .recv_timeout(TIMEOUT)
            .expect("a message from the server in time")
    }

    /// Sends a request and waits for its answer (notifications in between are dropped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_owned(),
                params,
            )))
            .expect("the server is running");
        loop {
            if let Message::Response(response) = self.receive() {
                if response.id == id {
                    if let Some(error) = response.error {
                        panic!("{method} failed: {error:?}");
                    }
                    return response.result.unwrap_or(Value::Null);
                }
            }
        }
    }

    /// Waits for the diagnostics of `uri` at `version` (or any version when `None`).
    fn wait_for_diagnostics(&self, uri: &str, version: Option<i64>) -> Value {
        loop {
            if let Message::Notification(notification) = self.receive() {
                if notification.method == "textDocument/publishDiagnostics"
                    && notification.params["uri"] == uri
                    && version.is_none_or(|version| notification.params["version"] == version)
                {
                    return notification.params;
                }
            }
        }
    }
}

/// (line, UTF-16 column) of every reference value in `text`: the identifier after a property
/// name on an indented line, when it names a generated element (`t0000_…`).
fn reference_positions(text: &str) -> Vec<(usize, usize)> {
    let mut positions = Vec::new();
    for (line, content) in text.lines().enumerate() {
        let trimmed = content.trim_start();
        if trimmed.len() == content.len() {
            continue;
        }
        let mut words = trimmed.split_whitespace();
        let (Some(_property), Some(value)) = (words.next(), words.next()) else {
            continue;
        };
        let looks_generated = value.len() > 6
            && value.starts_with('t')
            && value[1..5].bytes().all(|byte| byte.is_ascii_digit())
            && value.as_bytes()[5] == b'_';
        if looks_generated {
            let byte = content.find(value).expect("the value on its line");
            positions.push((line, content[..byte].encode_utf16().count()));
        }
    }
    positions
}

struct Figures {
    name: String,
    samples: Vec<Duration>,
}

impl Figures {
    fn print(&mut self) {
        if self.samples.is_empty() {
            // Nothing measured (`--requests 0`, `--bursts 0`): no row.
            return;
        }
        self.samples.sort();
        let count = self.samples.len();
        // The nearest-rank sample at `percent` (integer arithmetic: no float casts).
        let at = |percent: usize| self.samples[((count - 1) * percent + 50) / 100];
        let milliseconds = |duration: Duration| duration.as_secs_f64() * 1000.0;
        println!(
            "{:<28} {:>5} {:>10.1} {:>10.1} {:>10.1}",
            self.name,
            count,
            milliseconds(at(50)),
            milliseconds(at(95)),
            milliseconds(self.samples[count - 1]),
        );
    }
}

fn main() {
    let settings = parse_arguments();
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry()
            .with(StageCollector.with_filter(tracing_subscriber::filter::LevelFilter::DEBUG)),
    )
    .expect("the only subscriber");
    let folder = tempfile::tempdir().expect("a temporary folder");
    let (root, elements, relations, files) = write_workspace(folder.path(), settings.elements);
    // The first province file of the generator (`tinh/t0000.ea`).
    let opened_path = root.join("tinh/t0000.ea");
    let opened_text = std::fs::read_to_string(&opened_path).expect("the opened file");
    let opened_uri = uri(&opened_path);
    println!(
        "workspace: {elements} elements, {relations} relations, {files} files; opened {} ({} KiB); debounce {:?}",
        opened_path.file_name().expect("a name").to_string_lossy(),
        opened_text.len() / 1024,
        settings.debounce
    );

    let (server_connection, connection) = Connection::memory();
    let options = kientruc_lsp::ServerOptions {
        debounce: settings.debounce,
        cache_directory: folder.path().join("cache"),
        ..kientruc_lsp::ServerOptions::default()
    };
    let server = std::thread::spawn(move || {
        kientruc_lsp::run(&server_connection, options).expect("the server runs");
    });
    let mut client = Client {
        connection,
        next_id: 0,
    };
    client.request(
        "initialize",
        json!({ "capabilities": {}, "rootUri": uri(&root) }),
    );
    client.notify("initialized", json!({}));

    // Open: the first analysis of the whole workspace.
    let started = Instant::now();
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": opened_uri, "languageId": "kientruc", "version": 1, "text": opened_text } }),
    );
    let first = client.wait_for_diagnostics(&opened_uri, Some(1));
    println!(
        "open → first diagnostics: {:.1} ms ({} diagnostics in the opened file)",
        started.elapsed().as_secs_f64() * 1000.0,
        first["diagnostics"].as_array().map_or(0, Vec::len)
    );

    // Edits: the first inserts `parent missing_1` into the first element's body (line 3, after
    // the comment, blank line and `agency … {`); each next one renames the missing element, so
    // every version has a different unresolved reference and new diagnostics to publish.
    let mut edits = Figures {
        name: "diagnostics after edit".to_owned(),
        samples: Vec::new(),
    };
    let mut bursts = Figures {
        name: "diagnostics after a burst".to_owned(),
        samples: Vec::new(),
    };
    let property_line = 3;
    let value_column = "  parent ".len();
    // The plan: isolated edits, with a burst of three keystrokes after every `edits / bursts` of
    // them. Each step: the pause before it, and which figure it adds to once its version's
    // diagnostics arrive (`Some(true)`: the bursts'; `None`: a keystroke in the middle of a
    // burst, waited for by nothing).
    let mut plan: Vec<(Duration, Option<bool>)> = Vec::new();
    let burst_every = settings.edits / settings.bursts.max(1);
    let mut bursts_left = settings.bursts;
    for edit in 1..=settings.edits {
        plan.push((settings.debounce, Some(false)));
        if bursts_left > 0 && edit % burst_every.max(1) == 0 {
            bursts_left -= 1;
            plan.push((settings.debounce, None));
            plan.push((Duration::from_millis(20), None));
            plan.push((Duration::from_millis(20), Some(true)));
        }
    }
    let mut version = plan.len() as i64 + 1;
    let mut previous_value = String::new();
    // From here on, the stage table holds the analyses of edits (isolated and bursts).
    STAGES.lock().expect("the stage table").clear();
    for (step, (pause, ends_burst)) in plan.into_iter().enumerate() {
        let version = step as i64 + 2;
        let value = format!("missing_{}", step + 1);
        let change = if step == 0 {
            json!({ "range": { "start": { "line": property_line, "character": 0 }, "end": { "line": property_line, "character": 0 } }, "text": format!("  parent {value}\n") })
        } else {
            json!({ "range": { "start": { "line": property_line, "character": value_column }, "end": { "line": property_line, "character": value_column + previous_value.len() } }, "text": value })
        };
        std::thread::sleep(pause);
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": opened_uri, "version": version }, "contentChanges": [change] }),
        );
        let Some(ends_burst) = ends_burst else {
            previous_value = value;
            continue;
        };
        let published = client.wait_for_diagnostics(&opened_uri, Some(version));
        let figure = if ends_burst { &mut bursts } else { &mut edits };
        figure.samples.push(started.elapsed());
        let mentions_value = published["diagnostics"].as_array().is_some_and(|all| {
            all.iter()
                .any(|d| d["message"].as_str().is_some_and(|m| m.contains(&value)))
        });
        assert!(
            mentions_value,
            "version {version}: a diagnostic about `{value}`"
        );
        previous_value = value;
    }

    let stages = std::mem::take(&mut *STAGES.lock().expect("the stage table"));

    // Hover and completion on references of the (edited) file; the edit added one line above.
    let positions: Vec<(usize, usize)> = reference_positions(&opened_text)
        .into_iter()
        .map(|(line, column)| {
            (
                if line >= property_line {
                    line + 1
                } else {
                    line
                },
                column,
            )
        })
        .collect();
    assert!(!positions.is_empty(), "references in the opened file");
    let stride = (positions.len() / settings.requests.max(1)).max(1);
    let mut hovers = Figures {
        name: "hover".to_owned(),
        samples: Vec::new(),
    };
    let mut completions = Figures {
        name: "completion".to_owned(),
        samples: Vec::new(),
    };
    let mut completion_items = 0;
    for index in 0..settings.requests {
        let (line, column) = positions[(index * stride) % positions.len()];
        let params = json!({ "textDocument": { "uri": opened_uri }, "position": { "line": line, "character": column + 3 } });
        let started = Instant::now();
        let hover = client.request("textDocument/hover", params.clone());
        hovers.samples.push(started.elapsed());
        assert!(!hover.is_null(), "a hover at {line}:{column}");
        let started = Instant::now();
        let completion = client.request("textDocument/completion", params);
        completions.samples.push(started.elapsed());
        completion_items += completion
            .as_array()
            .or_else(|| completion["items"].as_array())
            .map_or(0, Vec::len);
    }

    // Value edits, each after a pause of the debounce period: the opened file's first
    // `security_level` (the LGSP's) set to 4 and back to 3, so that SEC-005 (a system at level 4
    // or above has high availability) reports it and then does not. A property some rules read:
    // those run again, the others keep their findings. The value keeps its length: no position
    // moves.
    let mut value_edits = Figures {
        name: "diagnostics after a value edit".to_owned(),
        samples: Vec::new(),
    };
    let security_line = opened_text
        .lines()
        .position(|line| line.starts_with("  security_level "))
        .expect("the generated file gives a system its security level");
    // The first edit inserted a line above it.
    let security_line = security_line + usize::from(security_line >= property_line);
    let security_column = "  security_level ".len();
    // Hover and completion analysed nothing: the stage table holds the value edits only.
    STAGES.lock().expect("the stage table").clear();
    for step in 0..settings.value_edits {
        let level_four = step % 2 == 0;
        let value = if level_four { "4" } else { "3" };
        version += 1;
        std::thread::sleep(settings.debounce);
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": opened_uri, "version": version }, "contentChanges": [{ "range": { "start": { "line": security_line, "character": security_column }, "end": { "line": security_line, "character": security_column + 1 } }, "text": value }] }),
        );
        let published = client.wait_for_diagnostics(&opened_uri, Some(version));
        value_edits.samples.push(started.elapsed());
        let reported = published["diagnostics"].as_array().is_some_and(|all| {
            all.iter().any(|d| {
                d["code"] == "SEC-005"
                    && d["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("t0000_lgsp"))
            })
        });
        assert_eq!(
            reported, level_four,
            "version {version}: SEC-005 about the LGSP at `security_level {value}`"
        );
    }

    let value_stages = std::mem::take(&mut *STAGES.lock().expect("the stage table"));

    // The editor's preview: the built-in views of the whole workspace, laid out and drawn.
    let mut views = Vec::new();
    for view in ["overview", "integration"] {
        let mut figures = Figures {
            name: format!("kientruc/view {view}"),
            samples: Vec::new(),
        };
        let mut size = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let answer = client.request(
                "kientruc/view",
                json!({ "textDocument": { "uri": opened_uri }, "view": view }),
            );
            figures.samples.push(started.elapsed());
            size = answer["view"]["nodes"].as_array().map_or(0, Vec::len);
        }
        views.push((figures, size));
    }

    println!();
    println!(
        "{:<28} {:>5} {:>10} {:>10} {:>10}",
        "", "n", "p50 ms", "p95 ms", "max ms"
    );
    edits.print();
    if !value_edits.samples.is_empty() {
        value_edits.print();
    }
    if !bursts.samples.is_empty() {
        bursts.print();
    }
    hovers.print();
    completions.print();
    for (figures, _) in &mut views {
        figures.print();
    }
    for (figures, nodes) in &views {
        println!("({} drew {nodes} boxes)", figures.name);
    }
    println!();
    println!(
        "where an edit's analysis goes (every analysed edit, isolated or burst; server side):"
    );
    for (stage, samples) in stages {
        Figures {
            name: stage,
            samples,
        }
        .print();
    }
    if !value_stages.is_empty() {
        println!();
        println!("where a value edit's analysis goes (server side):");
        for (stage, samples) in value_stages {
            Figures {
                name: stage,
                samples,
            }
            .print();
        }
    }
    println!(
        "(completion answered {} items on average; isolated edits follow a pause of the {:?} debounce, which a burst's figure includes)",
        completion_items / settings.requests.max(1),
        settings.debounce
    );

    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    server.join().expect("the server thread");
}
