import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { parseYaml, type ParsedYaml } from "../../src/config/yaml-parse.js";
import { locate, type Path, type SourceNode } from "../../src/config/yaml-source.js";
import { SCENARIOS, writeRepo } from "../../bench/repos.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

/*
 * composeFast (src/config/yaml-compose.ts) against yaml's Composer: on every
 * input, the two ways give the same documents, values, source positions,
 * node counts and diagnostics. The fast path may give up on anything; it may
 * never give a different answer.
 */

const ROOT = join(import.meta.dirname, "..", "..");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Every path to a value in a plain value, with the paths of its keys. */
function paths(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

/** What the rest of the loader can observe of a parse: diagnostics, counts, values, and where every value and key is. */
function observed(parsed: ParsedYaml) {
  return {
    diagnostics: parsed.diagnostics,
    nodes: parsed.nodes,
    docs: parsed.docs.map((d) => ({
      index: d.index,
      value: d.value,
      tree: shape(d.root),
      positions: paths(d.value).map((p) => [p.join("."), locate(d, p), locate(d, p, "key")]),
    })),
  };
}

/** The tree without the offsets of empty values (the Composer places them where it likes; nothing reads them). */
function shape(node: SourceNode): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value === null && node.start === node.end ? ["empty"] : [node.start, node.end, node.value, node.source];
    case "map":
      return [node.start, node.pairs.map((p) => [shape(p.key), shape(p.value)])];
    case "seq":
      return [node.start, node.items.map(shape)];
    case "alias":
      return [node.start, "alias", shape(node.target)];
  }
}

function bothWays(text: string, file = "config/x.yaml"): { fast: boolean } {
  const fast = parseYaml(file, text);
  const composed = parseYaml(file, text, undefined, { composer: true });
  expect(composed.fast).toBeUndefined();
  expect(observed(fast)).toEqual(observed(composed));
  return { fast: fast.fast === true };
}

