//! Engine tests: every declarative rule type on small in-memory models (matching, not matching,
//! cycles, self-loops, nested elements, elements of imported models), waivers and configuration.
//! Rules: `tests/engine/rules.toml` over the language tests' metamodel.

mod support;

use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{MemoryProvider, MemoryRegistry};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

const NATIONAL: &str = "architecture national \"Quốc gia\" {\n  framework \"mini\"\n  version \"3.0\"\n}\n\nagency bo \"Bộ\" {\n  level central\n}\n\nsystem csdl \"CSDL quốc gia\" {\n  owner bo\n  security_level 4\n}\n\nplatform ndxp \"NDXP\" {\n  owner bo\n  platform_type ndxp\n}\n\ndata_centre ndc \"TTDL quốc gia\" {}\n";

const HEADER: &str = "architecture hn \"Hà Nội\" {\n  framework \"mini\"\n  version \"3.0\"\n}\n\nimport \"framework:national.ea\" as national\n\nagency ubnd \"UBND\" {\n  level province\n}\n\nplatform lgsp \"LGSP\" {\n  owner ubnd\n  platform_type lgsp\n}\n\ndata_centre ttdl \"TTDL\" {}\n";

fn registry() -> MemoryRegistry {
    support::mini_registry(&[
        ("rules/test.toml", include_str!("engine/rules.toml")),
        ("national.ea", NATIONAL),
    ])
}

fn run(
    body: &str,
    options: impl FnOnce(&mut CheckOptions),
    extra_files: &[(&str, &str)],
) -> Checked {
    let mut provider = MemoryProvider::default();
    provider.insert("/ws/main.ea", format!("{HEADER}{body}"));
    let mut entries = vec![Path::new("/ws/main.ea").to_path_buf()];
    for (path, text) in extra_files {
        provider.insert(Path::new("/ws").join(path), *text);
        if path.ends_with(".ea") {
            entries.push(Path::new("/ws").join(path));
        }
    }
    let mut check_options = CheckOptions::on(Date::new(2025, 1, 1).unwrap());
    options(&mut check_options);
    analyze_and_check(
        Path::new("/ws"),
        &entries,
        &provider,
        &registry(),
        check_options,
    )
}

/// `RULE element line` for each finding of the selected rule prefix, `(waived)` marked.
fn findings(checked: &Checked, rule_prefix: &str) -> Vec<String> {
    let diagnostics: Vec<String> = checked
        .analysis
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(
        diagnostics.is_empty(),
        "unexpected diagnostics: {diagnostics:?}"
    );
    checked
        .findings
        .iter()
        .filter(|finding| finding.rule.starts_with(rule_prefix))
        .map(|finding| {
            let (start, _) = checked.analysis.workspace.files.line_columns(finding.span);
            let waived = if finding.is_waived() { " (waived)" } else { "" };
            format!(
                "{} {} {}{waived}",
                finding.rule,
                finding.element.as_deref().unwrap_or("-"),
                start.line
            )
        })
        .collect()
}

fn messages(checked: &Checked, rule: &str) -> Vec<String> {
    checked
        .findings
        .iter()
        .filter(|finding| finding.rule == rule)
        .map(|finding| finding.message.en.clone())
        .collect()
}

#[test]
fn required_property_checks_presence_and_range_and_skips_retiring_and_imported() {
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n}\n\nsystem b \"B\" {\n  owner ubnd\n  security_level 5\n}\n\nsystem c \"C\" {\n  owner ubnd\n  security_level 3\n}\n\nsystem d \"D\" {\n  owner ubnd\n  status retiring\n}\n",
        |_| {},
        &[],
    );
    // Bodies start on line 18. a: missing; b: 5 > 4 (reported at the property); d retiring; national.* not subjects.
    assert_eq!(
        findings(&checked, "T-PROP"),
        vec!["T-PROP-001 a 18", "T-PROP-001 b 24"]
    );
    assert_eq!(
        messages(&checked, "T-PROP-001")[0],
        "System A (a) has no security_level"
    );
}

