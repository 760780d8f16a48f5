/** Who holds the apply lock (store/lock.ts publishes it; lock status and errors show it). */
export interface LockHolder {
  actor: string;
  host: string;
  pid: number;
  /** The CI run that holds it (GitHub Actions), when there is one. */
  run_url?: string;
  /** ISO time the lock was taken. */
  since: string;
}

export interface LockStatus {
  dialect: "sqlite" | "postgresql";
  /** Someone holds the database lock now. */
  held: boolean;
  /** The published record: the holder when held; a holder that died when not. */
  holder: LockHolder | null;
  /** PostgreSQL: the session holding the advisory lock. */
  session?: { pid: number; application_name: string; client_addr: string | null; xact_start: string | null };
}

export function describeHolder(h: LockHolder, now = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(h.since)) / 1000));
  const where = h.run_url ? `${h.run_url}, pid ${h.pid} on ${h.host}` : `pid ${h.pid} on ${h.host}`;
  return `${h.actor} (${where}) since ${h.since} (${seconds} s ago)`;
}

export function parseHolder(text: unknown): LockHolder | null {
  if (typeof text !== "string" || !text) return null;
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    return typeof h.actor === "string" && typeof h.host === "string" && typeof h.pid === "number" && typeof h.since === "string" ? (h as LockHolder) : null;
  } catch {
    return null; // a record from an older cfgsync ("host:pid"): no holder to name
  }
}

