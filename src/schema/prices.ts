/*
 * Price dimensions of a model (issue #10): the one declaration of every price
 * a catalog entry can carry, its billing unit and what it means. The document
 * schema, the store columns (domain/resources.ts), the margin engine, the price
 * ceilings of policies.yaml and the LiteLLM importer all read this list.
 * Plain values, no zod: their schemas are in schema/price-schemas.ts.
 */

/** Billing units a price ceiling is set per. */
export const PRICE_UNITS = ["per_1m_tokens", "per_image", "per_second", "per_1k_characters", "per_1k_queries"] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

export interface ScalarPrice {
  field: string;
  unit: PriceUnit;
  describe: string;
}

/** One nullable NUMERIC column each; the seed's three first, as the platform has them. */
export const SCALAR_PRICES = [
  { field: "input_token_rate", unit: "per_1m_tokens", describe: "USD per 1M input tokens" },
  { field: "output_token_rate", unit: "per_1m_tokens", describe: "USD per 1M output tokens" },
  { field: "cost_per_image", unit: "per_image", describe: "USD per generated image (the standard size and quality)" },
  { field: "cache_read_token_rate", unit: "per_1m_tokens", describe: "USD per 1M cached input tokens read (prompt cache hit)" },
  { field: "cache_write_token_rate", unit: "per_1m_tokens", describe: "USD per 1M input tokens written to the prompt cache" },
  { field: "batch_input_token_rate", unit: "per_1m_tokens", describe: "USD per 1M input tokens through the batch API" },
  { field: "batch_output_token_rate", unit: "per_1m_tokens", describe: "USD per 1M output tokens through the batch API" },
  { field: "image_output_token_rate", unit: "per_1m_tokens", describe: "USD per 1M generated image tokens (token-priced image models)" },
  { field: "cost_per_second", unit: "per_second", describe: "USD per second of audio or video processed or generated" },
  { field: "cost_per_1k_characters", unit: "per_1k_characters", describe: "USD per 1,000 input characters (speech synthesis)" },
  { field: "cost_per_1k_queries", unit: "per_1k_queries", describe: "USD per 1,000 queries (rerank, search)" },
] as const satisfies readonly ScalarPrice[];
export type ScalarPriceField = (typeof SCALAR_PRICES)[number]["field"];

/** Token rates a long-context tier replaces. */
export const TIER_RATES = ["input_token_rate", "output_token_rate", "cache_read_token_rate", "cache_write_token_rate"] as const;

/** The seed's own price columns; the model schema declares them where the platform has them. */
export const SEED_PRICE_FIELDS: readonly ScalarPriceField[] = ["input_token_rate", "output_token_rate", "cost_per_image"];

/** The list-shaped prices of a model (stored as JSON columns of canonical decimal strings). */
export const LIST_PRICES = ["context_tiers", "image_prices"] as const;
export type ListPriceField = (typeof LIST_PRICES)[number];

/** The money keys inside each list price's entries: the same money rules hold there (config/rules/fields.ts). */
export const LIST_PRICE_MONEY: Record<ListPriceField, readonly string[]> = {
  context_tiers: TIER_RATES,
  image_prices: ["cost_per_image"],
};

/**
 * What each model type is billed and capped by (README "Model catalog"). Each
 * entry is a requirement: at least one of its fields must be set.
 */
export const MODEL_TYPE_REQUIREMENTS: Record<string, { anyOf: string[]; why: string }[]> = {
  text: [
    { anyOf: ["input_token_rate"], why: "USD per 1M input tokens" },
    { anyOf: ["output_token_rate"], why: "USD per 1M output tokens" },
    { anyOf: ["max_input_tokens"], why: "the context limit" },
    { anyOf: ["max_output_tokens"], why: "the output limit" },
  ],
  realtime: [
    { anyOf: ["input_token_rate"], why: "USD per 1M input tokens" },
    { anyOf: ["output_token_rate"], why: "USD per 1M output tokens" },
  ],
  image: [{ anyOf: ["cost_per_image", "image_prices", "image_output_token_rate"], why: "what an image costs" }],
  embedding: [{ anyOf: ["input_token_rate"], why: "USD per 1M input tokens" }],
  audio_transcription: [{ anyOf: ["cost_per_second", "input_token_rate"], why: "USD per second of audio, or per 1M tokens" }],
  audio_speech: [
    { anyOf: ["cost_per_1k_characters", "cost_per_second", "output_token_rate"], why: "USD per 1k characters, per second, or per 1M tokens" },
  ],
  video: [{ anyOf: ["cost_per_second", "cost_per_image"], why: "USD per second of video" }],
  rerank: [{ anyOf: ["cost_per_1k_queries", "input_token_rate"], why: "USD per 1k queries, or per 1M tokens" }],
  // Moderation is free at most providers: no price is required.
  moderation: [],
};

