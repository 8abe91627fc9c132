//! Editor features on inline multi-file fixtures (`//- /path` sections, `$0` marks the cursor),
//! called on the analysis directly, with exact expected results.

mod support;

use kientruc_lsp::convert::ProtocolPositions as _;
use kientruc_lsp::ide::{self, completion::CompletionCategory};
use support::{WORKSPACE, analyze, analyze_at, fixture, place, with_file};

fn at(pattern: &str, marked: &str) -> String {
    with_file(WORKSPACE, "/ws/apps.ea", |text| {
        assert!(text.contains(pattern), "{pattern} is not in apps.ea");
        text.replacen(pattern, marked, 1)
    })
}

fn labels(completions: &ide::completion::Completions) -> Vec<String> {
    completions
        .items
        .iter()
        .map(|item| item.label.clone())
        .collect()
}

#[test]
fn hover_on_a_qualified_reference_shows_the_national_element() {
    let (project, position) = analyze_at(&at("national.ndxp", "national.nd$0xp"));
    let hover = ide::hover::hover(&project, position).expect("a hover");
    assert_eq!(
        hover.markdown,
        "```kientruc\nplatform national.ndxp \"NDXP\"\n```\n\n**Nền tảng** · Platform · layer `application`\n\nNền tảng tích hợp, chia sẻ dữ liệu quốc gia.\n\n- `owner`: national.bo\n- `platform_type`: ndxp\n\n*declared in `framework:mini/national.ea`, line 11*"
    );
    let text = project.text(position.file);
    assert_eq!(&text[hover.range.to_range()], "national.ndxp");
}

#[test]
fn hover_on_a_declaration_shows_doc_comment_properties_and_findings() {
    let (project, position) = analyze_at(&at("system camera", "system cam$0era"));
    let hover = ide::hover::hover(&project, position).expect("a hover");
    assert_eq!(
        hover.markdown,
        "```kientruc\nsystem camera \"Camera giám sát\"\n```\n\n**Hệ thống thông tin** · Information system · layer `application`\n\n- `owner`: ubnd\n\n*declared in `ws/apps.ea`, line 14*\n\n---\n\nT-PROP-001 (waived): Hệ thống Camera giám sát (camera) chưa có cấp độ an toàn\n\n**T-PROP-001** — Hệ thống có cấp độ an toàn\n\n*Systems have a security level*\n\nseverity `error` · reference model SRM\n\ncitation: Nghị định số 85/2016/NĐ-CP của Chính phủ về bảo đảm an toàn hệ thống thông tin theo cấp độ, Điều 5 — <https://example.invalid/nd-85>\n\nfix: Thêm security_level."
    );
}

#[test]
fn hover_on_kind_property_relation_and_waived_rule() {
    let (project, position) = analyze_at(&at("platform lgsp", "plat$0form lgsp"));
    assert_eq!(
        ide::hover::hover(&project, position)
            .expect("a hover")
            .markdown,
        "**Nền tảng** · Platform — element kind `platform`, layer `application`\n\nproperties: owner, status, platform_type, code"
    );
    let (project, position) = analyze_at(&at("status operational", "sta$0tus operational"));
    assert_eq!(
        ide::hover::hover(&project, position)
            .expect("a hover")
            .markdown,
        "`status`: one of operational, planned, retiring"
    );
    let (project, position) = analyze_at(&at("owner ubnd\n  security", "ow$0ner ubnd\n  security"));
    assert_eq!(
        ide::hover::hover(&project, position)
            .expect("a hover")
            .markdown,
        "`owner`: a reference to an agency\n\nrequired here"
    );
    let (project, position) = analyze_at(&at("uses -> lgsp", "us$0es -> lgsp"));
    assert_eq!(
        ide::hover::hover(&project, position)
            .expect("a hover")
            .markdown,
        "**sử dụng** · uses — relation `uses`\n\nfrom: system, component\n\nto: platform, system\n\nproperties: protocol, data"
    );
    let (project, position) = analyze_at(&at("waive T-PROP-001", "waive T-PROP$0-001"));
    assert_eq!(
        ide::hover::hover(&project, position)
            .expect("a hover")
            .markdown,
        "**T-PROP-001** — Hệ thống có cấp độ an toàn\n\n*Systems have a security level*\n\nseverity `error` · reference model SRM\n\ncitation: Nghị định số 85/2016/NĐ-CP của Chính phủ về bảo đảm an toàn hệ thống thông tin theo cấp độ, Điều 5 — <https://example.invalid/nd-85>\n\nfix: Thêm security_level."
    );
}

