//! Reading files: bytes decoded into text (binary, oversized and non-UTF-8 files refused) and
//! parsed, or the parse taken from the provider's cache. The workspace's own files are read, then
//! decoded and parsed, in parallel.

use super::loader::Loader;
use super::parse_cache::Parsed;
use super::provider::SourceProvider;
use crate::diagnostic::{Code, Diagnostic};
use crate::parser::parse;
use crate::sources::Origin;
use crate::text::{FileId, LineIndex, TextRange};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files larger than this are refused (KT0104).
pub const MAX_FILE_SIZE: usize = 16 * 1024 * 1024;

impl Loader<'_> {
    /// Reads, decodes and parses the workspace's own files (`entries`, sorted) in parallel and
    /// adds them to module 0, their ids following the order of `entries`. Returns the time each
    /// stage took (`read`, `parse`).
    pub(super) fn read_entries(
        &mut self,
        entries: &[PathBuf],
    ) -> Vec<(&'static str, std::time::Duration)> {
        let provider = self.provider;
        // Stage 1: read every file (in parallel). Stage 2: decode and parse (in parallel).
        let started = std::time::Instant::now();
        let read: Vec<(String, std::io::Result<Vec<u8>>)> = entries
            .par_iter()
            .map(|path| (provider.display_name(path), provider.read(path)))
            .collect();
        let read_time = started.elapsed();
        let started = std::time::Instant::now();
        let loaded: Vec<(String, Result<Parsed, Diagnostic>)> = read
            .into_par_iter()
            .zip(entries)
            .enumerate()
            .map(|(index, ((name, bytes), path))| {
                let file = FileId(index as u32);
                let result = match bytes {
                    Ok(bytes) => decode_and_parse(provider, path, file, bytes),
                    Err(error) => Err(Diagnostic::new(
                        Code::FileUnreadable,
                        format!("cannot read {name}: {error}"),
                    )
                    .at(file, TextRange::empty(0), "this file")),
                };
                (name, result)
            })
            .collect();
        let parse_time = started.elapsed();
        for ((name, result), path) in loaded.into_iter().zip(entries) {
            let (text, line_index, tree) = match result {
                Ok(parsed) => {
                    self.diagnostics.extend(parsed.diagnostics);
                    (parsed.text, parsed.line_index, parsed.tree)
                }
                Err(diagnostic) => {
                    self.diagnostics.push(diagnostic);
                    (Arc::from(""), Arc::new(LineIndex::new("")), Arc::default())
                }
            };
            let id =
                self.files
                    .add_indexed(name, path.clone(), text, line_index, Origin::Workspace);
            self.trees.push(tree);
            self.module_of_file.push(Some(0));
            self.modules[0].files.push(id);
        }
        vec![("read", read_time), ("parse", parse_time)]
    }
}

/// Decodes a file's bytes, refusing binary, oversized and non-UTF-8 content with a diagnostic.
// The error is the diagnostic that gets reported, once per refused file; boxing it would change
// this public signature for its callers in other crates (the CLI's `fmt`) for no gain.
#[allow(clippy::result_large_err)]
pub fn decode(file: FileId, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() > MAX_FILE_SIZE {
        return Err(Diagnostic::new(
            Code::FileTooLarge,
            format!("file is larger than the limit of {MAX_FILE_SIZE} bytes"),
        )
        .at(file, TextRange::empty(0), "file starts here"));
    }
    if bytes.iter().take(8192).any(|byte| *byte == 0) {
        let at = bytes.iter().position(|byte| *byte == 0).unwrap_or(0);
        return Err(Diagnostic::new(
            Code::BinaryFile,
            format!("file contains a NUL byte at offset {at}"),
        )
        .at(file, TextRange::empty(0), "binary content"));
    }
    String::from_utf8(bytes).map_err(|error| {
        let at = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        // Columns do not count a byte-order mark, as everywhere else (`LineIndex`).
        let valid = valid.strip_prefix('\u{feff}').unwrap_or(valid);
        let line = valid.matches('\n').count() + 1;
        let column = valid
            .rsplit('\n')
            .next()
            .map_or(0, |last| last.chars().count())
            + 1;
        Diagnostic::new(
            Code::NotUtf8,
            format!("invalid UTF-8 at byte {at} (line {line}, column {column})"),
        )
        .at(file, TextRange::empty(0), "file starts here")
    })
}

/// Takes the parse of `bytes` from the provider's cache, or decodes and parses them as file
/// `file` (and caches the new parse there).
// Passes on `decode`'s error (see there why it is not boxed).
#[allow(clippy::result_large_err)]
fn decode_and_parse(
    provider: &dyn SourceProvider,
    path: &Path,
    file: FileId,
    bytes: Vec<u8>,
) -> Result<Parsed, Diagnostic> {
    if let Some(parsed) = provider
        .parse_cache()
        .and_then(|cache| cache.get(path, &bytes, file))
    {
        return Ok(parsed);
    }
    Ok(parse_and_cache(
        provider,
        path,
        file,
        Arc::from(decode(file, bytes)?),
    ))
}

/// Takes the parse of `text` from the provider's cache, or parses it as file `file`.
pub(super) fn parse_or_reuse(
    provider: &dyn SourceProvider,
    path: &Path,
    file: FileId,
    text: Arc<str>,
) -> Parsed {
    provider
        .parse_cache()
        .and_then(|cache| cache.get(path, text.as_bytes(), file))
        .unwrap_or_else(|| parse_and_cache(provider, path, file, text))
}

/// Parses `text` as file `file` and caches the parse in the provider's cache, if it has one.
fn parse_and_cache(
    provider: &dyn SourceProvider,
    path: &Path,
    file: FileId,
    text: Arc<str>,
) -> Parsed {
    let cache = provider.parse_cache();
    let parse = parse(file, &text);
    let parsed = Parsed {
        line_index: Arc::new(LineIndex::new(&text)),
        text,
        tree: Arc::new(parse.tree),
        diagnostics: parse.diagnostics,
    };
    if let Some(cache) = cache {
        cache.insert(path, &parsed);
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_columns_do_not_count_a_byte_order_mark() {
        let message = |bytes: &[u8]| decode(FileId(0), bytes.to_vec()).unwrap_err().message;
        assert_eq!(
            message(b"agency a \"th\xe0nh\""),
            "invalid UTF-8 at byte 12 (line 1, column 13)"
        );
        assert_eq!(
            message(b"\xef\xbb\xbfagency a \"th\xe0nh\""),
            "invalid UTF-8 at byte 15 (line 1, column 13)"
        );
        assert_eq!(
            message(b"\xef\xbb\xbf\nagency a \"th\xe0nh\""),
            "invalid UTF-8 at byte 16 (line 2, column 13)"
        );
    }
}
