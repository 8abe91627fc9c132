//! Property tests of the route semantics (see `checker/src/routes.rs`) on small random models:
//! every path a finding reports is a sequence of declared routes, each starting where the
//! previous one ended, and each graph rule's findings equal those of a brute-force search over
//! route sequences (`path-through`, `reachable`, `acyclic`).
//!
//! The models have systems named by role: `s*` (sources), `t*` (targets), `g*` (gateways the
//! path-through rule requires) and `m*` (anything else), joined by random relations of three
//! types (two of which the rules follow) with zero to two random intermediaries each.

mod support;

use kientruc_checker::findings::Finding;
use kientruc_checker::{CheckOptions, Checked, analyze_and_check};
use kientruc_dsl::syntax::Date;
use kientruc_dsl::workspace::{MemoryProvider, MemoryRegistry};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const RULES: &str = r#"
[[rule]]
id = "R-PATH"
title = { vi = "Qua cổng", en = "Through a gateway" }
message = { vi = "{id} tới {target}: {path}", en = "{id} reaches {target}: {path}" }
severity = "error"
reference_model = "ARM"
citation = { source = "inferred", documents = [{ key = "test" }] }
rationale = { vi = "Thử.", en = "Test." }
fix = { vi = "Thử.", en = "Test." }
check = { type = "path-through", from = "id(\"s*\")", to = "id(\"t*\")", through = "id(\"g*\")", relation = ["exchanges_with", "uses"] }

[[rule]]
id = "R-PATH-ONE"
title = { vi = "Qua cổng", en = "Through a gateway" }
message = { vi = "{id} tới {target}: {path}", en = "{id} reaches {target}: {path}" }
severity = "error"
reference_model = "ARM"
citation = { source = "inferred", documents = [{ key = "test" }] }
rationale = { vi = "Thử.", en = "Test." }
fix = { vi = "Thử.", en = "Test." }
check = { type = "path-through", from = "id(\"s0\")", to = "id(\"t*\")", through = "id(\"g*\")", relation = ["exchanges_with", "uses"] }

[[rule]]
id = "R-REACH"
title = { vi = "Tới đích", en = "Reaches a target" }
message = { vi = "{id} không tới đích", en = "{id} reaches no target" }
severity = "error"
reference_model = "ARM"
citation = { source = "inferred", documents = [{ key = "test" }] }
rationale = { vi = "Thử.", en = "Test." }
fix = { vi = "Thử.", en = "Test." }
check = { type = "reachable", from = "id(\"s*\")", to = "id(\"t*\")", relation = ["exchanges_with", "uses"] }

[[rule]]
id = "R-CYCLE"
title = { vi = "Không vòng", en = "No cycle" }
message = { vi = "Vòng: {path}", en = "Cycle: {path}" }
severity = "error"
reference_model = "ARM"
citation = { source = "inferred", documents = [{ key = "test" }] }
rationale = { vi = "Thử.", en = "Test." }
fix = { vi = "Thử.", en = "Test." }
check = { type = "acyclic", select = "*", relation = ["exchanges_with", "depends_on"] }
"#;

fn registry() -> &'static MemoryRegistry {
    static REGISTRY: OnceLock<MemoryRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| support::mini_registry(&[("rules/test.toml", RULES)]))
}

/// Element names: 3 sources, 2 targets, 2 gateways, 2 others.
const ELEMENTS: [&str; 9] = ["s0", "s1", "s2", "t0", "t1", "g0", "g1", "m0", "m1"];
const TYPES: [&str; 3] = ["exchanges_with", "uses", "depends_on"];

/// A declared route: its type and its elements (source, intermediaries, target), by index.
#[derive(Debug, Clone)]
struct Route {
    relation: &'static str,
    elements: Vec<usize>,
}

fn routes_strategy() -> impl Strategy<Value = Vec<Route>> {
    let route = (
        0..TYPES.len(),
        0..ELEMENTS.len(),
        proptest::collection::vec(0..ELEMENTS.len(), 0..=2),
        0..ELEMENTS.len(),
    )
        .prop_map(|(relation, source, via, target)| {
            let mut elements = vec![source];
            elements.extend(via);
            elements.push(target);
            Route {
                relation: TYPES[relation],
                elements,
            }
        });
    proptest::collection::vec(route, 0..12)
}

