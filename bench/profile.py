#!/usr/bin/env python3
"""Where `kientruc check` spends its time: samples the whole process with `perf record` (call
graphs unwound from DWARF, so inlined frames count) on a generated workspace, and attributes each
sample to the stage of the pipeline it was taken in (the innermost stage frame on its stack), with
the share of each stage spent in the kernel handling page faults (first touches of fresh memory).
Writes bench/profile.md, which bench/run.py copies into BENCHMARKS.md.

    python3 bench/profile.py              # 100,000 elements
    python3 bench/profile.py 10000 100000 # chosen sizes

Needs `perf` (Debian: linux-perf) and permission to sample (perf_event_paranoid ≤ 2 for one's own
processes). A profile, not a timing: the shares are what matters; the CPU milliseconds are the
sample count divided by the sampling frequency.
"""
import collections
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "kientruc")
SIZES = [int(size) for size in sys.argv[1:]] or [100_000]
FREQUENCY = 2000
TODAY = "2025-01-01"

# The pipeline's stages, each recognised by a frame on the stack (the innermost match wins, so a
# copy made while resolving bodies counts for the bodies). In pipeline order.
STAGES = [
    ("allocator returning freed memory", [r"_mi_prim_decommit", r"_mi_os_purge", r"mi_arena_purge"]),
    ("read and parse", [r"kientruc_dsl::parser::", r"kientruc_dsl::reader::", r"kientruc_dsl::lexer::",
                        r"kientruc_dsl::workspace::read::", r"kientruc_dsl::workspace::load"]),
    ("imports and framework", [r"kientruc_dsl::workspace::imports::", r"kientruc_dsl::workspace::framework::",
                               r"kientruc_dsl::metamodel::load"]),
    ("resolve: declare", [r"kientruc_dsl::resolve::declare::"]),
    ("resolve: bodies", [r"kientruc_dsl::resolve::bodies::", r"kientruc_dsl::resolve::element::"]),
    ("resolve: top level", [r"kientruc_dsl::resolve::top_level::"]),
    ("resolve: join", [r"kientruc_dsl::resolve::join::", r"kientruc_dsl::resolve::index_by_qualified_id"]),
    # What the compiler inlined into resolve_with: the merge of the files' declarations and the
    # join, on one thread.
    ("resolve: merges (inlined)", [r"kientruc_dsl::resolve::resolve_with"]),
    ("rule pack", [r"kientruc_checker::rules::", r"kientruc_checker::register::"]),
    ("free the syntax trees", [r"drop_syntax", r"drop_in_place<kientruc_dsl::syntax::"]),
    ("graph", [r"kientruc_checker::graph::"]),
    ("rule selections", [r"kientruc_checker::engine::Selections", r"kientruc_checker::engine::select"]),
    ("rules", [r"kientruc_checker::incremental::evaluate_rules", r"kientruc_checker::checks::"]),
    ("waivers, sort, output", [r"kientruc_checker::findings::", r"kientruc::commands::check", r"kientruc_reports::"]),
]
PAGE_FAULT = re.compile(r"exc_page_fault")


def stage_of(frames):
    """The stage of a sample whose frames run from the innermost outwards."""
    for frame in frames:
        for name, patterns in STAGES:
            if any(re.search(pattern, frame) for pattern in patterns):
                return name
    return "other (start-up, thread pool, exit)"


def samples(script):
    """Each sample's frames (symbol names, innermost first) from `perf script`'s output."""
    frames = []
    for line in script.splitlines():
        if not line.strip():
            if frames:
                yield frames
            frames = []
        elif line[0] in " \t":
            parts = line.strip().split(" ", 1)
            if len(parts) == 2:
                frames.append(parts[1])
    if frames:
        yield frames


def profile(size):
    with tempfile.TemporaryDirectory() as folder:
        workspace = os.path.join(folder, "ws")
        data = os.path.join(folder, "perf.data")
        subprocess.run([BINARY, "gen", "--elements", str(size), "--seed", "1", "--out", workspace],
                       check=True, capture_output=True)
        subprocess.run(["perf", "record", "-q", "-F", str(FREQUENCY), "--call-graph", "dwarf,16384", "-o", data,
                        BINARY, "check", workspace, "--format", "json", "--today", TODAY],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        script = subprocess.run(["perf", "script", "-i", data], check=True, capture_output=True,
                                text=True, errors="replace").stdout
    by_stage = collections.Counter()
    faults = collections.Counter()
    total = 0
    for frames in samples(script):
        total += 1
        stage = stage_of(frames)
        by_stage[stage] += 1
        if any(PAGE_FAULT.search(frame) for frame in frames):
            faults[stage] += 1
    return total, by_stage, faults


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    lines = [
        "## Where the time goes",
        "",
        "`python3 bench/profile.py` (Linux `perf record -F 2000 --call-graph dwarf` on `kientruc check"
        " WORKSPACE --format json`, one run per size, release build): each sample of either core is"
        " counted for the stage of the pipeline it was taken in; `page faults` is the part of the"
        " stage spent in the kernel giving the process fresh memory on first touch. CPU time, so"
        " the two cores' stages add up to more than the wall time.",
        "",
    ]
    for size in SIZES:
        total, by_stage, faults = profile(size)
        if total == 0:
            sys.exit("perf recorded no samples (is perf installed and allowed to sample?)")
        lines += [
            f"{size:,} elements: {total:,} samples, about {total * 1000 // FREQUENCY:,} ms of CPU; "
            f"{100 * sum(faults.values()) / total:.0f}% of it in page faults.",
            "",
            "| stage | share of CPU | CPU ms | of which page faults |",
            "|---|---|---|---|",
        ]
        order = [name for name, _ in STAGES] + ["other (start-up, thread pool, exit)"]
        for name in order[1:] + order[:1]:
            count = by_stage.get(name, 0)
            if count == 0:
                continue
            lines.append(f"| {name} | {100 * count / total:.1f}% | {count * 1000 // FREQUENCY} |"
                         f" {100 * faults.get(name, 0) / count:.0f}% |")
        lines.append("")
    with open(os.path.join(ROOT, "bench", "profile.md"), "w", encoding="utf-8") as out:
        out.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
