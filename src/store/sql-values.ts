import type { FieldType } from "../domain/resources.js";
import type { Dialect } from "./database-url.js";

/*
 * Rows as the tuples of a `VALUES (...), (...)` list, bound as parameters and
 * cut into chunks that each fit one statement. The bulk writers (batch-insert,
 * batch-update, batch-delete) build their SQL around these chunks, so a 10k-row
 * apply is a handful of statements rather than thousands, and none of them goes
 * through the Prisma client's per-row query building.
 *
 * This module is the one place values cross into and out of SQL. Values are
 * written as Prisma writes them, so the schema's owner (Prisma) and the platform
 * read them back unchanged: JSON as its JSON.stringify text (SQLite stores it as
 * TEXT), booleans as 1/0 on SQLite, decimals as canonical strings, DateTimes as
 * Prisma's driver adapters format them (see `timestampParam`). The decoders
 * below read what either driver returns.
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
export function bindValue(type: SqlType, value: unknown, notNull: boolean): unknown {
  if (type === "json") {
    if (value === null || value === undefined) return notNull ? "null" : null;
    return value instanceof JsonText ? value.text : JSON.stringify(value);
  }
  return value === undefined ? null : value;
}

/**
 * Any bound value as the driver takes it: better-sqlite3 binds neither booleans
 * nor Dates (stored as 1/0 and Prisma's ISO text), and node-pg would send a Date
 * in the process's local zone, which a TIMESTAMP column then misreads.
 */
export function sqlParam(dialect: Dialect, value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return timestampParam(dialect, value);
  if (typeof value === "boolean" && dialect === "sqlite") return value ? 1 : 0;
  return value;
}

/** `$2 ... $1 ... $2` -> `? ... ? ... ?` with the parameters re-ordered to match (SQL written once for both dialects). */
export function toSqlitePlaceholders(sql: string, params: readonly unknown[]): { sql: string; params: unknown[] } {
  if (!sql.includes("$")) return { sql, params: [...params] };
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    ordered.push(params[Number(n) - 1]);
    return "?";
  });
  return { sql: text, params: text === sql ? [...params] : ordered };
}

/*
 * Reading. better-sqlite3 returns INTEGER as numbers (booleans 1/0), TEXT as
 * strings (JSON, decimals, DateTimes); node-pg returns int4 and boolean as JS
 * values, int8 and NUMERIC as text, jsonb parsed, TIMESTAMP as a UTC Date.
 */

/** A BOOLEAN column (1/0 on SQLite, true/false on PostgreSQL, either as text from an aggregate). */
export function boolFromSql(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (v === 1 || v === 1n || v === "1" || v === "true" || v === "TRUE" || v === "t") return true;
  if (v === 0 || v === 0n || v === "0" || v === "false" || v === "FALSE" || v === "f") return false;
  throw new Error(`expected a boolean, got ${typeof v}: ${String(v)}`);
}

/** A JSON column as a JS value: PostgreSQL's jsonb arrives parsed, SQLite's as its text. */
export function jsonFromSql(dialect: Dialect, v: unknown): unknown {
  return dialect === "sqlite" && typeof v === "string" ? (JSON.parse(v) as unknown) : v;
}

/** A DateTime column: Prisma's ISO text (or CURRENT_TIMESTAMP's "YYYY-MM-DD HH:MM:SS", UTC) on SQLite, a Date on PostgreSQL. */
export function timestampFromSql(v: unknown): Date {
  if (v instanceof Date) return v;
  const text = String(v);
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text.replace(" ", "T") : `${text.replace(" ", "T")}Z`);
  if (Number.isNaN(d.getTime())) throw new Error(`expected a timestamp, got ${text}`);
  return d;
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
        params.push(bindValue(c.type, valueOf(row, c), notNull.has(c.name)));
        marks.push(placeholder(dialect, c.type, params.length));
      }
      tuples.push(`(${marks.join(", ")})`);
    }
    out.push({ rows: chunk, tuples: tuples.join(", "), params });
  }
  return out;
}
