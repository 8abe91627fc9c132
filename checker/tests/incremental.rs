//! The differential test of incremental rules (`kientruc_checker::incremental`): over seeded
//! random edit sequences on a generated workspace and on Hanoi's model (property values
//! changed, lines deleted and duplicated, relations added, ids renamed, syntax broken, waivers
//! added, blank lines and comments inserted, files restored), the analysis that keeps its parse,
//! resolve, rule-pack and rule caches from edit to edit, as the language server does, gives
//! exactly the findings, outcomes and diagnostics of a fresh full analysis after every edit.

mod support;

use kientruc_checker::generate::generate;
use kientruc_checker::incremental::RuleCache;
use kientruc_checker::rules::RulePackCache;
use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{MemoryProvider, ParseCache, SourceProvider};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files in memory, read through a parse cache kept between analyses (the language server's
/// `OverlayProvider` does the same over its buffers).
struct CachedProvider<'a> {
    files: &'a MemoryProvider,
    cache: &'a ParseCache,
}

impl SourceProvider for CachedProvider<'_> {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.files.read(path)
    }
    fn display_name(&self, path: &Path) -> String {
        self.files.display_name(path)
    }
    fn parse_cache(&self) -> Option<&ParseCache> {
        Some(self.cache)
    }
}

/// The caches an editor session keeps from one analysis to the next.
#[derive(Default)]
struct Session {
    parse: ParseCache,
    pack: Arc<RulePackCache>,
    rules: Arc<RuleCache>,
}

fn today() -> Date {
    Date::new(2025, 6, 1).unwrap()
}

fn analyse(files: &BTreeMap<PathBuf, String>, session: Option<&Session>) -> Checked {
    let root = Path::new("/ws");
    let mut provider = MemoryProvider::default();
    for (path, text) in files {
        provider.insert(path.clone(), text.clone().into_bytes());
    }
    let entries: Vec<PathBuf> = files.keys().cloned().collect();
    let mut options = CheckOptions::on(today());
    match session {
        Some(session) => {
            options.pack_cache = Some(session.pack.clone());
            options.rule_cache = Some(session.rules.clone());
            let provider = CachedProvider {
                files: &provider,
                cache: &session.parse,
            };
            analyze_and_check(
                root,
                &entries,
                &provider,
                support::vn_egov_registry(),
                options,
            )
        }
        None => analyze_and_check(
            root,
            &entries,
            &provider,
            support::vn_egov_registry(),
            options,
        ),
    }
}

/// A small xorshift generator: the same edits on every run and platform.
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
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The ids declared in a text (`kind id "name" {` at the start of a line).
fn declared_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.starts_with([' ', '/']) && line.ends_with('{'))
        .filter_map(|line| line.split_whitespace().nth(1))
        .filter(|id| {
            id.bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
        })
        .map(str::to_owned)
        .collect()
}

const VALUES: &[&str] = &[
    "operational",
    "planned",
    "retiring",
    "1",
    "3",
    "4",
    "true",
    "false",
    "\"VN\"",
    "national",
    "provincial_shared",
    "state_secret",
    "personal",
    "lgsp",
    "ndxp",
    "2",
    "5",
    "ministry",
    "province",
    "missing_1",
    "missing_2",
    "missing_3",
];

const RELATIONS: &[&str] = &[
    "exchanges_with",
    "reads",
    "writes",
    "integrates_with",
    "hosted_in",
    "uses",
    "depends_on",
    "monitored_by",
    "secured_by",
];

