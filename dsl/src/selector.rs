//! The selector language rules use to pick elements (its own small pest grammar,
//! `selector.pest`): kinds, layers, tags, id patterns, property presence and comparisons,
//! nesting, and boolean operators. Selectors are parsed once when a rule pack loads, validated
//! against the metamodel (unknown kinds, layers, properties and enum values are errors with a
//! position in the rule file), and evaluated against the graph's indexes.

use crate::metamodel::{Metamodel, ValueType};
use crate::suggest::suggest;
use crate::syntax::Date;
use pest::Parser as _;
use pest::iterators::Pair;

#[derive(pest_derive::Parser)]
#[grammar = "selector.pest"]
struct SelectorParser;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    String(String),
    Integer(i64),
    Date(Date),
    Word(String),
}

impl Literal {
    fn text(&self) -> String {
        match self {
            Literal::String(text) | Literal::Word(text) => text.clone(),
            Literal::Integer(number) => number.to_string(),
            Literal::Date(date) => date.to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    All,
    /// Elements of the checked workspace (not of imported models).
    Workspace,
    /// Elements of imported models (e.g. the national reference model).
    Imported,
    Kind(Vec<String>),
    Layer(Vec<String>),
    Tag(Vec<String>),
    /// Glob patterns (`*` matches any run of characters) over qualified and local ids.
    Id(Vec<String>),
    Has(Vec<String>),
    Compare {
        property: String,
        operator: Operator,
        value: Literal,
    },
    In {
        property: String,
        values: Vec<Literal>,
    },
    Parent(Box<Selector>),
    Child(Box<Selector>),
    Ancestor(Box<Selector>),
    Not(Box<Selector>),
    And(Vec<Selector>),
    Or(Vec<Selector>),
}

/// A selector error with its byte offset inside the selector text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    pub offset: usize,
    pub length: usize,
    pub message: String,
}

impl Selector {
    /// Parses and validates a selector against the metamodel.
    pub fn parse(text: &str, metamodel: &Metamodel) -> Result<Selector, SelectorError> {
        // Bound the recursion before pest sees the text (deep nesting would exhaust the stack).
        let mut depth = 0usize;
        for (offset, character) in text.char_indices() {
            match character {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > 32 {
                return Err(SelectorError {
                    offset,
                    length: 1,
                    message: "selector nests deeper than 32 parentheses".to_owned(),
                });
            }
        }
        if text.matches("not").count() > 64 {
            return Err(SelectorError {
                offset: 0,
                length: text.len().min(1),
                message: "selector has too many `not` operators".to_owned(),
            });
        }
        let mut pairs = SelectorParser::parse(Rule::selector, text).map_err(|error| {
            let offset = match error.location {
                pest::error::InputLocation::Pos(offset) => offset,
                pest::error::InputLocation::Span((start, _)) => start,
            };
            let expected = match &error.variant {
                pest::error::ErrorVariant::ParsingError { positives, .. } => {
                    let mut names: Vec<&str> =
                        positives.iter().map(|rule| describe(*rule)).collect();
                    names.sort_unstable();
                    names.dedup();
                    names.join(", ")
                }
                pest::error::ErrorVariant::CustomError { message } => message.clone(),
            };
            // Point at the next token, not at the whitespace before it.
            let rest = &text[offset.min(text.len())..];
            let offset = offset + rest.len() - rest.trim_start().len();
            SelectorError {
                offset,
                length: 1,
                message: format!("invalid selector: expected {expected}"),
            }
        })?;
        let expression = pairs
            .next()
            .and_then(|selector| selector.into_inner().next())
            .expect("grammar yields an expression");
        let validator = Validator { metamodel };
        validator.expression(expression)
    }
}

/// `*` matches any run of characters; everything else matches itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (index, part) in parts.iter().enumerate() {
        if index == 0 {
            let Some(stripped) = rest.strip_prefix(part) else {
                return false;
            };
            rest = stripped;
        } else if index == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            let Some(position) = rest.find(part) else {
                return false;
            };
            rest = &rest[position + part.len()..];
        }
    }
    true
}

fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_not => "`not`",
        Rule::kw_in => "`in`",
        Rule::operator => "a comparison (=, !=, <, <=, >, >=)",
        Rule::value_function_name | Rule::selector_function_name => {
            "a function (kind, layer, tag, id, has, parent, child, ancestor)"
        }
        Rule::arguments | Rule::string | Rule::date | Rule::integer | Rule::word => "a value",
        Rule::EOI => "the end of the selector",
        Rule::property => "a property name",
        // `expression`, `conjunction`, `unary` and the rules not named above.
        _ => "a selector",
    }
}

