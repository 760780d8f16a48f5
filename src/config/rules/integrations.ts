import { diagnostic, type Diagnostic, type SourceRef } from "../../domain/diagnostic.js";
import { dec } from "../../domain/money.js";
import { integrationTarget } from "../../domain/inheritance.js";
import type { IntegrationProvider, Resource } from "../../domain/resources.js";
import { INTEGRATION_TYPE_NAME } from "../../schema/document-kinds.js";
import { at, docsOf } from "../documents.js";
import { closest } from "../../domain/suggest.js";
import { num, type Rule } from "./types.js";
import { appendAll } from "../../domain/append.js";

/** The integration that serves each `default_image_service`. */
const IMAGE_SERVICE_INTEGRATION: Record<string, IntegrationProvider> = { openai: "dalle", runware: "runware", bria: "bria" };

/**
 * A model named by an integration (global default or account override) must be
 * in the catalog, active, and of the integration's type and provider.
 */
export function checkModelReference(
  modelId: string,
  want: { modelType: string; provider: string },
  models: Map<string, Resource>,
  where: string,
  pos: SourceRef,
): Diagnostic[] {
  const model = models.get(modelId);
  if (!model) {
    const near = closest(modelId, models.keys());
    return [
      diagnostic(
        "error",
        "integration.unknown-model",
        `${where} uses model ${modelId}, which is not in the catalog${near ? `; did you mean \`${near}\`?` : `; add it to models/${want.provider}.yaml`}`,
        pos,
      ),
    ];
  }
  const out: Diagnostic[] = [];
  if (model.fields.is_active !== true) {
    out.push(diagnostic("error", "integration.inactive-model", `${where} uses model ${modelId}, which is inactive in the catalog`, pos));
  }
  if (model.fields.model_type !== want.modelType) {
    out.push(
      diagnostic("error", "integration.model-type", `${where} needs ${article(want.modelType)} ${want.modelType} model, but ${modelId} is ${article(String(model.fields.model_type))} ${String(model.fields.model_type)} model`, pos),
    );
  }
  if (model.fields.provider !== want.provider) {
    out.push(
      diagnostic("error", "integration.model-provider", `${where} needs ${article(want.provider)} ${want.provider} model, but ${modelId} is from ${String(model.fields.provider)}`, pos),
    );
  }
  return out;
}

/** Parameters that the model itself bounds: max_tokens <= its output limit, size among its sizes. */
export function checkModelParameters(
  params: { temperature?: number | string; max_tokens?: number; size?: string },
  model: Resource | undefined,
  where: string,
  posOf: (field: string) => SourceRef,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (params.temperature !== undefined && (dec(params.temperature).lt(0) || dec(params.temperature).gt(2))) {
    out.push(diagnostic("error", "integration.temperature", `temperature in ${where} must be between 0 and 2`, posOf("temperature")));
  }
  const limit = model ? num(model.fields.max_output_tokens) : null;
  if (params.max_tokens !== undefined && limit !== null && params.max_tokens > limit) {
    out.push(
      diagnostic(
        "error",
        "integration.max-tokens",
        `max_tokens ${params.max_tokens} in ${where} exceeds ${String(model!.key.model_id)}'s max_output_tokens ${limit}`,
        posOf("max_tokens"),
      ),
    );
  }
  const sizes = model?.fields.available_sizes;
  if (params.size !== undefined && Array.isArray(sizes) && !sizes.includes(params.size)) {
    out.push(
      diagnostic(
        "error",
        "integration.size",
        `size ${params.size} in ${where} is not one of ${String(model!.key.model_id)}'s sizes (${sizes.join(", ")})`,
        posOf("size"),
      ),
    );
  }
  return out;
}

/** The global defaults (SPEC §2.2) point at models the catalog can serve; declared types included. */
export const globalDefaults: Rule = {
  name: "global-defaults",
  needs: ["ModelCatalog", "IntegrationSettings"],
  check({ docs, models, desired }) {
    const out: Diagnostic[] = [];
    for (const doc of docsOf(docs, "IntegrationSettings")) {
      const providers = doc.data.providers as Record<string, { model: string; temperature?: number | string; max_tokens?: number; size?: string } | undefined>;
      for (const [type, settings] of Object.entries(providers)) {
        if (!settings) continue;
        const where = `the global ${type} settings`;
        if (!INTEGRATION_TYPE_NAME.test(type)) {
          out.push(diagnostic("error", "integration.type-name", `integration type ${type} must be a slug (lowercase letters, digits, '_' or '-')`, at(doc, ["providers", type], "key")));
          continue;
        }
        const want = integrationTarget(type, desired.resources);
        if (want) appendAll(out, checkModelReference(settings.model, want, models, where, at(doc, ["providers", type, "model"])));
        appendAll(out, checkModelParameters(settings, models.get(settings.model), where, (f) => at(doc, ["providers", type, f])));
      }
      // A default names an integration that is configured and serves the right model type.
      const defaults = [
        { field: "default_text_provider", value: doc.data.default_text_provider, modelType: "text" },
        { field: "default_image_service", value: doc.data.default_image_service, modelType: "image" },
      ] as const;
      for (const { field, value, modelType } of defaults) {
        if (value === undefined) continue;
        const integration = modelType === "image" ? (IMAGE_SERVICE_INTEGRATION[value] ?? value) : value;
        const target = providers[integration] ? integrationTarget(integration, desired.resources) : undefined;
        if (target && target.modelType === modelType) continue;
        const via = integration === value ? "" : ` (integration ${integration})`;
        out.push(
          diagnostic(
            "error",
            "integration.default-provider",
            target
              ? `${field} is ${value}${via}, which serves ${target.modelType} models, not ${modelType}`
              : `${field} is ${value}, but providers.${integration} is not configured`,
            at(doc, [field]),
          ),
        );
      }
    }
    return out;
  },
};

const article = (word: string) => (/^[aeiou]/i.test(word) ? "an" : "a");
