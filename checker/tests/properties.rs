//! Property tests of the checker on generated workspaces (`generate::generate`): the findings
//! (rule, element, fingerprint) do not depend on the order the files are given in, nor on the
//! number of rayon threads; fingerprints survive reformatting every file and moving
//! declarations between files.

mod support;

use kientruc_checker::generate::generate;
use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::format::format_text;
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::MemoryProvider;
use proptest::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// (rule, element, fingerprint) of every finding, in the checker's output order.
type Key = (String, Option<String>, String);

fn check(files: &[(String, String)]) -> (Checked, Vec<Key>) {
    let root = Path::new("/ws");
    let mut provider = MemoryProvider::default();
    let mut entries: Vec<PathBuf> = Vec::new();
    for (name, text) in files {
        provider.insert(root.join(name), text.clone().into_bytes());
        entries.push(root.join(name));
    }
    let options = CheckOptions::on(Date::new(2025, 6, 1).unwrap());
    let checked = analyze_and_check(
        root,
        &entries,
        &provider,
        support::vn_egov_registry(),
        options,
    );
    let keys = checked
        .findings
        .iter()
        .map(|finding| {
            (
                finding.rule.clone(),
                finding.element.clone(),
                finding.fingerprint.clone(),
            )
        })
        .collect();
    (checked, keys)
}

fn sorted(mut keys: Vec<Key>) -> Vec<Key> {
    keys.sort();
    keys
}

/// `SplitMix64` for shuffles driven by a proptest seed.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn shuffle<T>(items: &mut [T], state: &mut u64) {
    for index in (1..items.len()).rev() {
        let other = (next(state) % (index as u64 + 1)) as usize;
        items.swap(index, other);
    }
}

/// Splits a file into its top-level chunks (declarations and comments, separated by blank lines,
/// braces balanced).
fn chunks(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for piece in text.split("\n\n") {
        if !current.is_empty() {
            current.push_str("\n\n");
        }
        current.push_str(piece);
        let opens = current.matches('{').count();
        let closes = current.matches('}').count();
        if opens == closes {
            if !current.trim().is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

fn workspace() -> impl Strategy<Value = (usize, u64, u64)> {
    (200usize..1500, any::<u64>(), any::<u64>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn findings_do_not_depend_on_file_order((elements, seed, shuffle_seed) in workspace()) {
        let generated = generate(elements, seed);
        let (checked, expected) = check(&generated.files);
        prop_assert_eq!(checked.analysis.error_count(), 0, "{:?}", checked.analysis.diagnostics);
        prop_assert!(!expected.is_empty());
        let mut files = generated.files.clone();
        let mut state = shuffle_seed;
        shuffle(&mut files, &mut state);
        let (_, shuffled) = check(&files);
        prop_assert_eq!(&shuffled, &expected);
    }

    #[test]
    fn findings_do_not_depend_on_the_number_of_threads((elements, seed, _) in workspace()) {
        let generated = generate(elements, seed);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| check(&generated.files).1)
        };
        let one = run(1);
        prop_assert!(!one.is_empty());
        prop_assert_eq!(&run(2), &one);
        prop_assert_eq!(&run(4), &one);
    }

    #[test]
    fn fingerprints_survive_reformatting((elements, seed, layout_seed) in workspace()) {
        let generated = generate(elements, seed);
        let (_, expected) = check(&generated.files);
        // Reformat a file whose layout was scrambled (indentation and blank lines), so the
        // formatter really moves every declaration.
        let mut state = layout_seed;
        let mut files = Vec::new();
        for (name, text) in &generated.files {
            let mut scrambled = String::with_capacity(text.len() * 2);
            for line in text.lines() {
                let indent = " ".repeat((next(&mut state) % 5) as usize);
                let blank = if next(&mut state) % 4 == 0 { "\n" } else { "" };
                let _ = writeln!(scrambled, "{indent}{}{blank}", line.trim_start());
            }
            let formatted = format_text(&scrambled);
            prop_assert!(formatted.is_some(), "{} does not format", name);
            files.push((name.clone(), formatted.unwrap()));
        }
        prop_assert_ne!(&files, &generated.files);
        let (_, reformatted) = check(&files);
        prop_assert_eq!(sorted(reformatted), sorted(expected));
    }

    #[test]
    fn fingerprints_survive_moving_declarations_between_files((elements, seed, move_seed) in workspace()) {
        let generated = generate(elements, seed);
        let (_, expected) = check(&generated.files);
        // Keep the header file; deal every other declaration at random into 1–5 new files.
        let mut state = move_seed;
        let mut declarations: Vec<String> = generated.files[1..]
            .iter()
            .flat_map(|(_, text)| chunks(text))
            .collect();
        shuffle(&mut declarations, &mut state);
        let count = 1 + (next(&mut state) % 5) as usize;
        let mut files = vec![generated.files[0].clone()];
        for index in 0..count {
            files.push((format!("moved/part{index}.ea"), String::new()));
        }
        for declaration in declarations {
            let target = 1 + (next(&mut state) % count as u64) as usize;
            files[target].1.push_str(&declaration);
            files[target].1.push_str("\n\n");
        }
        let (checked, moved) = check(&files);
        prop_assert_eq!(checked.analysis.error_count(), 0, "{:?}", checked.analysis.diagnostics);
        prop_assert_eq!(sorted(moved), sorted(expected));
    }
}
