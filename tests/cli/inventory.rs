//! `kientruc export --format csv|xlsx` and `kientruc import csv|xlsx` (issue 21, item 2), as a
//! user runs them: the files written and the lines printed, the exit codes, the exact problem of
//! the hand-written inventory's bad row, nothing written without `--keep-going`, no `.ea` file
//! overwritten without `--force`, and Hanoi through CSV and XLSX back to a model that checks.

use crate::support::{kientruc_in, repository_root};
use std::path::Path;

const FIXTURE: &str = "interop/tests/fixtures/inventory/danh-muc-httt.csv";

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// `kientruc ARGS` from the repository's root, with paths as strings.
fn kientruc(arguments: &[&str]) -> (i32, String, String) {
    kientruc_in(repository_root(), arguments)
}

fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn export_writes_the_csv_files_and_the_workbook() {
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("danh-muc");
    let (code, stdout, stderr) = kientruc(&[
        "export",
        "architecture/hanoi",
        "--format",
        "csv",
        "-o",
        path(&folder),
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let elements = std::fs::read(folder.join("elements.csv")).unwrap();
    let relations = text(&folder.join("relations.csv"));
    assert!(elements.starts_with("\u{feff}id,kind,name,nested_in,tags,doc,".as_bytes()));
    assert!(relations.starts_with("\u{feff}from,relation,to,label,via,doc,"));
    assert_eq!(
        stdout,
        format!(
            "wrote {} ({} bytes)\nwrote {} ({} bytes)\n",
            folder.join("elements.csv").display(),
            elements.len(),
            folder.join("relations.csv").display(),
            relations.len()
        )
    );
    let workbook = out.path().join("hanoi.xlsx");
    let (code, stdout, stderr) = kientruc(&[
        "export",
        "architecture/hanoi",
        "--format",
        "xlsx",
        "-o",
        path(&workbook),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let bytes = std::fs::read(&workbook).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "not a zip");
    assert_eq!(
        stdout,
        format!("đã ghi {} ({} byte)\n", workbook.display(), bytes.len())
    );
    // A folder is not a workbook, nor a file a folder of CSV files.
    let (code, _, stderr) = kientruc(&[
        "export",
        "architecture/hanoi",
        "--format",
        "xlsx",
        "-o",
        path(&folder),
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "error: `{}` is a folder; `--format xlsx` writes one workbook: give `-o` a file name (.xlsx)\n",
            folder.display()
        )
    );
    let (code, _, stderr) = kientruc(&[
        "export",
        "architecture/hanoi",
        "--format",
        "csv",
        "-o",
        path(&workbook),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is a file; `--format csv` writes"),
        "{stderr}"
    );
    // Standard output is not a place for two files or a workbook.
    let (code, _, stderr) = kientruc(&[
        "export",
        "architecture/hanoi",
        "--format",
        "xlsx",
        "-o",
        "-",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: `--format xlsx` writes files, not standard output: give `-o` a file name (.xlsx)\n"
    );
}

#[test]
fn an_inventory_with_a_bad_row_writes_nothing_unless_keep_going() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("son-nam");
    let (code, stdout, stderr) = kientruc(&["import", "csv", FIXTURE, "--out", path(&target)]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "error: {FIXTURE}: row 11, column F \"Cấp độ an toàn thông tin\": `Cấp độ cao` is not an integer from 1 to 5\n\
             error: 1 problem(s) in the input; nothing was written (--keep-going writes what could be read)\n"
        )
    );
    assert!(stdout.starts_with(&format!(
        "read {FIXTURE}: 6 element row(s), 2 section heading(s) left out\n  header row 4:\n    A \"STT\" → skipped\n    B \"Tên hệ thống\" → name\n"
    )));
    assert!(stdout.contains("created 10 element(s) that rows name and none declares:\n  agency ubnd_tinh_son_nam \"UBND tỉnh Sơn Nam\"\n"));
    assert!(!target.exists(), "something was written");

    let (code, stdout, _) = kientruc(&[
        "import",
        "csv",
        FIXTURE,
        "--out",
        path(&target),
        "--keep-going",
    ]);
    assert_eq!(code, 2, "a problem remains a problem");
    for file in [
        "architecture.ea",
        "agencies.ea",
        "data-centres.ea",
        "danh-muc-httt.ea",
    ] {
        assert!(target.join(file).is_file(), "no {file}");
        assert!(stdout.contains(&format!("wrote {} (", target.join(file).display())));
    }
    assert!(
        text(&target.join("danh-muc-httt.ea"))
            .contains("attributes [\"Cấp độ an toàn thông tin: Cấp độ cao\"]")
    );
    // The written model analyses: rule findings, no input error.
    let (code, _, stderr) = kientruc(&["check", path(&target), "--today", "2025-01-15"]);
    assert!(code == 0 || code == 1, "{stderr}");

    // A second import does not overwrite the `.ea` files without `--force`.
    let before = text(&target.join("danh-muc-httt.ea"));
    std::fs::write(target.join("danh-muc-httt.ea"), "// edited by hand\n").unwrap();
    let (code, _, stderr) = kientruc(&[
        "import",
        "csv",
        FIXTURE,
        "--out",
        path(&target),
        "--keep-going",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.ends_with("exist(s) already; nothing was written (--force overwrites)\n"),
        "{stderr}"
    );
    assert_eq!(
        text(&target.join("danh-muc-httt.ea")),
        "// edited by hand\n"
    );
    let (code, _, _) = kientruc(&[
        "import",
        "csv",
        FIXTURE,
        "--out",
        path(&target),
        "--keep-going",
        "--force",
    ]);
    assert_eq!(code, 2);
    assert_eq!(text(&target.join("danh-muc-httt.ea")), before);
}

#[test]
fn hanoi_goes_out_and_comes_back_through_csv_and_xlsx() {
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("csv");
    let workbook = out.path().join("hanoi.xlsx");
    for (format, target) in [("csv", &csv), ("xlsx", &workbook)] {
        let (code, _, stderr) = kientruc(&[
            "export",
            "architecture/hanoi",
            "--format",
            format,
            "-o",
            path(target),
        ]);
        assert_eq!(code, 0, "{stderr}");
    }
    let elements = csv.join("elements.csv");
    let relations = csv.join("relations.csv");
    let imports: [(&str, Vec<&str>, &str); 2] = [
        ("csv", vec![path(&elements), path(&relations)], "from-csv"),
        ("xlsx", vec![path(&workbook)], "from-xlsx"),
    ];
    let mut written = Vec::new();
    for (kind, files, folder) in imports {
        let target = out.path().join(folder);
        let mut arguments = vec!["import", kind];
        arguments.extend(files);
        arguments.extend(["--out", path(&target)]);
        let (code, stdout, stderr) = kientruc(&arguments);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stderr, "");
        assert!(!stdout.contains("created"), "{stdout}");
        let (code, checked, stderr) = kientruc(&[
            "check",
            path(&target),
            "--format",
            "json",
            "--today",
            "2025-01-15",
        ]);
        assert!(code == 0 || code == 1, "{stderr}");
        let checked: serde_json::Value = serde_json::from_str(&checked).unwrap();
        assert_eq!(
            checked["summary"]["elements"], 271,
            "{}",
            checked["summary"]
        );
        written.push(target);
    }
    // Both formats give the same model, file for file (the file is named after the input).
    assert_eq!(
        text(&written[0].join("elements.ea")),
        text(&written[1].join("hanoi.ea"))
    );
}

#[test]
fn a_mapping_that_names_what_the_metamodel_lacks_is_refused() {
    let out = tempfile::tempdir().unwrap();
    let mapping = out.path().join("mapping.toml");
    std::fs::write(
        &mapping,
        "kind = \"system\"\n[[column]]\nheaders = [\"Cấp độ\"]\nproperty = \"securty_level\"\n",
    )
    .unwrap();
    let (code, _, stderr) = kientruc(&[
        "import",
        "csv",
        FIXTURE,
        "--out",
        path(&out.path().join("x")),
        "--mapping",
        path(&mapping),
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "error: {}: column 1 (Cấp độ): the metamodel has no property `securty_level`\n",
            mapping.display()
        )
    );
}