#[test]
fn required_relation_counts_matching_targets() {
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n  public true\n  uses -> lgsp\n}\n\nsystem b \"B\" {\n  owner ubnd\n  public true\n  uses -> national.ndxp\n}\n\nsystem c \"C\" {\n  owner ubnd\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(findings(&checked, "T-REL"), vec!["T-REL-001 b 24"]);
    assert_eq!(
        messages(&checked, "T-REL-001"),
        vec!["b does not use the LGSP (0)"]
    );
}

#[test]
fn forbidden_relation_reports_the_relation_and_honours_unless_via() {
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n  exchanges_with -> b\n  exchanges_with -> c via lgsp\n}\n\nsystem b \"B\" {\n  owner ubnd\n}\n\nsystem c \"C\" {\n  owner ubnd\n}\n\nexchanges_with c -> b\n",
        |_| {},
        &[],
    );
    assert_eq!(
        findings(&checked, "T-FORBID"),
        vec!["T-FORBID-001 a 20", "T-FORBID-001 c 32"]
    );
}

#[test]
fn path_through_finds_paths_that_avoid_the_gateway_and_reports_one_path() {
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n  exchanges_with -> national.csdl via national.ndxp\n}\n\nsystem b \"B\" {\n  owner ubnd\n  uses -> c\n}\n\nsystem c \"C\" {\n  owner ubnd\n  exchanges_with -> national.csdl via lgsp\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(
        findings(&checked, "T-PATH"),
        vec!["T-PATH-001 b 25", "T-PATH-001 c 30"]
    );
    let b = checked
        .findings
        .iter()
        .find(|finding| finding.rule == "T-PATH-001" && finding.element.as_deref() == Some("b"))
        .unwrap();
    assert_eq!(b.path, vec!["b", "c", "lgsp", "national.csdl"]);
}

#[test]
fn path_through_searches_from_the_smaller_side_with_the_same_result() {
    // Many sources, one target: backward search. Many targets, one source: forward search.
    let mut many_sources = String::new();
    for index in 0..30 {
        writeln!(
            many_sources,
            "system s{index} \"S\" {{\n  owner ubnd\n  exchanges_with -> national.csdl\n}}\n"
        )
        .unwrap();
    }
    let checked = run(&many_sources, |_| {}, &[]);
    assert_eq!(findings(&checked, "T-PATH").len(), 30);
    let one_source = "system s \"S\" {\n  owner ubnd\n  exchanges_with -> t1\n}\n\n";
    let mut national = NATIONAL.to_owned();
    for index in 0..5 {
        write!(national, "\nsystem n{index} \"N\" {{\n  owner bo\n}}\n").unwrap();
    }
    let checked = run(
        &format!(
            "{one_source}system t1 \"T\" {{\n  owner ubnd\n  exchanges_with -> national.csdl\n}}\n"
        ),
        |_| {},
        &[],
    );
    assert_eq!(
        findings(&checked, "T-PATH"),
        vec!["T-PATH-001 s 20", "T-PATH-001 t1 25"]
    );
}

