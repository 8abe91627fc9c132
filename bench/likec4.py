#!/usr/bin/env python3
"""Side by side with LikeC4: writes bench/likec4.md, which bench/run.py copies into BENCHMARKS.md.

For each size N: `kientruc gen --elements N --seed 1` writes a kientruc workspace; this script
converts it into an equivalent LikeC4 workspace (same elements, ids, names, nesting, tags and
relations; see EQUIVALENT below), installs LikeC4 from the npm registry (the newest version
whose engines.node accepts the Node found here, unless --likec4-version pins one), checks that
LikeC4 validates the converted model without errors (and, up to 10,000 elements, that
`likec4 export json` sees as many elements and relations), then measures
`kientruc check WS --format json --today 2025-01-01` against
`likec4 validate --ignore-layout WS`: whole-process wall time (start to exit) and peak RSS,
median of three runs (one run where LikeC4 takes more than 60 s).

    python3 bench/likec4.py                              # sizes 1,000 10,000 50,000
    python3 bench/likec4.py 1000 10000 50000 100000 --heap 16384

--heap MIB gives LikeC4 NODE_OPTIONS=--max-old-space-size=MIB from --heap-from (100,000) on;
the table says which rows had it. NODE_OPTIONS set by the caller applies to every run.

Needs: node and npm, the npm registry, cargo (or --kientruc BINARY). Not run by CI.
Standard library only.
"""
import argparse
import csv
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NATIONAL = os.path.join(ROOT, "architecture", "frameworks", "vn-egov-3.0", "national.ea")
TODAY = "2025-01-01"
SLOW = 60.0  # seconds: a LikeC4 run slower than this is measured once

EQUIVALENT = """\
"Equivalent" means: the LikeC4 workspace holds every element of the kientruc workspace with the
same id, its kind as a LikeC4 element kind declared in a `specification` block, its name as the
title, its `doc` as the description, every other property as a `metadata` string (keys get the
prefix `ea_`, as many property names are LikeC4 keywords; references such as `owner` or
`hosted_in` stay strings: LikeC4 does not resolve metadata), its tags as
LikeC4 tags (declared), and nested elements nested; and every relation, with its kind as a
declared LikeC4 relationship kind, its label as the title and `via` as metadata. Elements are
taken from `kientruc export --format csv`, and each goes to the `.c4` file named after the `.ea`
file that declares it (`architecture.ea` → `architecture.c4`, holding the specification;
`tinh/t0000.ea` → `tinh/t0000.c4`). kientruc reads the national reference model
(`import "framework:national.ea"`: {national}) from the framework pack built
into its binary; the LikeC4 workspace holds it as one more file, `national.c4`, so both tools
parse and resolve the same elements. kientruc does more per run: it also runs the {rules} rules of
the vn-egov-3.0 pack and writes the JSON findings."""


# ---------------------------------------------------------------- LikeC4 from the npm registry

def parse_version(text):
    match = re.match(r"^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?", text.strip())
    if not match:
        raise ValueError(f"not a version: {text!r}")
    return tuple(int(part) if part and part.isdigit() else 0 for part in match.groups())


def comparator_holds(version, comparator):
    """One node-semver comparator (>=, >, <=, <, =, ^, ~, bare or x-range)."""
    match = re.match(r"^(>=|<=|>|<|=|\^|~)?\s*(.+)$", comparator)
    operator, target = match.group(1) or "=", match.group(2)
    parts = [part for part in target.split(".")]
    wanted = parse_version(target)
    if operator == "^":
        upper = (wanted[0] + 1, 0, 0) if wanted[0] else ((0, wanted[1] + 1, 0) if wanted[1] else (0, 0, wanted[2] + 1))
        return wanted <= version < upper
    if operator == "~":
        return wanted <= version < (wanted[0], wanted[1] + 1, 0)
    if operator == "=":
        fixed = [part for part in parts if part.isdigit()]
        return version[: len(fixed)] == wanted[: len(fixed)]
    return {">=": version >= wanted, "<=": version <= wanted, ">": version > wanted, "<": version < wanted}[operator]


