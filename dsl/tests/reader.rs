//! The direct reader (dsl/src/reader.rs) must give exactly what pest and the lowering give: the
//! same declarations, or `None` from both (or `None` from the reader alone for a file with a view). Checked on every `.ea` file of the repository, the
//! fuzz corpora, and thousands of mutations of them that break them in every way the grammar
//! distinguishes.

use kientruc_dsl::parser::{direct_declarations, reference_declarations};
use std::path::{Path, PathBuf};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Files below `folder` (skipping build output) whose name passes `keep`.
fn files(folder: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if !matches!(
                path.file_name().and_then(|name| name.to_str()),
                Some("target" | ".git" | "artifacts")
            ) {
                files(&path, keep, out);
            }
        } else if keep(&path) {
            out.push(path);
        }
    }
}

fn models() -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    files(
        &repository(),
        &|path| path.extension().is_some_and(|extension| extension == "ea"),
        &mut paths,
    );
    paths
        .into_iter()
        .filter_map(|path| Some((path.clone(), std::fs::read_to_string(&path).ok()?)))
        .collect()
}

fn assert_same(label: &str, text: &str) -> bool {
    let direct = direct_declarations(text);
    let reference = reference_declarations(text);
    // The reader leaves a file that declares a view to pest (reader.rs).
    let has_view = reference.as_ref().is_some_and(|declarations| {
        declarations
            .iter()
            .any(|declaration| matches!(declaration, kientruc_dsl::syntax::Declaration::View(_)))
    });
    assert!(
        direct == reference || (direct.is_none() && has_view),
        "the direct reader and pest disagree on {label}:\n--- text\n{text}\n--- direct\n{direct:#?}\n--- pest\n{reference:#?}"
    );
    reference.is_some()
}

#[test]
fn the_reader_agrees_with_pest_on_every_model_and_fuzz_input() {
    let models = models();
    assert!(models.len() > 50, "found only {} models", models.len());
    let mut read = 0;
    for (path, text) in &models {
        if assert_same(&path.display().to_string(), text) {
            read += 1;
        }
    }
    // The repository's models parse cleanly, so the reader must have read (nearly) all of them;
    // the rest are test fixtures with planted syntax errors.
    let hanoi = models
        .iter()
        .filter(|(path, _)| path.starts_with(repository().join("architecture")))
        .count();
    assert!(
        hanoi > 5 && read >= hanoi,
        "read {read} of {} models",
        models.len()
    );

    let mut corpus = Vec::new();
    for target in ["parse", "format_roundtrip"] {
        files(
            &repository().join("fuzz/corpus").join(target),
            &|_| true,
            &mut corpus,
        );
    }
    assert!(!corpus.is_empty(), "no fuzz corpus found");
    for path in corpus {
        let bytes = std::fs::read(&path).expect("readable corpus file");
        assert_same(
            &path.display().to_string(),
            &String::from_utf8_lossy(&bytes),
        );
    }
}

/// Tokens that the grammar's choices turn on: every delimiter, keywords, the edge cases of
/// identifiers, numbers, dates and strings, and values the lowering rejects.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ".",
    "->",
    "-",
    ">",
    "\"",
    "\\",
    "\n",
    " ",
    "\t",
    "\r\n",
    "\u{b}",
    "\u{c}",
    "\u{FEFF}",
    "\u{a0}",
    "via",
    "as",
    "on",
    "until",
    "import",
    "waive",
    "architecture",
    "x",
    "a.b",
    "a-b",
    "a-",
    "_",
    "9",
    "12",
    "-3",
    "3.0",
    "2025-01-01",
    "2025-02-30",
    "2025-1-01",
    "99999999999999999999",
    "\"s\"",
    "\"\\q\"",
    "\"\\u{1EA1}\"",
    "\"\\u{110000}\"",
    "\"a\\\"b\"",
    "uses -> x",
    "// c\n",
    "/// d\n",
    "system s \"S\" { }",
    "[a, b,]",
    "[]",
    "é",
];

struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

fn boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One to three random edits: insert a token, delete a short run, or duplicate a short run.
fn mutate(text: &str, random: &mut Random) -> String {
    let mut text = text.to_owned();
    for _ in 0..=random.below(3) {
        let at = boundary(&text, random.below(text.len() + 1));
        match random.below(3) {
            0 => text.insert_str(at, TOKENS[random.below(TOKENS.len())]),
            1 => {
                let end = boundary(&text, (at + 1 + random.below(12)).min(text.len()));
                text.replace_range(at..end, "");
            }
            _ => {
                let end = boundary(&text, (at + 1 + random.below(24)).min(text.len()));
                let copy = text[at..end].to_owned();
                text.insert_str(end, &copy);
            }
        }
    }
    text
}

#[test]
fn the_reader_agrees_with_pest_on_mutated_models() {
    let models: Vec<String> = models()
        .into_iter()
        .map(|(_, text)| text)
        .filter(|text| text.len() < 20_000)
        .collect();
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let (mut read, mut tried) = (0, 0);
    for text in &models {
        for _ in 0..60 {
            let mutated = mutate(text, &mut random);
            tried += 1;
            if assert_same("a mutated model", &mutated) {
                read += 1;
            }
        }
    }
    // Both outcomes must be well represented, or the comparison proves little.
    assert!(
        read > tried / 10 && read < tried * 9 / 10,
        "{read} of {tried} mutations read"
    );
}

