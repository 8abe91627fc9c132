//! The workspace's views as every surface shows them: the HTML report, `kientruc serve` and the
//! editor's preview (`kientruc/view`) all call [`catalogue`] and [`render`], so one layout engine
//! ([`crate::diagram`]) draws each view the same way everywhere.
//!
//! A view is named by its id: a view the workspace declares (`view health "…" { … }`), a built-in
//! one (`overview`, `integration`: a declared view with the same id replaces it), or an element's
//! neighbourhood (`neighbourhood:` and the element's qualified id).

use crate::diagram::{self, LaidOutView, Side};
use crate::i18n::Texts;
use kientruc_checker::Checked;
use serde_json::{Value, json};

/// The built-in views, in the order they are listed.
pub const BUILTIN: &[&str] = &["overview", "integration"];

/// One view of the workspace, before it is drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewEntry {
    pub id: String,
    /// In the texts' language.
    pub title: String,
    pub description: Option<String>,
    /// One of [`BUILTIN`] (not replaced by a declaration).
    pub builtin: bool,
}

/// A view laid out and drawn.
pub struct RenderedView {
    pub entry: ViewEntry,
    pub laid_out: LaidOutView,
    /// The SVG, its ids prefixed with the view's kind (one view per page or webview).
    pub svg: String,
}

/// The workspace's views: the declared ones in declaration order, then the built-in ones that no
/// declaration replaces.
pub fn catalogue(checked: &Checked, texts: &Texts) -> Vec<ViewEntry> {
    let mut entries = diagram::declared_entries(checked, texts);
    for name in BUILTIN {
        if entries.iter().any(|entry| entry.id == *name) {
            continue;
        }
        entries.push(ViewEntry {
            id: (*name).to_owned(),
            title: texts.get(&format!("{name}_diagram")).to_owned(),
            description: None,
            builtin: true,
        });
    }
    entries
}

/// Lays out and draws the view named `id`; `None` when the workspace has no such view (or no
/// such element, for a neighbourhood).
pub fn render(checked: &Checked, texts: &Texts, id: &str) -> Option<RenderedView> {
    if let Some((entry, drawn)) = diagram::draw_declared(checked, texts, id) {
        return Some(RenderedView {
            entry,
            laid_out: drawn.laid_out,
            svg: drawn.svg,
        });
    }
    let drawn = diagram::draw_builtin(checked, texts, id)?;
    let entry = ViewEntry {
        id: id.to_owned(),
        title: drawn.laid_out.title.clone(),
        description: None,
        builtin: true,
    };
    Some(RenderedView {
        entry,
        laid_out: drawn.laid_out,
        svg: drawn.svg,
    })
}

/// The view as JSON, what `kientruc serve` and the language server's `kientruc/view` send: the
/// entry, the SVG, and the layout (nodes and links with their coordinates, findings and
/// relations), so that a page can find an element's box and what points at it. Model strings are
/// left as written: the SVG escapes them, and a page must set them as text, never as HTML.
pub fn payload(view: &RenderedView) -> Value {
    let laid_out = &view.laid_out;
    let nodes: Vec<Value> = laid_out
        .nodes
        .iter()
        .map(|node| {
            json!({
                "id": node.id,
                "name": node.name,
                "kind": node.kind,
                "kind_name": node.kind_name,
                "band": node.band,
                "group": node.group,
                "side": match node.side {
                    Side::Own => "own",
                    Side::National => "national",
                    Side::Context => "context",
                },
                "findings": node.findings,
                "x": node.x,
                "y": node.y,
                "width": node.width,
                "height": node.height,
            })
        })
        .collect();
    let links: Vec<Value> = laid_out
        .links
        .iter()
        .map(|link| {
            json!({
                "source": laid_out.nodes[link.source].id,
                "target": laid_out.nodes[link.target].id,
                "types": link.types.iter().map(|kind| json!({
                    "id": kind.id,
                    "name": kind.name,
                    "property": kind.property,
                    "count": kind.count,
                })).collect::<Vec<_>>(),
                "count": link.count,
                "rules": link.rules,
                "violating": link.violating,
            })
        })
        .collect();
    let bands: Vec<Value> = laid_out
        .bands
        .iter()
        .map(|band| {
            json!({
                "title": band.title,
                "x": band.x,
                "y": band.y,
                "width": band.width,
                "height": band.height,
            })
        })
        .collect();
    json!({
        "id": view.entry.id,
        "title": view.entry.title,
        "description": view.entry.description,
        "builtin": view.entry.builtin,
        "width": laid_out.width,
        "height": laid_out.height,
        "bands": bands,
        "nodes": nodes,
        "links": links,
        "svg": view.svg,
    })
}
