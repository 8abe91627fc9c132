//! Embeds every framework pack under `architecture/frameworks/` into the binary, so an installed
//! `kientruc` checks a workspace anywhere. Generates `$OUT_DIR/embedded_frameworks.rs`: a list of
//! (pack id, relative file name, contents) built from `include_str!`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("architecture/frameworks");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut entries = Vec::new();
    if let Ok(packs) = std::fs::read_dir(&root) {
        for pack in packs.flatten() {
            let pack_path = pack.path();
            if !pack_path.join("framework.toml").is_file() {
                continue;
            }
            let id = pack.file_name().to_string_lossy().into_owned();
            collect(&pack_path, &pack_path, &id, &mut entries);
        }
    }
    entries.sort();
    let mut out = String::from(
        "/// (pack id, file name inside the pack, contents)\npub static EMBEDDED_FRAMEWORK_FILES: &[(&str, &str, &str)] = &[\n",
    );
    for (id, name, path) in &entries {
        writeln!(out, "    ({id:?}, {name:?}, include_str!({path:?})),")
            .expect("writing to a string");
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("embedded_frameworks.rs"), out)
        .expect("OUT_DIR is writable");
}

fn collect(
    pack_root: &Path,
    directory: &Path,
    id: &str,
    entries: &mut Vec<(String, String, String)>,
) {
    println!("cargo:rerun-if-changed={}", directory.display());
    let Ok(children) = std::fs::read_dir(directory) else {
        return;
    };
    for child in children.flatten() {
        let path = child.path();
        if path.is_dir() {
            collect(pack_root, &path, id, entries);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "ea" | "md")
        ) {
            let name = path
                .strip_prefix(pack_root)
                .expect("child of the pack")
                .to_string_lossy()
                .replace('\\', "/");
            entries.push((id.to_owned(), name, path.to_string_lossy().into_owned()));
        }
    }
}
