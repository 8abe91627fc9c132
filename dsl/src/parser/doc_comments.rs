//! Doc comments: `///` runs attached to the declaration they directly precede.

use crate::syntax::{Block, Comment, CommentKind, Declaration, Element, Entry};

/// Attaches `///` comment runs to the declaration that directly follows them (top-level and
/// nested elements, relations, waivers, the header).
pub(super) fn attach_doc_comments(
    text: &str,
    comments: &[Comment],
    declarations: &mut [Declaration],
) {
    if !comments
        .iter()
        .any(|comment| comment.kind == CommentKind::Doc)
    {
        return;
    }
    let doc_for = |start: u32| -> Option<String> {
        let mut index = comments.partition_point(|comment| comment.range.end <= start);
        let mut lines = Vec::new();
        let mut next_start = start as usize;
        while index > 0 {
            let comment = &comments[index - 1];
            let between = &text[comment.range.end as usize..next_start];
            // Only whitespace with at most one line break may separate the run from the item.
            if comment.kind != CommentKind::Doc
                || comment.trailing
                || !between.trim().is_empty()
                || between.matches('\n').count() > 1
            {
                break;
            }
            lines.push(
                comment
                    .text
                    .trim_start_matches("///")
                    .strip_prefix(' ')
                    .unwrap_or(comment.text.trim_start_matches("///"))
                    .trim_end(),
            );
            next_start = comment.range.start as usize;
            index -= 1;
        }
        (!lines.is_empty()).then(|| {
            lines.reverse();
            lines.join("\n")
        })
    };
    for declaration in declarations {
        match declaration {
            Declaration::Architecture(header) => header.doc = doc_for(header.range.start),
            Declaration::Element(element) => visit_element(element, &doc_for),
            Declaration::Relation(relation) => relation.doc = doc_for(relation.range.start),
            Declaration::Waiver(waiver) => waiver.doc = doc_for(waiver.range.start),
            Declaration::View(view) => view.doc = doc_for(view.range.start),
            Declaration::Import(_) => {}
        }
    }
}

/// Attaches doc comments to the elements and relations of `block`, nested ones included.
fn visit_block(block: &mut Block, doc_for: &dyn Fn(u32) -> Option<String>) {
    for entry in &mut block.entries {
        match entry {
            Entry::Element(element) => visit_element(element, doc_for),
            Entry::Relation(relation) => relation.doc = doc_for(relation.range.start),
            Entry::Property(_) => {}
        }
    }
}

/// Attaches a doc comment to `element` and to what its body declares.
fn visit_element(element: &mut Element, doc_for: &dyn Fn(u32) -> Option<String>) {
    element.doc = doc_for(element.range.start);
    if let Some(body) = &mut element.body {
        visit_block(body, doc_for);
    }
}