/// The cascade a new user met: one relation bypassing the gateway (`a → lgsp → national.csdl`)
/// made every element whose own route ends at the LGSP "reach" the national database.
#[test]
fn one_route_that_bypasses_the_gateway_is_one_finding_on_that_relation_only() {
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n  exchanges_with -> national.csdl via lgsp\n}\n\nsystem b \"B\" {\n  owner ubnd\n  exchanges_with -> lgsp\n}\n\nsystem c \"C\" {\n  owner ubnd\n  uses -> lgsp\n}\n\nsystem d \"D\" {\n  owner ubnd\n  exchanges_with -> national.csdl via lgsp, national.ndxp\n  uses -> b\n}\n",
        |_| {},
        &[],
    );
    // Bodies start on line 18; a's relation is line 20. b, c and d end at (or pass) the LGSP
    // but only a's own route goes on from it to the database.
    assert_eq!(findings(&checked, "T-PATH"), vec!["T-PATH-001 a 20"]);
    let a = &checked.findings[checked
        .findings
        .iter()
        .position(|finding| finding.rule == "T-PATH-001")
        .unwrap()];
    assert_eq!(a.path, vec!["a", "lgsp", "national.csdl"]);
    assert_eq!(a.routes.len(), 1);
    assert_eq!(a.routes[0].relation, "exchanges_with");
    assert_eq!(a.routes[0].elements, vec!["a", "lgsp", "national.csdl"]);
    assert_eq!(
        messages(&checked, "T-PATH-001"),
        vec!["a reaches national.csdl without the NDXP: a → lgsp → national.csdl"]
    );
}

