import { describe, expect, it } from "vitest";
import { UserError } from "../../src/domain/diagnostic.js";
import type { CycleOutcome } from "../../src/sync/cycle.js";
import type { LogLevel } from "../../src/app/log.js";
import { abortableSleep, runLoop, runOnce } from "../../src/sync/loop.js";

const summary = { create: 0, update: 0, delete: 0, drift: 0, unmanaged: 0 };
const inSync: CycleOutcome = { status: "in-sync", commit: "abc", summary, stateDigest: "sha256:s", newCommit: false };

/** A loop driven by a scripted sequence of cycle results; sleeping records the delay and returns at once. */
function scripted(results: (CycleOutcome | Error)[]) {
  const controller = new AbortController();
  const delays: number[] = [];
  const logs: { level: LogLevel; msg: string; fields?: Record<string, unknown> }[] = [];
  let i = 0;
  const deps = {
    cycle: async () => {
      const r = results[i++];
      if (i >= results.length) controller.abort();
      if (r instanceof Error) throw r;
      return r!;
    },
    log: (level: LogLevel, msg: string, fields?: Record<string, unknown>) => logs.push({ level, msg, ...(fields ? { fields } : {}) }),
    mode: "apply" as const,
    schedule: { intervalMs: 1000, maxBackoffMs: 5000, jitterRatio: 0 },
    random: () => 0.5,
    sleep: async (ms: number) => void delays.push(ms),
    signal: controller.signal,
  };
  return { deps, delays, logs, controller };
}

describe("sync loop", () => {
  it("backs off exponentially on consecutive failures, capped, and resets after a success", async () => {
    const fail = new UserError("sync.repo-unreachable", "cannot fetch");
    const { deps, delays, logs } = scripted([fail, fail, fail, fail, fail, inSync, fail, inSync]);
    expect(await runLoop(deps)).toBe(0);
    // The last cycle aborts the loop (shutdown), so it sleeps after all but the last.
    expect(delays).toEqual([1000, 2000, 4000, 5000, 5000, 1000, 1000]);
    expect(logs.filter((l) => l.level === "error")).toHaveLength(6);
    expect(logs[1]).toMatchObject({ msg: "cannot fetch", fields: { failures: 2, retry_in_ms: 2000, code: "sync.repo-unreachable" } });
    expect(logs.at(-1)).toMatchObject({ level: "info", msg: "in sync" });
  });

  it("ends with exit 1 on a failure no retry can fix, instead of backing off forever", async () => {
    const { deps, delays, logs } = scripted([new UserError("sync.workdir-not-empty", "not empty"), inSync]);
    expect(await runLoop(deps)).toBe(1);
    expect(delays).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.fields).not.toHaveProperty("retry_in_ms");
  });

  it("stops without another cycle once shut down while sleeping", async () => {
    const controller = new AbortController();
    let cycles = 0;
    const done = runLoop({
      cycle: async () => (cycles++, inSync),
      log: () => {},
      mode: "apply",
      schedule: { intervalMs: 60_000, maxBackoffMs: 60_000, jitterRatio: 0.1 },
      random: Math.random,
      sleep: abortableSleep,
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    controller.abort();
    await done;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(cycles).toBe(1);
  });

  it("treats an aborted git run at shutdown as a stop, not a failure", async () => {
    const controller = new AbortController();
    const logs: string[] = [];
    await runLoop({
      cycle: async () => {
        controller.abort();
        throw Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
      },
      log: (_l, msg) => logs.push(msg),
      mode: "apply",
      schedule: { intervalMs: 1000, maxBackoffMs: 1000, jitterRatio: 0 },
      random: Math.random,
      sleep: abortableSleep,
      signal: controller.signal,
    });
    expect(logs).toEqual([]);
  });

  it("--once: exit 0 in sync, 2 when detect mode finds changes, 1 on failure", async () => {
    const signal = new AbortController().signal;
    const log = () => {};
    expect(await runOnce({ cycle: async () => inSync, log, mode: "apply", signal })).toBe(0);
    expect(await runOnce({ cycle: async () => ({ status: "out-of-sync", commit: "a", summary: { ...summary, drift: 1 }, changes: [] }), log, mode: "detect", signal })).toBe(2);
    expect(await runOnce({ cycle: async () => Promise.reject(new UserError("sync.ref-not-found", "no ref")), log, mode: "apply", signal })).toBe(1);
  });
});
