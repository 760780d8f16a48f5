import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { DIALECTS } from "../helpers/db.js";
import { createWorkspace, type Workspace } from "../helpers/workspace.js";
import { insert } from "../runtime/seed.js";

/*
 * Issue #13 through the real CLI on both databases: a pricing change against
 * a usage log, users and their ai_settings. The figures are hand-computed.
 */

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/**
 * acme (id 1): user 1. globex (id 2, overrides runware.quality): users 2 and 3; user 3's ai_settings names gpt-5.2.
 * Usage in the window:
 *   content_generation x gpt-5.2: acme 2 calls logged with the split (600 in, 400 out: $0.00665 each, 10 credits),
 *     globex 1 call without it (500 tokens, $0.007, 5 credits)
 *   optimization x gpt-4o-mini: acme 3 calls (400 tokens, $0.00024, 2 credits)
 *   image_generation x dall-e-3: globex 2 calls ($0.04, 5 credits)
 *   translation (no credit rule): globex 1 call ($0.01)
 * And a future-dated call, which is not in the last 30 days.
 */
async function seedRuntime(ws: Workspace): Promise<void> {
  const db = ws.db;
  for (const [id, account_id] of [[1, 1], [2, 2], [3, 2]] as const) await insert(db, "app_user", { id, account_id, email: `u${id}@example.com` });
  await insert(db, "user_settings", { user_id: 3, account_id: 2, key: "ai_settings", value: { model: "gpt-5.2" }, updated_at: ago(1) });
  const log = (account_id: number, operation_type: string, model_id: string, credits_used: number, cost_usd: string, extra: Record<string, unknown>, at: string) =>
    insert(db, "credit_usage_log", { account_id, operation_type, model_id, credits_used, cost_usd, created_at: at, ...extra });
  for (const d of [2, 3]) await log(1, "content_generation", "gpt-5.2", 10, "0.00665", { tokens_used: 1000, input_tokens: 600, output_tokens: 400 }, ago(d));
  await log(2, "content_generation", "gpt-5.2", 5, "0.007", { tokens_used: 500 }, ago(4));
  for (const d of [1, 5, 9]) await log(1, "optimization", "gpt-4o-mini", 2, "0.00024", { tokens_used: 400 }, ago(d));
  for (const d of [6, 7]) await log(2, "image_generation", "dall-e-3", 5, "0.04", { images: 1 }, ago(d));
  await log(2, "translation", "gpt-4o-mini", 0, "0.01", { tokens_used: 100 }, ago(8));
  await log(1, "image_generation", "dall-e-3", 500, "4", { images: 100 }, new Date(Date.now() + DAY).toISOString());
}

describe.each(DIALECTS)("pricing impact through the CLI on %s (issue #13)", (dialect) => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await createWorkspace(dialect);
    await ws.prepareDatabase();
    expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
    await seedRuntime(ws);
    ws.edit("models/openai.yaml", (t) => t.replace(/(model_id: gpt-5\.2\n[\s\S]*?output_token_rate: )14\.00/, "$115.00"));
    ws.edit("integrations.yaml", (t) => t.replace("image_quality: standard", "image_quality: hd"));
    ws.edit("credits.yaml", (t) => t.replace("tokens_per_credit: 200\n    min_credits: 1\n    price_per_credit_usd: 0.0050\n", "tokens_per_credit: 200\n    min_credits: 1\n    price_per_credit_usd: 0.0050\n    is_active: false\n").replace("tokens_per_credit: 100\n    min_credits: 3", "tokens_per_credit: 100\n    min_credits: 4"));
  });
  afterEach(async () => {
    await ws?.dispose();
  });

  test("replay, reach and margins say what happened, whom it reaches and what a small call pays", async () => {
    const out = await ws.cli(["plan", "--json"]);
    expect(out.code, out.stderr).toBe(0);
    const { impact } = JSON.parse(out.stdout);

    // Replay: before is the log's own figures; the future call is not in [now - 30d, now).
    const r = impact.revenue;
    expect(r.calls).toBe(9);
    expect(r.recorded).toEqual({ credits: 41, cost: "0.11102" });
    expect(r.basis).toEqual({ before: "recorded", after: "repriced" });
    // Compared: content generation (3 calls) and image generation (2 calls); optimization stops billing, translation was never billed.
    expect(r.compared_calls).toBe(5);
    expect(r.totals.before).toEqual({ revenue: "0.45", cost: "0.1003", margin: "0.3497", margin_pct: "77.71" });
    // After: the split calls exactly (600 x 1.75 + 400 x 15) / 1M = $0.00705 each; the other scaled by 15 / 14: $0.0075.
    // Credits: content at min 4 per call is still 10 + 10 + 5 = 25; images 10.
    expect(r.totals.after).toEqual({ revenue: "0.45", cost: "0.1016", margin: "0.3484", margin_pct: "77.42" });
    expect(r.cost_methods).toEqual({ token_counts: 2, image_counts: 2, scaled: 1 });
    expect(r.apart).toEqual([
      { status: "billing_stops", calls: 3, revenue_before: "0.03", revenue_after: null, cost_before: "0.00072" },
      { status: "unbilled", calls: 1, revenue_before: null, revenue_after: null, cost_before: "0.01" },
    ]);

    // Reach: gpt-5.2 by configuration (globex through user 3's ai_settings) and by usage (both accounts).
    const br = impact.blast_radius;
    expect(br.users_total).toBe(3);
    const gpt = br.prices.find((p: { address: string }) => p.address === "model/gpt-5.2");
    expect(gpt).toMatchObject({ fields: ["output_token_rate"], reaches: { count: 1, accounts: ["globex"] }, users: 1 });
    // Share of the window's billed revenue: content $0.25 of $0.48 (content, optimization $0.03, images $0.20).
    expect(gpt.usage).toEqual({ accounts: { count: 2, accounts: ["acme", "globex"] }, calls: 3, revenue_share_pct: "52.08" });
    // image_quality: globex overrides only runware's quality, so its dalle and bria quality move.
    const quality = br.defaults.find((d: { field: string }) => d.field === "image_quality");
    expect(quality).toMatchObject({ reaches: { count: 2, accounts: ["acme", "globex"] }, shielded: { count: 0 }, partly_shielded: [{ account: "globex", keeps: ["runware.quality"] }], users: 3 });
    // Deactivating a credit rule is in the blast radius.
    const optimization = br.prices.find((p: { address: string }) => p.address === "credit/optimization");
    expect(optimization).toMatchObject({ fields: ["is_active"], basis: "all-accounts", usage: { calls: 3, revenue_share_pct: "6.25" } });

    // Margins of small calls: the minimum charge per call moves with min_credits.
    const content = impact.margins.find((m: { operation_type: string; model_id: string }) => m.operation_type === "content_generation" && m.model_id === "gpt-5.2");
    expect(content).toMatchObject({ per: "per_1m_output_tokens", before: { min_charge: "0.03", min_charge_tokens: 300 }, after: { min_charge: "0.04", min_charge_tokens: 400 } });

    const text = await ws.cli(["plan"]);
    expect(text.stdout).toContain("minimum $0.03 per call up to 300 tokens -> $0.04 per call up to 400 tokens");
    expect(text.stdout).toContain("billing stops (the credit rule is deactivated or deleted): 3 calls, revenue $0.03 -> $0.00, recorded cost $0.00072");
    expect(text.stdout).toContain("Recorded: 9 calls charged 41 credits, cost_usd $0.111.");
    expect(text.stdout).toContain("globex keeps its own runware.quality");
  });
});
