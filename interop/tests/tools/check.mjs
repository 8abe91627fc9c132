// Checks diagram sources with the languages' own parsers: `node check.mjs FILE...`.
// `.d2`: D2's compiler and renderer (the WASM build of d2), the picture written beside the file
// (`FILE.svg`). `.mmd`: Mermaid's parse() (the
// flowchart grammar, front matter and entity codes) in a jsdom window, since Mermaid's sanitiser
// needs a DOM. The D2 files go first: D2.js takes any `window` for a browser and waits for a web
// worker, so the window is made only after them. Prints `ok FILE` or `error FILE: message` per
// file and exits 1 when any file fails.
import { readFileSync, writeFileSync } from "node:fs";

const files = process.argv.slice(2);
let failed = 0;

async function check(file, run) {
  try {
    await run(readFileSync(file, "utf8"));
    console.log(`ok ${file}`);
  } catch (error) {
    failed += 1;
    console.log(`error ${file}: ${error?.message ?? JSON.stringify(error)}`);
  }
}

const d2Files = files.filter((file) => file.endsWith(".d2"));
if (d2Files.length > 0) {
  const { D2 } = await import("@terrastruct/d2");
  const d2 = new D2();
  for (const file of d2Files) {
    await check(file, async (text) => {
      const result = await d2.compile(text);
      const svg = await d2.render(result.diagram, result.renderOptions);
      if (!svg.includes("<svg")) throw new Error("no SVG rendered");
      writeFileSync(file.replace(/\.d2$/, ".svg"), svg);
    });
  }
}

const mermaidFiles = files.filter((file) => file.endsWith(".mmd"));
if (mermaidFiles.length > 0) {
  const { JSDOM } = await import("jsdom");
  const dom = new JSDOM("");
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  const mermaid = (await import("mermaid")).default;
  for (const file of mermaidFiles) {
    await check(file, async (text) => {
      const result = await mermaid.parse(text);
      if (!result || result.diagramType !== "flowchart-v2") {
        throw new Error(`not a flowchart: ${JSON.stringify(result)}`);
      }
    });
  }
}

for (const file of files.filter((file) => !file.endsWith(".d2") && !file.endsWith(".mmd"))) {
  failed += 1;
  console.log(`error ${file}: unknown extension (.mmd, .d2)`);
}
process.exit(failed > 0 ? 1 : 0);
