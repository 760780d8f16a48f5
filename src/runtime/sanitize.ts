import { UserError } from "../domain/diagnostic.js";
import { inert } from "../domain/inert.js";
import type { JsonValue } from "../domain/resources.js";
import { appendAll } from "../domain/append.js";
import { jsonValueProblem } from "../schema/fields.js";

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

/**
 * A fresh copy of `value` as JSON the database stores and reads back
 * unchanged, or a UserError naming the path of the first problem (see
 * jsonValueProblem: prototype keys, non-finite numbers, unsafe integers,
 * unstorable text, values JSON cannot carry). The copy is what gets
 * validated and stored: nothing can change between the check and the write.
 */
export function jsonCopy(value: unknown, what: string, code: "settings.not-json" | "override.invalid"): JsonValue {
  const problem = jsonValueProblem(value);
  if (problem) throw new UserError(code, `${what}${problem.path ? ` at ${inert(problem.path)}` : ""}: ${problem.why}`);
  // Checked above: plain data without prototype keys, so JSON's own copy is exact and safe.
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
