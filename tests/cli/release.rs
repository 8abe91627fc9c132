//! What a release ships: `kientruc --version` names the git revision it was built from; the
//! release script (`scripts/package-release.sh`, which `.github/workflows/release.yml` runs for
//! every target) packs the binary with its licence and README into an archive whose checksum
//! line `sha256sum -c` accepts; and the static Linux build (musl), when `.ci/run` has built it
//! and names it in `KIENTRUC_MUSL_BINARY`, has no program interpreter, is packed the same way
//! and checks Hanoi.
//!
//! Outside CI a machine without bash, tar or sha256sum, or without the musl build, skips the
//! test that needs it with a warning; in CI (`CI` set) it fails.

use std::io::{Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{KIENTRUC, fresh_folder, repository_root};

/// Whether `program` runs (`program --version`); a warning when not, a failure in CI.
fn available(program: &str) -> bool {
    let runs = Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !runs {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is missing: .ci/run runs on Debian, which has it"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!("\nWARNING: {program} is not installed, so this release test is SKIPPED\n\n")
                .as_bytes(),
        );
    }
    runs
}

fn stdout_of(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The host's target triple, as the release names it.
fn host_target() -> String {
    let arch = std::env::consts::ARCH;
    match std::env::consts::OS {
        "linux" => format!("{arch}-unknown-linux-gnu"),
        "macos" => format!("{arch}-apple-darwin"),
        "windows" => format!("{arch}-pc-windows-msvc"),
        other => format!("{arch}-unknown-{other}"),
    }
}

#[test]
fn version_names_the_git_revision() {
    let version = stdout_of(Command::new(KIENTRUC).arg("--version"));
    let revision = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(repository_root())
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8(output.stdout).unwrap().trim().to_owned());
    let expected = match revision {
        Some(revision) => format!("kientruc {} ({revision})\n", env!("CARGO_PKG_VERSION")),
        None => format!("kientruc {}\n", env!("CARGO_PKG_VERSION")),
    };
    assert_eq!(version, expected);
}

/// Packs `binary` for `target` with the release script into `out`: the archive's path.
fn package(binary: &Path, target: &str, out: &Path) -> PathBuf {
    let printed = stdout_of(
        Command::new("bash")
            .arg(repository_root().join("scripts/package-release.sh"))
            .arg(binary)
            .args([target, &format!("v{}", env!("CARGO_PKG_VERSION"))])
            .arg(out),
    );
    PathBuf::from(printed.trim())
}

/// Checks an archive the release script wrote: its name, its entries, its checksum line; the
/// folder it unpacks to.
fn check_archive(archive: &Path, target: &str, out: &Path) -> PathBuf {
    let name = format!("kientruc-{}-{target}", env!("CARGO_PKG_VERSION"));
    assert_eq!(archive, out.join(format!("{name}.tar.gz")));
    let listing = stdout_of(Command::new("tar").arg("-tzf").arg(archive));
    let mut entries: Vec<&str> = listing.lines().collect();
    entries.sort_unstable();
    assert_eq!(
        entries,
        [
            format!("{name}/"),
            format!("{name}/LICENSE"),
            format!("{name}/README.md"),
            format!("{name}/kientruc"),
        ]
    );
    // The checksum line is sha256sum's own, for the archive's file name.
    let checked = stdout_of(
        Command::new("sha256sum")
            .args(["-c", &format!("{name}.tar.gz.sha256")])
            .current_dir(out),
    );
    assert_eq!(checked, format!("{name}.tar.gz: OK\n"));
    let unpacked = out.join("unpacked");
    std::fs::create_dir_all(&unpacked).unwrap();
    stdout_of(
        Command::new("tar")
            .arg("-xzf")
            .arg(archive)
            .arg("-C")
            .arg(&unpacked),
    );
    let folder = unpacked.join(&name);
    for file in ["LICENSE", "README.md"] {
        assert_eq!(
            std::fs::read(folder.join(file)).unwrap(),
            std::fs::read(repository_root().join(file)).unwrap(),
            "{file}"
        );
    }
    folder
}

#[test]
fn the_release_archive_holds_the_binary_its_licence_and_readme() {
    if cfg!(windows) || !available("bash") || !available("tar") || !available("sha256sum") {
        return;
    }
    let out = fresh_folder("release", "host");
    let target = host_target();
    let archive = package(Path::new(KIENTRUC), &target, &out);
    let folder = check_archive(&archive, &target, &out);
    assert_eq!(
        stdout_of(Command::new(folder.join("kientruc")).arg("--version")),
        stdout_of(Command::new(KIENTRUC).arg("--version"))
    );

    // A changed archive fails the check (the line is the archive's hash, not a formality).
    let name = archive.file_name().unwrap().to_str().unwrap().to_owned();
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.push(0);
    std::fs::write(&archive, bytes).unwrap();
    let tampered = Command::new("sha256sum")
        .args(["-c", &format!("{name}.sha256")])
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(!tampered.status.success());
    assert!(String::from_utf8_lossy(&tampered.stdout).contains(&format!("{name}: FAILED")));

    // The script refuses what is not a target or a version instead of naming files after it.
    for (target, version) in [("../x", "0.1.0"), ("x86_64-unknown-linux-gnu", "1.0;rm")] {
        let refused = Command::new("bash")
            .arg(repository_root().join("scripts/package-release.sh"))
            .arg(KIENTRUC)
            .args([target, version])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(2), "{target} {version}");
    }
}

