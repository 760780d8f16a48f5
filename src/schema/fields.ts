import { z } from "zod";

/*
 * Field rules: the one declaration of what a value may be, shared by the
 * document schemas (validate), the store (what a column can hold) and the
 * runtime (what the platform may save). A constraint written here is the
 * column's constraint too (prisma/models.prisma); a test keeps them equal.
 */

/** Money columns are NUMERIC(20, 10) on PostgreSQL: at most 10 digits before the point and 10 after. */
export const MONEY_COLUMN = { integerDigits: 10, fractionDigits: 10 } as const;

/** A money amount as written: plain decimal notation, no sign, no exponent, no hex/octal/underscores. */
export const MONEY_TEXT = new RegExp(`^\\d{1,${MONEY_COLUMN.integerDigits}}(\\.\\d{1,${MONEY_COLUMN.fractionDigits}})?$`);

/** Integer columns are 32-bit on both databases (PostgreSQL `integer`). */
export const INT32 = { min: -2_147_483_648, max: 2_147_483_647 } as const;

/** JSON numbers the platform can read back exactly. */
export const JSON_SAFE_INTEGER = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER } as const;

/**
 * No NUL (PostgreSQL text cannot hold it) and no lone UTF-16 surrogate (not
 * valid UTF-8: SQLite stores a replacement, PostgreSQL refuses it).
 */
export const STORABLE_TEXT = /^[^\u0000\p{Cs}]*$/u;

/**
 * Names a reader sees in a terminal, a log or a workflow command (ids, slugs,
 * display names, keys): storable, and no control characters (C0, DEL, C1:
 * newline, ESC, ...) that could forge a line or drive a terminal.
 */
export const PRINTABLE_NAME = /^[^\p{Cc}\p{Cs}]*$/u;

/**
 * Slugs (account slugs, provider names): lowercase letters, digits, '.', '_'
 * and '-', starting with a letter or digit. A slug is also a file name under
 * config/ (accounts/<slug>.yaml): it can hold no '/' and never be `..`.
 */
export const SLUG_TEXT = /^[a-z0-9][a-z0-9._-]*$/;

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
  return z.string().min(1).max(max).regex(PRINTABLE_NAME, "printable text without control characters");
}

/** Free text of at most `max` characters that any database can store (notes). */
export function storableText(max: number) {
  return z.string().max(max).regex(STORABLE_TEXT, "text without NUL characters or unpaired surrogates");
}

/** A slug of at most `max` characters (see SLUG_TEXT). */
export function slug(max = 100) {
  return printableName(max).regex(SLUG_TEXT, "lowercase letters, digits, '.', '_' or '-'");
}
