//! Routes each request to its handler on a worker thread (with a snapshot, wrapped so that a
//! panicking handler answers an internal error instead of killing the server), and each
//! notification to its handler on the main loop. Malformed parameters answer `InvalidParams`,
//! unknown requests `MethodNotFound`; unknown notifications are ignored.

use crate::handlers::{self, RequestFailed};
use crate::state::{GlobalState, Snapshot};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// The text of a panic's payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// Runs a handler, turning its error or panic into an error response.
pub fn respond<T: Serialize>(
    id: RequestId,
    method: &str,
    handler: impl FnOnce() -> anyhow::Result<T>,
) -> Response {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(handler)) {
        Ok(Ok(result)) => match serde_json::to_value(result) {
            Ok(value) => Response {
                id,
                result: Some(value),
                error: None,
            },
            Err(error) => Response::new_err(id, ErrorCode::InternalError as i32, error.to_string()),
        },
        Ok(Err(error)) => {
            if let Some(failed) = error.downcast_ref::<RequestFailed>() {
                return Response::new_err(id, ErrorCode::RequestFailed as i32, failed.0.clone());
            }
            tracing::error!("{method} failed: {error:#}");
            Response::new_err(id, ErrorCode::InternalError as i32, format!("{error:#}"))
        }
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            tracing::error!("{method} panicked: {message}");
            Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("internal error in {method}: {message}"),
            )
        }
    }
}

/// Hands one request to the handler registered for its method.
pub struct RequestDispatcher {
    request: Option<Request>,
    snapshot: Arc<Snapshot>,
    sender: crossbeam_channel::Sender<Message>,
}

impl RequestDispatcher {
    pub fn new(
        request: Request,
        snapshot: Snapshot,
        sender: crossbeam_channel::Sender<Message>,
    ) -> Self {
        Self {
            request: Some(request),
            snapshot: Arc::new(snapshot),
            sender,
        }
    }

    /// Runs `handler` on a worker thread when the request is an `R`.
    pub fn on<R>(
        &mut self,
        handler: fn(&Snapshot, &R::Params) -> anyhow::Result<R::Result>,
    ) -> &mut Self
    where
        R: lsp_types::request::Request,
        R::Params: DeserializeOwned + Send + 'static,
        R::Result: Serialize,
    {
        let Some(request) = self.request.take_if(|request| request.method == R::METHOD) else {
            return self;
        };
        let params = match serde_json::from_value::<R::Params>(request.params) {
            Ok(params) => params,
            Err(error) => {
                let response = Response::new_err(
                    request.id,
                    ErrorCode::InvalidParams as i32,
                    format!("invalid parameters for {}: {error}", R::METHOD),
                );
                let _ = self.sender.send(response.into());
                return self;
            }
        };
        let snapshot = self.snapshot.clone();
        let sender = self.sender.clone();
        let id = request.id;
        let spawned = std::thread::Builder::new()
            .name(format!("kientruc-lsp {}", R::METHOD))
            .spawn(move || {
                let response = respond(id, R::METHOD, || handler(&snapshot, &params));
                let _ = sender.send(response.into());
            });
        if let Err(error) = spawned {
            tracing::error!("cannot start a worker thread: {error}");
        }
        self
    }

    /// Answers `MethodNotFound` when no handler took the request.
    pub fn finish(&mut self) {
        if let Some(request) = self.request.take() {
            let response = Response::new_err(
                request.id,
                ErrorCode::MethodNotFound as i32,
                format!("unknown request {}", request.method),
            );
            let _ = self.sender.send(response.into());
        }
    }
}