#[test]
fn a_path_ends_on_an_intermediary_and_continues_only_from_route_targets() {
    // e's route passes the national database as an intermediary: e reaches it. f's route ends
    // at e, and e's own route goes on: f reaches it too, through two routes.
    let checked = run(
        "system e \"E\" {\n  owner ubnd\n  exchanges_with -> national.ndxp via national.csdl\n}\n\nsystem f \"F\" {\n  owner ubnd\n  uses -> e\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(
        findings(&checked, "T-PATH"),
        vec!["T-PATH-001 e 20", "T-PATH-001 f 25"]
    );
    let f = checked
        .findings
        .iter()
        .find(|finding| finding.rule == "T-PATH-001" && finding.element.as_deref() == Some("f"))
        .unwrap();
    assert_eq!(f.path, vec!["f", "e", "national.csdl"]);
    let routes: Vec<(&str, Vec<&str>)> = f
        .routes
        .iter()
        .map(|route| {
            (
                route.relation.as_str(),
                route.elements.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        routes,
        vec![
            ("uses", vec!["f", "e"]),
            (
                "exchanges_with",
                vec!["e", "national.csdl", "national.ndxp"]
            )
        ]
    );
    // The finding points at f's relation; e's route is a related label.
    assert_eq!(f.related.len(), 1);
    assert_eq!(
        f.related[0].message,
        "then e → national.csdl → national.ndxp"
    );
}

#[test]
fn forbidden_relation_sees_intermediaries_and_names_the_route() {
    let checked = run(
        "system live \"Live\" {\n  owner ubnd\n  uses -> national.ndxp via old\n  uses -> new\n}\n\nsystem old \"Old\" {\n  owner ubnd\n  status retiring\n}\n\nsystem new \"New\" {\n  owner ubnd\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(findings(&checked, "T-RETIRE"), vec!["T-RETIRE-001 live 20"]);
    assert_eq!(
        messages(&checked, "T-RETIRE-001"),
        vec!["live has a uses link to retiring old: live → old → national.ndxp"]
    );
    let finding = checked
        .findings
        .iter()
        .find(|finding| finding.rule == "T-RETIRE-001")
        .unwrap();
    assert_eq!(finding.path, vec!["live", "old", "national.ndxp"]);
    assert_eq!(finding.routes[0].elements, finding.path);
    // A direct link keeps the key (and so the fingerprint) it had before routes were checked.
    let direct = run(
        "system live \"Live\" {\n  owner ubnd\n  uses -> old\n}\n\nsystem old \"Old\" {\n  owner ubnd\n  status retiring\n}\n",
        |_| {},
        &[],
    );
    let direct = direct
        .findings
        .iter()
        .find(|finding| finding.rule == "T-RETIRE-001")
        .unwrap();
    assert_eq!(
        direct.fingerprint,
        kientruc_checker::findings::fingerprint(&["T-RETIRE-001", "live", "uses->old"])
    );
    assert!(direct.path.is_empty() && direct.routes.is_empty());
    // An intermediary matching `unless-via` allows the whole route (T-FORBID-001).
    let allowed = run(
        "system a \"A\" {\n  owner ubnd\n  exchanges_with -> national.ndxp via b, lgsp\n  exchanges_with -> national.ndxp via b\n}\n\nsystem b \"B\" {\n  owner ubnd\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(findings(&allowed, "T-FORBID"), vec!["T-FORBID-001 a 21"]);
    assert_eq!(
        messages(&allowed, "T-FORBID-001"),
        vec!["a exchanges directly with b"]
    );
}

#[test]
fn reachability_does_not_borrow_the_hops_of_another_route() {
    // r's only route ends at the LGSP; q's route continues from the LGSP to the data centre.
    // That hop is q's: r reaches no data centre. s's own route passes the data centre.
    let checked = run(
        "system r \"R\" {\n  owner ubnd\n  uses -> lgsp\n}\n\nsystem q \"Q\" {\n  owner ubnd\n  hosted_on -> ttdl via lgsp\n}\n\nsystem s \"S\" {\n  owner ubnd\n  uses -> q\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(findings(&checked, "T-REACH"), vec!["T-REACH-001 r 18"]);
}

#[test]
fn a_cycle_is_a_cycle_of_routes_not_of_hops_of_unrelated_routes() {
    // Hops a → b (of a's route to x) and b → a (of b's route to y) join into a loop, but no
    // route starts where another ends: no cycle.
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n  depends_on -> x via b\n}\n\nsystem b \"B\" {\n  owner ubnd\n  depends_on -> y via a\n}\n\nsystem x \"X\" {\n  owner ubnd\n}\n\nsystem y \"Y\" {\n  owner ubnd\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(findings(&checked, "T-CYCLE"), Vec::<String>::new());
    // Two routes, each ending where the other starts, are a cycle, shown with their hops.
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n  depends_on -> b via x\n}\n\nsystem b \"B\" {\n  owner ubnd\n  depends_on -> a via y\n}\n\nsystem x \"X\" {\n  owner ubnd\n}\n\nsystem y \"Y\" {\n  owner ubnd\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(findings(&checked, "T-CYCLE"), vec!["T-CYCLE-001 a 20"]);
    assert_eq!(
        messages(&checked, "T-CYCLE-001"),
        vec!["Dependency cycle: a → x → b → y → a"]
    );
}

#[test]
fn reachable_follows_relations_and_reference_properties() {
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n  hosted_on -> ttdl\n}\n\nsystem b \"B\" {\n  owner ubnd\n  uses -> a\n}\n\nsystem c \"C\" {\n  owner ubnd\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(findings(&checked, "T-REACH"), vec!["T-REACH-001 c 28"]);
}

#[test]
fn acyclic_reports_each_cycle_once_including_self_loops() {
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n  depends_on -> b\n}\n\nsystem b \"B\" {\n  owner ubnd\n  depends_on -> c\n}\n\nsystem c \"C\" {\n  owner ubnd\n  depends_on -> a\n}\n\nsystem d \"D\" {\n  owner ubnd\n  depends_on -> d\n}\n\nsystem e \"E\" {\n  owner ubnd\n  depends_on -> a\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(
        findings(&checked, "T-CYCLE"),
        vec!["T-CYCLE-001 a 20", "T-CYCLE-001 d 35"]
    );
    assert_eq!(
        messages(&checked, "T-CYCLE-001"),
        vec!["Dependency cycle: a → b → c → a", "Dependency cycle: d → d"]
    );
}

#[test]
fn acyclic_sees_nested_elements() {
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n  component inner \"Inner\" {\n    depends_on -> a\n  }\n  depends_on -> inner\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(findings(&checked, "T-CYCLE"), vec!["T-CYCLE-001 a 23"]);
}

