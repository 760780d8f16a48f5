import { z } from "zod";
import { INT32, MONEY_TEXT, PRINTABLE, SLUG, SNAKE_CASE, STORABLE } from "./fields.js";

/*
 * The field rules of schema/fields.ts as zod schemas, for the document
 * schemas built from them. Only the modules that build schemas import this
 * one (and so zod): the `schema` command, the build, the runtime library.
 */

/** A money amount: a YAML number (read from its source text by the loader) or a decimal string. */
export const money = z
  .union([z.number().min(0), z.string().regex(MONEY_TEXT, "a decimal such as 0.040 (at most 10 digits before and 10 after the point)")])
  .describe("Decimal amount in USD (number or string)");

/** An integer that fits a 32-bit column, within `min`/`max` when given. */
export function int32(bounds: { min?: number; max?: number } = {}) {
  return z.int().min(Math.max(bounds.min ?? INT32.min, INT32.min)).max(Math.min(bounds.max ?? INT32.max, INT32.max));
}

/** A non-empty printable name of at most `max` characters (ids, slugs, display names, keys). */
export function printableName(max: number) {
  return z.string().min(1).max(max).regex(PRINTABLE.pattern, PRINTABLE.meaning);
}

/** Free text of at most `max` characters that any database can store (notes). */
export function storableText(max: number) {
  return z.string().max(max).regex(STORABLE.pattern, STORABLE.meaning);
}

/** A snake_case name of at most `max` characters (see IDENTIFIER). */
export function identifier(max: number) {
  return z.string().min(1).max(max).regex(SNAKE_CASE.pattern, SNAKE_CASE.meaning);
}

/** A slug of at most `max` characters (see SLUG_TEXT). */
export function slug(max = 100) {
  return printableName(max).regex(SLUG.pattern, SLUG.meaning);
}
