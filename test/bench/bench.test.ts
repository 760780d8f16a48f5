import { describe, expect, test } from "vitest";
import { runBench, type SizeResult } from "../../bench/run.js";
import { formatResults, parseBenchArgs } from "../../bench/index.js";
import { verdictOf } from "../../bench/report.js";
import { pgAdminUrl } from "../global-setup.js";
import { DIALECTS } from "../helpers/db.js";

const SIZES = [20, 200];

describe.each(DIALECTS)("engine bench on %s, smoke run at 20 and 200 resources", (dialect) => {
  test("measures every phase; no-op plan round trips stay the same as rows grow; every apply converges", { timeout: 30_000 }, async () => {
    const results = await runBench({ dialects: [dialect], sizes: SIZES, revenueRows: null, warmup: false, pgAdminUrl: pgAdminUrl() });

    expect(results.dialects.map((d) => d.dialect)).toEqual([dialect]);
    const sizes = results.dialects[0]!.sizes;
    expect(sizes.map((s) => s.resources)).toEqual(SIZES);
    for (const s of sizes) {
      expect(s.models + s.accounts).toBe(s.resources);
      for (const t of [s.applyFromEmpty, s.noopPlan, s.change1pct, s.naiveFromEmpty, s.naiveChange1pct]) {
        expect(t.ms).toBeGreaterThan(0);
        expect(t.roundTrips).toBeGreaterThan(0);
      }
      expect(s.applyFromEmpty.changes).toBe(s.resources);
      // Every 100th model and every 100th account: 1 + 1 at these sizes.
      expect(s.change1pct.changes).toBe(Math.ceil(s.models / 100) + Math.ceil(s.accounts / 100));
      // The seed-script loop makes at least one round trip per row; cfgsync does not.
      expect(s.naiveFromEmpty.roundTrips).toBeGreaterThanOrEqual(s.resources);
      expect(s.naiveChange1pct.roundTrips).toBeGreaterThanOrEqual(s.resources);
      // Follow-up plans after cfgsync's applies and after the naive loop find nothing to do.
      expect(s.followUpChanges).toEqual({ apply: 0, change1pct: 0, naive: 0, naiveChange1pct: 0 } satisfies SizeResult["followUpChanges"]);
    }

    // Reads grow with tables, not rows: the same round trips at 20 and 200 resources.
    const noopRoundTrips = sizes.map((s) => s.noopPlan.roundTrips);
    expect(new Set(noopRoundTrips).size).toBe(1);
    // Writes are batched: far fewer round trips than rows, unlike the per-row loop.
    const large = sizes[1]!;
    expect(large.applyFromEmpty.roundTrips).toBeLessThan(large.resources / 4);

    const verdict = verdictOf(results.dialects[0]!);
    expect(verdict).toMatchObject({ converged: true, largest: 200, fullApply: null, noopPlan: { constant: true } });
    const { text } = formatResults(results);
    expect(text).toContain(`${dialect} verdict:`);
    expect(text.split("\n").filter((l) => /^\d/.test(l))).toHaveLength(SIZES.length);
  });
});

describe("bench flags", () => {
  test("--quick runs 100 and 1,000 resources; --no-revenue skips the replay; the admin URL comes from CFGSYNC_BENCH_PG_URL", () => {
    expect(parseBenchArgs(["--quick", "--no-revenue", "--dialects", "sqlite"], { CFGSYNC_BENCH_PG_URL: "postgresql://x@h/db" })).toMatchObject({
      sizes: [100, 1000],
      dialects: ["sqlite"],
      revenueRows: null,
      warmup: true,
      pgAdminUrl: "postgresql://x@h/db",
    });
    expect(parseBenchArgs([], {})).toMatchObject({ sizes: [100, 1000, 10000], dialects: ["sqlite", "postgresql"], revenueRows: 1_000_000 });
    expect(parseBenchArgs(["--sizes", "100,1000", "--revenue-rows", "5000"], {})).toMatchObject({ sizes: [100, 1000], revenueRows: 5000 });
    expect(() => parseBenchArgs(["--dialects", "mysql"], {})).toThrow(/unknown dialect/);
    expect(() => parseBenchArgs(["--sizes", "ten"], {})).toThrow(/--sizes/);
    expect(parseBenchArgs(["--e2e-only", "--repeat", "5"], {})).toMatchObject({ repeat: 5, engine: false });
    expect(parseBenchArgs([], {}).repeat).toBe(3);
    expect(() => parseBenchArgs(["--repeat", "0"], {})).toThrow(/--repeat/);
  });
});
