import type { ApplyHooks } from "../store/types.js";

/**
 * The kill-mid-apply tests need an apply that stops with its writes done and
 * its transaction open. The variable is read once, here at the command edge,
 * and handed down as a hook: nothing below the commands reads the environment
 * for it.
 */
export function applyHooksFromEnv(env: Readonly<Record<string, string | undefined>>): ApplyHooks {
  const pauseMs = Number(env.CFGSYNC_TEST_PAUSE_IN_APPLY_MS ?? 0);
  if (!(pauseMs > 0)) return {};
  return {
    async pausedInApply() {
      process.stderr.write("cfgsync: paused in apply (CFGSYNC_TEST_PAUSE_IN_APPLY_MS)\n");
      await new Promise((r) => setTimeout(r, pauseMs));
    },
  };
}
