import { describe, expect, test } from "vitest";
import { computeMargins, meetsFloor } from "../../src/domain/margin.js";
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

  test("a single-price model keeps the plan's row as before (no price range)", () => {
    const [row] = marginRows([imageModel("dall-e-3", "0.04"), imageGeneration()], [imageModel("dall-e-3", "0.05"), imageGeneration()]);
    expect(row!.prices).toBeUndefined();
  });
});
