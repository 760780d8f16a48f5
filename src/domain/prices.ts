import { MONEY_COLUMN } from "../schema/fields.js";
import { SCALAR_PRICES, TIER_RATES, type PriceUnit } from "../schema/prices.js";
import { dec, type Dec } from "./money.js";
import type { FieldValue, Resource } from "./resources.js";

/*
 * Every price a catalog model carries, flattened: the scalar columns, each
 * long-context tier's rates and each image size x quality. One walk shared by
 * the price ceilings (policy), the margin engine and the catalog comparison.
 */

export interface ModelPrice {
  /** The model field that holds it (for source positions): `output_token_rate`, `context_tiers`, `image_prices`. */
  field: string;
  /** What the price is, as the plan names it: `output_token_rate`, `context_tiers[>200000].output_token_rate`, `image_prices[1024x1792 hd]`. */
  dimension: string;
  unit: PriceUnit;
  amount: Dec;
}

const decimalOf = (v: FieldValue | undefined): Dec | null => (typeof v === "string" || typeof v === "number" ? dec(v) : null);
const objects = (v: FieldValue | undefined): Record<string, FieldValue>[] =>
  Array.isArray(v) ? (v as unknown[]).filter((x): x is Record<string, FieldValue> => typeof x === "object" && x !== null && !Array.isArray(x)) : [];

export const tierDimension = (above: FieldValue | undefined, rate: string) => `context_tiers[>${String(above)}].${rate}`;
export const imageDimension = (size: FieldValue | undefined, quality: FieldValue | undefined) => `image_prices[${String(size)} ${String(quality)}]`;

export function modelPrices(model: Resource): ModelPrice[] {
  const out: ModelPrice[] = [];
  for (const p of SCALAR_PRICES) {
    const amount = decimalOf(model.fields[p.field]);
    if (amount) out.push({ field: p.field, dimension: p.field, unit: p.unit, amount });
  }
  for (const tier of objects(model.fields.context_tiers)) {
    for (const rate of TIER_RATES) {
      const amount = decimalOf(tier[rate]);
      if (amount) out.push({ field: "context_tiers", dimension: tierDimension(tier.above_input_tokens, rate), unit: "per_1m_tokens", amount });
    }
  }
  for (const price of objects(model.fields.image_prices)) {
    const amount = decimalOf(price.cost_per_image);
    if (amount) out.push({ field: "image_prices", dimension: imageDimension(price.size, price.quality), unit: "per_image", amount });
  }
  return out;
}

/** A cost the margin engine can bill against, and the dimension it comes from. */
export interface CostCandidate {
  dimension: string;
  cost: Dec;
}

/**
 * Every model field costCandidates reads (besides the price fields it walks
 * through modelPrices, these are the ones that pick among them): a margin can
 * only move when one of these, or is_active, does (plan/impact/margins.ts).
 */
export const COST_INPUT_FIELDS = [
  "model_type",
  "output_token_rate",
  "batch_output_token_rate",
  "context_tiers",
  "cost_per_image",
  "image_prices",
  "available_sizes",
] as const;

/**
 * The prices one unit of an operation can cost on a model:
 * - per image: cost_per_image and every image_prices entry of a size the model
 *   offers (all of them when it lists no sizes);
 * - per 1M tokens (output, the conservative side): output_token_rate, the
 *   batch output rate and every long-context tier's output rate.
 */
export function costCandidates(model: Resource, unit: "image" | "tokens"): CostCandidate[] {
  const type = model.fields.model_type;
  // The type first: the margin engine asks every model for both units, and only one can apply.
  if (type !== (unit === "image" ? "image" : "text")) return [];
  const prices = modelPrices(model);
  if (unit === "image") {
    const sizes = Array.isArray(model.fields.available_sizes) ? (model.fields.available_sizes as FieldValue[]) : null;
    const offered = new Set(
      objects(model.fields.image_prices)
        .filter((p) => sizes === null || sizes.includes(p.size ?? null))
        .map((p) => imageDimension(p.size, p.quality)),
    );
    return prices
      .filter((p) => p.dimension === "cost_per_image" || (p.field === "image_prices" && offered.has(p.dimension)))
      .map((p) => ({ dimension: p.dimension, cost: p.amount }));
  }
  return prices
    .filter(
      (p) =>
        p.dimension === "output_token_rate" ||
        p.dimension === "batch_output_token_rate" ||
        (p.field === "context_tiers" && p.dimension.endsWith(".output_token_rate")),
    )
    .map((p) => ({ dimension: p.dimension, cost: p.amount }));
}

/** The cheapest and the dearest candidate (first declared wins a tie); null when there is none. */
export function costRange(candidates: readonly CostCandidate[]): { cheapest: CostCandidate; worst: CostCandidate } | null {
  if (candidates.length === 0) return null;
  let cheapest = candidates[0]!;
  let worst = candidates[0]!;
  for (const c of candidates) {
    if (c.cost.lt(cheapest.cost)) cheapest = c;
    if (c.cost.gt(worst.cost)) worst = c;
  }
  return { cheapest, worst };
}

/** A price converted from a reference's number text into a money column's unit and scale. */
export interface ConvertedPrice {
  /** Canonical decimal string that fits the column. */
  value: string;
  /** The exact product before rounding to the column's scale (equal to `value` unless rounded). */
  exact: string;
  /** The source had more digits than the column keeps (float noise such as 2.9999900000000002e-06). */
  rounded: boolean;
}

/**
 * `text` x `factor`, computed on the decimal digits of `text` (never through a
 * binary float) and rounded half-even to the column's fraction digits. Null
 * when the value is negative or too large for the column.
 */
export function convertPrice(text: string, factor: number | string, column = MONEY_COLUMN): ConvertedPrice | null {
  if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text.trim())) return null;
  const exact = dec(text.trim()).times(dec(factor));
  if (exact.isNeg() || exact.abs().gte(dec(10).pow(column.integerDigits))) return null;
  const value = exact.toDecimalPlaces(column.fractionDigits).toFixed();
  const exactText = exact.toFixed();
  return { value: dec(value).toFixed(), exact: exactText, rounded: !exact.eq(dec(value)) };
}