#[test]
fn unique_reports_repeats_with_the_first_as_related() {
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n  code \"X1\"\n}\n\nsystem b \"B\" {\n  owner ubnd\n  code \"X1\"\n}\n\nsystem c \"C\" {\n  owner ubnd\n  code \"X2\"\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(findings(&checked, "T-UNIQ"), vec!["T-UNIQ-001 b 25"]);
    let finding = checked
        .findings
        .iter()
        .find(|finding| finding.rule == "T-UNIQ-001")
        .unwrap();
    assert_eq!(finding.related[0].message, "a has the same code");
}

#[test]
fn cardinality_counts_workspace_elements() {
    let checked = run(
        "platform lgsp2 \"LGSP 2\" {\n  owner ubnd\n  platform_type lgsp\n}\n",
        |_| {},
        &[],
    );
    assert_eq!(findings(&checked, "T-CARD"), vec!["T-CARD-001 hn 1"]);
    assert_eq!(messages(&checked, "T-CARD-001"), vec!["2 LGSPs"]);
    let checked = run("", |_| {}, &[]);
    assert_eq!(findings(&checked, "T-CARD"), Vec::<String>::new());
}

#[test]
fn waivers_mark_findings_and_expired_or_unused_ones_become_findings() {
    let checked = run(
        "system a \"A\" {\n  owner ubnd\n}\n\nsystem b \"B\" {\n  owner ubnd\n}\n\nsystem c \"C\" {\n  owner ubnd\n  security_level 2\n}\n\nwaive T-PROP-001 on a until 2025-06-30 \"đang thẩm định cấp độ\"\nwaive T-PROP-001 on b until 2024-06-30 \"đã hết hạn\"\nwaive T-PROP-001 on c until 2025-06-30 \"không cần\"\n",
        |_| {},
        &[],
    );
    assert_eq!(
        findings(&checked, "T-PROP")
            .into_iter()
            .chain(findings(&checked, "KT-"))
            .collect::<Vec<_>>(),
        vec![
            "T-PROP-001 a 18 (waived)",
            "T-PROP-001 b 22",
            "KT-WAIVER-EXPIRED b 32",
            "KT-WAIVER-UNUSED c 33"
        ]
    );
    assert_eq!(
        checked.failing(kientruc_dsl::Severity::Error),
        checked
            .findings
            .iter()
            .filter(|f| !f.is_waived() && f.severity == kientruc_dsl::Severity::Error)
            .count()
    );
}

#[test]
fn select_and_ignore_choose_rules_by_id_prefix_and_reference_model() {
    let body = "system a \"A\" {\n  owner ubnd\n  depends_on -> a\n}\n";
    let checked = run(body, |options| options.select = vec!["SRM".to_owned()], &[]);
    assert_eq!(
        checked.ran.iter().cloned().collect::<Vec<_>>(),
        vec!["T-PROP-001"]
    );
    let checked = run(
        body,
        |options| options.ignore = vec!["T-CYCLE".to_owned(), "T-PROP-001".to_owned()],
        &[],
    );
    assert!(
        !checked.ran.contains("T-CYCLE-001")
            && !checked.ran.contains("T-PROP-001")
            && checked.ran.contains("T-REL-001")
    );
}

