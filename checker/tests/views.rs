//! Views select with the rules' selector language: the subject of every rule of the v3.0 pack,
//! written as a view's `include` line in Hanoi's model, selects exactly the elements the rule's
//! selector selects; and the statements of a view apply in order.

mod support;

use kientruc_checker::graph::ModelGraph;
use kientruc_checker::selector::{Evaluate as _, Selector};
use kientruc_checker::views::select;
use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::MemoryProvider;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Hanoi's model with `extra` as one more file.
fn hanoi_with(extra: &str) -> Checked {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = Path::new("/ws");
    let mut provider = MemoryProvider::default();
    let mut entries: Vec<PathBuf> = Vec::new();
    let hanoi = repository.join("architecture/hanoi");
    // The model's own files (not the rule fixtures under rules/).
    for (name, text) in support::files_under(&hanoi, &["ea"])
        .into_iter()
        .filter(|(name, _)| !name.contains('/'))
    {
        provider.insert(root.join(&name), text.as_bytes().to_vec());
        entries.push(root.join(name));
    }
    provider.insert(root.join("zz_extra.ea"), extra.as_bytes().to_vec());
    entries.push(root.join("zz_extra.ea"));
    analyze_and_check(
        root,
        &entries,
        &provider,
        support::vn_egov_registry(),
        CheckOptions::on(Date::new(2025, 6, 1).unwrap()),
    )
}

#[test]
fn every_rule_subject_selects_the_same_elements_in_a_view() {
    // The pack's subjects, from a first check of the model.
    let subjects: Vec<String> = {
        let checked = hanoi_with("");
        let mut subjects: Vec<String> = checked
            .pack
            .rules
            .iter()
            .filter_map(|rule| rule.subject_source().map(str::to_owned))
            .filter(|subject| !subject.contains('\n'))
            .collect();
        subjects.sort();
        subjects.dedup();
        subjects
    };
    assert!(
        subjects.len() >= 30,
        "only {} distinct subjects",
        subjects.len()
    );
    let mut views = String::new();
    for (index, subject) in subjects.iter().enumerate() {
        let _ = writeln!(
            views,
            "view subject_{index} \"V\" {{\n  include {subject}\n}}"
        );
    }
    let checked = hanoi_with(&views);
    let errors: Vec<String> = checked
        .analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == kientruc_dsl::Severity::Error)
        .map(|diagnostic| diagnostic.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let model = &checked.analysis.model;
    let views: Vec<_> = model
        .views
        .iter()
        .filter(|view| view.id.starts_with("subject_"))
        .collect();
    assert_eq!(views.len(), subjects.len());
    let metamodel = checked.metamodel().expect("the pack's metamodel");
    let graph = ModelGraph::build_within(model, checked.boundary.clone());
    let mut non_empty = 0;
    for (view, subject) in views.into_iter().zip(&subjects) {
        let rule_selector = Selector::parse(subject, metamodel).expect("the pack's selector");
        let by_rule = rule_selector.select(&graph);
        let by_view = select(&graph, view);
        assert_eq!(by_view.elements, by_rule, "`{subject}`");
        assert_eq!(by_view.relations, None, "`{subject}` names no relation");
        non_empty += usize::from(!by_rule.is_empty());
    }
    assert!(
        non_empty * 2 > subjects.len(),
        "most subjects select something in Hanoi ({non_empty} of {})",
        subjects.len()
    );
}

#[test]
fn statements_apply_in_order_and_arrows_select_relations() {
    let checked = hanoi_with(
        "view soc \"SOC\" {\n  include kind(system) -> id(\"soc_hn\")\n  exclude id(\"camera_hn\")\n}\n\
         view again \"Again\" {\n  exclude *\n  include id(\"lgsp_hn\", \"tthc_hn\")\n  exclude id(\"tthc_hn\")\n  include id(\"tthc_hn\")\n}\n",
    );
    assert!(
        checked.analysis.diagnostics.is_empty(),
        "{:#?}",
        checked.analysis.diagnostics
    );
    let model = &checked.analysis.model;
    let graph = ModelGraph::build_within(model, checked.boundary.clone());
    let view = |id: &str| {
        model
            .views
            .iter()
            .find(|view| view.id == id)
            .expect("declared")
    };
    let soc = select(&graph, view("soc"));
    let ids = |elements: &[kientruc_dsl::model::ElementId]| -> Vec<String> {
        elements
            .iter()
            .map(|id| model.element(*id).qualified_id.to_string())
            .collect()
    };
    let shown = ids(&soc.elements);
    assert!(shown.contains(&"soc_hn".to_owned()), "{shown:?}");
    assert!(shown.contains(&"tthc_hn".to_owned()), "{shown:?}");
    assert!(!shown.contains(&"camera_hn".to_owned()), "{shown:?}");
    // Exactly the system → SOC relations that do not touch the camera system.
    let relations = soc.relations.expect("the view names its relations");
    assert!(!relations.is_empty());
    for index in &relations {
        let relation = &model.relations[*index];
        assert_eq!(model.element(relation.target).qualified_id, "soc_hn");
        assert_eq!(model.element(relation.source).kind, "system");
        assert_ne!(model.element(relation.source).qualified_id, "camera_hn");
    }
    let expected = model
        .relations
        .iter()
        .filter(|relation| {
            model.element(relation.target).qualified_id == "soc_hn"
                && model.element(relation.source).kind == "system"
                && model.element(relation.source).qualified_id != "camera_hn"
        })
        .count();
    assert_eq!(relations.len(), expected);
    // Later statements win over earlier ones.
    let again = select(&graph, view("again"));
    assert_eq!(ids(&again.elements), ["tthc_hn", "lgsp_hn"]);
    assert_eq!(again.relations, None);
}
