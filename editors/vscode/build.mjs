// Builds the extension with esbuild (run after `tsc --noEmit`, which only type-checks):
//   node build.mjs               out/extension.js with a source map, and the tests in out/test/
//   node build.mjs --production  out/extension.js minified, no source map (what the .vsix holds)
//   node build.mjs --watch       rebuilds on every change (for F5 in VS Code)
// The extension and vscode-languageclient become one file; `vscode` is provided by the editor.

import * as esbuild from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";

const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

/** @type {esbuild.BuildOptions} */
const extension = {
  entryPoints: ["src/extension.ts"],
  outfile: "out/extension.js",
  bundle: true,
  platform: "node",
  format: "cjs",
  // VS Code 1.82 (the oldest the manifest accepts) runs extensions on Node.js 18.
  target: "node18",
  external: ["vscode"],
  minify: production,
  sourcemap: !production,
  logLevel: "warning",
};

/** @type {esbuild.BuildOptions} */
const tests = {
  entryPoints: fs
    .readdirSync("src/test")
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => path.join("src/test", name)),
  outdir: "out/test",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  // The tests load vscode-textmate, vscode-oniguruma and its .wasm from node_modules at run time.
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
};

// A production build replaces a development one: no stale source map next to the minified file.
fs.rmSync("out/extension.js.map", { force: true });

if (watch) {
  const contexts = await Promise.all([esbuild.context(extension), esbuild.context(tests)]);
  await Promise.all(contexts.map((context) => context.watch()));
  console.log("esbuild: watching src/");
} else if (production) {
  await esbuild.build(extension);
} else {
  await Promise.all([esbuild.build(extension), esbuild.build(tests)]);
}
