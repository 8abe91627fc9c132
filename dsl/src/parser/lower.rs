//! Lowering: pest's pairs for one chunk into the typed syntax tree, with positions mapped back
//! through the lexer's repairs to the source, and diagnostics for what the grammar accepts but the
//! language does not (a bad escape, an impossible date, an integer out of range).

use super::grammar::Rule;
use crate::diagnostic::{Code, Diagnostic};
use crate::literal::string_literal;
use crate::syntax::{
    Architecture, Block, CompactString, Date, Declaration, Element, Entry, Import, Name, Property,
    Relation, SelectorText, StringLiteral, Value, ValueKind, View, ViewItem, ViewStatement, Waiver,
};
use crate::text::{FileId, TextRange};
use pest::iterators::{Pair, Pairs};

/// Lowers the pairs of one chunk (or of a whole clean file) into syntax nodes.
pub(super) struct Lowering<'a> {
    pub(super) file: FileId,
    pub(super) offset: usize,
    /// End of the real chunk text: ranges of appended closers are clamped here.
    pub(super) limit: usize,
    /// Text inserted by repairs: (position in the repaired text, length).
    pub(super) insertions: Vec<(usize, usize)>,
    /// The file's text, when pest read placeholders for identifiers written outside ASCII
    /// (KT0012): names are then taken from it, as written, rather than from pest's input.
    pub(super) names_from: Option<&'a str>,
    pub(super) diagnostics: &'a mut Vec<Diagnostic>,
}

