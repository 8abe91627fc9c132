//! What the checker's test binaries share: the in-memory `mini` framework pack (the language
//! tests' metamodel, `tests/frameworks/mini`) with the rules and files a test gives.

use kientruc_dsl::workspace::{FrameworkPack, MemoryRegistry};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The `mini` pack: its metamodel and framework.toml, plus `files` (name → text), e.g.
/// `("rules/test.toml", RULES)` and `("national.ea", NATIONAL)`.
pub fn mini_registry(files: &[(&str, &str)]) -> MemoryRegistry {
    let mut pack_files: BTreeMap<String, Arc<str>> = BTreeMap::new();
    pack_files.insert(
        "metamodel.toml".to_owned(),
        Arc::from(include_str!(
            "../../../tests/frameworks/mini/metamodel.toml"
        )),
    );
    pack_files.insert(
        "framework.toml".to_owned(),
        Arc::from(include_str!(
            "../../../tests/frameworks/mini/framework.toml"
        )),
    );
    pack_files.insert(
        "documents.toml".to_owned(),
        Arc::from(include_str!(
            "../../../tests/frameworks/mini/documents.toml"
        )),
    );
    for (name, text) in files {
        pack_files.insert((*name).to_owned(), Arc::from(*text));
    }
    MemoryRegistry {
        packs: vec![FrameworkPack {
            id: "mini".to_owned(),
            origin: "test".to_owned(),
            display_root: None,
            files: pack_files,
        }],
    }
}
