import type { JsonValue } from "../domain/resources.js";
import { appendAll } from "../domain/append.js";

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
      appendAll(stripped, r.stripped);
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
      appendAll(stripped, r.stripped);
      out[k] = r.value;
    }
    return { value: out, stripped };
  }
  return { value, stripped: [] };
}

/** Values that JSON cannot carry (undefined, functions, NaN, cycles) are refused before they reach a JSON column. */
export function asJsonValue(value: unknown): JsonValue | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as JsonValue);
  } catch {
    return undefined;
  }
}
