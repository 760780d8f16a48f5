import { computePlan, openStore, type FlowOptions, type PlanResult } from "./flow.js";
import type { Store } from "../store/types.js";

/**
 * One database connection kept across the runs of a long-running command
 * (watch, sync): opened on first use, dropped after a failure so that the next
 * run reconnects instead of reusing a broken pool.
 *
 * Why keep it: opening costs a Prisma client, a connection and (SQLite) a
 * migration check on every run; a watch run on each keystroke would pay it
 * each time (see the report of issue #4 for the numbers).
 */
export class StoreSession {
  #store: Promise<Store> | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly open: (url: string) => Promise<Store> = openStore,
  ) {}

  /** Runs `fn` with the open store; an error that is not the user's drops the connection. */
  async use<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const opening = (this.#store ??= this.open(this.databaseUrl));
    let store: Store;
    try {
      store = await opening;
    } catch (err) {
      this.#store = undefined;
      throw err;
    }
    try {
      return await fn(store);
    } catch (err) {
      if (!isUserError(err)) await this.reset();
      throw err;
    }
  }

  /** Closes the connection; the next `use` opens a new one. */
  async reset(): Promise<void> {
    const opening = this.#store;
    this.#store = undefined;
    if (!opening) return;
    try {
      await (await opening).close();
    } catch {
      // Closing a broken connection may fail as well; it is being dropped anyway.
    }
  }

  close(): Promise<void> {
    return this.reset();
  }
}

function isUserError(err: unknown): boolean {
  return err instanceof Error && err.name === "UserError";
}

/** computePlan (src/app/flow.ts) through the kept-open store. */
export function planThroughSession(session: StoreSession, opts: Omit<FlowOptions, "databaseUrl">): Promise<PlanResult> {
  return session.use((store) => computePlan({ ...opts, databaseUrl: "", store }));
}