impl Lowering<'_> {
    fn range(&self, pair: &Pair<'_, Rule>) -> TextRange {
        let span = pair.as_span();
        TextRange::new(
            self.source_position(span.start()),
            self.source_position(span.end()),
        )
    }

    /// The range of a compound node: from its start to the end of its last token, so trailing
    /// whitespace and comments that pest consumed are not part of it.
    pub(super) fn node_range(&self, pair: &Pair<'_, Rule>) -> TextRange {
        let start = pair.as_span().start();
        let mut last = pair.clone();
        // Blocks and lists end with their closing delimiter, which is not a pair of its own.
        while !matches!(last.as_rule(), Rule::block | Rule::list | Rule::view_block)
            && let Some(child) = last.clone().into_inner().next_back()
        {
            last = child;
        }
        let end = if last.as_span().end() > start {
            last.as_span().end()
        } else {
            pair.as_span().end()
        };
        TextRange::new(self.source_position(start), self.source_position(end))
    }

    fn span_range(&self, start: usize, end: usize) -> TextRange {
        TextRange::new(self.source_position(start), self.source_position(end))
    }

    /// Maps a position in the repaired chunk text back to the source file.
    fn source_position(&self, position: usize) -> usize {
        let mut shift = 0;
        for (inserted_at, length) in &self.insertions {
            if position >= inserted_at + length {
                shift += length;
            } else if position > *inserted_at {
                shift += position - inserted_at;
            }
        }
        (position - shift + self.offset).min(self.limit)
    }

    fn name(&self, pair: &Pair<'_, Rule>) -> Name {
        let range = self.range(pair);
        let text = match self.names_from {
            Some(source) => source.get(range.to_range()).unwrap_or(pair.as_str()),
            None => pair.as_str(),
        };
        Name {
            text: CompactString::new(text),
            range,
        }
    }

    fn error(&mut self, code: Code, range: TextRange, message: impl Into<String>, label: &str) {
        self.diagnostics
            .push(Diagnostic::new(code, message).at(self.file, range, label));
    }

    pub(super) fn declaration(&mut self, pair: Pair<'_, Rule>) -> Option<Declaration> {
        match pair.as_rule() {
            Rule::architecture => {
                let range = self.node_range(&pair);
                let mut inner = pair.into_inner();
                inner.next(); // keyword
                let id = self.name(&inner.next()?);
                let name = self.string(&inner.next()?)?;
                let body = inner.next().map(|block| self.block(block));
                Some(Declaration::Architecture(Architecture {
                    doc: None,
                    id,
                    name,
                    body,
                    range,
                }))
            }
            Rule::import => {
                let range = self.node_range(&pair);
                let mut inner = pair.into_inner();
                inner.next(); // keyword
                let path = self.string(&inner.next()?)?;
                inner.next(); // `as`
                let alias = inner.next().map(|alias| self.name(&alias));
                Some(Declaration::Import(Import { path, alias, range }))
            }
            Rule::waiver => {
                let range = self.node_range(&pair);
                let mut inner = pair.into_inner();
                inner.next(); // keyword
                let rule = self.name(&inner.next()?);
                inner.next(); // `on`
                let element = self.name(&inner.next()?);
                let mut until = None;
                let mut reason = None;
                for part in inner {
                    match part.as_rule() {
                        Rule::date => {
                            until = self.date(&part).map(|date| (date, self.range(&part)));
                        }
                        Rule::string => reason = self.string(&part),
                        _ => {}
                    }
                }
                Some(Declaration::Waiver(Waiver {
                    doc: None,
                    rule,
                    element,
                    until,
                    reason,
                    range,
                }))
            }
            Rule::view => {
                let range = self.node_range(&pair);
                let mut inner = pair.into_inner();
                inner.next(); // keyword
                let id = self.name(&inner.next()?);
                let title = self.string(&inner.next()?)?;
                let block = inner.next()?;
                let body_range = self.range(&block);
                let mut items = Vec::new();
                for item in block.into_inner() {
                    match item.as_rule() {
                        Rule::view_rule => {
                            items.extend(self.view_rule(item).map(ViewItem::Statement));
                        }
                        Rule::view_group => {
                            let range = self.node_range(&item);
                            let word = item
                                .into_inner()
                                .find(|part| part.as_rule() == Rule::ident)?;
                            items.push(ViewItem::GroupBy {
                                word: self.name(&word),
                                range,
                            });
                        }
                        Rule::entry => match self.entry(item)? {
                            Entry::Property(property) => items.push(ViewItem::Property(property)),
                            // An element or a relation in a view: the resolver reports the property
                            // names it expects; keep the declaration's other lines.
                            Entry::Element(element) => {
                                let range = element.range;
                                self.error(
                                    Code::SyntaxError,
                                    range,
                                    "a view holds `include`, `exclude`, `group by` and properties, not elements",
                                    "not allowed in a view",
                                );
                            }
                            Entry::Relation(relation) => {
                                let range = relation.range;
                                self.error(
                                    Code::SyntaxError,
                                    range,
                                    "a view holds `include`, `exclude`, `group by` and properties, not relations; write `include A -> B` to show relations",
                                    "not allowed in a view",
                                );
                            }
                        },
                        _ => {}
                    }
                }
                Some(Declaration::View(View {
                    doc: None,
                    id,
                    title,
                    items,
                    body_range,
                    range,
                }))
            }
            Rule::declaration_ident => {
                let start = pair.as_span().start();
                let mut inner = pair.into_inner();
                let first = self.name(&inner.next()?);
                let second = inner.next()?;
                // `kind id "Name" ...` or `type source -> target ...`.
                if inner.peek()?.as_rule() == Rule::string {
                    self.element(start, first, &second, inner)
                        .map(Declaration::Element)
                } else {
                    let source = self.name(&second);
                    let arrow = inner.next()?;
                    let relation = self.relation(start, first, Some(source), &arrow, inner)?;
                    Some(Declaration::Relation(relation))
                }
            }
            _ => None,
        }
    }

    /// An element after its kind: `id "Name" { ... }`. Like every node, it ranges from `start`
    /// to the end of its last token (trailing trivia that pest consumed are not part of it).
    fn element(
        &mut self,
        start: usize,
        kind: Name,
        id: &Pair<'_, Rule>,
        mut inner: Pairs<'_, Rule>,
    ) -> Option<Element> {
        let id = self.name(id);
        let name = inner.next()?;
        let block = inner.next();
        let end = block.as_ref().unwrap_or(&name).as_span().end();
        let range = self.span_range(start, end);
        let name = self.string(&name)?;
        let body = block.map(|block| self.block(block));
        Some(Element {
            doc: None,
            kind,
            id,
            name,
            body,
            range,
        })
    }

    /// A relation from its arrow on: `-> target "label" via x { ... }`.
    fn relation(
        &mut self,
        start: usize,
        relation_type: Name,
        source: Option<Name>,
        arrow: &Pair<'_, Rule>,
        mut inner: Pairs<'_, Rule>,
    ) -> Option<Relation> {
        let arrow = self.range(arrow);
        let target = inner.next()?;
        let mut end = target.as_span().end();
        let target = self.name(&target);
        let mut relation = Relation {
            doc: None,
            relation_type,
            source,
            arrow,
            target,
            label: None,
            via: Vec::new(),
            body: None,
            range: TextRange::default(),
        };
        for part in inner {
            match part.as_rule() {
                Rule::string => {
                    end = part.as_span().end();
                    relation.label = self.string(&part);
                }
                Rule::via => {
                    relation.via = part
                        .into_inner()
                        .filter(|path| path.as_rule() == Rule::path)
                        .map(|path| {
                            end = path.as_span().end();
                            self.name(&path)
                        })
                        .collect();
                }
                Rule::block => {
                    end = part.as_span().end();
                    relation.body = Some(self.block(part));
                }
                _ => {}
            }
        }
        relation.range = self.span_range(start, end);
        Some(relation)
    }

    /// `include SELECTOR (-> SELECTOR)?` or `exclude …`; the selectors trimmed of the spaces the
    /// grammar lets them end with.
    fn view_rule(&mut self, pair: Pair<'_, Rule>) -> Option<ViewStatement> {
        let range = self.node_range(&pair);
        let mut inner = pair.into_inner();
        let keyword = inner.next()?;
        let include = keyword.as_rule() == Rule::kw_include;
        let keyword = self.range(&keyword);
        let selector = self.selector(&inner.next()?);
        let target = inner
            .find(|part| part.as_rule() == Rule::selector)
            .map(|part| self.selector(&part));
        let end = target.as_ref().unwrap_or(&selector).range.end;
        Some(ViewStatement {
            include,
            keyword,
            selector,
            target,
            range: TextRange {
                start: range.start,
                end,
            },
        })
    }

    fn selector(&self, pair: &Pair<'_, Rule>) -> SelectorText {
        let raw = pair.as_str();
        let text = raw.trim_end();
        let start = pair.as_span().start();
        SelectorText {
            text: match self.names_from {
                // Identifiers outside ASCII were replaced by placeholders: read the source.
                Some(source) => source
                    .get(self.source_position(start)..self.source_position(start + text.len()))
                    .unwrap_or(text)
                    .to_owned(),
                None => text.to_owned(),
            },
            range: self.span_range(start, start + text.len()),
        }
    }

    fn block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let range = self.range(&pair);
        let inner = pair.into_inner();
        let mut entries = Vec::with_capacity(inner.len());
        for entry in inner {
            if entry.as_rule() == Rule::entry {
                entries.extend(self.entry(entry));
            }
        }
        Block { entries, range }
    }

    /// An entry of a block: a relation (`uses -> x`), an element (`kind id "Name"`) or a
    /// property (`name value`).
    fn entry(&mut self, pair: Pair<'_, Rule>) -> Option<Entry> {
        let start = pair.as_span().start();
        let mut inner = pair.into_inner();
        let first = self.name(&inner.next()?);
        let second = inner.next()?;
        match second.as_rule() {
            Rule::arrow => {
                let relation = self.relation(start, first, None, &second, inner)?;
                Some(Entry::Relation(Box::new(relation)))
            }
            Rule::element_id if inner.peek().is_some() => self
                .element(start, first, &second, inner)
                .map(|element| Entry::Element(Box::new(element))),
            _ => {
                let range = self.span_range(start, second.as_span().end());
                let value = self.value(second)?;
                Some(Entry::Property(Property {
                    name: first,
                    value,
                    range,
                }))
            }
        }
    }

    fn value(&mut self, pair: Pair<'_, Rule>) -> Option<Value> {
        let range = self.range(&pair);
        let kind = match pair.as_rule() {
            Rule::string => ValueKind::String(self.string(&pair)?),
            Rule::integer => {
                let Ok(value) = pair.as_str().parse::<i64>() else {
                    self.error(
                        Code::InvalidInteger,
                        range,
                        format!("`{}` is not a valid integer", pair.as_str()),
                        "out of range",
                    );
                    return None;
                };
                ValueKind::Integer(value)
            }
            Rule::date => ValueKind::Date(self.date(&pair)?),
            Rule::path | Rule::element_id => ValueKind::Path(self.name(&pair)),
            Rule::list => {
                let items: Vec<Value> = pair
                    .into_inner()
                    .filter_map(|item| self.value(item))
                    .collect();
                ValueKind::List(items)
            }
            _ => return None,
        };
        Some(Value { kind, range })
    }

    fn date(&mut self, pair: &Pair<'_, Rule>) -> Option<Date> {
        let date = Date::parse(pair.as_str());
        if date.is_none() {
            let range = self.range(pair);
            self.error(
                Code::InvalidDate,
                range,
                format!("`{}` is not a calendar date", pair.as_str()),
                "no such day",
            );
        }
        date
    }

    fn string(&mut self, pair: &Pair<'_, Rule>) -> Option<StringLiteral> {
        let range = self.range(pair);
        match string_literal(pair.as_str(), range) {
            Ok(string) => Some(string),
            Err(bad) => {
                let start = range.start as usize + 1 + bad.start;
                self.error(
                    Code::InvalidEscape,
                    TextRange::new(start, start + bad.len),
                    "invalid escape sequence in string",
                    "not a valid escape",
                );
                None
            }
        }
    }
}
