import { hostname } from "node:os";
import { UserError } from "../domain/diagnostic.js";
import type { Dialect } from "./database-url.js";
import type { Tx } from "./prisma-client.js";

/** Key of the PostgreSQL advisory lock every apply takes ("cfgsync" as a number). */
export const APPLY_LOCK_KEY = 0x63666773796e63n;

/** The connection's ordinary busy timeout (ms), restored once the lock is held. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function lockedError(timeoutMs: number): UserError {
  return new UserError("lock.held", `another apply holds the lock (waited ${Math.round(timeoutMs / 1000)} s)`, {
    suggestions: ["wait for the other apply to finish, then plan again"],
  });
}

function isBusy(err: unknown): boolean {
  const text = `${(err as Error)?.message ?? ""} ${JSON.stringify(err, Object.getOwnPropertyNames(err ?? {}))}`;
  return /SQLITE_BUSY|database is locked|SocketTimeout/i.test(text);
}

/**
 * Takes the apply lock as the transaction's first act, waiting up to timeoutMs.
 * PostgreSQL: a transaction-scoped advisory lock, polled so that the wait is
 * bounded and the event loop stays free. SQLite: writing the cfgsync_lock row
 * takes the database's write lock; with the busy timeout at 0 the wait is an
 * async retry loop rather than a busy wait that would block the whole process
 * (better-sqlite3 is synchronous).
 */
export async function acquireApplyLock(tx: Tx, dialect: Dialect, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const holder = `${hostname()}:${process.pid}`;
  if (dialect === "postgresql") {
    for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
      const rows = await tx.$queryRawUnsafe<{ locked: boolean }[]>(
        `SELECT pg_try_advisory_xact_lock(${APPLY_LOCK_KEY}) AS locked`,
      );
      if (rows[0]?.locked) break;
      if (Date.now() >= deadline) throw lockedError(timeoutMs);
      await sleep(delay);
    }
    await tx.$executeRawUnsafe(
      `INSERT INTO "cfgsync_lock" ("id", "holder", "locked_at") VALUES (1, $1, CURRENT_TIMESTAMP)
       ON CONFLICT ("id") DO UPDATE SET "holder" = EXCLUDED."holder", "locked_at" = EXCLUDED."locked_at"`,
      holder,
    );
    return;
  }
  await tx.$queryRawUnsafe(`PRAGMA busy_timeout = 0`);
  try {
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      try {
        await tx.$executeRawUnsafe(
          `INSERT INTO "cfgsync_lock" ("id", "holder", "locked_at") VALUES (1, ?, ?)
           ON CONFLICT ("id") DO UPDATE SET "holder" = excluded."holder", "locked_at" = excluded."locked_at"`,
          holder,
          new Date().toISOString().replace("Z", "+00:00"),
        );
        break;
      } catch (err) {
        if (!isBusy(err)) throw err;
        if (Date.now() >= deadline) throw lockedError(timeoutMs);
        await sleep(delay);
      }
    }
  } finally {
    await tx.$queryRawUnsafe(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  }
}