#[test]
fn the_reader_agrees_with_pest_on_token_soup() {
    let mut random = Random(0x2545_F491_4F6C_DD1D);
    for _ in 0..20_000 {
        let mut text = String::new();
        for _ in 0..random.below(24) {
            text.push_str(TOKENS[random.below(TOKENS.len())]);
            if random.below(2) == 0 {
                text.push(' ');
            }
        }
        assert_same("a token sequence", &text);
    }
}

/// A random model built from the grammar's own shapes: every kind of declaration, entry and
/// value, with optional parts present or not, random whitespace between tokens, and now and then
/// a token out of place.
struct Generator {
    random: Random,
    text: String,
}

impl Generator {
    fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
        choices[self.random.below(choices.len())]
    }

    fn gap(&mut self) {
        let gap = self.pick(&[
            " ",
            " ",
            " ",
            "\n  ",
            "\t",
            "\r\n",
            "\u{b}",
            "\u{c}",
            "\u{FEFF}",
            "",
            "  // note\n",
        ]);
        self.text.push_str(gap);
        if self.random.below(60) == 0 {
            let token = TOKENS[self.random.below(TOKENS.len())];
            self.text.push_str(token);
        }
    }

    fn token(&mut self, token: &str) {
        self.text.push_str(token);
        self.gap();
    }

    fn ident(&mut self) {
        let ident = self.pick(&[
            "x",
            "dvc_hn",
            "a-b",
            "a-",
            "_9",
            "Ab9",
            "via",
            "as",
            "on",
            "until",
            "uses",
            "system",
            "architecture",
            "import",
            "waive",
        ]);
        self.token(ident);
    }

    fn path(&mut self) {
        let path = self.pick(&["x", "n.y", "a.b.c", "a-b.c_d", "lgsp_hn"]);
        self.token(path);
    }

    fn string(&mut self) {
        let string = self.pick(&[
            "\"S\"",
            "\"\"",
            "\"Hệ thống\"",
            "\"a\\\"b\"",
            "\"\\u{1EA1}\"",
            "\"\\n\\t\"",
        ]);
        self.token(string);
    }

    fn value(&mut self, depth: usize) {
        match self.random.below(if depth > 2 { 4 } else { 5 }) {
            0 => self.string(),
            1 => {
                let date = self.pick(&["2025-01-01", "2024-02-29", "2025-12-31"]);
                self.token(date);
            }
            2 => {
                let integer = self.pick(&["0", "12", "-3", "007"]);
                self.token(integer);
            }
            3 => self.path(),
            _ => {
                self.token("[");
                let items = self.random.below(4);
                for index in 0..items {
                    if index > 0 {
                        self.token(",");
                    }
                    self.value(depth + 1);
                }
                if items > 0 && self.random.below(3) == 0 {
                    self.token(",");
                }
                self.token("]");
            }
        }
    }

    fn block(&mut self, depth: usize) {
        self.token("{");
        for _ in 0..self.random.below(5) {
            match self.random.below(if depth > 2 { 2 } else { 3 }) {
                0 => {
                    self.ident();
                    self.value(depth);
                }
                1 => {
                    self.ident();
                    self.relation_tail(depth);
                }
                _ => self.element(depth + 1),
            }
        }
        self.token("}");
    }

    fn element(&mut self, depth: usize) {
        self.ident();
        self.ident();
        self.string();
        if self.random.below(2) == 0 {
            self.block(depth);
        }
    }

    fn relation_tail(&mut self, depth: usize) {
        self.token("->");
        self.path();
        if self.random.below(2) == 0 {
            self.string();
        }
        if self.random.below(3) == 0 {
            self.token("via");
            self.path();
            for _ in 0..self.random.below(3) {
                self.token(",");
                self.path();
            }
        }
        if self.random.below(3) == 0 {
            self.block(depth + 1);
        }
    }

    fn declaration(&mut self) {
        match self.random.below(6) {
            0 => {
                self.token("architecture");
                self.ident();
                self.string();
                if self.random.below(2) == 0 {
                    self.block(0);
                }
            }
            1 => {
                self.token("import");
                self.string();
                if self.random.below(2) == 0 {
                    self.token("as");
                    self.ident();
                }
            }
            2 => {
                self.token("waive");
                self.ident();
                self.token("on");
                self.path();
                if self.random.below(2) == 0 {
                    self.token("until");
                    self.token("2026-06-30");
                }
                if self.random.below(2) == 0 {
                    self.string();
                }
            }
            3 => {
                self.ident();
                self.path();
                self.relation_tail(0);
            }
            _ => self.element(0),
        }
    }
}

#[test]
fn the_reader_agrees_with_pest_on_generated_models() {
    let mut generator = Generator {
        random: Random(0xD1B5_4A32_D192_ED03),
        text: String::new(),
    };
    let (mut read, mut tried) = (0, 0);
    for _ in 0..6_000 {
        generator.text.clear();
        generator.gap();
        for _ in 0..=generator.random.below(4) {
            generator.declaration();
        }
        let text = std::mem::take(&mut generator.text);
        tried += 1;
        if assert_same("a generated model", &text) {
            read += 1;
        }
        generator.text = text;
    }
    assert!(
        read > tried / 4 && read < tried * 19 / 20,
        "{read} of {tried} generated models read"
    );
}