/// Routes a request to its handler.
pub fn handle_request(global_state: &GlobalState, request: Request) {
    use lsp_types::request as requests;
    RequestDispatcher::new(request, global_state.snapshot(), global_state.sender())
        .on::<requests::HoverRequest>(handlers::handle_hover)
        .on::<requests::GotoDefinition>(handlers::handle_goto_definition)
        .on::<requests::References>(handlers::handle_references)
        .on::<requests::DocumentHighlightRequest>(handlers::handle_document_highlight)
        .on::<requests::DocumentSymbolRequest>(handlers::handle_document_symbol)
        .on::<requests::WorkspaceSymbolRequest>(handlers::handle_workspace_symbol)
        .on::<requests::Completion>(handlers::handle_completion)
        .on::<requests::PrepareRenameRequest>(handlers::handle_prepare_rename)
        .on::<requests::Rename>(handlers::handle_rename)
        .on::<requests::Formatting>(handlers::handle_formatting)
        .on::<requests::CodeActionRequest>(handlers::handle_code_action)
        .on::<requests::SemanticTokensFullRequest>(handlers::handle_semantic_tokens_full)
        .on::<requests::FoldingRangeRequest>(handlers::handle_folding_range)
        .on::<crate::ext::ViewRequest>(handlers::handle_view)
        .finish();
}

/// Hands one notification to the handler registered for its method, on the main loop.
pub struct NotificationDispatcher<'a> {
    notification: Option<Notification>,
    global_state: &'a mut GlobalState,
}

impl NotificationDispatcher<'_> {
    pub fn on<N>(
        &mut self,
        handler: fn(&mut GlobalState, &N::Params) -> anyhow::Result<()>,
    ) -> &mut Self
    where
        N: lsp_types::notification::Notification,
        N::Params: DeserializeOwned,
    {
        let Some(notification) = self
            .notification
            .take_if(|notification| notification.method == N::METHOD)
        else {
            return self;
        };
        match serde_json::from_value::<N::Params>(notification.params) {
            Ok(params) => {
                let global_state = &mut *self.global_state;
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    handler(global_state, &params)
                }));
                match outcome {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => tracing::error!("{} failed: {error:#}", N::METHOD),
                    Err(payload) => tracing::error!(
                        "{} panicked: {}",
                        N::METHOD,
                        panic_message(payload.as_ref())
                    ),
                }
            }
            Err(error) => tracing::warn!("invalid parameters for {}: {error}", N::METHOD),
        }
        self
    }

    pub fn finish(&mut self) {
        if let Some(notification) = self.notification.take() {
            tracing::debug!("ignored notification {}", notification.method);
        }
    }
}

/// Routes a notification to its handler.
pub fn handle_notification(global_state: &mut GlobalState, notification: Notification) {
    use lsp_types::notification as notifications;
    NotificationDispatcher {
        notification: Some(notification),
        global_state,
    }
    .on::<notifications::DidOpenTextDocument>(handlers::handle_did_open)
    .on::<notifications::DidChangeTextDocument>(handlers::handle_did_change)
    .on::<notifications::DidSaveTextDocument>(handlers::handle_did_save)
    .on::<notifications::DidCloseTextDocument>(handlers::handle_did_close)
    .on::<notifications::DidChangeWatchedFiles>(handlers::handle_did_change_watched_files)
    .on::<notifications::DidChangeWorkspaceFolders>(handlers::handle_did_change_workspace_folders)
    .on::<notifications::Cancel>(handlers::handle_cancel)
    .on::<notifications::SetTrace>(|_, _| Ok(()))
    .finish();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_handler_answers_an_internal_error() {
        let response = respond::<()>(RequestId::from(7), "textDocument/hover", || {
            panic!("index out of bounds")
        });
        let error = response.error.expect("an error response");
        assert_eq!(error.code, ErrorCode::InternalError as i32);
        assert_eq!(
            error.message,
            "internal error in textDocument/hover: index out of bounds"
        );
        assert_eq!(response.id, RequestId::from(7));
    }

    #[test]
    fn a_refused_request_answers_request_failed_with_the_reason() {
        let response = respond::<()>(RequestId::from(8), "textDocument/rename", || {
            Err(RequestFailed("`via` is a keyword of the language".to_owned()).into())
        });
        let error = response.error.expect("an error response");
        assert_eq!(error.code, ErrorCode::RequestFailed as i32);
        assert_eq!(error.message, "`via` is a keyword of the language");
    }
}
