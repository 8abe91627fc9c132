// The architecture preview's page in a real browser (headless Chromium, as the report's browser
// test runs it): the page that src/preview/html.ts builds, with media/preview.js and a stand-in
// for VS Code's webview API, receives a view as the extension posts it, and shows the SVG (without
// the scripts, handlers and foreign HTML a hostile drawing could hold), the title and description
// as text, and the view picker, under its Content-Security-Policy. Skipped with a warning when
// /usr/bin/chromium is missing, unless CI is set (then it fails).

import * as assert from "node:assert";
import * as childProcess from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { previewHtml } from "../preview/html";

const extensionRoot = path.join(__dirname, "..", "..");
const CHROMIUM = "/usr/bin/chromium";
const NONCE = "4f1b0c3e9a8d7f6e5d4c3b2a19080706";
const HOSTILE = `"><img src=x onerror="document.title='pwned'">`;

function chromiumAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) {
    return true;
  }
  assert.ok(
    process.env.CI === undefined,
    `${CHROMIUM} is missing: .ci/run installs it with apt-get install -y chromium`,
  );
  process.stderr.write(
    `\nWARNING: the preview's browser test is SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium)\n\n`,
  );
  return false;
}

const MESSAGE = {
  type: "view",
  requested: "evil",
  result: {
    views: [
      { id: "evil", title: HOSTILE, description: null, builtin: false },
      { id: "overview", title: "Tổng quan", description: null, builtin: true },
    ],
    view: {
      id: "evil",
      title: HOSTILE,
      description: "<b>mô tả</b>",
      width: 400,
      height: 200,
      nodes: [{ id: "dvc", name: "Dịch vụ công", kind: "system", kind_name: "Hệ thống", findings: true }],
      links: [],
      svg:
        '<svg xmlns="http://www.w3.org/2000/svg" class="diagram" viewBox="0 0 400 200" width="400" height="200">' +
        '<g class="node has-findings" data-element="dvc" onclick="document.title=\'pwned\'">' +
        '<rect x="10" y="10" width="120" height="40" fill="#fff" stroke="#000"/>' +
        "<text x=\"20\" y=\"30\">Dịch vụ công &lt;img&gt;</text></g>" +
        '<a href="javascript:document.title=\'pwned\'"><text x="200" y="30">link</text></a>' +
        "<script>document.title='pwned'</script>" +
        '<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">foreign</div></foreignObject>' +
        "</svg>",
    },
  },
};

test("the page shows a posted view in Chromium: the SVG defused, every string as text", (context) => {
  if (!chromiumAvailable()) {
    context.skip("chromium not installed");
    return;
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "kientruc-preview-"));
  const media = path.join(extensionRoot, "media");
  // VS Code's webview API, as the page sees it: `ready` is answered with the view.
  const harness = path.join(folder, "harness.js");
  fs.writeFileSync(
    harness,
    `window.acquireVsCodeApi = () => ({
  postMessage(message) {
    document.documentElement.dataset.posted = (document.documentElement.dataset.posted || "") + message.type + ";";
    if (message.type === "ready") {
      window.postMessage(${JSON.stringify(MESSAGE)}, "*");
    }
  },
  getState() { return undefined; },
  setState(state) { document.documentElement.dataset.state = JSON.stringify(state); },
});
`,
  );
  let html = previewHtml({
    cspSource: "file:",
    nonce: NONCE,
    scriptUri: pathToFileURL(path.join(media, "preview.js")).href,
    styleUri: pathToFileURL(path.join(media, "preview.css")).href,
    language: "vi",
  });
  html = html.replace(
    "<script nonce=",
    `<script nonce="${NONCE}" src="${pathToFileURL(harness).href}"></script>\n<script nonce=`,
  );
  const page = path.join(folder, "preview.html");
  fs.writeFileSync(page, html);
  const result = childProcess.spawnSync(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-extensions",
      "--disable-background-networking",
      "--host-resolver-rules=MAP * ~NOTFOUND",
      `--user-data-dir=${path.join(folder, "profile")}`,
      "--window-size=800,600",
      "--virtual-time-budget=3000",
      "--dump-dom",
      pathToFileURL(page).href,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  fs.rmSync(folder, { recursive: true, force: true });
  assert.strictEqual(result.status, 0, result.stderr);
  const dom = result.stdout;

  assert.match(dom, /data-posted="ready;"/, "the page said it was ready");
  // The title and description are text: the hostile markup is escaped, never an element.
  assert.ok(!/<img/i.test(dom), "no <img> element made from a string");
  assert.ok(dom.includes('<h1 id="view-title">"&gt;&lt;img src=x onerror="document.title=\'pwned\'"&gt;</h1>'), dom);
  assert.ok(dom.includes("&lt;b&gt;mô tả&lt;/b&gt;"), "the description as text");
  assert.ok(!dom.includes("<title>pwned</title>"), "nothing ran");
  // The picker: one option per view, as text, the shown one selected.
  const picker = /<select id="view-picker"[^>]*>([\s\S]*?)<\/select>/.exec(dom)?.[1] ?? "";
  const options = [...picker.matchAll(/<option value="([^"]*)">([^<]*)<\/option>/g)].map((match) => [match[1], match[2]]);
  assert.deepStrictEqual(options, [
    ["evil", "\"&gt;&lt;img src=x onerror=\"document.title='pwned'\"&gt; (evil)"],
    ["overview", "Tổng quan (overview, built in)"],
  ]);
  // The drawing: in the canvas, its element still there, its active parts gone.
  const canvas = /<div id="canvas" class="canvas"[^>]*>([\s\S]*?)<\/div><\/main>/.exec(dom);
  assert.ok(canvas, "the canvas");
  assert.match(canvas[0], /style="transform: translate\([-\d.]+px, [-\d.]+px\) scale\([\d.]+\);?"/, "fitted");
  const drawing = canvas[1];
  assert.match(drawing, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="diagram"/);
  assert.match(drawing, /<g class="node has-findings" data-element="dvc">/);
  assert.ok(drawing.includes("Dịch vụ công &lt;img&gt;"));
  for (const gone of ["onclick", "<script", "foreignObject", "javascript:", "foreign</div>"]) {
    assert.ok(!drawing.includes(gone), `${gone} is removed from the drawing`);
  }
  assert.match(dom, /<p id="status" class="status" role="status" hidden="">/, "no status message");
});
