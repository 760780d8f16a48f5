import { z } from "zod";
import { SCALAR_PRICES } from "./prices.js";

/*
 * Scheduled prices (issue #14): a model or a credit rule may announce new
 * values of its price and limit fields for a date. An entry is the resource's
 * own field declarations, picked (one declaration per rule: the same money,
 * integer and list rules hold in an entry), plus the instant it takes effect.
 */

/** The fields a scheduled entry may set, by resource kind: prices and limits, never identity or activity. */
export const SCHEDULED_FIELDS = {
  model: [...SCALAR_PRICES.map((p) => p.field), "context_tiers", "image_prices", "max_input_tokens", "max_output_tokens"],
  credit: ["credits", "tokens_per_credit", "min_credits", "price_per_credit_usd"],
} as const satisfies Record<string, readonly string[]>;

/** At most this many entries per resource: a price list, not a time series. */
export const MAX_SCHEDULED_ENTRIES = 50;

/** An instant with its zone (2027-01-01T00:00:00Z, 2027-01-01T01:00:00+01:00): zod's pattern knows month lengths. */
export const effectiveFrom = z.iso
  .datetime({ offset: true, message: "a timestamp with a zone such as 2027-01-01T00:00:00Z" })
  .describe("a timestamp with a zone such as 2027-01-01T00:00:00Z");

/**
 * The `scheduled:` list of a resource whose document schema is `resource`:
 * entries in ascending effective_from, each setting some of `fields`.
 */
export function scheduledEntries<S extends z.ZodObject, F extends readonly (keyof S["shape"] & string)[]>(resource: S, fields: F) {
  const mask = Object.fromEntries(fields.map((f) => [f, true])) as Record<string, true>;
  const picked = resource.pick(mask as never) as unknown as z.ZodObject<Pick<S["shape"], F[number]>, z.core.$strict>;
  const entry = z
    .strictObject({ effective_from: effectiveFrom })
    .extend(picked.partial().shape)
    .describe("Values of the resource's fields from effective_from on (field by field, the latest entry due wins)");
  return z
    .array(entry)
    .min(1)
    .max(MAX_SCHEDULED_ENTRIES)
    .describe("Price and limit changes announced for a date, in ascending effective_from; plan lists them, apply and sync apply each once due");
}
