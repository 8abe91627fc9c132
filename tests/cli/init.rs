//! `kientruc init` writes a starter workspace that resolves cleanly against the embedded
//! vn-egov-3.0 pack, is canonically formatted, and is never written over an existing model; its
//! `kientruc.toml` names its JSON schema on the first line and its commented examples are valid.

use crate::support::{kientruc_in, repository_root};

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
    assert!(
        stdout.contains("created bac-ninh/kientruc.toml"),
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

/// The lines of a starter `kientruc.toml` that are commented examples (`# key = value`,
/// `# [table]`), uncommented; the other comments kept.
fn uncommented(text: &str) -> String {
    text.lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest)
                if (rest.starts_with('[') && rest.ends_with(']'))
                    || rest.split_once(" = ").is_some_and(|(key, _)| {
                        !key.is_empty()
                            && key
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    }) =>
            {
                rest.to_owned()
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn toml_as_json(text: &str) -> serde_json::Value {
    serde_json::to_value(toml::from_str::<toml::Table>(text).unwrap()).unwrap()
}

#[test]
fn the_starter_configuration_names_its_schema_and_its_examples_are_valid() {
    let directory = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = kientruc_in(directory.path(), &["init", "ha-nam"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("created ha-nam/kientruc.toml"), "{stdout}");
    let text = std::fs::read_to_string(directory.path().join("ha-nam/kientruc.toml")).unwrap();

    // The first line names the published schema, the committed one's $id.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repository_root().join("schemas/kientruc.schema.json")).unwrap(),
    )
    .unwrap();
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        format!("#:schema {}", schema["$id"].as_str().unwrap())
    );
    assert!(
        first.starts_with("#:schema https://raw.githubusercontent.com/kientruc/kientruc/main/"),
        "{first}"
    );

    // As written (every key commented) and with every example uncommented, the file is valid.
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let examples = uncommented(&text);
    for (what, document) in [("as written", text.as_str()), ("uncommented", &examples)] {
        let errors: Vec<String> = validator
            .iter_errors(&toml_as_json(document))
            .map(|error| format!("{}: {error}", error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{what}: {errors:#?}\n{document}");
    }
    let keys = toml::from_str::<toml::Table>(&examples).unwrap();
    for key in [
        "baseline",
        "select",
        "ignore",
        "fail-on",
        "language",
        "utc-offset",
        "exclude",
        "docs-url",
        "severity",
        "overlay",
    ] {
        assert!(keys.contains_key(key), "no example of `{key}`:\n{text}");
    }

    // The checker reads the examples too (but the baseline and the overlay, whose files the
    // starter does not have): no KT0302.
    let without_files: String = examples
        .split("\n[overlay]")
        .next()
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with("baseline = "))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(
        directory.path().join("ha-nam/kientruc.toml"),
        &without_files,
    )
    .unwrap();
    let (code, stdout, stderr) = kientruc_in(
        directory.path(),
        &[
            "check",
            "ha-nam",
            "--format",
            "json",
            "--today",
            "2024-12-31",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|_| {
        panic!("{stderr}\n{without_files}");
    });
    assert_eq!(
        json["diagnostics"],
        serde_json::json!([]),
        "{without_files}"
    );
    assert!(code == 0 || code == 1, "{stderr}");

    // A second init into the folder keeps the configuration (and refuses the models).
    std::fs::remove_file(directory.path().join("ha-nam/architecture.ea")).unwrap();
    let (code, stdout, stderr) = kientruc_in(directory.path(), &["init", "ha-nam"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("kept ha-nam/kientruc.toml"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(directory.path().join("ha-nam/kientruc.toml")).unwrap(),
        without_files
    );
}
