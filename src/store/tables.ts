import { toDecimalString } from "../domain/money.js";
import {
  address,
  CREDIT_FIELDS,
  INTEGRATION_FIELDS,
  INTEGRATION_TYPE_FIELDS,
  MODEL_FIELDS,
  OVERRIDE_FIELDS,
  type FieldSpec,
  type FieldType,
  type FieldValue,
  type JsonValue,
  type Resource,
  type ResourceKind,
} from "../domain/resources.js";
import { readColumn, readFields, writeColumn, type SecretResolver } from "./columns.js";

/*
 * Where each resource kind lives: table, Prisma delegate, key columns and the
 * mapping between a row and the normalised Resource. The store's readers and
 * writers are generic over this table; nothing else knows column names.
 */

export type Delegate =
  | "aIModelConfig"
  | "creditCostConfig"
  | "globalIntegrationSettings"
  | "integrationTypeSettings"
  | "settingsSchema"
  | "accountSettings"
  | "integrationSettings";

export interface Column {
  name: string;
  type: FieldType;
}

export interface KindTable {
  kind: ResourceKind;
  table: string;
  delegate: Delegate;
  keyColumns: Column[];
  /** Written columns besides the key. */
  columns: Column[];
  /** DateTime columns Prisma fills when it creates a row (@default(now()), @updatedAt); the bulk insert stamps them. */
  createdStamps: readonly string[];
  toResource(row: Record<string, unknown>, slugOf: (accountId: number) => string | undefined): Resource | undefined;
  /** Key column values of a resource (account slug -> account_id). */
  keyOf(r: Resource, accountId: (slug: string, address: string) => number): Record<string, unknown>;
  /** Written column values of a desired resource (secrets resolved to plaintext). */
  valuesOf(r: Resource, secret: SecretResolver): Record<string, unknown>;
}

const col = (name: string, type: FieldType): Column => ({ name, type });
const asColumns = (specs: readonly FieldSpec[]): Column[] => specs.map((s) => col(s.name, s.type));

function fieldValues(specs: readonly FieldSpec[], r: Resource, secret: SecretResolver): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of specs) out[s.name] = writeColumn(s.type, s.name, r.fields[s.name], secret);
  return out;
}

function requireKey(r: Resource, name: string): string {
  const v = r.key[name];
  if (v === undefined) throw new Error(`resource ${r.address} has no key ${name}`);
  return v;
}

/** Overrides live in one JSON column; only the fields an account actually sets are stored. */
function packOverrides(r: Resource): Record<string, JsonValue> {
  const config: Record<string, JsonValue> = {};
  for (const s of OVERRIDE_FIELDS) {
    const v = writeColumn(s.type, s.name, r.fields[s.name], () => null);
    if (v === null) continue;
    // temperature is a model parameter, not money: the platform reads it as a JSON number.
    config[s.name] = s.type === "decimal" ? Number(v) : (v as JsonValue);
  }
  return config;
}

function unpackOverrides(config: unknown): Record<string, FieldValue> {
  const obj = config && typeof config === "object" && !Array.isArray(config) ? (config as Record<string, unknown>) : {};
  const fields: Record<string, FieldValue> = {};
  for (const s of OVERRIDE_FIELDS) {
    const v = obj[s.name];
    fields[s.name] =
      s.type === "decimal" && (typeof v === "number" || typeof v === "string") ? toDecimalString(v) : readColumn(s.type, v);
  }
  return fields;
}

const accountKey = (r: Resource, accountId: (slug: string, address: string) => number) =>
  accountId(requireKey(r, "account"), r.address);