/// One random edit of `text`; returns what it did (for the failure message).
fn edit(random: &mut Random, text: &str, original: &str, step: usize) -> (String, String) {
    let lines: Vec<&str> = text.lines().collect();
    let line = random.below(lines.len());
    let ids = declared_ids(text);
    let mut out: Vec<String> = lines.iter().map(|line| (*line).to_owned()).collect();
    let what = match random.below(16) {
        // A property's value changes.
        0 | 1 => {
            let candidates: Vec<usize> = (0..lines.len())
                .filter(|index| {
                    lines[*index].starts_with("  ") && lines[*index].split_whitespace().count() == 2
                })
                .collect();
            let Some(&index) = candidates.get(random.below(candidates.len())) else {
                return (text.to_owned(), "nothing".to_owned());
            };
            let mut words = lines[index].split_whitespace();
            let property = words.next().unwrap().to_owned();
            let current = words.next().unwrap().to_owned();
            // Half the time a value of the same length: the content changes, no position moves.
            let same_length: Vec<String> = VALUES
                .iter()
                .map(|value| (*value).to_owned())
                .chain(ids.iter().cloned())
                .filter(|value| value.len() == current.len() && *value != current)
                .collect();
            let value = if random.below(2) == 0 && !same_length.is_empty() {
                random.pick(&same_length).clone()
            } else if random.below(3) == 0 && !ids.is_empty() {
                random.pick(&ids).clone()
            } else {
                (*random.pick(VALUES)).to_owned()
            };
            out[index] = format!("  {property} {value}");
            format!("line {index}: `{property} {value}`")
        }
        // A line disappears.
        2 => {
            out.remove(line);
            format!("deleted line {line}")
        }
        // A line is repeated.
        3 => {
            out.insert(line, lines[line].to_owned());
            format!("repeated line {line}")
        }
        // A relation is added in an element's body.
        4 => {
            let Some(target) = (!ids.is_empty()).then(|| random.pick(&ids).clone()) else {
                return (text.to_owned(), "nothing".to_owned());
            };
            let relation = random.pick(RELATIONS);
            let at = (0..lines.len())
                .filter(|index| lines[*index].starts_with("  "))
                .nth(random.below(lines.len()) % 40)
                .unwrap_or(line);
            out.insert(at, format!("  {relation} -> {target}"));
            format!("line {at}: `{relation} -> {target}`")
        }
        // An id is renamed where it is declared, or everywhere.
        5 => {
            let Some(id) = (!ids.is_empty()).then(|| random.pick(&ids).clone()) else {
                return (text.to_owned(), "nothing".to_owned());
            };
            // Half the time a name of the same length: no position moves.
            let new = if random.below(2) == 0 {
                format!("{}{}", &id[..id.len() - 1], ["x", "y", "z"][step % 3])
            } else {
                format!("{id}_r{step}")
            };
            let everywhere = random.below(2) == 0;
            let renamed = if everywhere {
                text.split(&*id).collect::<Vec<_>>().join(&new)
            } else {
                text.replacen(&format!(" {id} \""), &format!(" {new} \""), 1)
            };
            return (
                renamed,
                format!("renamed {id} to {new} (everywhere: {everywhere})"),
            );
        }
        // The syntax breaks.
        6 => {
            let broken = random.pick(&["{", "}", "\"", "-> ->", "@@"]);
            let at = random.below(text.len());
            let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap();
            let mut broken_text = text.to_owned();
            broken_text.insert_str(at, broken);
            return (broken_text, format!("inserted `{broken}` at byte {at}"));
        }
        // A waiver is added.
        7 => {
            let Some(id) = (!ids.is_empty()).then(|| random.pick(&ids).clone()) else {
                return (text.to_owned(), "nothing".to_owned());
            };
            let rule = random.pick(&["SEC-001", "INT-003", "DAT-006", "APP-001", "NOPE-1"]);
            let until = random.pick(&["2099-12-31", "2020-01-01"]);
            out.push(format!("waive {rule} on {id} until {until} \"lý do\""));
            format!("waived {rule} on {id} until {until}")
        }
        // Positions move, nothing else: blank lines and comments, between or inside
        // declarations.
        8..=10 => {
            let inserted = random.pick(&["", "// một ghi chú", "   ", "/// tài liệu"]);
            out.insert(line, (*inserted).to_owned());
            format!("inserted `{inserted}` at line {line}")
        }
        // A comment changes, its length kept (inside a declaration: positions do not move).
        11 | 12 => {
            let comments: Vec<usize> = (0..lines.len())
                .filter(|index| lines[*index].contains("//"))
                .collect();
            let Some(&index) = comments.get(random.below(comments.len())) else {
                return (text.to_owned(), "nothing".to_owned());
            };
            let at = lines[index].find("//").unwrap() + 2;
            let letter = random.pick(&["a", "z", "q"]);
            out[index] = format!(
                "{}{}",
                &lines[index][..at],
                letter.repeat(lines[index][at..].len())
            );
            format!("rewrote the comment on line {index}")
        }
        // A value changes to one of the same length: the content changes, no position moves.
        14 => {
            let alternatives = |value: &str| -> Vec<String> {
                VALUES
                    .iter()
                    .map(|value| (*value).to_owned())
                    .chain(ids.iter().cloned())
                    .filter(|other| other.len() == value.len() && other != value)
                    .collect()
            };
            let candidates: Vec<(usize, Vec<String>)> = (0..lines.len())
                .filter(|index| lines[*index].starts_with("  "))
                .filter_map(|index| {
                    let value = lines[index].split_whitespace().last()?;
                    let found = alternatives(value);
                    (!found.is_empty()).then_some((index, found))
                })
                .collect();
            let Some((index, found)) = candidates.get(random.below(candidates.len())) else {
                return (text.to_owned(), "nothing".to_owned());
            };
            let value = random.pick(found);
            let line = lines[*index];
            let at = line.rfind(' ').unwrap() + 1;
            out[*index] = format!("{}{value}", &line[..at]);
            format!("line {index}: `{}`", out[*index].trim())
        }
        // Back to the generated text.
        _ => return (original.to_owned(), "restored".to_owned()),
    };
    let mut joined = out.join("\n");
    joined.push('\n');
    (joined, what)
}

