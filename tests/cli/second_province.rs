//! A second province's model (`tests/models/tinh-mau`), written by hand from `kientruc init` as
//! a new user would and not designed around the rules, checked end to end: the graph rules
//! (path-through, reachable, forbidden-relation, acyclic) find exactly the one wrong relation
//! it holds, on that relation, and nothing on its compliant elements. Before routes were
//! checked as routes, that one relation (`qldd reads -> national.csdl_dat_dai via lgsp`) also
//! made every element connected to the LGSP "reach" the national land database.

use std::path::PathBuf;

use crate::support::kientruc;

fn run(arguments: &[&str]) -> serde_json::Value {
    let output = kientruc()
        .args(arguments)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{error}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn graph_rules_find_only_the_one_wrong_relation_of_a_second_province() {
    let model = PathBuf::from("tests/models/tinh-mau");
    let model = model.to_str().unwrap();
    // The rules whose check walks the graph, from the catalogue itself.
    let catalogue = run(&["rules", "--format", "json"]);
    let graph_rules: Vec<&str> = catalogue["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|rule| {
            matches!(
                rule["check"]["type"].as_str(),
                Some("path-through" | "reachable" | "forbidden-relation" | "acyclic")
            )
        })
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    assert!(graph_rules.len() >= 15, "{graph_rules:?}");
    // The model is dated 31/12/2024: DAT-010 rests on Decrees 278/2025 and 194/2025, not yet in
    // force, so no graph rule fires. Judged as of 2026 (`--as-of`), the wrong relation is found.
    assert_eq!(
        graph_findings(&run(&["check", model, "--format", "json"]), &graph_rules),
        Vec::<String>::new()
    );
    assert_eq!(
        graph_findings(
            &run(&["check", model, "--format", "json", "--as-of", "2026-01-15"]),
            &graph_rules
        ),
        vec!["DAT-010 qldd 123:3 qldd → lgsp → national.csdl_dat_dai"]
    );
}

/// The findings of the graph rules, as `RULE element line:column path`.
fn graph_findings(checked: &serde_json::Value, graph_rules: &[&str]) -> Vec<String> {
    assert_eq!(checked["diagnostics"].as_array().unwrap().len(), 0);
    checked["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| graph_rules.contains(&finding["rule"].as_str().unwrap()))
        .map(|finding| {
            format!(
                "{} {} {}:{} {}",
                finding["rule"].as_str().unwrap(),
                finding["element"].as_str().unwrap(),
                finding["line"],
                finding["column"],
                finding["path"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|id| id.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(" → ")
            )
        })
        .collect()
}
