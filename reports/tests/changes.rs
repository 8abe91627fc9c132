//! The change report (`kientruc_reports::changes`) on the small report fixture and a later
//! version of it: the header's version raised, an element added (`camera`), one removed
//! (`csdl_ho_tich`), one renamed (`dv_khai_sinh`), one with a property changed and a relation added
//! (`he_thong_bao_cao`), one with a property added (`he_thong_van_ban`, which fixes its SRM-001
//! finding), and a new waiver (BRM-001 on `dv_cap_phep`). Exact lists, the terminal text and the
//! Markdown as snapshots, the JSON report's `changes` valid against its schema, and the section in
//! the HTML and Markdown partials.

mod common;
use kientruc_checker::Checked;
use kientruc_dsl::metamodel::Localized;
use kientruc_reports::changes::{self, Changes};
use kientruc_reports::{Format, Language, ReportOptions, Templates, i18n, render};

const ARCHITECTURE: &str = include_str!("fixtures/small/architecture.ea");
const ROADMAP: &str = include_str!("fixtures/small/roadmap.ea");

fn check(files: &[(&str, &str)]) -> Checked {
    let checked = common::analyze(files);
    assert_eq!(checked.analysis.error_count(), 0, "the fixture analyses");
    checked
}

/// The small fixture after one round of edits (see the module's documentation).
fn later() -> String {
    let edited = ARCHITECTURE
        .replace("  version \"1.0\"\n", "  version \"1.1\"\n")
        .replace(
            "public_service dv_khai_sinh \"Đăng ký khai sinh\"",
            "public_service dv_khai_sinh \"Đăng ký khai sinh trực tuyến\"",
        )
        .replace(
            "system he_thong_van_ban \"Hệ thống quản lý văn bản và điều hành\" {\n  owner ubnd\n",
            "system he_thong_van_ban \"Hệ thống quản lý văn bản và điều hành\" {\n  owner ubnd\n  security_level 2\n",
        )
        .replace(
            "  security_level 2\n  reads -> national.csdl_dan_cu\n",
            "  security_level 3\n  reads -> national.csdl_dan_cu\n  exchanges_with -> lgsp \"số liệu báo cáo\"\n",
        )
        .replace(
            "database csdl_ho_tich \"Cơ sở dữ liệu hộ tịch\" {\n  owner ubnd\n  hosted_in ttdl\n}\n",
            "system camera \"Hệ thống camera giám sát\" {\n  owner ubnd\n  hosted_in ttdl\n}\n",
        );
    assert_ne!(edited, ARCHITECTURE);
    format!(
        "{edited}\nwaive BRM-001 on dv_cap_phep until 2099-12-31 \"the service moves to the national portal\"\n"
    )
}

fn changes() -> (Checked, Changes) {
    let before = check(&[("architecture.ea", ARCHITECTURE), ("roadmap.ea", ROADMAP)]);
    let text = later();
    let after = check(&[("architecture.ea", &text), ("roadmap.ea", ROADMAP)]);
    let changes = Changes::between("v1.0", Some(&before), &after);
    (after, changes)
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> String) -> Vec<String> {
    items.iter().map(id).collect()
}

