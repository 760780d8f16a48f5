import { randomUUID } from "node:crypto";
import { intercept, type AnyFn } from "./adapter-proxy.js";

/*
 * Bulk reads on the driver connection behind a Prisma client or interactive
 * transaction. findMany maps every row through Prisma's query compiler and
 * result mapper, about 7x the database's own time for a 10k-row live state;
 * the same SELECTs sent to the driver adapter run on the same connection (and,
 * inside an apply, the same transaction), in the same round trips.
 *
 * Prisma does not say which adapter (or adapter transaction) serves a client or
 * `tx`, so the caller's first read goes through Prisma with a marker comment in
 * its SQL, and the wrapper around the adapter notes the queryable receiving it.
 * The marker rides on a read that is needed anyway: no extra round trip.
 */

export interface DriverResult {
  columnNames: string[];
  rows: unknown[][];
}

/** The part of Prisma's driver adapter interface (SqlQueryable) the reads use. */
interface AdapterQueryable {
  queryRaw(query: { sql: string; args: unknown[]; argTypes: unknown[] }): Promise<DriverResult>;
}

export interface DriverReader {
  query(sql: string): Promise<DriverResult>;
}

const MARKER = /\/\* cfgsync-read ([0-9a-f-]{36}) \*\//;
/** Token -> the queryable that received it; entries are taken by the reader that made them. */
const found = new Map<string, AdapterQueryable>();


function noteMarked<T extends object>(queryable: T): T {
  return intercept(queryable, "queryRaw", (real) => (...args: unknown[]) => {
    const token = MARKER.exec((args[0] as { sql: string }).sql)?.[1];
    if (token) found.set(token, queryable as unknown as AdapterQueryable);
    return real(...args);
  });
}

/** Wraps a driver adapter factory so that the adapters and transactions it serves can be found by a marked read. */
export function trackDriverReads<F extends { connect(): Promise<object> }>(factory: F): F {
  return intercept(factory, "connect", (connect) => async () => {
    const adapter = noteMarked((await connect()) as object);
    return intercept(adapter, "startTransaction", (start) => async (...args: unknown[]) => noteMarked((await start(...args)) as object));
  });
}

/** A marker for `sql` sent through Prisma; `take` then gives the driver queryable that ran it, if tracked. */
export function markRead(sql: string): { sql: string; take(): DriverReader | undefined } {
  const token = randomUUID();
  return {
    sql: `${sql} /* cfgsync-read ${token} */`,
    take() {
      const q = found.get(token);
      found.delete(token);
      if (!q) return undefined;
      return {
        query: (text) => q.queryRaw({ sql: text, args: [], argTypes: [] }),
      };
    },
  };
}
