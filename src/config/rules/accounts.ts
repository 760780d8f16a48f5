import { diagnostic, type Diagnostic } from "../../domain/diagnostic.js";
import { integrationTarget, isIntegrationType, overrideFieldsForModelType } from "../../domain/inheritance.js";
import { INTEGRATION_PROVIDERS } from "../../domain/resources.js";
import { at, docsOf } from "../documents.js";
import { didYouMean } from "../../domain/suggest.js";
import { checkModelParameters, checkModelReference } from "./integrations.js";
import type { Rule } from "./types.js";
import { appendAll } from "../../domain/append.js";

/**
 * An account may override only an integration's model and parameters (the seed:
 * text integrations model/temperature/max_tokens, image ones model/size/quality/style),
 * and only with models the catalog serves; limits are the effective model's.
 */
export const accountOverrides: Rule = {
  name: "account-overrides",
  needs: ["ModelCatalog", "IntegrationSettings", "Account"],
  check({ docs, models, desired }) {
    const out: Diagnostic[] = [];
    const globals = (docsOf(docs, "IntegrationSettings")[0]?.data.providers ?? {}) as Record<string, { model?: string } | undefined>;
    for (const doc of docsOf(docs, "Account")) {
      for (const [type, override] of Object.entries(doc.data.integrations ?? {})) {
        if (!override) continue;
        const where = `account ${doc.data.account}'s ${type} override`;
        const target = integrationTarget(type, desired.resources);
        if (!target) {
          const known = [...INTEGRATION_PROVIDERS, ...Object.keys(globals).filter((t) => !isIntegrationType(t))];
          out.push(
            diagnostic(
              "error",
              "account.unknown-integration",
              `${type} is not an integration type${didYouMean(type, known)}; declare it under providers in integrations.yaml`,
              at(doc, ["integrations", type], "key"),
            ),
          );
          continue;
        }
        const allowed = overrideFieldsForModelType(target.modelType);
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
          appendAll(out, checkModelReference(override.model, target, models, where, at(doc, ["integrations", type, "model"])));
        }
        const effectiveModel = override.model ?? globals[type]?.model;
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
