import { diagnostic, type Diagnostic } from "../../domain/diagnostic.js";
import { fieldsOfType, fieldType } from "../../domain/resources.js";
import { MONEY_COLUMN, MONEY_TEXT, jsonValueProblem } from "../../schema/fields.js";
import { inert } from "../../domain/inert.js";
import { LIST_PRICE_MONEY } from "../../schema/prices.js";
import { sourceOf, type Rule } from "./types.js";

/**
 * Money exactly as written: a decimal in plain notation that its column holds
 * without rounding. Anything else (`1e-20`, `0.04000000001`, `12345678901.5`)
 * would fail at apply time or be rounded by PostgreSQL, so validate refuses it
 * at its line, naming the resource and the field.
 */
/** What a money value must be, for messages. */
export const MONEY_RULE =
  `a money value is written as a plain decimal with at most ${MONEY_COLUMN.integerDigits} digits before and ` +
  `${MONEY_COLUMN.fractionDigits} after the point (no exponent), so the database stores it exactly`;

export const moneyFitsColumn: Rule = {
  name: "money-fits-column",
  needs: [],
  alone: true,
  check({ desired }) {
    const out: Diagnostic[] = [];
    const refuse = (r: (typeof desired.resources)[number], field: string, name: string, value: string) =>
      out.push(
        diagnostic(
          "error",
          "money.not-exact",
          `${name} of ${r.address} is ${value.slice(0, 40)}: ${MONEY_RULE}`,
          sourceOf(r, field),
        ),
      );
    for (const r of desired.resources) {
      for (const name of fieldsOfType(r.kind, "decimal")) {
        const value = r.fields[name];
        if (typeof value === "string" && !MONEY_TEXT.test(value)) refuse(r, name, name, value);
      }
      if (r.kind !== "model") continue;
      // List prices (context tiers, image prices): every money entry by the same rule.
      for (const [field, keys] of Object.entries(LIST_PRICE_MONEY)) {
        const list = r.fields[field];
        if (!Array.isArray(list)) continue;
        for (const entry of list) {
          for (const key of keys) {
            const value = (entry as Record<string, unknown> | null)?.[key];
            if (typeof value === "string" && !MONEY_TEXT.test(value)) refuse(r, field, `${key} in ${field}`, value);
          }
        }
      }
    }
    return out;
  },
};

/**
 * JSON values (account settings, settings schemas) the databases store and
 * read back unchanged, by the same declaration the store and the runtime use
 * (jsonValueProblem): a value that would not round-trip is refused here, at
 * its line, rather than re-applied forever.
 */
export const jsonValuesStorable: Rule = {
  name: "json-values-storable",
  needs: [],
  alone: true,
  check({ desired }) {
    const out: Diagnostic[] = [];
    for (const r of desired.resources) {
      const fields = r.fields;
      for (const name in fields) {
        if (fieldType(r.kind, name) !== "json") continue;
        const problem = jsonValueProblem(fields[name]);
        if (!problem) continue;
        const where = problem.path ? ` at ${inert(problem.path)}` : "";
        out.push(diagnostic("error", "json.not-storable", `${name} of ${r.address}${where}: ${problem.why}`, sourceOf(r, name)));
      }
    }
    return out;
  },
};
