import { diagnostic, type Diagnostic } from "../../domain/diagnostic.js";
import { at, docsOf } from "../documents.js";
import type { Rule } from "./types.js";

/** One rule per operation; token operations need a rate, image operations a credit count. */
export const creditOperations: Rule = {
  name: "credit-operations",
  needs: ["CreditCosts"],
  check({ docs }) {
    const out: Diagnostic[] = [];
    const first = new Map<string, string>();
    for (const doc of docsOf(docs, "CreditCosts")) {
      doc.data.operations.forEach((op, i) => {
        const pos = at(doc, ["operations", i, "operation_type"]);
        const prev = first.get(op.operation_type);
        if (prev) out.push(diagnostic("error", "credits.duplicate", `operation ${op.operation_type} is declared twice (first at ${prev})`, pos));
        else first.set(op.operation_type, `${pos.file}:${pos.line}`);
        if (op.unit === "tokens" && op.tokens_per_credit === undefined) {
          out.push(
            diagnostic("error", "credits.tokens-per-credit", `operation ${op.operation_type} is billed per tokens and needs \`tokens_per_credit\``, at(doc, ["operations", i])),
          );
        }
        if (op.unit === "image" && op.credits === undefined) {
          out.push(
            diagnostic("error", "credits.credits", `operation ${op.operation_type} is billed per image and needs \`credits\` (credits per image)`, at(doc, ["operations", i])),
          );
        }
      });
    }
    return out;
  },
};
