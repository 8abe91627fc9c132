//! The canonical formatter. It prints a syntax tree with two-space indentation, one entry per
//! line, normalised spacing and list punctuation, and keeps every comment in its place: before
//! each token, the comments that precede it in the source are printed first (trailing comments
//! stay at the end of their line). Literal tokens are printed as written, so escapes and numbers
//! are never rewritten. Only files without syntax errors may be formatted: a partial tree would
//! drop the broken text.

use crate::parser::parse;
use crate::syntax::{
    Block, Comment, Declaration, Element, Entry, Relation, SourceFile, StringLiteral, Value,
    ValueKind, View, ViewItem,
};
use crate::text::{FileId, TextRange};

const INDENT: &str = "  ";
const MAX_WIDTH: usize = 100;

/// Formats a file's text. Returns `None` when the text has syntax errors, or when formatting
/// would change its meaning (a safety net that should never trigger).
pub fn format_text(text: &str) -> Option<String> {
    let parsed = parse(FileId(0), text);
    if !parsed.diagnostics.is_empty() {
        return None;
    }
    let formatted = format_tree(text, &parsed.tree);
    let reparsed = parse(FileId(0), &formatted);
    if !reparsed.diagnostics.is_empty() || !same_meaning(&parsed.tree, &reparsed.tree) {
        return None;
    }
    Some(formatted)
}

/// True when two trees have the same declarations (ignoring positions) and the same comments.
pub fn same_meaning(left: &SourceFile, right: &SourceFile) -> bool {
    let mut left = left.clone();
    let mut right = right.clone();
    erase_positions(&mut left);
    erase_positions(&mut right);
    left == right
}

/// Formats a parsed tree of `text` (which must have parsed without errors).
pub fn format_tree(text: &str, tree: &SourceFile) -> String {
    let mut printer = Printer {
        text,
        comments: &tree.comments,
        next_comment: 0,
        out: String::new(),
        indent: 0,
        last_end: 0,
    };
    let mut previous: Option<&Declaration> = None;
    for declaration in &tree.declarations {
        if let Some(previous) = previous {
            let blocky = |declaration: &Declaration| match declaration {
                Declaration::Element(element) => element.body.is_some(),
                Declaration::Architecture(header) => header.body.is_some(),
                Declaration::View(_) => true,
                Declaration::Relation(relation) => relation
                    .body
                    .as_ref()
                    .is_some_and(|body| !printer_inline(body)),
                _ => false,
            };
            let kinds_differ =
                std::mem::discriminant(previous) != std::mem::discriminant(declaration);
            let start = printer.first_position(declaration.range());
            if blocky(previous)
                || blocky(declaration)
                || kinds_differ
                || printer.source_has_blank_line(start)
            {
                printer.blank_line();
            }
        }
        printer.declaration(declaration);
        previous = Some(declaration);
    }
    printer.flush_comments_before(u32::MAX, false);
    let mut out = printer.out.trim_end().to_owned();
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn printer_inline(body: &Block) -> bool {
    body.entries.len() == 1 && matches!(body.entries[0], Entry::Property(_))
}

struct Printer<'a> {
    text: &'a str,
    comments: &'a [Comment],
    next_comment: usize,
    out: String,
    indent: usize,
    /// Source offset of the end of the last token or comment printed.
    last_end: u32,
}

impl<'a> Printer<'a> {
    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    fn newline(&mut self) {
        if !self.at_line_start() {
            // A trailing comment on the same source line stays at the end of this line.
            if let Some(comment) = self.comments.get(self.next_comment)
                && comment.trailing
                && comment.range.start >= self.last_end
                && self.text[self.last_end as usize..comment.range.start as usize]
                    .chars()
                    .all(|character| matches!(character, ' ' | '\t' | ','))
            {
                self.next_comment += 1;
                self.out.push(' ');
                self.out.push_str(comment.text.trim_end());
                self.last_end = comment.range.end;
            }
            while self.out.ends_with(' ') {
                self.out.pop();
            }
            self.out.push('\n');
        }
    }