export const KIND_TABLES: Record<ResourceKind, KindTable> = {
  model: {
    kind: "model",
    table: "ai_model_config",
    delegate: "aIModelConfig",
    keyColumns: [col("model_id", "string")],
    columns: asColumns(MODEL_FIELDS),
    createdStamps: ["created_at", "updated_at"],
    toResource: (row) => {
      const id = String(row.model_id);
      return { address: address.model(id), kind: "model", key: { model_id: id }, fields: readFields(MODEL_FIELDS, row) };
    },
    keyOf: (r) => ({ model_id: requireKey(r, "model_id") }),
    valuesOf: (r, secret) => fieldValues(MODEL_FIELDS, r, secret),
  },
  credit: {
    kind: "credit",
    table: "credit_cost_config",
    delegate: "creditCostConfig",
    keyColumns: [col("operation_type", "string")],
    columns: asColumns(CREDIT_FIELDS),
    createdStamps: ["updated_at"],
    toResource: (row) => {
      const op = String(row.operation_type);
      return { address: address.credit(op), kind: "credit", key: { operation_type: op }, fields: readFields(CREDIT_FIELDS, row) };
    },
    keyOf: (r) => ({ operation_type: requireKey(r, "operation_type") }),
    valuesOf: (r, secret) => fieldValues(CREDIT_FIELDS, r, secret),
  },
  integration: {
    kind: "integration",
    table: "global_integration_settings",
    delegate: "globalIntegrationSettings",
    keyColumns: [col("id", "int")],
    columns: asColumns(INTEGRATION_FIELDS),
    createdStamps: ["updated_at"],
    // Only the singleton row id = 1 is the platform's setting; any other row is ignored.
    toResource: (row) =>
      Number(row.id) === 1
        ? { address: address.integration(), kind: "integration", key: { id: "1" }, fields: readFields(INTEGRATION_FIELDS, row) }
        : undefined,
    keyOf: () => ({ id: 1 }),
    valuesOf: (r, secret) => fieldValues(INTEGRATION_FIELDS, r, secret),
  },
  "integration-type": {
    kind: "integration-type",
    table: "integration_type_settings",
    delegate: "integrationTypeSettings",
    keyColumns: [col("integration_type", "string")],
    columns: asColumns(INTEGRATION_TYPE_FIELDS),
    createdStamps: ["updated_at"],
    toResource: (row) => {
      const type = String(row.integration_type);
      return {
        address: address.integrationType(type),
        kind: "integration-type",
        key: { integration_type: type },
        fields: readFields(INTEGRATION_TYPE_FIELDS, row),
      };
    },
    keyOf: (r) => ({ integration_type: requireKey(r, "integration_type") }),
    valuesOf: (r, secret) => fieldValues(INTEGRATION_TYPE_FIELDS, r, secret),
  },
  "settings-schema": {
    kind: "settings-schema",
    table: "settings_schema",
    delegate: "settingsSchema",
    keyColumns: [col("key", "string")],
    columns: [col("schema", "json")],
    createdStamps: ["updated_at"],
    toResource: (row) => {
      const key = String(row.key);
      return {
        address: address.settingsSchema(key),
        kind: "settings-schema",
        key: { key },
        fields: { schema: readColumn("json", row.schema) },
      };
    },
    keyOf: (r) => ({ key: requireKey(r, "key") }),
    valuesOf: (r) => ({ schema: r.fields.schema ?? null }),
  },
  "account-setting": {
    kind: "account-setting",
    table: "account_settings",
    delegate: "accountSettings",
    keyColumns: [col("account_id", "int"), col("key", "string")],
    columns: [col("value", "json")],
    createdStamps: ["updated_at"],
    toResource: (row, slugOf) => {
      const slug = slugOf(Number(row.account_id));
      if (slug === undefined) return undefined;
      const key = String(row.key);
      return {
        address: address.accountSetting(slug, key),
        kind: "account-setting",
        key: { account: slug, key },
        fields: { value: readColumn("json", row.value) },
      };
    },
    keyOf: (r, accountId) => ({ account_id: accountKey(r, accountId), key: requireKey(r, "key") }),
    valuesOf: (r) => ({ value: r.fields.value ?? null }),
  },
  "account-integration": {
    kind: "account-integration",
    table: "integration_settings",
    delegate: "integrationSettings",
    keyColumns: [col("account_id", "int"), col("integration_type", "string")],
    columns: [col("config", "json")],
    createdStamps: ["updated_at"],
    toResource: (row, slugOf) => {
      const slug = slugOf(Number(row.account_id));
      if (slug === undefined) return undefined;
      const type = String(row.integration_type);
      return {
        address: address.accountIntegration(slug, type),
        kind: "account-integration",
        key: { account: slug, integration_type: type },
        fields: unpackOverrides(row.config),
      };
    },
    keyOf: (r, accountId) => ({ account_id: accountKey(r, accountId), integration_type: requireKey(r, "integration_type") }),
    valuesOf: (r) => ({ config: packOverrides(r) }),
  },
};

/** The account id of a slug; accounts are runtime rows cfgsync never creates. */
export function accountIdResolver(accounts: ReadonlyMap<string, number>): (slug: string, address: string) => number {
  return (slug, addr) => {
    const id = accounts.get(slug);
    if (id === undefined) {
      // A bug, not a user error: the plan leaves out the overrides of pending accounts (plan/build.ts).
      throw new Error(`account "${slug}" does not exist in the database (needed by ${addr})`);
    }
    return id;
  };
}
