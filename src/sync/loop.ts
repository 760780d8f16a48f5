import { failureLogEntry, isPermanentFailure, outcomeLogEntry, type CycleOutcome, type SyncMode } from "./cycle.js";
import type { Logger } from "../app/log.js";
import { ExitCode, type ExitCodeValue } from "../domain/codes.js";
import { nextDelayMs, type ScheduleOptions } from "./schedule.js";

export interface LoopDeps {
  /** One reconcile cycle. Throws on failure; must honour `signal` where it is safe to stop. */
  cycle: (signal: AbortSignal) => Promise<CycleOutcome>;
  log: Logger;
  mode: SyncMode;
  schedule: ScheduleOptions;
  random: () => number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Shutdown: the running cycle finishes (or stops where safe), then the loop returns. */
  signal: AbortSignal;
  /** The commit the failing cycle had fetched, if it got that far (for the error log). */
  currentCommit?: () => string | null;
}

/**
 * The reconcile loop: cycle, wait (interval with jitter, or backoff after
 * failures), repeat until shut down. A failure is logged and retried; only
 * one that no retry can fix ends the loop. Returns the exit code.
 */
export async function runLoop(deps: LoopDeps): Promise<ExitCodeValue> {
  let failures = 0;
  while (!deps.signal.aborted) {
    let delay: number;
    try {
      const outcome = await deps.cycle(deps.signal);
      failures = 0;
      const entry = outcomeLogEntry(outcome, deps.mode);
      deps.log(entry.level, entry.msg, entry.fields);
      delay = nextDelayMs(0, deps.schedule, deps.random);
    } catch (err) {
      if (deps.signal.aborted && isAbort(err)) break;
      failures += 1;
      const permanent = isPermanentFailure(err);
      delay = nextDelayMs(failures, deps.schedule, deps.random);
      const entry = failureLogEntry(err, { commit: deps.currentCommit?.() ?? null, failures, ...(permanent ? {} : { retryInMs: delay }) });
      deps.log(entry.level, entry.msg, entry.fields);
      if (permanent) return ExitCode.error;
    }
    if (deps.signal.aborted) break;
    await deps.sleep(delay, deps.signal);
  }
  return ExitCode.ok;
}

/** --once: one cycle; exit 0 in sync or applied, 2 when detect mode found something, 1 on failure. */
export async function runOnce(deps: Pick<LoopDeps, "cycle" | "log" | "mode" | "signal" | "currentCommit">): Promise<ExitCodeValue> {
  try {
    const outcome = await deps.cycle(deps.signal);
    const entry = outcomeLogEntry(outcome, deps.mode);
    deps.log(entry.level, entry.msg, entry.fields);
    return outcome.status === "out-of-sync" ? ExitCode.changes : ExitCode.ok;
  } catch (err) {
    if (deps.signal.aborted && isAbort(err)) return ExitCode.ok;
    const entry = failureLogEntry(err, { commit: deps.currentCommit?.() ?? null, failures: 1 });
    deps.log(entry.level, entry.msg, entry.fields);
    return ExitCode.error;
  }
}

export function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || (err as NodeJS.ErrnoException).code === "ABORT_ERR");
}

/** setTimeout that an AbortSignal ends early (and that never keeps a stopped process alive). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
