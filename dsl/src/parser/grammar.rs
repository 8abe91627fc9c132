//! The pest parser generated from `grammar.pest`: `EaParser` and its `Rule`s, seen only inside
//! the `parser` module.

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
pub(super) struct EaParser;
