import { describe, expect, it } from "vitest";
import { baseDelayMs, nextDelayMs, withJitter } from "../../src/sync/schedule.js";

const opts = { intervalMs: 60_000, maxBackoffMs: 600_000, jitterRatio: 0.1 };

describe("sync schedule", () => {
  it("waits the interval after a success", () => {
    expect(baseDelayMs(0, opts)).toBe(60_000);
  });

  it("doubles the wait with each consecutive failure, from one interval", () => {
    expect([1, 2, 3, 4].map((n) => baseDelayMs(n, opts))).toEqual([60_000, 120_000, 240_000, 480_000]);
  });

  it("caps the backoff at max-backoff", () => {
    expect(baseDelayMs(5, opts)).toBe(600_000);
    expect(baseDelayMs(1000, opts)).toBe(600_000);
  });

  it("never caps below the interval", () => {
    expect(baseDelayMs(3, { intervalMs: 60_000, maxBackoffMs: 1000 })).toBe(60_000);
  });

  it("spreads the delay over ±10 % with the random source", () => {
    expect(withJitter(1000, 0.1, () => 0)).toBe(900);
    expect(withJitter(1000, 0.1, () => 0.5)).toBe(1000);
    expect(withJitter(1000, 0.1, () => 0.999999)).toBe(1100);
  });

  it("keeps every jittered delay within the bounds", () => {
    for (let i = 0; i < 1000; i++) {
      const d = nextDelayMs(2, opts, Math.random);
      expect(d).toBeGreaterThanOrEqual(108_000);
      expect(d).toBeLessThanOrEqual(132_000);
    }
  });

  it("never waits longer than max-backoff after failures, jitter included", () => {
    for (const failures of [1, 4, 5, 6, 40]) expect(nextDelayMs(failures, opts, () => 0.999999)).toBeLessThanOrEqual(600_000);
    expect(nextDelayMs(10, opts, () => 0)).toBe(540_000);
    expect(nextDelayMs(3, { intervalMs: 1000, maxBackoffMs: 1000, jitterRatio: 0.1 }, () => 0.999999)).toBe(1000);
  });

  it("resets to the interval once a cycle succeeds again (failures = 0)", () => {
    expect(nextDelayMs(0, opts, () => 0.5)).toBe(60_000);
  });
});
