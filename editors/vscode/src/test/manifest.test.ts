// The extension's manifest and what the .vsix holds: package.json names the project's address,
// version and licence as the Rust workspace does (compared with ../../Cargo.toml inside the
// kientruc repository), LICENSE is the repository's, icon.png is the 128×128 rendering of
// images/icon.svg, and `vsce ls` lists exactly the files the extension needs. Run with `npm test`.

import * as assert from "node:assert";
import * as childProcess from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import * as zlib from "node:zlib";

// The bundle runs from out/test/; the extension's folder is two levels up.
const extensionRoot = path.join(__dirname, "..", "..");
const repositoryRoot = path.join(extensionRoot, "..", "..");

interface Manifest {
  name: string;
  version: string;
  publisher: string;
  license: string;
  icon?: string;
  main: string;
  repository?: { type: string; url: string };
  homepage?: string;
  bugs?: { url: string };
}

const manifest: Manifest = JSON.parse(
  fs.readFileSync(path.join(extensionRoot, "package.json"), "utf8"),
);

/** The `key = "value"` lines of one `[section]` of a TOML file (enough for Cargo.toml's strings). */
function tomlSection(text: string, section: string): Map<string, string> {
  const values = new Map<string, string>();
  let inSection = false;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("[")) {
      inSection = trimmed === `[${section}]`;
      continue;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*=\s*"([^"]*)"/.exec(trimmed);
    if (inSection && pair) {
      values.set(pair[1], pair[2]);
    }
  }
  return values;
}

test("package.json names the project's address, with no placeholder", () => {
  assert.strictEqual(manifest.publisher, "kientruc");
  const repository = manifest.repository?.url ?? "";
  assert.match(repository, /^https:\/\/github\.com\/[^/]+\/[^/]+$/, "repository.url");
  assert.strictEqual(manifest.repository?.type, "git");
  assert.strictEqual(manifest.homepage, repository, "homepage");
  assert.strictEqual(manifest.bugs?.url, `${repository}/issues`, "bugs.url");
  const text = JSON.stringify(manifest);
  for (const placeholder of ["example.invalid", "example.com", "<owner>", "TODO"]) {
    assert.ok(!text.includes(placeholder), `package.json holds ${placeholder}`);
  }
});

test("package.json has the Rust workspace's repository, homepage, version and licence", (context) => {
  const cargoToml = path.join(repositoryRoot, "Cargo.toml");
  if (!fs.existsSync(cargoToml)) {
    context.skip("not inside the kientruc repository (no ../../Cargo.toml to compare with)");
    return;
  }
  const workspace = tomlSection(fs.readFileSync(cargoToml, "utf8"), "workspace.package");
  assert.strictEqual(manifest.repository?.url, workspace.get("repository"), "repository");
  assert.strictEqual(manifest.homepage, workspace.get("homepage"), "homepage");
  assert.strictEqual(manifest.version, workspace.get("version"), "version");
  assert.strictEqual(manifest.license, workspace.get("license"), "license");
});

test("LICENSE is the Apache License 2.0, the repository's own file", (context) => {
  const licence = fs.readFileSync(path.join(extensionRoot, "LICENSE"));
  assert.strictEqual(manifest.license, "Apache-2.0");
  assert.match(licence.toString("utf8"), /^\s*Apache License\s+Version 2\.0, January 2004/);
  const rootLicence = path.join(repositoryRoot, "LICENSE");
  if (!fs.existsSync(path.join(repositoryRoot, "Cargo.toml"))) {
    context.skip("not inside the kientruc repository (no ../../LICENSE to compare with)");
    return;
  }
  assert.ok(
    licence.equals(fs.readFileSync(rootLicence)),
    "editors/vscode/LICENSE differs from the repository's LICENSE: cp ../../LICENSE LICENSE",
  );
});

interface Image {
  width: number;
  height: number;
  /** 8-bit RGBA, row after row. */
  rgba: Buffer;
}

