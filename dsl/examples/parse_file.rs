//! Parses one file repeatedly on one thread and prints MB/s (a profiling aid for the parser).
#![allow(clippy::print_stdout)]
// this program's output is its report
// Byte and round counts as f64 for a rate printed to one decimal: precision is not at stake.
#![allow(clippy::cast_precision_loss)]
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: parse_file FILE [ROUNDS]");
    let rounds: usize = std::env::args()
        .nth(2)
        .map_or(20, |r| r.parse().expect("rounds"));
    let text = std::fs::read_to_string(&path).expect("readable file");
    let start = Instant::now();
    let mut declarations = 0;
    for _ in 0..rounds {
        let parse = kientruc_dsl::parse(kientruc_dsl::FileId(0), &text);
        declarations += parse.tree.declarations.len();
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{} bytes x {rounds}: {:.1} ms per parse, {:.1} MB/s ({declarations} declarations)",
        text.len(),
        seconds * 1000.0 / rounds as f64,
        text.len() as f64 * rounds as f64 / seconds / 1e6
    );
}
