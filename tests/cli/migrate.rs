//! `kientruc migrate`: a workspace of the test pack `mini` moved to `mini-next`, which replaces it
//! (tests/frameworks/mini-next/migration.toml): the changes printed at their places, comments and
//! layout kept, each changed file formatted, the header's framework changed, and what the new
//! pack now requires listed from a check of the result. Nothing is written without `--out` or
//! `--in-place`, and nothing is overwritten.

use std::path::Path;

use crate::support::{kientruc, repository_root};

const MODEL: &str = "architecture tinh \"Tỉnh thử\" {\n  framework \"mini\"\n  version \"1.0\" // the plan's version\n}\n\nagency ubnd \"UBND tỉnh\" {\n  level province\n}\n\n/// The one-stop system.\nsystem mot_cua \"Một cửa\" {\n  owner ubnd\n  security_level 3\n  status retiring\n  public true // shown on the portal\n  uses -> lgsp { protocol \"REST\" }\n  hosted_on -> dc\n}\n\nplatform lgsp \"LGSP\" {\n  owner ubnd\n  platform_type lgsp\n}\n\nplatform bando \"Bản đồ\" {\n  owner ubnd\n  platform_type other\n}\n\ndata_centre dc \"Trung tâm dữ liệu\" {\n  owner ubnd\n}\n";

/// A workspace holding both packs and the model.
fn workspace() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    for pack in ["mini", "mini-next"] {
        let source = repository_root().join("tests/frameworks").join(pack);
        let target = folder.path().join("frameworks").join(pack);
        std::fs::create_dir_all(&target).unwrap();
        for entry in std::fs::read_dir(&source).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
        }
    }
    std::fs::create_dir_all(folder.path().join("model")).unwrap();
    std::fs::write(folder.path().join("model/main.ea"), MODEL).unwrap();
    std::fs::write(folder.path().join("model/notes.txt"), "kept\n").unwrap();
    folder
}

