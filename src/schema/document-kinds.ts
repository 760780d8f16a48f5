import { SLUG_TEXT } from "./fields.js";

/*
 * The names of the config/ contract: document kinds, the version they carry,
 * model types, and the name rules checked outside the document schemas.
 * Plain values, no zod: the loader reads them on every run, and
 * schema/documents.ts builds the schemas from them.
 */

export const API_VERSION = "cfgsync/v1";

/** Every document kind, in the order messages list them (schema/documents.ts has a schema for each). */
export const DOCUMENT_KINDS = ["ModelCatalog", "IntegrationSettings", "CreditCosts", "SettingsSchemas", "Account", "Policy", "Environment"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Any provider: a slug names its catalog file (models/<provider>.yaml or models/<provider>/*.yaml). */
export const PROVIDER_SLUG = SLUG_TEXT;

/** The model types and what each is billed by (README "Model catalog"). */
export const MODEL_TYPES = [
  "text",
  "image",
  "embedding",
  "audio_transcription",
  "audio_speech",
  "video",
  "rerank",
  "moderation",
  "realtime",
] as const;

/** Integration type names: the seed's five and any declared slug. */
export const INTEGRATION_TYPE_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** An environment's name: its file's name (config/environments/<name>.yaml), also a GitHub environment name. */
export const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Fields that are gone (error) or going (warning), with what to do instead. Deprecations are data. */
export const REMOVED_FIELDS: Record<string, string> = {
  mobile_image_size: "mobile_image_size was removed from the platform; delete it (desktop_image_size is the only image size setting)",
};
export const DEPRECATED_FIELDS: Record<string, string> = {
  reference_id: "reference_id is deprecated; credit transactions link to their payment instead",
};