#[test]
fn configuration_overrides_severity_and_reports_unknown_keys_with_a_location() {
    let body = "system a \"A\" {\n  owner ubnd\n}\n";
    let config = "fail-on = \"warning\"\nlanguage = \"en\"\n\n[severity]\nT-PROP-001 = \"info\"\n";
    let checked = run(body, |_| {}, &[("kientruc.toml", config)]);
    let finding = checked
        .findings
        .iter()
        .find(|finding| finding.rule == "T-PROP-001")
        .unwrap();
    assert_eq!(finding.severity, kientruc_dsl::Severity::Info);
    assert_eq!(
        checked.config.fail_on,
        Some(kientruc_dsl::Severity::Warning)
    );

    let checked = run(
        body,
        |_| {},
        &[(
            "kientruc.toml",
            "fail_on = \"error\"\nselect = [\"T-PROPP\"]\n",
        )],
    );
    let diagnostics: Vec<String> = checked
        .analysis
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let (start, _) = checked
                .analysis
                .workspace
                .files
                .line_columns(diagnostic.primary.as_ref().unwrap().span);
            format!(
                "{} {}:{} {} | {}",
                diagnostic.code,
                start.line,
                start.column,
                diagnostic.message,
                diagnostic.help.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0].starts_with("KT0302 1:1 kientruc.toml: unknown field `fail_on`"),
        "{diagnostics:?}"
    );
    assert!(
        diagnostics[0].ends_with("did you mean `fail-on`?"),
        "{diagnostics:?}"
    );
}

