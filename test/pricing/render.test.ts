import { describe, expect, test } from "vitest";
import type { Resource } from "../../src/domain/resources.js";
import { marginRows } from "../../src/plan/impact/margins.js";
import { renderImpactMarkdown, renderImpactText } from "../../src/render/impact.js";
import { marginLineText } from "../../src/render/figures.js";
import type { PlanImpact } from "../../src/plan/types.js";
import { replayRevenue, type UsageAggregate } from "../../src/plan/impact/revenue.js";
import { credit, imageModel, model, usageAggregate } from "../plan/fixtures.js";

const live: Resource[] = [
  imageModel("dall-e-3", "0.04"),
  imageModel("gpt-image-1", "0.042"),
  imageModel("runware:100@1", "0.009"),
  model("gpt-4o-mini", { input_token_rate: "0.15", output_token_rate: "0.6" }),
  credit("image_generation", { unit: "image", credits: 5, min_credits: 5, tokens_per_credit: 50, price_per_credit_usd: "0.02" }),
  credit("content_generation", { unit: "tokens", tokens_per_credit: 100, min_credits: 3, price_per_credit_usd: "0.01" }),
];
// The change under review: dall-e-3 costs $0.09 (the margin falls to 10 %), runware's image $0.11 (a loss),
// gpt-image-1 leaves the catalog, content generation gets 150 tokens per credit and a minimum of 2 credits.
const desired: Resource[] = [
  imageModel("dall-e-3", "0.09"),
  imageModel("runware:100@1", "0.11"),
  model("gpt-4o-mini", { input_token_rate: "0.15", output_token_rate: "0.6" }),
  live[4]!,
  credit("content_generation", { unit: "tokens", tokens_per_credit: 150, min_credits: 2, price_per_credit_usd: "0.01" }),
];
// A small log, as the reader sums it (per account): content generation logs the input/output split for one call.
const row = usageAggregate;
const aggregates: UsageAggregate[] = [
  row({ account: "acme", operation_type: "content_generation", model_id: "gpt-4o-mini", calls: 3, tokens: 1349, recorded_credits: 16, recorded_cost_usd: "0.0005394", split_calls: 1, input_tokens: 600, output_tokens: 400, split_cost_usd: "0.00033", token_credits: { "100:3": 16, "150:2": 11 } }),
  row({ account: "acme", operation_type: "image_generation", model_id: "dall-e-3", calls: 2, images: 3, recorded_credits: 15, recorded_cost_usd: "0.12" }),
  row({ account: "globex", operation_type: "image_generation", model_id: "dall-e-3", calls: 1, images: 1, recorded_credits: 5, recorded_cost_usd: "0.04" }),
  row({ account: "globex", operation_type: "image_generation", model_id: "gpt-image-1", calls: 4, images: 4, recorded_credits: 20, recorded_cost_usd: "0.168" }),
  row({ account: "globex", operation_type: "mystery_op", model_id: null, calls: 2, recorded_cost_usd: "0.01" }),
];

function impact(): PlanImpact {
  return {
    margins: marginRows(live, desired),
    revenue: replayRevenue({ aggregates, live, desired, days: 30, since: "2026-01-30T00:00:00.000Z", until: "2026-03-01T00:00:00.000Z" }),
    blast_radius: {
      accounts_total: 4,
      users_total: 9,
      usage_days: 30,
      defaults: [
        {
          field: "image_quality",
          before: "standard",
          after: "hd",
          reaches: { count: 4, accounts: ["acme", "globex", "initech", "umbrella"] },
          shielded: { count: 0, accounts: [] },
          partly_shielded: [{ account: "globex", keeps: ["runware.quality"] }],
          users: 9,
          usage: { accounts: { count: 2, accounts: ["acme", "globex"] }, calls: 3, revenue_share_pct: "41.67" },
        },
      ],
      prices: [
        {
          address: "model/dall-e-3",
          fields: ["cost_per_image"],
          reaches: { count: 3, accounts: ["globex", "initech", "umbrella"] },
          basis: "effective-model",
          users: 6,
          usage: { accounts: { count: 2, accounts: ["acme", "globex"] }, calls: 3, revenue_share_pct: "41.67" },
        },
        { address: "credit/optimization", fields: ["is_active"], reaches: { count: 4, accounts: ["acme", "globex", "initech", "umbrella"] }, basis: "all-accounts", users: 9, usage: { accounts: { count: 0, accounts: [] }, calls: 0, revenue_share_pct: "0.00" } },
      ],
      broken_overrides: [
        { account: "umbrella", address: "account/umbrella/integration/dalle", field: "size", value: "1792x1024", reason: "size 1792x1024 is not offered by dall-e-2 (256x256, 512x512, 1024x1024)", source: "database" },
      ],
    },
  };
}

describe("impact sections (golden)", () => {
  test("text", async () => {
    await expect(renderImpactText(impact()).join("\n") + "\n").toMatchFileSnapshot("../fixtures/golden/impact/impact.txt");
  });
  test("Markdown", async () => {
    await expect(renderImpactMarkdown(impact())).toMatchFileSnapshot("../fixtures/golden/impact/impact.md");
  });
  test("JSON (the plan's impact object)", async () => {
    await expect(JSON.stringify(impact(), null, 2) + "\n").toMatchFileSnapshot("../fixtures/golden/impact/impact.json");
  });
  test("nothing changed, nothing rendered", () => {
    const same = { revenue: replayRevenue({ aggregates: [], live, desired: live, days: 30, since: "x", until: "y" }) };
    expect(renderImpactText(same)).toEqual([]);
    expect(renderImpactMarkdown(same)).toBe("");
  });
  test("the margin text names the model, the operation and both margins", () => {
    const text = impact().margins.map(marginLineText).join("\n");
    expect(text).toContain("image_generation x dall-e-3: cost $0.04 -> $0.09, charge $0.10, margin 60.00 % -> 10.00 %");
  });
});
