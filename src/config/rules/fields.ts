import { diagnostic, type Diagnostic } from "../../domain/diagnostic.js";
import { fieldType } from "../../domain/resources.js";
import { MONEY_COLUMN, MONEY_TEXT } from "../../schema/fields.js";
import { sourceOf, type Rule } from "./types.js";

/**
 * Money exactly as written: a decimal in plain notation that its column holds
 * without rounding. Anything else (`1e-20`, `0.04000000001`, `12345678901.5`)
 * would fail at apply time or be rounded by PostgreSQL, so validate refuses it
 * at its line, naming the resource and the field.
 */
export const moneyFitsColumn: Rule = {
  name: "money-fits-column",
  needs: [],
  check({ desired }) {
    const out: Diagnostic[] = [];
    for (const r of desired.resources) {
      for (const [name, value] of Object.entries(r.fields)) {
        if (typeof value !== "string" || fieldType(r.kind, name) !== "decimal" || MONEY_TEXT.test(value)) continue;
        out.push(
          diagnostic(
            "error",
            "money.not-exact",
            `${name} of ${r.address} is ${value.slice(0, 40)}: a money value is written as a plain decimal with at most ` +
              `${MONEY_COLUMN.integerDigits} digits before and ${MONEY_COLUMN.fractionDigits} after the point (no exponent), so the database stores it exactly`,
            sourceOf(r, name),
          ),
        );
      }
    }
    return out;
  },
};
