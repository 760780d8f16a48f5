import { z } from "zod";
import { API_VERSION, ENVIRONMENT_NAME, INTEGRATION_TYPE_NAME, MODEL_TYPES, type DocumentKind } from "./document-kinds.js";
import { identifier, int32, money, printableName, slug as slugField, storableText } from "./field-schemas.js";
import { MONEY_COLUMN } from "./fields.js";
import { imageSize, listPriceFields, priceCeilings, scalarPriceFields } from "./price-schemas.js";
import { SCHEDULED_FIELDS, scheduledEntries } from "./schedule.js";

/**
 * The public contract of config/ (SPEC §2.0): the one source from which the
 * JSON Schemas in schemas/ are generated and against which files are checked.
 * Field names are the platform's own snake_case names. The names the loader
 * needs without building schemas (kinds, version, name patterns) are
 * schema/document-kinds.ts.
 */

const apiVersion = z.literal(API_VERSION).describe("Schema version of this document");

export const temperature = z
  .union([z.number().min(0).max(2), z.string().regex(new RegExp(`^([01](\\.\\d{1,${MONEY_COLUMN.fractionDigits}})?|2(\\.0{1,${MONEY_COLUMN.fractionDigits}})?)$`))])
  .describe("Sampling temperature, 0 to 2");

// A real calendar date (2025-02-31 is not one): zod's pattern knows month lengths and leap years,
// and the generated JSON Schemas carry it.
const isoDate = z.iso.date("a date YYYY-MM-DD").describe("a date YYYY-MM-DD");
const slug = slugField();

const providerSlug = slugField(100).describe("Provider slug, e.g. openai, google, bedrock, fireworks_ai");
/**
 * Credit operations and settings keys are data (issue #13): config/credits.yaml
 * declares the operations and config/settings-schemas.yaml the settings keys
 * (the seed's seven and five are the sample); a new one is a YAML change,
 * checked like the rest. A name is what the platform stores and logs
 * (credit_usage_log.operation_type, user_settings.key).
 */
const operationName = identifier(100).describe("an operation name of lowercase letters, digits and '_', as credit_usage_log.operation_type logs it");
/** A user settings key: settings-schemas.yaml and the runtime's saveUserSetting read this one declaration. */
export const settingsKey = identifier(100).describe("a settings key of lowercase letters, digits and '_', as user_settings.key stores it");

/** A model's own fields; its `scheduled` entries pick from these. */
const modelFields = z.strictObject({
  model_id: printableName(100).describe("Provider's model identifier, unique across the catalog"),
  display_name: printableName(200),
  model_type: z.enum(MODEL_TYPES),
  provider: providerSlug.optional().describe("Defaults to the file's provider; must match it"),
  input_token_rate: money.optional().describe("USD per 1M input tokens"),
  output_token_rate: money.optional().describe("USD per 1M output tokens"),
  max_input_tokens: int32({ min: 1 }).optional(),
  max_output_tokens: int32({ min: 1 }).optional(),
  cost_per_image: money.optional().describe("USD per generated image"),
  available_sizes: z.array(imageSize).min(1).optional().describe("Sizes the model generates; optional where a provider publishes none"),
  supports_json_mode: z.boolean().optional(),
  supports_vision: z.boolean().optional(),
  supports_tools: z.boolean().optional(),
  is_active: z.boolean().optional().describe("Defaults to true"),
  is_default: z.boolean().optional().describe("Defaults to false; one active default per model_type"),
  sort_order: int32().optional(),
  notes: storableText(2000).optional(),
  release_date: isoDate.optional(),
  deprecation_date: isoDate.optional(),
  // Price dimensions beyond the seed's three (src/schema/prices.ts).
  ...scalarPriceFields,
  ...listPriceFields,
});

export const modelSchema = modelFields.extend({ scheduled: scheduledEntries(modelFields, SCHEDULED_FIELDS.model).optional() });

export const modelCatalogSchema = z.strictObject({
  apiVersion,
  kind: z.literal("ModelCatalog"),
  provider: providerSlug,
  models: z.array(modelSchema),
});

/** A value by reference: the environment variable that holds it (never the value itself). */
const fromEnvRef = z.strictObject({ from_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "an environment variable name") });
const apiKeyRef = fromEnvRef.describe("API key by reference: the environment variable that holds it at apply time");

