import { describe, expect, test } from "vitest";
import type { Resource } from "../../src/domain/resources.js";
import { marginRows } from "../../src/plan/impact/margins.js";
import { renderImpactMarkdown, renderImpactText, type ImpactSections } from "../../src/render/impact.js";
import { replayRevenue, type UsageAggregate } from "../../src/plan/impact/revenue.js";
import { credit, imageModel, model } from "../plan/fixtures.js";

const live: Resource[] = [
  imageModel("dall-e-3", "0.04"),
  model("gpt-4o-mini", { output_token_rate: "0.6" }),
  credit("image_generation", { unit: "image", credits: 5, min_credits: 5, tokens_per_credit: 50, price_per_credit_usd: "0.02" }),
  credit("content_generation", { unit: "tokens", tokens_per_credit: 100, min_credits: 3, price_per_credit_usd: "0.01" }),
];
// The change under review: dall-e-3 costs $0.09 (the margin falls to 10 %), content generation gets 150 tokens per credit.
const desired: Resource[] = [
  imageModel("dall-e-3", "0.09"),
  model("gpt-4o-mini", { output_token_rate: "0.6" }),
  live[2]!,
  credit("content_generation", { unit: "tokens", tokens_per_credit: 150, min_credits: 2, price_per_credit_usd: "0.01" }),
];
// The hand-computed log of revenue.test.ts, as the reader sums it.
const aggregates: UsageAggregate[] = [
  { operation_type: "content_generation", model_id: "gpt-4o-mini", calls: 3, images: 3, tokens: 1349, recorded_credits: 16, recorded_cost_usd: "0.0008094", token_credits: { "100:3": 16, "150:2": 11 } },
  { operation_type: "image_generation", model_id: "dall-e-3", calls: 3, images: 4, tokens: 0, recorded_credits: 20, recorded_cost_usd: "0.16", token_credits: { "100:3": 9, "150:2": 6 } },
];

function impact(): ImpactSections {
  return {
    margins: marginRows(live, desired),
    revenue: replayRevenue({ aggregates, live, desired, days: 30, since: "2026-01-30T00:00:00.000Z" }),
    blast_radius: {
      accounts_total: 4,
      defaults: [
        { field: "openai_model", before: "gpt-4o-mini", after: "gpt-4.1", reaches: { count: 3, accounts: ["globex", "initech", "umbrella"] }, shielded: { count: 1, accounts: ["acme"] } },
      ],
      prices: [{ address: "model/dall-e-3", fields: ["cost_per_image"], reaches: { count: 3, accounts: ["globex", "initech", "umbrella"] }, basis: "effective-model" }],
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
    const same = { margins: marginRows(live, live), revenue: replayRevenue({ aggregates: [], live, desired: live, days: 30, since: "x" }) };
    expect(renderImpactText(same)).toEqual([]);
    expect(renderImpactMarkdown(same)).toBe("");
  });
  test("the margin text names the model, the operation and both margins", () => {
    const text = renderImpactText(impact()).join("\n");
    expect(text).toContain("image_generation x dall-e-3: cost $0.04 -> $0.09, charge $0.1, margin 60 % -> 10 %");
  });
});