/** Decodes a non-interlaced 8-bit RGB or RGBA PNG (what rsvg-convert writes). */
function decodePng(data: Buffer): Image {
  assert.ok(data.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])), "a PNG");
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const compressed: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString("latin1", offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      assert.strictEqual(depth, 8, "bit depth");
      assert.strictEqual(interlace, 0, "interlacing");
      channels = colour === 6 ? 4 : colour === 2 ? 3 : 0;
      assert.ok(channels > 0, `colour type ${colour}`);
    } else if (type === "IDAT") {
      compressed.push(body);
    }
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(compressed));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x += 1) {
      const left = x >= channels ? pixels[y * stride + x - channels] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const upLeft = y > 0 && x >= channels ? pixels[(y - 1) * stride + x - channels] : 0;
      let predicted = 0;
      if (filter === 1) {
        predicted = left;
      } else if (filter === 2) {
        predicted = up;
      } else if (filter === 3) {
        predicted = (left + up) >> 1;
      } else if (filter === 4) {
        const estimate = left + up - upLeft;
        const [a, b, c] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
        predicted = a <= b && a <= c ? left : b <= c ? up : upLeft;
      }
      pixels[y * stride + x] = (row[x] + predicted) & 0xff;
    }
  }
  const rgba = Buffer.alloc(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    pixels.copy(rgba, pixel * 4, pixel * channels, pixel * channels + channels);
    if (channels === 3) {
      rgba[pixel * 4 + 3] = 255;
    }
  }
  return { width, height, rgba };
}

/** Whether `program` runs (`program --version`). */
function installed(program: string): boolean {
  return childProcess.spawnSync(program, ["--version"], { stdio: "ignore" }).status === 0;
}

test("icon.png is a 128×128 rendering of images/icon.svg", (context) => {
  assert.strictEqual(manifest.icon, "icon.png", "package.json's icon");
  const icon = decodePng(fs.readFileSync(path.join(extensionRoot, "icon.png")));
  assert.deepStrictEqual([icon.width, icon.height], [128, 128], "the icon's size");
  // Opaque inside, transparent in the rounded corners: a rendering, not an empty picture.
  assert.strictEqual(icon.rgba[(64 * 128 + 4) * 4 + 3], 255, "opaque at the left edge's middle");
  assert.strictEqual(icon.rgba[3], 0, "transparent in the top left corner");

  if (!installed("rsvg-convert")) {
    assert.ok(
      process.env.CI === undefined,
      "rsvg-convert is missing: apt-get install -y librsvg2-bin (.ci/run does)",
    );
    process.stderr.write(
      "\nWARNING: the icon's comparison with images/icon.svg is skipped: rsvg-convert not installed (apt-get install -y librsvg2-bin)\n\n",
    );
    context.skip("rsvg-convert not installed");
    return;
  }
  const rendered = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kientruc-icon-")), "icon.png");
  const result = childProcess.spawnSync(
    "rsvg-convert",
    ["--width", "128", "--height", "128", "--output", rendered, path.join(extensionRoot, "images", "icon.svg")],
    { encoding: "utf8" },
  );
  assert.strictEqual(result.status, 0, result.stderr);
  const fresh = decodePng(fs.readFileSync(rendered));
  fs.rmSync(path.dirname(rendered), { recursive: true });
  assert.deepStrictEqual([fresh.width, fresh.height], [128, 128]);
  // Another librsvg may smooth edges a little differently; a changed drawing moves far more.
  let differing = 0;
  for (let pixel = 0; pixel < 128 * 128; pixel += 1) {
    for (let channel = 0; channel < 4; channel += 1) {
      if (Math.abs(fresh.rgba[pixel * 4 + channel] - icon.rgba[pixel * 4 + channel]) > 8) {
        differing += 1;
        break;
      }
    }
  }
  assert.ok(
    differing <= 128 * 128 * 0.01,
    `icon.png differs from images/icon.svg in ${differing} pixels: npm run icon`,
  );
});

test("the .vsix holds only what the extension needs (vsce ls)", () => {
  const vsce = require.resolve("@vscode/vsce/vsce", { paths: [extensionRoot] });
  const result = childProcess.spawnSync(process.execPath, [vsce, "ls", "--no-dependencies"], {
    cwd: extensionRoot,
    encoding: "utf8",
  });
  assert.strictEqual(result.status, 0, result.stderr);
  const files = result.stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .sort();
  assert.deepStrictEqual(files, [
    "LICENSE",
    "README.md",
    "icon.png",
    "language-configuration.json",
    "media/preview.css",
    "media/preview.js",
    "out/extension.js",
    "package.json",
    "syntaxes/ea.tmLanguage.json",
  ]);
  assert.strictEqual(manifest.main, "./out/extension.js");
});
