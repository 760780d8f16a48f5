import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { UserError } from "../domain/diagnostic.js";
import { describeHolder } from "../domain/lock.js";
import { parseHolder, type LockHolder, type LockStatus } from "../domain/lock.js";
import type { DatabaseTarget, Dialect } from "./database-url.js";

export type { LockHolder, LockStatus } from "../domain/lock.js";
import { withSqlSession, type SqlDb } from "./sql-db.js";

/*
 * The apply lock, and who holds it.
 *
 * The lock itself always dies with its holder: PostgreSQL's transaction-scoped
 * advisory lock ends with the transaction or the session; SQLite's write lock
 * is a file lock the OS drops when the process ends. But a waiter cannot see
 * inside the holder's transaction, so the holder also publishes a *record*
 * outside it (actor, host, pid, CI run, since): the `cfgsync_lock` row,
 * written on its own connection, on PostgreSQL; a file next to the database
 * (`<file>.lock-holder.json`) on SQLite, whose writer is locked out. A holder
 * that dies leaves its record behind: `cfgsync lock status` shows it as stale
 * and `cfgsync lock release --force` clears it.
 */

/** Key of the PostgreSQL advisory lock every apply takes ("cfgsync" as a number). */
export const APPLY_LOCK_KEY = 0x63666773796e63n;

/** The connection's ordinary busy timeout (ms), restored once the lock is held. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** Who is asking for the lock: the actor and CI run come from the layer that knows the environment. */
export function lockHolder(who: { actor: string; run_url?: string }, now = new Date()): LockHolder {
  return { actor: who.actor, host: hostname(), pid: process.pid, ...(who.run_url ? { run_url: who.run_url } : {}), since: now.toISOString() };
}

type Run = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** Where the holder record lives, per dialect (see the note at the top). */
export interface HolderRecord {
  publish(h: LockHolder): Promise<void>;
  /** Clears the record if it is still `h`'s (or any record, without `h`). */
  clear(h?: LockHolder): Promise<void>;
  read(): Promise<LockHolder | null>;
}

export function pgHolderRecord(run: Run): HolderRecord {
  return {
    async publish(h) {
      await run(
        `INSERT INTO "cfgsync_lock" ("id", "holder", "locked_at") VALUES (1, $1, CURRENT_TIMESTAMP)
         ON CONFLICT ("id") DO UPDATE SET "holder" = EXCLUDED."holder", "locked_at" = EXCLUDED."locked_at"`,
        [JSON.stringify(h)],
      );
    },
    async clear(h) {
      if (h) await run(`UPDATE "cfgsync_lock" SET "holder" = NULL, "locked_at" = NULL WHERE "id" = 1 AND "holder" = $1`, [JSON.stringify(h)]);
      else await run(`UPDATE "cfgsync_lock" SET "holder" = NULL, "locked_at" = NULL WHERE "id" = 1`, []);
    },
    async read() {
      return parseHolder((await run(`SELECT "holder" FROM "cfgsync_lock" WHERE "id" = 1`, []))[0]?.holder);
    },
  };
}

export function sqliteHolderRecord(file: string): HolderRecord {
  const path = `${file}.lock-holder.json`;
  const read = (): LockHolder | null => {
    try {
      return parseHolder(readFileSync(path, "utf8"));
    } catch {
      return null;
    }
  };
  return {
    async publish(h) {
      writeFileSync(`${path}.${process.pid}`, JSON.stringify(h));
      renameSync(`${path}.${process.pid}`, path);
    },
    async clear(h) {
      const current = read();
      if (!h || (current && JSON.stringify(current) === JSON.stringify(h)) || (!current && existsSync(path))) rmSync(path, { force: true });
    },
    async read() {
      return read();
    },
  };
}

export function lockedError(timeoutMs: number, holder: LockHolder | null): UserError {
  const who = holder ? `: ${describeHolder(holder)}` : " (its holder left no record)";
  return new UserError("lock.held", `another apply holds the lock${who}; waited ${Math.round(timeoutMs / 1000)} s`, {
    suggestions: [
      "wait for it to finish and plan again, or raise --lock-timeout; `cfgsync lock status` shows the holder, `cfgsync lock release --force` frees a lock whose holder died",
    ],
  });
}

