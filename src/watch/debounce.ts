export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Calls `fn` once `waitMs` have passed without another trigger: an editor's
 * save (write, rename, chmod) or a `git checkout` of ten files is one run.
 */
export function debounce(fn: () => void, waitMs: number, timers: Timers = realTimers): { trigger(): void; cancel(): void } {
  let handle: unknown;
  return {
    trigger() {
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = timers.setTimeout(() => {
        handle = undefined;
        fn();
      }, waitMs);
    },
    cancel() {
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
    },
  };
}

/**
 * Runs `task` one at a time. A request while it runs is remembered and runs
 * once more afterwards (however many requests came), so the last state of the
 * files is always the one reported and runs never overlap.
 */
export function coalescingRunner(task: () => Promise<void>): { request(): void; stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const loop = async () => {
    do {
      again = false;
      await task();
    } while (again && !stopped);
    running = undefined;
  };
  return {
    request() {
      if (stopped) return;
      if (running) again = true;
      else running = loop();
    },
    /** No new runs; resolves when the current one (if any) has finished. */
    async stop() {
      stopped = true;
      await running;
    },
  };
}
