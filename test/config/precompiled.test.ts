import fc from "fast-check";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import * as srcOverrides from "../../src/config/override-validators.js";
import { ENVIRONMENT_OVERRIDE_FIELDS } from "../../src/schema/documents.js";
import { createAjv, DOCUMENT_VALIDATOR_OPTIONS, schemaDigest, type ValidateFunction } from "../../src/schema/ajv.js";
import { documentValidator as srcValidator, identifyDocument } from "../../src/config/document-schema.js";
import { loadConfig } from "../../src/config/load.js";
import { parseYaml } from "../../src/config/yaml-parse.js";
import { DOCUMENT_KINDS, type DocumentKind } from "../../src/schema/document-kinds.js";
import { schemaFileName } from "../../src/schema/files.js";
import { ROOT, runCli, runProcess } from "../helpers/cli.js";
import { sampleWith, type Edits } from "./sample.js";

// The CLI runs from dist/ with the validators precompiled at build time (the global
// setup builds dist/); the tests and a build without them compile at run time.
// Both must report the same errors, down to the sub-schemas the messages read.
type DistDocumentSchema = typeof import("../../src/config/document-schema.js");
const dist = (p: string) => import(pathToFileURL(join(ROOT, "dist", p)).href);
const generated = (await dist("config/validators.generated.js")) as Record<string, unknown> & { schemaDigests: Record<string, string> };
const distSchema = (await dist("config/document-schema.js")) as DistDocumentSchema;

/** Broken copies of sample files: [file, edit, an ajv keyword the edit must cause]. */
const CASES: [string, string, (text: string) => string, string][] = [
  ["unknown field", "accounts/acme.yaml", (t) => t.replace("account: acme", "account: acme\ncolour: red"), "additionalProperties"],
  ["unknown nested field", "models/openai.yaml", (t) => t.replace("display_name: GPT-4.1", "display_nam: GPT-4.1"), "additionalProperties"],
  ["wrong type", "credits.yaml", (t) => t.replace("tokens_per_credit: 150", "tokens_per_credit: [150]"), "type"],
  ["wrong type (api_key)", "integrations.yaml", (t) => t.replace("{ from_env: OPENAI_API_KEY }", "sk-not-a-reference"), "type"],
  ["missing required", "accounts/globex.yaml", (t) => t.replace("account: globex\n", ""), "required"],
  ["bad format (decimal)", "models/openai.yaml", (t) => t.replace("input_token_rate: 2.00", 'input_token_rate: "2.0x"'), "anyOf"],
  ["bad format (date)", "models/openai.yaml", (t) => t.replace("release_date: 2025-04-14", "release_date: 2025-13-14"), "pattern"],
  ["bad format (image size)", "integrations.yaml", (t) => t.replace("size: 1024x1024", "size: big"), "pattern"],
  ["bad format (env name)", "integrations.yaml", (t) => t.replace("from_env: BRIA_API_KEY", "from_env: bria-key"), "pattern"],
  ["bad enum", "models/openai.yaml", (t) => t.replace(/model_type: text/g, "model_type: chat"), "enum"],
  ["integration type that is no slug", "accounts/acme.yaml", (t) => t.replace("dalle: { size", "Dalle: { size"), "propertyNames"],
  ["out of range", "integrations.yaml", (t) => t.replace("temperature: 0.7", "temperature: 7"), "anyOf"],
  ["not a mapping", "policies.yaml", (t) => t.replace("min_margin_pct: 40", "min_margin_pct: { value: 40 }"), "type"],
];

function documentsOf(file: string, text: string): { kind: DocumentKind; value: unknown }[] {
  return parseYaml(file, text).docs.flatMap((d) => {
    const id = identifyDocument(d);
    return "kind" in id ? [{ kind: id.kind, value: d.value }] : [];
  });
}

const runtimeAjv = createAjv(DOCUMENT_VALIDATOR_OPTIONS);
const runtime = new Map(
  DOCUMENT_KINDS.map((kind) => [kind, runtimeAjv.compile(JSON.parse(readFileSync(join(ROOT, "schemas", schemaFileName(kind)), "utf8")))]),
);

