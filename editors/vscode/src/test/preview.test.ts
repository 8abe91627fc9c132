// The architecture preview's pure parts: the page's HTML (its Content-Security-Policy, nonce and
// escaping), when the preview asks the language server again (the view under the cursor, a
// picked view, typing), the page script's pan and zoom and its handling of untrusted strings
// (media/preview.js), and the manifest's command and menu. Run with `npm test`.

import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { contentSecurityPolicy, createNonce, escapeHtml, previewHtml } from "../preview/html";
import {
  Debouncer,
  PreviewFollower,
  ViewEntry,
  ViewResult,
  isModelDocument,
  rangeContains,
  supportsViews,
  viewAtPosition,
} from "../preview/refresh";

// The bundle runs from out/test/; the extension's folder is two levels up.
const extensionRoot = path.join(__dirname, "..", "..");

const HOSTILE = `"><script>alert(1)</script><img src=x onerror=alert(2)>`;

function page(overrides: Partial<Parameters<typeof previewHtml>[0]> = {}): string {
  return previewHtml({
    cspSource: "https://file+.vscode-resource.vscode-cdn.net",
    nonce: "0123456789abcdef0123456789abcdef",
    scriptUri: "https://file+.vscode-resource.vscode-cdn.net/ext/media/preview.js",
    styleUri: "https://file+.vscode-resource.vscode-cdn.net/ext/media/preview.css",
    language: "en",
    ...overrides,
  });
}

test("the page runs one script, by its nonce, under a policy that loads nothing else", () => {
  const html = page();
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(policy, "a CSP meta element");
  // What the browser reads from the attribute.
  const policyText = policy[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  const directives = new Map(
    policyText.split(";").map((directive) => {
      const [name, ...values] = directive.trim().split(/\s+/);
      return [name, values.join(" ")] as const;
    }),
  );
  assert.strictEqual(directives.get("default-src"), "'none'");
  assert.strictEqual(directives.get("script-src"), "'nonce-0123456789abcdef0123456789abcdef'");
  assert.strictEqual(directives.get("style-src"), "https://file+.vscode-resource.vscode-cdn.net");
  for (const closed of ["img-src", "font-src", "connect-src", "frame-src", "base-uri", "form-action"]) {
    assert.strictEqual(directives.get(closed), "'none'", closed);
  }
  assert.ok(!policyText.includes("unsafe"), "no 'unsafe-inline' or 'unsafe-eval'");
  // The CSP comes before anything that loads.
  assert.ok(html.indexOf("Content-Security-Policy") < html.indexOf("<link"));

  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.strictEqual(scripts.length, 1, "one script element");
  assert.strictEqual(scripts[0][2], "", "no inline script");
  assert.match(scripts[0][1], / nonce="0123456789abcdef0123456789abcdef"/);
  assert.match(scripts[0][1], / src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/media\/preview\.js"/);
  assert.ok(!/ on[a-z]+=/.test(html), "no event handler attributes");
  assert.ok(!/style=/.test(html), "no inline style");
  // Nothing remote: every URL is one of the two resources of media/.
  const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1]).sort();
  assert.deepStrictEqual(urls, [
    "https://file+.vscode-resource.vscode-cdn.net/ext/media/preview.css",
    "https://file+.vscode-resource.vscode-cdn.net/ext/media/preview.js",
  ]);
  for (const id of ["language", "view-picker", "view-title", "view-description", "status", "viewport", "canvas", "zoom-in", "zoom-out", "zoom-fit", "zoom-reset", "details"]) {
    assert.ok(html.includes(`id="${id}"`), `the page has #${id}, which media/preview.js uses`);
  }
});

