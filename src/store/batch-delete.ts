import type { Dialect } from "./database-url.js";
import { quoteName as q, valuesChunks, type SqlColumn, type Statement } from "./sql-values.js";

/**
 * Deletes many rows of one table by key, a few statements whatever the count:
 * `DELETE FROM t WHERE ("account_id", "key") IN (VALUES (?, ?), ...)`. Row
 * values with IN work on SQLite (>= 3.15) and PostgreSQL alike.
 */
export function batchDeleteStatements(
  dialect: Dialect,
  table: string,
  keyColumns: readonly SqlColumn[],
  keys: readonly Record<string, unknown>[],
): Statement[] {
  const target = keyColumns.length === 1 ? q(keyColumns[0]!.name) : `(${keyColumns.map((c) => q(c.name)).join(", ")})`;
  return valuesChunks(dialect, keyColumns, keys, (key, c) => key[c.name], new Set()).map(({ tuples, params }) => ({
    sql: `DELETE FROM ${q(table)} WHERE ${target} IN (VALUES ${tuples})`,
    params,
  }));
}