describe("precompiled document validators", () => {
  it("are built from the committed schemas, and the built CLI uses them", () => {
    for (const kind of DOCUMENT_KINDS) {
      expect(generated.schemaDigests[kind]).toBe(schemaDigest(readFileSync(join(ROOT, "schemas", schemaFileName(kind)), "utf8")));
      expect(distSchema.documentValidator(kind).precompiled, kind).toBe(true);
      // From src there is no generated module: the fallback compiles at run time.
      expect(srcValidator(kind).precompiled, kind).toBe(false);
    }
  });

  it.each(CASES)("give the same errors as the run-time compile: %s", (_name, file, edit, keyword) => {
    const docs = documentsOf(file, edit(readFileSync(join(ROOT, "config", file), "utf8")));
    expect(docs.length).toBeGreaterThan(0);
    const keywords: string[] = [];
    for (const { kind, value } of docs) {
      const pre = generated[kind] as ValidateFunction;
      const run = runtime.get(kind)!;
      expect(pre(value)).toBe(run(value));
      // Everything describeError reads: instancePath, keyword, params, schema, parentSchema, data.
      expect(pre.errors).toEqual(run.errors);
      keywords.push(...(run.errors ?? []).map((e) => e.keyword));
    }
    expect(keywords).toContain(keyword);
  });

  it("the CLI prints what the run-time compile reports, at the same file:line:col", async () => {
    const edits: Edits = {};
    for (const [, file, edit] of CASES) {
      const previous = edits[file];
      edits[file] = typeof previous === "function" ? (t) => edit(previous(t)) : edit;
    }
    const s = sampleWith(edits);
    try {
      const today = new Date();
      const expected = (await loadConfig("config", { cwd: s.cwd, today })).diagnostics;
      expect(expected.filter((d) => d.code.startsWith("schema.")).length).toBeGreaterThanOrEqual(CASES.length);
      const out = await runCli(["validate", "--json"], { cwd: s.cwd });
      const printed = JSON.parse(out.stdout) as { diagnostics: unknown[] };
      expect(printed.diagnostics).toEqual(expected.map((d) => ({ ...d })));
      const text = await runCli(["validate"], { cwd: s.cwd });
      for (const d of expected) expect(text.stdout).toContain(`${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`);
    } finally {
      s.cleanup();
    }
  });
});

const distAjv = (await dist("schema/ajv.js")) as typeof import("../../src/schema/ajv.js");