struct Validator<'a> {
    metamodel: &'a Metamodel,
}

fn error_at(pair: &Pair<'_, Rule>, message: String) -> SelectorError {
    let span = pair.as_span();
    SelectorError {
        offset: span.start(),
        length: span.end() - span.start(),
        message,
    }
}

impl Validator<'_> {
    fn expression(&self, pair: Pair<'_, Rule>) -> Result<Selector, SelectorError> {
        match pair.as_rule() {
            Rule::expression => {
                let mut parts = pair
                    .into_inner()
                    .filter(|part| part.as_rule() != Rule::kw_or)
                    .map(|part| self.expression(part))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if parts.len() == 1 {
                    parts.remove(0)
                } else {
                    Selector::Or(parts)
                })
            }
            Rule::conjunction => {
                let mut parts = pair
                    .into_inner()
                    .filter(|part| part.as_rule() != Rule::kw_and)
                    .map(|part| self.expression(part))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if parts.len() == 1 {
                    parts.remove(0)
                } else {
                    Selector::And(parts)
                })
            }
            Rule::unary => self.expression(pair.into_inner().next().expect("unary has one child")),
            Rule::negation => {
                let inner = pair
                    .into_inner()
                    .find(|part| part.as_rule() != Rule::kw_not)
                    .expect("negation has an operand");
                Ok(Selector::Not(Box::new(self.expression(inner)?)))
            }
            Rule::all => Ok(Selector::All),
            Rule::workspace => Ok(Selector::Workspace),
            Rule::imported => Ok(Selector::Imported),
            Rule::function => {
                self.function(pair.into_inner().next().expect("function has one form"))
            }
            Rule::comparison => {
                let mut inner = pair.into_inner();
                let property = inner.next().expect("property");
                let operator = inner.next().expect("operator");
                let value = inner.next().expect("value");
                let operator_kind = match operator.as_str() {
                    "=" => Operator::Equal,
                    "!=" => Operator::NotEqual,
                    "<" => Operator::Less,
                    "<=" => Operator::LessOrEqual,
                    ">" => Operator::Greater,
                    _ => Operator::GreaterOrEqual,
                };
                let value_type = self.property(&property)?;
                let literal = Self::literal(&value, value_type, &property)?;
                let ordered = matches!(value_type, ValueType::Integer { .. } | ValueType::Date);
                if !ordered && !matches!(operator_kind, Operator::Equal | Operator::NotEqual) {
                    return Err(error_at(
                        &operator,
                        format!(
                            "`{}` is {}: compare it with = or != only",
                            property.as_str(),
                            value_type.describe()
                        ),
                    ));
                }
                Ok(Selector::Compare {
                    property: property.as_str().to_owned(),
                    operator: operator_kind,
                    value: literal,
                })
            }
            Rule::membership => {
                let mut inner = pair.into_inner();
                let property = inner.next().expect("property");
                let value_type = self.property(&property)?;
                let values = inner
                    .filter(|part| part.as_rule() != Rule::kw_in)
                    .map(|value| Self::literal(&value, value_type, &property))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Selector::In {
                    property: property.as_str().to_owned(),
                    values,
                })
            }
            _ => Err(error_at(&pair, "unexpected selector part".to_owned())),
        }
    }

    fn function(&self, pair: Pair<'_, Rule>) -> Result<Selector, SelectorError> {
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let name = inner.next().expect("function name");
        let argument = inner.next().expect("function argument");
        if rule == Rule::selector_function {
            let nested = Box::new(self.expression(argument)?);
            return Ok(match name.as_str() {
                "parent" => Selector::Parent(nested),
                "child" => Selector::Child(nested),
                _ => Selector::Ancestor(nested),
            });
        }
        let values: Vec<Pair<'_, Rule>> = argument.into_inner().collect();
        let texts: Vec<String> = values
            .iter()
            .map(|value| value.as_str().trim_matches('"').to_owned())
            .collect();
        match name.as_str() {
            "kind" => {
                for value in &values {
                    let kind = value.as_str();
                    if self.metamodel.kind(kind).is_none() {
                        let hint = suggest(kind, self.metamodel.kinds.keys().map(String::as_str))
                            .map(|best| format!("; did you mean `{best}`?"))
                            .unwrap_or_default();
                        return Err(error_at(
                            value,
                            format!("unknown kind `{kind}` in selector{hint}"),
                        ));
                    }
                }
                Ok(Selector::Kind(texts))
            }
            "layer" => {
                for value in &values {
                    if self.metamodel.layer(value.as_str()).is_none() {
                        let layers: Vec<&str> = self
                            .metamodel
                            .layers
                            .iter()
                            .map(|layer| layer.id.as_str())
                            .collect();
                        return Err(error_at(
                            value,
                            format!(
                                "unknown layer `{}` in selector; layers: {}",
                                value.as_str(),
                                layers.join(", ")
                            ),
                        ));
                    }
                }
                Ok(Selector::Layer(texts))
            }
            "has" => {
                for value in &values {
                    self.property(value)?;
                }
                Ok(Selector::Has(texts))
            }
            "tag" => Ok(Selector::Tag(texts)),
            _ => Ok(Selector::Id(texts)),
        }
    }

    fn property(&self, pair: &Pair<'_, Rule>) -> Result<&ValueType, SelectorError> {
        let name = pair.as_str();
        self.metamodel
            .property(name)
            .map(|definition| &definition.value_type)
            .ok_or_else(|| {
                let hint = suggest(name, self.metamodel.properties.keys().map(String::as_str))
                    .map(|best| format!("; did you mean `{best}`?"))
                    .unwrap_or_default();
                error_at(
                    pair,
                    format!("the metamodel defines no property `{name}`{hint}"),
                )
            })
    }

    fn literal(
        pair: &Pair<'_, Rule>,
        value_type: &ValueType,
        property: &Pair<'_, Rule>,
    ) -> Result<Literal, SelectorError> {
        let text = pair.as_str();
        let value_type = match value_type {
            ValueType::List { item } => item.as_ref(),
            other => other,
        };
        let literal = match pair.as_rule() {
            Rule::string => Literal::String(text.trim_matches('"').to_owned()),
            Rule::integer => Literal::Integer(
                text.parse()
                    .map_err(|_| error_at(pair, format!("`{text}` is not a valid integer")))?,
            ),
            Rule::date => Literal::Date(
                Date::parse(text)
                    .ok_or_else(|| error_at(pair, format!("`{text}` is not a calendar date")))?,
            ),
            _ => Literal::Word(text.to_owned()),
        };
        let fits = match (value_type, &literal) {
            (ValueType::Integer { .. }, Literal::Integer(_))
            | (ValueType::Date, Literal::Date(_))
            | (
                ValueType::String | ValueType::Reference { .. },
                Literal::String(_) | Literal::Word(_),
            ) => true,
            (ValueType::Boolean, Literal::Word(word)) => word == "true" || word == "false",
            (ValueType::Enum { values }, Literal::Word(word) | Literal::String(word)) => {
                if !values.contains(word) {
                    let hint = suggest(word, values.iter().map(String::as_str)).map_or_else(
                        || format!("; allowed: {}", values.join(", ")),
                        |best| format!("; did you mean `{best}`?"),
                    );
                    return Err(error_at(
                        pair,
                        format!("`{word}` is not a value of `{}`{hint}", property.as_str()),
                    ));
                }
                true
            }
            _ => false,
        };
        if !fits {
            return Err(error_at(
                pair,
                format!(
                    "`{}` is {}, but `{}` is not",
                    property.as_str(),
                    value_type.describe(),
                    literal.text()
                ),
            ));
        }
        Ok(literal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_patterns() {
        assert!(glob("dvc_*", "dvc_hn"));
        assert!(glob("*_hn", "dvc_hn"));
        assert!(glob("national.*", "national.ndxp"));
        assert!(glob("a*b*c", "aXXbYYc"));
        assert!(!glob("a*b*c", "aXXbYY"));
        assert!(glob("exact", "exact"));
        assert!(!glob("exact", "exactly"));
    }
}

#[cfg(test)]
mod depth_tests {
    use super::*;

    #[test]
    fn deeply_nested_selectors_are_refused_not_overflowed() {
        let metamodel = Metamodel::default();
        let text = format!("{}*{}", "(".repeat(100_000), ")".repeat(100_000));
        let error = Selector::parse(&text, &metamodel).unwrap_err();
        assert_eq!(error.message, "selector nests deeper than 32 parentheses");
        let nots = format!("{}*", "not ".repeat(100_000));
        assert!(Selector::parse(&nots, &metamodel).is_err());
    }
}
