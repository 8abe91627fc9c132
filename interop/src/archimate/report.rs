//! What an import did, type by type: the rows of the table `kientruc import archimate` prints
//! (how many concepts of each `ArchiMate` type were mapped, generalised or dropped, and as what).

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What became of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Imported as its own counterpart.
    Mapped,
    /// Imported as a more general kind or relation type; the type is kept.
    Generalised,
    /// Not imported (the reason is in the row).
    Dropped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Mapped => "mapped",
            Outcome::Generalised => "generalised",
            Outcome::Dropped => "dropped",
        }
    }
}

/// One line of the report: how many concepts of an `ArchiMate` type became what.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    /// `element`, `relationship` or `view`.
    pub category: &'static str,
    pub archimate: String,
    /// The kind or relation type (or why it was dropped).
    pub kientruc: String,
    pub outcome: Outcome,
    pub count: usize,
}

/// What the import did, type by type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// Sorted by category, type and result.
    pub rows: Vec<Row>,
}

impl ImportReport {
    /// Totals: (mapped, generalised, dropped).
    pub fn totals(&self) -> (usize, usize, usize) {
        let sum = |outcome| {
            self.rows
                .iter()
                .filter(|row| row.outcome == outcome)
                .map(|row| row.count)
                .sum()
        };
        (
            sum(Outcome::Mapped),
            sum(Outcome::Generalised),
            sum(Outcome::Dropped),
        )
    }

    /// The report as a plain-text table, one row per type, then the totals.
    pub fn table(&self) -> String {
        let mut lines = vec![(
            "ArchiMate".to_owned(),
            "kientruc".to_owned(),
            "count".to_owned(),
            "result".to_owned(),
        )];
        for row in &self.rows {
            lines.push((
                format!("{} {}", row.category, row.archimate),
                row.kientruc.clone(),
                row.count.to_string(),
                row.outcome.as_str().to_owned(),
            ));
        }
        let width = |pick: fn(&(String, String, String, String)) -> &String| {
            lines
                .iter()
                .map(|line| pick(line).chars().count())
                .max()
                .unwrap_or(0)
        };
        let (first, second, third) = (
            width(|line| &line.0),
            width(|line| &line.1),
            width(|line| &line.2),
        );
        let mut out = String::new();
        for (a, b, c, d) in &lines {
            let line = format!("{a:first$}  {b:second$}  {c:>third$}  {d}");
            out.push_str(line.trim_end());
            out.push('\n');
        }
        let (mapped, generalised, dropped) = self.totals();
        let _ = writeln!(
            out,
            "{mapped} mapped, {generalised} generalised, {dropped} dropped"
        );
        out
    }
}

/// Counts rows while importing.
#[derive(Default)]
pub(super) struct Tally {
    rows: BTreeMap<(&'static str, String, String, Outcome), usize>,
}

impl Tally {
    pub(super) fn add(
        &mut self,
        category: &'static str,
        archimate: &str,
        kientruc: &str,
        outcome: Outcome,
    ) {
        *self
            .rows
            .entry((category, archimate.to_owned(), kientruc.to_owned(), outcome))
            .or_default() += 1;
    }

    pub(super) fn add_many(
        &mut self,
        category: &'static str,
        archimate: &str,
        kientruc: &str,
        outcome: Outcome,
        count: usize,
    ) {
        if count > 0 {
            *self
                .rows
                .entry((category, archimate.to_owned(), kientruc.to_owned(), outcome))
                .or_default() += count;
        }
    }

    pub(super) fn report(self) -> ImportReport {
        ImportReport {
            rows: self
                .rows
                .into_iter()
                .map(|((category, archimate, kientruc, outcome), count)| Row {
                    category,
                    archimate,
                    kientruc,
                    outcome,
                    count,
                })
                .collect(),
        }
    }
}