#[test]
fn hover_inside_vietnamese_display_name_is_empty() {
    let (project, position) = analyze_at(&at("giám sát", "giám s$0át"));
    assert_eq!(ide::hover::hover(&project, position), None);
}

#[test]
fn definition_goes_across_files_and_into_the_national_model() {
    let (project, position) = analyze_at(&at("owner ubnd\n  security", "owner ub$0nd\n  security"));
    let found: Vec<String> = ide::navigation::definition(&project, position)
        .into_iter()
        .map(|span| place(&project, span))
        .collect();
    assert_eq!(found, vec!["ws/main.ea:8:8-8:12"]);

    let (project, position) = analyze_at(&at("national.ndxp", "national.$0ndxp"));
    let spans = ide::navigation::definition(&project, position);
    assert_eq!(
        spans
            .iter()
            .map(|span| place(&project, *span))
            .collect::<Vec<_>>(),
        vec!["framework:mini/national.ea:11:10-11:14"]
    );
    // The embedded pack file is written to the cache so that the editor can open it.
    let on_disk = project
        .client_path(spans[0].file)
        .expect("a path for the pack file");
    assert_eq!(on_disk, support::cache_directory().join("mini/national.ea"));
    assert_eq!(
        std::fs::read_to_string(on_disk).expect("written"),
        support::NATIONAL
    );
}

#[test]
fn definition_of_an_import_path_is_the_imported_file() {
    let text = with_file(WORKSPACE, "/ws/main.ea", |text| {
        text.replace("\"framework:national.ea\"", "\"framework:nat$0ional.ea\"")
    });
    let (project, position) = analyze_at(&text);
    let found: Vec<String> = ide::navigation::definition(&project, position)
        .into_iter()
        .map(|span| place(&project, span))
        .collect();
    assert_eq!(found, vec!["framework:mini/national.ea:1:1-1:1"]);
}

#[test]
fn references_and_highlights_include_waivers_and_property_references() {
    let (project, position) = analyze_at(&at("system camera", "system $0camera"));
    let found: Vec<String> = ide::navigation::references(&project, position, true)
        .into_iter()
        .map(|span| place(&project, span))
        .collect();
    assert_eq!(
        found,
        vec!["ws/apps.ea:14:8-14:14", "ws/apps.ea:19:21-19:27"]
    );

    let (project, position) = analyze_at(&at("owner ubnd\n  security", "owner ubnd$0\n  security"));
    let found: Vec<String> = ide::navigation::references(&project, position, false)
        .into_iter()
        .map(|span| place(&project, span))
        .collect();
    assert_eq!(
        found,
        vec![
            "ws/apps.ea:3:9-3:13",
            "ws/apps.ea:10:9-10:13",
            "ws/apps.ea:15:9-15:13"
        ]
    );
    let highlights = ide::navigation::highlights(&project, position);
    assert_eq!(highlights.len(), 3);
    assert!(highlights.iter().all(|highlight| !highlight.is_declaration));

    let (project, position) = analyze_at(&at("uses -> lgsp", "uses -> lg$0sp"));
    let highlights: Vec<(String, bool)> = ide::navigation::highlights(&project, position)
        .into_iter()
        .map(|highlight| {
            (
                project.text(position.file)[highlight.range.to_range()].to_owned(),
                highlight.is_declaration,
            )
        })
        .collect();
    assert_eq!(
        highlights,
        vec![("lgsp".to_owned(), true), ("lgsp".to_owned(), false)]
    );
}

#[test]
fn rename_edits_the_declaration_and_every_use() {
    let (project, position) = analyze_at(&at("owner ubnd\n  security", "owner u$0bnd\n  security"));
    let (_, range) = ide::navigation::prepare_rename(&project, position).expect("renameable");
    assert_eq!(&project.text(position.file)[range.to_range()], "ubnd");
    let edits: Vec<String> = ide::navigation::rename(&project, position, "ubnd_hn")
        .expect("a rename")
        .into_iter()
        .map(|(file, range)| place(&project, kientruc_dsl::text::Span::new(file, range)))
        .collect();
    assert_eq!(
        edits,
        vec![
            "ws/main.ea:8:8-8:12",
            "ws/apps.ea:3:9-3:13",
            "ws/apps.ea:10:9-10:13",
            "ws/apps.ea:15:9-15:13"
        ]
    );
}

