//! Resolution tests on in-memory workspaces using the test framework pack (`tests/frameworks/mini`).

use kientruc_dsl::analysis::{Analysis, analyze};
use kientruc_dsl::model::PropertyValue;
use kientruc_dsl::workspace::{FrameworkPack, MemoryProvider, MemoryRegistry};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

fn registry() -> MemoryRegistry {
    let mut files = std::collections::BTreeMap::new();
    files.insert(
        "framework.toml".to_owned(),
        Arc::from(include_str!("../../tests/frameworks/mini/framework.toml")),
    );
    files.insert(
        "metamodel.toml".to_owned(),
        Arc::from(include_str!("../../tests/frameworks/mini/metamodel.toml")),
    );
    files.insert(
        "national.ea".to_owned(),
        Arc::from("architecture national \"Quốc gia\" {\n  framework \"mini\"\n  version \"3.0\"\n}\n\nplatform ndxp \"NDXP\" {}\n"),
    );
    MemoryRegistry {
        packs: vec![FrameworkPack {
            id: "mini".to_owned(),
            origin: "test".to_owned(),
            display_root: None,
            files,
        }],
    }
}

const HEADER: &str = "architecture hn \"Hà Nội\" {\n  framework \"mini\"\n  version \"3.0\"\n}\n";

/// Analyses a workspace given as `(path, text)` pairs under `/ws`.
fn analyze_files(files: &[(&str, &str)]) -> Analysis {
    let mut provider = MemoryProvider::default();
    let mut entries = Vec::new();
    for (path, text) in files {
        let path = Path::new("/ws").join(path);
        provider.insert(path.clone(), *text);
        if path.extension().is_some_and(|extension| extension == "ea")
            && !path.starts_with("/ws/lib")
        {
            entries.push(path);
        }
    }
    analyze(Path::new("/ws"), &entries, &provider, &registry())
}

fn codes(analysis: &Analysis) -> Vec<String> {
    analysis
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let file = diagnostic
                .primary
                .as_ref()
                .map(|label| analysis.workspace.files.get(label.span.file).name.clone());
            format!(
                "{} {} {}",
                diagnostic.code,
                file.unwrap_or_default(),
                diagnostic.message
            )
        })
        .collect()
}

#[test]
fn references_resolve_across_files_and_forward() {
    let analysis = analyze_files(&[
        (
            "main.ea",
            &format!("{HEADER}system dvc \"DVC\" {{\n  owner ubnd\n  uses -> lgsp\n}}\n"),
        ),
        (
            "agencies.ea",
            "agency ubnd \"UBND\" {\n  level province\n}\n\nplatform lgsp \"LGSP\" {\n  owner ubnd\n}\n",
        ),
    ]);
    assert_eq!(codes(&analysis), Vec::<String>::new());
    let dvc = analysis.model.find("dvc").unwrap();
    let ubnd = analysis.model.find("ubnd").unwrap();
    assert_eq!(
        dvc.property("owner"),
        Some(&PropertyValue::Reference(ubnd.id))
    );
    assert_eq!(analysis.model.relations.len(), 1);
    assert_eq!(
        analysis
            .model
            .element(analysis.model.relations[0].target)
            .local_id,
        "lgsp"
    );
    // owner ubnd (x2), uses -> lgsp
    assert_eq!(analysis.model.references.len(), 3);
}

#[test]
fn framework_imports_are_qualified_by_alias_and_not_part_of_the_workspace() {
    let analysis = analyze_files(&[(
        "main.ea",
        &format!(
            "{HEADER}import \"framework:national.ea\" as quocgia\n\nagency ubnd \"UBND\" {{\n  level province\n}}\n\nsystem dvc \"DVC\" {{\n  owner ubnd\n  uses -> quocgia.ndxp\n}}\n"
        ),
    )]);
    assert_eq!(codes(&analysis), Vec::<String>::new());
    let ndxp = analysis
        .model
        .find("national.ndxp")
        .expect("qualified by the imported model's header id");
    assert!(!ndxp.in_workspace);
    assert!(analysis.model.find("dvc").unwrap().in_workspace);
}

