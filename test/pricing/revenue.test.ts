import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Resource } from "../../src/domain/resources.js";
import { replayRevenue, tokenTermsOfRules, usageWindowStart, type UsageAggregate } from "../../src/plan/impact/revenue.js";
import { readUsageAggregates } from "../../src/store/usage.js";
import { openRuntimeDb, type SqlDb } from "../../src/runtime/db.js";
import { openPrismaBaseline } from "../../bench/prisma-baseline.js";
import { DIALECTS, type TestDatabase } from "../helpers/db.js";
import { credit, imageModel, model, usageAggregate } from "../plan/fixtures.js";
import { insert, migratedDatabase } from "../runtime/seed.js";

const gptMini = (output: string) => model("gpt-4o-mini", { input_token_rate: "0.15", output_token_rate: output });
const linking = credit("linking", { unit: "tokens", tokens_per_credit: 300, min_credits: 1, price_per_credit_usd: "0.005" });
const live: Resource[] = [
  imageModel("dall-e-3", "0.04"),
  gptMini("0.6"),
  credit("image_generation", { unit: "image", credits: 5, min_credits: 5, tokens_per_credit: 50, price_per_credit_usd: "0.02" }),
  credit("content_generation", { unit: "tokens", tokens_per_credit: 100, min_credits: 3, price_per_credit_usd: "0.01" }),
  linking,
];
const desired: Resource[] = [
  imageModel("dall-e-3", "0.05"),
  gptMini("1.2"),
  credit("image_generation", { unit: "image", credits: 5, min_credits: 5, tokens_per_credit: 50, price_per_credit_usd: "0.03" }),
  credit("content_generation", { unit: "tokens", tokens_per_credit: 150, min_credits: 2, price_per_credit_usd: "0.01" }),
  linking,
];

const NOW = new Date("2026-03-01T00:00:00.000Z");
const SINCE = usageWindowStart(NOW, 30);
const UNTIL = NOW.toISOString();

/**
 * The hand-computed log. Window [2026-01-30T00:00Z, 2026-03-01T00:00Z).
 *
 * image_generation x dall-e-3 (acme, globex): 1 + 2 + 1 (images NULL counts one) = 4 images.
 *   before (recorded): 20 credits x $0.02 = $0.40; cost_usd 0.04 + 0.08 + 0.04 = $0.16
 *   after: 20 x $0.03 = $0.60; cost 4 images x $0.05 = $0.20 (image counts)
 * content_generation x gpt-4o-mini (acme): 250, 1000 (600 in + 400 out) and 99 tokens.
 *   before (recorded): 16 credits = $0.16; cost_usd 0.00015 + 0.00033 + 0.0000594 = $0.0005394
 *   after (150/credit, min 2): 2 + 7 + 2 = 11 credits = $0.11;
 *     the split call exactly: (600 x 0.15 + 400 x 1.2) / 1M = $0.00057
 *     the other two scaled: they paid $0.6 per 1M (cost / tokens), the output rate, which doubles: $0.0004188
 * linking x gpt-4o-mini (acme): three calls of 10 tokens whose cost_usd is $0.0000000004 each: exactly
 *   $0.0000000012 (a per-row nano-dollar rounding would make it 0).
 * Apart: 2 calls of an operation without a rule (unbilled), 1 image call on a model the catalog does not know.
 * Outside: a second before the window, the instant `now` itself and a future row.
 * SQLite also: rows stamped with a non-UTC offset, one inside near each edge, one outside although its text date is inside.
 */
