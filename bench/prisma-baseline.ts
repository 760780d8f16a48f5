import type { PrismaClient } from "../src/generated/sqlite/client.js";
import { parseDatabaseUrl } from "../src/store/database-url.js";

/*
 * The seed-script baseline's own Prisma client (cfgsync itself talks to the
 * drivers through src/store/sql-db.ts). Its round trips are counted by wrapping
 * the driver adapter: every queryRaw/executeRaw (and the BEGIN of a
 * transaction) is one, as the store counts its statements.
 *
 * The two generated clients have the same models and differ only in the Money
 * columns' TS type (string on SQLite, Decimal on PostgreSQL); the baseline
 * writes money as canonical strings, which both accept, so one type serves.
 */

type AnyFn = (...args: unknown[]) => unknown;
const COUNTED = new Set(["queryRaw", "executeRaw", "executeScript", "startTransaction"]);

/** A proxy over an object whose counted methods bump the counter; transactions are wrapped too. */
function counting<T extends object>(target: T, counter: { n: number }): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      // Bound to the real object: adapters keep state in #private fields a proxy cannot reach.
      const bound = (value as AnyFn).bind(obj);
      if (prop === "connect") return async () => counting((await bound()) as object, counter);
      if (typeof prop !== "string" || !COUNTED.has(prop)) return bound;
      return async (...args: unknown[]) => {
        counter.n++;
        const result = await bound(...args);
        return prop === "startTransaction" && result && typeof result === "object" ? counting(result, counter) : result;
      };
    },
  });
}

export interface PrismaBaseline {
  db: PrismaClient;
  roundTrips(): number;
  close(): Promise<void>;
}

/** A Prisma client on the URL's database, through the driver adapter of its dialect, with its round trips counted. */
export async function openPrismaBaseline(url: string): Promise<PrismaBaseline> {
  const target = parseDatabaseUrl(url);
  const counter = { n: 0 };
  let db: PrismaClient;
  if (target.dialect === "sqlite") {
    const [{ PrismaClient }, { PrismaBetterSQLite3 }] = await Promise.all([
      import("../src/generated/sqlite/client.js"),
      import("@prisma/adapter-better-sqlite3"),
    ]);
    db = new PrismaClient({ adapter: counting(new PrismaBetterSQLite3({ url: target.url, timeout: 5_000 }), counter) });
  } else {
    const [{ PrismaClient }, { PrismaPg }] = await Promise.all([import("../src/generated/postgresql/client.js"), import("@prisma/adapter-pg")]);
    db = new PrismaClient({ adapter: counting(new PrismaPg({ connectionString: target.url, allowExitOnIdle: true }), counter) }) as unknown as PrismaClient;
  }
  return { db, roundTrips: () => counter.n, close: () => db.$disconnect() };
}