describe("precompiled meta-schema (settings schemas)", () => {
  const compileError = (make: () => ReturnType<typeof createAjv>, schema: unknown): string | undefined => {
    try {
      make().compile(schema as object);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };
  const SCHEMAS: unknown[] = [
    { type: "strin" },
    { type: "object", properties: { a: { minimum: "x" }, b: { type: ["string", 3] } } },
    { type: "string", format: 3 },
    { $id: 5 },
    { type: "object", required: "a" },
    { type: "string", maxLength: -1 },
    { type: "string", unknownKeyword: true },
    { $schema: "http://json-schema.org/draft-07/schema#", type: "string" },
    { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
    true,
  ];

  it("is built, and used by createAjv() with the default options only", () => {
    expect(existsSync(join(ROOT, "dist", "schema", "meta-schema.generated.cjs"))).toBe(true);
    expect(Object.hasOwn(distAjv.createAjv(), "validateSchema")).toBe(true);
    expect(Object.hasOwn(distAjv.createAjv({ strict: false }), "validateSchema")).toBe(false);
  });

  it.each(SCHEMAS.map((s) => [JSON.stringify(s), s]))("gives the run-time meta-schema's verdict and message: %s", (_name, schema) => {
    // The same options spelled out: ajv compiles the meta-schema itself.
    const expected = compileError(() => createAjv({ strict: true, allErrors: true }), schema);
    expect(compileError(() => distAjv.createAjv(), schema)).toBe(expected);
  });
});

type OverrideValidators = typeof import("../../src/config/override-validators.js");
const distOverrides = (await dist("config/override-validators.js")) as OverrideValidators;

describe("precompiled override validators (environments)", () => {
  const declared = Object.entries(ENVIRONMENT_OVERRIDE_FIELDS).flatMap(([kind, fields]) => Object.entries(fields).map(([field, schema]) => ({ kind, field, schema })));
  /** Values every field's rule says something of: each type, money as text and number, dates, sizes, references, lists. */
  const VALUES: unknown[] = [
    0, -1, 1.5, 2.5, 2147483648, 1e21, "0.040", "12345678901.5", "2.0x", "", "abc", "a\u0000b", "line\nbreak", "1024x1024", "big",
    "2024-02-29", "2025-02-29", "standard", "ultra", true, null, [], {}, ["1024x1024"], ["big"], [{ above_input_tokens: 1, input_token_rate: "1" }],
    [{ above_input_tokens: 0 }], [{ size: "1024x1024", quality: "hd", cost_per_image: 0.04 }], { from_env: "OPENAI_API_KEY" }, { from_env: "lower" },
    { from_env: "X", extra: 1 }, { type: "object" }, { a: [1, { b: "c" }] },
  ];

  it("are built from ENVIRONMENT_OVERRIDE_FIELDS, and the built CLI uses them", () => {
    expect(distOverrides.overrideValidatorsPrecompiled).toBe(true);
    // From src there is no generated module: the fallback compiles at run time.
    expect(srcOverrides.overrideValidatorsPrecompiled).toBe(false);
    for (const kind of Object.keys(ENVIRONMENT_OVERRIDE_FIELDS)) {
      expect(distOverrides.overridableFields(kind), kind).toEqual(Object.keys(ENVIRONMENT_OVERRIDE_FIELDS[kind]!));
      expect(srcOverrides.overridableFields(kind), kind).toEqual(Object.keys(ENVIRONMENT_OVERRIDE_FIELDS[kind]!));
    }
    expect(distOverrides.overrideValidator("model", "model_id")).toBeUndefined();
    expect(distOverrides.overrideValidator("model", "__proto__")).toBeUndefined();
    expect(distOverrides.overrideValidator("no-such-kind", "notes")).toBeUndefined();
  });

  it("give the run-time compile's verdict and errors, and zod's verdict, for every field", () => {
    fc.assert(
      fc.property(fc.constantFrom(...declared), fc.oneof(fc.constantFrom(...VALUES), fc.jsonValue()), ({ kind, field, schema }, value) => {
        const pre = distOverrides.overrideValidator(kind, field)!;
        const run = srcOverrides.overrideValidator(kind, field)!;
        expect(pre(value)).toBe(run(value));
        expect(pre.errors).toEqual(run.errors);
        // The JSON Schema says what the zod declaration it is generated from says.
        expect(run(value), `${kind}.${field} ${JSON.stringify(value)}`).toBe(schema.safeParse(value).success);
      }),
      { numRuns: 3000 },
    );
    for (const { kind, field } of declared) for (const value of VALUES) expect(distOverrides.overrideValidator(kind, field)!(value)).toBe(srcOverrides.overrideValidator(kind, field)!(value));
  });
});

describe("what the CLI loads", () => {
  it.each([["validate"], ["plan"]])("%s of the sample, environments included, loads no zod and no semver, and yaml and ajv bundled", async (command) => {
    const dir = mkdtempSync(join(tmpdir(), "cfgsync-loads-"));
    try {
      const log = join(dir, "loaded.txt");
      // Module hooks run on their own thread in Node 20: each URL loaded is appended to a file.
      writeFileSync(join(dir, "hooks.mjs"), `import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) {\n  appendFileSync(${JSON.stringify(log)}, url + "\\n");\n  return next(url, context);\n}\n`);
      writeFileSync(join(dir, "register.mjs"), `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});\n`);
      // A require() inside a CommonJS package passes no module hook in Node 20: Module._load sees it.
      writeFileSync(
        join(dir, "require.cjs"),
        `const Module = require("node:module");\nconst { appendFileSync } = require("node:fs");\nconst load = Module._load;\nModule._load = function (request, parent, isMain) {\n  const loaded = load.apply(this, arguments);\n  if (parent) appendFileSync(${JSON.stringify(log)}, "require " + Module._resolveFilename(request, parent, isMain) + "\\n");\n  return loaded;\n};\n`,
      );
      const args = command === "plan" ? ["plan", "--database-url", `file:${join(dir, "empty.db")}`] : [command];
      const out = await runProcess(process.execPath, ["--require", join(dir, "require.cjs"), "--import", pathToFileURL(join(dir, "register.mjs")).href, join(ROOT, "bin", "run.js"), ...args], {
        label: `${command} with module hooks`,
        env: { PATH: process.env.PATH, NO_COLOR: "1" },
      });
      expect(out.code, out.stderr).toBe(0);
      const loaded = readFileSync(log, "utf8").split("\n").filter(Boolean);
      // The hooks see it: the precompiled validators and the override validators are loaded.
      expect(loaded.some((u) => u.endsWith("/dist/config/validators.generated.js"))).toBe(true);
      expect(loaded.some((u) => u.endsWith("/dist/config/override-validators.generated.js"))).toBe(true);
      expect(loaded.filter((u) => u.includes("/node_modules/zod/"))).toEqual([]);
      // oclif's check of Node against its own engines loads all of semver; bin/run.js turns it off.
      expect(loaded.some((u) => u.includes("/node_modules/@oclif/core/lib/command.js"))).toBe(true);
      expect(loaded.filter((u) => u.includes("/node_modules/semver/"))).toEqual([]);
      // yaml and ajv come from their bundles (scripts/bundle-vendor.mjs); the validators need only ajv's runtime helpers.
      for (const bundle of ["yaml", "ajv"]) expect(loaded.some((u) => u.endsWith(`/dist/vendor/${bundle}.js`)), bundle).toBe(true);
      expect(loaded.filter((u) => /\/node_modules\/(yaml|ajv-formats)\//.test(u) && !u.includes("/ajv-formats/dist/formats.js"))).toEqual([]);
      expect(loaded.filter((u) => u.includes("/node_modules/ajv/") && !u.includes("/node_modules/ajv/dist/runtime/"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
