//! `kientruc export --format mermaid|d2|dot|plantuml`, end to end: standard output with `-o -`,
//! a file written with its line on stdout and the same bytes, `--view` for both views and an
//! element's neighbourhood, `--lang`, the same bytes on every run, and the errors: an unknown
//! `--view` (exit 2, the closest id, nothing written) and a model with errors (exit 2).

use crate::support::{kientruc_in, repository_root};

const SMALL: &str = "reports/tests/fixtures/small";

fn export(arguments: &[&str]) -> (i32, String, String) {
    let mut all = vec!["export", SMALL, "--today", "2025-07-01"];
    all.extend_from_slice(arguments);
    kientruc_in(repository_root(), &all)
}

/// An insta snapshot's content (after its front matter).
fn snapshot(text: &str) -> &str {
    text.splitn(3, "---\n").nth(2).unwrap()
}

#[test]
fn standard_output_holds_the_source_and_nothing_else() {
    for (format, view, expected) in [
        (
            "mermaid",
            None,
            include_str!("../../interop/tests/snapshots/sources__small_overview_mermaid.snap"),
        ),
        (
            "d2",
            Some("integration"),
            include_str!("../../interop/tests/snapshots/sources__small_integration_d2.snap"),
        ),
        (
            "dot",
            Some("lgsp"),
            include_str!("../../interop/tests/snapshots/sources__small_lgsp_dot.snap"),
        ),
        (
            "plantuml",
            Some("overview"),
            include_str!("../../interop/tests/snapshots/sources__small_overview_plantuml.snap"),
        ),
    ] {
        let mut arguments = vec!["--format", format, "-o", "-"];
        if let Some(view) = view {
            arguments.extend(["--view", view]);
        }
        let (code, stdout, stderr) = export(&arguments);
        assert_eq!((code, stderr.as_str()), (0, ""), "{format}");
        assert_eq!(stdout.trim_end(), snapshot(expected).trim_end(), "{format}");
    }
}

#[test]
fn a_file_is_written_with_the_same_bytes_and_said_on_stdout() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("tong-quan.mmd");
    let path_text = path.to_str().unwrap();
    let (code, stdout, stderr) = export(&["--format", "mermaid", "-o", path_text]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        stdout,
        format!("đã ghi {path_text} ({} byte)\n", written.len())
    );
    let (_, again, _) = export(&["--format", "mermaid", "-o", "-"]);
    assert_eq!(written, again, "the file holds what stdout shows");
    // In English: the line, the band titles and the relation names.
    let (code, stdout, _) = export(&[
        "--format",
        "mermaid",
        "--view",
        "integration",
        "--lang",
        "en",
        "-o",
        path_text,
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with(&format!("wrote {path_text} (")),
        "{stdout}"
    );
    let english = std::fs::read_to_string(&path).unwrap();
    assert!(english.contains("subgraph b2[\"Provincial integration platform (LGSP)\"]"));
    assert!(english.contains("-->|\"exchanges data with ×2, reads<br/>Violates DRM-001\"|"));
}

#[test]
fn every_run_gives_the_same_bytes() {
    for format in ["mermaid", "d2", "dot", "plantuml"] {
        for view in [
            "overview",
            "integration",
            "he_thong_mot_cua",
            "national.ndxp",
        ] {
            let first = export(&["--format", format, "--view", view, "-o", "-"]);
            let second = export(&["--format", format, "--view", view, "-o", "-"]);
            assert_eq!(first.0, 0, "{format} {view}: {}", first.2);
            assert!(!first.1.is_empty());
            assert_eq!(first, second, "{format} {view}");
        }
    }
}

#[test]
fn an_unknown_view_is_invalid_input_with_the_closest_id_and_nothing_written() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("x.dot");
    let (code, stdout, stderr) = export(&[
        "--format",
        "dot",
        "--view",
        "he_thong_mot_cuaa",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: --view: `he_thong_mot_cuaa` is neither a view (overview, integration, or one the workspace declares) nor an element of the model; did you mean `he_thong_mot_cua`?\n"
    );
    assert!(!path.exists());
    let (code, _, stderr) = export(&["--format", "d2", "--view", "overveiw", "-o", "-"]);
    assert_eq!(code, 2);
    assert!(stderr.ends_with("did you mean `overview`?\n"), "{stderr}");
    let (code, _, stderr) = export(&["--format", "plantuml", "--view", "zzz", "-o", "-"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: --view: `zzz` is neither a view (overview, integration, or one the workspace declares) nor an element of the model\n"
    );
}

#[test]
fn a_model_with_errors_exports_nothing() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("architecture.ea"),
        "architecture broken \"Broken\" {\n  framework \"vn-egov-3.0\"\n}\n\nsystem a \"A\" {\n  exchanges_with -> missing\n}\n",
    )
    .unwrap();
    let (code, stdout, stderr) =
        kientruc_in(folder.path(), &["export", "--format", "mermaid", "-o", "-"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.ends_with("error: the model has errors; nothing was exported\n"),
        "{stderr}"
    );
}

#[test]
fn hanoi_exports_both_views_in_every_format() {
    for format in ["mermaid", "d2", "dot", "plantuml"] {
        for view in ["overview", "integration"] {
            let (code, stdout, stderr) = kientruc_in(
                repository_root(),
                &[
                    "export",
                    "architecture/hanoi",
                    "--format",
                    format,
                    "--view",
                    view,
                    "-o",
                    "-",
                ],
            );
            assert_eq!((code, stderr.as_str()), (0, ""), "{format} {view}");
            assert!(stdout.matches("e_").count() > 20, "{format} {view}");
        }
    }
}