fn compare(incremental: &Checked, full: &Checked, history: &[String]) {
    let context = || history.join("\n");
    assert_eq!(
        incremental.analysis.diagnostics,
        full.analysis.diagnostics,
        "diagnostics differ after:\n{}",
        context()
    );
    assert_eq!(
        incremental.findings,
        full.findings,
        "findings differ after:\n{}",
        context()
    );
    assert_eq!(
        incremental.outcomes(),
        full.outcomes(),
        "outcomes differ after:\n{}",
        context()
    );
    assert_eq!(incremental.ran, full.ran);
}

/// Whether the analysis took the last run's findings over (it built no graph).
fn reused(checked: &Checked) -> bool {
    let stages: Vec<&str> = checked
        .analysis
        .timings
        .iter()
        .map(|(stage, _)| *stage)
        .collect();
    stages.contains(&"rule inputs") && !stages.contains(&"graph")
}

/// What the incremental analysis of each edit did with the rules.
#[derive(Debug, Default)]
struct Counts {
    /// Every rule kept its findings (no graph was built).
    kept: usize,
    /// Some rules were evaluated again, not all: only properties changed, and the other rules
    /// read none of them.
    some: usize,
    edits: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, sequence: Counts) {
        self.kept += sequence.kept;
        self.some += sequence.some;
        self.edits += sequence.edits;
    }
}

fn run_sequence(seed: u64, edits: usize) -> Counts {
    let generated = generate(150, seed);
    let files: BTreeMap<PathBuf, String> = generated
        .files
        .iter()
        .map(|(name, text)| (Path::new("/ws").join(name), text.clone()))
        .collect();
    run_sequence_on(files, seed, edits)
}

/// `edits` random edits of `files`, each analysed with the session's caches and compared with
/// a full analysis.
fn run_sequence_on(mut files: BTreeMap<PathBuf, String>, seed: u64, edits: usize) -> Counts {
    let originals = files.clone();
    let paths: Vec<PathBuf> = files.keys().cloned().collect();
    let session = Session::default();
    let mut random = Random(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut history = Vec::new();
    let mut counts = Counts {
        edits,
        ..Counts::default()
    };
    let first = analyse(&files, Some(&session));
    compare(&first, &analyse(&files, None), &history);
    let every_rule = session.rules.evaluated_last();
    assert!(every_rule > 50, "the first run evaluates every rule");
    for step in 0..edits {
        let path = random.pick(&paths).clone();
        let (text, what) = edit(&mut random, &files[&path], &originals[&path], step);
        history.push(format!("{step}: {}: {what}", path.display()));
        files.insert(path, text);
        let incremental = analyse(&files, Some(&session));
        let full = analyse(&files, None);
        compare(&incremental, &full, &history);
        let evaluated = session.rules.evaluated_last();
        if reused(&incremental) {
            assert_eq!(evaluated, 0, "no graph, no rule evaluated");
            counts.kept += 1;
        } else if evaluated < every_rule {
            counts.some += 1;
        }
    }
    counts
}

#[test]
fn incremental_rules_equal_a_full_run_after_every_edit() {
    let mut counts = Counts::default();
    for seed in [1, 2, 3] {
        counts += run_sequence(seed, 100);
    }
    eprintln!("{counts:?}");
    // The test must exercise every way: all findings kept, some rules evaluated again, every
    // rule evaluated again.
    assert!(
        counts.kept > counts.edits / 10,
        "too few edits kept every finding: {counts:?}"
    );
    assert!(
        counts.some > counts.edits / 20,
        "too few edits evaluated only some rules: {counts:?}"
    );
    assert!(
        counts.kept + counts.some < counts.edits,
        "no edit evaluated every rule: {counts:?}"
    );
}

/// The same on Hanoi's model, written by hand (the repository's `architecture/hanoi`, its model
/// files without the city's rule overlay): other kinds, nesting, documentation comments, lists
/// and waivers than the generator writes.
#[test]
fn incremental_rules_equal_a_full_run_on_hanoi() {
    let hanoi = Path::new(env!("CARGO_MANIFEST_DIR")).join("../architecture/hanoi");
    let files: BTreeMap<PathBuf, String> = support::files_under(&hanoi, &["ea"])
        .into_iter()
        .filter(|(name, _)| !name.contains('/'))
        .map(|(name, text)| (Path::new("/ws").join(name), text.to_string()))
        .collect();
    assert!(files.len() >= 10, "Hanoi's model files");
    let mut counts = Counts::default();
    for seed in [1, 2] {
        counts += run_sequence_on(files.clone(), seed, 100);
    }
    eprintln!("{counts:?}");
    assert!(
        counts.some > counts.edits / 20,
        "too few edits evaluated only some rules: {counts:?}"
    );
}

/// The findings of rule `rule` on `element`.
fn findings_on<'c>(checked: &'c Checked, rule: &str, element: &str) -> Vec<&'c str> {
    checked
        .findings
        .iter()
        .filter(|finding| finding.rule == rule && finding.element.as_deref() == Some(element))
        .map(|finding| finding.message.en.as_str())
        .collect()
}

