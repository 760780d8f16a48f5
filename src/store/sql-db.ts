import type { DatabaseTarget, Dialect } from "./database-url.js";
import { connectionFailed, isConnectionError, translateDbError } from "./errors.js";
import { sqlParam, toSqlitePlaceholders } from "./sql-values.js";

/*
 * The one way cfgsync talks to a database: the CLI's store, the migrations and
 * the runtime library all go through a SqlDb on the driver itself
 * (better-sqlite3, pg). Prisma keeps the schema, the migrations it diffs at
 * development time and the generated types; no Prisma client starts at run
 * time.
 *
 * Statements use PostgreSQL's `$1` placeholders (or `?` on SQLite); values are
 * bound through sql-values.ts (`sqlParam`) and read back through its decoders.
 * Every statement and every BEGIN counts as one round trip: tests and the bench
 * prove with it that reads grow with the number of tables, not rows.
 */

export type Row = Record<string, unknown>;

export interface SqlDb {
  readonly dialect: Dialect;
  readonly target: DatabaseTarget;
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** A statement that returns no rows; resolves to the number of rows it changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /** A script of several statements without parameters (a migration). */
  script(sql: string): Promise<void>;
  /**
   * Runs `work` in one transaction on one connection, committed when it
   * resolves and rolled back when it throws. `begin` replaces the BEGIN
   * statement (SQLite's BEGIN IMMEDIATE takes the write lock up front).
   */
  transaction<T>(work: (tx: SqlDb) => Promise<T>, opts?: { begin?: string }): Promise<T>;
  /** Runs `work` on one connection held throughout (session-level locks), without a transaction. */
  session<T>(work: (conn: SqlDb) => Promise<T>): Promise<T>;
  /** Statements sent so far. */
  roundTrips(): number;
  close(): Promise<void>;
}

/** What a driver connection does for a SqlDb. */
interface Connection {
  run(sql: string, params: unknown[]): Promise<{ rows: Row[]; changed: number }>;
  script(sql: string): Promise<void>;
}

