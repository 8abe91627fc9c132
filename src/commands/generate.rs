//! `kientruc gen --elements N --seed S --out DIR`: writes a generated workspace (see
//! `kientruc_checker::generate`) and its manifest of planted violations (`planted.json`).

use crate::args::GenArgs;
use crate::exit::ExitStatus;
use kientruc_host::write_atomically;
use std::io::Write as _;

pub fn run(args: &GenArgs) -> anyhow::Result<ExitStatus> {
    if args.out.exists() && std::fs::read_dir(&args.out)?.next().is_some() {
        eprintln!(
            "error: {} is not empty; gen writes only into a new or empty folder",
            args.out.display()
        );
        return Ok(ExitStatus::InvalidInput);
    }
    let generated = kientruc_checker::generate::generate(args.elements, args.seed);
    for (name, text) in &generated.files {
        let path = args.out.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        write_atomically(&path, text)?;
    }
    let manifest = serde_json::to_string_pretty(&serde_json::json!({
        "elements": generated.elements,
        "relations": generated.relations,
        "seed": args.seed,
        "planted": generated.planted,
    }))?;
    write_atomically(&args.out.join("planted.json"), &(manifest + "\n"))?;
    writeln!(
        std::io::stdout().lock(),
        "wrote {} files to {}: {} elements, {} relations; planted {} missing security levels, {} direct national exchanges, {} dependency cycles",
        generated.files.len(),
        args.out.display(),
        generated.elements,
        generated.relations,
        generated.planted.missing_security_level.len(),
        generated.planted.direct_national_exchange.len(),
        generated.planted.dependency_cycles.len()
    )?;
    Ok(ExitStatus::Success)
}
