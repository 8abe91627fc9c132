//! kientruc's `.ea` language (enterprise-architecture models, <https://github.com/kientruc/kientruc>)
//! for the [tree-sitter] parsing library: the generated parser and its queries.
//!
//! Add [`LANGUAGE`] to a tree-sitter [`Parser`] and parse a model:
//!
//! ```
//! let code = r#"
//! system dvc_hn "Hệ thống thông tin giải quyết thủ tục hành chính" {
//!   owner ubnd_hn
//!   uses -> national.ndxp "kết nối"
//! }
//! "#;
//! let mut parser = tree_sitter::Parser::new();
//! parser
//!     .set_language(&tree_sitter_kientruc::LANGUAGE.into())
//!     .expect("the grammar's ABI matches the runtime");
//! let tree = parser.parse(code, None).unwrap();
//! assert!(!tree.root_node().has_error());
//! assert_eq!(tree.root_node().child(0).unwrap().kind(), "element");
//! ```
//!
//! [`Parser`]: https://docs.rs/tree-sitter/0.26.13/tree_sitter/struct.Parser.html
//! [tree-sitter]: https://tree-sitter.github.io/

use tree_sitter_language::LanguageFn;

#[allow(unsafe_code)]
unsafe extern "C" {
    fn tree_sitter_kientruc() -> *const ();
}

/// The tree-sitter [`LanguageFn`] of the `.ea` grammar.
#[allow(unsafe_code)]
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_kientruc) };

/// The content of the [`node-types.json`] file of the grammar.
///
/// [`node-types.json`]: https://tree-sitter.github.io/tree-sitter/using-parsers/6-static-node-types
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// The syntax highlighting query (`queries/highlights.scm`).
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// The local definitions and references query (`queries/locals.scm`).
pub const LOCALS_QUERY: &str = include_str!("../../queries/locals.scm");

/// The folding query (`queries/folds.scm`).
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");

/// The indentation query (`queries/indents.scm`, in nvim-treesitter's capture names).
pub const INDENTS_QUERY: &str = include_str!("../../queries/indents.scm");
