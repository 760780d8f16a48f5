import { describe, expect, it, test } from "vitest";
import { computeMargins, linesBelowFloor, meetsFloor } from "../../src/domain/margin.js";
import type { Resource } from "../../src/domain/resources.js";

const model = (model_id: string, fields: Record<string, unknown>): Resource =>
  ({ address: `model/${model_id}`, kind: "model", key: { model_id }, fields: { is_active: true, ...fields } }) as Resource;
const credit = (operation_type: string, fields: Record<string, unknown>): Resource =>
  ({ address: `credit/${operation_type}`, kind: "credit", key: { operation_type }, fields: { is_active: true, ...fields } }) as Resource;

describe("computeMargins (SPEC §2.6)", () => {
  const models = [
    model("dall-e-3", { model_type: "image", cost_per_image: "0.04" }),
    model("gpt-5.2", { model_type: "text", output_token_rate: "14" }),
    model("gpt-4o", { model_type: "text", output_token_rate: "10" }),
    model("old", { model_type: "text", output_token_rate: "75", is_active: false }),
  ];
  const credits = [
    credit("image_generation", { unit: "image", credits: 5, min_credits: 5, price_per_credit_usd: "0.02" }),
    credit("linking", { unit: "tokens", tokens_per_credit: 300, min_credits: 1, price_per_credit_usd: "0.005" }),
    credit("off", { unit: "tokens", tokens_per_credit: 1, min_credits: 1, price_per_credit_usd: "1", is_active: false }),
  ];

  it("gives the seed's dall-e-3 example: cost 0.04, charge 0.10, margin 0.06 = 60 %, markup 150 %", () => {
    const row = computeMargins(models, credits).find((r) => r.model_id === "dall-e-3")!;
    expect(row.figures).toEqual({ cost: "0.04", charge: "0.1", margin: "0.06", margin_pct: "60", markup_pct: "150" });
  });

  it("charges token operations per 1M tokens against the output rate, active models and operations only", () => {
    const rows = computeMargins(models, credits);
    expect(rows.map((r) => `${r.operation_type}/${r.model_id}`)).toEqual(["image_generation/dall-e-3", "linking/gpt-4o", "linking/gpt-5.2"]);
    expect(rows[2]!.figures).toMatchObject({ charge: "16.666667", cost: "14", margin_pct: "16" });
  });

  it("compares a floor exactly even when the charge has no finite decimal form", () => {
    const gpt4o = computeMargins(models, credits).find((r) => r.model_id === "gpt-4o")!;
    expect(meetsFloor(gpt4o, 40)).toBe(true); // (16.67 - 10) / 16.67 is exactly 40 %
    expect(meetsFloor(gpt4o, "40.0001")).toBe(false);
  });
});

describe("linesBelowFloor: the policy check in scaled integers", () => {
  test("gives exactly the lines computeMargins + meetsFloor fail, at and around every boundary", () => {
    // Costs straddling each operation's exact bound (linking at 40 %: 16.666... x 0.6 = 10 exactly).
    const costs = ["10", "10.0000000001", "9.9999999999", "0", "14", "75", "0.06", "0.0600001", "0.059", "1e-7", "2.50", "16.666667"];
    const models = costs.flatMap((c, i) => [
      model(`t${i}`, { model_type: "text", output_token_rate: c }),
      model(`i${i}`, { model_type: "image", cost_per_image: c }),
    ]);
    const credits = [
      credit("image_generation", { unit: "image", credits: 5, min_credits: 5, price_per_credit_usd: "0.02" }),
      credit("linking", { unit: "tokens", tokens_per_credit: 300, min_credits: 1, price_per_credit_usd: "0.005" }),
      credit("free", { unit: "tokens", tokens_per_credit: 100, min_credits: 1, price_per_credit_usd: "0" }),
      credit("odd", { unit: "tokens", tokens_per_credit: 7, min_credits: 1, price_per_credit_usd: "0.0003" }),
    ];
    for (const floors of [{}, { linking: 40, image_generation: 40, odd: 12.5, free: -1000 }, { linking: "40.0001", image_generation: -50, odd: 100 }] as Record<string, number | string>[]) {
      const floorOf = (op: string) => floors[op];
      const expected = computeMargins(models, credits)
        .filter((l) => floorOf(l.operation_type) !== undefined && !meetsFloor(l, floorOf(l.operation_type)!))
        .map((l) => `${l.operation_type}/${l.model_id}`);
      expect(linesBelowFloor(models, credits, floorOf).map((l) => `${l.operation_type}/${l.model_id}`)).toEqual(expected);
    }
    const linking = linesBelowFloor(models, credits, (op) => (op === "linking" ? 40 : undefined)).map((l) => l.model_id);
    expect(linking).toContain("t1");
    expect(linking).not.toContain("t0");
  });
  test("checks each model at its worst price dimension and names it, with the cheapest, like computeMargins", () => {
    // Only the dearest price of each model fails: a tier, the batch rate or an image size x quality.
    const models = [
      model("tiered", { model_type: "text", output_token_rate: "9", context_tiers: [{ above_input_tokens: 200000, output_token_rate: "10.5" }] }),
      model("batched", { model_type: "text", output_token_rate: "5", batch_output_token_rate: "10.0000001" }),
      model("sized", {
        model_type: "image",
        cost_per_image: "0.04",
        available_sizes: ["1024x1024", "1024x1792"],
        image_prices: [
          { size: "1024x1792", quality: "hd", cost_per_image: "0.12" },
          { size: "4096x4096", quality: "hd", cost_per_image: "0.5" }, // not offered: never hit
        ],
      }),
      model("plain", { model_type: "text", output_token_rate: "10" }),
    ];
    const credits = [
      credit("image_generation", { unit: "image", credits: 5, min_credits: 5, price_per_credit_usd: "0.02" }),
      credit("linking", { unit: "tokens", tokens_per_credit: 300, min_credits: 1, price_per_credit_usd: "0.005" }),
    ];
    const floorOf = () => 40;
    const view = (l: ReturnType<typeof computeMargins>[number]) => ({ line: `${l.operation_type}/${l.model_id}`, dimension: l.dimension, figures: l.figures, cheapest: l.cheapest });
    const expected = computeMargins(models, credits).filter((l) => !meetsFloor(l, 40));
    expect(linesBelowFloor(models, credits, floorOf).map(view)).toEqual(expected.map(view));
    expect(expected.map((l) => `${l.model_id} at ${l.dimension}`)).toEqual([
      "sized at image_prices[1024x1792 hd]",
      "batched at batch_output_token_rate",
      "tiered at context_tiers[>200000].output_token_rate",
    ]);
    expect(expected.find((l) => l.model_id === "tiered")!.cheapest).toMatchObject({ dimension: "output_token_rate", figures: { cost: "9" } });
  });
});