describe("composeFast gives yaml's Composer's answer", () => {
  test("on the sample, every test fixture and a generated repository", () => {
    const dir = mkdtempSync(join(tmpdir(), "cfgsync-compose-"));
    try {
      writeRepo(dir, { ...SCENARIOS.accounts2k, models: 300, accounts: 20 });
      const files = [...yamlFiles(join(ROOT, "config")), ...yamlFiles(join(ROOT, "test", "fixtures")), ...yamlFiles(join(dir, "config"))];
      expect(files.length).toBeGreaterThan(60);
      let fast = 0;
      for (const file of files) if (bothWays(readFileSync(file, "utf8"), file).fast) fast++;
      // The sample and the generated files are all written in the YAML the fast path knows.
      for (const file of [...yamlFiles(join(ROOT, "config")), ...yamlFiles(join(dir, "config"))]) {
        expect(parseYaml(file, readFileSync(file, "utf8")).fast, file).toBe(true);
      }
      expect(fast).toBeGreaterThan(files.length / 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("on hand-picked YAML at the edge of what it composes", () => {
    const cases = [
      "a: 1\nb: '2'\nc: \"3\"\nd: 0x10\ne: 0o17\nf: 1e3\ng: .inf\nh: -.NaN\ni: ~\nj:\nk: true\nl: FALSE\nm: 9007199254740993\n",
      "key: value # comment\nother: value#not-a-comment\n",
      "a: b: c\n",
      "a:\n  - 1\n  -\n  - 3\n",
      "- - a\n  - b\n- c\n",
      "a: [1, 2, ]\nb: {x: 1, y: [2, {z: 3}]}\nc: [a: b]\nd: {a, b}\ne: {a: }\nf: [,]\ng: []\nh: {}\n",
      "a: [1,\n  2]\nb: {x: 1,\n  y: 2}\n",
      "a: [1,\n2]\n",
      "a: { x: 1 }   # trailing\nb: { x: 1 }#no-space\n",
      "a: &x 1\nb: *x\n",
      "!!str a: b\n",
      "? a\n: b\n",
      "a:\n\tb: 1\n",
      "a: 'it''s'\nb: \"\\u00e9\\x41\\t\"\nc: \"\\q\"\n",
      "a: |\n  line\n  two\nb: >-\n  folded\n  text\n",
      "a: plain\n  continued\n",
      "\"multi\n line\": 1\n",
      "a: 1\na: 2\n",
      "1: a\n'1': b\n",
      "__proto__: 1\n",
      "<<: {a: 1}\n",
      "a: \"\\0\"\n",
      "a: \"\\uD800\"\n",
      "--- \na: 1\n---\nb: 2\n...\n",
      "--- a: 1\n",
      "%YAML 1.2\n---\na: 1\n",
      "\uFEFFa: 1\n",
      "# only a comment\n",
      "",
      "a: 1\n# trailing comment\n",
      "a:\n  b: 1\n  # inner trailing\nc: 2\n",
      "a:\n  - x: 1\n    y: 2\n  - x: 3\n",
      "a:\n - x\n - y\n",
      "a: `x`\nb: @x\nc: %x\n",
      "a: -x\nb: - x\n",
      "a:b\n",
      "a : 1\n",
      "'a': 1\n\"b\": 2\n",
      "a: 'x'y\n",
      "[a, b]\n",
      "{a: 1}\n",
      "plain\n",
      "a: [b, {c: d, e: [f, g]}, 'h', \"i\"]\n",
      "k" + "x".repeat(600) + ": 1\n",
      "a:\n" + "  b:\n".repeat(70) + "    c: 1\n",
      "a: 1\r\nb: 2\r\n",
      "a: [1, 2]]\n",
      "a: 1\n  b: 2\n",
      "a:\n  b: 1\n c: 2\n",
    ];
    let fast = 0;
    for (const text of cases) if (bothWays(text).fast) fast++;
    expect(fast).toBeGreaterThan(5);
  });

  // Documents of the kind configuration holds, written by yaml in varied styles, then damaged one
  // character at a time with characters YAML gives meaning to.
  const scalar = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("", "null", "~", "true", "no", "0x1F", "0o7", "1e5", ".inf", "-.5", "12.50", "2025-04-14", "a: b", "- x", "#c", "'q'", "\"d\"", "x\ny", "é", "\t"),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const key = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom("model_id", "a b", "x:y", "1", "true", "-k", "#k", "k#"));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("list"), tie("map")),
    list: fc.array(tie("node"), { maxLength: 4 }),
    map: fc.dictionary(key, tie("node"), { maxKeys: 5 }),
  })).node;
  const style = fc.record({
    indent: fc.constantFrom(2, 4),
    flowLevel: fc.constantFrom(undefined, 1, 2),
    defaultStringType: fc.constantFrom("PLAIN", "QUOTE_SINGLE", "QUOTE_DOUBLE", "BLOCK_LITERAL", "BLOCK_FOLDED") as fc.Arbitrary<"PLAIN">,
    indentSeq: fc.boolean(),
  });
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.integer({ min: 0, max: 2 }),
    insert: fc.constantFrom("", " ", "  ", "\t", "\n", "\r\n", ":", ": ", "-", "- ", "#", " #", "'", "\"", "[", "]", "{", "}", ",", ", ", "&a ", "*a", "!", "!!str ", "?", "? ", "|", ">", "%", "@", "`", "\\", "\\x", "a", "0", ".", "---\n", "...\n", "\u0000", "\uD800", "\u0085", "\uFEFF"),
  });

  test("on generated documents and damaged copies of them", () => {
    let fast = 0;
    let runs = 0;
    fc.assert(
      fc.property(value, style, fc.array(edit, { maxLength: 3 }), (v, opts, edits) => {
        let text = stringify(v, { ...opts, lineWidth: 0 });
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
        }
        runs++;
        if (bothWays(text).fast) fast++;
      }),
      { numRuns: 1500 },
    );
    // Not a vacuous comparison: the fast path composes a good share of them.
    expect(fast).toBeGreaterThan(runs / 5);
  });
});
