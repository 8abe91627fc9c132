//! The fuzz targets on the stable toolchain (libFuzzer itself needs nightly, see
//! `fuzz/README.md`): every file of the committed seed corpus and of the crash regressions
//! (`fuzz/corpus/<target>/`, `fuzz/regressions/<target>/`) is replayed through the same target
//! functions the libFuzzer binaries call (`fuzz/src/lib.rs`), then random inputs and mutations
//! of corpus files are thrown at them. A target panics on any broken invariant.

#[path = "../../fuzz/src/lib.rs"]
mod targets;

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use targets::{Fixture, TARGETS};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

fn files_of(folder: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_file())
        .map(|entry| (entry.path(), std::fs::read(entry.path()).unwrap()))
        .collect();
    files.sort();
    files
}

fn target(name: &str) -> fn(&Fixture, &[u8]) {
    TARGETS
        .iter()
        .find(|(target, _)| *target == name)
        .unwrap()
        .1
}

/// Runs one input, reporting the file and the panic message instead of aborting the test.
fn run(name: &str, label: &str, data: &[u8]) -> Option<String> {
    let function = target(name);
    let fixture = targets::pack();
    std::panic::catch_unwind(|| function(fixture, data))
        .err()
        .map(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            format!(
                "{name} {label}: {}",
                message.chars().take(2000).collect::<String>()
            )
        })
}

#[test]
fn seed_corpus_and_regressions_replay_without_a_crash() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, _) in TARGETS {
        let corpus = files_of(&fuzz_dir().join("corpus").join(name));
        assert!(!corpus.is_empty(), "fuzz/corpus/{name} is empty");
        let regressions = files_of(&fuzz_dir().join("regressions").join(name));
        for (path, data) in corpus.iter().chain(&regressions) {
            count += 1;
            failures.extend(run(name, &path.display().to_string(), data));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} inputs crashed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Small corpus files to mutate (large ones make each case slow in a debug build).
fn seeds(name: &str) -> Vec<Vec<u8>> {
    files_of(&fuzz_dir().join("corpus").join(name))
        .into_iter()
        .map(|(_, data)| data)
        .filter(|data| data.len() <= 6_000)
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Overwrite a byte.
    Set(usize, u8),
    /// Insert bytes.
    Insert(usize, Vec<u8>),
    /// Delete a range.
    Delete(usize, usize),
    /// Duplicate a range somewhere else.
    Copy(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = prop_oneof![
        Just(b"{".to_vec()),
        Just(b"}".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"[".to_vec()),
        Just(b"]".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\\".to_vec()),
        Just(b"->".to_vec()),
        Just(b" via ".to_vec()),
        Just(b"//".to_vec()),
        Just(b"/*".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\t".to_vec()),
        Just("ệ".as_bytes().to_vec()),
        Just("😀".as_bytes().to_vec()),
        Just(vec![0xff]),
        Just(vec![0]),
        Just(b"import \"../x.ea\" as x\n".to_vec()),
        Just(b"\n//@file lib/a.ea\n".to_vec()),
        Just(b" and not (".to_vec()),
        Just(b" = ".to_vec()),
        Just(b"99999999999999999999".to_vec()),
        Just(b"2024-02-30".to_vec()),
        prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set(at, byte)),
        (any::<usize>(), interesting).prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<usize>(), 0usize..64).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), 0usize..64, any::<usize>()).prop_map(|(a, l, b)| Mutation::Copy(a, l, b)),
    ]
}

fn apply(mut data: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        let len = data.len();
        match mutation {
            Mutation::Set(at, byte) if len > 0 => data[at % len] = *byte,
            Mutation::Set(..) => data.push(0),
            Mutation::Insert(at, bytes) => {
                let at = at % (len + 1);
                data.splice(at..at, bytes.iter().copied());
            }
            Mutation::Delete(at, count) => {
                let at = at % (len + 1);
                data.drain(at..(at + count).min(len));
            }
            Mutation::Copy(from, count, to) => {
                let from = from % (len + 1);
                let piece: Vec<u8> = data[from..(from + count).min(len)].to_vec();
                let to = to % (len + 1);
                data.splice(to..to, piece);
            }
        }
    }
    data
}

fn mutated(name: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let seeds = seeds(name);
    assert!(!seeds.is_empty(), "no small seeds for {name}");
    (0..seeds.len(), prop::collection::vec(mutation(), 1..12))
        .prop_map(move |(index, mutations)| apply(seeds[index].clone(), &mutations))
}

fn random_text() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        "[ -~\n\t{}\\[\\]\"ệđ😀]{0,400}".prop_map(String::into_bytes),
        "(architecture|import|agency|system|waive|via|->|\\{|\\}|\\[|\\]|\"|,|=|:|\n| |x|1|2024-01-01|framework|\"vn-egov-3.0\"|//|/\\*|\\*/){0,80}"
            .prop_map(String::into_bytes),
    ]
}

fn check(name: &str, data: &[u8]) -> Result<(), TestCaseError> {
    match run(name, "random input", data) {
        None => Ok(()),
        Some(failure) => Err(TestCaseError::fail(format!(
            "{failure}\ninput: {:?}",
            String::from_utf8_lossy(data)
        ))),
    }
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn parse_and_resolve_never_panic_on_mutated_models(data in mutated("parse")) {
        check("parse", &data)?;
    }

    #[test]
    fn formatter_round_trips_mutated_models(data in mutated("format_roundtrip")) {
        check("format_roundtrip", &data)?;
    }

    #[test]
    fn random_text_through_parse_format_selector_and_loaders(data in random_text()) {
        for (name, _) in TARGETS {
            check(name, &data)?;
        }
    }

    #[test]
    fn selectors_never_panic(data in mutated("selector")) {
        check("selector", &data)?;
    }

    #[test]
    fn rule_pack_and_config_loaders_never_panic(data in mutated("rule_pack")) {
        check("rule_pack", &data)?;
    }
}