#[test]
fn rename_refuses_keywords_bad_names_clashes_and_framework_elements() {
    let (project, position) = analyze_at(&at("system camera", "system $0camera"));
    let refuse =
        |name: &str| ide::navigation::rename(&project, position, name).expect_err("refused");
    assert_eq!(refuse("waive"), "`waive` is a keyword of the language");
    assert_eq!(
        refuse("9lives"),
        "`9lives` is not an identifier (letters, digits, `_` and `-`, starting with a letter or `_`)"
    );
    assert_eq!(refuse("lgsp"), "`lgsp` is already declared (in ws/apps.ea)");
    // A name of the national model does not clash with a workspace id.
    assert!(ide::navigation::rename(&project, position, "ndxp").is_ok());

    let (project, position) = analyze_at(&at("national.ndxp", "national.nd$0xp"));
    assert_eq!(
        ide::navigation::prepare_rename(&project, position).expect_err("refused"),
        "`national.ndxp` is declared by the framework pack and cannot be renamed"
    );
    let (project, position) = analyze_at(&at("platform lgsp", "plat$0form lgsp"));
    assert_eq!(
        ide::navigation::prepare_rename(&project, position).expect_err("refused"),
        "only element ids can be renamed"
    );
}

#[test]
fn completion_at_the_top_level_offers_keywords_kinds_and_relation_types() {
    let (project, position) = analyze_at(&at("platform lgsp", "$0platform lgsp"));
    let completions = ide::completion::completions(&project, position);
    assert_eq!(
        labels(&completions),
        vec![
            "architecture",
            "import",
            "waive",
            "agency",
            "component",
            "data_centre",
            "platform",
            "system",
            "depends_on",
            "exchanges_with",
            "hosted_on",
            "uses"
        ]
    );
}

#[test]
fn completion_in_a_body_offers_properties_relations_and_nested_kinds_of_the_enclosing_kind() {
    let (project, position) =
        analyze_at(&at("  status operational", "  sta$0\n  status operational"));
    let completions = ide::completion::completions(&project, position);
    assert_eq!(
        &project.text(position.file)[completions.replace.to_range()],
        "sta"
    );
    assert_eq!(
        labels(&completions),
        vec![
            "owner",
            "security_level",
            "status",
            "launched",
            "public",
            "url",
            "replaces",
            "code",
            "tags",
            "depends_on",
            "exchanges_with",
            "hosted_on",
            "uses",
            "agency",
            "component",
            "platform",
            "system"
        ]
    );
    let uses = completions
        .items
        .iter()
        .find(|item| item.label == "uses")
        .expect("uses");
    assert_eq!(uses.insert_text.as_deref(), Some("uses -> "));
    assert_eq!(uses.category, CompletionCategory::RelationType);
    let owner = &completions.items[0];
    assert_eq!(
        owner.detail.as_deref(),
        Some("a reference to an agency (required)")
    );
}

#[test]
fn completion_after_a_property_name_offers_its_values() {
    let (project, position) = analyze_at(&at("status operational", "status $0"));
    assert_eq!(
        labels(&ide::completion::completions(&project, position)),
        vec!["operational", "planned", "retiring"]
    );
    let (project, position) = analyze_at(&at(
        "owner ubnd\n  uses -> lgsp",
        "owner u$0\n  uses -> lgsp",
    ));
    assert_eq!(
        labels(&ide::completion::completions(&project, position)),
        vec!["ubnd", "national.bo"]
    );
    let (project, position) = analyze_at(&at(
        "  status operational",
        "  public $0\n  status operational",
    ));
    assert_eq!(
        labels(&ide::completion::completions(&project, position)),
        vec!["true", "false"]
    );
}

#[test]
fn completion_after_an_arrow_offers_targets_of_the_relation_type_with_qualified_ids() {
    let (project, position) = analyze_at(&at("uses -> lgsp", "uses -> national.$0"));
    let completions = ide::completion::completions(&project, position);
    assert_eq!(
        &project.text(position.file)[completions.replace.to_range()],
        "national."
    );
    // `camera`, whose body is being edited, does not parse at this moment and so is not offered.
    assert_eq!(labels(&completions), vec!["dvc", "lgsp", "national.ndxp"]);
}

