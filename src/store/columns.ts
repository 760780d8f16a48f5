import { UserError } from "../domain/diagnostic.js";
import { dec, toDecimalString } from "../domain/money.js";
import type { FieldSpec, FieldType, FieldValue, JsonValue } from "../domain/resources.js";
import { isSecret } from "../domain/resources.js";
import { boolFromSql } from "./sql-values.js";
import { secretDigest } from "../domain/digest.js";

/*
 * Column value <-> canonical field value, per field type. Reading: PostgreSQL
 * returns Decimal objects ("0.0400000000"), SQLite the canonical TEXT; both
 * become canonical decimal strings. Writing: decimals go as canonical strings
 * (SQLite stores them as TEXT, PostgreSQL parses them exactly into NUMERIC).
 */

/** Columns a platform table declares NOT NULL: a null desired value leaves the DB default / current value. */
export const NOT_NULL_COLUMNS: Record<string, ReadonlySet<string>> = {
  ai_model_config: new Set([
    "display_name", "model_type", "provider", "supports_json_mode", "supports_vision",
    "supports_tools", "is_active", "is_default", "sort_order",
  ]),
  credit_cost_config: new Set(["unit", "min_credits", "price_per_credit_usd", "is_active"]),
  global_integration_settings: new Set(),
  integration_type_settings: new Set(["provider", "model_type", "model"]),
  settings_schema: new Set(["schema"]),
  account_settings: new Set(["value"]),
  integration_settings: new Set(["config"]),
  // cfgsync's own tables, for its bulk writers.
  cfgsync_revision: new Set(["actor", "plan_digest", "config_digest", "state_digest", "summary", "changes"]),
  cfgsync_resource_state: new Set(["kind", "fields", "revision_id"]),
};

/** A column's stored value as the canonical field value. Secrets become digests: the value never leaves the store. */
export function readColumn(type: FieldType, value: unknown): FieldValue {
  if (type === "secret") {
    return { sensitive: true, digest: secretDigest(typeof value === "string" ? value : null) };
  }
  if (value === null || value === undefined) return null;
  switch (type) {
    case "decimal":
      return toDecimalString(value as string | number | { toString(): string });
    case "int":
      return Number(value);
    case "bool":
      return boolFromSql(value);
    case "date":
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    case "string":
      return String(value);
    case "json":
      return value as JsonValue;
  }
}

export function readFields(specs: readonly FieldSpec[], row: Record<string, unknown>): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const spec of specs) fields[spec.name] = readColumn(spec.type, row[spec.name]);
  return fields;
}

/** Plaintext of a desired secret field, from the env values the apply was handed. */
export type SecretResolver = (field: string, value: FieldValue | undefined) => string | null;

/**
 * The value to store for a field (null: SQL NULL). JSON values stay JS values
 * here; the writer decides how its statement carries them.
 */
export function writeColumn(type: FieldType, field: string, value: FieldValue | undefined, secret: SecretResolver): unknown {
  if (type === "secret") return secret(field, value);
  if (value === null || value === undefined) return null;
  if (isSecret(value)) throw new Error(`a secret value reached non-secret field ${field}`);
  switch (type) {
    case "decimal":
      return storableDecimal(field, toDecimalString(value as string | number));
    case "int":
      return Number(value);
    case "bool":
      return Boolean(value);
    case "date":
    case "string":
      return String(value);
    case "json":
      return value;
  }
}

/** PostgreSQL's Decimal(20, 10) would round silently; both dialects refuse what it cannot hold exactly. */
function storableDecimal(field: string, canonical: string): string {
  const d = dec(canonical);
  if (d.decimalPlaces() > 10 || d.abs().gte(1e10)) {
    throw new UserError(
      "apply.decimal-range",
      `${field} = ${canonical} cannot be stored exactly (at most 10 digits before and 10 after the decimal point)`,
    );
  }
  return canonical;
}
