import type { ReferenceModel, RoundedPrice } from "../../domain/price-reference.js";
import { appendAll } from "../../domain/append.js";
import { convertPrice } from "../../domain/prices.js";
import { INT32 } from "../../schema/fields.js";
import { PROVIDER_SLUG } from "../../schema/document-kinds.js";
import { MODEL_TYPE_REQUIREMENTS, TIER_RATES } from "../../schema/prices.js";
import { JsonTextError, NumberText, parseJsonText, type JsonTextValue } from "./json-text.js";

/*
 * LiteLLM's model price map (model_prices_and_context_window.json) -> catalog
 * entries. Prices are per token (or per image, second, character, query,
 * pixel) in the file; the catalog keeps them per 1M tokens, per image, per
 * second, per 1k characters and per 1k queries, converted from each number's
 * text. Anything the catalog has no place for is reported, never a crash.
 */

export interface SkippedEntry {
  key: string;
  /** The entry's provider, when it names one. */
  provider?: string;
  /** The class of reason, e.g. `mode search has no model type` (the report groups by it). */
  reason: string;
}

export type { ReferenceModel, RoundedPrice };

export interface ReferenceCatalog {
  /** Models the catalog can hold (every requirement of their type met). */
  models: ReferenceModel[];
  /** Every model the reference prices, importable or not: what `catalog compare` compares against. */
  priced: ReferenceModel[];
  skipped: SkippedEntry[];
  /** Reference fields with no place in the catalog -> how many entries carry one (non-zero). */
  unmappedFields: Map<string, number>;
  /** Entries read from the file (keys). */
  entries: number;
}

export class ReferenceFormatError extends Error {
  constructor(
    message: string,
    /** Where in the file, when known. */
    readonly at?: { line: number; col: number },
  ) {
    super(message);
  }
}

/** LiteLLM mode -> model type. Modes not here are skipped with their name. */
const MODE_TYPES: Record<string, string> = {
  chat: "text",
  completion: "text",
  responses: "text",
  embedding: "embedding",
  image_generation: "image",
  image_edit: "image",
  audio_transcription: "audio_transcription",
  audio_speech: "audio_speech",
  video_generation: "video",
  rerank: "rerank",
  moderation: "moderation",
  realtime: "realtime",
};

const PER_MILLION = 1_000_000;
const PER_THOUSAND = 1_000;

/** Per-token fields -> per-1M model fields. */
export const TOKEN_PRICES: Record<string, string> = {
  input_cost_per_token: "input_token_rate",
  output_cost_per_token: "output_token_rate",
  cache_read_input_token_cost: "cache_read_token_rate",
  cache_creation_input_token_cost: "cache_write_token_rate",
  input_cost_per_token_batches: "batch_input_token_rate",
  output_cost_per_token_batches: "batch_output_token_rate",
  output_cost_per_image_token: "image_output_token_rate",
};

/** `<reference field>_above_<N>k_tokens` -> a long-context tier's rate. */
const TIER_FIELDS: Record<string, (typeof TIER_RATES)[number]> = {
  input_cost_per_token: "input_token_rate",
  output_cost_per_token: "output_token_rate",
  cache_read_input_token_cost: "cache_read_token_rate",
  cache_creation_input_token_cost: "cache_write_token_rate",
};
const TIER_KEY = /^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)_above_(\d+)k_tokens$/;

const FLAGS: Record<string, string> = {
  supports_function_calling: "supports_tools",
  supports_vision: "supports_vision",
  supports_response_schema: "supports_json_mode",
};

/** Fields read for what they say, not prices: never reported as unmapped. */
const DESCRIPTIVE = new Set(["litellm_provider", "mode", "max_tokens", "max_input_tokens", "max_output_tokens", "deprecation_date", "source", "metadata"]);

/**
 * `hd/1024-x-1792/dall-e-3`, `azure/low/1024-x-1024/gpt-image-1`,
 * `1024-x-1024/50-steps/stability.stable-diffusion-xl-v1`: one image model's
 * price at a size and quality. They become one model with `image_prices`.
 */
