import { describe, expect, test } from "vitest";
import { describe_, errorsOf, lineOf, loadSampleWith, type Edits } from "../config/sample.js";

/*
 * The catalog's fields (issue #10: price dimensions, context tiers, image
 * prices, provider slugs, declared integration types, price ceilings) meet
 * the gate's field rules (issue #8) like every other field: money as written
 * and within its column, 32-bit integers, printable names.
 */

const GPT51 = "    sort_order: 40\n";
const addToGpt51 = (yaml: string) => (t: string) => {
  if (!t.includes(GPT51)) throw new Error("fixture edit: gpt-5.1's sort_order not found");
  return t.replace(GPT51, GPT51 + yaml);
};
const declare = (yaml: string) => (t: string) => t.replace("default_text_provider: openai\n", `${yaml}default_text_provider: openai\n`);

interface Case {
  name: string;
  edits: Edits;
  file: string;
  needle: string;
  message: RegExp;
}

const CASES: Case[] = [
  {
    name: "a new scalar price beyond its column",
    edits: { "models/openai.yaml": addToGpt51("    cache_read_token_rate: 12345678901.5\n") },
    file: "config/models/openai.yaml",
    needle: "cache_read_token_rate",
    message: /cache_read_token_rate of model\/gpt-5\.1 is 12345678901\.5: a money value/,
  },
  {
    name: "a context tier rate in exponent notation",
    edits: { "models/openai.yaml": addToGpt51("    context_tiers:\n      - above_input_tokens: 200000\n        input_token_rate: 1e-20\n") },
    file: "config/models/openai.yaml",
    needle: "- above_input_tokens: 200000",
    message: /input_token_rate in context_tiers of model\/gpt-5\.1 is 1e-20/,
  },
  {
    name: "an image price with more decimals than the column",
    edits: { "models/openai.yaml": addToGpt51("    image_prices:\n      - { size: 1024x1024, quality: hd, cost_per_image: 0.04000000001 }\n") },
    file: "config/models/openai.yaml",
    needle: "- { size: 1024x1024",
    message: /cost_per_image in image_prices of model\/gpt-5\.1 is 0\.04000000001/,
  },
  {
    name: "a context tier threshold beyond 32 bits",
    edits: { "models/openai.yaml": addToGpt51("    context_tiers:\n      - above_input_tokens: 3000000000\n        input_token_rate: 2.5\n") },
    file: "config/models/openai.yaml",
    needle: "above_input_tokens",
    message: /2147483647/,
  },
  {
    name: "an image quality with a control character",
    edits: { "models/openai.yaml": addToGpt51('    image_prices:\n      - { size: 1024x1024, quality: "hd\\e[2J", cost_per_image: 0.08 }\n') },
    file: "config/models/openai.yaml",
    needle: "quality:",
    message: /`quality` in model gpt-5\.1 must be/,
  },
  {
    name: "a declared integration's max_tokens beyond 32 bits",
    edits: { "integrations.yaml": declare("  mistral:\n    model: gpt-5.1\n    provider: openai\n    max_tokens: 3000000000\n") },
    file: "config/integrations.yaml",
    needle: "max_tokens: 3000000000",
    message: /1000000/,
  },
  {
    name: "a declared integration's model with a newline",
    edits: { "integrations.yaml": declare('  mistral:\n    model: "gpt-5.1\\n::error::x"\n    provider: openai\n') },
    file: "config/integrations.yaml",
    needle: 'model: "gpt-5.1',
    message: /`model` in provider mistral must be/,
  },
  {
    name: "a price ceiling in exponent notation",
    edits: { "policies.yaml": (t) => t + "price_ceilings:\n  per_1m_tokens:\n    max: 2e2\n" },
    file: "config/policies.yaml",
    needle: "max: 2e2",
    message: /price_ceilings\.per_1m_tokens\.max is 2e2: a money value/,
  },
];

describe("catalog fields by the gate's field rules", () => {
  for (const c of CASES) {
    test(c.name, async () => {
      const loaded = await loadSampleWith(c.edits);
      const errors = errorsOf(loaded.diagnostics);
      const hit = errors.find((d) => c.message.test(d.message));
      expect(hit, describe_(loaded.diagnostics)).toBeDefined();
      expect(hit!.file).toBe(c.file);
      expect(hit!.line).toBe(lineOf(loaded.text(c.file.replace(/^config\//, "")), c.needle));
    });
  }

  test("new prices are read from their source text, never through a JS float", async () => {
    const loaded = await loadSampleWith({
      "models/openai.yaml": addToGpt51(
        "    cache_read_token_rate: 12345678.123456789\n" +
          "    context_tiers:\n      - above_input_tokens: 200000\n        input_token_rate: 0.1000000001\n" +
          "    image_prices:\n      - { size: 1024x1024, quality: hd, cost_per_image: 9999999999.9999999999 }\n",
      ),
      "policies.yaml": (t) => t + "price_ceilings:\n  per_1m_tokens:\n    max: 12345678.123456789\n",
    });
    expect(errorsOf(loaded.diagnostics), describe_(loaded.diagnostics)).toEqual([]);
    const model = loaded.desired.resources.find((r) => r.address === "model/gpt-5.1")!;
    expect(model.fields.cache_read_token_rate).toBe("12345678.123456789");
    expect(model.fields.context_tiers).toEqual([{ above_input_tokens: 200000, input_token_rate: "0.1000000001" }]);
    expect(model.fields.image_prices).toEqual([{ size: "1024x1024", quality: "hd", cost_per_image: "9999999999.9999999999" }]);
  });
});

describe("JSON setting values by the same declaration as the store and the runtime", () => {
  const addSetting = (yaml: string) => (t: string) => t.replace("settings:\n", `settings:\n${yaml}`);

  test("a bare number SQLite cannot read back exactly (below 1e-80) is refused at its line", async () => {
    // Found by the property test: SQLite's JSON columns have NUMERIC affinity and read this back one unit off.
    const loaded = await loadSampleWith({ "accounts/acme.yaml": addSetting("  tiny: -2.649987100924019e-141\n") });
    const hit = errorsOf(loaded.diagnostics).find((d) => d.code === "json.not-storable");
    expect(hit, describe_(loaded.diagnostics)).toBeDefined();
    expect(hit!.message).toMatch(/value of account\/acme\/setting\/tiny: .*smaller than 1e-80/);
    expect(hit!.file).toBe("config/accounts/acme.yaml");
    expect(hit!.line).toBe(lineOf(loaded.text("accounts/acme.yaml"), "tiny:"));
  });

  test("the same digits inside a list, or a short number alone, are stored as written", async () => {
    const loaded = await loadSampleWith({ "accounts/acme.yaml": addSetting("  tiny: [-2.649987100924019e-141]\n  ratio: 0.1\n") });
    expect(errorsOf(loaded.diagnostics), describe_(loaded.diagnostics)).toEqual([]);
  });
});
