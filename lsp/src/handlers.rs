//! One thin handler per request and notification: convert the protocol's parameters in, call
//! the analysis (`ide`), convert the result out. A position outside any analysed file answers
//! an empty result, never an error.

use crate::convert;
use crate::convert::ProtocolPositions as _;
use crate::diagnostics;
use crate::ext::{ViewListEntry, ViewParams, ViewResult};
use crate::ide::ProjectAnalysis;
use crate::ide::{self, FilePosition};
use crate::state::{GlobalState, Snapshot};
use kientruc_dsl::text::{LineIndex, Span, TextRange};
use kientruc_reports::i18n::Texts;
use kientruc_reports::views;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CompletionItem,
    CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidChangeWorkspaceFoldersParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    DocumentFormattingParams, DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams,
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, Documentation, FoldingRange,
    FoldingRangeKind, FoldingRangeParams, GotoDefinitionParams, GotoDefinitionResponse, Hover,
    HoverContents, HoverParams, Location, MarkupContent, MarkupKind, OneOf, PrepareRenameResponse,
    ReferenceParams, RenameParams, SemanticTokens, SemanticTokensParams, SemanticTokensResult,
    SymbolKind, TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit, WorkspaceSymbolParams,
    WorkspaceSymbolResponse,
};
use std::collections::HashMap;
use std::time::Duration;

/// An error a handler reports to the client as `RequestFailed` (a refused rename, a file that
/// cannot be formatted), as opposed to an internal error.
#[derive(Debug)]
pub struct RequestFailed(pub String);

impl std::fmt::Display for RequestFailed {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl std::error::Error for RequestFailed {}

/// The project and cursor of a position parameter.
fn file_position<'a>(
    snapshot: &'a Snapshot,
    params: &TextDocumentPositionParams,
) -> Option<(&'a ProjectAnalysis, FilePosition)> {
    let (project, file) = snapshot.file(&params.text_document.uri)?;
    let offset = project.offset(file, params.position);
    Some((project, FilePosition { file, offset }))
}

fn locations(project: &ProjectAnalysis, spans: Vec<Span>) -> Vec<Location> {
    spans
        .into_iter()
        .filter_map(|span| project.location(span))
        .collect()
}

pub fn handle_hover(snapshot: &Snapshot, params: &HoverParams) -> anyhow::Result<Option<Hover>> {
    let Some((project, position)) = file_position(snapshot, &params.text_document_position_params)
    else {
        return Ok(None);
    };
    Ok(ide::hover::hover(project, position).map(|result| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: result.markdown,
        }),
        range: Some(project.range(Span::new(position.file, result.range))),
    }))
}

pub fn handle_goto_definition(
    snapshot: &Snapshot,
    params: &GotoDefinitionParams,
) -> anyhow::Result<Option<GotoDefinitionResponse>> {
    let Some((project, position)) = file_position(snapshot, &params.text_document_position_params)
    else {
        return Ok(None);
    };
    let found = locations(project, ide::navigation::definition(project, position));
    Ok((!found.is_empty()).then_some(GotoDefinitionResponse::Array(found)))
}

pub fn handle_references(
    snapshot: &Snapshot,
    params: &ReferenceParams,
) -> anyhow::Result<Option<Vec<Location>>> {
    let Some((project, position)) = file_position(snapshot, &params.text_document_position) else {
        return Ok(None);
    };
    let include_declaration = params.context.include_declaration;
    Ok(Some(locations(
        project,
        ide::navigation::references(project, position, include_declaration),
    )))
}

pub fn handle_document_highlight(
    snapshot: &Snapshot,
    params: &DocumentHighlightParams,
) -> anyhow::Result<Option<Vec<DocumentHighlight>>> {
    let Some((project, position)) = file_position(snapshot, &params.text_document_position_params)
    else {
        return Ok(None);
    };
    let highlights = ide::navigation::highlights(project, position)
        .into_iter()
        .map(|highlight| DocumentHighlight {
            range: project.range(Span::new(position.file, highlight.range)),
            kind: Some(if highlight.is_declaration {
                DocumentHighlightKind::WRITE
            } else {
                DocumentHighlightKind::READ
            }),
        });
    Ok(Some(highlights.collect()))
}