fn run(folder: &Path, arguments: &[&str]) -> (i32, String, String) {
    let output = kientruc()
        .args(arguments)
        .current_dir(folder)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const CHANGES: &str = "model/main.ea:2:13: framework mini → mini-next\nmodel/main.ea:13:3: property security_level → security_grade (§3: the grade replaces the level)\nmodel/main.ea:14:10: status value retiring → retired\nmodel/main.ea:15:3: property public removed (§4: publication is recorded elsewhere)\nmodel/main.ea:17:3: relation hosted_on → hosted_in\nmodel/main.ea:20:1: kind platform → integration_platform (platform_type lgsp)\nmodel/main.ea:25:1: kind platform → shared_platform (platform_type other)\nto supply: `data_owner` on system: §5: every system names the agency that owns its data\n";

#[test]
fn a_dry_run_prints_the_changes_and_writes_nothing() {
    let folder = workspace();
    let (code, stdout, stderr) = run(folder.path(), &["migrate", "model", "--to", "mini-next"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        format!(
            "{CHANGES}7 changes, 0 to decide, 1 facts to supply (mini → mini-next)\nnothing written: --out DIR writes the migrated workspace to DIR, --in-place rewrites its files\n"
        )
    );
    // Under -q only the changes are printed.
    let (code, stdout, _) = run(
        folder.path(),
        &["-q", "migrate", "model", "--to", "mini-next"],
    );
    assert_eq!(code, 0);
    assert_eq!(stdout, CHANGES);
    assert_eq!(
        std::fs::read_to_string(folder.path().join("model/main.ea")).unwrap(),
        MODEL
    );
}

#[test]
fn out_writes_a_migrated_copy_and_lists_what_the_new_pack_requires() {
    let folder = workspace();
    // Beside the model, where the local packs are found as they are for the model.
    let migrated = folder.path().join("migrated");
    let (code, stdout, stderr) = run(
        folder.path(),
        &["migrate", "model", "--to", "mini-next", "--out", "migrated"],
    );
    // The new pack requires a data owner the model does not have: exit 1, with the error listed.
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.starts_with(CHANGES), "{stdout}");
    assert!(
        stdout.contains(
            "migrated/main.ea:11:8: to fix: error[KT0209] system `mot_cua` lacks the required property `data_owner`"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("data_owner"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(migrated.join("main.ea")).unwrap(),
        "architecture tinh \"Tỉnh thử\" {\n  framework \"mini-next\"\n  version \"1.0\" // the plan's version\n}\n\nagency ubnd \"UBND tỉnh\" {\n  level province\n}\n\n/// The one-stop system.\nsystem mot_cua \"Một cửa\" {\n  owner ubnd\n  security_grade 3\n  status retired\n  // kientruc migrate: removed: public true // shown on the portal\n  uses -> lgsp { protocol \"REST\" }\n  hosted_in -> dc\n}\n\nintegration_platform lgsp \"LGSP\" {\n  owner ubnd\n  platform_type lgsp\n}\n\nshared_platform bando \"Bản đồ\" {\n  owner ubnd\n  platform_type other\n}\n\ndata_centre dc \"Trung tâm dữ liệu\" {\n  owner ubnd\n}\n"
    );
    // The rest of the folder is copied; the original is untouched.
    assert_eq!(
        std::fs::read_to_string(migrated.join("notes.txt")).unwrap(),
        "kept\n"
    );
    assert_eq!(
        std::fs::read_to_string(folder.path().join("model/main.ea")).unwrap(),
        MODEL
    );
    // Supplying the data owner makes the migrated model resolve under the new pack.
    let text = std::fs::read_to_string(migrated.join("main.ea")).unwrap();
    std::fs::write(
        migrated.join("main.ea"),
        text.replace(
            "  owner ubnd\n  security_grade",
            "  owner ubnd\n  data_owner ubnd\n  security_grade",
        ),
    )
    .unwrap();
    let out = "migrated";
    let (code, _, stderr) = run(folder.path(), &["check", out, "--format", "json"]);
    assert_ne!(code, 2, "{stderr}");
    // A second migration of the migrated model is refused: it is already there.
    let (code, _, stderr) = run(folder.path(), &["migrate", out, "--to", "mini-next"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("already declares framework `mini-next`"),
        "{stderr}"
    );
}

#[test]
fn in_place_rewrites_the_files_where_they_are() {
    let folder = workspace();
    let (code, _, stderr) = run(
        folder.path(),
        &["migrate", "model", "--to", "mini-next", "--in-place"],
    );
    assert_eq!(code, 1, "{stderr}");
    let text = std::fs::read_to_string(folder.path().join("model/main.ea")).unwrap();
    assert!(text.contains("framework \"mini-next\""), "{text}");
    assert!(text.contains("shared_platform bando"), "{text}");
}

#[test]
fn refusals_write_nothing() {
    let folder = workspace();
    // A pack that does not replace the model's.
    let (code, _, stderr) = run(folder.path(), &["migrate", "model", "--to", "mini"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("already declares framework `mini`"),
        "{stderr}"
    );
    let (code, _, stderr) = run(folder.path(), &["migrate", "model", "--to", "nowhere"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no framework pack `nowhere`"), "{stderr}");
    // An --out folder inside the workspace, or one that holds files.
    let (code, _, stderr) = run(
        folder.path(),
        &[
            "migrate",
            "model",
            "--to",
            "mini-next",
            "--out",
            "model/next",
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("inside the workspace"), "{stderr}");
    let full = tempfile::tempdir().unwrap();
    std::fs::write(full.path().join("keep.ea"), "// mine\n").unwrap();
    let (code, _, stderr) = run(
        folder.path(),
        &[
            "migrate",
            "model",
            "--to",
            "mini-next",
            "--out",
            full.path().to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(full.path().join("keep.ea")).unwrap(),
        "// mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(folder.path().join("model/main.ea")).unwrap(),
        MODEL
    );
}