#[test]
fn completion_after_waive_offers_rule_ids_then_on_then_elements() {
    let (project, position) = analyze_at(&at("waive T-PROP-001 on camera", "waive T-$0"));
    let completions = ide::completion::completions(&project, position);
    assert_eq!(labels(&completions), vec!["T-PROP-001", "T-REL-001"]);
    assert_eq!(
        completions.items[0].detail.as_deref(),
        Some("Hệ thống có cấp độ an toàn")
    );
    let (project, position) = analyze_at(&at("waive T-PROP-001 on camera", "waive T-PROP-001 $0"));
    assert_eq!(
        labels(&ide::completion::completions(&project, position)),
        vec!["on"]
    );
    let (project, position) = analyze_at(&at(
        "waive T-PROP-001 on camera",
        "waive T-PROP-001 on ca$0",
    ));
    assert_eq!(
        labels(&ide::completion::completions(&project, position)),
        vec![
            "dvc",
            "lgsp",
            "camera",
            "ubnd",
            "national.bo",
            "national.ndxp",
            "hn"
        ]
    );
}

#[test]
fn completion_inside_a_string_or_comment_offers_nothing() {
    let (project, position) = analyze_at(&at("giám sát", "giám $0sát"));
    assert!(
        ide::completion::completions(&project, position)
            .items
            .is_empty()
    );
    let (project, position) = analyze_at(&at("/// Hệ thống", "/// Hệ $0thống"));
    assert!(
        ide::completion::completions(&project, position)
            .items
            .is_empty()
    );
}

#[test]
fn document_symbols_are_hierarchical() {
    let text = r#"//- /ws/main.ea
architecture hn "Hà Nội" {
  framework "mini"
  version "3.0"
}

agency ubnd "Ủy ban nhân dân" {
  level province
}

system dvc "Dịch vụ công" {
  owner ubnd
  security_level 2
  component cong "Cổng" {
    status planned
  }
}

depends_on dvc -> ubnd
"#;
    let project = analyze(&fixture(text));
    let file = project
        .file_of_path(std::path::Path::new("/ws/main.ea"))
        .expect("file");
    let outline: Vec<String> = ide::symbols::document_symbols(&project, file)
        .into_iter()
        .map(|symbol| {
            let children: Vec<String> = symbol
                .children
                .iter()
                .map(|child| child.name.clone())
                .collect();
            format!(
                "{} [{}] {:?} {:?}",
                symbol.name,
                symbol.detail.unwrap_or_default(),
                symbol.category,
                children
            )
        })
        .collect();
    assert_eq!(
        outline,
        vec![
            "hn [architecture \"Hà Nội\"] Architecture []",
            "ubnd [agency \"Ủy ban nhân dân\"] Element []",
            "dvc [system \"Dịch vụ công\"] Element [\"cong\"]",
            "depends_on dvc -> ubnd [] Relation []",
        ]
    );
}

#[test]
fn workspace_symbols_match_ids_and_vietnamese_names() {
    let project = analyze(&fixture(WORKSPACE));
    let names = |query: &str| -> Vec<String> {
        ide::symbols::workspace_symbols(&project, query)
            .into_iter()
            .map(|symbol| symbol.name)
            .collect()
    };
    assert_eq!(names("giám"), vec!["camera"]);
    assert_eq!(names("ndxp"), vec!["national.ndxp"]);
    assert_eq!(names("lgsp"), vec!["lgsp"]);
}

#[test]
fn quick_fix_adds_a_missing_required_property_with_a_placeholder() {
    let text = at(
        "system camera \"Camera giám sát\" {\n  owner ubnd\n",
        "system camera \"Camera giám sát\" {\n",
    );
    let project = analyze(&fixture(&text));
    assert_eq!(
        support::diagnostic_lines(&project),
        vec!["KT0209 system `camera` lacks the required property `owner`"]
    );
    let file = project
        .file_of_path(std::path::Path::new("/ws/apps.ea"))
        .expect("file");
    let diagnostic_range = project.checked.analysis.diagnostics[0]
        .primary
        .as_ref()
        .expect("primary")
        .span
        .range;
    let fixes = ide::actions::fixes(&project, file, diagnostic_range);
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].title, "Add the required property `owner`");
    let edit = &fixes[0].edits[0];
    assert_eq!(edit.new_text, "\n  owner ubnd");
    let mut after_fix = project.text(file).to_owned();
    after_fix.replace_range(edit.range.to_range(), &edit.new_text);
    assert!(
        after_fix.contains("system camera \"Camera giám sát\" {\n  owner ubnd\n  uses -> lgsp\n}")
    );
}

