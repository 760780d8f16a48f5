import { UserError } from "../domain/diagnostic.js";
import type { LiveState } from "../domain/state.js";
import { applyChanges, toRevisionRecord } from "./apply.js";
import { parseDatabaseUrl, type DatabaseTarget } from "./database-url.js";
import { trackDriverReads } from "./driver-reads.js";
import { DriverTransactions } from "./driver-transaction.js";
import { connectionFailed, connectionWatch, translateDbError } from "./errors.js";
import { SQLITE_BUSY_TIMEOUT_MS, pgHolderRecord, sqliteHolderRecord } from "./lock.js";
import { migrateDatabase } from "./migrate.js";
import type { Db, PrismaValues } from "./prisma-client.js";
import { readLiveState } from "./read-live.js";
import { countingAdapterFactory, type RoundTripCounter } from "./round-trips.js";
import type { ApplyRequest, RevisionRecord, Store } from "./types.js";

export type { Store, ApplyRequest, RevisionRecord } from "./types.js";

interface Client {
  db: Db;
  prisma: PrismaValues;
  transactions: DriverTransactions;
}

/** Loads only the generated client and driver of the URL's dialect. */
async function createClient(target: DatabaseTarget, counter: RoundTripCounter, onConnectionError: (err: unknown) => void): Promise<Client> {
  if (target.dialect === "sqlite") {
    const [{ PrismaClient, Prisma }, { PrismaBetterSQLite3 }] = await Promise.all([
      import("../generated/sqlite/client.js"),
      import("@prisma/adapter-better-sqlite3"),
    ]);
    const transactions = new DriverTransactions();
    const adapter = transactions.track(
      trackDriverReads(
        countingAdapterFactory(new PrismaBetterSQLite3({ url: target.url, timeout: SQLITE_BUSY_TIMEOUT_MS, fileMustExist: false }), counter),
      ),
    );
    return { db: new PrismaClient({ adapter }), prisma: Prisma, transactions };
  }
  const [{ PrismaClient, Prisma }, { PrismaPg }] = await Promise.all([
    import("../generated/postgresql/client.js"),
    import("@prisma/adapter-pg"),
  ]);
  const transactions = new DriverTransactions();
  const adapter = transactions.track(
    trackDriverReads(
      countingAdapterFactory(
        new PrismaPg(
          {
            connectionString: target.url,
            connectionTimeoutMillis: 10_000,
            // Idle pooled connections must not keep a finished CLI process alive.
            allowExitOnIdle: true,
          },
          // A session the server ends mid-transaction: the store's operations fail with it (see connectionWatch).
          { onConnectionError },
        ),
        counter,
      ),
    ),
  );
  // Same runtime models as the SQLite client; see prisma-client.ts.
  return { db: new PrismaClient({ adapter }) as unknown as Db, prisma: Prisma, transactions };
}

/**
 * Opens the database a URL names (`file:` SQLite, `postgresql://` PostgreSQL)
 * and checks that it is reachable. Unsupported schemes and unreachable
 * databases are UserErrors whose messages never show the password.
 */
export async function openDatabase(url: string): Promise<Store> {
  const target = parseDatabaseUrl(url);
  const counter: RoundTripCounter = { count: 0 };
  const watch = connectionWatch(target);
  const { db, prisma, transactions } = await createClient(target, counter, watch.onError);
  try {
    await db.$queryRawUnsafe("SELECT 1");
  } catch (err) {
    await db.$disconnect().catch(() => {});
    throw connectionFailed(target, err);
  }
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await watch.race(work());
    } catch (err) {
      throw translateDbError(target, err);
    }
  };

  const holderRecord =
    target.dialect === "sqlite"
      ? sqliteHolderRecord(target.file!)
      : // Outside the apply's transaction (another pooled connection), so waiters see it at once.
        pgHolderRecord((sql, params) => db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params));
  const store: Store = {
    dialect: target.dialect,
    migrate: () => migrateDatabase(target),
    readLive: (): Promise<LiveState> => guard(() => readLiveState(db, { sequential: false })),
    apply: (req: ApplyRequest): Promise<RevisionRecord> =>
      guard(() => applyChanges({ db, dialect: target.dialect, prisma, transactions, holderRecord }, req)),
    history: (opts = {}): Promise<RevisionRecord[]> =>
      guard(async () =>
        (await db.cfgsyncRevision.findMany({ orderBy: { id: "desc" }, ...(opts.limit ? { take: opts.limit } : {}) })).map(
          toRevisionRecord,
        ),
      ),
    roundTrips: () => counter.count,
    query: (sql, params) => guard(() => db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params)),
    // After a dropped session Prisma's disconnect waits for the transaction that session held, forever.
    close: () => (watch.lost ? (void db.$disconnect().catch(() => {}), Promise.resolve()) : db.$disconnect()),
  };
  clients.set(store, db);
  return store;
}

/** The Prisma client behind a Store, for the bench's naive baseline only (see naive.ts). */
const clients = new WeakMap<Store, Db>();
export function storeClient(store: Store): Db {
  const db = clients.get(store);
  if (!db) throw new Error("not a store opened by openDatabase");
  return db;
}
