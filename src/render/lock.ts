import { describeHolder, type LockStatus } from "../domain/lock.js";

/** One paragraph a person on call can act on. */
export function renderLockStatus(s: LockStatus, now = new Date()): string {
  if (s.held) {
    const who = s.holder ? describeHolder(s.holder, now) : "a holder that left no record";
    const session = s.session
      ? ` (PostgreSQL session pid ${s.session.pid}${s.session.client_addr ? ` from ${s.session.client_addr}` : ""}${s.session.xact_start ? `, in a transaction since ${s.session.xact_start}` : ""})`
      : "";
    return `The apply lock is held by ${who}${session}.`;
  }
  if (s.holder) {
    return `The apply lock is free, but ${describeHolder(s.holder, now)} left its record: that holder died mid-apply (its transaction rolled back). \`cfgsync lock release --force\` clears the record.`;
  }
  return "The apply lock is free.";
}