#[test]
fn quick_fix_adds_a_body_to_an_element_without_one() {
    let text = with_file(WORKSPACE, "/ws/main.ea", |text| {
        format!("{text}\nagency so \"Sở\"\n")
    });
    let project = analyze(&fixture(&text));
    let file = project
        .file_of_path(std::path::Path::new("/ws/main.ea"))
        .expect("file");
    let everything = kientruc_dsl::text::TextRange::new(0, project.text(file).len());
    let fixes = ide::actions::fixes(&project, file, everything);
    assert_eq!(fixes[0].edits[0].new_text, " {\n  level central\n}");
}

#[test]
fn quick_fix_replaces_an_unresolved_reference_by_the_suggestion() {
    let text = at("uses -> lgsp", "uses -> lgspp");
    let project = analyze(&fixture(&text));
    assert_eq!(
        support::diagnostic_lines(&project),
        vec!["KT0206 cannot find target element `lgspp`"]
    );
    let file = project
        .file_of_path(std::path::Path::new("/ws/apps.ea"))
        .expect("file");
    let range = project.checked.analysis.diagnostics[0]
        .primary
        .as_ref()
        .expect("primary")
        .span
        .range;
    let fixes = ide::actions::fixes(&project, file, range);
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].title, "Replace with `lgsp`");
    assert_eq!(fixes[0].edits[0].range, range);
    assert_eq!(fixes[0].edits[0].new_text, "lgsp");
}

#[test]
fn quick_fix_writes_a_vietnamese_identifier_without_diacritics() {
    let text = at("uses -> lgsp", "uses -> lgsp\n  uses -> hệ_thống_đích");
    let project = analyze(&fixture(&text));
    let diagnostic = project
        .checked
        .analysis
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.code.as_str() == "KT0012")
        .expect("KT0012");
    let range = diagnostic.primary.as_ref().expect("primary").span.range;
    let file = project
        .file_of_path(std::path::Path::new("/ws/apps.ea"))
        .expect("file");
    assert_eq!(
        project.text(file)[range.to_range()].to_owned(),
        "hệ_thống_đích"
    );
    let fixes = ide::actions::fixes(&project, file, range);
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].title, "Write `he_thong_dich` (without diacritics)");
    assert_eq!(fixes[0].edits[0].range, range);
    assert_eq!(fixes[0].edits[0].new_text, "he_thong_dich");
}

#[test]
fn quick_fix_waives_a_finding() {
    let project = analyze(&fixture(WORKSPACE));
    let file = project
        .file_of_path(std::path::Path::new("/ws/apps.ea"))
        .expect("file");
    let finding = project
        .checked
        .findings
        .iter()
        .find(|finding| finding.rule == "T-REL-001")
        .expect("finding");
    let fixes = ide::actions::fixes(&project, file, finding.span.range);
    assert_eq!(fixes.len(), 1);
    assert_eq!(fixes[0].title, "Waive T-REL-001 on lgsp until 2025-04-01");
    assert_eq!(
        fixes[0].edits[0].new_text,
        "\nwaive T-REL-001 on lgsp until 2025-04-01 \"lý do\"\n"
    );
    assert_eq!(
        fixes[0].edits[0].range.start as usize,
        project.text(file).len()
    );
    // The waived finding offers no second waiver.
    let waived = project
        .checked
        .findings
        .iter()
        .find(|finding| finding.rule == "T-PROP-001")
        .expect("finding");
    assert!(ide::actions::fixes(&project, file, waived.span.range).is_empty());
}

#[test]
fn three_months_after_rolls_over_the_year_and_clamps_the_day() {
    let date = |year, month, day| kientruc_dsl::syntax::Date::new(year, month, day).expect("date");
    assert_eq!(
        ide::actions::three_months_after(date(2025, 11, 30)),
        date(2026, 2, 28)
    );
    assert_eq!(
        ide::actions::three_months_after(date(2025, 1, 15)),
        date(2025, 4, 15)
    );
}