async function seedLog(db: TestDatabase): Promise<void> {
  await insert(db, "account", { id: 1, slug: "acme", name: "Acme" });
  await insert(db, "account", { id: 2, slug: "globex", name: "Globex" });
  const sqlite = db.dialect === "sqlite";
  type Row = [account: number, op: string, model: string | null, credits: number, cost: string, tokens: number | null, images: number | null, at: string, split?: [number, number]];
  const rows: Row[] = [
    [1, "image_generation", "dall-e-3", 5, "0.04", null, 1, sqlite ? "2026-02-15T10:00:00.000+00:00" : "2026-02-15 10:00:00"],
    [2, "image_generation", "dall-e-3", 10, "0.08", null, 2, "2026-02-20T10:00:00.000Z"],
    [1, "image_generation", "dall-e-3", 5, "0.04", null, null, "2026-01-30 00:00:00"],
    [1, "content_generation", "gpt-4o-mini", 3, "0.00015", 250, null, "2026-02-01T00:00:00.000Z"],
    [1, "content_generation", "gpt-4o-mini", 10, "0.00033", 1000, null, "2026-02-28T23:59:59.999Z", [600, 400]],
    [1, "content_generation", "gpt-4o-mini", 3, "0.0000594", 99, null, "2026-02-10T12:00:00.000Z"],
    [1, "linking", "gpt-4o-mini", 1, "0.0000000004", 10, null, "2026-02-11T12:00:00.000Z"],
    [1, "linking", "gpt-4o-mini", 1, "0.0000000004", 10, null, "2026-02-12T12:00:00.000Z"],
    [1, "linking", "gpt-4o-mini", 1, "0.0000000004", 10, null, "2026-02-13T12:00:00.000Z"],
    [2, "mystery_op", "gpt-4o-mini", 0, "0.001", 100, null, "2026-02-14T12:00:00.000Z"],
    [2, "mystery_op", "gpt-4o-mini", 0, "0.001", 100, null, "2026-02-14T13:00:00.000Z"],
    [2, "image_generation", "mystery-model", 5, "0.02", null, 1, "2026-02-14T14:00:00.000Z"],
    // outside
    [1, "image_generation", "dall-e-3", 500, "4", null, 100, "2026-01-29 23:59:59"],
    [1, "image_generation", "dall-e-3", 500, "4", null, 100, sqlite ? "2026-03-01T00:00:00.000Z" : "2026-03-01 00:00:00"],
    [1, "image_generation", "dall-e-3", 500, "4", null, 100, "2026-03-05T00:00:00.000Z"],
  ];
  if (sqlite) {
    rows.push(
      // 2026-01-30T01:30Z and 2026-02-28T23:00Z: inside, though their text dates are outside.
      [1, "image_generation", "dall-e-3", 5, "0.04", null, 1, "2026-01-29T23:30:00.000-02:00"],
      [2, "image_generation", "dall-e-3", 5, "0.04", null, 1, "2026-03-01T01:00:00.000+02:00"],
      // 2026-01-29T23:00Z: outside, though its text date is the window's first day.
      [1, "image_generation", "dall-e-3", 500, "4", null, 100, "2026-01-30T01:00:00.000+02:00"],
    );
  }
  for (const [account_id, operation_type, model_id, credits_used, cost_usd, tokens_used, images, created_at, split] of rows) {
    await insert(db, "credit_usage_log", {
      account_id,
      operation_type,
      model_id,
      credits_used,
      cost_usd,
      tokens_used,
      images,
      created_at,
      ...(split ? { input_tokens: split[0], output_tokens: split[1] } : {}),
    });
  }
}

const aggregate = usageAggregate;
const replay = (aggregates: UsageAggregate[], d: Resource[] = desired, l: Resource[] = live) =>
  replayRevenue({ aggregates, live: l, desired: d, days: 30, since: SINCE, until: UNTIL });

