//! The rule catalogues under `docs/rules/` are generated from the packs and must be current:
//! this test regenerates each one and fails when the committed page differs
//! (`KIENTRUC_BLESS=1 cargo test --test cli rule_docs::` rewrites them).

use std::path::Path;

use crate::support::kientruc;

#[test]
fn committed_rule_catalogues_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(root.join("architecture/frameworks"))
        .unwrap()
        .flatten()
    {
        if !entry.path().join("framework.toml").is_file() {
            continue;
        }
        let id = entry.file_name().to_string_lossy().into_owned();
        for (page_name, language) in [(format!("{id}.md"), "vi"), (format!("{id}.en.md"), "en")] {
            let output = kientruc()
                .args([
                    "rules",
                    "--framework",
                    &id,
                    "--format",
                    "markdown",
                    "--lang",
                    language,
                ])
                .current_dir(root)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let generated = String::from_utf8(output.stdout).unwrap();
            let page = root.join(format!("docs/rules/{page_name}"));
            if std::env::var_os("KIENTRUC_BLESS").is_some() {
                std::fs::create_dir_all(page.parent().unwrap()).unwrap();
                std::fs::write(&page, &generated).unwrap();
            }
            if std::fs::read_to_string(&page).unwrap_or_default() != generated {
                stale.push(page.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule catalogues (run `KIENTRUC_BLESS=1 cargo test --test cli rule_docs::`): {stale:?}"
    );
}