def satisfies(version, range_text):
    """Whether `version` satisfies a node-semver range such as `^20.19.0 || >=22.18.0`."""
    if not range_text or range_text.strip() in ("*", ""):
        return True
    for alternative in range_text.split("||"):
        alternative = re.sub(r"(>=|<=|>|<|=|\^|~)\s+", r"\1", alternative.strip())
        if " - " in alternative:
            low, high = alternative.split(" - ")
            if parse_version(low) <= version <= parse_version(high):
                return True
            continue
        if all(comparator_holds(version, comparator) for comparator in alternative.split()):
            return True
    return False


def newest_likec4_for(node_version):
    """The newest released likec4 whose engines.node accepts node_version (one registry request)."""
    listing = subprocess.run(
        ["npm", "view", "likec4@>=1.0.0", "version", "engines.node", "--json"],
        capture_output=True, text=True, check=True,
    ).stdout
    entries = json.loads(listing)
    if isinstance(entries, dict):
        entries = [entries]
    accepted = []
    for entry in entries:
        version = entry.get("version", "")
        if "-" in version:  # pre-releases
            continue
        if satisfies(node_version, entry.get("engines.node", "")):
            accepted.append(parse_version(version))
    if not accepted:
        sys.exit(f"no likec4 release accepts node {'.'.join(map(str, node_version))}")
    return ".".join(map(str, max(accepted)))


def install_likec4(version, cache):
    prefix = os.path.join(cache, f"likec4-{version}")
    cli = os.path.join(prefix, "node_modules", "likec4", "bin", "likec4.mjs")
    if not os.path.exists(cli):
        print(f"installing likec4@{version} into {prefix}", file=sys.stderr)
        subprocess.run(
            ["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "--loglevel", "error", f"likec4@{version}"],
            check=True, stdout=sys.stderr,
        )
    with open(os.path.join(prefix, "node_modules", "likec4", "package.json")) as manifest:
        installed = json.load(manifest)["version"]
    if installed != version:
        sys.exit(f"installed likec4 {installed}, wanted {version}")
    return cli


# ---------------------------------------------------------------- kientruc workspace → LikeC4

def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def export_csv(binary, source, folder):
    subprocess.run(
        [binary, "export", source, "--format", "csv", "-o", folder, "--today", TODAY, "--quiet"],
        check=True, capture_output=True,
    )
    return read_csv(os.path.join(folder, "elements.csv")), read_csv(os.path.join(folder, "relations.csv"))


def ea_files(workspace):
    """The .ea files of a workspace, relative to it."""
    found = []
    for folder, _, names in os.walk(workspace):
        found += [os.path.relpath(os.path.join(folder, name), workspace) for name in names if name.endswith(".ea")]
    return found


DECLARATION = re.compile(r'^\s*([a-z_]+)\s+([A-Za-z_][A-Za-z0-9_]*)\s+"', re.MULTILINE)


def declaring_files(workspace, elements):
    """Which .ea file (relative path) declares each element, from the files' declarations."""
    kinds = {element["id"]: element["kind"] for element in elements}
    where = {}
    for folder, _, names in os.walk(workspace):
        for name in sorted(names):
            if not name.endswith(".ea"):
                continue
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, workspace)
            with open(path, encoding="utf-8") as handle:
                for kind, identifier in DECLARATION.findall(handle.read()):
                    if kinds.get(identifier) == kind:
                        where[identifier] = relative
    return where


def quote(text):
    text = " ".join(text.split("\n"))
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def tag_list(element):
    return [tag.strip() for tag in re.split(r"[;,]", element.get("tags", "")) if tag.strip()]


SKIP_COLUMNS = {"id", "kind", "name", "nested_in", "tags", "doc"}


# Metadata keys are the property names with a prefix: many (description, source, status…) are
# LikeC4 keywords, which the grammar does not accept as keys.
def metadata_key(key):
    return "ea_" + key


