//! Dates in the words of each language: `31/12/2024` in Vietnamese texts, `31 December 2024` in
//! English ones (ISO dates stay in machine formats).

use kientruc_dsl::metamodel::Language;
use kientruc_dsl::syntax::Date;

/// `dd/mm/yyyy`, the date form of Vietnamese texts.
pub fn date_vi(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day, date.month, date.year)
}

/// `29 December 2023`.
pub fn date_en(date: Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!(
        "{} {} {}",
        date.day,
        MONTHS[usize::from(date.month.clamp(1, 12)) - 1],
        date.year
    )
}

/// A date in the language's form.
pub fn date_in(date: Date, language: Language) -> String {
    match language {
        Language::Vi => date_vi(date),
        Language::En => date_en(date),
    }
}
