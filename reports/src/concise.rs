//! The concise format (`check --format concise`, ruff's `--output-format concise`): one line per
//! open problem, `FILE:LINE:COLUMN: SEVERITY[CODE] MESSAGE`, in the checker's order and nothing
//! else, for editors' quickfix lists (Vim's `errorformat`, Emacs' compilation mode) and `grep`.
//! A problem without a place (a workspace without `.ea` files) is `SEVERITY[CODE] MESSAGE`.
//! Every line is [`crate::escape::terminal`]: no model text can break a line, start a
//! workflow command or send an escape sequence.

use crate::Report;
use crate::escape::terminal;
use std::fmt::Write as _;

pub fn render(report: &Report<'_>) -> String {
    let files = report.files();
    let language = report.language();
    let mut out = String::new();
    for problem in report.problems.iter().filter(|problem| problem.is_open()) {
        if let Some(location) = problem.location(files) {
            let _ = write!(
                out,
                "{}:{}:{}: ",
                terminal(&location.file),
                location.line,
                location.column
            );
        }
        let _ = writeln!(
            out,
            "{}[{}] {}",
            problem.severity().as_str(),
            terminal(problem.code()),
            terminal(problem.message(language))
        );
    }
    out
}
