import { INTEGRATION_MODEL, INTEGRATION_PROVIDERS, OVERRIDE_FIELDS, PROVIDER_PARAMS, type IntegrationProvider } from "./resources.js";

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

export function isIntegrationType(type: string): type is IntegrationProvider {
  return (INTEGRATION_PROVIDERS as readonly string[]).includes(type);
}

/** The override fields an integration type accepts, in display order. */
export function overrideFieldsOf(type: IntegrationProvider): string[] {
  return INTEGRATION_MODEL[type].modelType === "text" ? ["model", "temperature", "max_tokens"] : ["model", "size", "quality", "style"];
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

/** The (integration type, override field) pairs that can shadow a global field; [] for a universal one. */
export function shadowsOf(globalField: string): { type: IntegrationProvider; field: string }[] {
  const out: { type: IntegrationProvider; field: string }[] = [];
  for (const type of INTEGRATION_PROVIDERS) {
    for (const field of overrideFieldsOf(type)) if (globalBaseOf(type, field) === globalField) out.push({ type, field });
  }
  return out;
}
