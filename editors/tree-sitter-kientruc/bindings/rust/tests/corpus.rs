//! The corpus tests of test/corpus, as `tree-sitter test` runs them, so that `cargo test` needs
//! no tree-sitter CLI: each example's tree (`to_sexp`, whitespace normalised; field names only
//! when the expected tree has some) must equal the expected one, and an example marked `:error`
//! must give an ERROR or MISSING node. Each example is also given to kientruc's own parser: an
//! `:error` example, or one whose expected tree has an ERROR or MISSING node, must be a syntax
//! error there, any other must have none, so the corpus shows kientruc's language and not only
//! this grammar's.
//!
//! The format read here is the subset the corpus uses: a header line of `=`, the name, optional
//! `:error` or `:skip` lines, a closing line of `=`; the source; the longest line of `-` (at
//! least three); the expected tree, where lines starting with `;` are comments.

mod common;

use std::fmt::Write as _;
use std::path::Path;

struct Example {
    file: String,
    name: String,
    source: String,
    expected: String,
    error: bool,
    skip: bool,
}

/// A line of at least three `character`s (a header's `=` or a divider's `-`).
fn is_rule(line: &str, character: char) -> bool {
    let line = line.trim_end_matches(['\r', '\n']);
    line.len() >= 3 && line.chars().all(|c| c == character)
}

fn read_examples(file: &str, text: &str) -> Vec<Example> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut examples = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        if !is_rule(lines[index], '=') {
            index += 1;
            continue;
        }
        // The header: the name and attribute lines up to the closing line of `=`.
        let mut name = String::new();
        let (mut error, mut skip) = (false, false);
        index += 1;
        while index < lines.len() && !is_rule(lines[index], '=') {
            match lines[index].trim() {
                ":error" => error = true,
                ":skip" => skip = true,
                line if name.is_empty() => line.clone_into(&mut name),
                line => panic!("{file}: unknown header line {line:?} in test {name:?}"),
            }
            index += 1;
        }
        index += 1;
        // The body runs to the next header.
        let start = index;
        while index < lines.len() && !is_rule(lines[index], '=') {
            index += 1;
        }
        let body = &lines[start..index];
        let divider = body
            .iter()
            .enumerate()
            .filter(|(_, line)| is_rule(line, '-'))
            // The longest; of equal ones the last, as `tree-sitter test` picks.
            .max_by_key(|(_, line)| line.trim_end().len())
            .map_or_else(
                || panic!("{file}: test {name:?} has no line of `-`"),
                |(position, _)| position,
            );
        let mut source: String = body[..divider].concat();
        // The line break before the divider is not part of the source.
        if source.ends_with('\n') {
            source.pop();
            if source.ends_with('\r') {
                source.pop();
            }
        }
        let expected_text: String = body[divider + 1..]
            .iter()
            .filter(|line| !line.trim_start().starts_with(';'))
            .copied()
            .collect();
        examples.push(Example {
            file: file.to_owned(),
            name,
            source,
            expected: normalise(&expected_text),
            error: error && !skip,
            skip,
        });
    }
    examples
}

/// Whitespace runs become one space, and no space stays before `)`.
fn normalise(sexp: &str) -> String {
    sexp.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" )", ")")
}

/// Whether an S-expression names a field (` name: (`).
fn has_fields(sexp: &str) -> bool {
    sexp.match_indices(": (").any(|(at, _)| {
        let before = &sexp[..at];
        let name_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |position| position + 1);
        name_start < at && before[..name_start].ends_with(' ')
    })
}

/// `(a name: (b))` becomes `(a (b))`.
fn strip_fields(sexp: &str) -> String {
    let mut result = String::with_capacity(sexp.len());
    let mut rest = sexp;
    while let Some(at) = rest.find(": (") {
        let before = &rest[..at];
        let name_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |position| position + 1);
        if name_start < at && before[..name_start].ends_with(' ') {
            result.push_str(&before[..name_start]);
        } else {
            result.push_str(before);
            result.push_str(": ");
        }
        result.push('(');
        rest = &rest[at + 3..];
    }
    result.push_str(rest);
    result
}

fn corpus() -> Vec<Example> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("test/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()))
        .map(|entry| entry.expect("a readable folder entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .collect();
    files.sort();
    let mut examples = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        examples.extend(read_examples(&name, &text));
    }
    assert!(
        examples.len() >= 30,
        "the corpus has {} examples; test/corpus was not read whole",
        examples.len()
    );
    examples
}

#[test]
fn corpus_trees_match_the_expected_ones() {
    let examples = corpus();
    let mut failures = String::new();
    for example in examples.iter().filter(|example| !example.skip) {
        let tree = common::parse(&example.source);
        let root = tree.root_node();
        if example.error {
            if !root.has_error() {
                let _ = writeln!(
                    failures,
                    "{} / {}: expected an ERROR or MISSING node, got\n  {}\n",
                    example.file,
                    example.name,
                    root.to_sexp()
                );
            }
            continue;
        }
        let mut actual = normalise(&root.to_sexp());
        if !has_fields(&example.expected) {
            actual = strip_fields(&actual);
        }
        if actual != example.expected {
            let _ = writeln!(
                failures,
                "{} / {}:\n  expected {}\n  actual   {}\n",
                example.file, example.name, example.expected, actual
            );
        }
    }
    assert!(failures.is_empty(), "corpus failures:\n\n{failures}");
}

#[test]
fn corpus_examples_are_what_kientruc_accepts_or_rejects() {
    let mut failures = String::new();
    for example in corpus().iter().filter(|example| !example.skip) {
        // Broken: marked `:error`, or expecting an ERROR or MISSING node in its tree.
        let broken = example.error
            || example.expected.contains("(ERROR")
            || example.expected.contains("(MISSING");
        let errors = common::kientruc_syntax_errors(&example.source);
        if broken && errors.is_empty() {
            let _ = writeln!(
                failures,
                "{} / {}: broken here, but kientruc parses it",
                example.file, example.name
            );
        }
        if !broken && !errors.is_empty() {
            let _ = writeln!(
                failures,
                "{} / {}: kientruc reports {errors:?}",
                example.file, example.name
            );
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn the_corpus_reader_normalises_like_tree_sitter_test() {
    assert_eq!(normalise("(a\n  (b )\n)"), "(a (b))");
    assert_eq!(
        strip_fields("(element kind: (identifier) id: (identifier))"),
        "(element (identifier) (identifier))"
    );
    assert!(has_fields("(element kind: (identifier))"));
    assert!(!has_fields("(element (identifier))"));
    let examples = read_examples(
        "inline",
        "===\nfirst\n:error\n===\nx\n---\n\n(y)\n=====\nsecond\n=====\na\n---\n-----\n; note\n(b)\n",
    );
    assert_eq!(examples.len(), 2);
    assert!(examples[0].error);
    assert_eq!(examples[0].source, "x");
    // The longest line of `-` divides; a shorter one above it is part of the source.
    assert_eq!(examples[1].source, "a\n---");
    assert_eq!(examples[1].expected, "(b)");
}
