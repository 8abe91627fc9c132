//! Every `.ea` file of the repository against kientruc's own parser: a file kientruc parses
//! without a syntax error must parse here without an ERROR or MISSING node, and a file it
//! rejects with one (a deliberately broken fixture) must give one here too. All mismatches are
//! reported at once. Files kientruc refuses before parsing (not UTF-8) are left out. Then the
//! same for twelve thousand small edits of those files (a character or a token inserted, a
//! few characters deleted), which reach the broken inputs an editor shows while one types.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The repository: editors/tree-sitter-kientruc is two levels below it.
fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository folder exists")
}

/// Every `*.ea` file below `folder`, skipping hidden folders (`.git`), `target` and
/// `node_modules`, as kientruc's own workspace walk does.
fn ea_files(folder: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()));
    for entry in entries {
        let entry = entry.expect("a readable folder entry");
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let file_type = entry.file_type().expect("a file type");
        if file_type.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                ea_files(&path, found);
            }
        } else if file_type.is_file() && name.ends_with(".ea") {
            found.push(path);
        }
    }
}

/// The repository's `.ea` files, sorted.
fn repository_models() -> (PathBuf, Vec<PathBuf>) {
    let root = repository();
    let mut files = Vec::new();
    ea_files(&root, &mut files);
    files.sort();
    // The repository holds some 300 models (architecture/, the packs, tests/catalogue, ...).
    assert!(
        files.len() >= 200,
        "found only {} .ea files below {}",
        files.len(),
        root.display()
    );
    (root, files)
}

/// Whether kientruc and tree-sitter disagree on `text`: a description when they do.
fn disagreement(parser: &mut tree_sitter::Parser, text: &str) -> Option<String> {
    let kientruc = common::kientruc_syntax_errors(text);
    let tree = parser.parse(text, None).expect("a tree");
    match (kientruc.is_empty(), tree.root_node().has_error()) {
        (true, true) => Some(format!(
            "kientruc parses it, tree-sitter finds {}",
            common::tree_errors(&tree).join(", ")
        )),
        (false, false) => Some(format!(
            "kientruc reports {}, tree-sitter finds no error",
            kientruc.join("; ")
        )),
        _ => None,
    }
}

#[test]
fn every_repository_model_parses_as_kientruc_parses_it() {
    let (root, files) = repository_models();

    let mut parser = common::parser();
    let (mut clean, mut broken, mut not_text) = (0, 0, 0);
    let mut mismatches = String::new();
    for path in &files {
        let relative = path.strip_prefix(&root).unwrap_or(path).display();
        let bytes = std::fs::read(path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        let Ok(text) = String::from_utf8(bytes) else {
            not_text += 1;
            continue;
        };
        if let Some(difference) = disagreement(&mut parser, &text) {
            let _ = writeln!(mismatches, "{relative}: {difference}");
        } else if common::kientruc_syntax_errors(&text).is_empty() {
            clean += 1;
        } else {
            broken += 1;
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} files parse differently ({clean} agree clean, {broken} agree broken, \
         {not_text} not UTF-8):\n{mismatches}",
        mismatches.lines().count(),
        files.len()
    );
    assert!(
        broken > 0,
        "no broken fixture was found: the walk missed tests/catalogue"
    );
    eprintln!(
        "{} .ea files: {clean} parse cleanly in both, {broken} are syntax errors in both, \
         {not_text} are not UTF-8",
        files.len()
    );
}

/// What the edits insert: delimiters, quotes, comment slashes, escapes, numbers glued to words,
/// dotted paths, arrows, keywords, and words, brackets and literals at the start of a line,
/// line breaks and whitespace of every kind, letters and signs outside ASCII. (Not NUL:
/// tree-sitter reads it as the end of the text, and kientruc refuses a file holding one as
/// binary before parsing it, KT0103.)
const INSERTIONS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ".",
    "-",
    "->",
    "x",
    "1",
    " ",
    "\n",
    "//",
    "///",
    "\\",
    "2025-01-01",
    "-5",
    "a-",
    "a--",
    "-->",
    "_",
    "\\u{41}",
    "\\u{D800}",
    "\\q",
    "import",
    "architecture",
    "waive",
    "via",
    "on",
    "as",
    "until",
    "ở",
    "sở_xây",
    "\u{a0}",
    "“",
    "→",
    "\r\n",
    "\r",
    "\u{b}",
    "\u{c}",
    "\"s\"",
    "1.5",
    "12ab",
    "\nx",
    "\nvia ",
    "\non ",
    "\nas ",
    "\nuntil ",
    "{\n",
    "}\n",
    "\n{",
    "\n[",
    "\n\"",
    "\n2025-01-01",
    "\n->",
    "\n.",
    "\t",
    "\u{feff}",
    "a.b",
    "x.",
    ".x",
    "\"\n",
    "\nsystem s \"S\"\n",
    "->x",
    "0",
];

#[test]
fn edited_repository_models_parse_as_kientruc_parses_them() {
    let (root, files) = repository_models();
    let mut parser = common::parser();
    // A fixed xorshift sequence: the same edits on every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut random = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let (mut edits, mut mismatches) = (0, String::new());
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for _ in 0..40 {
            let mut edited = text.clone();
            for _ in 0..=random(3) {
                let mut at = random(edited.len() + 1);
                while !edited.is_char_boundary(at) {
                    at -= 1;
                }
                if random(2) == 0 {
                    edited.insert_str(at, INSERTIONS[random(INSERTIONS.len())]);
                } else {
                    let mut end = (at + 1 + random(6)).min(edited.len());
                    while !edited.is_char_boundary(end) {
                        end += 1;
                    }
                    edited.replace_range(at..end, "");
                }
            }
            edits += 1;
            if let Some(difference) = disagreement(&mut parser, &edited) {
                if mismatches.lines().count() < 20 {
                    let relative = path.strip_prefix(&root).unwrap_or(path).display();
                    let _ = writeln!(
                        mismatches,
                        "{relative}, edited to {edited:?}:\n  {difference}"
                    );
                }
            }
        }
    }
    assert!(edits > 10_000, "only {edits} edits were tried");
    assert!(
        mismatches.is_empty(),
        "edited models parse differently:\n{mismatches}"
    );
}