#[test]
fn elements_added_removed_and_changed_with_what_changed() {
    let (_, changes) = changes();
    assert!(changes.found_at_revision);
    assert_eq!(changes.compared, "workspace");
    assert_eq!(
        changes.header,
        [changes::PropertyChange {
            name: "version".to_owned(),
            before: Some("\"1.0\"".to_owned()),
            after: Some("\"1.1\"".to_owned()),
            before_label: Some(Localized {
                vi: "\"1.0\"".to_owned(),
                en: "\"1.0\"".to_owned()
            }),
            after_label: Some(Localized {
                vi: "\"1.1\"".to_owned(),
                en: "\"1.1\"".to_owned()
            }),
        }]
    );
    let elements = &changes.elements;
    assert_eq!(ids(&elements.added, |e| e.id.clone()), ["camera"]);
    assert_eq!(elements.added[0].kind_name.vi, "Hệ thống thông tin");
    assert_eq!(ids(&elements.removed, |e| e.id.clone()), ["csdl_ho_tich"]);
    assert_eq!(
        ids(&elements.changed, |e| e.id.clone()),
        ["dv_khai_sinh", "he_thong_bao_cao", "he_thong_van_ban"]
    );
    let renamed = &elements.changed[0];
    assert_eq!(renamed.previous_name.as_deref(), Some("Đăng ký khai sinh"));
    assert_eq!(renamed.name, "Đăng ký khai sinh trực tuyến");
    assert!(renamed.properties.is_empty() && renamed.relations_added.is_empty());
    let report = &elements.changed[1];
    assert_eq!(report.previous_name, None);
    assert_eq!(
        ids(&report.properties, |p| format!(
            "{} {:?} {:?}",
            p.name, p.before, p.after
        )),
        ["security_level Some(\"2\") Some(\"3\")"]
    );
    assert_eq!(
        ids(&report.relations_added, |relation| changes::relation_text(
            relation,
            Language::Vi
        )),
        ["exchanges_with → lgsp \"số liệu báo cáo\""]
    );
    assert!(report.relations_removed.is_empty());
    assert_eq!(
        ids(&elements.changed[2].properties, |p| format!(
            "{} {:?} {:?}",
            p.name, p.before, p.after
        )),
        ["security_level None Some(\"2\")"]
    );
}

#[test]
fn findings_new_fixed_waived_and_still_open_with_the_score() {
    let (_, changes) = changes();
    let findings = &changes.findings;
    let line = |finding: &changes::FindingEntry| {
        format!(
            "{} {}",
            finding.rule,
            finding.element.as_deref().unwrap_or("-")
        )
    };
    assert_eq!(ids(&findings.new, line), ["SRM-001 camera"]);
    assert_eq!(ids(&findings.fixed, line), ["SRM-001 he_thong_van_ban"]);
    assert_eq!(ids(&findings.waived, line), ["BRM-001 dv_cap_phep"]);
    assert!(
        ids(&findings.still_open, line).contains(&"ARM-001 he_thong_van_ban".to_owned()),
        "{:?}",
        ids(&findings.still_open, line)
    );
    assert!(changes.score.before < changes.score.after);
    assert_eq!(changes.score.by_reference_model.len(), 6);
}

#[test]
fn a_path_missing_at_the_revision_makes_everything_new() {
    let after = check(&[("architecture.ea", ARCHITECTURE), ("roadmap.ea", ROADMAP)]);
    let changes = Changes::between("HEAD", None, &after);
    assert!(!changes.found_at_revision);
    assert!(changes.elements.removed.is_empty() && changes.elements.changed.is_empty());
    assert_eq!(
        changes.elements.added.len(),
        after.analysis.model.workspace_elements().count()
    );
    assert_eq!(changes.findings.new.len(), {
        after
            .findings
            .iter()
            .filter(|finding| !finding.is_waived())
            .count()
    });
    assert_eq!(changes.score.before, None);
    let text = changes::human(&changes, Language::En, false);
    assert!(
        text.contains("The paths checked did not exist at this revision"),
        "{text}"
    );
}

#[test]
fn an_unchanged_model_has_no_changes() {
    let before = check(&[("architecture.ea", ARCHITECTURE), ("roadmap.ea", ROADMAP)]);
    // Moving a declaration and reformatting changes nothing.
    let moved = format!(
        "{}\ndata_centre   ttdl \"Trung tâm dữ liệu tỉnh\" {{ owner ubnd }}\n",
        ARCHITECTURE.replace(
            "data_centre ttdl \"Trung tâm dữ liệu tỉnh\" {\n  owner ubnd\n}\n",
            ""
        )
    );
    let after = check(&[("roadmap.ea", ROADMAP), ("architecture.ea", &moved)]);
    let changes = Changes::between("HEAD", Some(&before), &after);
    assert!(changes.is_empty(), "{changes:#?}");
    let text = changes::human(&changes, Language::Vi, false);
    assert!(
        text.contains("Phần tử: 0 thêm mới, 0 đã xóa, 0 thay đổi"),
        "{text}"
    );
}

