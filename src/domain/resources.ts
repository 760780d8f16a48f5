import type { SourceRef } from "./diagnostic.js";
import { SCALAR_PRICES, SEED_PRICE_FIELDS } from "../schema/prices.js";

/**
 * The closed set of things cfgsync manages. One declaration per kind feeds the
 * diff (field types), the store (table and columns) and the renderers (labels).
 */
export type ResourceKind =
  | "model"
  | "credit"
  | "integration"
  | "integration-type"
  | "settings-schema"
  | "account-setting"
  | "account-integration";

export type FieldType = "string" | "int" | "bool" | "decimal" | "json" | "date" | "secret";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/**
 * A secret never travels as its value: desired state names the environment
 * variable and carries the digest of its value; live state carries the digest
 * of the stored value. `digest` is null when the value is unknown/empty.
 */
export interface SecretValue {
  sensitive: true;
  digest: string | null;
  from_env?: string;
}

export type FieldValue = JsonValue | SecretValue;

export interface Resource {
  /** Stable address: `model/gpt-4.1`, `account/acme/setting/content.tone`. */
  address: string;
  kind: ResourceKind;
  /** Natural key columns, e.g. { model_id: "gpt-4.1" } or { account: "acme", key: "content.tone" }. */
  key: Record<string, string>;
  /** Canonical field values (decimals as canonical strings, dates as YYYY-MM-DD). */
  fields: Record<string, FieldValue>;
  /** Where the resource is declared (desired state only). */
  source?: SourceRef;
  /** Per-field declaration lines, for diagnostics pointing at one value. */
  fieldSources?: Record<string, SourceRef>;
  /** Fields an environment overrides (config/environments/<name>.yaml), each with where it does. */
  overlay?: Record<string, SourceRef>;
}

export interface FieldSpec {
  name: string;
  type: FieldType;
}

export interface KindSpec {
  kind: ResourceKind;
  /** Human label used in rendered plans. */
  label: string;
  /** Deleting one needs --allow-destroy. */
  destroyNeedsFlag: boolean;
  /** Fields in display order. For account-integration the set is open (override fields). */
  fields: FieldSpec[];
}

const f = (name: string, type: FieldType): FieldSpec => ({ name, type });

export const MODEL_FIELDS: FieldSpec[] = [
  f("display_name", "string"),
  f("model_type", "string"),
  f("provider", "string"),
  f("input_token_rate", "decimal"),
  f("output_token_rate", "decimal"),
  f("max_input_tokens", "int"),
  f("max_output_tokens", "int"),
  f("cost_per_image", "decimal"),
  f("available_sizes", "json"),
  f("supports_json_mode", "bool"),
  f("supports_vision", "bool"),
  f("supports_tools", "bool"),
  f("is_active", "bool"),
  f("is_default", "bool"),
  f("sort_order", "int"),
  f("notes", "string"),
  f("release_date", "date"),
  f("deprecation_date", "date"),
  // Price dimensions of issue #10: nullable NUMERIC columns, and two JSON columns of canonical decimal strings.
  ...SCALAR_PRICES.filter((p) => !SEED_PRICE_FIELDS.includes(p.field)).map((p) => f(p.field, "decimal")),
  f("context_tiers", "json"),
  f("image_prices", "json"),
];

export const CREDIT_FIELDS: FieldSpec[] = [
  f("display_name", "string"),
  f("unit", "string"),
  f("credits", "int"),
  f("tokens_per_credit", "int"),
  f("min_credits", "int"),
  f("price_per_credit_usd", "decimal"),
  f("is_active", "bool"),
];

/** Providers of the global integration settings, in the seed's column order. */
export const INTEGRATION_PROVIDERS = ["openai", "anthropic", "dalle", "runware", "bria"] as const;
export type IntegrationProvider = (typeof INTEGRATION_PROVIDERS)[number];

/** Which catalog models an integration type may use (SPEC §2.2). */
export const INTEGRATION_MODEL: Record<IntegrationProvider, { modelType: "text" | "image"; provider: string }> = {
  openai: { modelType: "text", provider: "openai" },
  anthropic: { modelType: "text", provider: "anthropic" },
  dalle: { modelType: "image", provider: "openai" },
  runware: { modelType: "image", provider: "runware" },
  bria: { modelType: "image", provider: "bria" },
};

/** Which per-provider parameters exist as columns (the seed's GlobalIntegrationSettings). */
export const PROVIDER_PARAMS: Record<IntegrationProvider, FieldSpec[]> = {
  openai: [f("model", "string"), f("temperature", "decimal"), f("max_tokens", "int")],
  anthropic: [f("model", "string"), f("temperature", "decimal"), f("max_tokens", "int")],
  dalle: [f("model", "string"), f("size", "string")],
  runware: [f("model", "string")],
  bria: [f("model", "string")],
};