#[test]
fn relative_imports_inside_the_root_and_aliases_are_shared_by_workspace_files() {
    let analysis = analyze_files(&[
        (
            "main.ea",
            &format!("{HEADER}import \"lib/common.ea\" as common\n"),
        ),
        (
            "apps.ea",
            "agency ubnd \"UBND\" {\n  level province\n}\n\nsystem dvc \"DVC\" {\n  owner ubnd\n  hosted_on -> common.ttdl\n}\n",
        ),
        (
            "lib/common.ea",
            "data_centre ttdl \"TTDL 185 Giảng Võ\" {}\n",
        ),
    ]);
    assert_eq!(codes(&analysis), Vec::<String>::new());
    assert_eq!(
        analysis.model.find("common.ttdl").unwrap().name,
        "TTDL 185 Giảng Võ"
    );
}

#[test]
fn nesting_records_parents_and_children_and_doc_comments_attach() {
    let analysis = analyze_files(&[(
        "main.ea",
        &format!(
            "{HEADER}agency ubnd \"UBND\" {{\n  level province\n}}\n\n/// Hệ thống một cửa.\n/// Dòng hai.\nsystem dvc \"DVC\" {{\n  owner ubnd\n  /// Cổng API.\n  component api \"API\" {{}}\n}}\n"
        ),
    )]);
    assert_eq!(codes(&analysis), Vec::<String>::new());
    let dvc = analysis.model.find("dvc").unwrap();
    let api = analysis.model.find("api").unwrap();
    assert_eq!(api.parent, Some(dvc.id));
    assert_eq!(dvc.children, vec![api.id]);
    assert_eq!(dvc.doc.as_deref(), Some("Hệ thống một cửa.\nDòng hai."));
    assert_eq!(api.doc.as_deref(), Some("Cổng API."));
    assert_eq!(dvc.layer.as_deref(), Some("application"));
}

#[test]
fn waivers_resolve_their_element_and_keep_rule_date_and_reason() {
    let analysis = analyze_files(&[(
        "main.ea",
        &format!(
            "{HEADER}agency ubnd \"UBND\" {{\n  level province\n}}\n\nwaive EA-SEC-004 on ubnd until 2025-06-30 \"đang thẩm định\"\n"
        ),
    )]);
    assert_eq!(codes(&analysis), Vec::<String>::new());
    let waiver = &analysis.model.waivers[0];
    assert_eq!(waiver.rule, "EA-SEC-004");
    assert_eq!(waiver.until.unwrap().to_string(), "2025-06-30");
    assert_eq!(waiver.reason.as_deref(), Some("đang thẩm định"));
}

#[test]
fn a_waiver_on_the_architecture_id_targets_the_header_unless_an_element_has_that_id() {
    let analysis = analyze_files(&[(
        "main.ea",
        &format!(
            "{HEADER}agency ubnd \"UBND\" {{\n  level province\n}}\n\nwaive EA-GOV-007 on hn until 2025-06-30 \"đang trình\"\nwaive EA-GOV-007 on hnn until 2025-06-30 \"lỗi gõ\"\nwaive EA-SEC-004 on ubnd until 2025-06-30 \"đang thẩm định\"\n"
        ),
    )]);
    assert_eq!(
        codes(&analysis),
        vec!["KT0206 ws/main.ea cannot find element `hnn`"]
    );
    let ubnd = analysis.model.find("ubnd").unwrap().id;
    let targets: Vec<_> = analysis
        .model
        .waivers
        .iter()
        .map(|waiver| (waiver.rule.as_str(), waiver.element))
        .collect();
    assert_eq!(
        targets,
        vec![("EA-GOV-007", None), ("EA-SEC-004", Some(ubnd))]
    );

    // An element declared with the architecture's id is what the waiver names.
    let analysis = analyze_files(&[(
        "main.ea",
        &format!(
            "{HEADER}agency hn \"UBND\" {{\n  level province\n}}\n\nwaive EA-GOV-007 on hn until 2025-06-30 \"đang trình\"\n"
        ),
    )]);
    assert_eq!(codes(&analysis), Vec::<String>::new());
    let hn = analysis.model.find("hn").unwrap().id;
    assert_eq!(analysis.model.waivers[0].element, Some(hn));
}

