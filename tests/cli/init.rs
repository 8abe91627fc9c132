//! `kientruc init` writes a starter workspace that resolves cleanly against the embedded
//! vn-egov-3.0 pack, is canonically formatted, and is never written over an existing model.

use crate::support::kientruc_in;

#[test]
fn init_writes_a_clean_starter_workspace_and_refuses_to_overwrite() {
    let directory = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = kientruc_in(
        directory.path(),
        &[
            "init",
            "bac-ninh",
            "--name",
            "Kiến trúc Chính quyền số tỉnh Bắc Ninh",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("created bac-ninh/architecture.ea"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(directory.path().join("bac-ninh/architecture.ea")).unwrap();
    assert!(text.contains("architecture bac_ninh \"Kiến trúc Chính quyền số tỉnh Bắc Ninh\" {"));

    let (code, stdout, _) = kientruc_in(
        directory.path(),
        &[
            "check",
            "bac-ninh",
            "--format",
            "json",
            "--today",
            "2024-12-31",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["diagnostics"],
        serde_json::json!([]),
        "the starter resolves cleanly"
    );
    assert!(
        code == 0 || code == 1,
        "findings at most, never invalid input"
    );

    let (code, _, _) = kientruc_in(directory.path(), &["fmt", "--check", "bac-ninh"]);
    assert_eq!(code, 0);

    let (code, _, stderr) = kientruc_in(directory.path(), &["init", "bac-ninh"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already holds .ea files"), "{stderr}");
}