const IMAGE_VARIANT = /^(?:(azure|openai)\/)?(?:(standard|hd|low|medium|high|auto)\/)?(\d{2,5})-x-(\d{2,5})\/(?:((?:\d+|max)-steps)\/)?(.+)$/;

const isObject = (v: JsonTextValue | undefined): v is { [k: string]: JsonTextValue } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof NumberText);
const numberText = (v: JsonTextValue | undefined): string | undefined => (v instanceof NumberText ? v.text : undefined);
const isZero = (v: JsonTextValue | undefined) => v instanceof NumberText && Number(v.text) === 0;
const MODEL_ID_MAX = 100;

export function parseLitellm(text: string): ReferenceCatalog {
  let root: JsonTextValue;
  try {
    root = parseJsonText(text);
  } catch (err) {
    if (!(err instanceof JsonTextError)) throw err;
    throw new ReferenceFormatError(`not valid JSON: ${err.reason}`, { line: err.line, col: err.col });
  }
  if (!isObject(root)) throw new ReferenceFormatError("a LiteLLM price map is a JSON object of model entries");
  return convertLitellm(root);
}

export function convertLitellm(root: { [key: string]: JsonTextValue }): ReferenceCatalog {
  const skipped: SkippedEntry[] = [];
  const unmappedFields = new Map<string, number>();
  const byId = new Map<string, ReferenceModel>();
  const keys = Object.keys(root);

  for (const key of keys) {
    const entry = root[key];
    const named = isObject(entry) && typeof entry.litellm_provider === "string" ? entry.litellm_provider : undefined;
    const skip = (reason: string) => skipped.push(named === undefined ? { key, reason } : { key, reason, provider: named });
    if (!isObject(entry)) {
      skip("entry is not an object");
      continue;
    }
    const provider = entry.litellm_provider;
    if (typeof provider !== "string" || !PROVIDER_SLUG.test(provider) || provider.length > 100) {
      skip("litellm_provider is not a provider slug");
      continue;
    }
    const mode = entry.mode;
    if (typeof mode !== "string") {
      skip("no mode");
      continue;
    }
    const modelType = MODE_TYPES[mode];
    if (!modelType) {
      skip(/^[a-z_]{1,40}$/.test(mode) ? `mode ${mode} has no model type` : "mode is not a known mode");
      continue;
    }
    const variant = modelType === "image" ? IMAGE_VARIANT.exec(key) : null;
    const modelId = variant ? (variant[1] ? `${variant[1]}/` : "") + variant[6]! : key;
    if (modelId.length > MODEL_ID_MAX || /[\p{Cc}\p{Cs}]/u.test(modelId)) {
      skip(`model id longer than ${MODEL_ID_MAX} characters or not printable`);
      continue;
    }

    const converted = convertEntry(modelId, modelType, entry, variant);
    if ("skip" in converted) {
      skip(converted.skip);
      continue;
    }
    for (const field of converted.unmapped) unmappedFields.set(field, (unmappedFields.get(field) ?? 0) + 1);

    const existing = byId.get(modelId);
    if (!existing) {
      byId.set(modelId, { model_id: modelId, provider, sourceKeys: [key], fields: converted.fields, rounded: converted.rounded });
      continue;
    }
    if (existing.provider !== provider || existing.fields.model_type !== modelType) {
      skip(`size/quality variant of a model another entry prices differently`);
      continue;
    }
    mergeImageVariant(existing, key, converted);
  }

  for (const m of byId.values()) finishImageModel(m);
  const priced = [...byId.values()].sort((a, b) => cmp(a.model_id, b.model_id));
  const models = priced.filter((m) => {
    const missing = missingRequirement(m);
    if (missing) for (const key of m.sourceKeys) skipped.push({ key, reason: missing, provider: m.provider });
    return !missing;
  });
  return { models, priced, skipped, unmappedFields, entries: keys.length };
}

interface Converted {
  fields: Record<string, unknown>;
  rounded: RoundedPrice[];
  unmapped: string[];
}