describe("revenue replay arithmetic (pure)", () => {
  const images = aggregate({ operation_type: "image_generation", model_id: "dall-e-3", calls: 3, images: 4, recorded_credits: 20, recorded_cost_usd: "0.16" });

  test("no price change: before and after are identical, and before is what the log recorded", () => {
    const r = replay([images], live);
    expect(r.lines[0]!.before).toEqual(r.lines[0]!.after);
    expect(r.lines[0]!.before).toEqual({ credits: 20, revenue: "0.4", cost: "0.16", margin: "0.24", margin_pct: "60.00" });
    expect(r.totals.change).toEqual({ revenue: "0", cost: "0", margin: "0" });
  });

  test("before is the recorded cost_usd, not the catalog's output rate applied to every token (issue #13)", () => {
    const text = aggregate({ operation_type: "content_generation", model_id: "gpt-4o-mini", calls: 1, tokens: 1000, recorded_credits: 10, recorded_cost_usd: "0.00033", token_credits: { "100:3": 10, "150:2": 7 } });
    const r = replay([text], live);
    // 1000 tokens all at the $0.6 output rate would be $0.0006; the log says $0.00033.
    expect(r.lines[0]!.before!.cost).toBe("0.00033");
    expect(r.totals.before.cost).toBe("0.00033");
  });

  test("unpriced calls and unbilled operations are counted apart, never in the margin (issue #13)", () => {
    const r = replay([
      images,
      aggregate({ operation_type: "image_generation", model_id: "mystery", calls: 2, images: 2, recorded_credits: 10, recorded_cost_usd: "0.1" }),
      aggregate({ operation_type: "no_such_rule", model_id: "dall-e-3", calls: 5, images: 5, recorded_credits: 0, recorded_cost_usd: "0.2" }),
    ]);
    expect(r.compared_calls).toBe(3);
    expect(r.totals.before).toEqual({ revenue: "0.4", cost: "0.16", margin: "0.24", margin_pct: "60.00" });
    expect(r.apart).toEqual([
      { status: "unpriced", calls: 2, revenue_before: "0.2", revenue_after: "0.3", cost_before: "0.1" },
      { status: "unbilled", calls: 5, revenue_before: null, revenue_after: null, cost_before: "0.2" },
    ]);
  });

  test("a deleted or deactivated model's calls have no price after: not a saving (issue #13)", () => {
    for (const d of [desired.filter((x) => x.address !== "model/dall-e-3"), desired.map((x) => (x.address === "model/dall-e-3" ? { ...x, fields: { ...x.fields, is_active: false } } : x))]) {
      const r = replay([images], d);
      expect(r.lines[0]).toMatchObject({ status: "no_price_after", after: { cost: null } });
      expect(r.compared_calls).toBe(0);
      expect(r.totals.change.cost).toBe("0");
      expect(r.apart).toEqual([{ status: "no_price_after", calls: 3, revenue_before: "0.4", revenue_after: "0.6", cost_before: "0.16" }]);
    }
  });

  test("a deactivated credit rule stops billing: its revenue is shown going, apart from the margin", () => {
    const off = desired.map((x) => (x.address === "credit/image_generation" ? { ...x, fields: { ...x.fields, is_active: false } } : x));
    const r = replay([images], off);
    expect(r.lines[0]).toMatchObject({ status: "billing_stops", after: null, changed: true });
    expect(r.apart).toEqual([{ status: "billing_stops", calls: 3, revenue_before: "0.4", revenue_after: null, cost_before: "0.16" }]);
  });

  test("scaling: a call without the split is scaled by the change of the rate it paid", () => {
    // 1000 tokens that cost $0.000375: $0.375 per 1M, halfway between input $0.15 and output $0.6.
    const text = aggregate({ operation_type: "content_generation", model_id: "gpt-4o-mini", calls: 1, tokens: 1000, recorded_credits: 10, recorded_cost_usd: "0.000375", token_credits: { "100:3": 10, "150:2": 7 } });
    const r = replay([text]);
    // After: halfway between $0.15 and $1.2 = $0.675 per 1M.
    expect(r.lines[0]!.after!.cost).toBe("0.000675");
    expect(r.cost_methods).toEqual({ token_counts: 0, image_counts: 0, scaled: 1 });
  });

  test("the window starts N days before now", () => {
    expect(SINCE).toBe("2026-01-30T00:00:00.000Z");
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

  test("the hand-computed log replays to the exact figures: recorded before, repriced after, window [now-30d, now) on instants", async () => {
    const aggregates = await readUsageAggregates(sql, { since: SINCE, until: UNTIL }, tokenTermsOfRules(live, desired));
    const r = replay(aggregates);
    const edge = dialect === "sqlite" ? 2 : 0; // the offset-stamped rows inside the window
    expect(r.calls).toBe(12 + edge);
    const byLine = Object.fromEntries(r.lines.map((l) => [`${l.operation_type} x ${l.model_id}`, l]));
    expect(byLine["content_generation x gpt-4o-mini"]).toEqual({
      operation_type: "content_generation",
      model_id: "gpt-4o-mini",
      unit: "tokens",
      calls: 3,
      units: 1349,
      accounts: 1,
      status: "compared",
      changed: true,
      before: { credits: 16, revenue: "0.16", cost: "0.000539", margin: "0.159461", margin_pct: "99.66" },
      after: { credits: 11, revenue: "0.11", cost: "0.000989", margin: "0.109011", margin_pct: "99.10" },
      cost_methods: { token_counts: 1, image_counts: 0, scaled: 2 },
    });
    expect(byLine["image_generation x dall-e-3"]).toMatchObject({
      calls: 3 + edge,
      units: 4 + edge,
      accounts: 2,
      before: { credits: 20 + 5 * edge, cost: dialect === "sqlite" ? "0.24" : "0.16" },
      after: { credits: 20 + 5 * edge, revenue: dialect === "sqlite" ? "0.9" : "0.6", cost: dialect === "sqlite" ? "0.3" : "0.2" },
      cost_methods: { token_counts: 0, image_counts: 3 + edge, scaled: 0 },
    });
    expect(byLine["linking x gpt-4o-mini"]!.before!.cost).toBe("0");
    expect(r.apart.map((a) => [a.status, a.calls])).toEqual([
      ["unpriced", 1],
      ["unbilled", 2],
    ]);
    // Exact: 0.16 (+0.08 on SQLite) + 0.0005394 + 3 x 0.0000000004 + 0.002 + 0.02.
    expect(r.recorded.cost).toBe(dialect === "sqlite" ? "0.2625394012" : "0.1825394012");
    expect(aggregates.find((a) => a.operation_type === "linking")!.recorded_cost_usd).toBe("0.0000000012");
  });

  test("the same reader works through a Prisma client ($queryRawUnsafe)", async () => {
    const baseline = await openPrismaBaseline(db.url);
    try {
      const client = baseline.db;
      const raw = { dialect, query: (text: string, params: unknown[]) => client.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params) };
      const viaPrisma = await readUsageAggregates(raw, { since: SINCE, until: UNTIL }, tokenTermsOfRules(live, desired));
      const viaDriver = await readUsageAggregates(sql, { since: SINCE, until: UNTIL }, tokenTermsOfRules(live, desired));
      const key = (a: UsageAggregate) => `${a.account} ${a.operation_type} ${a.model_id}`;
      const byKey = (a: UsageAggregate, b: UsageAggregate) => key(a).localeCompare(key(b));
      expect(viaPrisma.sort(byKey)).toEqual(viaDriver.sort(byKey));
    } finally {
      await baseline.close();
    }
  });

  test("a cost_usd the integer sums cannot split (exponent) is still summed exactly", async () => {
    await insert(db, "credit_usage_log", { account_id: 1, operation_type: "linking", model_id: "gpt-4o-mini", credits_used: 1, cost_usd: dialect === "sqlite" ? "4e-10" : "0.0000000004", tokens_used: 10, created_at: "2026-02-14T12:00:00.000Z" });
    const aggregates = await readUsageAggregates(sql, { since: SINCE, until: UNTIL }, []);
    expect(aggregates.find((a) => a.operation_type === "linking")!.recorded_cost_usd).toBe("0.0000000016");
  });
});
