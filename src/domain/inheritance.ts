import { INTEGRATION_MODEL, INTEGRATION_PROVIDERS, OVERRIDE_FIELDS, PROVIDER_PARAMS, type IntegrationProvider, type Resource } from "./resources.js";

/*
 * How an account's integration override relates to the global singleton (the
 * seed's Integration Override Pattern): `integration_settings.config.<field>`
 * of type T shadows the global column `<T>_<field>` (openai.model shadows
 * openai_model). Image integrations' quality and style shadow the universal
 * image_quality / image_style. Pure data, shared by the effective-config merge
 * and the blast radius so both agree on what inherits what.
 */

export { INTEGRATION_MODEL } from "./resources.js";

export const OVERRIDE_FIELD_NAMES: readonly string[] = OVERRIDE_FIELDS.map((f) => f.name);

/** The global settings that belong to no one provider (some are shadowed by image overrides, see globalBaseOf). */
export const GENERAL_FIELDS = [
  "default_text_provider",
  "default_image_service",
  "image_quality",
  "image_style",
  "max_in_article_images",
  "desktop_image_size",
] as const;

/** One of the seed's five integration types (settings in the singleton's columns); any other is declared in config (issue #10). */
export function isIntegrationType(type: string): type is IntegrationProvider {
  return (INTEGRATION_PROVIDERS as readonly string[]).includes(type);
}

/** What an integration type serves: the seed's five from INTEGRATION_MODEL, a declared one from its resource. */
export function integrationTarget(type: string, resources: readonly Resource[]): { modelType: string; provider: string } | undefined {
  if (isIntegrationType(type)) return INTEGRATION_MODEL[type];
  const declared = declaredIntegration(type, resources);
  if (!declared || typeof declared.fields.provider !== "string") return undefined;
  return { modelType: typeof declared.fields.model_type === "string" ? declared.fields.model_type : "text", provider: declared.fields.provider };
}

/** The resource of a declared integration type (kind integration-type), if any. */
export function declaredIntegration(type: string, resources: readonly Resource[]): Resource | undefined {
  return resources.find((r) => r.kind === "integration-type" && r.key.integration_type === type);
}

/** The override fields an integration serving `modelType` accepts, in display order (the seed: text and image). */
export function overrideFieldsForModelType(modelType: string): string[] {
  if (modelType === "text" || modelType === "realtime") return ["model", "temperature", "max_tokens"];
  if (modelType === "image") return ["model", "size", "quality", "style"];
  return ["model"];
}

/** The override fields an integration type accepts, in display order. */
export function overrideFieldsOf(type: IntegrationProvider): string[] {
  return overrideFieldsForModelType(INTEGRATION_MODEL[type].modelType);
}

/** The global field an override field falls back to; undefined when it has no global base. */
export function globalBaseOf(type: string, field: string): string | undefined {
  if (!isIntegrationType(type)) return undefined;
  if (PROVIDER_PARAMS[type].some((p) => p.name === field)) return `${type}_${field}`;
  if (INTEGRATION_MODEL[type].modelType === "image") {
    if (field === "quality") return "image_quality";
    if (field === "style") return "image_style";
  }
  return undefined;
}

/**
 * What a declared integration type's override field falls back to: its own
 * row's field ("own": model, temperature, max_tokens, size) or, for an image
 * integration's quality and style, the universal global field.
 */
export function declaredBaseOf(declared: Resource, field: string): "own" | "image_quality" | "image_style" | undefined {
  if (["model", "temperature", "max_tokens", "size"].includes(field)) return "own";
  if (declared.fields.model_type === "image") {
    if (field === "quality") return "image_quality";
    if (field === "style") return "image_style";
  }
  return undefined;
}

/** The (integration type, override field) pairs that can shadow a global field; [] for a universal one. */
export function shadowsOf(globalField: string): { type: IntegrationProvider; field: string }[] {
  const out: { type: IntegrationProvider; field: string }[] = [];
  for (const type of INTEGRATION_PROVIDERS) {
    for (const field of overrideFieldsOf(type)) if (globalBaseOf(type, field) === globalField) out.push({ type, field });
  }
  return out;
}