function convertEntry(
  modelId: string,
  modelType: string,
  entry: { [k: string]: JsonTextValue },
  variant: RegExpExecArray | null,
): Converted | { skip: string } {
  const fields: Record<string, unknown> = { model_type: modelType };
  const rounded: RoundedPrice[] = [];
  const unmapped: string[] = [];
  const used = new Set<string>(DESCRIPTIVE);
  let bad: string | undefined;

  const price = (field: string, source: string, factor: number | string): string | undefined => {
    const text = numberText(entry[source]);
    used.add(source);
    if (text === undefined) {
      if (entry[source] !== undefined && entry[source] !== null) bad ??= `${source} is not a number`;
      return undefined;
    }
    const c = convertPrice(text, factor);
    if (!c) {
      bad ??= `${source} is negative or too large for a money column`;
      return undefined;
    }
    if (c.rounded) rounded.push({ model_id: modelId, field, source: text, stored: c.value });
    return c.value;
  };
  const set = (field: string, source: string, factor: number | string) => {
    const v = price(field, source, factor);
    if (v !== undefined) fields[field] = v;
  };

  for (const [source, field] of Object.entries(TOKEN_PRICES)) set(field, source, PER_MILLION);

  // Per image: the generation price; input_cost_per_image is one only for image models that have no output price.
  if (modelType === "image" || modelType === "video") {
    const source = entry.output_cost_per_image !== undefined && !isZero(entry.output_cost_per_image) ? "output_cost_per_image" : "input_cost_per_image";
    if (!variant) set("cost_per_image", source, 1);
    used.add("output_cost_per_image");
    used.add("input_cost_per_image");
  }
  // Per second: what transcription reads (input) or speech and video generate (output).
  const secondSource =
    modelType === "audio_transcription" || modelType === "text" || modelType === "embedding"
      ? ["input_cost_per_second", "output_cost_per_second"]
      : ["output_cost_per_second", "input_cost_per_second", "output_cost_per_video_per_second"];
  const second = secondSource.find((s) => entry[s] !== undefined && !isZero(entry[s])) ?? secondSource.find((s) => entry[s] !== undefined);
  if (second) set("cost_per_second", second, 1);
  set("cost_per_1k_characters", "input_cost_per_character", PER_THOUSAND);
  set("cost_per_1k_queries", "input_cost_per_query", PER_THOUSAND);

  // Long-context tiers: `..._above_200k_tokens` fields and `tiered_pricing` token ranges.
  const tiers = new Map<number, Record<string, unknown>>();
  for (const source of Object.keys(entry)) {
    const m = TIER_KEY.exec(source);
    if (!m) continue;
    const above = Number(m[2]) * 1000;
    const rate = TIER_FIELDS[m[1]!]!;
    const v = price(`context_tiers[>${above}].${rate}`, source, PER_MILLION);
    if (v !== undefined) tiers.set(above, { ...(tiers.get(above) ?? { above_input_tokens: above }), [rate]: v });
  }
  const tiered = entry.tiered_pricing;
  if (Array.isArray(tiered) && tiered.every((t) => isObject(t) && Array.isArray(t.range))) {
    used.add("tiered_pricing");
    for (const t of tiered as { [k: string]: JsonTextValue }[]) {
      const from = numberText((t.range as JsonTextValue[])[0]);
      if (from === undefined) continue;
      const above = Math.trunc(Number(from));
      const rates: Record<string, unknown> = {};
      for (const [source, rate] of Object.entries(TIER_FIELDS)) {
        const text = numberText(t[source]);
        const c = text === undefined ? null : convertPrice(text, PER_MILLION);
        if (!c) continue;
        if (c.rounded) rounded.push({ model_id: modelId, field: above ? `context_tiers[>${above}].${rate}` : rate, source: text!, stored: c.value });
        rates[rate] = c.value;
      }
      // The first range (from 0) is the base price.
      if (above === 0) for (const [rate, v] of Object.entries(rates)) fields[rate] ??= v;
      else if (above <= INT32.max) tiers.set(above, { above_input_tokens: above, ...rates });
    }
  }
  if (tiers.size) fields.context_tiers = [...tiers.values()].sort((a, b) => Number(a.above_input_tokens) - Number(b.above_input_tokens));

  if (variant) {
    // One size x quality of an image model: per image, or per pixel times the size.
    const [w, h] = [Number(variant[3]), Number(variant[4])];
    const quality = variant[2] ?? variant[5] ?? "standard";
    const perImage = ["output_cost_per_image", "input_cost_per_image"].find((s) => entry[s] !== undefined && !isZero(entry[s]));
    const pixelSources = ["input_cost_per_pixel", "output_cost_per_pixel"].filter((s) => entry[s] !== undefined && !isZero(entry[s]));
    pixelSources.forEach((s) => used.add(s));
    ["input_cost_per_pixel", "output_cost_per_pixel"].forEach((s) => used.add(s));
    let cost: string | undefined;
    if (perImage) cost = price(`image_prices[${w}x${h} ${quality}]`, perImage, 1);
    else if (pixelSources.length === 1) cost = price(`image_prices[${w}x${h} ${quality}]`, pixelSources[0]!, w * h);
    if (cost === undefined) return { skip: bad ?? "image size variant without a per-image or per-pixel price" };
    fields.image_prices = [{ size: `${w}x${h}`, quality, cost_per_image: cost }];
  }

  const limit = (source: string[]): number | undefined => {
    for (const s of source) {
      const text = numberText(entry[s]);
      if (text === undefined) continue;
      const n = Number(text);
      if (Number.isInteger(n) && n >= 1 && n <= INT32.max) return n;
    }
    return undefined;
  };
  if (modelType === "text" || modelType === "embedding" || modelType === "realtime") {
    const input = limit(["max_input_tokens", "max_tokens"]);
    const output = limit(["max_output_tokens", "max_tokens"]);
    if (input !== undefined) fields.max_input_tokens = input;
    if (output !== undefined && modelType !== "embedding") fields.max_output_tokens = output;
  }
  for (const [source, field] of Object.entries(FLAGS)) {
    used.add(source);
    if (typeof entry[source] === "boolean") fields[field] = entry[source];
  }
  const deprecation = entry.deprecation_date;
  if (typeof deprecation === "string" && /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(deprecation)) fields.deprecation_date = deprecation;

  if (bad) return { skip: bad };
  for (const [source, v] of Object.entries(entry)) {
    if (used.has(source) || TIER_KEY.test(source) || typeof v === "boolean" || v === null || isZero(v)) continue;
    unmapped.push(source);
  }
  return { fields, rounded, unmapped };
}