def element_lines(element, children, indent):
    pad = "  " * indent
    body = []
    tags = tag_list(element)
    if tags:
        body.append(pad + "  " + " ".join("#" + tag for tag in tags))
    if element.get("doc"):
        body.append(pad + "  description " + quote(element["doc"]))
    metadata = [(key, value) for key, value in element.items() if key not in SKIP_COLUMNS and value]
    if metadata:
        body.append(pad + "  metadata {")
        body.extend(f"{pad}    {metadata_key(key)} {quote(value)}" for key, value in metadata)
        body.append(pad + "  }")
    for child in children.get(element["id"], []):
        body.extend(element_lines(child, children, indent + 1))
    head = f"{pad}{element['id']} = {element['kind']} {quote(element['name'])}"
    return [head + " {", *body, pad + "}"] if body else [head]


def relation_line(relation, fqn):
    line = f"  {fqn[relation['from']]} -[{relation['relation']}]-> {fqn[relation['to']]}"
    if relation.get("label"):
        line += " " + quote(relation["label"])
    extras = []
    if relation.get("doc"):
        extras.append("    description " + quote(relation["doc"]))
    metadata = [(key, value) for key, value in relation.items() if key not in {"from", "relation", "to", "label", "doc"} and value]
    if metadata:
        extras.append("    metadata {")
        extras.extend(f"      {metadata_key(key)} {quote(value)}" for key, value in metadata)
        extras.append("    }")
    return [line + " {", *extras, "  }"] if extras else [line]


def convert(binary, workspace, out):
    """Writes the LikeC4 equivalent of a kientruc workspace into `out`; returns counts."""
    with tempfile.TemporaryDirectory() as scratch:
        elements, relations = export_csv(binary, workspace, os.path.join(scratch, "ws"))
        national_elements, national_relations = export_csv(binary, NATIONAL, os.path.join(scratch, "national"))
    where = declaring_files(workspace, elements)
    own_ids = {element["id"] for element in elements}
    clash = own_ids & {element["id"] for element in national_elements}
    if clash:
        sys.exit(f"national ids clash with workspace ids: {sorted(clash)[:5]}")
    for relation in relations:  # `national.x` is the national model's `x`
        for end in ("from", "to"):
            if relation[end].startswith("national."):
                relation[end] = relation[end][len("national."):]
    for element in national_elements:
        where[element["id"]] = "national.ea"
    everything = elements + national_elements
    by_id = {element["id"]: element for element in everything}
    fqn, children, roots = {}, {}, {}

    def name_of(identifier):
        if identifier not in fqn:
            parent = by_id[identifier]["nested_in"]
            fqn[identifier] = f"{name_of(parent)}.{identifier}" if parent else identifier
        return fqn[identifier]

    def root_of(identifier):
        parent = by_id[identifier]["nested_in"]
        return root_of(parent) if parent else identifier

    file_of = {}
    for element in everything:
        name_of(element["id"])
        if element["nested_in"]:
            children.setdefault(element["nested_in"], []).append(element)
        else:
            if element["id"] not in where:
                sys.exit(f"no .ea file declares {element['id']}")
            roots.setdefault(where[element["id"]], []).append(element)
        file_of[element["id"]] = where[root_of(element["id"])]
    files = sorted(set(where.values()) | set(ea_files(workspace)))
    by_file = {name: [] for name in files}
    for relation in relations + national_relations:
        by_file[file_of[relation["from"]]].append(relation)
    kinds = sorted({element["kind"] for element in everything})
    tags = sorted({tag for element in everything for tag in tag_list(element)})
    relation_kinds = sorted({relation["relation"] for relation in relations + national_relations})
    specification = ["specification {"]
    specification += [f"  element {kind}" for kind in kinds]
    specification += [f"  tag {tag}" for tag in tags]
    specification += [f"  relationship {kind}" for kind in relation_kinds]
    specification.append("}")
    os.makedirs(out, exist_ok=True)
    for name in files:
        lines = ["// Generated by bench/likec4.py from " + name + " (kientruc gen); equivalent model for LikeC4.", ""]
        if name == "architecture.ea":
            lines += specification + [""]
        body = []
        for element in roots.get(name, []):
            body.extend(element_lines(element, children, 1))
        for relation in by_file[name]:
            body.extend(relation_line(relation, fqn))
        if body:
            lines += ["model {", *body, "}"]
        target = os.path.join(out, name[: -len(".ea")] + ".c4")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    return {
        "elements": len(elements), "relations": len(relations),
        "national_elements": len(national_elements), "national_relations": len(national_relations),
        "files": len(files),
    }