#[test]
fn semantic_tokens_classify_kinds_ids_properties_values_and_keywords() {
    let text = "//- /ws/main.ea\narchitecture hn \"Hà Nội\" {\n  framework \"mini\"\n}\n\nagency ubnd \"Ủy ban\" {\n  level province\n}\n\nwaive T-1 on ubnd until 2025-01-01 \"lý do\"\n";
    let project = analyze(&fixture(text));
    let file = project
        .file_of_path(std::path::Path::new("/ws/main.ea"))
        .expect("file");
    let tokens: Vec<String> = ide::highlighting::semantic_tokens(&project, file)
        .into_iter()
        .map(|token| {
            format!(
                "{:?}:{}:{}",
                token.kind,
                &project.text(file)[token.range.to_range()],
                token.modifiers
            )
        })
        .collect();
    assert_eq!(
        tokens,
        vec![
            "Keyword:architecture:0",
            "Namespace:hn:1",
            "String:\"Hà Nội\":0",
            "Property:framework:0",
            "String:\"mini\":0",
            "Kind:agency:0",
            "Element:ubnd:1",
            "String:\"Ủy ban\":0",
            "Property:level:0",
            "EnumValue:province:0",
            "Keyword:waive:0",
            "Rule:T-1:0",
            "Keyword:on:0",
            "Element:ubnd:0",
            "Keyword:until:0",
            "Number:2025-01-01:0",
            "String:\"lý do\":0",
        ]
    );
}

#[test]
fn folding_ranges_cover_bodies_and_comment_runs() {
    let project = analyze(&fixture(WORKSPACE));
    let file = project
        .file_of_path(std::path::Path::new("/ws/main.ea"))
        .expect("file");
    let folds: Vec<(u32, u32, bool)> = ide::highlighting::folding_ranges(&project, file)
        .into_iter()
        .map(|fold| (fold.start_line, fold.end_line, fold.is_comment))
        .collect();
    assert_eq!(folds, vec![(0, 2, false), (7, 8, false)]);
}

/// The configuration's `baseline` applies in the editor as on the command line: the findings it
/// records are published as hints marked as accepted, the others keep their severity.
#[test]
fn the_configured_baseline_turns_its_findings_into_hints() {
    let plain = support::fixture(support::WORKSPACE);
    let before = support::analyze(&plain);
    let open: Vec<_> = before
        .checked
        .findings
        .iter()
        .filter(|finding| !finding.is_waived())
        .collect();
    assert_eq!(open.len(), 1, "{open:?}");
    let baseline = kientruc_checker::baseline::Baseline::from_findings(
        "mini",
        &before.checked.findings,
        Some("accepted until the platform moves"),
    )
    .to_json();
    let mut text = support::WORKSPACE.to_owned();
    text.push_str("//- /ws/kientruc.toml\nbaseline = \"accepted.json\"\n//- /ws/accepted.json\n");
    text.push_str(&baseline);
    let project = support::analyze(&support::fixture(&text));
    let published: Vec<(String, Option<lsp_types::DiagnosticSeverity>, String)> =
        kientruc_lsp::diagnostics::project_diagnostics(&project)
            .into_values()
            .flatten()
            .map(|diagnostic| {
                let code = match diagnostic.code {
                    Some(lsp_types::NumberOrString::String(code)) => code,
                    other => format!("{other:?}"),
                };
                (code, diagnostic.severity, diagnostic.message)
            })
            .collect();
    assert_eq!(
        published,
        [
            (
                "T-REL-001".to_owned(),
                Some(lsp_types::DiagnosticSeverity::HINT),
                "Nền tảng lgsp chưa đặt tại trung tâm dữ liệu (accepted in the baseline)"
                    .to_owned()
            ),
            (
                "T-PROP-001".to_owned(),
                Some(lsp_types::DiagnosticSeverity::HINT),
                "Hệ thống Camera giám sát (camera) chưa có cấp độ an toàn (waived)".to_owned()
            ),
        ]
    );
    // A baseline that does not parse leaves the findings open (the CLI would fail on them).
    let broken = support::with_file(&text, "/ws/accepted.json", |_| "{ not json".to_owned());
    let project = support::analyze(&support::fixture(&broken));
    let severities: Vec<_> = kientruc_lsp::diagnostics::project_diagnostics(&project)
        .into_values()
        .flatten()
        .map(|diagnostic| diagnostic.severity)
        .collect();
    assert_eq!(
        severities,
        [
            Some(lsp_types::DiagnosticSeverity::WARNING),
            Some(lsp_types::DiagnosticSeverity::HINT)
        ]
    );
}