    fn blank_line(&mut self) {
        self.newline();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn write_indent(&mut self) {
        for _ in 0..self.indent {
            self.out.push_str(INDENT);
        }
    }

    /// Where the item starting at `range` begins, counting the comments directly before it.
    fn first_position(&self, range: TextRange) -> u32 {
        self.comments
            .get(self.next_comment)
            .filter(|comment| comment.range.start < range.start)
            .map_or(range.start, |comment| comment.range.start)
    }

    fn source_has_blank_line(&self, before: u32) -> bool {
        let start = self.last_end as usize;
        let end = (before as usize).max(start);
        self.text[start..end].matches('\n').count() >= 2
    }

    /// Prints the comments that start before `position`. `in_block` allows blank lines that the
    /// source had before an own-line comment.
    fn flush_comments_before(&mut self, position: u32, in_block: bool) {
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.range.start >= position {
                break;
            }
            self.next_comment += 1;
            if comment.trailing && !self.at_line_start() {
                self.out.push(' ');
                self.out.push_str(comment.text.trim_end());
                self.out.push('\n');
            } else {
                let had_blank = self.source_has_blank_line(comment.range.start);
                self.newline();
                if had_blank
                    && (in_block || self.indent == 0)
                    && !self.out.is_empty()
                    && !self.out.ends_with("{\n")
                {
                    self.blank_line();
                }
                self.write_indent();
                self.out.push_str(comment.text.trim_end());
                self.out.push('\n');
            }
            self.last_end = comment.range.end;
        }
    }

    /// Prints a token that is in the source at `range`, with a separating space if needed.
    fn token(&mut self, text: &str, range: TextRange) {
        let comments_before = self.next_comment;
        self.flush_comments_before(range.start, true);
        // Keep a blank line the source had between own-line comments and this token (a section
        // comment above a declaration).
        if self.next_comment > comments_before
            && self.at_line_start()
            && !self.out.ends_with("{\n")
            && self.source_has_blank_line(range.start)
        {
            self.blank_line();
        }
        if self.at_line_start() {
            self.write_indent();
        } else {
            let glued = self.out.ends_with(' ')
                || self.out.ends_with('[')
                || text.starts_with(',')
                || text.starts_with(']')
                || (text == "}" && self.out.ends_with('{'));
            if !glued {
                self.out.push(' ');
            }
        }
        self.out.push_str(text);
        self.last_end = self.last_end.max(range.end);
    }

