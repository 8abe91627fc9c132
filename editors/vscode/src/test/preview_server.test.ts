// The preview's requests against the real language server: `kientruc lsp` (the repository's
// target/debug/kientruc, or the binary KIENTRUC_BINARY names) on a copy of architecture/hanoi
// with a file of two views, asked exactly as the panel asks (PreviewFollower's parameters): the
// answer has the shape src/preview/refresh.ts expects, the view under the cursor is drawn, the
// cursor entering the other view's declaration asks again, a picked view wins, and an edit shows.
// Skipped with a warning when no binary is built, unless CI is set (then it fails).

import * as assert from "node:assert";
import * as childProcess from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { PreviewFollower, VIEW_REQUEST, ViewResult, supportsViews } from "../preview/refresh";

const extensionRoot = path.join(__dirname, "..", "..");
const repositoryRoot = path.join(extensionRoot, "..", "..");

function binary(): string | undefined {
  const candidate = process.env.KIENTRUC_BINARY ?? path.join(repositoryRoot, "target", "debug", "kientruc");
  if (fs.existsSync(candidate)) {
    return candidate;
  }
  assert.ok(
    process.env.CI === undefined,
    `${candidate} is missing: build it first (cargo build --bin kientruc; .ci/run's cargo test does)`,
  );
  process.stderr.write(
    `\nWARNING: the preview's test against the language server is SKIPPED: ${candidate} is missing (cargo build --bin kientruc)\n\n`,
  );
  return undefined;
}

/** A minimal LSP client over stdio (Content-Length framing). */
class Server {
  private readonly process: childProcess.ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 0;
  private readonly waiting = new Map<number, (message: { result?: unknown; error?: { code: number; message: string } }) => void>();

  constructor(command: string) {
    this.process = childProcess.spawn(command, ["lsp"], { stdio: ["pipe", "pipe", "pipe"] });
    this.process.stderr.resume();
    this.process.stdout.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const headerEnd = this.buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
          return;
        }
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
        if (this.buffer.length < headerEnd + 4 + length) {
          return;
        }
        const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8"));
        this.buffer = this.buffer.subarray(headerEnd + 4 + length);
        if (typeof message.id === "number" && message.method === undefined) {
          this.waiting.get(message.id)?.(message);
          this.waiting.delete(message.id);
        }
      }
    });
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
    this.process.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin.write(body);
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    this.nextId += 1;
    const id = this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer in 60 s`)), 60_000);
      this.waiting.set(id, (message) => {
        clearTimeout(timer);
        if (message.error) {
          reject(new Error(`${method}: ${message.error.message}`));
        } else {
          resolve(message.result as T);
        }
      });
      this.send({ id, method, params });
    });
  }

  async stop(): Promise<void> {
    await this.request("shutdown", null);
    this.notify("exit", null);
    await new Promise((resolve) => this.process.once("exit", resolve));
  }
}

const VIEWS = `view nen_tang "Nền tảng dùng chung" {
  title_en "Shared platforms"
  include kind(platform)
}

view he_thong "Hệ thống của Thành phố" {
  include workspace and kind(system)
}
`;

test("the panel's requests, answered by kientruc lsp on Hanoi", async (context) => {
  const command = binary();
  if (!command) {
    context.skip("no kientruc binary");
    return;
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "kientruc-preview-server-"));
  const root = path.join(folder, "hanoi");
  fs.cpSync(path.join(repositoryRoot, "architecture", "hanoi"), root, { recursive: true });
  fs.writeFileSync(path.join(root, "preview.ea"), VIEWS);
  const uri = pathToFileURL(path.join(root, "preview.ea")).href;
  const server = new Server(command);
  try {
    const initialized = await server.request<{ capabilities: { experimental?: unknown } }>("initialize", {
      capabilities: {},
      rootUri: pathToFileURL(root).href,
      locale: "vi",
    });
    assert.ok(supportsViews(initialized.capabilities.experimental), "the server announces kientruc/view");
    server.notify("initialized", {});
    server.notify("textDocument/didOpen", {
      textDocument: { uri, languageId: "kientruc", version: 1, text: VIEWS },
    });
    const follower = new PreviewFollower();
    const ask = async (position?: { line: number; character: number }): Promise<ViewResult> => {
      const { sequence, params } = follower.request(uri, position);
      const result = await server.request<ViewResult>(VIEW_REQUEST, params);
      assert.ok(follower.answer(sequence, result));
      return result;
    };

    // The cursor in `he_thong`'s declaration.
    const first = await ask({ line: 6, character: 4 });
    assert.strictEqual(first.view?.id, "he_thong");
    assert.strictEqual(first.view?.title, "Hệ thống của Thành phố");
    assert.match(first.view?.svg ?? "", /^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    assert.ok((first.view?.width ?? 0) > 0 && (first.view?.height ?? 0) > 0);
    const declared = first.views.filter((view) => view.range !== undefined).map((view) => [view.id, view.range]);
    assert.deepStrictEqual(declared, [
      ["nen_tang", { start: { line: 0, character: 0 }, end: { line: 3, character: 1 } }],
      ["he_thong", { start: { line: 5, character: 0 }, end: { line: 7, character: 1 } }],
    ]);
    assert.ok(first.views.some((view) => view.id === "overview" && view.builtin));

    // Moving within the view asks nothing; entering `nen_tang` asks again.
    assert.strictEqual(follower.cursorMoved({ line: 7, character: 0 }), false);
    assert.strictEqual(follower.cursorMoved({ line: 2, character: 3 }), true);
    const second = await ask({ line: 2, character: 3 });
    assert.strictEqual(second.view?.id, "nen_tang");
    assert.match(second.view?.svg ?? "", /data-element="lgsp_hn"/);

    // In English: the declared English title.
    follower.language = "en";
    assert.strictEqual((await ask({ line: 2, character: 3 })).view?.title, "Shared platforms");
    follower.language = undefined;

    // A picked view wins over the cursor.
    follower.pick("overview");
    assert.strictEqual((await ask({ line: 2, character: 3 })).view?.id, "overview");

    // An element's neighbourhood, as a double-click in the page asks for it.
    follower.pick("neighbourhood:lgsp_hn");
    const neighbourhood = await ask({ line: 2, character: 3 });
    assert.strictEqual(neighbourhood.view?.id, "neighbourhood:lgsp_hn");
    assert.match(neighbourhood.view?.svg ?? "", /data-element="lgsp_hn"/);

    // An edit: a third view appears in the list and, asked for, is drawn.
    server.notify("textDocument/didChange", {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, text: '\nview moi "Mới" {\n  include id("lgsp_hn")\n}\n' },
      ],
    });
    follower.pick("moi");
    const edited = await ask({ line: 10, character: 2 });
    assert.strictEqual(edited.view?.id, "moi");
    assert.match(edited.view?.svg ?? "", /data-element="lgsp_hn"/);
    assert.ok(edited.views.some((view) => view.id === "moi" && view.range !== undefined));
  } finally {
    await server.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
