import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import fc from "fast-check";
import { join } from "node:path";
import { loadDocuments } from "../../src/config/load.js";
import { normalise } from "../../src/config/normalise.js";
import { RULES, ruleRunner, type Rule } from "../../src/config/rules/index.js";
import { diagnostic, diagnosticId, type Diagnostic } from "../../src/domain/diagnostic.js";
import { describe_, errorsOf, lineOf, loadSampleWith, sampleWith, TODAY, type Edits } from "./sample.js";

interface Case {
  rule: string;
  edits: Edits;
  code: string;
  message: RegExp;
  file: string;
  /** The line the diagnostic must point at: the first line holding `needle` (after `after`). */
  needle: string;
  after?: string;
  severity?: "error" | "warning";
}

const replace = (from: string, to: string) => (t: string) => {
  if (!t.includes(from)) throw new Error(`fixture edit: ${from} not found`);
  return t.replace(from, to);
};

const CASES: Case[] = [
  {
    rule: "model ids are unique across files",
    edits: { "models/anthropic.yaml": replace("model_id: claude-3-haiku-20240307", "model_id: gpt-5.1") },
    code: "catalog.duplicate-model",
    message: /model gpt-5\.1 is declared twice \(first at config\/models\/anthropic\.yaml:\d+\)/,
    file: "config/models/openai.yaml",
    needle: "model_id: gpt-5.1",
  },
  {
    rule: "model ids are unique within a file",
    edits: { "models/bria.yaml": replace("model_id: bria-2.2", "model_id: bria-2.3") },
    code: "catalog.duplicate-model",
    message: /model bria-2\.3 is declared twice/,
    file: "config/models/bria.yaml",
    needle: "model_id: bria-2.3",
    after: "bria-2.3-fast",
  },
  {
    rule: "there is an active default per model type",
    edits: { "models/openai.yaml": replace("    is_default: true\n    sort_order: 10\n", "    sort_order: 10\n") },
    code: "catalog.no-default",
    message: /no active default text model; set `is_default: true` on one of /,
    file: "config/models/anthropic.yaml",
    needle: "- model_id: claude-3-5-sonnet-20241022",
  },
  {
    rule: "there is only one active default per model type",
    edits: { "models/openai.yaml": replace("    sort_order: 30\n", "    sort_order: 30\n    is_default: true\n") },
    code: "catalog.many-defaults",
    message: /more than one active default text model \(gpt-4\.1, gpt-4o\); keep one/,
    file: "config/models/openai.yaml",
    needle: "is_default: true",
    after: "model_id: gpt-4o\n",
  },
  {
    rule: "a model's provider matches its file",
    edits: { "models/openai.yaml": replace("    sort_order: 50\n", "    sort_order: 50\n    provider: anthropic\n") },
    code: "catalog.provider-mismatch",
    message: /model gpt-5\.2 says provider anthropic but is in the openai catalog; move it to models\/anthropic\.yaml/,
    file: "config/models/openai.yaml",
    needle: "provider: anthropic",
  },
  {
    rule: "a catalog's file is named after its provider",
    edits: { "models/bria.yaml": replace("provider: bria", "provider: google") },
    code: "catalog.file-name",
    message: /the google catalog must live in models\/google\.yaml .*not config\/models\/bria\.yaml/,
    file: "config/models/bria.yaml",
    needle: "provider: google",
  },
  {
    rule: "image models have a cost per image",
    edits: { "models/openai.yaml": replace("    cost_per_image: 0.020\n", "") },
    code: "catalog.missing-price",
    message: /image model dall-e-2 needs `cost_per_image`/,
    file: "config/models/openai.yaml",
    needle: "- model_id: dall-e-2",
  },
  {
    rule: "a price above its unit's ceiling (a unit slip) fails at the field",
    edits: {
      "policies.yaml": (t) => t + "price_ceilings:\n  per_1m_tokens: { max: 1000 }\n",
      "models/openai.yaml": replace("    output_token_rate: 10.00\n    max_input_tokens: 128000", "    output_token_rate: 10000000\n    max_input_tokens: 128000"),
    },
    code: "policy.price-ceiling",
    message: /model gpt-4o: output_token_rate = 10000000 is above the per_1m_tokens ceiling of 1000/,
    file: "config/models/openai.yaml",
    needle: "output_token_rate: 10000000",
  },
  {
    rule: "a provider's folder holds only that provider's catalogs",
    edits: { "models/bria.yaml": replace("provider: bria", "provider: runware") },
    code: "catalog.file-name",
    message: /the runware catalog must live in models\/runware\.yaml or models\/runware\/\*\.yaml/,
    file: "config/models/bria.yaml",
    needle: "provider: runware",
  },
  {
    rule: "video models have a price per second",
    edits: {
      "models/openai.yaml": (t) => t + "  - model_id: sora-2\n    display_name: Sora 2\n    model_type: video\n    is_default: true\n",
    },
    code: "catalog.missing-price",
    message: /video model sora-2 needs `cost_per_second` or `cost_per_image`/,
    file: "config/models/openai.yaml",
    needle: "- model_id: sora-2",
  },
  {
    rule: "text models have token rates",
    edits: { "models/openai.yaml": replace("    output_token_rate: 14.00\n", "") },
    code: "catalog.missing-price",
    message: /text model gpt-5\.2 needs `output_token_rate`/,
    file: "config/models/openai.yaml",
    needle: "- model_id: gpt-5.2",
  },
  {
    rule: "text models have max tokens",
    edits: { "models/anthropic.yaml": replace("    max_output_tokens: 8192\n", "") },
    code: "catalog.missing-price",
    message: /text model claude-3-5-sonnet-20241022 needs `max_output_tokens`/,
    file: "config/models/anthropic.yaml",
    needle: "- model_id: claude-3-5-sonnet-20241022",
  },
  {
    rule: "embedding models have an input rate",
    edits: {
      "models/openai.yaml": (t) =>
        t + "  - model_id: text-embedding-3-small\n    display_name: Embedding small\n    model_type: embedding\n    is_default: true\n",
    },
    code: "catalog.missing-price",
    message: /embedding model text-embedding-3-small needs `input_token_rate`/,
    file: "config/models/openai.yaml",
    needle: "- model_id: text-embedding-3-small",
  },
  {
    rule: "deprecation_date is after release_date",
    edits: { "models/openai.yaml": replace("    release_date: 2024-05-13\n", "    release_date: 2024-05-13\n    deprecation_date: 2024-01-01\n") },
    code: "catalog.dates",
    message: /model gpt-4o: deprecation_date 2024-01-01 must be after release_date 2024-05-13/,
    file: "config/models/openai.yaml",
    needle: "deprecation_date: 2024-01-01",
  },
  {
    rule: "a model past its deprecation date is not a default",
    edits: { "models/openai.yaml": replace("    release_date: 2025-04-14\n", "    release_date: 2025-04-14\n    deprecation_date: 2026-06-01\n") },
    code: "catalog.deprecated-default",
    message: /model gpt-4\.1 was deprecated on 2026-06-01 and cannot be a default/,
    file: "config/models/openai.yaml",
    needle: "is_default: true",
  },
  {
    rule: "an active model past its deprecation date is a warning",
    edits: { "models/anthropic.yaml": replace("    is_active: false\n", "") },
    code: "catalog.deprecated-active",
    message: /model claude-3-opus-20240229 is past its deprecation date 2026-05-01 but still active/,
    file: "config/models/anthropic.yaml",
    needle: "deprecation_date: 2026-05-01",
    severity: "warning",
  },
  {
    rule: "a global default model is in the catalog",
    edits: { "integrations.yaml": replace("model: claude-3-5-sonnet-20241022", "model: claude-3-5-sonnet") },
    code: "integration.unknown-model",
    message: /the global anthropic settings uses model claude-3-5-sonnet, which is not in the catalog/,
    file: "config/integrations.yaml",
    needle: "model: claude-3-5-sonnet",
  },
  {
    rule: "a global default model is active",
    edits: { "integrations.yaml": replace("model: dall-e-3", "model: gpt-image-1") },
    code: "integration.inactive-model",
    message: /the global dalle settings uses model gpt-image-1, which is inactive/,
    file: "config/integrations.yaml",
    needle: "model: gpt-image-1",
  },
  {
    rule: "a global default model has the integration's type",
    edits: { "integrations.yaml": replace("model: dall-e-3", "model: gpt-4o") },
    code: "integration.model-type",
    message: /the global dalle settings needs an image model, but gpt-4o is a text model/,
    file: "config/integrations.yaml",
    needle: "model: gpt-4o\n",
  },
  {
    rule: "a global default model has the integration's provider (dalle -> openai)",
    edits: { "integrations.yaml": replace("model: dall-e-3", 'model: "runware:100@1"') },
    code: "integration.model-provider",
    message: /the global dalle settings needs an openai model, but runware:100@1 is from runware/,
    file: "config/integrations.yaml",
    needle: 'model: "runware:100@1"',
  },
  {
    rule: "default_text_provider is configured",
    edits: {
      "integrations.yaml": (t) =>
        t.replace(/  anthropic:\n(    .*\n)+/, "").replace("default_text_provider: openai", "default_text_provider: anthropic"),
      "accounts/globex.yaml": replace("  anthropic: { model: claude-3-haiku-20240307, max_tokens: 4096 }\n", ""),
    },
    code: "integration.default-provider",
    message: /default_text_provider is anthropic, but providers\.anthropic is not configured/,
    file: "config/integrations.yaml",
    needle: "default_text_provider",
  },
  {
    rule: "default_image_service is configured",
    edits: { "integrations.yaml": (t) => t.replace(/  bria:\n(    .*\n)+/, "").replace("default_image_service: openai", "default_image_service: bria") },
    code: "integration.default-provider",
    message: /default_image_service is bria, but providers\.bria is not configured/,
    file: "config/integrations.yaml",
    needle: "default_image_service",
  },
  {
    rule: "global max_tokens fits the model's output limit",
    edits: { "integrations.yaml": (t) => t.replace(/(model: claude-3-5-sonnet-20241022\n    temperature: 0.7\n    max_tokens:) 8192/, "$1 9000") },
    code: "integration.max-tokens",
    message: /max_tokens 9000 in the global anthropic settings exceeds claude-3-5-sonnet-20241022's max_output_tokens 8192/,
    file: "config/integrations.yaml",
    needle: "max_tokens: 9000",
  },
  {
    rule: "an account override uses only allowed fields",
    edits: { "accounts/acme.yaml": replace("dalle: { size: 1792x1024 }", "dalle: { size: 1792x1024, max_tokens: 100 }") },
    code: "account.override-field",
    message: /`max_tokens` cannot be overridden for dalle \(allowed: model, size, quality, style\)/,
    file: "config/accounts/acme.yaml",
    needle: "dalle:",
  },
  {
    rule: "an account override's model is in the catalog",
    edits: { "accounts/acme.yaml": replace("model: gpt-4o,", "model: gpt-4.5-preview,") },
    code: "integration.unknown-model",
    message: /account acme's openai override uses model gpt-4\.5-preview, which is not in the catalog/,
    file: "config/accounts/acme.yaml",
    needle: "openai:",
  },
  {
    rule: "an account override's model has the right provider",
    edits: { "accounts/globex.yaml": replace("claude-3-haiku-20240307", "gpt-4o-mini") },
    code: "integration.model-provider",
    message: /account globex's anthropic override needs an anthropic model, but gpt-4o-mini is from openai/,
    file: "config/accounts/globex.yaml",
    needle: "anthropic:",
  },
  {
    rule: "an account override's temperature is between 0 and 2",
    edits: { "accounts/acme.yaml": replace("temperature: 0.4", 'temperature: "2.5"') },
    code: "schema.format",
    message: /`temperature` in the openai override of account acme must be a number from 0 to 2/,
    file: "config/accounts/acme.yaml",
    needle: "openai:",
  },
  {
    rule: "an account override's max_tokens fits the model",
    edits: { "accounts/globex.yaml": replace("max_tokens: 4096", "max_tokens: 8000") },
    code: "integration.max-tokens",
    message: /max_tokens 8000 in account globex's anthropic override exceeds claude-3-haiku-20240307's max_output_tokens 4096/,
    file: "config/accounts/globex.yaml",
    needle: "anthropic:",
  },
  {
    rule: "an account override's size is one of the model's",
    edits: { "accounts/acme.yaml": replace("size: 1792x1024", "size: 2048x2048") },
    code: "integration.size",
    message: /size 2048x2048 in account acme's dalle override is not one of dall-e-3's sizes/,
    file: "config/accounts/acme.yaml",
    needle: "dalle:",
  },
  {
    rule: "API keys never appear in account overrides",
    edits: { "accounts/acme.yaml": replace("dalle: { size: 1792x1024 }", "dalle: { size: 1792x1024, api_key: { from_env: ACME_KEY } }") },
    code: "secrets.api-key-in-account",
    message: /API keys live only in IntegrationSettings/,
    file: "config/accounts/acme.yaml",
    needle: "dalle:",
  },
  {
    rule: "there is an IntegrationSettings document",
    edits: { "integrations.yaml": null },
    code: "documents.missing",
    message: /no IntegrationSettings document found/,
    file: "",
    needle: "",
  },
  {
    rule: "there is at most one CreditCosts document",
    edits: { "z-credits.yaml": "apiVersion: cfgsync/v1\nkind: CreditCosts\noperations: []\n" },
    code: "documents.duplicate",
    message: /a second CreditCosts document; there may be only one \(the first is at config\/credits\.yaml:\d+\)/,
    file: "config/z-credits.yaml",
    needle: "apiVersion",
  },
  {
    rule: "operation types are unique",
    edits: { "credits.yaml": replace("operation_type: optimization", "operation_type: linking") },
    code: "credits.duplicate",
    message: /operation linking is declared twice/,
    file: "config/credits.yaml",
    needle: "operation_type: linking",
    after: "Internal linking",
  },
  {
    rule: "token operations need tokens_per_credit",
    edits: { "credits.yaml": replace("    tokens_per_credit: 300\n", "") },
    code: "credits.tokens-per-credit",
    message: /operation linking is billed per tokens and needs `tokens_per_credit`/,
    file: "config/credits.yaml",
    needle: "- operation_type: linking",
  },
  {
    rule: "image operations need credits",
    edits: { "credits.yaml": replace("    credits: 5\n", "") },
    code: "credits.credits",
    message: /operation image_generation is billed per image and needs `credits`/,
    file: "config/credits.yaml",
    needle: "- operation_type: image_generation",
  },
  {
    rule: "settings schemas compile as JSON Schema",
    edits: { "settings-schemas.yaml": replace("records_per_page: { type: integer, minimum: 5", "records_per_page: { type: integer, minimun: 5") },
    code: "settings-schema.invalid",
    message: /settings schema table_settings is not a valid JSON Schema: .*minimun/,
    file: "config/settings-schemas.yaml",
    needle: "table_settings:",
  },
  {
    rule: "an account file is named after its slug",
    edits: { "accounts/acme.yaml": replace("account: acme", "account: acme-corp") },
    code: "account.file-name",
    message: /account acme-corp must live in accounts\/acme-corp\.yaml/,
    file: "config/accounts/acme.yaml",
    needle: "account: acme-corp",
  },
  {
    rule: "an account is declared once",
    edits: { "accounts/more/acme.yaml": (t) => t + "apiVersion: cfgsync/v1\nkind: Account\naccount: acme\n" },
    code: "account.duplicate",
    message: /account acme is already declared at config\/accounts\/acme\.yaml:\d+/,
    file: "config/accounts/more/acme.yaml",
    needle: "account: acme",
  },
  {
    rule: "operations keep the minimum margin on every active model",
    edits: { "policies.yaml": (t) => t.slice(0, t.indexOf("min_margin_pct_by_operation")) },
    code: "policy.margin",
    message: /linking on gpt-5\.2: margin 16\.00 % is below min_margin_pct of 40 % \(charge \$16\.67 vs cost \$14\.00 per 1M tokens\)/,
    file: "config/credits.yaml",
    needle: "price_per_credit_usd: 0.0050",
  },
  {
    rule: "protected addresses exist",
    edits: { "policies.yaml": replace("protected: [credit/image_generation]", "protected: [credit/image_generaton]") },
    code: "policy.protected-unknown",
    message: /protected address credit\/image_generaton is not declared in the configuration; did you mean `credit\/image_generation`\?/,
    file: "config/policies.yaml",
    needle: "protected:",
  },
  {
    rule: "removed fields are errors that say what to do",
    edits: { "integrations.yaml": (t) => t + "mobile_image_size: 512x512\n" },
    code: "schema.removed-field",
    message: /mobile_image_size was removed from the platform; delete it/,
    file: "config/integrations.yaml",
    needle: "mobile_image_size",
  },
  {
    rule: "deprecated fields are warnings",
    edits: { "credits.yaml": replace("    display_name: Internal linking\n", "    display_name: Internal linking\n    reference_id: abc\n") },
    code: "schema.deprecated-field",
    message: /reference_id is deprecated/,
    file: "config/credits.yaml",
    needle: "reference_id",
    severity: "warning",
  },
  {
    rule: "unknown fields are errors with a suggestion",
    edits: { "models/openai.yaml": replace("    input_token_rate: 2.00\n", "    input_token_rat: 2.00\n") },
    code: "schema.unknown-field",
    message: /^unknown field `input_token_rat` in model gpt-4\.1; did you mean `input_token_rate`\?$/,
    file: "config/models/openai.yaml",
    needle: "input_token_rat:",
  },
  {
    rule: "a field named like an object's own method is an unknown field, not a removed one",
    edits: { "models/openai.yaml": replace("    input_token_rate: 2.00\n", "    input_token_rate: 2.00\n    toString: 1\n") },
    code: "schema.unknown-field",
    message: /^unknown field `toString` in model gpt-4\.1$/,
    file: "config/models/openai.yaml",
    needle: "toString:",
  },
  {
    rule: "a plaintext provider key is an error that does not echo it",
    edits: { "integrations.yaml": replace("api_key: { from_env: BRIA_API_KEY }", "api_key: { from_env: BRIA_API_KEY } # sk-ant-api03-FAKEfakeFAKEfake0123456789") },
    code: "secrets.plaintext",
    message: /^a plaintext credential \(sk-ant-…\) is written in the configuration/,
    file: "config/integrations.yaml",
    needle: "sk-ant-",
  },
];

