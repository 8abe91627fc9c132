//! What the tests share: the parser, kientruc's verdict on a text, and the ERROR and MISSING
//! nodes of a tree. Each test binary uses a part of it.
#![allow(dead_code)]

use kientruc_dsl::{Code, FileId};
use tree_sitter::{Node, Parser, Tree};

/// A tree-sitter parser for the `.ea` grammar.
pub fn parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_kientruc::LANGUAGE.into())
        .expect("the generated parser's ABI is one the tree-sitter runtime reads");
    parser
}

pub fn parse(text: &str) -> Tree {
    parser()
        .parse(text, None)
        .expect("parsing without a timeout or cancellation returns a tree")
}

/// The codes of kientruc's parser that say the text is not the language's shape: these must
/// give tree-sitter an ERROR or MISSING node. kientruc's other parse-stage codes check what the
/// grammar reads as well-formed tokens (KT0005 a date that is no calendar day, KT0006 an integer
/// beyond 64 bits, KT0008 nesting beyond 64 levels, KT0011 a string beyond 64 KiB) and must
/// not: the grammar reads the shape, as an editor needs.
pub const SYNTAX_CODES: &[Code] = &[
    Code::SyntaxError,
    Code::UnterminatedString,
    Code::UnclosedDelimiter,
    Code::UnexpectedCloser,
    Code::InvalidEscape,
    Code::NonAsciiIdentifier,
];

/// kientruc's syntax diagnostics for `text`, as `KT0001 at 3:5: message` (line and column of
/// the byte offset, 1-based).
pub fn kientruc_syntax_errors(text: &str) -> Vec<String> {
    let parse = kientruc_dsl::parse(FileId(0), text);
    parse
        .diagnostics
        .iter()
        .filter(|diagnostic| SYNTAX_CODES.contains(&diagnostic.code))
        .map(|diagnostic| {
            let place = diagnostic
                .primary
                .as_ref()
                .map_or_else(String::new, |label| {
                    let offset = label.span.range.start as usize;
                    let before = &text[..offset.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                    format!(" at {line}:{column}")
                });
            format!(
                "{}{place}: {}",
                diagnostic.code.as_str(),
                diagnostic.message
            )
        })
        .collect()
}

/// The ERROR and MISSING nodes of a tree, as `ERROR at 3:5` (1-based, columns in bytes).
pub fn tree_errors(tree: &Tree) -> Vec<String> {
    let mut found = Vec::new();
    collect_errors(tree.root_node(), &mut found);
    found
}

fn collect_errors(node: Node<'_>, found: &mut Vec<String>) {
    if !node.has_error() {
        return;
    }
    if node.is_error() || node.is_missing() {
        let position = node.start_position();
        let what = if node.is_missing() {
            format!("MISSING {}", node.kind())
        } else {
            "ERROR".to_owned()
        };
        found.push(format!(
            "{what} at {}:{}",
            position.row + 1,
            position.column + 1
        ));
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        collect_errors(child, found);
    }
}