fn model_text(routes: &[Route]) -> String {
    let mut text = String::from(
        "architecture p \"P\" {\n  framework \"mini\"\n  version \"1\"\n}\n\nagency ubnd \"U\" {\n  level province\n}\n",
    );
    for name in ELEMENTS {
        write!(text, "\nsystem {name} \"{name}\" {{\n  owner ubnd\n}}\n").unwrap();
    }
    for route in routes {
        let names: Vec<&str> = route
            .elements
            .iter()
            .map(|index| ELEMENTS[*index])
            .collect();
        write!(
            text,
            "\n{} {} -> {}",
            route.relation,
            names[0],
            names[names.len() - 1]
        )
        .unwrap();
        if names.len() > 2 {
            write!(text, " via {}", names[1..names.len() - 1].join(", ")).unwrap();
        }
        text.push('\n');
    }
    text
}

fn check(text: &str) -> Checked {
    let mut provider = MemoryProvider::default();
    provider.insert("/ws/model.ea", text);
    let checked = analyze_and_check(
        Path::new("/ws"),
        &[PathBuf::from("/ws/model.ea")],
        &provider,
        registry(),
        CheckOptions::on(Date::new(2025, 1, 1).unwrap()),
    );
    let errors: Vec<String> = checked
        .analysis
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{text}");
    checked
}

fn role(index: usize) -> char {
    ELEMENTS[index].chars().next().unwrap()
}

fn follows(route: &Route, types: &[&str]) -> bool {
    types.contains(&route.relation)
}

/// Brute force: does a sequence of distinct routes (of `types`) from `from` reach an element
/// with `is_target` (other than `from`) without entering a `blocked` element? The first route
/// starts at `from`, each next one where the previous ended; the target may be anywhere on the
/// last route after its source. (A shortest path never takes a route twice, so distinct routes
/// suffice.)
fn reaches(
    routes: &[Route],
    types: &[&str],
    from: usize,
    at: usize,
    used: &mut Vec<bool>,
    blocked: &dyn Fn(usize) -> bool,
    is_target: &dyn Fn(usize) -> bool,
) -> bool {
    for (index, route) in routes.iter().enumerate() {
        if used[index] || route.elements[0] != at || !follows(route, types) {
            continue;
        }
        let mut open = true;
        for element in &route.elements[1..] {
            if blocked(*element) {
                open = false;
                break;
            }
            if is_target(*element) && *element != from {
                return true;
            }
        }
        if open {
            used[index] = true;
            let target = *route.elements.last().unwrap();
            let found = reaches(routes, types, from, target, used, blocked, is_target);
            used[index] = false;
            if found {
                return true;
            }
        }
    }
    false
}

/// Brute force: the elements that can come back to themselves through distinct routes of
/// `types`, each starting where the previous ended.
fn returns_to(routes: &[Route], types: &[&str], start: usize) -> BTreeSet<usize> {
    // Elements reachable from `start` by route ends, and whether start is among them.
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    while let Some(at) = stack.pop() {
        for route in routes {
            if route.elements[0] == at && follows(route, types) {
                let end = *route.elements.last().unwrap();
                if seen.insert(end) {
                    stack.push(end);
                }
            }
        }
    }
    seen
}

