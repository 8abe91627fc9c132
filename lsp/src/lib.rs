//! kientruc-lsp: the language server for `.ea` files. A main loop over a closed set of events
//! (a client message, the debounce deadline of a pending analysis, the client going away), a
//! dispatcher, and thin handlers over the shared analysis (`kientruc_checker::analyze_and_check`);
//! no analysis logic of its own. Logs go to stderr only: stdout carries the protocol.
//!
//! Modules: [`state`] (open buffers, projects, snapshots), [`dispatch`], [`handlers`],
//! [`convert`] (byte ranges ↔ UTF-16 positions, paths ↔ URIs), [`diagnostics`] (publishing),
//! [`ide`] (editor features as protocol-free queries), [`host`] (disk, project roots, packs),
//! [`ext`] (kientruc's own requests: `kientruc/view` for the editor's preview).

// `lsp_types::Uri` wraps fluent-uri, which clippy takes for a mutable key; its hash and order are
// those of its immutable string.
#![allow(clippy::mutable_key_type)]

pub mod convert;
pub mod diagnostics;
pub mod dispatch;
pub mod ext;
pub mod handlers;
pub mod host;
pub mod ide;
pub mod state;

pub use host::EmbeddedFrameworkFiles;
pub use state::ServerOptions;

use kientruc_dsl::metamodel::Language;
use lsp_server::{Connection, ErrorCode, Message, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    FoldingRangeProviderCapability, HoverProviderCapability, InitializeParams, InitializeResult,
    OneOf, PositionEncodingKind, RenameOptions, SemanticTokenModifier, SemanticTokenType,
    SemanticTokensFullOptions, SemanticTokensLegend, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use state::GlobalState;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The semantic token legend; the order matches [`ide::highlighting::HighlightKind`].
pub fn semantic_tokens_legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![
            SemanticTokenType::KEYWORD,
            SemanticTokenType::TYPE,
            SemanticTokenType::VARIABLE,
            SemanticTokenType::PROPERTY,
            SemanticTokenType::ENUM_MEMBER,
            SemanticTokenType::FUNCTION,
            SemanticTokenType::STRING,
            SemanticTokenType::NUMBER,
            SemanticTokenType::COMMENT,
            SemanticTokenType::NAMESPACE,
            SemanticTokenType::MACRO,
        ],
        token_modifiers: vec![
            SemanticTokenModifier::DECLARATION,
            SemanticTokenModifier::DOCUMENTATION,
            SemanticTokenModifier::DEFAULT_LIBRARY,
        ],
    }
}

/// What the server offers.
pub fn server_capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            // `.` after an import's alias; `(` and `"` in a view's selectors (`kind(`, `id("`).
            trigger_characters: Some(vec![".".to_owned(), "(".to_owned(), "\"".to_owned()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR_REWRITE,
            ]),
            ..CodeActionOptions::default()
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic_tokens_legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..SemanticTokensOptions::default()
            },
        )),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        experimental: Some(ext::experimental_capabilities()),
        ..ServerCapabilities::default()
    }
}

/// The client's workspace folders (or its root), as paths.
#[allow(deprecated)] // `root_uri` and `root_path` are what older clients send.
fn client_roots(params: &InitializeParams) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|folder| convert::uri_to_path(&folder.uri))
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    params
        .root_uri
        .as_ref()
        .and_then(convert::uri_to_path)
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
        .into_iter()
        .collect()
}

/// The language of messages the client's locale asks for (`en…` or `vi…`).
fn preferred_language(params: &InitializeParams) -> Option<Language> {
    let locale = params.locale.as_deref()?.to_ascii_lowercase();
    if locale.starts_with("en") {
        Some(Language::En)
    } else if locale.starts_with("vi") {
        Some(Language::Vi)
    } else {
        None
    }
}

