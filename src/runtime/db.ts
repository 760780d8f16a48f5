import { parseDatabaseUrl, type Dialect } from "../store/database-url.js";
import { UserError } from "../domain/diagnostic.js";
import { connectionFailed, isConnectionError, isMissingTable, notMigrated, translateDbError } from "../store/errors.js";

/**
 * A thin raw-SQL connection for the runtime library. The platform's hot paths
 * (a user saving a setting, reading its effective configuration) need exact
 * control of the statement: a single `INSERT ... ON CONFLICT ... RETURNING` is
 * what makes concurrent saves of one key race-free on both databases.
 *
 * SQL is written with PostgreSQL's `$1` placeholders; on SQLite they become `?`
 * in order of appearance, so one statement text serves both dialects.
 */
export interface SqlDb {
  dialect: Dialect;
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** `$2 ... $1 ... $2` -> `? ... ? ... ?` with the parameters re-ordered to match. */
export function toSqlitePlaceholders(sql: string, params: readonly unknown[]): { sql: string; params: unknown[] } {
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    ordered.push(params[Number(n) - 1]);
    return "?";
  });
  return { sql: text, params: text === sql ? [...params] : ordered };
}

/** better-sqlite3 binds neither booleans nor Dates; the stored forms are 1/0 and Prisma's ISO text. */
function sqliteValue(v: unknown): unknown {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  return v;
}

export async function openSqlDb(databaseUrl: string, opts: { poolSize?: number } = {}): Promise<SqlDb> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    let db: InstanceType<typeof Database>;
    try {
      db = new Database(target.file!, { fileMustExist: true, timeout: 10_000 });
    } catch (err) {
      throw connectionFailed(target, err);
    }
    return {
      dialect: "sqlite",
      async query<T>(sql: string, params: readonly unknown[] = []) {
        try {
          const q = toSqlitePlaceholders(sql, params);
          const stmt = db.prepare(q.sql);
          const bound = q.params.map(sqliteValue);
          if (stmt.reader) return stmt.all(...bound) as T[];
          stmt.run(...bound);
          return [];
        } catch (err) {
          throw translateDbError(target, err);
        }
      },
      async close() {
        db.close();
      },
    };
  }
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: target.url, max: opts.poolSize ?? 10 });
  // An idle client dropped by the server (restart, failover) must not crash the
  // host process: the pool replaces it, and the next query reports any outage.
  pool.on("error", () => {});
  try {
    (await pool.connect()).release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw isConnectionError(err) ? connectionFailed(target, err) : err;
  }
  return {
    dialect: "postgresql",
    async query<T>(sql: string, params: readonly unknown[] = []) {
      try {
        return (await pool.query(sql, params as unknown[])).rows as T[];
      } catch (err) {
        throw translateDbError(target, err);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** A JSON column's value as a JS value: PostgreSQL's jsonb arrives parsed, SQLite's as text. */
export function jsonColumn(dialect: Dialect, value: unknown): unknown {
  if (dialect === "sqlite" && typeof value === "string") return JSON.parse(value);
  return value;
}

/** A JSON parameter as each dialect's statement takes it (bound as text, cast where needed). */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value);
}

/** An unmigrated database is the operator's to fix: say so, with the command that fixes it. */
export async function whenMigrated<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof UserError) && isMissingTable(err)) throw notMigrated(parseDatabaseUrl(databaseUrl));
    throw err;
  }
}
