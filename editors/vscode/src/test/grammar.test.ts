// Tokenises `.ea` text with the extension's TextMate grammar (through vscode-textmate and
// vscode-oniguruma, the engine VS Code uses): the scopes of each construct of a sample, then the
// real models copied into src/test/fixtures/ (no token marked invalid). Inside the kientruc
// repository it also tokenises every model under architecture/ and checks that the fixtures are
// still the repository's copies; outside it (this folder alone) those two tests are skipped.
// Run with `npm test`.

import * as assert from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, test } from "node:test";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

// The bundle runs from out/test/; the extension's folder is two levels up.
const extensionRoot = path.join(__dirname, "..", "..");
const repositoryRoot = path.join(extensionRoot, "..", "..");
const fixturesFolder = path.join(extensionRoot, "src", "test", "fixtures");
/** Whether this folder sits in a kientruc checkout (editors/vscode), with its models. */
const inRepository = fs.existsSync(path.join(repositoryRoot, "architecture"));

/** The fixtures: real models, each a copy of the repository file it names. */
const FIXTURES: Record<string, string> = {
  "hanoi-architecture.ea": "architecture/hanoi/architecture.ea",
  "hanoi-waivers.ea": "architecture/hanoi/waivers.ea",
  "hanoi-views.ea": "architecture/hanoi/views.ea",
  "bo-tu-phap-security.ea": "architecture/bo-tu-phap/security.ea",
  "starter-architecture.ea": "architecture/frameworks/vn-egov-3.0/starter/architecture.ea",
  "dat-010-fail-route-cascade.ea": "architecture/frameworks/vn-egov-3.0/fixtures/DAT-010/fail-route-cascade.ea",
};

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName !== "source.ea") {
        return null;
      }
      const file = path.join(extensionRoot, "syntaxes", "ea.tmLanguage.json");
      return textmate.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });
  const grammar = await registry.loadGrammar("source.ea");
  assert.ok(grammar, "the grammar loads");
  return grammar;
}

/** Every token of `text` as [token text, innermost scope]. */
function tokens(grammar: textmate.IGrammar, text: string): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  let state = textmate.INITIAL;
  for (const line of text.split("\n")) {
    const tokenised = grammar.tokenizeLine(line, state);
    for (const token of tokenised.tokens) {
      const value = line.slice(token.startIndex, token.endIndex);
      if (value.trim() !== "") {
        result.push([value, token.scopes[token.scopes.length - 1]]);
      }
    }
    state = tokenised.ruleStack;
  }
  return result;
}

function scopeOf(all: Array<[string, string]>, value: string): string {
  const found = all.find(([text]) => text === value);
  assert.ok(found, `a token ${JSON.stringify(value)} in ${JSON.stringify(all)}`);
  return found[1];
}

const SAMPLE = [
  "// Mô hình thử nghiệm",
  'architecture tinh "Tỉnh \\"thử\\" nghiệm\\u{1EA1}\\q" {',
  '  framework "vn-egov-3.0"',
  "}",
  'import "framework:national.ea" as national',
  "/// Ủy ban nhân dân tỉnh.",
  'agency ubnd "Ủy ban nhân dân tỉnh" {',
  "  level province",
  "  budget -42",
  "  roles [it_unit, public-service]",
  "  parent national.bo_khcn",
  "  uses -> lgsp_tinh via national.ndxp, lgsp",
  "}",
  'waive SEC-001 on ubnd until 2027-06-30 "lý do"',
].join("\n");

const VIEW_SAMPLE = [
  'view y_te "Y tế" {',
  '  title_en "Health"',
  '  include kind(system) and not tag(test) -> id("lgsp_hn") or layer(data)',
  "  exclude status != operational",
  "  layout top-down",
  "  group by owner",
  "}",
].join("\n");

/** The tokens of `text` whose scope is `invalid.*` (the grammar could not place them). */
function invalidTokens(grammar: textmate.IGrammar, text: string): Array<[string, string]> {
  return tokens(grammar, text).filter(([, scope]) => scope.startsWith("invalid."));
}

/** Every `.ea` file under `folder`. */
function models(folder: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      found.push(...models(entryPath));
    } else if (entry.name.endsWith(".ea")) {
      found.push(entryPath);
    }
  }
  return found.sort();
}

let grammar: textmate.IGrammar;

before(async () => {
  grammar = await loadGrammar();
});

