import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NumberText, parseJsonText, JsonTextError } from "../../src/config/reference/json-text.js";
import { parseLitellm, TOKEN_PRICES } from "../../src/config/reference/litellm.js";
import { mergeCatalog } from "../../src/config/reference/catalog-merge.js";
import { convertPrice } from "../../src/domain/prices.js";
import { compareCatalog, hasDifferences } from "../../src/domain/price-reference.js";
import type { Resource } from "../../src/domain/resources.js";
import { ROOT } from "../helpers/cli.js";

const SAMPLE = "/work/shared/data/litellm-sample.json";
const FIXTURE = join(ROOT, "test/fixtures/litellm/openai-extract.json");

/**
 * The expected per-1M (or per-1k) price from a number's text by moving the
 * decimal point in the string: an oracle independent of the importer's
 * decimal arithmetic. Returns the plain decimal text, trailing zeros trimmed.
 */
function shiftDecimal(text: string, places: number): string {
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const digits = m[1]! + (m[2] ?? "");
  let point = m[1]!.length + Number(m[3] ?? 0) + places;
  let d = digits;
  if (point <= 0) (d = "0".repeat(1 - point) + d), (point = 1);
  if (point > d.length) d = d + "0".repeat(point - d.length);
  const int = d.slice(0, point).replace(/^0+(?=\d)/, "");
  const frac = d.slice(point).replace(/0+$/, "");
  return frac ? `${int}.${frac}` : int;
}

