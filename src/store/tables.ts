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
import type { SecretDigester } from "../domain/digest.js";
import { readColumn, readFields, writeColumn, type SecretResolver } from "./columns.js";

/*
 * Where each resource kind lives: table, key columns and the
 * mapping between a row and the normalised Resource. The store's readers and
 * writers are generic over this table; nothing else knows column names.
 */

export interface Column {
  name: string;
  type: FieldType;
}

export interface KindTable {
  kind: ResourceKind;
  table: string;
  keyColumns: Column[];
  /** Written columns besides the key. */
  columns: Column[];
  /** DateTime columns Prisma fills when it creates a row (@default(now()), @updatedAt); the bulk insert stamps them. */
  createdStamps: readonly string[];
  toResource(row: Record<string, unknown>, ctx: RowContext): Resource | undefined;
  /** Key column values of a resource (account slug -> account_id). */
  keyOf(r: Resource, accountId: (slug: string, address: string) => number): Record<string, unknown>;
  /** Written column values of a desired resource (secrets resolved to plaintext). */
  valuesOf(r: Resource, secret: SecretResolver): Record<string, unknown>;
}

/** What turning a row into a Resource needs besides the row. */
export interface RowContext {
  /** The slug of an account id (undefined: an account cfgsync does not know; its rows are left out). */
  slugOf(accountId: number): string | undefined;
  /** Digests of API keys, keyed by the database's salt. */
  digestSecret: SecretDigester;
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

/** A catalog table (models, credit rules, declared integration types): one row per resource, keyed by one text column, every field a column. */
function catalogTable(
  kind: "model" | "credit" | "integration-type",
  table: string,
  keyColumn: "model_id" | "operation_type" | "integration_type",
  specs: readonly FieldSpec[],
  createdStamps: readonly string[],
  addressOf: (key: string) => string,
): KindTable {
  return {
    kind,
    table,
    keyColumns: [col(keyColumn, "string")],
    columns: asColumns(specs),
    createdStamps,
    toResource: (row, ctx) => {
      const key = String(row[keyColumn]);
      return { address: addressOf(key), kind, key: { [keyColumn]: key }, fields: readFields(specs, row, ctx.digestSecret) };
    },
    keyOf: (r) => ({ [keyColumn]: requireKey(r, keyColumn) }),
    valuesOf: (r, secret) => fieldValues(specs, r, secret),
  };
}

/** An account-owned table: one JSON column per (account, key) row; rows of an account cfgsync does not know are left out. */
function accountTable(
  kind: "account-setting" | "account-integration",
  table: string,
  keyColumn: "key" | "integration_type",
  valueColumn: string,
  addressOf: (slug: string, key: string) => string,
  map: { fieldsOf: (row: Record<string, unknown>) => Record<string, FieldValue>; valuesOf: (r: Resource) => Record<string, unknown> },
): KindTable {
  return {
    kind,
    table,
    keyColumns: [col("account_id", "int"), col(keyColumn, "string")],
    columns: [col(valueColumn, "json")],
    createdStamps: ["updated_at"],
    toResource: (row, { slugOf }) => {
      const slug = slugOf(Number(row.account_id));
      if (slug === undefined) return undefined;
      const key = String(row[keyColumn]);
      return { address: addressOf(slug, key), kind, key: { account: slug, [keyColumn]: key }, fields: map.fieldsOf(row) };
    },
    keyOf: (r, accountId) => ({ account_id: accountKey(r, accountId), [keyColumn]: requireKey(r, keyColumn) }),
    valuesOf: map.valuesOf,
  };
}

export const KIND_TABLES: Record<ResourceKind, KindTable> = {
  model: catalogTable("model", "ai_model_config", "model_id", MODEL_FIELDS, ["created_at", "updated_at"], address.model),
  credit: catalogTable("credit", "credit_cost_config", "operation_type", CREDIT_FIELDS, ["updated_at"], address.credit),
  integration: {
    kind: "integration",
    table: "global_integration_settings",
    keyColumns: [col("id", "int")],
    columns: asColumns(INTEGRATION_FIELDS),
    createdStamps: ["updated_at"],
    // Only the singleton row id = 1 is the platform's setting; any other row is ignored.
    toResource: (row, ctx) =>
      Number(row.id) === 1
        ? { address: address.integration(), kind: "integration", key: { id: "1" }, fields: readFields(INTEGRATION_FIELDS, row, ctx.digestSecret) }
        : undefined,
    keyOf: () => ({ id: 1 }),
    valuesOf: (r, secret) => fieldValues(INTEGRATION_FIELDS, r, secret),
  },
  "integration-type": catalogTable(
    "integration-type",
    "integration_type_settings",
    "integration_type",
    INTEGRATION_TYPE_FIELDS,
    ["updated_at"],
    address.integrationType,
  ),
  "settings-schema": {
    kind: "settings-schema",
    table: "settings_schema",
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
  "account-setting": accountTable("account-setting", "account_settings", "key", "value", address.accountSetting, {
    fieldsOf: (row) => ({ value: readColumn("json", row.value) }),
    valuesOf: (r) => ({ value: r.fields.value ?? null }),
  }),
  "account-integration": accountTable("account-integration", "integration_settings", "integration_type", "config", address.accountIntegration, {
    fieldsOf: (row) => unpackOverrides(row.config),
    valuesOf: (r) => ({ config: packOverrides(r) }),
  }),
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
