import { UserError } from "../domain/diagnostic.js";
import { inert } from "../domain/inert.js";
import { dec, toDecimalString } from "../domain/money.js";
import type { FieldSpec, FieldType, FieldValue, JsonValue } from "../domain/resources.js";
import { isSecret } from "../domain/resources.js";
import { boolFromSql } from "./sql-values.js";
import type { SecretDigester } from "../domain/digest.js";
import { INT32, MONEY_COLUMN, STORABLE_TEXT, jsonValueProblem } from "../schema/fields.js";
import { declaredColumns } from "./prisma-columns.js";

/*
 * Column value <-> canonical field value, per field type. Reading: PostgreSQL
 * returns Decimal objects ("0.0400000000"), SQLite the canonical TEXT; both
 * become canonical decimal strings. Writing: decimals go as canonical strings
 * (SQLite stores them as TEXT, PostgreSQL parses them exactly into NUMERIC).
 */

/**
 * Columns a table declares NOT NULL (derived from prisma/models.prisma; the
 * primary key and timestamps aside): a null desired value leaves the DB
 * default / current value.
 */
export const NOT_NULL_COLUMNS: Record<string, ReadonlySet<string>> = Object.fromEntries(
  [...declaredColumns()].map(([table, columns]) => [
    table,
    new Set(columns.filter((c) => !c.nullable && !c.id && c.type !== "DateTime").map((c) => c.name)),
  ]),
);

/**
 * A column's stored value as the canonical field value. Secrets become digests
 * (keyed by the database's salt): the value never leaves the store.
 */
export function readColumn(type: FieldType, value: unknown, digestSecret?: SecretDigester): FieldValue {
  if (type === "secret") {
    if (!digestSecret) throw new Error("a secret column read without a digester");
    return { sensitive: true, digest: digestSecret(typeof value === "string" ? value : null) };
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

export function readFields(specs: readonly FieldSpec[], row: Record<string, unknown>, digestSecret: SecretDigester): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const spec of specs) fields[spec.name] = readColumn(spec.type, row[spec.name], digestSecret);
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
      return storableInt(field, Number(value));
    case "bool":
      return Boolean(value);
    case "date":
    case "string":
      return storableText(field, String(value));
    case "json": {
      const problem = jsonValueProblem(value);
      if (problem) throw new UserError("apply.unstorable-value", `${field}${problem.path ? ` at ${inert(problem.path)}` : ""}: ${problem.why}`);
      return value;
    }
  }
}

/*
 * The store refuses what a column cannot hold, by the declarations of
 * src/schema/fields.ts (validate refuses the same values earlier, at their
 * line; these guard every other way in: saved plans, the runtime, the bench).
 */
function storableInt(field: string, n: number): number {
  if (!Number.isInteger(n) || n < INT32.min || n > INT32.max) {
    throw new UserError("apply.int-range", `${field} = ${n} does not fit a 32-bit integer column (${INT32.min} to ${INT32.max})`);
  }
  return n;
}

function storableText(field: string, text: string): string {
  if (!STORABLE_TEXT.test(text)) throw new UserError("apply.unstorable-value", `${field} holds a NUL character or an unpaired surrogate, which no database stores`);
  return text;
}

/** PostgreSQL's NUMERIC(20, 10) would round silently; both dialects refuse what it cannot hold exactly. */
function storableDecimal(field: string, canonical: string): string {
  const d = dec(canonical);
  if (d.decimalPlaces() > MONEY_COLUMN.fractionDigits || d.abs().gte(dec(10).pow(MONEY_COLUMN.integerDigits))) {
    throw new UserError(
      "apply.decimal-range",
      `${field} = ${canonical} cannot be stored exactly (at most ${MONEY_COLUMN.integerDigits} digits before and ${MONEY_COLUMN.fractionDigits} after the decimal point)`,
    );
  }
  return canonical;
}