describe("JSON with number texts", () => {
  it("keeps every number's source text, float noise included", () => {
    const v = parseJsonText('{"a": 2.9999900000000002e-06, "b": [1, -0.5E+3, 0], "c": "x\\u00e9\\n", "d": null, "e": true}') as Record<string, unknown>;
    expect((v.a as NumberText).text).toBe("2.9999900000000002e-06");
    expect((v.b as NumberText[]).map((n) => n.text)).toEqual(["1", "-0.5E+3", "0"]);
    expect(v.c).toBe("xé\n");
    expect(v.d).toBeNull();
    expect(v.e).toBe(true);
  });

  it.each([
    ['{"a": 1,}', 1, 9],
    ['{"a": 01}', 1, 8],
    ['{"a": NaN}', 1, 7],
    ['{\n  "a": [1 2]\n}', 2, 11],
    ['{"a": "unterminated', 1, 20],
    ["[1] x", 1, 5],
  ])("refuses %j with its line and column", (text, line, col) => {
    expect(() => parseJsonText(text)).toThrow(JsonTextError);
    try {
      parseJsonText(text);
    } catch (err) {
      expect({ line: (err as JsonTextError).line, col: (err as JsonTextError).col }).toEqual({ line, col });
    }
  });

  it("treats __proto__ as a plain key", () => {
    const v = parseJsonText('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe("price conversion from the number's text", () => {
  it("is exact and reports float noise rounded to the column's scale", () => {
    expect(convertPrice("2.5e-06", 1_000_000)).toEqual({ value: "2.5", exact: "2.5", rounded: false });
    expect(convertPrice("1.3e-10", 1_000_000)).toEqual({ value: "0.00013", exact: "0.00013", rounded: false });
    expect(convertPrice("2.9999900000000002e-06", 1_000_000)).toMatchObject({ value: "2.99999", rounded: true });
    expect(convertPrice("0.0002833333333333333", 1)).toMatchObject({ value: "0.0002833333", rounded: true });
    expect(convertPrice("6.539e-08", 1024 * 1792)).toMatchObject({ value: "0.1199911731", rounded: true });
    expect(convertPrice("-1", 1)).toBeNull();
    expect(convertPrice("1e10", 1)).toBeNull();
  });
});

describe("LiteLLM sample (300 entries)", () => {
  const text = readFileSync(SAMPLE, "utf8");
  const reference = parseLitellm(text);

  it("imports 257 of the 300 entries and names the reason of every skipped class", () => {
    expect(reference.entries).toBe(301); // 300 models and LiteLLM's own sample_spec
    expect(reference.models).toHaveLength(257);
    const classes = new Map<string, number>();
    for (const s of reference.skipped) classes.set(s.reason, (classes.get(s.reason) ?? 0) + 1);
    expect(Object.fromEntries(classes)).toEqual({
      "litellm_provider is not a provider slug": 1,
      "mode search has no model type": 14,
      "mode ocr has no model type": 5,
      "mode vector_store has no model type": 1,
      "no mode": 2,
      "text model without input_token_rate (USD per 1M input tokens)": 11,
      "text model without max_input_tokens (the context limit)": 4,
      "text model without max_output_tokens (the output limit)": 1,
      "image model without cost_per_image or image_prices or image_output_token_rate (what an image costs)": 3,
      "embedding model without input_token_rate (USD per 1M input tokens)": 1,
      "audio_transcription model without cost_per_second or input_token_rate (USD per second of audio, or per 1M tokens)": 1,
    });
    expect(reference.models.length + reference.skipped.length).toBe(301);
  });

  it("converts every per-token price to per 1M exactly from its text, value by value", () => {
    const raw = JSON.parse(text, (_k, v) => v) as Record<string, Record<string, unknown>>;
    // The source texts, found in the file itself (JSON.parse would lose them).
    const sourceText = (key: string, field: string): string => {
      const start = text.indexOf(JSON.stringify(key) + ":");
      const at = text.indexOf(`"${field}":`, start);
      return /^\s*([-+0-9.eE]+)/.exec(text.slice(at + field.length + 3))![1]!;
    };
    let checked = 0;
    for (const model of reference.models) {
      const key = model.sourceKeys[0]!;
      for (const [source, field] of Object.entries(TOKEN_PRICES)) {
        if (typeof raw[key]?.[source] !== "number" || model.fields[field] === undefined) continue;
        const expected = shiftDecimal(sourceText(key, source), 6);
        const rounded = model.rounded.find((r) => r.field === field);
        if (rounded) {
          expect(expected.split(".")[1]!.length).toBeGreaterThan(10);
          expect(Math.abs(Number(expected) - Number(model.fields[field]))).toBeLessThanOrEqual(5e-11);
        } else {
          expect(model.fields[field], `${key} ${source}`).toBe(expected);
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it("maps the new price dimensions: cache, batch, long-context tiers, per second, per 1k characters and queries", () => {
    const byId = new Map(reference.models.map((m) => [m.model_id, m.fields]));
    expect(byId.get("claude-sonnet-4-5-20250929")).toMatchObject({
      input_token_rate: "3",
      output_token_rate: "15",
      cache_read_token_rate: "0.3",
      cache_write_token_rate: "3.75",
      context_tiers: [{ above_input_tokens: 200000, input_token_rate: "6", output_token_rate: "22.5", cache_read_token_rate: "0.6", cache_write_token_rate: "7.5" }],
    });
    expect(byId.get("dashscope/qwen3-max-preview")?.context_tiers).toEqual([
      { above_input_tokens: 32000, input_token_rate: "2.4", output_token_rate: "12" },
      { above_input_tokens: 128000, input_token_rate: "3", output_token_rate: "15" },
    ]);
    expect(byId.get("gemini-3.1-pro-preview-customtools")).toMatchObject({ batch_input_token_rate: "1", batch_output_token_rate: "6" });
    const speech = reference.models.find((m) => m.fields.model_type === "audio_speech" && m.fields.cost_per_1k_characters !== undefined);
    expect(speech).toBeDefined();
    expect(reference.models.some((m) => m.fields.model_type === "rerank" && m.fields.cost_per_1k_queries !== undefined)).toBe(true);
    expect(reference.models.some((m) => m.fields.model_type === "video" && m.fields.cost_per_second !== undefined)).toBe(true);
    expect(new Set(reference.models.map((m) => m.fields.model_type))).toEqual(
      new Set(["text", "embedding", "image", "audio_transcription", "audio_speech", "video", "rerank", "moderation", "realtime"]),
    );
  });

  it("never crashes on odd entries: unknown modes and fields, wrong types, non-objects", () => {
    const odd = parseLitellm(
      JSON.stringify({
        a: 1,
        b: { litellm_provider: "x", mode: "teleport" },
        c: { litellm_provider: "x", mode: "chat", input_cost_per_token: "cheap", output_cost_per_token: 1e-6, max_tokens: 10 },
        d: { litellm_provider: "Bad Provider", mode: "chat" },
        e: { litellm_provider: "x", mode: "embedding", input_cost_per_token: 1e-7, brand_new_field: 3 },
        f: { litellm_provider: "x", mode: "chat", input_cost_per_token: -1, output_cost_per_token: 1, max_tokens: 1 },
      }),
    );
    expect(odd.models.map((m) => m.model_id)).toEqual(["e"]);
    expect(odd.skipped.map((s) => [s.key, s.reason])).toEqual([
      ["a", "entry is not an object"],
      ["b", "mode teleport has no model type"],
      ["c", "input_cost_per_token is not a number"],
      ["d", "litellm_provider is not a provider slug"],
      ["f", "input_cost_per_token is negative or too large for a money column"],
    ]);
    expect(odd.unmappedFields.get("brand_new_field")).toBe(1);
  });
});

describe("size x quality variants", () => {
  const reference = parseLitellm(readFileSync(FIXTURE, "utf8"));

  it("make one model priced per size and quality (per pixel x width x height)", () => {
    const dalle = reference.models.find((m) => m.model_id === "dall-e-3")!;
    expect(dalle.sourceKeys).toHaveLength(6);
    expect(dalle.fields.image_prices).toContainEqual({ size: "1024x1792", quality: "hd", cost_per_image: "0.1199911731" });
    expect(dalle.fields.image_prices).toContainEqual({ size: "1024x1024", quality: "standard", cost_per_image: "0.0399999238" });
    expect(dalle.fields.available_sizes).toEqual(["1024x1024", "1024x1792", "1792x1024"]);
  });
});

const model = (id: string, fields: Record<string, unknown>): Resource =>
  ({ address: `model/${id}`, kind: "model", key: { model_id: id }, fields }) as Resource;

describe("catalog compare", () => {
  const reference = parseLitellm(readFileSync(FIXTURE, "utf8"));

  it("calls a per-token price typed into a per-1M field a unit mistake", () => {
    const report = compareCatalog(
      [model("gpt-4o", { model_type: "text", input_token_rate: "2.5", output_token_rate: "0.00001" }), model("gpt-4.1", { model_type: "text" })],
      reference.priced,
      reference.entries,
    );
    expect(report.differences).toContainEqual({
      model_id: "gpt-4o",
      field: "output_token_rate",
      ours: "0.00001",
      theirs: "10",
      ratio: "0.000001",
      unit_mistake: "per-token price typed as per 1M (1,000,000 times too small)",
    });
    expect(report.differences.find((d) => d.field === "input_token_rate")).toBeUndefined();
    expect(report.not_in_reference).toEqual(["gpt-4.1"]);
    expect(hasDifferences(report)).toBe(true);
  });

  it("finds nothing when the catalog carries the reference's prices", () => {
    const gpt4o = reference.priced.find((m) => m.model_id === "gpt-4o")!;
    const report = compareCatalog([model("gpt-4o", gpt4o.fields)], reference.priced, reference.entries);
    expect(report.differences).toEqual([]);
    expect(hasDifferences(report)).toBe(false);
  });
});

describe("catalog merge", () => {
  const reference = parseLitellm(readFileSync(FIXTURE, "utf8"));
  const openai = readFileSync(join(ROOT, "config/models/openai.yaml"), "utf8");

  it("updates prices in place, keeps hand-set fields and comments, and changes nothing the second time", () => {
    const edited = openai.replace("    output_token_rate: 10.00\n    max_input_tokens: 128000", "    output_token_rate: 0.00001 # typed per token\n    max_input_tokens: 128000");
    const first = mergeCatalog([{ path: "models/openai.yaml", text: edited }], reference);
    const text = first.writes.get("models/openai.yaml")!;
    expect(text).toContain("# OpenAI models (seed: AIModelConfig)");
    expect(text).toContain("    output_token_rate: 10 # typed per token\n");
    expect(text).toContain("    display_name: GPT-4o\n");
    expect(text).toContain("    display_name: DALL-E 3\n");
    expect(text).toMatch(/model_id: dall-e-3[\s\S]*image_prices:\n(\s+- \{.*\}\n)*\s+- \{size: 1024x1792, quality: hd, cost_per_image: 0.1199911731\}\n/);
    expect(text).toContain("    available_sizes: [1024x1024, 1024x1792, 1792x1024]\n");
    // Untouched lines stay byte for byte.
    const untouched = (t: string) => t.split("\n").filter((l) => !/output_token_rate|image_prices|cost_per_image: 0\.\d{6}|^\s+- \{size|cache_read|batch_/.test(l));
    expect(untouched(text)).toEqual(untouched(edited));
    expect(first.report.updated.map((u) => u.model_id)).toEqual(["dall-e-3", "gpt-4o"]);
    expect(first.report.added).toEqual([]);
    const second = mergeCatalog([{ path: "models/openai.yaml", text }], reference);
    expect(second.writes.size).toBe(0);
    expect(second.report.unchanged).toBe(2);
  });

  it("--provider imports only the providers asked for and counts the rest as other providers'", () => {
    const sample = parseLitellm(readFileSync(SAMPLE, "utf8"));
    const { writes, report } = mergeCatalog([], sample, { providers: ["anthropic", "xai"] });
    expect([...writes.keys()].sort()).toEqual(["models/anthropic.yaml", "models/xai.yaml"]);
    expect(new Set(report.added.map((a) => a.provider))).toEqual(new Set(["anthropic", "xai"]));
    expect(report.added.length + report.not_selected).toBe(sample.models.length);
    expect(report.skipped).toEqual([]);
  });

  it("refuses to merge around a catalog file that is not valid YAML", () => {
    expect(() => mergeCatalog([{ path: "models/openai.yaml", text: "models: [\n" }], reference)).toThrow(/models\/openai\.yaml/);
  });
});
