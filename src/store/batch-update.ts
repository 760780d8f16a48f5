import type { FieldType } from "../domain/resources.js";
import type { Dialect } from "./database-url.js";
import { NOT_NULL_COLUMNS } from "./columns.js";
import type { Column } from "./tables.js";

/*
 * Updates many rows of one table in a few statements instead of one per row:
 *
 *   WITH v("model_id", "display_name", ...) AS (VALUES (...), (...))
 *   UPDATE "ai_model_config" AS t SET "display_name" = v."display_name", ...
 *   FROM v WHERE t."model_id" = v."model_id"
 *
 * Both SQLite (>= 3.33) and PostgreSQL accept this form. PostgreSQL needs each
 * parameter cast, since it would otherwise type a VALUES column as text.
 */

export interface RowUpdate {
  key: Record<string, unknown>;
  values: Record<string, unknown>;
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/** Stays under SQLite's 32766 and PostgreSQL's 65535 bound parameters per statement. */
const MAX_PARAMS = 30_000;

const PG_CAST: Record<FieldType, string> = {
  string: "text",
  date: "text",
  secret: "text",
  int: "integer",
  bool: "boolean",
  decimal: "numeric",
  json: "jsonb",
};

const q = (name: string) => `"${name}"`;

function param(dialect: Dialect, column: Column, index: number): string {
  return dialect === "postgresql" ? `$${index}::${PG_CAST[column.type]}` : "?";
}

/** How a statement carries a value: JSON as its text; a JSON null in a NOT NULL column as the JSON literal null. */
function bindValue(dialect: Dialect, column: Column, value: unknown, notNull: boolean): unknown {
  if (column.type === "json") {
    if (value === null || value === undefined) return notNull ? "null" : null;
    return JSON.stringify(value);
  }
  if (value === undefined) return null;
  if (column.type === "bool" && dialect === "sqlite" && value !== null) return value ? 1 : 0;
  return value;
}

export function batchUpdateStatements(
  dialect: Dialect,
  table: string,
  keyColumns: Column[],
  columns: Column[],
  rows: RowUpdate[],
  /** SQLite stores Prisma DateTimes as ISO text; PostgreSQL uses its own clock. */
  nowIso: string,
): Statement[] {
  if (rows.length === 0) return [];
  const notNull = NOT_NULL_COLUMNS[table] ?? new Set<string>();
  const all = [...keyColumns, ...columns];
  const perRow = all.length;
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  const statements: Statement[] = [];
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const placeholders = all.map((c) => {
        const isKey = keyColumns.includes(c);
        params.push(bindValue(dialect, c, isKey ? row.key[c.name] : row.values[c.name], notNull.has(c.name)));
        return param(dialect, c, params.length);
      });
      return `(${placeholders.join(", ")})`;
    });
    // A null for a NOT NULL column keeps the row's value rather than failing the whole apply.
    const sets = columns.map((c) =>
      notNull.has(c.name) && c.type !== "json"
        ? `${q(c.name)} = COALESCE(v.${q(c.name)}, t.${q(c.name)})`
        : `${q(c.name)} = v.${q(c.name)}`,
    );
    if (dialect === "postgresql") sets.push(`"updated_at" = CURRENT_TIMESTAMP`);
    else {
      params.push(nowIso);
      sets.push(`"updated_at" = ?`);
    }
    const where = keyColumns.map((c) => `t.${q(c.name)} = v.${q(c.name)}`).join(" AND ");
    statements.push({
      sql:
        `WITH v(${all.map((c) => q(c.name)).join(", ")}) AS (VALUES ${tuples.join(", ")}) ` +
        `UPDATE ${q(table)} AS t SET ${sets.join(", ")} FROM v WHERE ${where}`,
      params,
    });
  }
  return statements;
}