#[test]
fn terminal_text() {
    let (_, changes) = changes();
    insta::assert_snapshot!(
        "changes_human_vi",
        changes::human(&changes, Language::Vi, false)
    );
    insta::assert_snapshot!(
        "changes_human_en",
        changes::human(&changes, Language::En, false)
    );
    let coloured = changes::human(&changes, Language::En, true);
    assert!(
        coloured.contains("\u{1b}[32m+\u{1b}[0m camera"),
        "{coloured}"
    );
}

#[test]
fn markdown_on_its_own() {
    let (after, changes) = changes();
    for (language, name) in [
        (Language::Vi, "changes_md_vi"),
        (Language::En, "changes_md_en"),
    ] {
        let markdown = changes::markdown(
            &changes,
            &i18n::Texts::of(&after, language),
            &Templates::default(),
        )
        .unwrap();
        insta::assert_snapshot!(name, markdown);
    }
}

#[test]
fn the_json_is_deterministic_and_valid_in_the_report_schema() {
    let (after, changes) = changes();
    let json = changes::json(&changes).unwrap();
    assert_eq!(json, changes::json(&self::changes().1).unwrap());
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["revision"], "v1.0");
    assert_eq!(value["elements"]["added"][0]["id"], "camera");
    assert_eq!(
        value["elements"]["changed"][1]["relations_added"][0]["relation_name"]["vi"],
        "trao đổi dữ liệu với"
    );
    let options = ReportOptions {
        tool_version: "[version]".to_owned(),
        changes: Some(changes.clone()),
        ..ReportOptions::default()
    };
    let report: serde_json::Value =
        serde_json::from_str(&render(Format::Json, &after, &options).unwrap()).unwrap();
    assert_eq!(report["changes"], value);
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schema/report.schema.json")).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Without --since, the report has no `changes` at all.
    let plain: serde_json::Value = serde_json::from_str(
        &render(
            Format::Json,
            &after,
            &ReportOptions {
                tool_version: "[version]".to_owned(),
                ..ReportOptions::default()
            },
        )
        .unwrap(),
    )
    .unwrap();
    assert!(plain.get("changes").is_none());
}

#[test]
fn the_partials_escape_model_text() {
    let (after, mut changes) = changes();
    changes.elements.added[0].name = "<script>x</script> | *b* \u{202E}".to_owned();
    let mut context = tera::Context::new();
    context.insert("changes", &changes);
    context.insert("t", &i18n::Texts::of(&after, Language::Vi).table());
    context.insert("language", "vi");
    context.insert("p", "vi-");
    let html = Templates::default()
        .render("changes.html", &context)
        .unwrap();
    assert!(
        html.contains("<h2 id=\"vi-changes-title\">Thay đổi kể từ <code>v1.0</code></h2>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<p><strong>Kiến trúc</strong>: <code>version</code> &quot;1.0&quot; → &quot;1.1&quot;</p>"
        ),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;x&lt;"), "{html}");
    assert!(!html.contains("<script>") && !html.contains('\u{202E}'));
    assert!(html.contains("Hệ thống camera giám sát") || html.contains("camera"));
    let markdown = changes::markdown(
        &changes,
        &i18n::Texts::of(&after, Language::Vi),
        &Templates::default(),
    )
    .unwrap();
    assert!(
        markdown.contains("&lt;script&gt;x&lt;/script&gt; \\| \\*b\\*"),
        "{markdown}"
    );
    assert!(!markdown.contains('\u{202E}'));
    // Without changes, the partials render nothing.
    let mut context = tera::Context::new();
    context.insert("t", &i18n::Texts::of(&after, Language::Vi).table());
    context.insert("language", "vi");
    assert_eq!(
        Templates::default()
            .render("changes.html", &context)
            .unwrap(),
        ""
    );
    assert_eq!(
        Templates::default().render("changes.md", &context).unwrap(),
        ""
    );
}
