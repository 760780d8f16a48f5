import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Resource } from "../../src/domain/resources.js";
import { replayRevenue, tokenTermsOfRules, usageWindowStart } from "../../src/plan/impact/revenue.js";
import { readUsageAggregates } from "../../src/store/usage.js";
import { openRuntimeDb, type SqlDb } from "../../src/runtime/db.js";
import { openPrismaBaseline } from "../../bench/prisma-baseline.js";
import { DIALECTS, type TestDatabase } from "../helpers/db.js";
import { credit, imageModel, model } from "../plan/fixtures.js";
import { insert, migratedDatabase } from "../runtime/seed.js";

const live: Resource[] = [
  imageModel("dall-e-3", "0.04"),
  model("gpt-4o-mini", { output_token_rate: "0.6" }),
  credit("image_generation", { unit: "image", credits: 5, min_credits: 5, tokens_per_credit: 50, price_per_credit_usd: "0.02" }),
  credit("content_generation", { unit: "tokens", tokens_per_credit: 100, min_credits: 3, price_per_credit_usd: "0.01" }),
];
const desired: Resource[] = [
  imageModel("dall-e-3", "0.05"),
  model("gpt-4o-mini", { output_token_rate: "0.6" }),
  credit("image_generation", { unit: "image", credits: 5, min_credits: 5, tokens_per_credit: 50, price_per_credit_usd: "0.03" }),
  credit("content_generation", { unit: "tokens", tokens_per_credit: 150, min_credits: 2, price_per_credit_usd: "0.01" }),
];

const NOW = new Date("2026-03-01T00:00:00.000Z");

/**
 * The hand-computed log. Window: 30 days before NOW = 2026-01-30T00:00:00Z.
 * image_generation x dall-e-3: 1 + 2 + 1 (images NULL counts one) = 4 images.
 *   before: 5 credits x 4 = 20 x $0.02 = $0.40; cost 4 x $0.04 = $0.16; margin $0.24 (60 %)
 *   after:  20 x $0.03 = $0.60; cost 4 x $0.05 = $0.20; margin $0.40 (66.67 %)
 * content_generation x gpt-4o-mini: 250, 1000 and 99 tokens = 1349 tokens.
 *   before (100/credit, min 3): 3 + 10 + max(1, 3) = 16 credits = $0.16
 *   after  (150/credit, min 2): 2 + 7 + max(1, 2) = 11 credits = $0.11
 *   cost both: 1349 / 1M x $0.60 = $0.0008094
 * Outside the window: one call a second before it starts.
 */
async function seedLog(db: TestDatabase): Promise<void> {
  await insert(db, "account", { id: 1, slug: "acme", name: "Acme" });
  // SQLite: the three timestamp spellings a writer may use (Prisma ISO with offset, 'Z', CURRENT_TIMESTAMP).
  const sqlite = db.dialect === "sqlite";
  const rows = [
    ["image_generation", "dall-e-3", 5, "0.04", null, 1, sqlite ? "2026-02-15T10:00:00.000+00:00" : "2026-02-15 10:00:00"],
    ["image_generation", "dall-e-3", 10, "0.08", null, 2, "2026-02-20T10:00:00.000Z"],
    ["image_generation", "dall-e-3", 5, "0.04", null, null, "2026-01-30 00:00:00"],
    ["content_generation", "gpt-4o-mini", 3, "0.00015", 250, null, "2026-02-01T00:00:00.000Z"],
    ["content_generation", "gpt-4o-mini", 10, "0.0006", 1000, null, "2026-02-28T23:59:59.999Z"],
    ["content_generation", "gpt-4o-mini", 3, "0.0000594", 99, null, "2026-02-10T12:00:00.000Z"],
    ["image_generation", "dall-e-3", 500, "4", null, 100, "2026-01-29 23:59:59"],
  ] as const;
  for (const [operation_type, model_id, credits_used, cost_usd, tokens_used, images, created_at] of rows) {
    await insert(db, "credit_usage_log", { account_id: 1, operation_type, model_id, credits_used, cost_usd, tokens_used, images, created_at });
  }
}