fn symbol_kind(category: ide::symbols::SymbolCategory) -> SymbolKind {
    match category {
        ide::symbols::SymbolCategory::Architecture => SymbolKind::NAMESPACE,
        ide::symbols::SymbolCategory::Import => SymbolKind::MODULE,
        ide::symbols::SymbolCategory::Element => SymbolKind::CLASS,
        ide::symbols::SymbolCategory::Relation => SymbolKind::OPERATOR,
        ide::symbols::SymbolCategory::Waiver => SymbolKind::KEY,
        ide::symbols::SymbolCategory::View => SymbolKind::OBJECT,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be set; it is always `None`.
fn document_symbol(
    project: &ProjectAnalysis,
    file: kientruc_dsl::FileId,
    symbol: ide::symbols::Symbol,
) -> DocumentSymbol {
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: symbol_kind(symbol.category),
        tags: None,
        deprecated: None,
        range: project.range(Span::new(file, symbol.range)),
        selection_range: project.range(Span::new(file, symbol.selection)),
        children: (!symbol.children.is_empty()).then(|| {
            symbol
                .children
                .into_iter()
                .map(|child| document_symbol(project, file, child))
                .collect()
        }),
    }
}

pub fn handle_document_symbol(
    snapshot: &Snapshot,
    params: &DocumentSymbolParams,
) -> anyhow::Result<Option<DocumentSymbolResponse>> {
    let Some((project, file)) = snapshot.file(&params.text_document.uri) else {
        return Ok(None);
    };
    let symbols = ide::symbols::document_symbols(project, file);
    Ok(Some(DocumentSymbolResponse::Nested(
        symbols
            .into_iter()
            .map(|symbol| document_symbol(project, file, symbol))
            .collect(),
    )))
}

pub fn handle_workspace_symbol(
    snapshot: &Snapshot,
    params: &WorkspaceSymbolParams,
) -> anyhow::Result<Option<WorkspaceSymbolResponse>> {
    let mut symbols = Vec::new();
    for project in &snapshot.projects {
        for found in ide::symbols::workspace_symbols(project, &params.query) {
            let Some(location) = project.location(found.span) else {
                continue;
            };
            symbols.push(lsp_types::WorkspaceSymbol {
                name: found.name,
                kind: symbol_kind(found.category),
                tags: None,
                container_name: Some(found.container),
                location: OneOf::Left(location),
                data: None,
            });
        }
    }
    symbols.dedup_by(|left, right| left.name == right.name && left.location == right.location);
    Ok(Some(WorkspaceSymbolResponse::Nested(symbols)))
}

fn completion_kind(category: ide::completion::CompletionCategory) -> CompletionItemKind {
    use ide::completion::CompletionCategory;
    match category {
        CompletionCategory::Keyword => CompletionItemKind::KEYWORD,
        CompletionCategory::ElementKind => CompletionItemKind::CLASS,
        CompletionCategory::RelationType => CompletionItemKind::INTERFACE,
        CompletionCategory::Property => CompletionItemKind::PROPERTY,
        CompletionCategory::EnumValue => CompletionItemKind::ENUM_MEMBER,
        CompletionCategory::Element => CompletionItemKind::REFERENCE,
        CompletionCategory::Rule => CompletionItemKind::CONSTANT,
    }
}

pub fn handle_completion(
    snapshot: &Snapshot,
    params: &CompletionParams,
) -> anyhow::Result<Option<CompletionResponse>> {
    let Some((project, position)) = file_position(snapshot, &params.text_document_position) else {
        return Ok(None);
    };
    let completions = ide::completion::completions(project, position);
    let replace = project.range(Span::new(position.file, completions.replace));
    let items = completions.items.into_iter().map(|item| CompletionItem {
        kind: Some(completion_kind(item.category)),
        detail: item.detail,
        documentation: item.documentation.map(Documentation::String),
        sort_text: Some(format!("{}{}", item.sort_group, item.label)),
        filter_text: Some(item.label.clone()),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range: replace,
            new_text: item.insert_text.unwrap_or_else(|| item.label.clone()),
        })),
        label: item.label,
        ..CompletionItem::default()
    });
    Ok(Some(CompletionResponse::Array(items.collect())))
}

pub fn handle_prepare_rename(
    snapshot: &Snapshot,
    params: &TextDocumentPositionParams,
) -> anyhow::Result<Option<PrepareRenameResponse>> {
    let Some((project, position)) = file_position(snapshot, params) else {
        return Ok(None);
    };
    let (_, range) = ide::navigation::prepare_rename(project, position).map_err(RequestFailed)?;
    Ok(Some(PrepareRenameResponse::Range(
        project.range(Span::new(position.file, range)),
    )))
}

/// A workspace edit from `(file, range, new text)` edits; edits in files with no path are dropped.
fn workspace_edit(
    project: &ProjectAnalysis,
    edits: impl IntoIterator<Item = (kientruc_dsl::FileId, TextRange, String)>,
) -> WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (file, range, new_text) in edits {
        if let Some(uri) = project.client_uri(file) {
            let range = project.range(Span::new(file, range));
            changes
                .entry(uri)
                .or_default()
                .push(TextEdit { range, new_text });
        }
    }
    WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }
}

