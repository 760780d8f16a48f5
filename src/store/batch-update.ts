import type { Dialect } from "./database-url.js";
import { NOT_NULL_COLUMNS } from "./columns.js";
import { placeholder, quoteName as q, valuesChunks, type SqlColumn, type Statement } from "./sql-values.js";

/*
 * Updates many rows of one table in a few statements instead of one per row:
 *
 *   WITH v("model_id", "display_name", ...) AS (VALUES (...), (...))
 *   UPDATE "ai_model_config" AS t SET "display_name" = v."display_name", ...
 *   FROM v WHERE t."model_id" = v."model_id"
 *
 * Both SQLite (>= 3.33) and PostgreSQL accept this form.
 */

export interface RowUpdate {
  key: Record<string, unknown>;
  values: Record<string, unknown>;
}

export function batchUpdateStatements(
  dialect: Dialect,
  table: string,
  keyColumns: SqlColumn[],
  columns: SqlColumn[],
  rows: RowUpdate[],
  /** The `updated_at` of every row, as Prisma's @updatedAt would set it (a `timestampParam`). */
  updatedAt: string,
): Statement[] {
  const notNull = NOT_NULL_COLUMNS[table] ?? new Set<string>();
  const all = [...keyColumns, ...columns];
  const keyNames = new Set(keyColumns.map((c) => c.name));
  const valueOf = (row: RowUpdate, c: SqlColumn) => (keyNames.has(c.name) ? row.key[c.name] : row.values[c.name]);
  // A null for a NOT NULL column keeps the row's value rather than failing the whole apply.
  const sets = columns.map((c) =>
    notNull.has(c.name) && c.type !== "json"
      ? `${q(c.name)} = COALESCE(v.${q(c.name)}, t.${q(c.name)})`
      : `${q(c.name)} = v.${q(c.name)}`,
  );
  const where = keyColumns.map((c) => `t.${q(c.name)} = v.${q(c.name)}`).join(" AND ");
  return valuesChunks(dialect, all, rows, valueOf, notNull, 1).map(({ tuples, params }) => {
    params.push(updatedAt);
    const stamp = `${q("updated_at")} = ${placeholder(dialect, "timestamp", params.length)}`;
    return {
      sql:
        `WITH v(${all.map((c) => q(c.name)).join(", ")}) AS (VALUES ${tuples}) ` +
        `UPDATE ${q(table)} AS t SET ${[...sets, stamp].join(", ")} FROM v WHERE ${where}`,
      params,
    };
  });
}