export const INTEGRATION_FIELDS: FieldSpec[] = [
  ...INTEGRATION_PROVIDERS.flatMap((p) => [
    f(`${p}_api_key`, "secret"),
    ...PROVIDER_PARAMS[p].map((param) => f(`${p}_${param.name}`, param.type)),
  ]),
  f("default_text_provider", "string"),
  f("default_image_service", "string"),
  f("image_quality", "string"),
  f("image_style", "string"),
  f("max_in_article_images", "int"),
  f("desktop_image_size", "string"),
];

/**
 * An integration type declared in config beyond the seed's five (issue #10),
 * one row each in integration_type_settings: what it serves, its key and its
 * defaults. The seed's five keep their singleton columns (the platform reads them).
 */
export const INTEGRATION_TYPE_FIELDS: FieldSpec[] = [
  f("provider", "string"),
  f("model_type", "string"),
  f("api_key", "secret"),
  f("model", "string"),
  f("temperature", "decimal"),
  f("max_tokens", "int"),
  f("size", "string"),
];

/** The fields an account may override per integration type (SPEC §2.5): never an API key. */
export const OVERRIDE_FIELDS: FieldSpec[] = [
  f("model", "string"),
  f("temperature", "decimal"),
  f("max_tokens", "int"),
  f("size", "string"),
  f("quality", "string"),
  f("style", "string"),
];

export const KINDS: Record<ResourceKind, KindSpec> = {
  model: { kind: "model", label: "Models", destroyNeedsFlag: true, fields: MODEL_FIELDS },
  credit: { kind: "credit", label: "Credit costs", destroyNeedsFlag: true, fields: CREDIT_FIELDS },
  integration: { kind: "integration", label: "Integration settings", destroyNeedsFlag: true, fields: INTEGRATION_FIELDS },
  "integration-type": {
    kind: "integration-type",
    label: "Declared integration types",
    destroyNeedsFlag: true,
    fields: INTEGRATION_TYPE_FIELDS,
  },
  "settings-schema": {
    kind: "settings-schema",
    label: "Settings schemas",
    destroyNeedsFlag: false,
    fields: [f("schema", "json")],
  },
  "account-setting": {
    kind: "account-setting",
    label: "Account settings",
    destroyNeedsFlag: false,
    fields: [f("value", "json")],
  },
  "account-integration": {
    kind: "account-integration",
    label: "Account integration overrides",
    destroyNeedsFlag: false,
    fields: OVERRIDE_FIELDS,
  },
};

export const KIND_ORDER: ResourceKind[] = [
  "model",
  "credit",
  "integration",
  "integration-type",
  "settings-schema",
  "account-setting",
  "account-integration",
];

/** kind -> field name -> type: fieldType runs for every field of every resource (a million times in a 50k-resource plan). */
const FIELD_TYPES = new Map<ResourceKind, Map<string, FieldType>>();

const FIELDS_OF_TYPE = new Map<string, readonly string[]>();

/** The fields a kind declares with `type`, in declaration order (an undeclared field is json): what a rule on one type of field reads of each resource. */
export function fieldsOfType(kind: ResourceKind, type: Exclude<FieldType, "json">): readonly string[] {
  const key = `${kind}\0${type}`;
  let names = FIELDS_OF_TYPE.get(key);
  if (!names) FIELDS_OF_TYPE.set(key, (names = [...new Set(KINDS[kind].fields.map((s) => s.name))].filter((name) => fieldType(kind, name) === type)));
  return names;
}

export function fieldType(kind: ResourceKind, name: string): FieldType {
  let types = FIELD_TYPES.get(kind);
  if (!types) {
    types = new Map();
    // The first spec of a name wins, as a search of the list finds it.
    for (const s of KINDS[kind].fields) if (!types.has(s.name)) types.set(s.name, s.type);
    FIELD_TYPES.set(kind, types);
  }
  return types.get(name) ?? "json";
}

export const address = {
  model: (modelId: string) => `model/${modelId}`,
  credit: (operation: string) => `credit/${operation}`,
  integration: () => "integration/global",
  integrationType: (type: string) => `integration-type/${type}`,
  settingsSchema: (key: string) => `settings-schema/${key}`,
  accountSetting: (account: string, key: string) => `account/${account}/setting/${key}`,
  accountIntegration: (account: string, type: string) => `account/${account}/integration/${type}`,
};

/** The kind an address names (the inverse of `address`); undefined for a string that is no address. */
export function kindOfAddress(addr: string): ResourceKind | undefined {
  if (addr.startsWith("model/")) return "model";
  if (addr.startsWith("credit/")) return "credit";
  if (addr.startsWith("integration/")) return "integration";
  if (addr.startsWith("integration-type/")) return "integration-type";
  if (addr.startsWith("settings-schema/")) return "settings-schema";
  if (/^account\/[^/]+\/setting\//.test(addr)) return "account-setting";
  if (/^account\/[^/]+\/integration\//.test(addr)) return "account-integration";
  return undefined;
}

export function isSecret(v: FieldValue | undefined): v is SecretValue {
  return typeof v === "object" && v !== null && !Array.isArray(v) && (v as { sensitive?: unknown }).sensitive === true;
}
