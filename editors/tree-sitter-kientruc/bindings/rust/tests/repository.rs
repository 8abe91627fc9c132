//! Every `.ea` file of the repository against kientruc's own parser: a file kientruc parses
//! without a syntax error must parse here without an ERROR or MISSING node, and a file it
//! rejects with one (a deliberately broken fixture) must give one here too. All mismatches are
//! reported at once. Files kientruc refuses before parsing (not UTF-8) are left out. Then the
//! same for twelve thousand small edits of those files (a character or a token inserted, a
//! few characters deleted), which reach the broken inputs an editor shows while one types, and
//! for thousands of edits of views (which the repository's models hold few of), with the
//! selectors' own characters among the insertions.

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

/// Views of every shape: selectors with strings, brackets, comparisons, arrows and comments,
/// `group by`, `layout`, properties, a view on one line, and an element after it.
const VIEWS: &str = r#"/// Trao đổi dữ liệu ngành y tế.
view health_exchanges "Trao đổi dữ liệu ngành y tế" {
  title_en "Health data exchanges"
  description "Các hệ thống y tế"
  include kind(system) and tag(health)
  include kind(system) and tag(health) -> kind(platform) or kind(database)
  exclude id("test_*") // not the tests
  include platform_type in [lgsp, ndxp] and not has(owner)
  include security_level >= 3 and as_of < 2025-01-31 -> parent(kind(agency))
  include id("a}b") and name = "x -> y" -> tag("//c")
  layout left-right
  group by kind
}
view all "Everything" { include * }
system dvc_hn "Hệ thống DVC" {
  uses -> lgsp_hn
}
"#;

/// What the edits of views insert, besides `INSERTIONS`: the view's keywords, selector words,
/// operators and brackets, and signs outside ASCII a selector may hold.
const VIEW_INSERTIONS: &[&str] = &[
    "view",
    "include",
    "exclude",
    "group",
    "by",
    "layout",
    "group by ",
    "include ",
    "\ninclude ",
    "(",
    ")",
    "*",
    "=",
    "!=",
    ">=",
    "<",
    "and",
    "not",
    "kind(x)",
    "\"a}b\"",
    "\"->\"",
    " -> ",
    "[a]",
    "tag(sở)",
    "sở",
    "“",
    "→",
    "\u{a0}",
    "\nview v \"V\" {",
    "\n  x \"X\"",
    "{}",
];

/// A byte range: start and end.
type Range = (usize, usize);

/// The byte ranges of the selectors of `text`, in order: kientruc's (`include`, `exclude` and
/// their targets, as its parser cut them) and tree-sitter's (`selector` nodes, without the
/// trailing whitespace outside ASCII that kientruc trims and the node keeps, as no other token
/// may take a no-break space).
fn selector_ranges(parser: &mut tree_sitter::Parser, text: &str) -> (Vec<Range>, Vec<Range>) {
    use kientruc_dsl::syntax::{Declaration, ViewItem};
    let parse = kientruc_dsl::parse(kientruc_dsl::FileId(0), text);
    let mut kientruc = Vec::new();
    for declaration in &parse.tree.declarations {
        if let Declaration::View(view) = declaration {
            for item in &view.items {
                if let ViewItem::Statement(statement) = item {
                    for selector in std::iter::once(&statement.selector).chain(&statement.target) {
                        kientruc.push((selector.range.start as usize, selector.range.end as usize));
                    }
                }
            }
        }
    }
    let tree = parser.parse(text, None).expect("a tree");
    let mut tree_sitter = Vec::new();
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        if node.kind() == "selector" {
            let written = &text[node.start_byte()..node.end_byte()];
            tree_sitter.push((
                node.start_byte(),
                node.start_byte() + written.trim_end().len(),
            ));
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    (kientruc, tree_sitter)
}

#[test]
fn edited_views_parse_as_kientruc_parses_them() {
    let mut parser = common::parser();
    assert!(
        disagreement(&mut parser, VIEWS).is_none(),
        "the views sample parses as kientruc parses it"
    );
    assert!(
        common::kientruc_syntax_errors(VIEWS).is_empty(),
        "kientruc parses the views sample"
    );
    let (kientruc, tree_sitter) = selector_ranges(&mut parser, VIEWS);
    assert_eq!(kientruc.len(), 10, "the sample's selectors: {kientruc:?}");
    assert_eq!(tree_sitter, kientruc, "the selectors of the views sample");
    let insertions: Vec<&str> = INSERTIONS.iter().chain(VIEW_INSERTIONS).copied().collect();
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut random = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let (mut edits, mut mismatches) = (0, String::new());
    for _ in 0..6_000 {
        let mut edited = VIEWS.to_owned();
        for _ in 0..=random(3) {
            let mut at = random(edited.len() + 1);
            while !edited.is_char_boundary(at) {
                at -= 1;
            }
            if random(2) == 0 {
                edited.insert_str(at, insertions[random(insertions.len())]);
            } else {
                let mut end = (at + 1 + random(6)).min(edited.len());
                while !edited.is_char_boundary(end) {
                    end += 1;
                }
                edited.replace_range(at..end, "");
            }
        }
        edits += 1;
        let difference = disagreement(&mut parser, &edited).or_else(|| {
            // Both parse it, or both refuse it: where both parse it, they cut the same selectors.
            if !common::kientruc_syntax_errors(&edited).is_empty() {
                return None;
            }
            let (kientruc, tree_sitter) = selector_ranges(&mut parser, &edited);
            (kientruc != tree_sitter).then(|| {
                format!("kientruc's selectors are {kientruc:?}, tree-sitter's {tree_sitter:?}")
            })
        });
        if let Some(difference) = difference {
            if mismatches.lines().count() < 40 {
                let _ = writeln!(mismatches, "{edited:?}:\n  {difference}");
            }
        }
    }
    assert!(edits >= 6_000);
    assert!(
        mismatches.is_empty(),
        "edited views parse differently:\n{mismatches}"
    );
}