# ---------------------------------------------------------------- measuring

MEASURE = r"""
import json, os, resource, subprocess, sys, time


def descendants(root):
    parents = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    parents[int(pid)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


started = time.monotonic()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
spawned = set()
while True:
    try:
        stdout, stderr = process.communicate(timeout=0.25)
        break
    except subprocess.TimeoutExpired:
        spawned |= descendants(process.pid)
wall = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "rss_kib": usage.ru_maxrss, "code": process.returncode, "spawned": len(spawned),
                  "stdout": stdout, "stderr": stderr}))
"""


def measure(command, env=None):
    """Runs `command` under a fresh Python process, so RUSAGE_CHILDREN covers this run only: wall
    time from start to exit, ru_maxrss (KiB) — the peak RSS of the largest process among the
    command and every descendant it waited for — and how many processes the command started
    (seen by polling /proc every 0.25 s)."""
    output = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True, env=env)
    return json.loads(output.stdout)


def count_likec4_model(cli, folder, env):
    """How many elements and relations LikeC4 sees, from `likec4 export json` on a copy of the
    workspace with one small view (without views, LikeC4 lays out an index view of everything,
    which takes minutes)."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = os.path.join(scratch, "ws")
        shutil.copytree(folder, copy)
        with open(os.path.join(copy, "count-view.c4"), "w", encoding="utf-8") as view:
            view.write("views {\n  view index {\n  }\n}\n")
        target = os.path.join(scratch, "model.json")
        result = subprocess.run(["node", cli, "export", "json", "-o", target, copy],
                                capture_output=True, text=True, env=env)
        if result.returncode != 0 or not os.path.exists(target):
            return None, result.stderr[-2000:]
        with open(target) as handle:
            model = json.load(handle)
    return (len(model.get("elements", {})), len(model.get("relations", {}))), None


def machine(node, likec4):
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1024 ** 3)
    return (f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.system()} {platform.release()}, "
            f"node {node}, likec4 {likec4}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--likec4-version", help="pin a likec4 version (default: the newest this Node runs)")
    parser.add_argument("--cache", default=os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "kientruc-bench"))
    parser.add_argument("--kientruc", help="a kientruc binary (default: cargo build --release, target/release/kientruc)")
    parser.add_argument("--output", default=os.path.join(ROOT, "bench", "likec4.md"))
    parser.add_argument("--keep", help="keep the generated workspaces in this folder")
    parser.add_argument("--heap", type=int, metavar="MIB",
                        help="run LikeC4 with NODE_OPTIONS=--max-old-space-size=MIB at sizes from --heap-from on")
    parser.add_argument("--heap-from", type=int, default=100_000, metavar="N")
    args = parser.parse_args()

    binary = args.kientruc
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "kientruc"], cwd=ROOT, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        binary = os.path.join(target, "release", "kientruc")
    binary = os.path.abspath(binary)
    kientruc_version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    likec4 = args.likec4_version or newest_likec4_for(parse_version(node))
    cli = install_likec4(likec4, args.cache)
    env = dict(os.environ)
    node_options = env.get("NODE_OPTIONS", "")
    print(f"{kientruc_version}; node {node}; likec4 {likec4}; NODE_OPTIONS={node_options!r}", file=sys.stderr)
    load = os.getloadavg()

    rows = []
    work = args.keep or tempfile.mkdtemp(prefix="likec4-bench-")
    try:
        for size in args.sizes:
            kientruc_ws = os.path.join(work, f"kientruc-{size}")
            likec4_ws = os.path.join(work, f"likec4-{size}")
            for folder in (kientruc_ws, likec4_ws):
                shutil.rmtree(folder, ignore_errors=True)
            subprocess.run([binary, "gen", "--elements", str(size), "--seed", "1", "--out", kientruc_ws], check=True, capture_output=True)
            counts = convert(binary, kientruc_ws, likec4_ws)
            national = f"{counts['national_elements']} elements, {counts['national_relations']} relations"
            ea_count = len(ea_files(kientruc_ws))
            c4_files = sum(1 for _, _, names in os.walk(likec4_ws) for name in names if name.endswith(".c4"))
            print(f"{size}: {counts['elements']} elements, {counts['relations']} relations in {ea_count} .ea files "
                  f"(+ national {counts['national_elements']}/{counts['national_relations']}); {c4_files} .c4 files", file=sys.stderr)

            validate = ["node", cli, "validate", "--ignore-layout", likec4_ws]
            likec4_env, heap = env, node_options
            if args.heap and size >= args.heap_from:
                heap = (node_options + f" --max-old-space-size={args.heap}").strip()
                likec4_env = dict(env, NODE_OPTIONS=heap)
            check = [binary, "check", kientruc_ws, "--format", "json", "--today", TODAY]
            seen = None
            if size <= 10_000:  # checks the model LikeC4 reads is the whole model, once per small size
                seen, problem = count_likec4_model(cli, likec4_ws, env)
                expected = (counts["elements"] + counts["national_elements"], counts["relations"] + counts["national_relations"])
                if seen is None:
                    print(f"likec4 export json gave no counts: {problem}", file=sys.stderr)
                elif seen != expected:
                    sys.exit(f"LikeC4 sees {seen[0]} elements and {seen[1]} relations, the model has {expected}")

            k_runs, l_runs, failure = [], [], None
            for attempt in range(args.runs):
                k = measure(check, env)
                if k["code"] not in (0, 1):
                    sys.exit(f"kientruc check failed ({k['code']}): {k['stderr'][-2000:]}")
                summary = json.loads(k["stdout"])["summary"]
                if summary["input_errors"]:
                    sys.exit(f"kientruc check: {summary['input_errors']} input errors")
                if (summary["elements"], summary["relations"]) != (counts["elements"], counts["relations"]):
                    sys.exit(f"kientruc check counts {summary['elements']} elements and {summary['relations']} relations, "
                             f"the export {counts['elements']} and {counts['relations']}")
                k_runs.append(k)
                rules_run = summary["rules_run"]
                print(f"  kientruc run {attempt + 1}: {k['wall']:.2f} s, {k['rss_kib'] / 1024:.0f} MiB", file=sys.stderr)
            for attempt in range(args.runs):
                l = measure(validate, likec4_env)
                text = l["stdout"] + l["stderr"]
                if l["code"] != 0:
                    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
                    fatal = re.search(r"FATAL ERROR:[^\n]*", plain)
                    failure = f"exit {l['code']} after {l['wall']:.0f} s, {l['rss_kib'] / 1024:.0f} MiB: " + \
                        (fatal.group(0) if fatal else " ".join(plain.split())[-300:])
                    print(f"  likec4 failed: {failure}", file=sys.stderr)
                    break
                if re.search(r"\b(error|warn)", text, re.IGNORECASE):
                    sys.exit(f"likec4 validate reported problems:\n{text[-3000:]}")
                l_runs.append(l)
                print(f"  likec4 run {attempt + 1}: {l['wall']:.2f} s, {l['rss_kib'] / 1024:.0f} MiB, "
                      f"{l['spawned']} child processes", file=sys.stderr)
                if l["wall"] > SLOW:
                    break
            rows.append({
                "size": size, "elements": counts["elements"] + counts["national_elements"],
                "relations": counts["relations"] + counts["national_relations"],
                "files": ea_count, "c4_files": c4_files, "likec4_seen": seen,
                "k_wall": statistics.median(r["wall"] for r in k_runs),
                "k_rss": statistics.median(r["rss_kib"] for r in k_runs) / 1024,
                "k_n": len(k_runs),
                "l_wall": statistics.median(r["wall"] for r in l_runs) if l_runs else None,
                "l_rss": statistics.median(r["rss_kib"] for r in l_runs) / 1024 if l_runs else None,
                "l_n": len(l_runs), "failure": failure, "heap": heap,
                "spawned": max(r["spawned"] for r in k_runs + l_runs),
            })
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    command = "python3 bench/likec4.py " + " ".join(str(size) for size in args.sizes)
    if any(row["spawned"] for row in rows):
        spawned_text = "a run started child processes, so this is the largest process's peak, not the whole tree's)."
    else:
        spawned_text = "no run of either tool started a child process, polling /proc every 0.25 s, so this is the whole run's peak)."
    if args.heap:
        command += f" --heap {args.heap}" + (f" --heap-from {args.heap_from}" if args.heap_from != 100_000 else "")
    if node_options:
        command = f"NODE_OPTIONS={node_options} " + command
    lines = [
        "## Side by side with LikeC4",
        "",
        f"Generated by `{command}`; do not edit by hand. bench/run.py copies bench/likec4.md here.",
        "",
        f"Machine: {machine(node, likec4)}; {kientruc_version}.",
        f"Load average when the script started: {load[0]:.1f} (shared machine: other work ran at the same time, so",
        "figures vary between runs). "
        f"`likec4 {likec4}` is the newest release whose `engines.node` accepts node {node}",
        f"(installed with `npm install likec4@{likec4}`).",
        "",
        f"kientruc: `kientruc check WS --format json --today {TODAY}` (release build, parse, resolve, {rules_run}",
        "rules, JSON findings). LikeC4: `node node_modules/likec4/bin/likec4.mjs validate --ignore-layout WS`",
        "(parse, link and validate the model; layout of views not checked; the workspace has no views).",
        "Wall: the whole process from start to exit, seconds. RSS: peak resident set of the largest",
        "process of the run, MiB (`getrusage(RUSAGE_CHILDREN).ru_maxrss` in a fresh measuring process;",
        spawned_text + " Median of " f"{args.runs} runs,",
        f"one run where LikeC4 took more than {SLOW:.0f} s. Ratios are LikeC4 divided by kientruc.",
        "",
        "| N (requested) | elements (with national) | relations | files (.ea / .c4) | kientruc wall (s) | kientruc RSS (MiB) | LikeC4 wall (s) | LikeC4 RSS (MiB) | ratio wall | ratio memory | runs | LikeC4 NODE_OPTIONS |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row["l_wall"] is None:
            likec4_cells = f"failed: {row['failure'][:160]} | – | – | –"
        else:
            likec4_cells = (f"{row['l_wall']:.2f} | {row['l_rss']:.0f} | {row['l_wall'] / row['k_wall']:.0f}× | "
                            f"{row['l_rss'] / row['k_rss']:.1f}×")
        heap = f"`{row['heap']}`" if row["heap"] else "(none: default heap)"
        lines.append(f"| {row['size']:,} | {row['elements']:,} | {row['relations']:,} | {row['files']} / {row['c4_files']} | {row['k_wall']:.2f} | "
                     f"{row['k_rss']:.0f} | {likec4_cells} | {row['k_n']} / {row['l_n']} | {heap} |")
    lines += [
        "",
        "`runs`: kientruc's / LikeC4's number of runs. `files`: the kientruc workspace's .ea files / the",
        "LikeC4 workspace's .c4 files (one more: `national.c4`, see below).",
        "",
    ]
    checked = [row for row in rows if row["likec4_seen"] is not None]
    if checked:
        lines += [
            "Before timing, the script checks that LikeC4 validates each model without errors, and (with",
            "`likec4 export json`, sizes up to 10,000) that it sees every element and relation: " +
            ", ".join(f"{row['likec4_seen'][0]:,} elements and {row['likec4_seen'][1]:,} relations at {row['size']:,}" for row in checked) + ".",
            "",
        ]
    lines += [EQUIVALENT.format(rules=rules_run, national=national), ""]
    text = "\n".join(lines)
    print(text)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
