//! Parser tests: every construct of the language, as a compact dump of the syntax tree (kinds,
//! names, values and byte ranges) snapshot with insta.

use kientruc_dsl::syntax::{
    Block, Declaration, Element, Entry, Relation, Value, ValueKind, ViewItem,
};
use kientruc_dsl::{FileId, parse};
use std::fmt::Write as _;

fn dump(text: &str) -> String {
    let parsed = parse(FileId(0), text);
    let mut out = String::new();
    for declaration in &parsed.tree.declarations {
        match declaration {
            Declaration::Architecture(header) => {
                writeln!(
                    out,
                    "architecture {} {} {:?}{}",
                    header.id.text,
                    header.name.raw(text),
                    header.range.to_range(),
                    doc(header.doc.as_deref())
                )
                .unwrap();
                if let Some(body) = &header.body {
                    block(text, &mut out, body, 1);
                }
            }
            Declaration::Import(import) => {
                let alias = import
                    .alias
                    .as_ref()
                    .map(|alias| format!(" as {}", alias.text))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "import {:?}{alias} {:?}",
                    import.path.value,
                    import.range.to_range()
                )
                .unwrap();
            }
            Declaration::Element(item) => element(text, &mut out, item, 0),
            Declaration::Relation(item) => relation(text, &mut out, item, 0),
            Declaration::View(view) => {
                writeln!(
                    out,
                    "view {} {:?} {:?}{}",
                    view.id.text,
                    view.title.value,
                    view.range.to_range(),
                    doc(view.doc.as_deref())
                )
                .unwrap();
                for item in &view.items {
                    match item {
                        ViewItem::Statement(statement) => {
                            let target = statement
                                .target
                                .as_ref()
                                .map(|target| {
                                    format!(" -> {:?} {:?}", target.text, target.range.to_range())
                                })
                                .unwrap_or_default();
                            writeln!(
                                out,
                                "  {} {:?} {:?}{target}",
                                if statement.include {
                                    "include"
                                } else {
                                    "exclude"
                                },
                                statement.selector.text,
                                statement.selector.range.to_range(),
                            )
                            .unwrap();
                        }
                        ViewItem::GroupBy { word, range } => {
                            writeln!(out, "  group by {} {:?}", word.text, range.to_range())
                                .unwrap();
                        }
                        ViewItem::Property(property) => {
                            writeln!(
                                out,
                                "  {} = {} {:?}",
                                property.name.text,
                                value(&property.value),
                                property.range.to_range()
                            )
                            .unwrap();
                        }
                    }
                }
            }
            Declaration::Waiver(waiver) => {
                let until = waiver
                    .until
                    .map(|(date, _)| format!(" until {date}"))
                    .unwrap_or_default();
                let reason = waiver
                    .reason
                    .as_ref()
                    .map(|reason| format!(" {:?}", reason.value))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "waive {} on {}{until}{reason} {:?}{}",
                    waiver.rule.text,
                    waiver.element.text,
                    waiver.range.to_range(),
                    doc(waiver.doc.as_deref())
                )
                .unwrap();
            }
        }
    }
    for comment in &parsed.tree.comments {
        writeln!(
            out,
            "comment {:?} {:?} trailing={} {:?}",
            comment.kind,
            comment.text,
            comment.trailing,
            comment.range.to_range()
        )
        .unwrap();
    }
    for diagnostic in &parsed.diagnostics {
        let range = diagnostic
            .primary
            .as_ref()
            .map(|label| label.span.range.to_range());
        writeln!(
            out,
            "diagnostic {} {:?} {}",
            diagnostic.code, range, diagnostic.message
        )
        .unwrap();
    }
    out
}