#[test]
fn findings_are_deterministic_and_fingerprints_ignore_positions() {
    let body = "system a \"A\" {\n  owner ubnd\n  depends_on -> a\n}\n";
    let first = run(body, |_| {}, &[]);
    let second = run(body, |_| {}, &[]);
    assert_eq!(first.findings, second.findings);
    let moved = run(&format!("\n\n// moved down\n{body}"), |_| {}, &[]);
    let fingerprints = |checked: &Checked| {
        checked
            .findings
            .iter()
            .map(|finding| finding.fingerprint.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(fingerprints(&first), fingerprints(&moved));
}

/// The command line frees the syntax trees once the model is resolved
/// (`CheckOptions::drop_syntax`): the findings and diagnostics are those of a check that keeps
/// them, every file's tree is empty afterwards, and the files' texts are kept for the reports.
#[test]
fn dropping_the_syntax_trees_changes_no_finding_or_diagnostic() {
    let body = "system a \"A\" {\n  owner ubnd\n  depends_on -> a\n  colour red\n}\n\nsystem b \"B\" {\n  owner nobody\n  exchanges_with -> national.csdl\n}\n";
    let waiver = "waiver T-CYCLE-001 on a {\n  reason \"checked\"\n  until 2020-01-01\n}\n";
    let kept = run(body, |_| {}, &[("waivers.ea", waiver)]);
    let dropped = run(
        body,
        |options| options.drop_syntax = true,
        &[("waivers.ea", waiver)],
    );
    assert!(!kept.findings.is_empty() && !kept.analysis.diagnostics.is_empty());
    assert_eq!(kept.findings, dropped.findings);
    assert_eq!(kept.analysis.diagnostics, dropped.analysis.diagnostics);
    assert_eq!(kept.analysis.model, dropped.analysis.model);
    let trees = &dropped.analysis.workspace.trees;
    assert_eq!(trees.len(), kept.analysis.workspace.trees.len());
    assert!(trees.iter().all(|tree| tree.declarations.is_empty()));
    assert!(
        kept.analysis
            .workspace
            .trees
            .iter()
            .any(|tree| !tree.declarations.is_empty())
    );
    assert_eq!(
        dropped
            .analysis
            .workspace
            .files
            .get(kientruc_dsl::text::FileId(0))
            .text,
        kept.analysis
            .workspace
            .files
            .get(kientruc_dsl::text::FileId(0))
            .text
    );
}

/// The language server keeps the last rule pack (`CheckOptions::pack_cache`): a second check
/// with more workspace files (so the rule files get other ids) gives exactly what an uncached
/// check gives, rule spans and pack diagnostics pointing into the rule files; a changed pack is
/// loaded again.
#[test]
fn a_cached_rule_pack_gives_what_a_fresh_load_gives_when_file_ids_shift() {
    use kientruc_checker::rules::RulePackCache;
    let cache = Arc::new(RulePackCache::default());
    // One rule file with an unknown check type, for a pack diagnostic.
    let broken = "[[rule]]\nid = \"T-BAD-001\"\ntitle = { vi = \"x\", en = \"x\" }\nmessage = { vi = \"x\", en = \"x\" }\nseverity = \"error\"\nreference_model = \"SRM\"\ncitation = { source = \"verified\", documents = [{ key = \"nd-85-2016\" }] }\nrationale = { vi = \"x\", en = \"x\" }\nfix = { vi = \"x\", en = \"x\" }\ncheck = { type = \"no-such-check\" }\n";
    let registry_with = |extra: &str| {
        let mut registry = registry();
        registry.packs[0]
            .files
            .insert("rules/zz-broken.toml".to_owned(), Arc::from(extra));
        registry
    };
    let check = |files: &[(&str, &str)], registry: &MemoryRegistry, cached: bool| {
        let mut provider = MemoryProvider::default();
        let mut entries = Vec::new();
        for (path, text) in files {
            provider.insert(Path::new("/ws").join(path), *text);
            entries.push(Path::new("/ws").join(path));
        }
        let options = CheckOptions {
            today: Date::new(2025, 1, 1).unwrap(),
            config: None,
            select: Vec::new(),
            ignore: Vec::new(),
            pack_cache: cached.then(|| cache.clone()),
            as_of: None,
            now: None,
            overlay_files: Vec::new(),
            drop_syntax: false,
            rule_cache: None,
        };
        analyze_and_check(Path::new("/ws"), &entries, &provider, registry, options)
    };
    let summary = |checked: &Checked| {
        let files = &checked.analysis.workspace.files;
        let rules: Vec<String> = checked
            .pack
            .rules
            .iter()
            .map(|rule| {
                let (start, _) = files.line_columns(rule.span);
                format!(
                    "{} {}:{}",
                    rule.id,
                    files.get(rule.span.file).name,
                    start.line
                )
            })
            .collect();
        let diagnostics: Vec<String> = checked
            .analysis
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let label = diagnostic.primary.as_ref().expect("a place");
                let (start, _) = files.line_columns(label.span);
                format!(
                    "{} {}:{} {}",
                    diagnostic.code,
                    files.get(label.span.file).name,
                    start.line,
                    diagnostic.message
                )
            })
            .collect();
        let findings: Vec<String> = checked
            .findings
            .iter()
            .map(|finding| format!("{} {:?}", finding.rule, finding.span))
            .collect();
        (rules, diagnostics, findings)
    };
    let system = "system dvc \"DVC\" {\n  owner ubnd\n}\n";
    let one = [("main.ea", HEADER)];
    let three = [
        ("a.ea", system),
        ("b.ea", system.replace("dvc", "dvc2").leak() as &str),
        ("main.ea", HEADER),
    ];
    let registry = registry_with(broken);

    let first = check(&one, &registry, true);
    assert_eq!(summary(&first), summary(&check(&one, &registry, false)));
    let second = check(&three, &registry, true);
    let fresh = check(&three, &registry, false);
    assert_eq!(summary(&second), summary(&fresh));
    let (rules, diagnostics, findings) = summary(&second);
    assert!(
        rules
            .iter()
            .any(|rule| rule == "T-PROP-001 framework:mini/rules/test.toml:4"),
        "{rules:?}"
    );
    assert!(
        diagnostics
            .iter()
            .any(|diagnostic| diagnostic.contains("framework:mini/rules/zz-broken.toml:")),
        "{diagnostics:?}"
    );
    assert!(
        findings
            .iter()
            .any(|finding| finding.starts_with("T-PROP-001")),
        "{findings:?}"
    );

    // A changed pack is loaded again, not taken from the cache.
    let fixed = registry_with("");
    let third = check(&three, &fixed, true);
    assert_eq!(summary(&third), summary(&check(&three, &fixed, false)));
    assert!(
        !summary(&third)
            .1
            .iter()
            .any(|diagnostic| diagnostic.contains("zz-broken"))
    );
}