interface Driver {
  /** Single statements outside any transaction. */
  any: Connection;
  /** One connection held for `work`. */
  hold<T>(work: (conn: Connection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function sqlDb(target: DatabaseTarget, counter: { n: number }, driver: Driver, conn: Connection = driver.any, held = false): SqlDb {
  const run = async (sql: string, params: readonly unknown[]) => {
    counter.n++;
    return conn.run(sql, params.map((v) => sqlParam(target.dialect, v)));
  };
  const onOne = <T>(work: (c: Connection) => Promise<T>) => (held ? work(conn) : driver.hold(work));
  const db: SqlDb = {
    dialect: target.dialect,
    target,
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await run(sql, params)).rows as T[],
    execute: async (sql, params = []) => (await run(sql, params)).changed,
    script: async (sql) => {
      counter.n++;
      await conn.script(sql);
    },
    session: (work) => onOne((c) => work(sqlDb(target, counter, driver, c, true))),
    transaction: (work, opts = {}) =>
      onOne(async (c) => {
        const tx = sqlDb(target, counter, driver, c, true);
        await tx.execute(opts.begin ?? "BEGIN");
        let result;
        try {
          result = await work(tx);
        } catch (err) {
          await c.run("ROLLBACK", []).catch(() => {});
          throw err;
        }
        await c.run("COMMIT", []);
        return result;
      }),
    roundTrips: () => counter.n,
    close: () => driver.close(),
  };
  return db;
}

/** Calls on one connection, one at a time (a better-sqlite3 transaction keeps it across awaits; a pg client takes one query at a time). */
class Turns {
  #tail: Promise<unknown> = Promise.resolve();
  take<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.#tail.then(work);
    this.#tail = turn.catch(() => {});
    return turn;
  }
}

async function sqliteDriver(target: DatabaseTarget, opts: OpenOptions): Promise<Driver> {
  const { default: Database } = await import("better-sqlite3");
  let db: InstanceType<typeof Database>;
  try {
    db = new Database(target.file!, {
      fileMustExist: opts.mustExist ?? opts.readonly ?? false,
      readonly: opts.readonly ?? false,
      timeout: opts.busyTimeoutMs ?? 5_000,
    });
  } catch (err) {
    throw connectionFailed(target, err);
  }
  const raw: Connection = {
    async run(sql, params) {
      const q = toSqlitePlaceholders(sql, params);
      const stmt = db.prepare(q.sql);
      if (stmt.reader) return { rows: stmt.all(...q.params) as Row[], changed: 0 };
      return { rows: [], changed: stmt.run(...q.params).changes };
    },
    async script(sql) {
      db.exec(sql);
    },
  };
  const turns = new Turns();
  return {
    any: { run: (sql, params) => turns.take(() => raw.run(sql, params)), script: (sql) => turns.take(() => raw.script(sql)) },
    hold: (work) => turns.take(() => work(raw)),
    close: async () => {
      await turns.take(async () => db.close());
    },
  };
}

/** TIMESTAMP (without time zone) holds UTC wall-clock time: read it as UTC, whatever the process's zone. */
const PG_TIMESTAMP = 1114;

async function pgDriver(target: DatabaseTarget, opts: OpenOptions): Promise<Driver> {
  const { default: pg } = await import("pg");
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      oid === PG_TIMESTAMP ? (text: string) => new Date(`${text.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format as "text"),
  };
  const pool = new pg.Pool({
    connectionString: target.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    // Idle pooled connections must not keep a finished CLI process alive.
    allowExitOnIdle: true,
    types,
  });
  // An idle client dropped by the server (restart, failover) must not crash the
  // host process: the pool replaces it, and the next query reports any outage.
  pool.on("error", () => {});
  try {
    (await pool.connect()).release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw isConnectionError(err) ? connectionFailed(target, err) : err;
  }
  const over = (q: Pick<InstanceType<typeof pg.Pool>, "query">): Connection => ({
    async run(sql, params) {
      const result = await q.query({ text: sql, values: params });
      return { rows: result.rows as Row[], changed: result.rowCount ?? 0 };
    },
    async script(sql) {
      // No parameters: node-pg sends the whole script as one simple query.
      await q.query(sql);
    },
  });
  return {
    any: over(pool),
    async hold(work) {
      const client = await pool.connect();
      client.on("error", () => {}); // surfaces on the next statement instead of crashing the process
      let broken: Error | undefined;
      // One client runs one statement at a time (concurrent reads inside a transaction queue here, not in node-pg).
      const turns = new Turns();
      const conn = over(client);
      try {
        return await work({ run: (sql, params) => turns.take(() => conn.run(sql, params)), script: (sql) => turns.take(() => conn.script(sql)) });
      } catch (err) {
        if (isConnectionError(err)) broken = err as Error;
        throw err;
      } finally {
        // A connection that failed mid-work is not handed to the next caller.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

export interface OpenOptions {
  /** SQLite: refuse to create the file (the runtime library never creates a database). */
  mustExist?: boolean;
  /** SQLite: open the file read-only (status reads that must never create or change anything). */
  readonly?: boolean;
  /** SQLite: how long a statement waits for another process's write lock (ms). */
  busyTimeoutMs?: number;
  /** PostgreSQL: connections in the pool. */
  poolSize?: number;
}

/** Opens the database a parsed URL names and checks that it is reachable (UserError db.unreachable otherwise). */
export async function openSqlDb(target: DatabaseTarget, opts: OpenOptions = {}): Promise<SqlDb> {
  const driver = target.dialect === "sqlite" ? await sqliteDriver(target, opts) : await pgDriver(target, opts);
  return sqlDb(target, { n: 0 }, driver);
}

/**
 * Opens the database for one piece of work on one connection (`session`) and
 * always closes it: migrations, their status, the lock's status. Errors come
 * out translated (db.not-migrated, db.permission-denied, ...); closing the
 * connection also ends any session lock the work took.
 */
export async function withSqlSession<T>(target: DatabaseTarget, opts: OpenOptions, work: (conn: SqlDb) => Promise<T>): Promise<T> {
  const db = await openSqlDb(target, { poolSize: 1, ...opts });
  try {
    return await db.session(work);
  } catch (err) {
    throw translateDbError(target, err);
  } finally {
    await db.close().catch(() => {});
  }
}