test("each construct of the language gets its scope", () => {
  const all = tokens(grammar, SAMPLE);
  const expected: Array<[string, string]> = [
    ["//", "punctuation.definition.comment.ea"],
    [" Mô hình thử nghiệm", "comment.line.double-slash.ea"],
    ["architecture", "keyword.other.architecture.ea"],
    ["tinh", "entity.name.namespace.ea"],
    ['\\"', "constant.character.escape.ea"],
    ["\\u{1EA1}", "constant.character.escape.ea"],
    ["\\q", "invalid.illegal.escape.ea"],
    ["framework", "variable.other.property.ea"],
    ["import", "keyword.control.import.ea"],
    ["framework:national.ea", "string.quoted.double.ea"],
    ["as", "keyword.other.as.ea"],
    ["national", "entity.name.namespace.ea"],
    ["///", "punctuation.definition.comment.ea"],
    [" Ủy ban nhân dân tỉnh.", "comment.line.documentation.ea"],
    ["agency", "storage.type.kind.ea"],
    ["ubnd", "entity.name.type.element.ea"],
    ["level", "variable.other.property.ea"],
    ["province", "variable.other.ea"],
    ["-42", "constant.numeric.integer.ea"],
    ["public-service", "variable.other.ea"],
    ["national.bo_khcn", "variable.other.ea"],
    ["uses", "entity.name.function.relation.ea"],
    ["->", "keyword.operator.arrow.ea"],
    ["via", "keyword.other.ea"],
    ["national.ndxp", "variable.other.ea"],
    ["{", "punctuation.section.block.begin.ea"],
    ["[", "punctuation.section.brackets.begin.ea"],
    ["waive", "keyword.other.ea"],
    ["SEC-001", "variable.other.ea"],
    ["on", "keyword.other.ea"],
    ["until", "keyword.other.ea"],
    ["2027-06-30", "constant.numeric.date.ea"],
  ];
  for (const [value, scope] of expected) {
    assert.strictEqual(scopeOf(all, value), scope, `the scope of ${JSON.stringify(value)}`);
  }
});

test("a view's keywords, selector functions and operators get their scopes", () => {
  const all = tokens(grammar, VIEW_SAMPLE);
  const expected: Array<[string, string]> = [
    ["view", "keyword.other.view.ea"],
    ["y_te", "entity.name.type.view.ea"],
    ["title_en", "variable.other.property.ea"],
    ["include", "keyword.other.include.ea"],
    ["kind", "support.function.selector.ea"],
    ["and", "keyword.operator.logical.ea"],
    ["not", "keyword.operator.logical.ea"],
    ["->", "keyword.operator.arrow.ea"],
    ["(", "punctuation.section.parens.begin.ea"],
    ["exclude", "keyword.other.exclude.ea"],
    ["!=", "keyword.operator.comparison.ea"],
    ["layout", "keyword.other.layout.ea"],
    ["top-down", "constant.language.layout.ea"],
    ["group", "keyword.other.group.ea"],
    ["by", "keyword.other.by.ea"],
    ["owner", "constant.language.group.ea"],
  ];
  for (const [value, scope] of expected) {
    assert.strictEqual(scopeOf(all, value), scope, `the scope of ${JSON.stringify(value)}`);
  }
  assert.deepStrictEqual(invalidTokens(grammar, VIEW_SAMPLE), []);
});

test("the fixture models have no invalid token, and their constructs are scoped", () => {
  const files = fs.readdirSync(fixturesFolder).filter((name) => name.endsWith(".ea"));
  assert.deepStrictEqual(files.sort(), Object.keys(FIXTURES).sort(), "the fixtures listed in FIXTURES");
  const scopes = new Set<string>();
  for (const name of files) {
    const text = fs.readFileSync(path.join(fixturesFolder, name), "utf8");
    assert.deepStrictEqual(invalidTokens(grammar, text), [], `no invalid token in ${name}`);
    for (const [, scope] of tokens(grammar, text)) {
      scopes.add(scope);
    }
  }
  // The real models use every construct the sample above checks in isolation.
  for (const scope of [
    "keyword.other.architecture.ea",
    "keyword.control.import.ea",
    "storage.type.kind.ea",
    "entity.name.type.element.ea",
    "variable.other.property.ea",
    "entity.name.function.relation.ea",
    "keyword.operator.arrow.ea",
    "comment.line.documentation.ea",
    "string.quoted.double.ea",
    "constant.numeric.date.ea",
    "keyword.other.view.ea",
    "support.function.selector.ea",
  ]) {
    assert.ok(scopes.has(scope), `a ${scope} token in the fixtures: ${[...scopes].sort().join(", ")}`);
  }
});

test("the fixtures are still the repository's copies", (context) => {
  if (!inRepository) {
    context.skip("not inside the kientruc repository (no ../../architecture)");
    return;
  }
  for (const [name, source] of Object.entries(FIXTURES)) {
    const fixture = fs.readFileSync(path.join(fixturesFolder, name), "utf8");
    const original = fs.readFileSync(path.join(repositoryRoot, source), "utf8");
    assert.ok(
      fixture === original,
      `src/test/fixtures/${name} differs from ${source}: copy it again (cp ../../${source} src/test/fixtures/${name})`,
    );
  }
});

test("every model of the repository has no invalid token", (context) => {
  if (!inRepository) {
    context.skip("not inside the kientruc repository (no ../../architecture)");
    return;
  }
  const files = models(path.join(repositoryRoot, "architecture"));
  assert.ok(files.length > 20, `the repository's models: ${files.length}`);
  for (const file of files) {
    const invalid = invalidTokens(grammar, fs.readFileSync(file, "utf8"));
    assert.deepStrictEqual(invalid, [], `no invalid token in ${path.relative(repositoryRoot, file)}`);
  }
});
