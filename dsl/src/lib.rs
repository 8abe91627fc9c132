//! kientruc-dsl: the `.ea` language. Pure: callers pass text in and get values out; no file,
//! network or terminal IO happens here (the CLI and the LSP own IO).
//!
//! Stages: [`parser::parse`] (per file, never fails) → [`workspace`] (follows imports through a
//! caller-supplied [`workspace::SourceProvider`]) → [`resolve`] (names and the framework's
//! [`metamodel`]) → [`model::Model`]. [`format`] prints a syntax tree canonically.

// pest_derive (built without its `std` feature, see Cargo.toml) refers to `alloc`.
extern crate alloc;

pub mod analysis;
pub mod diacritics;
pub mod diagnostic;
pub mod format;
mod lexer;
mod literal;
pub mod metamodel;
pub mod migration;
pub mod parser;
mod reader;
pub mod schema;
pub mod selector;
pub mod suggest;
pub mod syntax;
pub mod text;

pub use diagnostic::{Code, Diagnostic, Label, Severity};
pub use parser::{Parse, parse};
pub use text::{FileId, LineIndex, Span, TextRange};
pub mod model;
pub mod resolve;
mod sources;
pub mod workspace;
