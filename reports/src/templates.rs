//! The tera templates of the HTML report and the Markdown summary: built into the binary
//! (`include_str!`), each overridable by a file of the same name (`kientruc report --templates
//! DIR`). Templates see the report view (see [`crate::view`]) and the fixed texts as `t`.
//!
//! Escaping: `report.html` is autoescaped with [`crate::escape::html`] (markup escaped, control
//! and bidirectional characters shown as `⟨U+XXXX⟩`), so every `{{ }}` of an HTML template is
//! covered, and the `escape` filter does the same; `report.md` escapes model text with the `md`
//! filter ([`crate::escape::markdown`]), identifiers and paths with the `code` filter (a code
//! span when they hold only plain characters).

use crate::ReportError;
use std::collections::BTreeMap;

/// `(file name, tera name, built-in text)`. The tera name decides autoescaping (`.html`).
pub const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "report.html.tera",
        "report.html",
        include_str!("../templates/report.html.tera"),
    ),
    (
        "report-body.html.tera",
        "report-body.html",
        include_str!("../templates/report-body.html.tera"),
    ),
    (
        "style.css.tera",
        "style.css",
        include_str!("../templates/style.css.tera"),
    ),
    (
        "report.md.tera",
        "report.md",
        include_str!("../templates/report.md.tera"),
    ),
    (
        "changes.html.tera",
        "changes.html",
        include_str!("../templates/changes.html.tera"),
    ),
    (
        "changes.md.tera",
        "changes.md",
        include_str!("../templates/changes.md.tera"),
    ),
];

/// Template overrides by file name (`report.html.tera`, …). A file that names no built-in
/// template is added too (a partial that an override includes).
#[derive(Debug, Clone, Default)]
pub struct Templates {
    overrides: BTreeMap<String, String>,
}

impl Templates {
    #[must_use]
    pub fn with_override(mut self, file_name: &str, text: String) -> Self {
        self.overrides.insert(file_name.to_owned(), text);
        self
    }

    pub fn insert(&mut self, file_name: &str, text: String) {
        self.overrides.insert(file_name.to_owned(), text);
    }

    /// Tera name → (file name, text) of every template in use.
    fn sources(&self) -> BTreeMap<String, (String, String)> {
        let mut sources: BTreeMap<String, (String, String)> = BUILTIN
            .iter()
            .map(|(file, name, text)| {
                let text = self
                    .overrides
                    .get(*file)
                    .cloned()
                    .unwrap_or_else(|| (*text).to_owned());
                ((*name).to_owned(), ((*file).to_owned(), text))
            })
            .collect();
        for (file, text) in &self.overrides {
            let name = file.strip_suffix(".tera").unwrap_or(file).to_owned();
            sources
                .entry(name)
                .or_insert_with(|| (file.clone(), text.clone()));
        }
        sources
    }

    /// Renders one template (by tera name, `report.html` or `report.md`).
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, ReportError> {
        self.with_engine(name, |engine| engine.render(name, context))
    }

    /// Renders one template to `out` as it goes: a large report is not held as one string too.
    pub fn render_to(
        &self,
        name: &str,
        context: &tera::Context,
        out: &mut dyn std::io::Write,
    ) -> Result<(), ReportError> {
        /// Keeps the writer's own error, which tera would turn into a template error (`write_all`
        /// and the other provided methods go through `write`).
        struct Keep<'w> {
            out: &'w mut dyn std::io::Write,
            error: Option<std::io::Error>,
        }
        impl std::io::Write for Keep<'_> {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.out.write(bytes).inspect_err(|error| {
                    self.error.get_or_insert_with(|| {
                        std::io::Error::new(error.kind(), error.to_string())
                    });
                })
            }
            fn flush(&mut self) -> std::io::Result<()> {
                self.out.flush()
            }
        }
        let mut keep = Keep { out, error: None };
        let result = self.with_engine(name, |engine| engine.render_to(name, context, &mut keep));
        match keep.error {
            Some(error) => Err(ReportError::Write(error)),
            None => result,
        }
    }

    /// Runs `render` on an engine holding every template in use, with the report's escaping,
    /// filters and confinement; its error names the failing template.
    fn with_engine<T>(
        &self,
        name: &str,
        render: impl FnOnce(&tera::Tera) -> tera::Result<T>,
    ) -> Result<T, ReportError> {
        let sources = self.sources();
        let mut engine = tera::Tera::default();
        engine.autoescape_on(vec![".html"]);
        engine.set_escape_fn(crate::escape::html);
        engine.register_filter("escape", html_filter);
        engine.register_filter("md", markdown_filter);
        engine.register_filter("code", code_filter);
        engine.register_filter("markup", markup_filter);
        // Confinement: a template sees the report and nothing else. Tera's built-in `get_env`
        // would let a template copy the environment (CI secrets) into a published report.
        engine.register_function("get_env", disabled_get_env);
        let all: Vec<(&str, &str)> = sources
            .iter()
            .map(|(template, (_, text))| (template.as_str(), text.as_str()))
            .collect();
        if let Err(error) = engine.add_raw_templates(all) {
            let chain = error_chain(&error);
            let failing = sources
                .iter()
                .find(|(template, _)| {
                    chain.contains(&format!("'{template}'"))
                        || chain.contains(&format!("\"{template}\""))
                })
                .map_or_else(|| &sources[name], |(_, source)| source);
            return Err(template_error(&failing.0, &failing.1, &error));
        }
        render(&engine).map_err(|error| {
            // The failing template is named in the message; default to the one rendered.
            let failing = sources
                .iter()
                .find(|(template, _)| {
                    error_chain(&error).contains(&format!("'{template}'"))
                        && template.as_str() != name
                })
                .map_or_else(|| &sources[name], |(_, source)| source);
            template_error(&failing.0, &failing.1, &error)
        })
    }
}

