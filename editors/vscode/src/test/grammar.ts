// Tokenises `.ea` text with the extension's TextMate grammar (through vscode-textmate and
// vscode-oniguruma, the engine VS Code uses) and checks the scopes of each construct; then
// tokenises every model in the repository's `architecture/` folder and checks that no token is
// marked invalid. Run with `npm test`.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

const extensionRoot = path.join(__dirname, "..", "..");
const repositoryRoot = path.join(extensionRoot, "..", "..");

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

async function main(): Promise<void> {
  const grammar = await loadGrammar();
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

  // The repository's models: no token is invalid (they all parse).
  let files = 0;
  const visit = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const entryPath = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        visit(entryPath);
      } else if (entry.name.endsWith(".ea")) {
        files += 1;
        const invalid = tokens(grammar, fs.readFileSync(entryPath, "utf8")).filter(([, scope]) =>
          scope.startsWith("invalid."),
        );
        assert.deepStrictEqual(invalid, [], `no invalid token in ${entryPath}`);
      }
    }
  };
  visit(path.join(repositoryRoot, "architecture"));
  assert.ok(files > 0, "models were tokenised");
  console.log(`grammar: ${expected.length} scopes checked, ${files} models tokenised`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