describe("revenue replay arithmetic (pure)", () => {
  test("no price change: before and after are identical", () => {
    const aggregates = [
      { operation_type: "image_generation", model_id: "dall-e-3", calls: 3, images: 4, tokens: 0, recorded_credits: 20, recorded_cost_usd: "0.16", token_credits: {} },
    ];
    const r = replayRevenue({ aggregates, live, desired: live, days: 30, since: "x" });
    expect(r.lines[0]!.before).toEqual(r.lines[0]!.after);
    expect(r.totals.change).toEqual({ revenue: "0", cost: "0", margin: "0" });
  });

  test("an operation removed from config and a model missing from the catalog are shown, not guessed", () => {
    const aggregates = [
      { operation_type: "image_generation", model_id: "mystery", calls: 2, images: 2, tokens: 0, recorded_credits: 10, recorded_cost_usd: "0.1", token_credits: {} },
    ];
    const r = replayRevenue({ aggregates, live, desired: desired.filter((x) => x.address !== "credit/image_generation"), days: 30, since: "x" });
    expect(r.lines[0]!.before).toMatchObject({ credits: 10, revenue: "0.2", cost: null, margin: null });
    expect(r.lines[0]!.after).toBeNull();
    expect(r.totals.before.unpriced_calls).toBe(2);
  });

  test("the window starts N days before now", () => {
    expect(usageWindowStart(NOW, 30)).toBe("2026-01-30T00:00:00.000Z");
    expect(() => usageWindowStart(NOW, 0)).toThrow(/positive integer/);
  });
});

describe.each(DIALECTS)("revenue replay from credit_usage_log on %s", (dialect) => {
  let db: TestDatabase;
  let sql: SqlDb;
  beforeEach(async () => {
    db = await migratedDatabase(dialect);
    await seedLog(db);
    sql = await openRuntimeDb(db.url);
  });
  afterEach(async () => {
    await sql.close();
    await db.drop();
  });

  test("the hand-computed log replays to the exact figures, before and after", async () => {
    const since = usageWindowStart(NOW, 30);
    const aggregates = await readUsageAggregates(sql, since, tokenTermsOfRules(live, desired));
    const r = replayRevenue({ aggregates, live, desired, days: 30, since });
    expect(r.calls).toBe(6);
    expect(r.lines).toEqual([
      {
        operation_type: "content_generation",
        model_id: "gpt-4o-mini",
        unit: "tokens",
        calls: 3,
        units: 1349,
        before: { credits: 16, revenue: "0.16", cost: "0.000809", margin: "0.159191", margin_pct: "99.49" },
        after: { credits: 11, revenue: "0.11", cost: "0.000809", margin: "0.109191", margin_pct: "99.26" },
      },
      {
        operation_type: "image_generation",
        model_id: "dall-e-3",
        unit: "image",
        calls: 3,
        units: 4,
        before: { credits: 20, revenue: "0.4", cost: "0.16", margin: "0.24", margin_pct: "60.00" },
        after: { credits: 20, revenue: "0.6", cost: "0.2", margin: "0.4", margin_pct: "66.67" },
      },
    ]);
    expect(r.totals).toEqual({
      before: { revenue: "0.56", cost: "0.160809", margin: "0.399191", margin_pct: "71.28", unpriced_calls: 0 },
      after: { revenue: "0.71", cost: "0.200809", margin: "0.509191", margin_pct: "71.72", unpriced_calls: 0 },
      change: { revenue: "0.15", cost: "0.04", margin: "0.11" },
    });
    expect(r.recorded).toEqual({ credits: 36, cost: "0.160809" });
  });
  test("the same reader works through a Prisma client ($queryRawUnsafe)", async () => {
    const baseline = await openPrismaBaseline(db.url);
    try {
      const client = baseline.db;
      const raw = { dialect, query: (text: string, params: unknown[]) => client.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params) };
      const since = usageWindowStart(NOW, 30);
      const viaPrisma = await readUsageAggregates(raw, since, tokenTermsOfRules(live, desired));
      const viaDriver = await readUsageAggregates(sql, since, tokenTermsOfRules(live, desired));
      const byOp = (a: { operation_type: string }, b: { operation_type: string }) => a.operation_type.localeCompare(b.operation_type);
      expect(viaPrisma.sort(byOp)).toEqual(viaDriver.sort(byOp));
    } finally {
      await baseline.close();
    }
  });
});
