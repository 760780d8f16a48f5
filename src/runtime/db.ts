import { parseDatabaseUrl } from "../store/database-url.js";
import { translateDbError } from "../store/errors.js";
import { openSqlDb, type SqlDb } from "../store/sql-db.js";

/*
 * The runtime library's connection: the store's SqlDb (one database path for
 * the CLI, the migrations and the runtime). The platform's hot paths (a user
 * saving a setting, reading its effective configuration) need exact control of
 * the statement: a single `INSERT ... ON CONFLICT ... RETURNING` is what makes
 * concurrent saves of one key race-free on both databases.
 */

export type { SqlDb } from "../store/sql-db.js";

/** The platform's database, which must exist already: the runtime never creates one. */
export function openRuntimeDb(databaseUrl: string, opts: { poolSize?: number } = {}): Promise<SqlDb> {
  return openSqlDb(parseDatabaseUrl(databaseUrl), { mustExist: true, busyTimeoutMs: 10_000, ...opts });
}

/**
 * Database faults are the operator's to fix (unmigrated, permission denied,
 * connection lost): say so through the store's one translation (store/errors.ts).
 */
export async function whenMigrated<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw translateDbError(parseDatabaseUrl(databaseUrl), err);
  }
}