describe("semantic rules (each with a failing input)", () => {
  it.each(CASES)("$rule", async (c) => {
    const loaded = await loadSampleWith(c.edits);
    const match = loaded.diagnostics.find((d) => d.code === c.code && c.message.test(d.message));
    expect(match, `no ${c.code} matching ${c.message} in:\n${describe_(loaded.diagnostics)}`).toBeDefined();
    expect(match!.severity).toBe(c.severity ?? "error");
    if (c.file) {
      expect(match!.file).toBe(c.file);
      expect(match!.line).toBe(lineOf(loaded.text(c.file.replace(/^config\//, "")), c.needle, c.after));
    }
    expect(JSON.stringify(loaded.diagnostics)).not.toContain("FAKEfake");
  });

  it("the deprecation check uses the injected today", async () => {
    const s = sampleWith({
      "models/openai.yaml": replace("    release_date: 2025-04-14\n", "    release_date: 2025-04-14\n    deprecation_date: 2026-06-01\n"),
    });
    try {
      const before = await loadConfig("config", { cwd: s.cwd, today: new Date("2026-05-31T00:00:00Z") });
      expect(before.diagnostics.filter((d) => d.code === "catalog.deprecated-default")).toEqual([]);
      const after = await loadConfig("config", { cwd: s.cwd, today: TODAY });
      expect(after.diagnostics.filter((d) => d.code === "catalog.deprecated-default")).toHaveLength(1);
    } finally {
      s.cleanup();
    }
  });

  it("a deprecated field alone leaves the configuration valid", async () => {
    const loaded = await loadSampleWith({
      "credits.yaml": replace("    display_name: Internal linking\n", "    display_name: Internal linking\n    reference_id: abc\n"),
    });
    expect(errorsOf(loaded.diagnostics)).toEqual([]);
    expect(loaded.desired.resources.find((r) => r.address === "credit/linking")).toBeDefined();
  });

  it("a document that fails its schema does not trigger cross-file false alarms", async () => {
    const loaded = await loadSampleWith({ "models/openai.yaml": replace("    input_token_rate: 2.00\n", "    input_token_rat: 2.00\n") });
    expect(errorsOf(loaded.diagnostics).map((d) => d.code)).toEqual(["schema.unknown-field"]);
  });

  it("a price ceiling lets a listed model through, and a provider may split its catalog into a folder", async () => {
    const loaded = await loadSampleWith({
      "policies.yaml": (t) => t + "price_ceilings:\n  per_1m_tokens: { max: 50, except: [claude-3-opus-20240229] }\n  per_image: { max: 1 }\n",
      "models/google/gemini.yaml": () =>
        "apiVersion: cfgsync/v1\nkind: ModelCatalog\nprovider: google\nmodels:\n  - model_id: veo-3\n    display_name: Veo 3\n    model_type: video\n    cost_per_second: 0.4\n    is_default: true\n",
    });
    expect(errorsOf(loaded.diagnostics)).toEqual([]);
    expect(loaded.desired.resources.find((r) => r.address === "model/veo-3")?.fields.cost_per_second).toBe("0.4");
  });
});

describe("the rules over several states (the base, then each environment's)", () => {
  it("reuses the verdict of a rule that read only the documents, and runs again one that read the state", async () => {
    const loaded = await loadSampleWith({});
    const calls = { docs: 0, state: 0 };
    const docsRule: Rule = { name: "docs-only", needs: [], check: ({ docs }) => (calls.docs++, [diagnostic("warning", "schema.unknown-field", `${docs.length} documents`)]) };
    const stateRule: Rule = {
      name: "state",
      needs: [],
      check: ({ docs, desired }) => (calls.state++, [diagnostic("warning", "schema.unknown-field", `${docs.length} documents, ${desired.resources.length} resources`)]),
    };
    const run = ruleRunner([], TODAY.toISOString().slice(0, 10), new Set(), [docsRule, stateRule]);
    const fewer = { ...loaded.desired, resources: loaded.desired.resources.slice(1) };
    const first = run(loaded.desired).map((d) => d.message);
    const second = run(fewer).map((d) => d.message);
    expect(calls).toEqual({ docs: 1, state: 2 });
    expect(second).toEqual([first[0], `0 documents, ${loaded.desired.resources.length - 1} resources`]);
  });
});

describe("an alone rule over several states", () => {
  it("judges again only the resources a state replaces, and says what a run on that state alone says", async () => {
    const loaded = await loadSampleWith({});
    const today = TODAY.toISOString().slice(0, 10);
    const judged: string[] = [];
    const perResource: Rule = {
      name: "per-resource",
      needs: [],
      alone: true,
      check: ({ desired }) =>
        desired.resources.flatMap((r) => (judged.push(r.address), r.fields.is_active === false ? [diagnostic("warning", "schema.unknown-field", `${r.address} inactive`)] : [])),
    };
    const run = ruleRunner([], today, new Set(), [perResource]);
    run(loaded.desired);
    judged.length = 0;
    const [a, b] = loaded.desired.resources.filter((r) => r.kind === "model" && r.fields.is_active === true);
    const state = { ...loaded.desired, resources: loaded.desired.resources.map((r) => (r === a || r === b ? { ...r, fields: { ...r.fields, is_active: false } } : r)) };
    const again = run(state);
    // The two replaced and their two replacements; nothing else is read again.
    expect(judged.sort()).toEqual([a!.address, a!.address, b!.address, b!.address].sort());
    expect(again.map((d) => d.message).sort()).toEqual(ruleRunner([], today, new Set(), [perResource])(state).map((d) => d.message).sort());
  });

  it("every alone rule of the catalog: a state's verdict is the verdict of a fresh run on it", async () => {
    const sample = sampleWith({
      "policies.yaml": (t) => t + "price_ceilings:\n  per_1m_tokens: { max: 50, except: [claude-3-opus-20240229] }\n  per_image: { max: 1 }\n",
    });
    const loaded = await loadDocuments(join(sample.cwd, "config"), sample.cwd).finally(sample.cleanup);
    expect(errorsOf(loaded.diagnostics)).toEqual([]);
    const base = normalise(loaded.docs.filter((d) => d.kind !== "Environment"));
    const today = TODAY.toISOString().slice(0, 10);
    const models = base.resources.filter((r) => r.kind === "model");
    expect(RULES.filter((r) => r.alone).length).toBeGreaterThanOrEqual(4);
    // Values of each field's type that the rules judge differently: prices over a ceiling or not exact, dates out of order, types without their prices.
    const price = fc.constantFrom("0.5", "75", "1e-20", "12345678901.5");
    const valueOf = {
      output_token_rate: price,
      input_token_rate: price,
      cost_per_image: price,
      deprecation_date: fc.constantFrom("2000-01-01", "2099-01-01"),
      model_type: fc.constantFrom("image", "text"),
      is_active: fc.boolean(),
      extra: fc.constantFrom<unknown>(null, { deep: [1, 2] }, { nul: "\u0000" }),
    };
    const edit = fc.record({
      model: fc.nat({ max: models.length - 1 }),
      field: fc.constantFrom(...(Object.keys(valueOf) as (keyof typeof valueOf)[])),
    }).chain(({ model, field }) => valueOf[field].map((value: unknown) => ({ model, field, value })));
    const verdict = (ds: readonly Diagnostic[]) => ds.map(diagnosticId).sort();
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 4 }), (edits) => {
        const resources = [...base.resources];
        for (const e of edits) {
          const i = resources.findIndex((r) => r.address === models[e.model]!.address);
          const r = resources[i]!;
          resources[i] = { ...r, fields: { ...r.fields, [e.field]: e.value as never } };
        }
        const state = { ...base, resources };
        const run = ruleRunner(loaded.docs, today);
        run(base);
        expect(verdict(run(state))).toEqual(verdict(ruleRunner(loaded.docs, today)(state)));
      }),
      { numRuns: 60 },
    );
  });
});