#[test]
fn declarations_around_a_broken_one_still_resolve() {
    let analysis = analyze_files(&[(
        "main.ea",
        &format!(
            "{HEADER}agency ubnd \"UBND\" {{\n  level province\n}}\n\nsystem \"broken\" {{}}\n\nsystem dvc \"DVC\" {{\n  owner ubnd\n}}\n"
        ),
    )]);
    assert_eq!(
        codes(&analysis),
        vec!["KT0001 ws/main.ea unexpected `\"broken\"`, expected an identifier"]
    );
    assert!(analysis.model.find("dvc").is_some());
}

#[test]
fn header_values_are_read() {
    let analysis = analyze_files(&[(
        "main.ea",
        "architecture hn \"Hà Nội\" {\n  framework \"mini\"\n  version \"3.0\"\n  as_of 2024-12-31\n  adopted_by \"4097/QĐ-UBND\"\n}\n",
    )]);
    assert_eq!(codes(&analysis), Vec::<String>::new());
    let header = analysis.model.header.as_ref().unwrap();
    assert_eq!(header.version.as_deref(), Some("3.0"));
    assert_eq!(header.as_of.unwrap().to_string(), "2024-12-31");
    assert_eq!(
        header.properties["adopted_by"].value,
        PropertyValue::String("4097/QĐ-UBND".to_owned())
    );
}

/// A provider over memory that keeps a parse cache, like the language server's.
struct CachingProvider {
    files: MemoryProvider,
    cache: kientruc_dsl::workspace::ParseCache,
}

impl kientruc_dsl::workspace::SourceProvider for CachingProvider {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.files.read(path)
    }
    fn display_name(&self, path: &Path) -> String {
        self.files.display_name(path)
    }
    fn parse_cache(&self) -> Option<&kientruc_dsl::workspace::ParseCache> {
        Some(&self.cache)
    }
}

