import { describe, expect, test } from "vitest";
import { computeMargins, linesBelowFloor, meetsFloor } from "../../src/domain/margin.js";
import { marginRows } from "../../src/plan/impact/margins.js";
import { credit, imageGeneration, imageModel, model } from "./fixtures.js";

// The one suite of the margin arithmetic (domain/margin.ts) and its before/after rows (plan/impact/margins.ts).
describe("margins (SPEC §2.6)", () => {
  test("the seed's worked example: dall-e-3 costs $0.040, charges $0.10: margin $0.06 = 60 %, markup 150 %", () => {
    const [line] = computeMargins([imageModel("dall-e-3", "0.040")], [imageGeneration()]);
    expect(line!.exact.chargeNumerator.div(line!.exact.chargeDenominator).toFixed()).toBe("0.1");
    expect(line!.exact.cost.toFixed()).toBe("0.04");
    expect(line!.figures).toMatchObject({ cost: "0.04", charge: "0.1", margin: "0.06", margin_pct: "60.00", markup_pct: "150.00" });
  });

  test("token operations charge 1M / tokens_per_credit x price against the output rate", () => {
    const linking = credit("linking", { unit: "tokens", tokens_per_credit: 300, min_credits: 1, price_per_credit_usd: "0.005" });
    const opus = model("claude-3-opus-20240229", { output_token_rate: "75" });
    const [line] = computeMargins([opus], [linking]);
    expect(line!.figures.charge).toBe("16.666667");
    expect(line!.figures.margin.startsWith("-")).toBe(true);
  });

  test("inactive models and operations are left out; decimal arithmetic has no float error", () => {
    const lines = computeMargins([imageModel("a", "0.034"), imageModel("off", "0.01", { is_active: false })], [imageGeneration()]);
    expect(lines.map((l) => l.model_id)).toEqual(["a"]);
    expect(lines[0]!.figures.margin).toBe("0.066");
  });

  test("a floor is compared exactly even when the charge has no finite decimal form", () => {
    const linking = credit("linking", { unit: "tokens", tokens_per_credit: 300, min_credits: 1, price_per_credit_usd: "0.005" });
    const [gpt4o] = computeMargins([model("gpt-4o", { output_token_rate: "10" })], [linking]);
    expect(meetsFloor(gpt4o!, 40)).toBe(true); // (16.67 - 10) / 16.67 is exactly 40 %
    expect(meetsFloor(gpt4o!, "40.0001")).toBe(false);
  });

  test("before/after rows show the effect of a price change", () => {
    const rows = marginRows([imageModel("dall-e-3", "0.04"), imageGeneration()], [imageModel("dall-e-3", "0.09"), imageGeneration()]);
    expect(rows).toEqual([
      {
        operation_type: "image_generation",
        model_id: "dall-e-3",
        unit: "image",
        per: "per_image",
        before: { cost: "0.04", charge: "0.1", margin: "0.06", margin_pct: "60.00", markup_pct: "150.00" },
        after: { cost: "0.09", charge: "0.1", margin: "0.01", margin_pct: "10.00", markup_pct: "11.11" },
      },
    ]);
  });

  test("percentages round half-up to two decimals: 98.125 % is 98.13 %, never 98.12 % (issue #13)", () => {
    const [line] = computeMargins([imageModel("a", "0.001875")], [imageGeneration()]);
    expect(line!.figures.margin_pct).toBe("98.13");
  });

  test("token operations carry their minimum charge per call, and a min_credits change moves the row (issue #13)", () => {
    const rule = (min: number) => credit("content_generation", { unit: "tokens", tokens_per_credit: 100, min_credits: min, price_per_credit_usd: "0.01" });
    const gpt = model("gpt-4o-mini", { output_token_rate: "0.6" });
    const rows = marginRows([gpt, rule(3)], [gpt, rule(5)]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ per: "per_1m_output_tokens", unit: "tokens" });
    expect(rows[0]!.before).toMatchObject({ charge: "100", min_charge: "0.03", min_charge_tokens: 300 });
    expect(rows[0]!.after).toMatchObject({ charge: "100", min_charge: "0.05", min_charge_tokens: 500 });
    expect(rows[0]!.before).not.toEqual(rows[0]!.after);
  });

  test("an image model priced per size x quality is shown at its dearest offered price (the dall-e-3 HD 1024x1792 loss) and its cheapest", () => {
    const dalle = imageModel("dall-e-3", "0.040", {
      available_sizes: ["1024x1024", "1024x1792", "1792x1024"],
      image_prices: [
        { size: "1024x1024", quality: "standard", cost_per_image: "0.04" },
        { size: "1024x1792", quality: "hd", cost_per_image: "0.12" },
        // A size the model does not offer cannot be hit.
        { size: "4096x4096", quality: "hd", cost_per_image: "0.5" },
      ],
    });
    const [line] = computeMargins([dalle], [imageGeneration()]);
    expect(line!.dimension).toBe("image_prices[1024x1792 hd]");
    expect(line!.figures).toMatchObject({ cost: "0.12", charge: "0.1", margin: "-0.02", margin_pct: "-20.00" });
    expect(line!.cheapest).toEqual({ dimension: "cost_per_image", figures: { cost: "0.04", charge: "0.1", margin: "0.06", margin_pct: "60.00", markup_pct: "150.00" } });
    const [row] = marginRows([imageModel("dall-e-3", "0.040"), imageGeneration()], [dalle, imageGeneration()]);
    expect(row!.after?.margin_pct).toBe("-20.00");
    expect(row!.prices?.after?.dimension).toBe("image_prices[1024x1792 hd]");
    expect(row!.prices?.before?.dimension).toBe("cost_per_image");
  });

  test("a token operation reaching a long-context tier is checked at the tier's output rate; batch is the cheapest", () => {
    const op = credit("content_generation", { unit: "tokens", tokens_per_credit: 100, min_credits: 3, price_per_credit_usd: "0.01" });
    const sonnet = model("claude-sonnet-4-5", {
      output_token_rate: "15",
      batch_output_token_rate: "7.5",
      context_tiers: [{ above_input_tokens: 200000, input_token_rate: "6", output_token_rate: "22.5" }],
    });
    const [line] = computeMargins([sonnet], [op]);
    expect(line!.dimension).toBe("context_tiers[>200000].output_token_rate");
    expect(line!.exact.cost.toFixed()).toBe("22.5");
    expect(line!.cheapest.dimension).toBe("batch_output_token_rate");
    expect(line!.cheapest.figures.cost).toBe("7.5");
  });

  test("a change to a price dimension alone (tier, batch, image size x quality, offered sizes) moves its rows; equal lists move nothing", () => {
    const op = credit("content_generation", { unit: "tokens", tokens_per_credit: 100, min_credits: 3, price_per_credit_usd: "0.01" });
    const tiered = (rate: string) => model("sonnet", { output_token_rate: "3", context_tiers: [{ above_input_tokens: 200000, output_token_rate: rate }] });
    const dalle = (sizes: string[]) =>
      imageModel("dall-e-3", "0.04", { available_sizes: sizes, image_prices: [{ size: "1024x1792", quality: "hd", cost_per_image: "0.12" }] });
    const live = [tiered("22.5"), model("batch", { output_token_rate: "3", batch_output_token_rate: "1" }), dalle(["1024x1024"]), op, imageGeneration()];
    // Structurally equal but distinct lists (as the store reads them back): nothing moves.
    expect(marginRows(live, [tiered("22.5"), model("batch", { output_token_rate: "3", batch_output_token_rate: "1.0" }), dalle(["1024x1024"]), op, imageGeneration()])).toEqual([]);
    const rows = marginRows(live, [tiered("30"), model("batch", { output_token_rate: "3", batch_output_token_rate: "4" }), dalle(["1024x1024", "1024x1792"]), op, imageGeneration()]);
    expect(rows.map((r) => `${r.operation_type}/${r.model_id}: ${r.before?.cost} -> ${r.after?.cost}`)).toEqual([
      "content_generation/batch: 3 -> 4",
      "content_generation/sonnet: 22.5 -> 30",
      "image_generation/dall-e-3: 0.04 -> 0.12",
    ]);
  });

  test("a single-price model keeps the plan's row as before (no price range)", () => {
    const [row] = marginRows([imageModel("dall-e-3", "0.04"), imageGeneration()], [imageModel("dall-e-3", "0.05"), imageGeneration()]);
    expect(row!.prices).toBeUndefined();
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
