//! Compiles the generated parser (src/parser.c) and the external scanner (src/scanner.c).

fn main() {
    let src_dir = std::path::Path::new("src");

    let mut c_config = cc::Build::new();
    c_config.std("c11").include(src_dir);

    #[cfg(target_env = "msvc")]
    c_config.flag("-utf-8");

    if std::env::var("TARGET").is_ok_and(|target| target == "wasm32-unknown-unknown") {
        let wasm_headers = std::env::var("DEP_TREE_SITTER_LANGUAGE_WASM_HEADERS")
            .expect("the tree-sitter-language crate sets DEP_TREE_SITTER_LANGUAGE_WASM_HEADERS");
        let wasm_src = std::env::var("DEP_TREE_SITTER_LANGUAGE_WASM_SRC")
            .map(std::path::PathBuf::from)
            .expect("the tree-sitter-language crate sets DEP_TREE_SITTER_LANGUAGE_WASM_SRC");
        c_config.include(&wasm_headers);
        c_config.files([
            wasm_src.join("stdio.c"),
            wasm_src.join("stdlib.c"),
            wasm_src.join("string.c"),
        ]);
    }

    for file in ["parser.c", "scanner.c"] {
        let path = src_dir.join(file);
        c_config.file(&path);
        println!("cargo:rerun-if-changed={}", path.display());
    }
    c_config.compile("tree-sitter-kientruc");
}
