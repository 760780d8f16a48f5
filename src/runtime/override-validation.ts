import { UserError } from "../domain/diagnostic.js";
import { inert } from "../domain/inert.js";
import { INTEGRATION_PROVIDERS, type JsonValue, type Resource } from "../domain/resources.js";
import { didYouMean } from "../domain/suggest.js";
import { integrationTarget, isIntegrationType, overrideFieldsForModelType } from "../domain/inheritance.js";
import { integrationOverrideSchema } from "../schema/documents.js";
import { jsonCopy, stripApiKeys } from "./sanitize.js";

/*
 * The seed's Integration Override Pattern: API key fields are stripped
 * silently (security), only the override fields of the integration type are
 * saved, anything else is refused with a message naming it.
 */

export interface CatalogModel {
  model_id: string;
  model_type: string;
  provider: string;
  is_active: boolean;
  available_sizes: unknown;
  max_output_tokens?: number | null;
}

/** A field's problem by the same declaration validate uses for account files (src/schema). */
function fieldProblem(name: string, v: JsonValue): string | null {
  const rule = integrationOverrideSchema.shape[name as keyof typeof integrationOverrideSchema.shape];
  const result = rule.safeParse(v);
  return result.success ? null : `is invalid: ${result.error.issues.map((i) => i.message).join("; ")}`;
}

/** What an integration type serves: one of the seed's five, or a type declared in config (live rows handed in). */
export function requireIntegrationType(type: string, declared: readonly Resource[] = []): { modelType: string; provider: string } {
  const target = integrationTarget(type, declared);
  if (target) return target;
  const known = [...INTEGRATION_PROVIDERS, ...declared.map((r) => r.key.integration_type ?? "").filter((t) => t && !isIntegrationType(t))];
  throw new UserError("override.unknown-integration", `unknown integration type ${inert(JSON.stringify(type))}${didYouMean(type, known)}`, {
    suggestions: [`integration types: ${known.join(", ")}`],
  });
}

/**
 * The config to save: API keys stripped, every field allowed and well-typed,
 * a model that exists, is active and fits the integration, a size the
 * effective model offers. `catalog` and `globalModel` are the live values.
 */
export function cleanOverrideConfig(
  type: string,
  want: { modelType: string; provider: string },
  config: unknown,
  catalog: ReadonlyMap<string, CatalogModel>,
  globalModel: string | null,
): Record<string, JsonValue> {
  const json = config === null || config === undefined ? null : jsonCopy(config, `the ${type} override`, "override.invalid");
  if (json === null || json === undefined || typeof json !== "object" || Array.isArray(json)) {
    throw new UserError("override.invalid", `the ${type} override must be an object of override fields`);
  }
  const { value } = stripApiKeys(json);
  const fields = value as Record<string, JsonValue>;
  const allowed = overrideFieldsForModelType(want.modelType);
  const problems: string[] = [];
  for (const [name, v] of Object.entries(fields)) {
    if (!allowed.includes(name)) {
      problems.push(`${inert(name)} is not an override field of ${type} (allowed: ${allowed.join(", ")})${didYouMean(name, allowed)}`);
      continue;
    }
    const problem = fieldProblem(name, v);
    if (problem) problems.push(`${name} ${problem}`);
  }
  if (!problems.length && typeof fields.model === "string") {
    const model = catalog.get(fields.model);
    if (!model) problems.push(`model ${fields.model} is not in the catalog${didYouMean(fields.model, catalog.keys())}`);
    else if (!model.is_active) problems.push(`model ${fields.model} is inactive`);
    else if (model.model_type !== want.modelType || model.provider !== want.provider) {
      problems.push(`model ${fields.model} (${model.provider}, ${model.model_type}) does not fit ${type}, which takes ${want.provider} ${want.modelType} models`);
    }
  }
  // The same limit validate checks for account files (rule integration.max-tokens).
  if (!problems.length && typeof fields.max_tokens === "number") {
    const modelId = typeof fields.model === "string" ? fields.model : globalModel;
    const limit = modelId ? catalog.get(modelId)?.max_output_tokens : undefined;
    if (typeof limit === "number" && fields.max_tokens > limit) problems.push(`max_tokens ${fields.max_tokens} exceeds ${modelId}'s max_output_tokens ${limit}`);
  }
  if (!problems.length && typeof fields.size === "string") {
    const modelId = typeof fields.model === "string" ? fields.model : globalModel;
    const sizes = modelId ? catalog.get(modelId)?.available_sizes : undefined;
    if (Array.isArray(sizes) && !sizes.includes(fields.size)) {
      problems.push(`size ${fields.size} is not offered by ${modelId} (${sizes.join(", ")})`);
    }
  }
  if (problems.length) {
    throw new UserError("override.invalid", `invalid ${type} override: ${problems.join("; ")}`);
  }
  return fields;
}
