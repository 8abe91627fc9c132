//! Equivalence aid: for each file given (or each line of a list file given with `@list`), writes
//! `{:?}` of the parse (tree and diagnostics) to `OUT_DIR`/<index>.txt.
fn main() {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .expect("usage: dump_parse OUT_DIR FILE...|@LIST");
    let mut paths: Vec<String> = Vec::new();
    for arg in args {
        if let Some(list) = arg.strip_prefix('@') {
            paths.extend(
                std::fs::read_to_string(list)
                    .unwrap()
                    .lines()
                    .map(str::to_owned),
            );
        } else {
            paths.push(arg);
        }
    }
    std::fs::create_dir_all(&out).unwrap();
    for (index, path) in paths.iter().enumerate() {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let parse = kientruc_dsl::parse(kientruc_dsl::FileId(0), &text);
        std::fs::write(format!("{out}/{index}.txt"), format!("{path}\n{parse:?}\n")).unwrap();
    }
}
