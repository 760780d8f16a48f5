import { UserError } from "../domain/diagnostic.js";
import { inert } from "../domain/inert.js";
import type { ApplyHooks } from "../store/types.js";

/**
 * The kill-mid-apply tests need an apply that stops with its writes done and
 * its transaction open (for CFGSYNC_TEST_PAUSE_IN_APPLY_MS, or until
 * SIGUSR2). The variable is read once, here at the command edge, and handed
 * down as a hook: nothing below the commands reads the environment for it.
 */
export function applyHooksFromEnv(env: Readonly<Record<string, string | undefined>>): ApplyHooks {
  const pauseMs = Number(env.CFGSYNC_TEST_PAUSE_IN_APPLY_MS ?? 0);
  if (!(pauseMs > 0)) return {};
  return {
    // Until the time is up or SIGUSR2 (a test that has done what it paused the apply for).
    async pausedInApply() {
      process.stderr.write("cfgsync: paused in apply (CFGSYNC_TEST_PAUSE_IN_APPLY_MS)\n");
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          process.removeListener("SIGUSR2", done);
          resolve();
        };
        const timer = setTimeout(done, pauseMs);
        process.once("SIGUSR2", done);
      });
    },
  };
}

/**
 * The clock the commands hand down (plan, apply, sync): the system's, unless
 * CFGSYNC_TEST_NOW (tests of scheduled prices) starts it at another instant,
 * from which it runs at the real pace, so a sync loop under test sees time
 * pass. Read here at the edge only; the core is handed the instant.
 */
export function clockFromEnv(env: Readonly<Record<string, string | undefined>>): () => Date {
  const start = env.CFGSYNC_TEST_NOW;
  if (!start) return () => new Date();
  const fake = Date.parse(start);
  if (!Number.isFinite(fake)) throw new UserError("usage.invalid-flag", `CFGSYNC_TEST_NOW is not an instant: ${inert(start.slice(0, 40))}`);
  const real = Date.now();
  return () => new Date(fake + (Date.now() - real));
}
