import { afterEach, describe, expect, test } from "vitest";
import { benchRevenue } from "../../bench/revenue-bench.js";
import { DIALECTS, createTestDatabase, type TestDatabase } from "../helpers/db.js";

// The full bench (1M rows) runs with CFGSYNC_BENCH=1; by default a 20k-row smoke run proves it works.
const ROWS = process.env.CFGSYNC_BENCH ? 1_000_000 : 20_000;

describe.each(DIALECTS)("revenue replay bench on %s", (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
  });

  test(`seeds ${ROWS} usage rows and replays the 30-day window in one query`, { timeout: 300_000 }, async () => {
    db = await createTestDatabase(dialect);
    const lines: string[] = [];
    const result = await benchRevenue(db.url, { rows: ROWS, log: (l) => lines.push(l) });
    console.log(lines.join("\n"));
    expect(result.rows).toBe(ROWS);
    // 7 operations x 4 models of the matching type: the result stays small whatever the row count.
    expect(result.groups).toBe(28);
    expect(result.callsInWindow).toBeGreaterThan(ROWS * 0.45);
    expect(result.callsInWindow).toBeLessThan(ROWS * 0.55);
    await expect(benchRevenue(db.url, { rows: 10, log: () => {} })).rejects.toThrow(/not empty/);
  });
});