/// Runs the server over `connection` until the client asks it to exit or goes away.
pub fn run(connection: &Connection, options: ServerOptions) -> anyhow::Result<()> {
    let (initialize_id, initialize_params) = connection.initialize_start()?;
    let params: InitializeParams =
        serde_json::from_value(initialize_params).unwrap_or_else(|error| {
            tracing::warn!("malformed initialize parameters ({error}); using defaults");
            InitializeParams::default()
        });
    let result = InitializeResult {
        capabilities: server_capabilities(),
        server_info: Some(ServerInfo {
            name: "kientruc".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
    };
    connection.initialize_finish(initialize_id, serde_json::to_value(result)?)?;
    let roots = client_roots(&params);
    tracing::info!("kientruc language server started; workspace folders: {roots:?}");
    let mut global_state = GlobalState::new(
        connection.sender.clone(),
        options,
        roots,
        preferred_language(&params),
    );
    if watches_files_dynamically(&params) {
        register_file_watchers(&global_state);
    }
    main_loop(connection, &mut global_state);
    Ok(())
}

/// True when the client can watch files for the server once asked (`client/registerCapability`).
fn watches_files_dynamically(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|workspace| workspace.did_change_watched_files.as_ref())
        .and_then(|watched| watched.dynamic_registration)
        .unwrap_or(false)
}

/// Asks the client to report changes on disk to models, configuration, baselines, ignore files
/// and local framework packs (`workspace/didChangeWatchedFiles`), so that files not open in the editor stay
/// fresh.
fn register_file_watchers(global_state: &GlobalState) {
    let watchers = [
        "**/*.ea",
        "**/kientruc.toml",
        "**/.gitignore",
        "**/frameworks/**",
        // Baselines (`baseline` in kientruc.toml) may have any name.
        "**/*.json",
    ]
    .into_iter()
    .map(|pattern| lsp_types::FileSystemWatcher {
        glob_pattern: lsp_types::GlobPattern::String(pattern.to_owned()),
        kind: None,
    })
    .collect();
    let options = lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers };
    let params = lsp_types::RegistrationParams {
        registrations: vec![lsp_types::Registration {
            id: "kientruc-watched-files".to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(options).ok(),
        }],
    };
    global_state.send(
        lsp_server::Request::new(
            lsp_server::RequestId::from("kientruc/register-watched-files".to_owned()),
            "client/registerCapability".to_owned(),
            params,
        )
        .into(),
    );
}

/// Runs the server over stdin and stdout (the `kientruc lsp` command).
pub fn run_stdio(options: ServerOptions) -> anyhow::Result<()> {
    let (connection, io_threads) = Connection::stdio();
    run(&connection, options)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// Everything the main loop reacts to.
#[derive(Debug)]
enum Event {
    Message(Message),
    /// The debounce period of a pending analysis is over.
    AnalysisDue,
    /// The analysis task finished a batch.
    AnalysisDone(state::AnalysisDone),
    ClientGone,
}

fn next_event(
    receiver: &crossbeam_channel::Receiver<Message>,
    analyses: &crossbeam_channel::Receiver<state::AnalysisDone>,
    deadline: Option<Instant>,
) -> Event {
    let timeout = deadline.map_or(Duration::MAX, |deadline| {
        deadline.saturating_duration_since(Instant::now())
    });
    // Biased: the client's messages (a cancellation, a newer edit) come before a finished analysis.
    crossbeam_channel::select_biased! {
        recv(receiver) -> message => message.map_or(Event::ClientGone, Event::Message),
        recv(analyses) -> done => done.map_or(Event::ClientGone, Event::AnalysisDone),
        default(timeout) => Event::AnalysisDue,
    }
}

fn main_loop(connection: &Connection, global_state: &mut GlobalState) {
    let analyses = global_state.analysis_receiver.clone();
    loop {
        match next_event(
            &connection.receiver,
            &analyses,
            global_state.analysis_deadline,
        ) {
            Event::ClientGone => return,
            Event::AnalysisDue => global_state.start_pending_analysis(),
            Event::AnalysisDone(done) => {
                for request in global_state.finish_analysis(done) {
                    dispatch::handle_request(global_state, request);
                }
            }
            Event::Message(Message::Request(request)) => {
                if global_state.shutdown_requested {
                    let message = "the server is shutting down".to_owned();
                    global_state.send(
                        Response::new_err(request.id, ErrorCode::InvalidRequest as i32, message)
                            .into(),
                    );
                } else if request.method == "shutdown" {
                    global_state.shutdown_requested = true;
                    global_state.send(Response::new_ok(request.id, ()).into());
                } else if let Some(request) = global_state.handle_request(request) {
                    dispatch::handle_request(global_state, request);
                }
            }
            Event::Message(Message::Notification(notification)) => {
                if notification.method == "exit" {
                    return;
                }
                dispatch::handle_notification(global_state, notification);
            }
            Event::Message(Message::Response(response)) => {
                tracing::debug!("ignored response {:?}", response.id);
            }
        }
    }
}
