/*
 * Field rules: the one declaration of what a value may be, shared by the
 * document schemas (validate), the store (what a column can hold) and the
 * runtime (what the platform may save). A constraint written here is the
 * column's constraint too (prisma/models.prisma); a test keeps them equal.
 * Plain values, no zod: the CLI reads them on every run, and zod is loaded
 * only where schemas are built (schema/field-schemas.ts and the modules that
 * use it).
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

/**
 * The text patterns of these rules with what each asks for, in words: zod's
 * message (schema/field-schemas.ts) and validate's (PATTERN_MEANING) are this
 * one text.
 */
export const PRINTABLE = { pattern: PRINTABLE_NAME, meaning: "printable text without control characters (no newline, tab or escape)" } as const;
export const STORABLE = { pattern: STORABLE_TEXT, meaning: "text without NUL characters or unpaired surrogates" } as const;

/**
 * A name the platform stores and logs as a key (credit operations, settings
 * keys): snake_case, so printable and storable by its pattern alone.
 */
export const IDENTIFIER = /^[a-z][a-z0-9_]*$/;
export const SNAKE_CASE = { pattern: IDENTIFIER, meaning: "lowercase letters, digits and '_', starting with a letter" } as const;
export const SLUG = { pattern: SLUG_TEXT, meaning: "lowercase letters, digits, '.', '_' or '-'" } as const;

/**
 * What each text pattern of these rules asks for, by the pattern's source (as
 * the JSON Schemas carry it): validate names the rule a value breaks, not the
 * field's description.
 */
export const PATTERN_MEANING: ReadonlyMap<string, string> = new Map([PRINTABLE, STORABLE, SNAKE_CASE, SLUG].map((r) => [r.pattern.source, r.meaning]));

/** Keys that would reach Object.prototype in a naive consumer. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
/** Deeper than any settings value; also stops cycles. */
export const MAX_JSON_DEPTH = 64;

/**
 * A JSON value that is a bare number is stored by SQLite (its JSON columns
 * have NUMERIC affinity) as a REAL, converted from text by SQLite's own
 * parser, which reads numbers below about 1e-84 one unit off in the last
 * digit (`-2.649987100924019e-141` comes back `...0185e-141`). Measured with
 * SQLite 3.49 (better-sqlite3 11): 600k random numbers of 1-17 digits, every
 * failure below 1e-84, none above. A number inside an array or object is
 * stored as JSON text and keeps every digit.
 */
export const BARE_NUMBER_MIN_MAGNITUDE = 1e-80;

/**
 * The first reason a JSON value cannot be stored and read back unchanged
 * (`path` like `/rules/0/trigger`), or undefined: numbers finite and integers
 * within ±2^53, text storable, keys that cannot reach a prototype, plain
 * objects and arrays only.
 */
export function jsonValueProblem(value: unknown, path = "", depth = 0): { path: string; why: string } | undefined {
  if (depth > MAX_JSON_DEPTH) return { path, why: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  if (value === null || typeof value === "boolean") return undefined;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { path, why: "not a finite number (JSON has no NaN or Infinity)" };
    if (Number.isInteger(value) && (value > JSON_SAFE_INTEGER.max || value < JSON_SAFE_INTEGER.min)) {
      return { path, why: "integer beyond ±2^53 cannot be read back exactly" };
    }
    if (depth === 0 && value !== 0 && Math.abs(value) < BARE_NUMBER_MIN_MAGNITUDE) {
      return { path, why: `a number standing alone smaller than ${BARE_NUMBER_MIN_MAGNITUDE} is not read back exactly by SQLite: write 0, put it in a list, or write it as a string` };
    }
    return undefined;
  }
  if (typeof value === "string") return STORABLE_TEXT.test(value) ? undefined : { path, why: "text holds a NUL character or an unpaired surrogate" };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = jsonValueProblem(value[i], `${path}/${i}`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value === "object" && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    for (const k of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(k)) return { path: `${path}/${k}`, why: `the key "${k}" is not allowed (it could alter object prototypes)` };
      if (!STORABLE_TEXT.test(k)) return { path, why: "a key holds a NUL character or an unpaired surrogate" };
      const item = (value as Record<string, unknown>)[k];
      if (item === undefined) return { path: `${path}/${k}`, why: "undefined is not a JSON value" };
      const problem = jsonValueProblem(item, `${path}/${k}`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  return { path, why: `a ${typeof value === "object" ? "non-plain object" : typeof value} is not a JSON value` };
}
