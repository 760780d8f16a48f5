/**
 * Graceful shutdown of a long-running command: the first SIGINT or SIGTERM
 * aborts `signal` (the command finishes what it is doing safely and returns);
 * a second one exits at once, for an operator who does not want to wait.
 */
export function stopOnSignals(onFirst?: (signal: NodeJS.Signals) => void): { signal: AbortSignal; stopped: Promise<NodeJS.Signals>; dispose(): void } {
  const controller = new AbortController();
  let resolveStopped!: (s: NodeJS.Signals) => void;
  const stopped = new Promise<NodeJS.Signals>((r) => (resolveStopped = r));
  const handler = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(128 + (sig === "SIGINT" ? 2 : 15));
    onFirst?.(sig);
    controller.abort();
    resolveStopped(sig);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    stopped,
    dispose() {
      process.removeListener("SIGINT", handler);
      process.removeListener("SIGTERM", handler);
    },
  };
}
