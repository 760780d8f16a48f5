import { afterEach, describe, expect, it, vi } from "vitest";
import { coalescingRunner, debounce } from "../../src/watch/debounce.js";
import { ChangeReporter, runHeader } from "../../src/watch/report.js";
import { isConfigFile } from "../../src/watch/config-watcher.js";
import type { Plan } from "../../src/plan/types.js";

afterEach(() => vi.useRealTimers());

describe("debounce", () => {
  it("runs once, waitMs after the last of a burst of triggers", () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = debounce(fn, 300);
    d.trigger();
    vi.advanceTimersByTime(200);
    d.trigger();
    vi.advanceTimersByTime(200);
    d.trigger();
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("cancel drops a pending run", () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = debounce(fn, 300);
    d.trigger();
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe("coalescingRunner", () => {
  it("never overlaps runs and runs once more for any number of requests made during a run", async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const runner = coalescingRunner(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs++;
      if (runs === 1) await gate;
      active--;
    });
    runner.request();
    runner.request();
    runner.request();
    release();
    await vi.waitFor(() => expect(runs).toBe(2));
    await runner.stop();
    expect(runs).toBe(2);
    expect(maxActive).toBe(1);
  });

  it("stop waits for the run in progress and refuses new ones", async () => {
    let finished = false;
    const runner = coalescingRunner(async () => {
      await new Promise((r) => setTimeout(r, 20));
      finished = true;
    });
    runner.request();
    await runner.stop();
    expect(finished).toBe(true);
    finished = false;
    runner.request();
    await new Promise((r) => setTimeout(r, 40));
    expect(finished).toBe(false);
  });
});

describe("ChangeReporter", () => {
  const plan = (update: number): Plan => ({
    format_version: 1,
    config_digest: "sha256:c",
    state_digest: "sha256:s",
    summary: { create: 0, update, delete: 0, drift: 0, unmanaged: 0 },
    changes: [],
    impact: { margins: [] },
    diagnostics: [],
  });

  it("prints the plan the first time, one line while it stays the same, the new plan when it changes", () => {
    const r = new ChangeReporter();
    expect(r.next({ kind: "plan", plan: plan(0) }, false)).toEqual({ changed: true, text: expect.stringContaining("No changes.") });
    expect(r.next({ kind: "plan", plan: plan(0) }, false)).toEqual({ changed: false, text: "Plan unchanged.\n" });
    expect(r.next({ kind: "plan", plan: plan(1) }, false).text).toContain("Plan: 0 to create, 1 to update");
  });

  it("prints diagnostics with file:line:col, then the plan again once fixed", () => {
    const r = new ChangeReporter();
    r.next({ kind: "plan", plan: plan(0) }, false);
    const invalid = { kind: "invalid" as const, message: "the configuration in config is invalid", diagnostics: [{ severity: "error" as const, code: "yaml.syntax" as never, message: "bad", file: "config/credits.yaml", line: 3, col: 5 }] };
    expect(r.next(invalid, false).text).toBe("the configuration in config is invalid:\n  config/credits.yaml:3:5: error: bad [yaml.syntax]\n");
    expect(r.next(invalid, false).text).toMatch(/Still invalid/);
    expect(r.next({ kind: "plan", plan: plan(0) }, false).changed).toBe(true);
  });

  it("does not count colour as a change", () => {
    const r = new ChangeReporter();
    r.next({ kind: "plan", plan: plan(1) }, true);
    expect(r.next({ kind: "plan", plan: plan(1) }, false).changed).toBe(false);
  });
});

describe("watch helpers", () => {
  it("names the files that set a run off, a few at most", () => {
    const at = new Date(2025, 0, 1, 9, 5, 7);
    expect(runHeader(at, [])).toBe("[09:05:07] planning");
    expect(runHeader(at, ["config/a.yaml"])).toBe("[09:05:07] changed: config/a.yaml");
    expect(runHeader(at, ["1", "2", "3", "4", "5", "6", "7"])).toBe("[09:05:07] changed: 1, 2, 3, 4, 5 and 2 more");
  });

  it("watches YAML files only, not editors' swap files", () => {
    expect(isConfigFile("/x/config/models/openai.yaml")).toBe(true);
    expect(isConfigFile("/x/config/credits.YML")).toBe(true);
    expect(isConfigFile("/x/config/.credits.yaml.swp")).toBe(false);
    expect(isConfigFile("/x/config/credits.yaml~")).toBe(false);
  });
});
