//! What the checker's test binaries share: the in-memory `mini` framework pack (the language
//! tests' metamodel, `tests/frameworks/mini`) with the rules and files a test gives, and the
//! repository's packs read from their folders.
#![allow(dead_code)] // each test binary uses some of these

use kientruc_dsl::workspace::{FrameworkPack, MemoryRegistry};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Every file below `folder` with one of `extensions`, by its path under `folder` (`/`-separated).
pub fn files_under(folder: &Path, extensions: &[&str]) -> BTreeMap<String, Arc<str>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(directory) = stack.pop() {
        for entry in std::fs::read_dir(&directory).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .and_then(|extension| extension.to_str())
                .is_some_and(|extension| extensions.contains(&extension))
            {
                let name = path
                    .strip_prefix(folder)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(name, Arc::from(std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files
}

/// The pack in `folder` (every `.toml` and `.ea` below it), named after the folder.
pub fn read_pack(folder: &Path) -> FrameworkPack {
    FrameworkPack {
        id: folder.file_name().unwrap().to_string_lossy().into_owned(),
        origin: folder.display().to_string(),
        display_root: None,
        files: files_under(folder, &["toml", "ea"]),
    }
}

/// The repository's `vn-egov-3.0` pack, read once per test binary.
pub fn vn_egov_registry() -> &'static MemoryRegistry {
    static REGISTRY: OnceLock<MemoryRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| MemoryRegistry {
        packs: vec![read_pack(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../architecture/frameworks/vn-egov-3.0"),
        )],
    })
}

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