pub fn handle_rename(
    snapshot: &Snapshot,
    params: &RenameParams,
) -> anyhow::Result<Option<WorkspaceEdit>> {
    let Some((project, position)) = file_position(snapshot, &params.text_document_position) else {
        return Ok(None);
    };
    let edits =
        ide::navigation::rename(project, position, &params.new_name).map_err(RequestFailed)?;
    let edits = edits
        .into_iter()
        .map(|(file, range)| (file, range, params.new_name.clone()));
    Ok(Some(workspace_edit(project, edits)))
}

pub fn handle_formatting(
    snapshot: &Snapshot,
    params: &DocumentFormattingParams,
) -> anyhow::Result<Option<Vec<TextEdit>>> {
    let Some(path) = convert::uri_to_path(&params.text_document.uri) else {
        return Ok(None);
    };
    let Some(buffer) = snapshot.buffers.get(&path) else {
        return Ok(None);
    };
    let formatted = kientruc_dsl::format::format_text(&buffer.text).ok_or_else(|| {
        RequestFailed("cannot format a file with syntax errors; fix them first".to_owned())
    })?;
    if formatted == *buffer.text {
        return Ok(Some(Vec::new()));
    }
    let line_index = LineIndex::new(&buffer.text);
    let whole = convert::range(
        &line_index,
        &buffer.text,
        TextRange::new(0, buffer.text.len()),
    );
    Ok(Some(vec![TextEdit {
        range: whole,
        new_text: formatted,
    }]))
}

/// A quick fix, with the diagnostic it fixes.
fn code_action(project: &ProjectAnalysis, fix: ide::actions::Fix) -> CodeActionOrCommand {
    let fixed = match fix.fixes {
        ide::actions::FixFor::Diagnostic(index) => {
            diagnostics::language_diagnostic(project, &project.checked.analysis.diagnostics[index])
        }
        ide::actions::FixFor::Finding(index) => Some(diagnostics::finding_diagnostic(
            project,
            &project.checked.findings[index],
        )),
    };
    let edits = fix
        .edits
        .into_iter()
        .map(|edit| (edit.file, edit.range, edit.new_text));
    CodeActionOrCommand::CodeAction(CodeAction {
        title: fix.title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: fixed.map(|diagnostic| vec![diagnostic]),
        edit: Some(workspace_edit(project, edits)),
        is_preferred: Some(fix.preferred),
        ..CodeAction::default()
    })
}

pub fn handle_code_action(
    snapshot: &Snapshot,
    params: &CodeActionParams,
) -> anyhow::Result<Option<Vec<CodeActionOrCommand>>> {
    let Some((project, file)) = snapshot.file(&params.text_document.uri) else {
        return Ok(None);
    };
    let source = project.source(file);
    let range = convert::text_range(&source.line_index, &source.text, params.range);
    let fixes = ide::actions::fixes(project, file, range);
    let mut actions: Vec<CodeActionOrCommand> = fixes
        .into_iter()
        .map(|fix| code_action(project, fix))
        .collect();
    // On the header: the move to the framework pack that replaces the workspace's own.
    let registry = crate::host::Registry::new(
        &project.root,
        snapshot.options.embedded_framework_files,
        crate::host::PackPaths::Absolute,
    );
    if let Some(migration) = ide::actions::migration(project, file, range, &registry) {
        let edits = migration
            .edits
            .into_iter()
            .map(|edit| (edit.file, edit.range, edit.new_text));
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: migration.title,
            kind: Some(CodeActionKind::REFACTOR_REWRITE),
            edit: Some(workspace_edit(project, edits)),
            ..CodeAction::default()
        }));
    }
    Ok(Some(actions))
}

pub fn handle_semantic_tokens_full(
    snapshot: &Snapshot,
    params: &SemanticTokensParams,
) -> anyhow::Result<Option<SemanticTokensResult>> {
    let Some((project, file)) = snapshot.file(&params.text_document.uri) else {
        return Ok(None);
    };
    let tokens = ide::highlighting::semantic_tokens(project, file);
    let source = project.source(file);
    Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data: convert::semantic_tokens(&source.line_index, &source.text, &tokens),
    })))
}

pub fn handle_folding_range(
    snapshot: &Snapshot,
    params: &FoldingRangeParams,
) -> anyhow::Result<Option<Vec<FoldingRange>>> {
    let Some((project, file)) = snapshot.file(&params.text_document.uri) else {
        return Ok(None);
    };
    let folds = ide::highlighting::folding_ranges(project, file)
        .into_iter()
        .map(|fold| FoldingRange {
            start_line: fold.start_line,
            end_line: fold.end_line,
            kind: Some(if fold.is_comment {
                FoldingRangeKind::Comment
            } else {
                FoldingRangeKind::Region
            }),
            ..FoldingRange::default()
        });
    Ok(Some(folds.collect()))
}

