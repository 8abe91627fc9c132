//! kientruc's own protocol extensions (rust-analyzer's `lsp_ext.rs`): requests no LSP client
//! knows unless it is kientruc's. The server announces them in its capabilities' `experimental`
//! object ([`experimental_capabilities`]).

use kientruc_dsl::metamodel::Language;
use lsp_types::{Position, Range, TextDocumentIdentifier};
use serde::{Deserialize, Serialize};

/// `kientruc/view`: a view of the document's workspace laid out and drawn, for the editor's
/// preview, and the list of the workspace's views to pick from.
#[derive(Debug)]
pub enum ViewRequest {}

impl lsp_types::request::Request for ViewRequest {
    type Params = ViewParams;
    type Result = ViewResult;
    const METHOD: &'static str = "kientruc/view";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewParams {
    pub text_document: TextDocumentIdentifier,
    /// The cursor: the view declared there is shown when `view` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// The id of the view to show (`overview`, a declared view, `neighbourhood:ID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// The language of titles and legends; the project's language when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewResult {
    /// Every view of the workspace (`kientruc_reports::views::catalogue`).
    pub views: Vec<ViewListEntry>,
    /// The chosen view as `kientruc_reports::views::payload` writes it; `null` when the
    /// workspace has no view of that id.
    pub view: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewListEntry {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub builtin: bool,
    /// Where the view is declared, when the requested document declares it: the client knows
    /// from it when the cursor enters another view's declaration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
}

/// The `experimental` capabilities: which of kientruc's own requests the server answers.
pub fn experimental_capabilities() -> serde_json::Value {
    serde_json::json!({ "kientrucView": true })
}
