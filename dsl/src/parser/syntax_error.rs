//! Syntax errors: a pest failure as a diagnostic that names what was found and what pest
//! expected, in words, with a hint for the usual mistakes.

use super::grammar::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::text::{FileId, TextRange};

fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::ident | Rule::path | Rule::element_id => "an identifier",
        Rule::string => "a string",
        Rule::date => "a date",
        Rule::integer => "an integer",
        Rule::list => "a list",
        Rule::arrow => "`->`",
        Rule::block => "`{`",
        Rule::via | Rule::kw_via => "`via`",
        Rule::kw_as => "`as`",
        Rule::kw_on => "`on`",
        Rule::kw_until => "`until`",
        Rule::kw_import => "`import`",
        Rule::kw_waive => "`waive`",
        Rule::kw_architecture => "`architecture`",
        Rule::EOI => "the end of the declaration",
        Rule::entry => "a property, an element or a relation",
        Rule::declaration_ident => "an element or a relation",
        Rule::architecture => "an architecture header",
        Rule::import => "an import",
        Rule::waiver => "a waiver",
        Rule::view => "a view",
        Rule::kw_view => "`view`",
        Rule::view_block => "the view's `{`",
        Rule::view_rule | Rule::kw_include | Rule::kw_exclude => "`include` or `exclude`",
        Rule::view_group | Rule::kw_group => "`group by`",
        Rule::kw_by => "`by`",
        Rule::selector => "a selector",
        _ => "something else",
    }
}

pub(super) fn syntax_error(
    file: FileId,
    chunk_start: usize,
    chunk_text: &str,
    error: &pest::error::Error<Rule>,
) -> Diagnostic {
    let position = match error.location {
        pest::error::InputLocation::Pos(position) => position,
        pest::error::InputLocation::Span((start, _)) => start,
    };
    let found = token_at(chunk_text, position);
    let mut expected: Vec<&str> = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().map(|rule| describe(*rule)).collect()
        }
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();
    let expectation = match expected.as_slice() {
        [] => String::new(),
        [one] => format!(", expected {one}"),
        [init @ .., last] => format!(", expected {} or {last}", init.join(", ")),
    };
    let found_text = if found.is_empty() {
        "end of input".to_owned()
    } else {
        format!("`{found}`")
    };
    let end = position + found.len();
    let mut diagnostic = Diagnostic::new(
        Code::SyntaxError,
        format!("unexpected {found_text}{expectation}"),
    )
    .at(
        file,
        TextRange::new(chunk_start + position, chunk_start + end),
        "unexpected here",
    );
    diagnostic.help = Some(syntax_help(chunk_text, position, &expected));
    diagnostic
}

fn syntax_help(chunk_text: &str, position: usize, expected: &[&str]) -> String {
    let before = chunk_text[..position].trim_end();
    let words: Vec<&str> = before.split_whitespace().collect();
    if let [word] = words.as_slice()
        && let Some(keyword) =
            crate::suggest::suggest(word, ["architecture", "import", "waive"].into_iter())
    {
        return format!("`{word}` is not a keyword; did you mean `{keyword}`?");
    }
    if expected.contains(&"a string") && words.len() == 2 && !before.contains('{') {
        return "an element is declared as `kind id \"Display name\" { ... }`; the display name is required".to_owned();
    }
    if expected.contains(&"an identifier")
        && words.len() == 1
        && chunk_text[position..].starts_with('"')
    {
        return "the element id is missing: write `kind id \"Display name\"`".to_owned();
    }
    if before.ends_with("->") {
        return "a relation needs a target after `->`: `uses -> target`".to_owned();
    }
    "declarations are `architecture`, `import`, `waive`, elements (`kind id \"Name\" { ... }`) and relations (`type source -> target`); see docs/language.md".to_owned()
}

fn token_at(text: &str, position: usize) -> &str {
    let rest = &text[position.min(text.len())..];
    let first = rest.chars().next();
    match first {
        None => "",
        Some(character) if character.is_alphanumeric() || character == '_' => {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
                .unwrap_or(rest.len());
            &rest[..end]
        }
        Some('"') => {
            let end = rest[1..].find('"').map_or(rest.len(), |index| index + 2);
            let end = rest[..end].find('\n').unwrap_or(end);
            &rest[..end]
        }
        Some(character) => &rest[..character.len_utf8()],
    }
}