/// Whether the ELF file at `path` asks for a program interpreter (a `PT_INTERP` program header):
/// a dynamically linked executable does, a static (or static-pie) one does not.
fn has_program_interpreter(path: &Path) -> bool {
    let mut file = std::fs::File::open(path).unwrap();
    let mut header = [0u8; 64];
    file.read_exact(&mut header).unwrap();
    assert_eq!(
        &header[..4],
        b"\x7fELF",
        "{} is not an ELF file",
        path.display()
    );
    assert_eq!(header[4], 2, "a 64-bit ELF file");
    assert_eq!(header[5], 1, "a little-endian ELF file");
    let program_headers = u64::from_le_bytes(header[32..40].try_into().unwrap());
    let entry_size = u64::from(u16::from_le_bytes(header[54..56].try_into().unwrap()));
    let count = u16::from_le_bytes(header[56..58].try_into().unwrap());
    (0..u64::from(count)).any(|index| {
        file.seek(SeekFrom::Start(program_headers + index * entry_size))
            .unwrap();
        let mut kind = [0u8; 4];
        file.read_exact(&mut kind).unwrap();
        u32::from_le_bytes(kind) == 3
    })
}

#[test]
fn the_static_musl_build_is_packed_and_checks_hanoi() {
    let Some(binary) = std::env::var_os("KIENTRUC_MUSL_BINARY").map(PathBuf::from) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "KIENTRUC_MUSL_BINARY is not set: .ci/run builds the musl binary and sets it"
        );
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"\nWARNING: KIENTRUC_MUSL_BINARY is not set, so the static musl build test is SKIPPED \
              (cargo build --target x86_64-unknown-linux-musl, with musl-tools; see .ci/run)\n\n",
        );
        return;
    };
    assert!(
        !has_program_interpreter(&binary),
        "{} is dynamically linked",
        binary.display()
    );
    assert!(
        has_program_interpreter(Path::new(KIENTRUC)) || cfg!(target_env = "musl"),
        "the test's own (glibc) binary is dynamic: the ELF reading sees an interpreter"
    );
    if !available("bash") || !available("tar") || !available("sha256sum") {
        return;
    }
    let out = fresh_folder("release", "musl");
    let target = "x86_64-unknown-linux-musl";
    let archive = package(&binary, target, &out);
    let folder = check_archive(&archive, target, &out);
    let packed = folder.join("kientruc");
    assert!(!has_program_interpreter(&packed));
    // Built by .ci/run from the same commit; only the version is compared, so that a local run
    // with an older musl build passes too.
    let version = stdout_of(Command::new(&packed).arg("--version"));
    assert!(
        version.starts_with(&format!("kientruc {} (", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    // The static binary does the main job: Hanoi passes with its baseline (embedded pack).
    let checked = Command::new(&packed)
        .args([
            "check",
            "architecture/hanoi",
            "--baseline",
            "architecture/hanoi/.kientruc-baseline.json",
        ])
        .current_dir(repository_root())
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn the_project_has_one_address_and_no_placeholder() {
    let root = repository_root();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let address = "https://github.com/kientruc/kientruc";
    assert!(manifest.contains(&format!(
        "repository = \"{address}\"\nhomepage = \"{address}\"\n"
    )));
    assert_eq!(
        manifest.matches(address).count(),
        2,
        "the address is set once"
    );
    // Every published crate inherits it with the licence; the others say they are not published.
    let manifests: Vec<String> = crate::support::tracked_files()
        .into_iter()
        .filter(|file| file.ends_with("Cargo.toml") && file != "Cargo.toml")
        .collect();
    assert!(manifests.len() >= 6, "{manifests:?}");
    for file in &manifests {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        if text.contains("publish = false") {
            continue;
        }
        for key in ["license", "repository", "homepage"] {
            assert!(
                text.contains(&format!("\n{key}.workspace = true\n")),
                "{file}: {key}"
            );
        }
        let folder = Path::new(file).parent().unwrap();
        assert_eq!(
            std::fs::read(root.join(folder).join("LICENSE")).unwrap(),
            std::fs::read(root.join("LICENSE")).unwrap(),
            "{file}: its package needs the licence"
        );
    }
    // The standard Apache License 2.0 text, appendix included.
    let licence = std::fs::read_to_string(root.join("LICENSE")).unwrap();
    assert!(
        licence.contains("Apache License\n                           Version 2.0, January 2004")
    );
    assert!(licence.contains("END OF TERMS AND CONDITIONS"));
    assert!(licence.contains("APPENDIX: How to apply the Apache License to your work."));
    assert_eq!(licence.lines().count(), 202);
    // No file names a placeholder for the project (the test that checks reports for one aside).
    let placeholders = [
        ["example.invalid", "/kientruc"].concat(),
        ["<owner>", "/kientruc"].concat(),
    ];
    for file in crate::support::tracked_files() {
        if file == "reports/tests/reports.rs" {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&file)) else {
            continue;
        };
        for placeholder in &placeholders {
            assert!(
                !text.contains(placeholder.as_str()),
                "{file} holds {placeholder}"
            );
        }
    }
}