    /// The source text at `range` (borrowed from the text, not from the printer).
    fn source(&self, range: TextRange) -> &'a str {
        &self.text[range.to_range()]
    }

    /// A string literal as written (escapes are never rewritten).
    fn literal(&mut self, literal: &StringLiteral) {
        self.token(self.source(literal.range), literal.range);
    }

    fn declaration(&mut self, declaration: &Declaration) {
        match declaration {
            Declaration::Architecture(header) => {
                self.token(
                    "architecture",
                    TextRange::empty(header.range.start as usize),
                );
                self.token(&header.id.text, header.id.range);
                self.literal(&header.name);
                if let Some(body) = &header.body {
                    self.block(body);
                }
            }
            Declaration::Import(import) => {
                self.token("import", TextRange::empty(import.range.start as usize));
                self.literal(&import.path);
                if let Some(alias) = &import.alias {
                    self.token("as", TextRange::empty(alias.range.start as usize));
                    self.token(&alias.text, alias.range);
                }
            }
            Declaration::Waiver(waiver) => {
                self.token("waive", TextRange::empty(waiver.range.start as usize));
                self.token(&waiver.rule.text, waiver.rule.range);
                self.token("on", TextRange::empty(waiver.element.range.start as usize));
                self.token(&waiver.element.text, waiver.element.range);
                if let Some((_, range)) = waiver.until {
                    self.token("until", TextRange::empty(range.start as usize));
                    self.token(self.source(range), range);
                }
                if let Some(reason) = &waiver.reason {
                    self.literal(reason);
                }
            }
            Declaration::Element(element) => self.element(element),
            Declaration::Relation(relation) => self.relation(relation),
            Declaration::View(view) => self.view(view),
        }
        self.newline();
    }

    /// A view: always a block, one line per item; selectors with their spaces outside strings
    /// collapsed ([`selector_spacing`]), one space around `->`.
    fn view(&mut self, view: &View) {
        self.token("view", TextRange::empty(view.range.start as usize));
        self.token(&view.id.text, view.id.range);
        self.literal(&view.title);
        let open = TextRange::new(
            view.body_range.start as usize,
            view.body_range.start as usize + 1,
        );
        let close = TextRange::new(
            view.body_range.end as usize - 1,
            view.body_range.end as usize,
        );
        self.token("{", open);
        if view.items.is_empty() && !self.has_comment_within(view.body_range) {
            self.token("}", close);
            return;
        }
        self.newline();
        self.indent += 1;
        for (index, item) in view.items.iter().enumerate() {
            let start = self.first_position(item.range());
            if index > 0 && self.source_has_blank_line(start) {
                self.blank_line();
            }
            match item {
                ViewItem::Statement(statement) => {
                    let keyword = if statement.include {
                        "include"
                    } else {
                        "exclude"
                    };
                    self.token(keyword, statement.keyword);
                    self.token(
                        &selector_spacing(&statement.selector.text),
                        statement.selector.range,
                    );
                    if let Some(target) = &statement.target {
                        self.token("->", TextRange::empty(target.range.start as usize));
                        self.token(&selector_spacing(&target.text), target.range);
                    }
                }
                ViewItem::GroupBy { word, range } => {
                    self.token("group", TextRange::empty(range.start as usize));
                    self.token("by", TextRange::empty(word.range.start as usize));
                    self.token(&word.text, word.range);
                }
                ViewItem::Property(property) => {
                    self.token(&property.name.text, property.name.range);
                    self.value(&property.value);
                }
            }
            self.newline();
        }
        self.flush_comments_before(close.start, true);
        self.indent -= 1;
        self.token("}", close);
    }

    fn element(&mut self, element: &Element) {
        self.token(&element.kind.text, element.kind.range);
        self.token(&element.id.text, element.id.range);
        self.literal(&element.name);
        if let Some(body) = &element.body {
            self.block(body);
        }
    }

    fn relation(&mut self, relation: &Relation) {
        self.token(&relation.relation_type.text, relation.relation_type.range);
        if let Some(source) = &relation.source {
            self.token(&source.text, source.range);
        }
        self.token("->", relation.arrow);
        self.token(&relation.target.text, relation.target.range);
        if let Some(label) = &relation.label {
            self.literal(label);
        }
        for (index, via) in relation.via.iter().enumerate() {
            if index == 0 {
                self.token("via", TextRange::empty(via.range.start as usize));
            } else {
                self.out.push(',');
            }
            self.token(&via.text, via.range);
        }
        if let Some(body) = &relation.body {
            if printer_inline(body) && !self.has_comment_within(body.range) {
                let mark = self.out.len();
                let Entry::Property(property) = &body.entries[0] else {
                    unreachable!("checked by printer_inline")
                };
                self.token("{", TextRange::empty(body.range.start as usize));
                self.token(&property.name.text, property.name.range);
                self.value(&property.value);
                self.token(
                    "}",
                    TextRange::new(body.range.end as usize - 1, body.range.end as usize),
                );
                let line_start = self.out[..mark].rfind('\n').map_or(0, |index| index + 1);
                if self.out[line_start..].chars().count() <= MAX_WIDTH
                    && !self.out[mark..].contains('\n')
                {
                    return;
                }
                self.out.truncate(mark);
            }
            self.block(body);
        }
    }

    fn has_comment_within(&self, range: TextRange) -> bool {
        self.comments[self.next_comment..]
            .iter()
            .any(|comment| comment.range.start >= range.start && comment.range.end <= range.end)
    }

    fn block(&mut self, block: &Block) {
        let open = TextRange::new(block.range.start as usize, block.range.start as usize + 1);
        let close = TextRange::new(block.range.end as usize - 1, block.range.end as usize);
        self.token("{", open);
        if block.entries.is_empty() && !self.has_comment_within(block.range) {
            self.token("}", close);
            return;
        }
        self.newline();
        self.indent += 1;
        for (index, entry) in block.entries.iter().enumerate() {
            let start = self.first_position(entry.range());
            if index > 0 && self.source_has_blank_line(start) {
                self.blank_line();
            }
            match entry {
                Entry::Property(property) => {
                    self.token(&property.name.text, property.name.range);
                    self.value(&property.value);
                }
                Entry::Relation(relation) => self.relation(relation),
                Entry::Element(element) => self.element(element),
            }
            self.newline();
        }
        // Comments at the end of the block stay inside it.
        self.flush_comments_before(close.start, true);
        self.indent -= 1;
        self.token("}", close);
    }

    fn value(&mut self, value: &Value) {
        match &value.kind {
            ValueKind::List(items) => {
                let open =
                    TextRange::new(value.range.start as usize, value.range.start as usize + 1);
                let close = TextRange::new(value.range.end as usize - 1, value.range.end as usize);
                let mark = self.out.len();
                let next_comment = self.next_comment;
                let last_end = self.last_end;
                if !self.has_comment_within(value.range) {
                    self.token("[", open);
                    for (index, item) in items.iter().enumerate() {
                        if index > 0 {
                            self.out.push(',');
                        }
                        self.value(item);
                    }
                    self.token("]", close);
                    let line_start = self.out[..mark].rfind('\n').map_or(0, |index| index + 1);
                    if self.out[line_start..].chars().count() <= MAX_WIDTH {
                        return;
                    }
                    self.out.truncate(mark);
                    self.next_comment = next_comment;
                    self.last_end = last_end;
                }
                // One item per line.
                self.token("[", open);
                self.newline();
                self.indent += 1;
                for item in items {
                    self.value(item);
                    self.out.push(',');
                    self.newline();
                }
                self.flush_comments_before(close.start, true);
                self.indent -= 1;
                self.token("]", close);
            }
            ValueKind::String(literal) => self.literal(literal),
            _ => {
                self.token(self.source(value.range), value.range);
            }
        }
    }
}

