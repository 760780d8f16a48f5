import { diagnostic, type Diagnostic } from "../../domain/diagnostic.js";
import type { IntegrationProvider } from "../../domain/resources.js";
import { at, docsOf } from "../documents.js";
import { checkModelParameters, checkModelReference } from "./integrations.js";
import { INTEGRATION_MODEL, OVERRIDE_FIELDS_BY_TYPE, type Rule } from "./types.js";
import { appendAll } from "../../domain/append.js";

/**
 * An account may override only an integration's model and parameters (the seed:
 * text integrations model/temperature/max_tokens, image ones model/size/quality/style),
 * and only with models the catalog serves; limits are the effective model's.
 */
export const accountOverrides: Rule = {
  name: "account-overrides",
  needs: ["ModelCatalog", "IntegrationSettings", "Account"],
  check({ docs, models }) {
    const out: Diagnostic[] = [];
    const globals = docsOf(docs, "IntegrationSettings")[0]?.data.providers ?? {};
    for (const doc of docsOf(docs, "Account")) {
      for (const [typeName, override] of Object.entries(doc.data.integrations ?? {})) {
        if (!override) continue;
        const type = typeName as IntegrationProvider;
        const where = `account ${doc.data.account}'s ${type} override`;
        const allowed = OVERRIDE_FIELDS_BY_TYPE[INTEGRATION_MODEL[type].modelType];
        for (const field of Object.keys(override)) {
          if (!allowed.includes(field)) {
            out.push(
              diagnostic(
                "error",
                "account.override-field",
                `\`${field}\` cannot be overridden for ${type} (allowed: ${allowed.join(", ")})`,
                at(doc, ["integrations", type, field], "key"),
              ),
            );
          }
        }
        if (override.model !== undefined) {
          appendAll(out, checkModelReference(override.model, type, models, where, at(doc, ["integrations", type, "model"])));
        }
        const effectiveModel = override.model ?? (globals[type] as { model?: string } | undefined)?.model;
        out.push(
          ...checkModelParameters(override, effectiveModel ? models.get(effectiveModel) : undefined, where, (f) =>
            at(doc, ["integrations", type, f]),
          ),
        );
      }
    }
    return out;
  },
};