/// Edits that change one value each: the rules reading that property run again (through a
/// selector, through the graph's links, or as the property checked), the others keep their
/// findings, and the result is a full run's every time.
#[test]
fn a_value_edit_evaluates_again_the_rules_that_read_the_property() {
    let generated = generate(150, 1);
    let mut files: BTreeMap<PathBuf, String> = generated
        .files
        .iter()
        .map(|(name, text)| (Path::new("/ws").join(name), text.clone()))
        .collect();
    let province = Path::new("/ws/tinh/t0000.ea").to_path_buf();
    let session = Session::default();
    let first = analyse(&files, Some(&session));
    compare(&first, &analyse(&files, None), &[]);
    let every_rule = session.rules.evaluated_last();
    // INF-001-TYPE: a system may not be hosted in a data centre that is neither the state's nor
    // certified. The province's data centre is the state's: no finding on the LGSP it hosts.
    assert!(findings_on(&first, "INF-001-TYPE", "t0000_lgsp").is_empty());

    let mut step = |from: &str, to: &str, history: &mut Vec<String>| {
        let text = files[&province].replacen(from, to, 1);
        assert_ne!(text, files[&province], "`{from}` is in the generated file");
        files.insert(province.clone(), text);
        history.push(format!("`{from}` → `{to}`"));
        let incremental = analyse(&files, Some(&session));
        compare(&incremental, &analyse(&files, None), history);
        (incremental, session.rules.evaluated_last())
    };
    let mut history = Vec::new();

    // The LGSP moves to the national data centre: nothing to find yet.
    let lgsp_hosting = "  hosted_in t0000_ttdl\n  status operational\n  arm_code";
    let lgsp_moved = "  hosted_in national.ndc\n  status operational\n  arm_code";
    let (checked, _) = step(lgsp_hosting, lgsp_moved, &mut history);
    assert!(findings_on(&checked, "INF-001-TYPE", "t0000_lgsp").is_empty());

    // The province's data centre becomes a commercial one: INF-001-TYPE reads
    // `data_centre_type` through its target selector, and finds the systems hosted there, not
    // the LGSP.
    let (checked, evaluated) = step(
        "data_centre_type provincial_state",
        "data_centre_type commercial",
        &mut history,
    );
    assert_eq!(findings_on(&checked, "INF-001-TYPE", "t0000_tthc").len(), 1);
    assert!(findings_on(&checked, "INF-001-TYPE", "t0000_lgsp").is_empty());
    assert!(
        0 < evaluated && evaluated < every_rule,
        "{evaluated} of {every_rule} rules evaluated"
    );

    // The LGSP moves back: `hosted_in` is a link the rule follows, so the rule runs again (it had
    // no finding in the edited text) and finds the LGSP too.
    let (checked, evaluated) = step(lgsp_moved, lgsp_hosting, &mut history);
    assert_eq!(findings_on(&checked, "INF-001-TYPE", "t0000_lgsp").len(), 1);
    assert!(0 < evaluated && evaluated < every_rule);

    // The LGSP's ARM code goes: only the rules that read `arm_code` run again, and APP-001
    // reports it missing.
    let (checked, evaluated) = step("  arm_code \"ARM.02\"\n", "", &mut history);
    assert_eq!(findings_on(&checked, "APP-001", "t0000_lgsp").len(), 1);
    assert!(
        0 < evaluated && evaluated <= 3,
        "{evaluated} rules read `arm_code`"
    );
}