#[test]
fn a_parse_cache_reparses_only_changed_files_and_keeps_diagnostics_on_the_right_file() {
    use kientruc_dsl::workspace::SourceProvider as _;
    let mut provider = CachingProvider {
        files: MemoryProvider::default(),
        cache: kientruc_dsl::workspace::ParseCache::default(),
    };
    let main = format!("{HEADER}\nimport \"framework:national.ea\" as national\n");
    provider.files.insert("/ws/main.ea", main.as_str());
    provider
        .files
        .insert("/ws/b.ea", "agency ubnd \"UBND\" {\n  level province\n}\n");
    // A syntax error (missing display name) stays reported from the cache.
    provider
        .files
        .insert("/ws/c.ea", "system broken {\n  owner ubnd\n}\n");
    let entries = |names: &[&str]| -> Vec<std::path::PathBuf> {
        names
            .iter()
            .map(|name| Path::new("/ws").join(name))
            .collect()
    };
    let first = analyze(
        Path::new("/ws"),
        &entries(&["main.ea", "b.ea", "c.ea"]),
        &provider,
        &registry(),
    );
    // Three workspace files and the imported national model.
    assert_eq!(provider.cache.len(), 4);
    assert_eq!(
        codes(&first),
        vec!["KT0001 ws/c.ea unexpected `{`, expected `->` or a string"]
    );

    // Edit b.ea and add a.ea, which sorts first, so every file id moves by one.
    provider.files.insert(
        "/ws/b.ea",
        "agency ubnd \"UBND thành phố\" {\n  level province\n}\n",
    );
    provider
        .files
        .insert("/ws/a.ea", "system dvc \"DVC\" {\n  owner ubnd\n}\n");
    let second = analyze(
        Path::new("/ws"),
        &entries(&["a.ea", "main.ea", "b.ea", "c.ea"]),
        &provider,
        &registry(),
    );
    let tree = |analysis: &Analysis, name: &str| {
        let file = analysis
            .workspace
            .files
            .find(&Path::new("/ws").join(name))
            .expect("a loaded file");
        analysis.workspace.trees[file.0 as usize].clone()
    };
    assert!(Arc::ptr_eq(
        &tree(&first, "main.ea"),
        &tree(&second, "main.ea")
    ));
    assert!(Arc::ptr_eq(&tree(&first, "c.ea"), &tree(&second, "c.ea")));
    assert!(!Arc::ptr_eq(&tree(&first, "b.ea"), &tree(&second, "b.ea")));
    // The cached syntax error now points at c.ea's new file id.
    assert_eq!(
        codes(&second),
        vec!["KT0001 ws/c.ea unexpected `{`, expected `->` or a string"]
    );
    assert_eq!(second.model.elements.len(), first.model.elements.len() + 1);

    // Files no longer read are forgotten.
    let third = analyze(
        Path::new("/ws"),
        &entries(&["main.ea"]),
        &provider,
        &registry(),
    );
    assert!(third.diagnostics.is_empty(), "{:?}", codes(&third));
    assert_eq!(provider.cache.len(), 2);

    // The metamodel is read once while its text and file id stay the same.
    let fourth = analyze(
        Path::new("/ws"),
        &entries(&["main.ea"]),
        &provider,
        &registry(),
    );
    let metamodel = |analysis: &Analysis| {
        analysis
            .workspace
            .framework
            .as_ref()
            .and_then(|framework| framework.metamodel.clone())
            .expect("the framework's metamodel")
    };
    assert!(Arc::ptr_eq(&metamodel(&third), &metamodel(&fourth)));
    assert_eq!(codes(&fourth), codes(&third));
    assert_eq!(
        provider.display_name(Path::new("/ws/main.ea")),
        provider.files.display_name(Path::new("/ws/main.ea"))
    );
}

