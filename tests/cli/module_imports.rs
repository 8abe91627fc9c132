//! The crates' modules import one way (ARCHITECTURE.md): within `checker/src`, `dsl/src` and
//! `lsp/src`, no top-level module imports one that imports it back, directly or through others.
//! Imports are read from `use crate::…` and `crate::…::` paths outside comments; a module's
//! submodules count as the module (a folder `x/` is module `x`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules it names through `crate::`.
fn imports(source_root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![source_root.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let relative = path.strip_prefix(source_root).unwrap();
            let top = relative
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned();
            if top == "lib" || top == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let named = graph.entry(top.clone()).or_default();
            for line in text.lines() {
                let code = line.split("//").next().unwrap_or("");
                let mut rest = code;
                while let Some(at) = rest.find("crate::") {
                    let after = &rest[at + "crate::".len()..];
                    let name: String = after
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    // `crate::name` where name is a module (lower case), not an item.
                    if !name.is_empty()
                        && name.chars().next().unwrap().is_ascii_lowercase()
                        && name != top
                        && source_root
                            .join(format!("{name}.rs"))
                            .exists()
                            .then_some(())
                            .or_else(|| source_root.join(&name).is_dir().then_some(()))
                            .is_some()
                    {
                        named.insert(name.clone());
                    }
                    rest = &after[name.len()..];
                }
            }
        }
    }
    graph
}

/// Every cycle's modules (strongly connected components of more than one module).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reaches = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(module) = stack.pop() {
            for next in graph.get(&module).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for module in graph.keys() {
        let from = reaches(module);
        if from.contains(module) {
            let component: Vec<String> = graph
                .keys()
                .filter(|other| from.contains(*other) && reaches(other).contains(module))
                .cloned()
                .collect();
            found.insert(component);
        }
    }
    found.into_iter().collect()
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    for crate_source in ["checker/src", "dsl/src", "lsp/src"] {
        let graph = imports(&root.join(crate_source));
        assert!(graph.len() > 3, "{crate_source}: {graph:?}");
        for cycle in cycles(&graph) {
            problems.push(format!("{crate_source}: {}", cycle.join(" ⇄ ")));
        }
    }
    assert!(
        problems.is_empty(),
        "import circles (a module imports one that imports it back):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_cycle_finder_finds_a_cycle_of_three() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        graph
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned());
    }
    graph.entry("d".to_owned()).or_default();
    assert_eq!(cycles(&graph), vec![vec!["a", "b", "c"]]);
}
