import { createAccounts } from "./accounts.js";
import { applyChanges, toRevisionRecord } from "./apply.js";
import { parseDatabaseUrl } from "./database-url.js";
import { translateDbError } from "./errors.js";
import { SQLITE_BUSY_TIMEOUT_MS, pgHolderRecord, sqliteHolderRecord } from "./lock.js";
import { migrateDatabase } from "./migrate.js";
import { readLiveState } from "./read-live.js";
import { openSqlDb, type SqlDb } from "./sql-db.js";
import { jsonFromSql, timestampFromSql } from "./sql-values.js";
import type { RevisionRecord, Store } from "./types.js";
import { readHold, readRevisionState, releaseHold } from "./restore.js";

export type { Store, ApplyRequest, RevisionRecord } from "./types.js";
export type { ApplyHooks } from "./types.js";

async function readHistory(db: SqlDb, limit?: number): Promise<RevisionRecord[]> {
  const rows = await db.query(
    `SELECT "id", "created_at", "git_commit", "actor", "plan_digest", "config_digest", "state_digest", "summary", "changes", "restored_from"
     FROM "cfgsync_revision" ORDER BY "id" DESC${limit ? ` LIMIT ${Math.trunc(limit)}` : ""}`,
  );
  return rows.map((row) =>
    toRevisionRecord({
      id: Number(row.id),
      created_at: timestampFromSql(row.created_at),
      git_commit: row.git_commit == null ? null : String(row.git_commit),
      actor: String(row.actor),
      plan_digest: String(row.plan_digest),
      config_digest: String(row.config_digest),
      state_digest: String(row.state_digest),
      summary: jsonFromSql(db.dialect, row.summary),
      changes: jsonFromSql(db.dialect, row.changes),
      restored_from: row.restored_from == null ? null : Number(row.restored_from),
    }),
  );
}

/**
 * Opens the database a URL names (`file:` SQLite, `postgresql://` PostgreSQL)
 * and checks that it is reachable. Unsupported schemes and unreachable
 * databases are UserErrors whose messages never show the password.
 */
export async function openDatabase(url: string): Promise<Store> {
  const target = parseDatabaseUrl(url);
  const db = await openSqlDb(target, { busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS });
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw translateDbError(target, err);
    }
  };
  // Outside the apply's transaction (another pooled connection), so waiters see it at once.
  const holderRecord = target.dialect === "sqlite" ? sqliteHolderRecord(target.file!) : pgHolderRecord((sql, params) => db.query(sql, params));
  return {
    dialect: target.dialect,
    migrate: () => migrateDatabase(target),
    readLive: () => guard(() => readLiveState(db)),
    apply: (req, hooks) => guard(() => applyChanges({ db, holderRecord, ...(hooks ? { hooks } : {}) }, req)),
    history: (opts = {}) => guard(() => readHistory(db, opts.limit)),
    revisionState: (id) => guard(() => readRevisionState(db, id)),
    readHold: () => guard(() => readHold(db)),
    releaseHold: () => guard(() => releaseHold(db)),
    roundTrips: () => db.roundTrips(),
    createAccounts: (slugs, name) => guard(() => createAccounts(db, slugs, name)),
    query: (sql, params) => guard(() => db.query(sql, params)),
    close: () => db.close(),
  };
}