/// The language server resolves after every edit with a cache that reuses pass 2 of every file
/// whose tree, element ids and lookups are as they were. Whatever the edit, the result must be
/// that of a resolution without the cache.
#[test]
fn a_resolution_through_the_cache_equals_one_without_it_after_every_kind_of_edit() {
    // The edit a step makes to the files.
    type Edit = fn(&mut std::collections::BTreeMap<&str, String>);
    let mut files: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    files.insert(
        "main.ea",
        format!("{HEADER}\nimport \"framework:national.ea\" as national\n"),
    );
    files.insert(
        "agencies.ea",
        "agency ubnd \"UBND\" {\n  level province\n}\n\nagency so \"Sở\" {\n  level province\n}\n"
            .to_owned(),
    );
    files.insert(
        "platforms.ea",
        "platform lgsp \"LGSP\" {\n  owner ubnd\n}\n".to_owned(),
    );
    files.insert(
        "systems.ea",
        "system dvc \"DVC\" {\n  owner ubnd\n  url \"https://dichvucong.hanoi.gov.vn\"\n  uses -> lgsp\n  uses -> national.ndxp\n  component web \"Web\" {\n    status operational\n  }\n}\n\nsystem mc \"Một cửa\" {\n  owner so\n  replaces [dvc]\n  uses -> dvc \"hồ sơ\"\n}\n"
            .to_owned(),
    );
    let provider = CachingProvider {
        files: MemoryProvider::default(),
        cache: kientruc_dsl::workspace::ParseCache::default(),
    };
    let mut provider = provider;
    // Each step: what it does, the edit, and how many files' pass 2 the cache may reuse.
    let steps: Vec<(&str, Edit, usize)> = vec![
        ("first resolution", |_| {}, 0),
        ("nothing changed", |_| {}, 4),
        (
            "a string property in one file",
            |files| {
                let text = files["systems.ea"].replace("hanoi.gov.vn", "hanoi.gov.vn/dvc");
                files.insert("systems.ea", text);
            },
            3,
        ),
        (
            "a referenced element renamed",
            |files| {
                let text = files["agencies.ea"].replace("agency ubnd", "agency ubnd_hn");
                files.insert("agencies.ea", text);
            },
            1,
        ),
        (
            "renamed back",
            |files| {
                let text = files["agencies.ea"].replace("agency ubnd_hn", "agency ubnd");
                files.insert("agencies.ea", text);
            },
            1,
        ),
        (
            "a referenced element changes kind",
            |files| {
                let text = files["agencies.ea"].replace(
                    "agency so \"Sở\" {\n  level province\n}",
                    "system so \"Sở\" {\n  owner ubnd\n}",
                );
                files.insert("agencies.ea", text);
            },
            2,
        ),
        (
            "an element added before the others (every id moves)",
            |files| {
                let text = format!(
                    "agency ubnd_first \"Đầu\" {{\n  level commune\n}}\n\n{}",
                    files["agencies.ea"]
                );
                files.insert("agencies.ea", text);
            },
            0,
        ),
        (
            "a referenced element moves within its file",
            |files| {
                let text = files["agencies.ea"].replace("agency ubnd_first", "agency   ubnd_first");
                files.insert("agencies.ea", text);
            },
            1,
        ),
        (
            "an import alias removed",
            |files| {
                files.insert("main.ea", HEADER.to_owned());
            },
            2,
        ),
        (
            "a later file declares an id again",
            |files| {
                let text = format!("{}\nplatform ubnd \"Trùng\" {{}}\n", files["platforms.ea"]);
                files.insert("platforms.ea", text);
            },
            2,
        ),
        (
            "an earlier file takes an id of a later one, every offset kept",
            |files| {
                let text = files["agencies.ea"].replace("ubnd_first", "mc        ");
                files.insert("agencies.ea", text);
            },
            1,
        ),
        (
            "a file with a syntax error",
            |files| {
                let text = files["systems.ea"].replace("system mc", "system mc {");
                files.insert("systems.ea", text);
            },
            2,
        ),
    ];
    let entries: Vec<std::path::PathBuf> = files
        .keys()
        .map(|name| Path::new("/ws").join(name))
        .collect();
    for (what, edit, reusable) in steps {
        edit(&mut files);
        for (name, text) in &files {
            provider
                .files
                .insert(Path::new("/ws").join(name), text.as_str());
        }
        let cached = analyze(Path::new("/ws"), &entries, &provider, &registry());
        let fresh = analyze(Path::new("/ws"), &entries, &provider.files, &registry());
        assert_eq!(cached.model, fresh.model, "{what}");
        assert_eq!(cached.diagnostics, fresh.diagnostics, "{what}");
        assert_eq!(
            provider.cache.resolution().reused(),
            reusable,
            "{what}: files whose outputs the cache answered for"
        );
    }
}

