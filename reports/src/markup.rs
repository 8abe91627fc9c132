//! The texts a pack writes in Markdown (a rule's fix, rationale and notes) for each kind of
//! output: safe HTML for the HTML report ([`to_html`]), plain text for the terminal, SARIF's
//! `text`, `JUnit` and annotations ([`to_plain`]); the Markdown report and SARIF's `markdown` keep
//! the Markdown itself.
//!
//! A pack is data, possibly a third party's, so [`to_html`] writes only a small set of elements
//! (paragraphs, emphasis, strong, code, lists, block quotes, code blocks, line breaks, links) and
//! escapes everything else: raw HTML in the Markdown is shown as text, an image becomes its
//! alternative text, and a link is kept only when its address is `http(s)` (otherwise its text
//! stays, unlinked). Parsed with `pulldown-cmark` (`CommonMark`).

use crate::escape::{html, is_safe_url, xml_attribute};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::fmt::Write as _;

/// Safe HTML of a Markdown text (see the module documentation).
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 4);
    // Whether each open link was written as `<a>` (its end must close it).
    let mut links: Vec<bool> = Vec::new();
    let mut in_image = 0usize;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => out.push_str("<p>"),
                Tag::Emphasis => out.push_str("<em>"),
                Tag::Strong => out.push_str("<strong>"),
                Tag::Strikethrough => out.push_str("<s>"),
                Tag::BlockQuote(_) => out.push_str("<blockquote>"),
                Tag::CodeBlock(_) => out.push_str("<pre><code>"),
                Tag::List(Some(start)) if start != 1 => {
                    let _ = write!(out, "<ol start=\"{start}\">");
                }
                Tag::List(Some(_)) => out.push_str("<ol>"),
                Tag::List(None) => out.push_str("<ul>"),
                Tag::Item => out.push_str("<li>"),
                Tag::Link { dest_url, .. } => {
                    let safe = is_safe_url(&dest_url);
                    if safe {
                        out.push_str("<a href=\"");
                        out.push_str(&xml_attribute(&dest_url));
                        out.push_str("\" rel=\"noreferrer\">");
                    }
                    links.push(safe);
                }
                Tag::Image { .. } => in_image += 1,
                // Headings, tables and the rest are not part of a rule's texts: their content is
                // kept as text.
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => out.push_str("</p>"),
                TagEnd::Emphasis => out.push_str("</em>"),
                TagEnd::Strong => out.push_str("</strong>"),
                TagEnd::Strikethrough => out.push_str("</s>"),
                TagEnd::BlockQuote(_) => out.push_str("</blockquote>"),
                TagEnd::CodeBlock => out.push_str("</code></pre>"),
                TagEnd::List(true) => out.push_str("</ol>"),
                TagEnd::List(false) => out.push_str("</ul>"),
                TagEnd::Item => out.push_str("</li>"),
                TagEnd::Link if links.pop() == Some(true) => out.push_str("</a>"),
                TagEnd::Image => in_image = in_image.saturating_sub(1),
                _ => {}
            },
            Event::Text(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => {
                out.push_str(&html(&text));
            }
            Event::Code(code) => {
                out.push_str("<code>");
                out.push_str(&html(&code));
                out.push_str("</code>");
            }
            Event::SoftBreak => out.push(if in_image > 0 { ' ' } else { '\n' }),
            Event::HardBreak => out.push_str("<br>"),
            Event::Rule => out.push_str("<hr>"),
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
        }
    }
    out
}

/// Safe HTML of a short Markdown text shown inline (a fix in a definition list): a text of one
/// paragraph loses its `<p>`, so it reads as a phrase.
pub fn to_inline_html(markdown: &str) -> String {
    let rendered = to_html(markdown);
    match rendered
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => rendered,
    }
}

/// Plain text of a Markdown text: the words without the marks (`` `brm_code` `` → `brm_code`,
/// `**must**` → `must`, `[Decree 45](https://…)` → `Decree 45 (https://…)`); paragraphs and list
/// items on their own lines, a list item starting with `- `.
pub fn to_plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut links: Vec<String> = Vec::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let new_line = |out: &mut String| {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
    };
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Paragraph | Tag::CodeBlock(_) | Tag::BlockQuote(_)) => {
                new_line(&mut out);
            }
            Event::Start(Tag::List(start)) => {
                new_line(&mut out);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                new_line(&mut out);
                match lists.last_mut() {
                    Some(Some(number)) => {
                        let _ = write!(out, "{number}. ");
                        *number += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = links.pop()
                    && !url.is_empty()
                    && !out.ends_with(url.as_str())
                {
                    out.push_str(" (");
                    out.push_str(&url);
                    out.push(')');
                }
            }
            Event::Text(text)
            | Event::Code(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => out.push_str(&text),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_emphasis_render_and_vanish_in_plain_text() {
        let fix = "Thêm `brm_code` theo **Khung** (`BRM01.02`).";
        assert_eq!(
            to_html(fix),
            "<p>Thêm <code>brm_code</code> theo <strong>Khung</strong> (<code>BRM01.02</code>).</p>"
        );
        assert_eq!(
            to_inline_html(fix),
            "Thêm <code>brm_code</code> theo <strong>Khung</strong> (<code>BRM01.02</code>)."
        );
        assert_eq!(to_plain(fix), "Thêm brm_code theo Khung (BRM01.02).");
    }

    #[test]
    fn raw_html_is_text_and_only_http_links_are_links() {
        let text = "Xem <script>alert(1)</script> [a](javascript:alert(1)) [b](https://x.vn/a?b=1&c=\"2\") ![i](https://x.vn/i.png) <img src=x onerror=y>";
        let rendered = to_html(text);
        assert!(!rendered.contains("<script"), "{rendered}");
        assert!(!rendered.contains("<img"), "{rendered}");
        assert!(!rendered.contains("javascript:"), "{rendered}");
        assert!(rendered.contains("&lt;script&gt;"), "{rendered}");
        assert_eq!(
            rendered,
            "<p>Xem &lt;script&gt;alert(1)&lt;&#x2F;script&gt; a <a href=\"https://x.vn/a?b=1&amp;c=&quot;2&quot;\" \
             rel=\"noreferrer\">b</a> i &lt;img src=x onerror=y&gt;</p>"
        );
        // A block of raw HTML is text too.
        assert_eq!(
            to_html("<div onclick=x>a</div>"),
            "&lt;div onclick=x&gt;a&lt;&#x2F;div&gt;"
        );
        assert_eq!(
            to_plain("Xem [Nghị định 45](https://x.vn/45)."),
            "Xem Nghị định 45 (https://x.vn/45)."
        );
        assert_eq!(to_plain("Xem <https://x.vn/45>."), "Xem https://x.vn/45.");
    }

    #[test]
    fn lists_and_paragraphs_keep_their_lines() {
        let text = "Hai cách:\n\n- `a`\n- b\n\n1. một\n2. hai";
        assert_eq!(to_plain(text), "Hai cách:\n- a\n- b\n1. một\n2. hai");
        assert_eq!(
            to_html(text),
            "<p>Hai cách:</p><ul><li><code>a</code></li><li>b</li></ul><ol><li>một</li><li>hai</li></ol>"
        );
    }
}