/// A selector with each run of whitespace outside its strings made one space: the selector
/// language ignores whitespace between tokens, and a string keeps its own.
pub fn selector_spacing(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut pending_space = false;
    for character in text.trim().chars() {
        if in_string {
            out.push(character);
            match (escaped, character) {
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => escaped = false,
            }
            continue;
        }
        if character.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if character == '"' {
            in_string = true;
        }
        out.push(character);
    }
    out
}

fn erase_positions(tree: &mut SourceFile) {
    fn name(name: &mut crate::syntax::Name) {
        name.range = TextRange::default();
    }
    fn string(literal: &mut crate::syntax::StringLiteral) {
        literal.range = TextRange::default();
    }
    fn value(item: &mut Value) {
        item.range = TextRange::default();
        match &mut item.kind {
            ValueKind::String(literal) => string(literal),
            ValueKind::Path(path) => name(path),
            ValueKind::List(items) => items.iter_mut().for_each(value),
            _ => {}
        }
    }
    fn block(body: &mut Block) {
        body.range = TextRange::default();
        for entry in &mut body.entries {
            match entry {
                Entry::Property(property) => {
                    property.range = TextRange::default();
                    name(&mut property.name);
                    value(&mut property.value);
                }
                Entry::Relation(relation) => relation_positions(relation),
                Entry::Element(child) => element(child),
            }
        }
    }
    fn element(element: &mut Element) {
        element.range = TextRange::default();
        name(&mut element.kind);
        name(&mut element.id);
        string(&mut element.name);
        if let Some(body) = &mut element.body {
            block(body);
        }
    }
    fn relation_positions(relation: &mut Relation) {
        relation.range = TextRange::default();
        relation.arrow = TextRange::default();
        name(&mut relation.relation_type);
        if let Some(source) = &mut relation.source {
            name(source);
        }
        name(&mut relation.target);
        if let Some(label) = &mut relation.label {
            string(label);
        }
        relation.via.iter_mut().for_each(name);
        if let Some(body) = &mut relation.body {
            block(body);
        }
    }
    for declaration in &mut tree.declarations {
        match declaration {
            Declaration::Architecture(header) => {
                header.range = TextRange::default();
                name(&mut header.id);
                string(&mut header.name);
                if let Some(body) = &mut header.body {
                    block(body);
                }
            }
            Declaration::Import(import) => {
                import.range = TextRange::default();
                string(&mut import.path);
                if let Some(alias) = &mut import.alias {
                    name(alias);
                }
            }
            Declaration::Element(declaration) => element(declaration),
            Declaration::Relation(relation) => relation_positions(relation),
            Declaration::View(view) => {
                view.range = TextRange::default();
                view.body_range = TextRange::default();
                name(&mut view.id);
                string(&mut view.title);
                for item in &mut view.items {
                    match item {
                        ViewItem::Statement(statement) => {
                            statement.range = TextRange::default();
                            statement.keyword = TextRange::default();
                            statement.selector.range = TextRange::default();
                            statement.selector.text = selector_spacing(&statement.selector.text);
                            if let Some(target) = &mut statement.target {
                                target.range = TextRange::default();
                                target.text = selector_spacing(&target.text);
                            }
                        }
                        ViewItem::GroupBy { word, range } => {
                            *range = TextRange::default();
                            name(word);
                        }
                        ViewItem::Property(property) => {
                            property.range = TextRange::default();
                            name(&mut property.name);
                            value(&mut property.value);
                        }
                    }
                }
            }
            Declaration::Waiver(waiver) => {
                waiver.range = TextRange::default();
                name(&mut waiver.rule);
                name(&mut waiver.element);
                if let Some((_, range)) = &mut waiver.until {
                    *range = TextRange::default();
                }
                if let Some(reason) = &mut waiver.reason {
                    string(reason);
                }
            }
        }
    }
    for comment in &mut tree.comments {
        comment.range = TextRange::default();
        comment.trailing = false;
        comment.text = comment.text.trim_end().to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let formatted = format_text(input).expect("formats");
        assert_eq!(formatted, expected, "\n--- got ---\n{formatted}");
        assert_eq!(
            format_text(&formatted).as_deref(),
            Some(expected),
            "formatting is idempotent"
        );
    }

    #[test]
    fn normalises_spacing_and_keeps_comments_in_place() {
        check(
            "// head\narchitecture   hn \"Hà Nội\"{version \"3.0\"   framework \"vn-egov-3.0\"}\nimport \"a.ea\" as a\n/// The city.\nagency ubnd \"UBND\" { level province // trailing\n\n\n  // own line\n  tags [ a,b , ] }\nuses   x->y \"label\"   via p,q { protocol \"REST\" }\n",
            "// head\narchitecture hn \"Hà Nội\" {\n  version \"3.0\"\n  framework \"vn-egov-3.0\"\n}\n\nimport \"a.ea\" as a\n\n/// The city.\nagency ubnd \"UBND\" {\n  level province // trailing\n\n  // own line\n  tags [a, b]\n}\n\nuses x -> y \"label\" via p, q { protocol \"REST\" }\n",
        );
    }

    #[test]
    fn keeps_comments_inside_lists_and_at_block_ends() {
        check(
            "system s \"S\" {\n  tags [a, // first\n  b]\n  // last words\n}\n",
            "system s \"S\" {\n  tags [\n    a, // first\n    b,\n  ]\n  // last words\n}\n",
        );
    }

    #[test]
    fn keeps_the_blank_line_under_a_section_comment() {
        check(
            "// ===== Cơ quan =====\n\nagency a \"A\" {}\n\n// ===== Hệ thống =====\n\nsystem s \"S\" {\n  // nhóm\n\n  owner a\n}\n",
            "// ===== Cơ quan =====\n\nagency a \"A\" {}\n\n// ===== Hệ thống =====\n\nsystem s \"S\" {\n  // nhóm\n\n  owner a\n}\n",
        );
    }

    #[test]
    fn formats_views_one_line_per_item_with_selector_spaces_collapsed() {
        check(
            "view   health \"Y tế\"{ include kind(system)   and tag(health)  ->  kind(platform)\n// why\nexclude id(\"a -> b\")  // not these\n  group   by owner\n layout top-down }\nview all \"Tất cả\" { include * }\n",
            "view health \"Y tế\" {\n  include kind(system) and tag(health) -> kind(platform)\n  // why\n  exclude id(\"a -> b\") // not these\n  group by owner\n  layout top-down\n}\n\nview all \"Tất cả\" {\n  include *\n}\n",
        );
    }

    #[test]
    fn refuses_files_with_syntax_errors() {
        assert_eq!(format_text("system \"no id\" {}\n"), None);
    }

    #[test]
    fn empty_and_comment_only_files() {
        check("", "");
        check("\n\n// only a comment\n\n", "// only a comment\n");
    }
}
