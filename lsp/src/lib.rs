//! kientruc-lsp
