//! Property tests of the formatter on generated models with random layout and comments:
//! formatting succeeds, is idempotent, keeps every comment, and preserves the syntax tree and the
//! resolved model.

use kientruc_dsl::analysis::analyze;
use kientruc_dsl::format::{format_text, same_meaning};
use kientruc_dsl::model::Model;
use kientruc_dsl::workspace::{FrameworkPack, MemoryProvider, MemoryRegistry};
use kientruc_dsl::{FileId, parse};
use proptest::prelude::*;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

/// Tokens joined by generated whitespace; `Break` forces a line break (after comments).
#[derive(Debug, Clone)]
enum Piece {
    Token(String),
    Comment(String),
}

fn identifier() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,6}".prop_filter("not a keyword", |word| {
        !matches!(
            word.as_str(),
            "architecture" | "import" | "waive" | "as" | "on" | "until" | "via" | "true" | "false"
        )
    })
}

fn string_literal() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("Hà Nội".to_owned()),
            Just("dữ liệu".to_owned()),
            Just("\\\"".to_owned()),
            Just("x".to_owned()),
            Just(" ".to_owned()),
            Just("😀".to_owned())
        ],
        0..5,
    )
    .prop_map(|parts| format!("\"{}\"", parts.concat()))
}

fn value() -> impl Strategy<Value = Vec<Piece>> {
    let scalar = prop_oneof![
        string_literal().prop_map(|text| vec![Piece::Token(text)]),
        (0i64..1000).prop_map(|number| vec![Piece::Token(number.to_string())]),
        (2000u16..2030, 1u8..13, 1u8..29)
            .prop_map(|(y, m, d)| vec![Piece::Token(format!("{y:04}-{m:02}-{d:02}"))]),
        identifier().prop_map(|word| vec![Piece::Token(word)]),
    ];
    prop_oneof![
        3 => scalar.clone(),
        1 => prop::collection::vec(scalar, 0..4).prop_map(|items| {
            let mut pieces = vec![Piece::Token("[".to_owned())];
            for (index, item) in items.into_iter().enumerate() {
                if index > 0 {
                    pieces.push(Piece::Token(",".to_owned()));
                }
                pieces.extend(item);
            }
            pieces.push(Piece::Token("]".to_owned()));
            pieces
        }),
    ]
}

fn comment() -> impl Strategy<Value = Option<Piece>> {
    prop_oneof![4 => Just(None), 1 => "[a-zà-ỹ ]{0,12}".prop_map(|text| Some(Piece::Comment(format!("// {text}")))), 1 => "[a-z ]{0,8}".prop_map(|text| Some(Piece::Comment(format!("/// {text}"))))]
}

fn entry(depth: u32) -> BoxedStrategy<Vec<Piece>> {
    let property = (identifier(), value(), comment()).prop_map(|(name, value, comment)| {
        let mut pieces: Vec<Piece> = comment.into_iter().collect();
        pieces.push(Piece::Token(name));
        pieces.extend(value);
        pieces
    });
    let relation = (
        identifier(),
        identifier(),
        prop::option::of(string_literal()),
        prop::collection::vec(identifier(), 0..3),
    )
        .prop_map(|(kind, target, label, via)| {
            let mut pieces = vec![
                Piece::Token(kind),
                Piece::Token("->".to_owned()),
                Piece::Token(target),
            ];
            pieces.extend(label.map(Piece::Token));
            for (index, via) in via.into_iter().enumerate() {
                pieces.push(Piece::Token(if index == 0 {
                    "via".to_owned()
                } else {
                    ",".to_owned()
                }));
                pieces.push(Piece::Token(via));
            }
            pieces
        });
    if depth == 0 {
        prop_oneof![property, relation].boxed()
    } else {
        prop_oneof![3 => property, 1 => relation, 1 => element(depth - 1)].boxed()
    }
}

fn element(depth: u32) -> BoxedStrategy<Vec<Piece>> {
    (
        identifier(),
        identifier(),
        string_literal(),
        prop::option::of(prop::collection::vec(entry(depth), 0..4)),
        comment(),
    )
        .prop_map(|(kind, id, name, body, comment)| {
            let mut pieces: Vec<Piece> = comment.into_iter().collect();
            pieces.extend([Piece::Token(kind), Piece::Token(id), Piece::Token(name)]);
            if let Some(entries) = body {
                pieces.push(Piece::Token("{".to_owned()));
                for entry in entries {
                    pieces.extend(entry);
                }
                pieces.push(Piece::Token("}".to_owned()));
            }
            pieces
        })
        .boxed()
}

