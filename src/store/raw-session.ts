import type pg from "pg";
import type { DatabaseTarget } from "./database-url.js";
import { connectionFailed, translateDbError } from "./errors.js";

/** One SQLite connection on the raw driver, to an existing file; always closed. */
export async function withSqliteSession<T>(
  target: DatabaseTarget,
  opts: { readonly?: boolean; timeout?: number },
  work: (db: import("better-sqlite3").Database) => T,
): Promise<T> {
  const { default: Database } = await import("better-sqlite3");
  let db: import("better-sqlite3").Database;
  try {
    db = new Database(target.file!, { fileMustExist: true, ...opts });
  } catch (err) {
    throw connectionFailed(target, err);
  }
  try {
    return work(db);
  } catch (err) {
    throw translateDbError(target, err);
  } finally {
    db.close();
  }
}

/**
 * One PostgreSQL session on the raw driver, for what must not go through the
 * pooled client: migrations (a session-level lock), their status, the apply
 * lock's status. Connection failures become `db.unreachable`; the session
 * always ends (which also releases any session lock it took).
 */
export async function withPgSession<T>(target: DatabaseTarget, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const { default: driver } = await import("pg");
  const client = new driver.Client({ connectionString: target.url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => {}); // a dropped connection surfaces on the next query instead of crashing the process
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw connectionFailed(target, err);
  }
  try {
    return await work(client);
  } catch (err) {
    throw translateDbError(target, err);
  } finally {
    await client.end().catch(() => {});
  }
}