/// Resolution runs in parallel shares; the output must be that of one pass in source order:
/// relations in order, and the "did you mean" budget (200) spent on the first unresolved
/// references in order (pass 2, the element bodies, before pass 3, the top-level relations).
#[test]
fn parallel_resolution_keeps_source_order_and_spends_the_suggestion_budget_in_order() {
    let mut text = String::from(HEADER);
    text.push_str("agency ubnd \"UBND\" {\n  level province\n}\n\n");
    // 5,000 elements (several shares), each with one misspelt owner: 5,000 unresolved
    // references in pass 2; then 300 top-level relations to a misspelt target in pass 3.
    for index in 0..5000 {
        writeln!(
            text,
            "system s{index} \"S\" {{\n  owner ubn\n  uses -> ubnd\n}}"
        )
        .unwrap();
    }
    for index in 0..300 {
        writeln!(text, "uses s{index} -> s{index}x").unwrap();
    }
    let analysis = analyze_files(&[("main.ea", &text)]);
    let unresolved: Vec<&kientruc_dsl::Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == kientruc_dsl::Code::UnresolvedReference)
        .collect();
    assert_eq!(unresolved.len(), 5300);
    let helped: Vec<usize> = unresolved
        .iter()
        .enumerate()
        .filter(|(_, diagnostic)| diagnostic.help.is_some())
        .map(|(index, _)| index)
        .collect();
    // The first 200 in source order, all of them owners (pass 2); none of the relations.
    assert_eq!(helped, (0..200).collect::<Vec<_>>());
    assert_eq!(unresolved[0].help.as_deref(), Some("did you mean `ubnd`?"));
    // Nested relations come in element order; every one resolved to ubnd.
    assert_eq!(analysis.model.relations.len(), 5000);
    let sources: Vec<&str> = analysis
        .model
        .relations
        .iter()
        .map(|relation| analysis.model.element(relation.source).local_id.as_str())
        .collect();
    let expected: Vec<String> = (0..5000).map(|index| format!("s{index}")).collect();
    assert_eq!(sources, expected);
}

/// Files are declared in parallel and joined in order; a file that repeats an id is declared
/// again one element at a time. Either way, ids follow declaration order across files, and a
/// repeated element (with what it nests) is reported and left out.
#[test]
fn ids_follow_declaration_order_across_files_with_repeated_ids() {
    let analysis = analyze_files(&[
        (
            "a.ea",
            &format!(
                "{HEADER}agency ubnd \"UBND\" {{\n  level province\n}}\n\nsystem s1 \"S1\" {{\n  owner ubnd\n  component c1 \"C1\" {{}}\n}}\n"
            ),
        ),
        // An id an earlier file declared, after two new ones (which the merge of files
        // declared apart takes back out before the file is declared again here).
        (
            "b.ea",
            "system s2 \"S2\" {\n  owner ubnd\n  component c2 \"C2\" {}\n}\n\nagency ubnd \"UBND trùng\" {\n  level province\n}\n",
        ),
        // An id declared twice in the file.
        (
            "c.ea",
            "system s3 \"S3\" {\n  owner ubnd\n  component c3 \"C3\" {}\n  component c3 \"C3 trùng\" {}\n}\n",
        ),
        (
            "d.ea",
            "system s4 \"S4\" {\n  owner ubnd\n  component c4 \"C4\" {}\n}\n",
        ),
    ]);
    let model = &analysis.model;
    let ids: Vec<&str> = model
        .elements
        .iter()
        .map(|element| element.qualified_id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["ubnd", "s1", "c1", "s2", "c2", "s3", "c3", "s4", "c4"]
    );
    for (index, element) in model.elements.iter().enumerate() {
        assert_eq!(element.id.index(), index);
        assert_eq!(model.by_qualified_id[&element.qualified_id], element.id);
    }
    let id = |name: &str| model.by_qualified_id[name];
    assert_eq!(model.element(id("c1")).parent, Some(id("s1")));
    assert_eq!(model.element(id("s2")).children, vec![id("c2")]);
    assert_eq!(model.element(id("s3")).children, vec![id("c3")]);
    assert_eq!(model.element(id("c3")).name, "C3");
    assert_eq!(model.element(id("c4")).parent, Some(id("s4")));
    assert_eq!(model.element(id("ubnd")).name, "UBND");
    assert_eq!(
        codes(&analysis),
        vec![
            "KT0205 ws/b.ea `ubnd` is declared more than once",
            "KT0205 ws/c.ea `c3` is declared more than once",
        ]
    );
}