fn declaration() -> impl Strategy<Value = Vec<Piece>> {
    prop_oneof![
        4 => element(2),
        1 => (identifier(), identifier(), identifier()).prop_map(|(kind, source, target)| vec![Piece::Token(kind), Piece::Token(source), Piece::Token("->".to_owned()), Piece::Token(target)]),
        1 => (identifier(), identifier(), string_literal()).prop_map(|(rule, element, reason)| vec![
            Piece::Token("waive".to_owned()), Piece::Token(rule.to_uppercase()), Piece::Token("on".to_owned()), Piece::Token(element),
            Piece::Token("until".to_owned()), Piece::Token("2025-06-30".to_owned()), Piece::Token(reason)]),
    ]
}

/// Lays pieces out with random whitespace; declarations start on their own line.
fn layout(declarations: Vec<Vec<Piece>>, spacing: Vec<u8>) -> String {
    let mut text = String::new();
    let mut spacing = spacing.into_iter().cycle();
    for declaration in declarations {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for piece in declaration {
            match piece {
                Piece::Token(token) => {
                    if !text.is_empty() && !text.ends_with('\n') {
                        text.push_str(match spacing.next().unwrap_or(0) % 4 {
                            0 | 1 => " ",
                            2 => "\n  ",
                            _ => " \t ",
                        });
                    }
                    text.push_str(&token);
                }
                Piece::Comment(comment) => {
                    if !text.is_empty() && !text.ends_with('\n') {
                        text.push(' ');
                    }
                    text.push_str(&comment);
                    text.push('\n');
                }
            }
        }
    }
    text.push('\n');
    text
}

fn comments_of(text: &str) -> Vec<String> {
    parse(FileId(0), text)
        .tree
        .comments
        .into_iter()
        .map(|comment| comment.text.trim_end().to_owned())
        .collect()
}

/// The model without positions: what formatting must never change.
fn model_projection(model: &Model) -> String {
    let mut out = String::new();
    for element in &model.elements {
        let properties: Vec<String> = element
            .properties
            .iter()
            .map(|(name, entry)| format!("{name}={:?}", entry.value))
            .collect();
        writeln!(
            out,
            "{} {} {:?} {:?} {:?} {:?} {:?}",
            element.qualified_id,
            element.kind,
            element.name,
            element.doc,
            properties,
            element.tags,
            element.parent
        )
        .unwrap();
    }
    for relation in &model.relations {
        writeln!(
            out,
            "{} {:?}->{:?} {:?} {:?}",
            relation.relation_type, relation.source, relation.target, relation.label, relation.via
        )
        .unwrap();
    }
    out
}

fn resolved(text: &str) -> Model {
    let mut provider = MemoryProvider::default();
    provider.insert("/ws/main.ea", text);
    let mut files = std::collections::BTreeMap::new();
    files.insert(
        "metamodel.toml".to_owned(),
        Arc::from(include_str!("../../tests/frameworks/mini/metamodel.toml")),
    );
    let registry = MemoryRegistry {
        packs: vec![FrameworkPack {
            id: "mini".to_owned(),
            origin: "test".to_owned(),
            display_root: None,
            files,
        }],
    };
    analyze(
        Path::new("/ws"),
        &[Path::new("/ws/main.ea").to_path_buf()],
        &provider,
        &registry,
    )
    .model
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn formatting_is_idempotent_and_preserves_meaning_and_comments(
        declarations in prop::collection::vec(declaration(), 1..6),
        spacing in prop::collection::vec(any::<u8>(), 1..16),
    ) {
        let text = layout(declarations, spacing);
        let parsed = parse(FileId(0), &text);
        prop_assert!(parsed.diagnostics.is_empty(), "generated text must parse: {:?}\n{}", parsed.diagnostics, text);
        let formatted = format_text(&text);
        prop_assert!(formatted.is_some(), "format refused:\n{}", text);
        let formatted = formatted.unwrap();
        let reformatted = format_text(&formatted);
        prop_assert_eq!(reformatted.as_deref(), Some(formatted.as_str()), "not idempotent:\n{}", text);
        prop_assert!(same_meaning(&parsed.tree, &parse(FileId(0), &formatted).tree));
        prop_assert_eq!(comments_of(&text), comments_of(&formatted));
        prop_assert_eq!(model_projection(&resolved(&text)), model_projection(&resolved(&formatted)));
    }
}