const textProvider = z.strictObject({
  api_key: apiKeyRef.optional(),
  model: printableName(100),
  temperature: temperature.optional(),
  max_tokens: int32({ min: 1, max: 1_000_000 }).optional(),
});
const imageProvider = z.strictObject({
  api_key: apiKeyRef.optional(),
  model: printableName(100),
  size: imageSize.optional(),
});
const plainProvider = z.strictObject({ api_key: apiKeyRef.optional(), model: printableName(100) });
/**
 * An integration type a configuration declares beyond the seed's five (issue
 * #10): its key by reference, default model and parameters. No code change
 * makes a provider usable; declaring it does.
 */
const declaredIntegration = z.strictObject({
  api_key: apiKeyRef.optional(),
  model: printableName(100),
  provider: providerSlug.optional().describe("Catalog provider whose models it serves; defaults to the integration's name"),
  model_type: z.enum(MODEL_TYPES).optional().describe("Model type it serves; defaults to its default model's type"),
  temperature: temperature.optional(),
  max_tokens: int32({ min: 1, max: 1_000_000 }).optional(),
  size: imageSize.optional(),
});
/** An integration type as a key (account overrides): a printable name of that form. */
const integrationTypeName = printableName(100).regex(INTEGRATION_TYPE_NAME, "an integration type such as openai or a declared one");

export const integrationSettingsSchema = z.strictObject({
  apiVersion,
  kind: z.literal("IntegrationSettings"),
  providers: z.strictObject({
    openai: textProvider.optional(),
    anthropic: textProvider.optional(),
    dalle: imageProvider.optional(),
    runware: plainProvider.optional(),
    bria: plainProvider.optional(),
  }).catchall(declaredIntegration),
  default_text_provider: slug.optional().describe("The text integration: openai, anthropic or a declared one"),
  default_image_service: slug.optional().describe("The image service: openai (the dalle integration), runware, bria or a declared image integration"),
  image_quality: z.enum(["standard", "hd"]).optional(),
  image_style: printableName(100).optional(),
  max_in_article_images: int32({ min: 0, max: 20 }).optional(),
  desktop_image_size: imageSize.optional(),
});

const creditOperationFields = z.strictObject({
  operation_type: operationName,
  display_name: printableName(200).optional(),
  unit: z.enum(["tokens", "image"]),
  credits: int32({ min: 0 }).optional().describe("Credits per image (image operations)"),
  tokens_per_credit: int32({ min: 1 }).optional(),
  min_credits: int32({ min: 0 }),
  price_per_credit_usd: money,
  is_active: z.boolean().optional(),
});

export const creditOperationSchema = creditOperationFields.extend({
  scheduled: scheduledEntries(creditOperationFields, SCHEDULED_FIELDS.credit).optional(),
});

export const creditCostsSchema = z.strictObject({
  apiVersion,
  kind: z.literal("CreditCosts"),
  operations: z.array(creditOperationSchema),
});

/** A settings schema is itself a JSON Schema object; checked by ajv's meta-schema, not here. */
const jsonSchemaObject = z.record(z.string(), z.unknown()).describe("A JSON Schema");

export const settingsSchemasSchema = z.strictObject({
  apiVersion,
  kind: z.literal("SettingsSchemas"),
  // Partial: a configuration may manage some of the keys and leave the rest to the platform.
  schemas: z.record(settingsKey, jsonSchemaObject),
});

export const integrationOverrideSchema = z.strictObject({
  model: printableName(100).optional(),
  temperature: temperature.optional(),
  max_tokens: int32({ min: 1, max: 1_000_000 }).optional(),
  size: imageSize.optional(),
  quality: z.enum(["standard", "hd"]).optional(),
  style: printableName(100).optional(),
});

/** An account setting's key (`content.tone`): a printable name. */
const accountSettingKey = printableName(100);

export const accountSchema = z.strictObject({
  apiVersion,
  kind: z.literal("Account"),
  account: slug.describe("Slug of an account that exists in the database"),
  settings: z.record(accountSettingKey, z.unknown()).optional().describe("Account settings: key -> any JSON value"),
  integrations: z.record(integrationTypeName, integrationOverrideSchema).optional(),
});

export const policySchema = z.strictObject({
  apiVersion,
  kind: z.literal("Policy"),
  min_margin_pct: z.number().min(-100).max(100).optional().describe("Minimum margin, percent of the customer charge"),
  min_margin_pct_by_operation: z
    .record(
      operationName,
      z.strictObject({ min_margin_pct: z.number().min(-1000).max(100), note: storableText(2000).min(1) }),
    )
    .optional()
    .describe("Per-operation floors, by an operation declared in credits.yaml; each needs a note saying why"),
  max_price_change_pct: z.number().min(0).optional().describe("Largest price change per resource per change set"),
  protected: z.array(printableName(200).regex(/^[a-z-]+\/.+$/, "a resource address such as credit/image_generation")).optional(),
  price_ceilings: priceCeilings.optional(),
});

