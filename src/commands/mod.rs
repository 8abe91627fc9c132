//! One module per subcommand.

pub mod baseline;
pub mod check;
pub mod completions;
pub mod diff;
pub mod diff_report;
pub mod explain;
pub mod export;
pub mod export_archimate;
pub mod export_inventory;
pub mod export_sources;
pub mod fmt;
pub mod generate;
pub mod import;
pub mod import_archimate;
pub mod import_inventory;
pub mod init;
pub mod lsp;
pub mod migrate;
pub mod report;
pub mod rules;
pub mod serve;