function mergeImageVariant(into: ReferenceModel, key: string, c: Converted): void {
  into.sourceKeys.push(key);
  appendAll(into.rounded, c.rounded);
  const prices = [...((into.fields.image_prices as unknown[]) ?? []), ...((c.fields.image_prices as unknown[]) ?? [])];
  for (const [field, v] of Object.entries(c.fields)) if (field !== "image_prices") into.fields[field] ??= v;
  if (prices.length) into.fields.image_prices = prices;
}

/** Size x quality variants: sorted, one price per pair, and the sizes the model offers. */
function finishImageModel(m: ReferenceModel): void {
  const prices = m.fields.image_prices as { size: string; quality: string; cost_per_image: string }[] | undefined;
  if (!prices) return;
  const unique = new Map(prices.map((p) => [`${p.size} ${p.quality}`, p]));
  const area = (size: string) => size.split("x").map(Number).reduce((a, b) => a * b, 1);
  const sorted = [...unique.values()].sort((a, b) => area(a.size) - area(b.size) || cmp(a.size, b.size) || cmp(a.quality, b.quality));
  m.fields.image_prices = sorted;
  m.fields.available_sizes = [...new Set(sorted.map((p) => p.size))];
}

/** What the catalog's rules will require of the model type, said before a file is written. */
function missingRequirement(m: ReferenceModel): string | undefined {
  for (const { anyOf, why } of MODEL_TYPE_REQUIREMENTS[String(m.fields.model_type)] ?? []) {
    if (anyOf.every((field) => m.fields[field] === undefined)) return `${String(m.fields.model_type)} model without ${anyOf.join(" or ")} (${why})`;
  }
  return undefined;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
