import { hostname } from "node:os";
import type pg from "pg";
import type { DatabaseTarget } from "./database-url.js";
import { connectionFailed } from "./errors.js";

/*
 * Leadership of the sync loops that share one PostgreSQL database: one leads
 * (plans and applies), the others stand by. The leader holds a session-level
 * advisory lock on a connection of its own for as long as it lives; PostgreSQL
 * frees it when that session ends, so a leader that is killed (kill -9, a lost
 * host) frees it as soon as the server sees the connection close. A standby
 * waits for the lock with a blocking `pg_advisory_lock` on its own connection:
 * it leads the moment the old leader's session ends, without polling.
 *
 * The apply lock (lock.ts) still serialises every apply: a leader that lost its
 * session a moment ago, a CI job or a terminal apply cannot interleave with it.
 */

/** Key of the leadership lock ("cfgsync" + 1: not the apply lock's). */
export const LEADER_LOCK_KEY = 0x63666773796e64n;

export interface SyncLeadership {
  /**
   * Whether this process leads now, taking the leadership when it is free.
   * Never waits. A leader whose connection broke has lost it (its lock went
   * with the session) and tries again on a new connection.
   */
  lead(): Promise<{ leader: boolean; holder: string | null }>;
  /** Resolves when a standby has become leader (its blocking wait returned); never for a leader. */
  becameLeader(): Promise<void>;
  close(): Promise<void>;
}

const sessionName = (name: string) => `cfgsync sync ${name}`.slice(0, 63);

export async function openLeadership(target: DatabaseTarget, name = `pid ${process.pid} on ${hostname()}`): Promise<SyncLeadership> {
  const { default: driver } = await import("pg");
  let client: pg.Client | null = null;
  let leader = false;
  /** A standby's pending pg_advisory_lock: the client runs nothing else until it returns. */
  let waiting: Promise<void> | null = null;
  let notify: (() => void) | null = null;
  let promoted = new Promise<void>((resolve) => (notify = resolve));
  let holder: string | null = null;

  const drop = async () => {
    const c = client;
    client = null;
    leader = false;
    waiting = null;
    if (c) await c.end().catch(() => {});
  };

  const connect = async (): Promise<pg.Client> => {
    const c = new driver.Client({ connectionString: target.url, connectionTimeoutMillis: 10_000, application_name: sessionName(name) });
    c.on("error", () => {}); // a dropped connection surfaces on the next query (or the pending wait) instead of crashing
    try {
      await c.connect();
    } catch (err) {
      await c.end().catch(() => {});
      throw connectionFailed(target, err);
    }
    return c;
  };

  const whoLeads = async (c: pg.Client): Promise<string | null> => {
    const { rows } = await c.query<{ application_name: string }>(
      `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1 LIMIT 1`,
      [Number(LEADER_LOCK_KEY >> 32n), Number(LEADER_LOCK_KEY & 0xffffffffn)],
    );
    const app = rows[0]?.application_name ?? "";
    return app.startsWith("cfgsync sync ") ? app.slice("cfgsync sync ".length) : app || null;
  };

  const standBy = (c: pg.Client) => {
    waiting = c.query(`SELECT pg_advisory_lock(${LEADER_LOCK_KEY})`).then(
      () => {
        if (client !== c) return;
        waiting = null;
        leader = true;
        holder = null;
        notify?.();
      },
      () => {
        // The connection broke (or was closed): the next lead() reconnects.
        if (client === c) void drop();
      },
    );
  };

  return {
    async lead() {
      if (waiting) return { leader: false, holder };
      if (client && leader) {
        try {
          await client.query("SELECT 1");
          return { leader: true, holder: null };
        } catch {
          await drop(); // the session, and with it the lock, is gone: try again below
        }
      }
      client ??= await connect();
      try {
        const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LEADER_LOCK_KEY}) AS ok`);
        if (rows[0]?.ok) {
          leader = true;
          holder = null;
          return { leader: true, holder: null };
        }
        holder = await whoLeads(client);
      } catch (err) {
        await drop();
        throw err;
      }
      promoted = new Promise<void>((resolve) => (notify = resolve));
      standBy(client);
      return { leader: false, holder };
    },
    becameLeader: () => promoted,
    async close() {
      await drop();
    },
  };
}