fn doc(doc: Option<&str>) -> String {
    doc.map(|doc| format!(" doc={doc:?}")).unwrap_or_default()
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

fn element(text: &str, out: &mut String, item: &Element, depth: usize) {
    writeln!(
        out,
        "{}element {} {} {} {:?}{}",
        indent(depth),
        item.kind.text,
        item.id.text,
        item.name.raw(text),
        item.range.to_range(),
        doc(item.doc.as_deref())
    )
    .unwrap();
    if let Some(body) = &item.body {
        block(text, out, body, depth + 1);
    }
}

fn relation(text: &str, out: &mut String, item: &Relation, depth: usize) {
    let source = item
        .source
        .as_ref()
        .map(|source| format!("{} ", source.text))
        .unwrap_or_default();
    let label = item
        .label
        .as_ref()
        .map(|label| format!(" {}", label.raw(text)))
        .unwrap_or_default();
    let via: Vec<&str> = item.via.iter().map(|via| via.text.as_str()).collect();
    let via = if via.is_empty() {
        String::new()
    } else {
        format!(" via {}", via.join(", "))
    };
    writeln!(
        out,
        "{}relation {} {source}-> {}{label}{via} {:?}{}",
        indent(depth),
        item.relation_type.text,
        item.target.text,
        item.range.to_range(),
        doc(item.doc.as_deref())
    )
    .unwrap();
    if let Some(body) = &item.body {
        block(text, out, body, depth + 1);
    }
}

fn block(text: &str, out: &mut String, body: &Block, depth: usize) {
    for entry in &body.entries {
        match entry {
            Entry::Property(property) => {
                writeln!(
                    out,
                    "{}property {} = {} {:?}",
                    indent(depth),
                    property.name.text,
                    value(&property.value),
                    property.range.to_range()
                )
                .unwrap();
            }
            Entry::Relation(item) => relation(text, out, item, depth),
            Entry::Element(item) => element(text, out, item, depth),
        }
    }
}

fn value(value_node: &Value) -> String {
    match &value_node.kind {
        ValueKind::String(literal) => format!("string {:?}", literal.value),
        ValueKind::Integer(number) => format!("integer {number}"),
        ValueKind::Date(date) => format!("date {date}"),
        ValueKind::Path(name) => format!("name {}", name.text),
        ValueKind::List(items) => format!(
            "list [{}]",
            items.iter().map(value).collect::<Vec<_>>().join(", ")
        ),
    }
}

macro_rules! parse_snapshot {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(dump($text));
        }
    };
}

parse_snapshot!(
    architecture_header,
    "/// Kiến trúc Hà Nội.\narchitecture hanoi \"Kiến trúc Chính quyền điện tử thành phố Hà Nội\" {\n  version \"3.0\"\n  framework \"vn-egov-3.0\"\n  as_of 2024-12-31\n}\n"
);
parse_snapshot!(
    imports_with_and_without_alias,
    "import \"framework:national.ea\" as national\nimport \"../chung/agencies.ea\"\n"
);
parse_snapshot!(
    element_with_every_value_type,
    "system dvc_hn \"Hệ thống thông tin giải quyết TTHC\" {\n  owner ubnd_hn\n  security_level 3\n  launched 2021-07-01\n  url \"https://dichvucong.hanoi.gov.vn\"\n  public true\n  hosted_in national.ndc\n  tags [public-service, \"dữ liệu cá nhân\"]\n  data []\n  negative -5\n}\n"
);
parse_snapshot!(
    nested_elements_and_inline_relations,
    "system ioc \"Trung tâm điều hành thông minh\" {\n  /// Lớp dữ liệu.\n  component kho \"Kho dữ liệu\" {\n    component api \"API\" {}\n  }\n  uses -> lgsp_hn \"trao đổi\" via ndxp, national.ndc { protocol \"REST\" data [ho_so] }\n  uses -> camera\n}\n"
);
parse_snapshot!(
    top_level_relations,
    "/// Đồng bộ hồ sơ.\nexchanges_with dvc_hn -> national.dvcqg \"đồng bộ hồ sơ TTHC\" via lgsp_hn {\n  protocol \"REST\"\n}\nuses a->b\n"
);
parse_snapshot!(
    waivers,
    "waive EA-SEC-004 on camera_hn until 2025-06-30 \"kế hoạch ATTT đang thẩm định (KH 57, mục 3.2)\"\nwaive SRM-001 on x\n"
);
parse_snapshot!(
    comments_of_every_kind,
    "// đầu tệp\n/// tài liệu\n//// không phải tài liệu\nagency a \"A\" { // cuối dòng\n  level province // giá trị\n}\n"
);
parse_snapshot!(
    string_escapes_and_unicode,
    "agency a \"Sở \\\"Thông tin\\\" \\u{1EA1} \\\\ \\n 😀\" {}\n"
);
parse_snapshot!(
    identifiers_with_dashes_and_arrows,
    "uses he-thong-a->he-thong-b\n"
);
parse_snapshot!(
    three_independent_errors_keep_the_rest,
    "agency ok1 \"Một\" {}\nsystem \"không mã\" {}\nagency ok2 \"Hai\" { level }\nagency ok3 \"Ba\" {}\nwaive on\nagency ok4 \"Bốn\" {}\n"
);
parse_snapshot!(
    crlf_and_tabs,
    "agency a \"A\" {\r\n\tlevel province\r\n}\r\n"
);
parse_snapshot!(empty_input, "");
parse_snapshot!(
    views_with_every_item,
    "/// Y tế.\nview health \"Y tế\" {\n  title_en \"Health\"\n  include kind(system) and tag(health)   // trailing\n  include kind(system) -> kind(platform) or id(\"a->b}\")\n  exclude id(\"test_*\")\n  layout top-down\n  group by owner\n}\nview all \"Tất cả\" { include * }\nagency a \"A\" {}\n"
);
parse_snapshot!(
    a_view_with_an_element_inside_is_an_error_at_the_element,
    "view v \"V\" {\n  include *\n  system s \"S\" {}\n}\n"
);