test("the page escapes what it is given, and refuses a nonce or source that would bend its policy", () => {
  const html = page({ scriptUri: HOSTILE, styleUri: HOSTILE });
  assert.ok(!html.includes("<img"), "no element from a resource address");
  assert.strictEqual(html.match(/<script/g)?.length, 1);
  assert.ok(html.includes("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.strictEqual(escapeHtml(`<a href='x'>&"`), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
  assert.throws(() => contentSecurityPolicy("https://x", "abc'; script-src *"), /not a nonce/);
  assert.throws(() => contentSecurityPolicy("https://x; script-src *", "abc"), /not a CSP source/);
  assert.match(page({ language: "vi" }), /<html lang="vi">[\s\S]*Xem trước kiến trúc/);
});

test("each page gets a fresh 128-bit nonce", () => {
  const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
  assert.strictEqual(nonces.size, 50);
  for (const nonce of nonces) {
    assert.match(nonce, /^[0-9a-f]{32}$/);
  }
});

const VIEWS: ViewEntry[] = [
  {
    id: "health",
    title: "Y tế",
    description: null,
    builtin: false,
    range: { start: { line: 10, character: 0 }, end: { line: 14, character: 1 } },
  },
  {
    id: "data",
    title: "Dữ liệu",
    description: "CSDL",
    builtin: false,
    range: { start: { line: 16, character: 0 }, end: { line: 18, character: 1 } },
  },
  { id: "security", title: "An toàn", description: null, builtin: false },
  { id: "overview", title: "Tổng quan", description: null, builtin: true },
];

function answer(id: string | null): ViewResult {
  return {
    views: VIEWS,
    view: id === null ? null : { id, title: id, description: null, svg: "<svg/>", width: 1, height: 1 },
  };
}

test("the view under the cursor is the one whose declaration holds it, both ends included", () => {
  assert.strictEqual(viewAtPosition(VIEWS, { line: 10, character: 0 })?.id, "health");
  assert.strictEqual(viewAtPosition(VIEWS, { line: 14, character: 1 })?.id, "health");
  assert.strictEqual(viewAtPosition(VIEWS, { line: 14, character: 2 }), undefined);
  assert.strictEqual(viewAtPosition(VIEWS, { line: 17, character: 40 })?.id, "data");
  assert.strictEqual(viewAtPosition(VIEWS, { line: 3, character: 0 }), undefined);
  assert.ok(!rangeContains(VIEWS[0].range!, { line: 9, character: 99 }));
});

test("the preview asks again when the cursor enters another view, not while it stays in one", () => {
  const follower = new PreviewFollower();
  const first = follower.request("file:///ws/views.ea", { line: 11, character: 4 });
  assert.deepStrictEqual(first.params, {
    textDocument: { uri: "file:///ws/views.ea" },
    position: { line: 11, character: 4 },
  });
  assert.ok(follower.answer(first.sequence, answer("health")));
  assert.strictEqual(follower.cursorMoved({ line: 12, character: 0 }), false, "same view");
  assert.strictEqual(follower.cursorMoved({ line: 2, character: 0 }), false, "outside any view");
  assert.strictEqual(follower.cursorMoved({ line: 17, character: 3 }), true, "into `data`");
});

test("a view picked in the page stays until the cursor enters another view's declaration", () => {
  const follower = new PreviewFollower();
  follower.pick("security");
  const picked = follower.request("file:///ws/views.ea", { line: 11, character: 0 });
  assert.strictEqual(picked.params.view, "security");
  follower.answer(picked.sequence, answer("security"));
  // Typing, or moving outside any view, keeps the pick.
  assert.strictEqual(follower.cursorMoved({ line: 2, character: 0 }), false);
  assert.strictEqual(follower.request("file:///ws/views.ea", undefined).params.view, "security");
  // Entering `data`'s declaration forgets it: the server chooses from the cursor.
  assert.strictEqual(follower.cursorMoved({ line: 16, character: 5 }), true);
  const next = follower.request("file:///ws/views.ea", { line: 16, character: 5 });
  assert.strictEqual(next.params.view, undefined);
  assert.deepStrictEqual(next.params.position, { line: 16, character: 5 });
});

test("a language chosen in the page goes with every request", () => {
  const follower = new PreviewFollower();
  assert.strictEqual(follower.request("file:///ws/a.ea", undefined).params.language, undefined);
  follower.language = "en";
  assert.strictEqual(follower.request("file:///ws/a.ea", undefined).params.language, "en");
});

test("an older answer arriving after a newer one is dropped", () => {
  const follower = new PreviewFollower();
  const older = follower.request("file:///ws/a.ea", undefined);
  const newer = follower.request("file:///ws/a.ea", undefined);
  assert.ok(follower.answer(newer.sequence, answer("data")));
  assert.ok(!follower.answer(older.sequence, answer("health")));
  assert.strictEqual(follower.shown, "data");
  // An unknown view: nothing shown, the list still there.
  const unknown = follower.request("file:///ws/a.ea", undefined);
  assert.ok(follower.answer(unknown.sequence, answer(null)));
  assert.strictEqual(follower.shown, undefined);
  assert.strictEqual(follower.views.length, 4);
});

test("a burst of keystrokes asks once, 300 ms after the last", () => {
  let now = 0;
  const timers: { at: number; run: () => void; id: number }[] = [];
  let nextId = 0;
  const debouncer = new Debouncer(
    300,
    (run, delay) => {
      nextId += 1;
      timers.push({ at: now + delay, run, id: nextId });
      return nextId as unknown as ReturnType<typeof setTimeout>;
    },
    (handle) => {
      const index = timers.findIndex((timer) => timer.id === (handle as unknown as number));
      if (index >= 0) {
        timers.splice(index, 1);
      }
    },
  );
  const advance = (to: number): void => {
    now = to;
    for (const timer of timers.filter((candidate) => candidate.at <= now)) {
      timers.splice(timers.indexOf(timer), 1);
      timer.run();
    }
  };
  let runs = 0;
  for (const at of [0, 80, 160, 240]) {
    advance(at);
    debouncer.trigger(() => {
      runs += 1;
    });
  }
  advance(500);
  assert.strictEqual(runs, 0, "still waiting: 260 ms since the last keystroke");
  assert.ok(debouncer.waiting);
  advance(540);
  assert.strictEqual(runs, 1);
  assert.ok(!debouncer.waiting);
  debouncer.trigger(() => {
    runs += 1;
  });
  debouncer.dispose();
  advance(2000);
  assert.strictEqual(runs, 1, "a disposed debouncer runs nothing");
});

test("the preview asks only a server that announced kientruc/view", () => {
  // What `kientruc lsp` announces (lsp/src/ext.rs).
  assert.ok(supportsViews({ kientrucView: true }));
  for (const older of [undefined, null, {}, { kientrucView: false }, "kientrucView"]) {
    assert.ok(!supportsViews(older), JSON.stringify(older));
  }
});

test("models are .ea documents or documents in the kientruc language", () => {
  assert.ok(isModelDocument({ languageId: "kientruc", fileName: "/ws/untitled" }));
  assert.ok(isModelDocument({ languageId: "plaintext", fileName: "/ws/HANOI.EA" }));
  assert.ok(!isModelDocument({ languageId: "toml", fileName: "/ws/kientruc.toml" }));
});

interface PageScript {
  clampScale(scale: number): number;
  zoomAbout(transform: Transform, factor: number, x: number, y: number): Transform;
  fitTransform(width: number, height: number, viewportWidth: number, viewportHeight: number): Transform;
  cssTransform(transform: Transform): string;
  neutralise(root: FakeElement): FakeElement;
  fillPicker(
    document: FakeDocument,
    select: FakeElement,
    views: ViewEntry[],
    current: string,
    currentTitle: string | null,
  ): void;
}

interface Transform {
  scale: number;
  x: number;
  y: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pageScript: PageScript = require(path.join(extensionRoot, "media", "preview.js"));

test("zooming keeps the point under the pointer in place, within the allowed scales", () => {
  const start = { scale: 1, x: 40, y: 20 };
  const zoomed = pageScript.zoomAbout(start, 2, 140, 120);
  // The drawing's point under (140, 120) was (100, 100); it is still under the pointer.
  assert.deepStrictEqual(zoomed, { scale: 2, x: -60, y: -80 });
  assert.strictEqual((140 - zoomed.x) / zoomed.scale, 100);
  assert.strictEqual(pageScript.zoomAbout(start, 1000, 0, 0).scale, 8);
  assert.strictEqual(pageScript.zoomAbout(start, 0.00001, 0, 0).scale, 0.1);
  assert.strictEqual(pageScript.clampScale(Number.NaN), 1);
  assert.strictEqual(pageScript.cssTransform(zoomed), "translate(-60px, -80px) scale(2)");
});

test("fitting shows the whole drawing, centred, never enlarged", () => {
  assert.deepStrictEqual(pageScript.fitTransform(1000, 500, 532, 532), { scale: 0.5, x: 16, y: 141 });
  assert.deepStrictEqual(pageScript.fitTransform(100, 50, 800, 600), { scale: 1, x: 350, y: 275 });
  assert.deepStrictEqual(pageScript.fitTransform(0, 0, 800, 600), { scale: 1, x: 0, y: 0 });
});

/** Just enough of the DOM for fillPicker and neutralise; innerHTML is a trap. */
class FakeElement {
  children: FakeElement[] = [];
  attributes: { name: string; value: string }[] = [];
  textContent = "";
  value = "";
  selected = false;
  parent: FakeElement | undefined;
  constructor(readonly localName: string) {}
  set innerHTML(_html: string) {
    throw new Error("innerHTML must not be used for model strings");
  }
  setAttribute(name: string, value: string): void {
    this.attributes.push({ name, value });
  }
  removeAttribute(name: string): void {
    this.attributes = this.attributes.filter((attribute) => attribute.name !== name);
  }
  append(...children: FakeElement[]): FakeElement {
    for (const child of children) {
      child.parent = this;
      this.children.push(child);
    }
    return this;
  }
  replaceChildren(...children: FakeElement[]): void {
    this.children = [];
    this.append(...children);
  }
  remove(): void {
    if (this.parent) {
      this.parent.children = this.parent.children.filter((child) => child !== this);
    }
  }
}

class FakeDocument {
  createElement(name: string): FakeElement {
    return new FakeElement(name);
  }
}

test("the view picker lists every view as text, with the shown one selected", () => {
  const select = new FakeElement("select");
  const views: ViewEntry[] = [
    { id: "evil", title: HOSTILE, description: null, builtin: false },
    { id: "overview", title: "Tổng quan", description: null, builtin: true },
  ];
  pageScript.fillPicker(new FakeDocument(), select, views, "overview", "Tổng quan");
  assert.deepStrictEqual(
    select.children.map((option) => [option.value, option.textContent, option.selected]),
    [
      ["evil", `${HOSTILE} (evil)`, false],
      ["overview", "Tổng quan (overview, built in)", true],
    ],
  );
  assert.strictEqual(select.value, "overview");
  // An element's neighbourhood is not in the list: it gets an option while it is shown.
  pageScript.fillPicker(new FakeDocument(), select, views, "neighbourhood:dvc", "Lân cận: <dvc>");
  assert.deepStrictEqual(
    select.children.map((option) => [option.value, option.textContent, option.selected]),
    [
      ["evil", `${HOSTILE} (evil)`, false],
      ["overview", "Tổng quan (overview, built in)", false],
      ["neighbourhood:dvc", "Lân cận: <dvc> (neighbourhood:dvc, built in)", true],
    ],
  );
  // A name the workspace lacks gets no option.
  pageScript.fillPicker(new FakeDocument(), select, views, "no_such_view", null);
  assert.deepStrictEqual(
    select.children.map((option) => option.value),
    ["evil", "overview"],
  );
});

test("the drawing loses scripts, foreign HTML, event handlers and outside links before it is shown", () => {
  const svg = new FakeElement("svg");
  const node = new FakeElement("g");
  node.setAttribute("data-element", "dvc");
  node.setAttribute("onclick", "alert(1)");
  const link = new FakeElement("a");
  link.setAttribute("href", "#report-card-dvc");
  const outside = new FakeElement("a");
  outside.setAttribute("xlink:href", "javascript:alert(2)");
  outside.setAttribute("href", "https://example.org/");
  node.append(link, outside, new FakeElement("script"), new FakeElement("foreignObject"));
  svg.append(node);
  pageScript.neutralise(svg);
  assert.deepStrictEqual(node.attributes, [{ name: "data-element", value: "dvc" }]);
  assert.deepStrictEqual(
    node.children.map((child) => child.localName),
    ["a", "a"],
  );
  assert.deepStrictEqual(link.attributes, [{ name: "href", value: "#report-card-dvc" }]);
  assert.deepStrictEqual(outside.attributes, []);
});

interface Contributions {
  commands: { command: string; title: string; icon?: string }[];
  menus?: Record<string, { command: string; when?: string; group?: string }[]>;
}

test("package.json contributes the preview command and puts it in the title bar of .ea editors", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, "package.json"), "utf8"));
  const contributes: Contributions = manifest.contributes;
  const command = contributes.commands.find((candidate) => candidate.command === "kientruc.openPreview");
  assert.deepStrictEqual(command, {
    command: "kientruc.openPreview",
    title: "kientruc: Open architecture preview",
    icon: "$(open-preview)",
  });
  const titleBar = contributes.menus?.["editor/title"] ?? [];
  assert.deepStrictEqual(
    titleBar.filter((entry) => entry.command === "kientruc.openPreview"),
    [{ command: "kientruc.openPreview", when: "resourceExtname == .ea", group: "navigation" }],
  );
  // Every contributed command is registered by the bundle VS Code loads.
  const bundle = fs.readFileSync(path.join(extensionRoot, "out", "extension.js"), "utf8");
  for (const { command: id } of contributes.commands) {
    assert.ok(bundle.includes(`"${id}"`), `out/extension.js registers ${id}`);
  }
  assert.ok(bundle.includes('"kientruc/view"'), "the bundle sends kientruc/view");
});