/// A pack's Markdown text (a fix, a rationale, a note) as safe HTML ([`crate::markup`]), inline
/// when it is one paragraph; use it as `{{ text | markup | safe }}`.
#[allow(clippy::unnecessary_wraps)]
fn markup_filter(
    value: &tera::Value,
    _arguments: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(tera::Value::String(match value {
        tera::Value::String(text) => crate::markup::to_inline_html(text),
        tera::Value::Null => String::new(),
        other => crate::escape::html(&other.to_string()),
    }))
}

/// Replaces tera's `get_env`: templates may not read the environment.
fn disabled_get_env(
    _arguments: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Err(tera::Error::msg(
        "`get_env` is disabled: templates see only the report's data",
    ))
}

/// Tera's `escape` filter with the report's escaping ([`crate::escape::html`]).
#[allow(clippy::unnecessary_wraps)]
fn html_filter(
    value: &tera::Value,
    _arguments: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = match value {
        tera::Value::String(text) => text.clone(),
        tera::Value::Null => String::new(),
        other => other.to_string(),
    };
    Ok(tera::Value::String(crate::escape::html(&text)))
}

// Tera filters return `tera::Result`.
#[allow(clippy::unnecessary_wraps)]
fn markdown_filter(
    value: &tera::Value,
    _arguments: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = match value {
        tera::Value::String(text) => text.clone(),
        tera::Value::Null => String::new(),
        other => other.to_string(),
    };
    Ok(tera::Value::String(crate::escape::markdown(&text)))
}

/// An identifier or path as a Markdown code span when it is made of plain characters (element
/// ids, file names), escaped text otherwise.
#[allow(clippy::unnecessary_wraps)]
fn code_filter(
    value: &tera::Value,
    _arguments: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = match value {
        tera::Value::String(text) => text.clone(),
        tera::Value::Null => String::new(),
        other => other.to_string(),
    };
    // A code span ends only at a backtick; a line break or `|` would break a table row. What is
    // left (ids, paths, a pack's selectors such as `kind(database) and status != retiring`) is
    // shown literally inside the span.
    let plain = !text.is_empty()
        && text.chars().all(|character| {
            character.is_alphanumeric()
                || matches!(
                    character,
                    '_' | '.'
                        | '-'
                        | '/'
                        | ':'
                        | ' '
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | ','
                        | '='
                        | '!'
                        | '<'
                        | '>'
                )
        })
        && !text.starts_with(' ')
        && !text.ends_with(' ');
    Ok(tera::Value::String(if plain {
        format!("`{text}`")
    } else {
        crate::escape::markdown(&text)
    }))
}

fn error_chain(error: &tera::Error) -> String {
    let mut messages = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        messages.push(cause.to_string());
        source = cause.source();
    }
    messages.join(": ")
}

/// A template error with the template's file name and, when it can be found, the line: pest
/// reports it for syntax errors (`--> 3:5`); for render errors the line of the first expression
/// the message quotes (`` `foo.bar` ``).
fn template_error(file: &str, text: &str, error: &tera::Error) -> ReportError {
    let message = error_chain(error);
    let line = syntax_line(&message).or_else(|| quoted_line(&message, text));
    ReportError::Template {
        template: file.to_owned(),
        line,
        message: message
            .replace('\n', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn syntax_line(message: &str) -> Option<usize> {
    let after = message.split("--> ").nth(1)?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn quoted_line(message: &str, text: &str) -> Option<usize> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|quoted| !quoted.is_empty())
        .find_map(|quoted| {
            text.lines()
                .position(|line| line.contains(quoted))
                .map(|index| index + 1)
        })
}