/** Policy fields an environment may set over policies.yaml (price ceilings stay global: they catch unit slips). */
const environmentPolicies = policySchema.omit({ apiVersion: true, kind: true, price_ceilings: true });

/**
 * An environment (issue #14): an overlay of the one config/. Overrides are
 * keyed by plan address; which fields each address may override, and what
 * each value may be, is ENVIRONMENT_OVERRIDE_FIELDS (checked by the loader at
 * each value's line, with the base documents' own field declarations).
 */
export const environmentSchema = z.strictObject({
  apiVersion,
  kind: z.literal("Environment"),
  name: printableName(63).regex(ENVIRONMENT_NAME, "lowercase letters, digits, '_' or '-'").describe("The environment's name: the file name, config/environments/<name>.yaml"),
  database_url: fromEnvRef.optional().describe("The environment variable holding this environment's database URL (used with --env when set)"),
  overrides: z
    .record(
      printableName(300).regex(/^[a-z-]+\/.+$/, "a plan address such as model/gpt-5.2 or credit/linking"),
      z.record(printableName(100), z.unknown()).describe("field -> value, as the base document declares the field"),
    )
    .optional()
    .describe("By plan address (model/<id>, credit/<operation>, integration/global, integration-type/<type>, settings-schema/<key>, account/<slug>/setting/<key>, account/<slug>/integration/<type>)"),
  policies: environmentPolicies.optional().describe("Merged over policies.yaml, field by field"),
});

const omit = (shape: Record<string, z.ZodType>, keys: readonly string[]) => Object.fromEntries(Object.entries(shape).filter(([k]) => !keys.includes(k)));
const SEED_PROVIDERS = integrationSettingsSchema.shape.providers.shape;

/**
 * What an environment may override, by the kind of address (the kinds of
 * src/domain/resources.ts), each field with the base documents' own
 * declaration: identity fields (model_id, operation_type) and the fields that
 * decide which rules a resource meets (model_type, provider, unit) stay as
 * the base declares them. integration/global's fields are named as the plan
 * names them (openai_model, image_quality).
 */
export const ENVIRONMENT_OVERRIDE_FIELDS: Record<string, Readonly<Record<string, z.ZodType>>> = {
  // Scheduled prices are the base's (a `scheduled:` entry applies over the environment's value once due).
  model: omit(modelSchema.shape, ["model_id", "model_type", "provider", "scheduled"]),
  credit: omit(creditOperationSchema.shape, ["operation_type", "unit", "scheduled"]),
  integration: {
    ...Object.fromEntries(
      Object.entries(SEED_PROVIDERS).flatMap(([provider, settings]) =>
        Object.entries((settings.unwrap() as z.ZodObject).shape).map(([param, field]) => [`${provider}_${param}`, field as z.ZodType]),
      ),
    ),
    ...omit(integrationSettingsSchema.shape, ["apiVersion", "kind", "providers"]),
  },
  "integration-type": omit(declaredIntegration.shape, ["provider", "model_type"]),
  "settings-schema": { schema: jsonSchemaObject },
  "account-setting": { value: accountSchema.shape.settings.unwrap().valueType },
  "account-integration": integrationOverrideSchema.shape,
};

export const DOCUMENT_SCHEMAS = {
  ModelCatalog: modelCatalogSchema,
  IntegrationSettings: integrationSettingsSchema,
  CreditCosts: creditCostsSchema,
  SettingsSchemas: settingsSchemasSchema,
  Account: accountSchema,
  Policy: policySchema,
  Environment: environmentSchema,
} as const satisfies Record<DocumentKind, z.ZodType>;

export type ModelCatalogDoc = z.input<typeof modelCatalogSchema>;
export type ModelDoc = z.input<typeof modelSchema>;
export type IntegrationSettingsDoc = z.input<typeof integrationSettingsSchema>;
export type DeclaredIntegrationDoc = z.input<typeof declaredIntegration>;
export type CreditCostsDoc = z.input<typeof creditCostsSchema>;
export type CreditOperationDoc = z.input<typeof creditOperationSchema>;
export type SettingsSchemasDoc = z.input<typeof settingsSchemasSchema>;
export type AccountDoc = z.input<typeof accountSchema>;
export type PolicyDoc = z.input<typeof policySchema>;
export type EnvironmentDoc = z.input<typeof environmentSchema>;

export type AnyDocument =
  | ModelCatalogDoc
  | IntegrationSettingsDoc
  | CreditCostsDoc
  | SettingsSchemasDoc
  | AccountDoc
  | PolicyDoc
  | EnvironmentDoc;