function isBusy(err: unknown): boolean {
  const text = `${(err as Error)?.message ?? ""} ${JSON.stringify(err, Object.getOwnPropertyNames(err ?? {}))}`;
  return /SQLITE_BUSY|database is locked|SocketTimeout/i.test(text);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the apply lock as the transaction's first act, waiting up to timeoutMs,
 * then publishes the holder record. PostgreSQL: a transaction-scoped advisory
 * lock, polled so that the wait is bounded and the event loop stays free.
 * SQLite: writing the cfgsync_lock row takes the database's write lock; with
 * the busy timeout at 0 the wait is an async retry loop rather than a busy
 * wait that would block the whole process (better-sqlite3 is synchronous).
 */
export async function acquireApplyLock(tx: SqlDb, timeoutMs: number, holder: LockHolder, record: HolderRecord): Promise<void> {
  const dialect: Dialect = tx.dialect;
  const deadline = Date.now() + timeoutMs;
  if (dialect === "postgresql") {
    for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
      const rows = await tx.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(${APPLY_LOCK_KEY}) AS locked`);
      if (rows[0]?.locked) break;
      if (Date.now() >= deadline) throw lockedError(timeoutMs, await record.read());
      await sleep(delay);
    }
    await record.publish(holder);
    return;
  }
  await tx.query(`PRAGMA busy_timeout = 0`);
  try {
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      try {
        await tx.execute(
          `INSERT INTO "cfgsync_lock" ("id", "holder", "locked_at") VALUES (1, $1, $2)
           ON CONFLICT ("id") DO UPDATE SET "holder" = excluded."holder", "locked_at" = excluded."locked_at"`,
          [JSON.stringify(holder), new Date(holder.since)],
        );
        break;
      } catch (err) {
        if (!isBusy(err)) throw err;
        if (Date.now() >= deadline) throw lockedError(timeoutMs, await record.read());
        await sleep(delay);
      }
    }
  } finally {
    await tx.query(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  }
  await record.publish(holder);
}

/* ---- lock status and release (`cfgsync lock`), each on one connection of its own ---- */

// Advisory locks belong to one database, but pg_locks shows the whole cluster's: only this database's count.
const ADVISORY_KEY_WHERE = `l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND l.classid = ${Number(APPLY_LOCK_KEY >> 32n)} AND l.objid = ${Number(APPLY_LOCK_KEY & 0xffffffffn)} AND l.objsubid = 1`;

function withPg<T>(target: DatabaseTarget, work: (run: Run) => Promise<T>): Promise<T> {
  return withSqlSession(target, {}, (conn) => work((sql, params) => conn.query(sql, params)));
}

export async function readLockStatus(target: DatabaseTarget): Promise<LockStatus> {
  if (target.dialect === "postgresql") {
    return withPg(target, async (run) => {
      const sessions = await run(
        `SELECT a.pid, a.application_name, a.client_addr::text AS client_addr, a.xact_start
           FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE ${ADVISORY_KEY_WHERE}`,
        [],
      );
      const holder = await pgHolderRecord(run).read().catch(() => null);
      const s = sessions[0];
      return {
        dialect: target.dialect,
        held: sessions.length > 0,
        holder,
        ...(s
          ? {
              session: {
                pid: Number(s.pid),
                application_name: String(s.application_name ?? ""),
                client_addr: (s.client_addr as string | null) ?? null,
                xact_start: s.xact_start ? new Date(s.xact_start as string).toISOString() : null,
              },
            }
          : {}),
      };
    });
  }
  const held = await withSqlSession(target, { mustExist: true, busyTimeoutMs: 0 }, async (conn) => {
    // Taking the write lock for an instant (and giving it back) is the only way to ask SQLite who writes.
    try {
      await conn.execute("BEGIN IMMEDIATE");
      await conn.execute("ROLLBACK");
      return false;
    } catch (err) {
      if (isBusy(err)) return true;
      throw err;
    }
  });
  return { dialect: target.dialect, held, holder: await sqliteHolderRecord(target.file!).read() };
}

/**
 * Frees the lock of a holder that died. Without a live holder it clears the
 * stale record. With one: on PostgreSQL it ends the holder's session
 * (pg_terminate_backend: its transaction rolls back, nothing half-applied
 * stays), which needs the privilege to do so; on SQLite nothing can take a
 * file lock from a live process, so it refuses and names the process to stop.
 */
export async function releaseLock(target: DatabaseTarget): Promise<{ released: "record" | "session" | "nothing"; status: LockStatus }> {
  const status = await readLockStatus(target);
  if (status.held && target.dialect === "sqlite") {
    const who = status.holder ? describeHolder(status.holder) : "a process that left no record";
    throw new UserError("lock.held", `a live process holds the SQLite database's write lock: ${who}; nothing was released`, {
      suggestions: [`stop that process (kill ${status.holder?.pid ?? "PID"} on ${status.holder?.host ?? "its host"}); its transaction rolls back and the lock is freed`],
    });
  }
  if (status.held && target.dialect === "postgresql") {
    await withPg(target, async (run) => {
      await run(`SELECT pg_terminate_backend($1)`, [status.session!.pid]);
      await pgHolderRecord(run).clear();
    });
    return { released: "session", status };
  }
  if (!status.holder) return { released: "nothing", status };
  if (target.dialect === "postgresql") await withPg(target, (run) => pgHolderRecord(run).clear());
  else await sqliteHolderRecord(target.file!).clear();
  return { released: "record", status };
}