/// Checks that a finding's routes are declared routes chained end to start, from the finding's
/// element, and that its path is those routes' elements.
fn assert_witness(finding: &Finding, routes: &[Route], types: &[&str]) {
    assert!(!finding.routes.is_empty(), "{finding:?}");
    let declared: Vec<(String, Vec<String>)> = routes
        .iter()
        .filter(|route| follows(route, types))
        .map(|route| {
            (
                route.relation.to_owned(),
                route
                    .elements
                    .iter()
                    .map(|index| ELEMENTS[*index].to_owned())
                    .collect(),
            )
        })
        .collect();
    let mut walk: Vec<String> = vec![finding.element.clone().unwrap()];
    for route in &finding.routes {
        assert!(
            declared.contains(&(route.relation.clone(), route.elements.clone())),
            "{route:?} is not a declared route of {types:?}"
        );
        assert_eq!(
            route.elements[0],
            *walk.last().unwrap(),
            "a route must start where the previous one ended: {finding:?}"
        );
        walk.extend(route.elements[1..].iter().cloned());
    }
    // The path is the walk, up to where it reaches its end (the last route may go on).
    assert!(
        walk.starts_with(&finding.path),
        "{walk:?} vs {:?}",
        finding.path
    );
    let last_route = &finding.routes[finding.routes.len() - 1];
    let before_last = walk.len() - last_route.elements.len();
    assert!(
        finding.path.len() > before_last,
        "the path must end on its last route: {finding:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn graph_rules_equal_a_brute_force_search_over_route_sequences(routes in routes_strategy()) {
        let text = model_text(&routes);
        let checked = check(&text);
        let by_rule = |rule: &str| -> Vec<&Finding> {
            checked.findings.iter().filter(|finding| finding.rule == rule).collect()
        };
        let follow = ["exchanges_with", "uses"];
        let mut used = vec![false; routes.len()];

        // path-through: sources that reach a target without a gateway. R-PATH has more sources
        // than targets (searched backward from the targets), R-PATH-ONE one source (forward).
        for (rule, sources) in [("R-PATH", "s"), ("R-PATH-ONE", "s0")] {
            let expected: BTreeSet<String> = (0..ELEMENTS.len())
                .filter(|index| ELEMENTS[*index].starts_with(sources))
                .filter(|source| {
                    reaches(&routes, &follow, *source, *source, &mut used,
                        &|element| role(element) == 'g', &|element| role(element) == 't')
                })
                .map(|index| ELEMENTS[index].to_owned())
                .collect();
            let findings = by_rule(rule);
            let got: BTreeSet<String> = findings.iter().map(|f| f.element.clone().unwrap()).collect();
            prop_assert_eq!(&got, &expected, "{} on\n{}", rule, text);
            prop_assert_eq!(findings.len(), got.len());
            for finding in &findings {
                assert_witness(finding, &routes, &follow);
                prop_assert!(finding.path.last().unwrap().starts_with('t'), "{:?}", finding);
                prop_assert!(finding.path.iter().all(|element| !element.starts_with('g')), "{:?}", finding);
            }
        }

        // reachable: sources that reach no target.
        let expected: BTreeSet<String> = (0..ELEMENTS.len())
            .filter(|index| role(*index) == 's')
            .filter(|source| {
                !reaches(&routes, &follow, *source, *source, &mut used,
                    &|_| false, &|element| role(element) == 't')
            })
            .map(|index| ELEMENTS[index].to_owned())
            .collect();
        let got: BTreeSet<String> = by_rule("R-REACH").iter().map(|f| f.element.clone().unwrap()).collect();
        prop_assert_eq!(&got, &expected, "R-REACH on\n{}", text);

        // acyclic: one finding per set of elements that reach each other by routes, at its
        // first element, with a cycle of declared routes as the witness.
        let cycle_types = ["exchanges_with", "depends_on"];
        let back: Vec<BTreeSet<usize>> = (0..ELEMENTS.len()).map(|index| returns_to(&routes, &cycle_types, index)).collect();
        let mut components: BTreeSet<usize> = BTreeSet::new();
        for index in 0..ELEMENTS.len() {
            if back[index].contains(&index) {
                let first = (0..ELEMENTS.len())
                    .find(|other| back[index].contains(other) && back[*other].contains(&index))
                    .unwrap();
                components.insert(first);
            }
        }
        let expected: BTreeSet<String> = components.iter().map(|index| ELEMENTS[*index].to_owned()).collect();
        let findings = by_rule("R-CYCLE");
        let got: BTreeSet<String> = findings.iter().map(|f| f.element.clone().unwrap()).collect();
        prop_assert_eq!(&got, &expected, "R-CYCLE on\n{}", text);
        prop_assert_eq!(findings.len(), got.len());
        for finding in &findings {
            assert_witness(finding, &routes, &cycle_types);
            let last = finding.routes.last().unwrap();
            prop_assert_eq!(last.elements.last(), finding.element.as_ref(), "the cycle must close: {:?}", finding);
        }
    }
}
