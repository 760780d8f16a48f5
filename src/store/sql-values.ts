import type { FieldType } from "../domain/resources.js";
import type { Dialect } from "./database-url.js";

/*
 * Rows as the tuples of a `VALUES (...), (...)` list, bound as parameters and
 * cut into chunks that each fit one statement. The bulk writers (batch-insert,
 * batch-update, batch-delete) build their SQL around these chunks, so a 10k-row
 * apply is a handful of statements rather than thousands, and none of them goes
 * through the Prisma client's per-row query building.
 *
 * Values are written as Prisma would write them, so Prisma reads them back
 * unchanged: JSON as its JSON.stringify text (SQLite stores it as TEXT), booleans
 * as 1/0 on SQLite, decimals as canonical strings, DateTimes as the driver
 * adapters format them (see `timestampParam`).
 */

export interface Statement {
  sql: string;
  params: unknown[];
}

/** A column's value type: a resource field type, or a DateTime column cfgsync stamps. */
export type SqlType = FieldType | "timestamp";

export interface SqlColumn {
  name: string;
  type: SqlType;
}

/** Stays under SQLite's 32766 and PostgreSQL's 65535 bound parameters per statement. */
const MAX_PARAMS = 30_000;

/** PostgreSQL would type a bare VALUES parameter as text; each one is cast to its column's type. */
const PG_CAST: Record<SqlType, string> = {
  string: "text",
  date: "text",
  secret: "text",
  int: "integer",
  bool: "boolean",
  decimal: "numeric",
  json: "jsonb",
  timestamp: "timestamp(3)",
};

export const quoteName = (name: string) => `"${name}"`;

/** The placeholder of the params.length-th parameter. */
export function placeholder(dialect: Dialect, type: SqlType, index: number): string {
  return dialect === "postgresql" ? `$${index}::${PG_CAST[type]}` : "?";
}

/**
 * A DateTime as Prisma's driver adapters write it: better-sqlite3 stores ISO
 * text with "+00:00" (its default timestampFormat), and PostgreSQL's
 * `timestamp(3)` takes the UTC wall-clock time (the zone in the text is ignored,
 * as it is for the adapter's own UTC strings).
 */
export function timestampParam(dialect: Dialect, at: Date): string {
  const iso = at.toISOString();
  return dialect === "sqlite" ? iso.replace("Z", "+00:00") : iso;
}

/**
 * How a statement carries a value. JSON goes as its text; a JSON null in a NOT
 * NULL column as the JSON literal null (what Prisma's JsonNull writes), in a
 * nullable one as SQL NULL.
 */
export function bindValue(dialect: Dialect, type: SqlType, value: unknown, notNull: boolean): unknown {
  if (type === "json") {
    if (value === null || value === undefined) return notNull ? "null" : null;
    return value instanceof JsonText ? value.text : JSON.stringify(value);
  }
  if (value === undefined) return null;
  if (type === "bool" && dialect === "sqlite" && value !== null) return value ? 1 : 0;
  return value;
}

/**
 * A JSON value its writer has already serialised (the revision's megabytes of
 * `changes`, scanned for secrets as text before it is written): it is bound as
 * this text rather than serialised again.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

export interface ValuesChunk<R> {
  rows: R[];
  /** `(?, ?), (?, ?)` or `($1::text, ...), (...)`. */
  tuples: string;
  params: unknown[];
}

/**
 * The rows' tuples in chunks of at most MAX_PARAMS parameters, `reserved` of
 * which are left for the caller's own parameters after the tuples.
 */
export function valuesChunks<R>(
  dialect: Dialect,
  columns: readonly SqlColumn[],
  rows: readonly R[],
  valueOf: (row: R, column: SqlColumn) => unknown,
  notNull: ReadonlySet<string>,
  reserved = 0,
): ValuesChunk<R>[] {
  const rowsPerChunk = Math.max(1, Math.floor((MAX_PARAMS - reserved) / Math.max(1, columns.length)));
  const out: ValuesChunk<R>[] = [];
  for (let start = 0; start < rows.length; start += rowsPerChunk) {
    const chunk = rows.slice(start, start + rowsPerChunk);
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const marks: string[] = [];
      for (const c of columns) {
        params.push(bindValue(dialect, c.type, valueOf(row, c), notNull.has(c.name)));
        marks.push(placeholder(dialect, c.type, params.length));
      }
      tuples.push(`(${marks.join(", ")})`);
    }
    out.push({ rows: chunk, tuples: tuples.join(", "), params });
  }
  return out;
}