/// The workspace's views (`kientruc_reports::views::catalogue`), each with where `file` declares
/// it, if it does.
fn view_list(
    project: &ProjectAnalysis,
    file: kientruc_dsl::FileId,
    texts: &Texts,
) -> Vec<ViewListEntry> {
    let declared: HashMap<&str, TextRange> = ide::views::declared_in_file(project, file)
        .into_iter()
        .collect();
    views::catalogue(&project.checked, texts)
        .into_iter()
        .map(|entry| ViewListEntry {
            range: declared
                .get(entry.id.as_str())
                .map(|range| project.range(Span::new(file, *range))),
            id: entry.id,
            title: entry.title,
            description: entry.description,
            builtin: entry.builtin,
        })
        .collect()
}

/// `kientruc/view`: the workspace's views and the chosen one drawn, both from
/// `kientruc_reports::views` (the one layout engine of the report and `kientruc serve`).
pub fn handle_view(snapshot: &Snapshot, params: &ViewParams) -> anyhow::Result<ViewResult> {
    let Some((project, file)) = snapshot.file(&params.text_document.uri) else {
        return Ok(ViewResult::default());
    };
    let language = params.language.unwrap_or(project.language);
    let texts = Texts::of(&project.checked, language);
    let cursor = params
        .position
        .map(|position| project.offset(file, position));
    let chosen = ide::views::chosen_view(project, file, cursor, params.view.as_deref());
    let view = views::render(&project.checked, &texts, &chosen).map(|view| views::payload(&view));
    Ok(ViewResult {
        views: view_list(project, file, &texts),
        view,
    })
}

pub fn handle_did_open(
    global_state: &mut GlobalState,
    params: &DidOpenTextDocumentParams,
) -> anyhow::Result<()> {
    let Some(path) = convert::uri_to_path(&params.text_document.uri) else {
        return Ok(());
    };
    let buffer = crate::host::Buffer {
        text: params.text_document.text.as_str().into(),
        version: params.text_document.version,
    };
    global_state.buffers.insert(path.clone(), buffer);
    global_state.file_changed(&path, Duration::ZERO);
    Ok(())
}

pub fn handle_did_change(
    global_state: &mut GlobalState,
    params: &DidChangeTextDocumentParams,
) -> anyhow::Result<()> {
    let Some(path) = convert::uri_to_path(&params.text_document.uri) else {
        return Ok(());
    };
    let Some(buffer) = global_state.buffers.get_mut(&path) else {
        anyhow::bail!("change to {} which is not open", path.display());
    };
    buffer.text = convert::apply_changes(&buffer.text, &params.content_changes).into();
    buffer.version = params.text_document.version;
    let delay = global_state.edit_delay();
    global_state.document_modified(&params.text_document.uri);
    global_state.file_changed(&path, delay);
    Ok(())
}

pub fn handle_cancel(
    global_state: &mut GlobalState,
    params: &lsp_types::CancelParams,
) -> anyhow::Result<()> {
    let id = match &params.id {
        lsp_types::NumberOrString::Number(number) => lsp_server::RequestId::from(*number),
        lsp_types::NumberOrString::String(text) => lsp_server::RequestId::from(text.clone()),
    };
    global_state.cancel_request(&id);
    Ok(())
}

pub fn handle_did_save(
    global_state: &mut GlobalState,
    params: &DidSaveTextDocumentParams,
) -> anyhow::Result<()> {
    if let Some(path) = convert::uri_to_path(&params.text_document.uri) {
        global_state.file_changed(&path, Duration::ZERO);
    }
    Ok(())
}

pub fn handle_did_close(
    global_state: &mut GlobalState,
    params: &DidCloseTextDocumentParams,
) -> anyhow::Result<()> {
    if let Some(path) = convert::uri_to_path(&params.text_document.uri) {
        global_state.buffers.remove(&path);
        global_state.file_changed(&path, Duration::ZERO);
    }
    Ok(())
}

pub fn handle_did_change_watched_files(
    global_state: &mut GlobalState,
    _params: &DidChangeWatchedFilesParams,
) -> anyhow::Result<()> {
    global_state.everything_changed(Duration::ZERO);
    Ok(())
}

pub fn handle_did_change_workspace_folders(
    global_state: &mut GlobalState,
    params: &DidChangeWorkspaceFoldersParams,
) -> anyhow::Result<()> {
    let removed: Vec<_> = params
        .event
        .removed
        .iter()
        .filter_map(|folder| convert::uri_to_path(&folder.uri))
        .collect();
    global_state
        .client_roots
        .retain(|root| !removed.contains(root));
    global_state.client_roots.extend(
        params
            .event
            .added
            .iter()
            .filter_map(|folder| convert::uri_to_path(&folder.uri)),
    );
    global_state.everything_changed(Duration::ZERO);
    Ok(())
}
