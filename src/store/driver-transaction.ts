import { randomUUID } from "node:crypto";
import type { Dialect } from "./database-url.js";
import type { Tx } from "./prisma-client.js";
import type { Statement } from "./sql-values.js";
import { intercept, type AnyFn } from "./adapter-proxy.js";

/*
 * The driver adapter's transaction behind a Prisma interactive transaction,
 * for the apply's bulk statements. Prisma's raw query path hands every bound
 * value through its query compiler (WebAssembly) and back, at roughly 50 ns a
 * byte and 3 µs a parameter: for a 10k-resource apply (100k parameters, 5 MB of
 * JSON) that was more time than the database spent writing. Sent to the
 * adapter's transaction, the same statements run on the same connection, in
 * the same transaction, which Prisma still begins, commits or rolls back.
 *
 * Prisma does not say which adapter transaction serves an interactive
 * transaction, so `of(tx)` asks: it sends a marker query through `tx`, and the
 * wrapper around the adapter notes the transaction object that receives it.
 */

/** The part of Prisma's driver adapter interface (SqlQueryable) the bulk writers use. */
interface AdapterQuery {
  sql: string;
  args: unknown[];
  argTypes: { scalarType: "unknown"; arity: "scalar" }[];
}
interface AdapterQueryable {
  executeRaw(query: AdapterQuery): Promise<number>;
  queryRaw(query: AdapterQuery): Promise<{ columnNames: string[]; rows: unknown[][] }>;
}

/** Statements run on a driver transaction. */
export interface DriverTransaction {
  execute(statement: Statement): Promise<number>;
  /** The first column of the first row a statement returns (e.g. `RETURNING "id"`). */
  queryValue(statement: Statement): Promise<unknown>;
}

const MARKER_COLUMN = "cfgsync_driver_transaction";

const query = ({ sql, params }: Statement): AdapterQuery => ({
  sql,
  args: params,
  // The writers bind values already in the column's stored form; the adapters' own conversions do not apply.
  argTypes: params.map(() => ({ scalarType: "unknown", arity: "scalar" })),
});


export class DriverTransactions {
  private readonly found = new Map<string, AdapterQueryable>();

  /** Wraps a driver adapter factory so that the transactions of the adapters it connects can be found. */
  track<F extends { connect(): Promise<object> }>(factory: F): F {
    const noteMarked = (tx: AdapterQueryable) =>
      intercept(tx, "queryRaw", (real) => async (...args: unknown[]) => {
        const q = args[0] as AdapterQuery;
        if (q.sql.includes(MARKER_COLUMN) && typeof q.args[0] === "string") this.found.set(q.args[0], tx);
        return real(...args);
      });
    return intercept(factory, "connect", (connect) => async () => {
      const adapter = (await connect()) as object;
      return intercept(adapter, "startTransaction", (start) => async (...args: unknown[]) =>
        noteMarked((await start(...args)) as AdapterQueryable),
      );
    });
  }

  /** The driver transaction serving `tx` (one round trip to find it). */
  async of(tx: Tx, dialect: Dialect): Promise<DriverTransaction> {
    const token = randomUUID();
    await tx.$queryRawUnsafe(`SELECT ${dialect === "postgresql" ? "$1::text" : "?"} AS "${MARKER_COLUMN}"`, token);
    const driver = this.found.get(token);
    this.found.delete(token);
    if (!driver) throw new Error("the driver adapter's transaction was not found (is the adapter factory tracked?)");
    return {
      execute: (statement) => driver.executeRaw(query(statement)),
      queryValue: async (statement) => (await driver.queryRaw(query(statement))).rows[0]?.[0],
    };
  }
}
