import type { Dialect } from "./database-url.js";
import { NOT_NULL_COLUMNS } from "./columns.js";
import { quoteName as q, valuesChunks, type SqlColumn, type Statement } from "./sql-values.js";

/*
 * Inserts many rows of one table as multi-row `INSERT ... VALUES` statements.
 * Prisma's createMany does the same in SQL, but builds and serialises every
 * row in its client runtime first, which is most of a 10k-row apply's time.
 */

/**
 * A NOT NULL column a row leaves null is left out of its statement, so the
 * column's default applies, as it does when Prisma's createMany omits it.
 * Rows that leave out different columns go in different statements (in
 * practice there is one group).
 */
export function batchInsertStatements<Row = Record<string, unknown>>(
  dialect: Dialect,
  table: string,
  columns: readonly SqlColumn[],
  rows: readonly Row[],
  /** A row's value of a column (default: the row's property of that name); spares building a merged object per row. */
  valueOf: (row: Row, column: string) => unknown = (row, column) => (row as Record<string, unknown>)[column],
): Statement[] {
  const notNull = NOT_NULL_COLUMNS[table] ?? new Set<string>();
  const defaulted = columns.filter((c) => notNull.has(c.name) && c.type !== "json");
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const omitted = defaulted.filter((c) => valueOf(row, c.name) === null || valueOf(row, c.name) === undefined).map((c) => c.name).join(",");
    const group = groups.get(omitted);
    if (group) group.push(row);
    else groups.set(omitted, [row]);
  }
  const statements: Statement[] = [];
  for (const [omitted, group] of groups) {
    const left = new Set(omitted ? omitted.split(",") : []);
    const written = columns.filter((c) => !left.has(c.name));
    const names = written.map((c) => q(c.name)).join(", ");
    for (const { tuples, params } of valuesChunks(dialect, written, group, (row, c) => valueOf(row, c.name), notNull)) {
      statements.push({ sql: `INSERT INTO ${q(table)} (${names}) VALUES ${tuples}`, params });
    }
  }
  return statements;
}
