import { UserError } from "../domain/diagnostic.js";
import { inert } from "../domain/inert.js";
import type { JsonValue } from "../domain/resources.js";
import { JSON_SAFE_INTEGER, STORABLE_TEXT } from "../schema/fields.js";

/** The seed's rule: API keys live only in the global singleton, never in account or user rows. */
export const API_KEY_FIELD = /api_?key/i;

/**
 * The value without any field whose name looks like an API key, at any depth,
 * and the paths that were removed (for the caller to log, never the values).
 */
export function stripApiKeys(value: JsonValue, path = ""): { value: JsonValue; stripped: string[] } {
  if (Array.isArray(value)) {
    const stripped: string[] = [];
    const items = value.map((item, i) => {
      const r = stripApiKeys(item, `${path}/${i}`);
      stripped.push(...r.stripped);
      return r.value;
    });
    return { value: items, stripped };
  }
  if (value !== null && typeof value === "object") {
    const stripped: string[] = [];
    const out: { [k: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) {
      if (API_KEY_FIELD.test(k)) {
        stripped.push(`${path}/${k}`);
        continue;
      }
      const r = stripApiKeys(v, `${path}/${k}`);
      stripped.push(...r.stripped);
      out[k] = r.value;
    }
    return { value: out, stripped };
  }
  return { value, stripped: [] };
}

/** Keys that would reach Object.prototype in a naive consumer (the YAML loader refuses them too). */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const MAX_DEPTH = 64;

/**
 * A fresh copy of `value` as JSON the database stores and reads back
 * unchanged, or a UserError naming the path of the first problem: keys that
 * could reach a prototype (`__proto__`, `constructor`, `prototype`),
 * numbers that are not finite or are integers beyond ±2^53, text with NUL or
 * an unpaired surrogate, values JSON cannot carry (functions, symbols,
 * bigints, class instances, cycles). The copy is what gets validated and
 * stored: nothing can change between the check and the write.
 */
export function jsonCopy(value: unknown, what: string): JsonValue {
  const fail = (path: string, why: string): never => {
    throw new UserError("runtime.invalid-json", `${what}${path ? ` at ${inert(path)}` : ""}: ${why}`);
  };
  const copy = (v: unknown, path: string, depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail(path, `nested deeper than ${MAX_DEPTH} levels`);
    if (v === null || typeof v === "boolean") return v as null | boolean;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) fail(path, "not a finite number (JSON has no NaN or Infinity)");
      if (Number.isInteger(v) && (v > JSON_SAFE_INTEGER.max || v < JSON_SAFE_INTEGER.min)) fail(path, "integer beyond ±2^53 cannot be read back exactly");
      return v;
    }
    if (typeof v === "string") {
      if (!STORABLE_TEXT.test(v)) fail(path, "text holds a NUL character or an unpaired surrogate");
      return v;
    }
    if (Array.isArray(v)) return v.map((item, i) => copy(item, `${path}/${i}`, depth + 1));
    if (typeof v === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
      const out: { [k: string]: JsonValue } = {};
      for (const k of Object.keys(v)) {
        if (FORBIDDEN_KEYS.has(k)) fail(`${path}/${k}`, `the key "${k}" is not allowed (it could alter object prototypes)`);
        if (!STORABLE_TEXT.test(k)) fail(path, "a key holds a NUL character or an unpaired surrogate");
        const item = (v as Record<string, unknown>)[k];
        if (item === undefined) continue; // as JSON.stringify does
        out[k] = copy(item, `${path}/${k}`, depth + 1);
      }
      return out;
    }
    return fail(path, `${typeof v === "object" ? "an object that is not plain JSON" : `a ${typeof v}`} is not a JSON value`);
  };
  if (value === undefined) fail("", "no value (undefined is not JSON)");
  return copy(value, "", 0);
}
