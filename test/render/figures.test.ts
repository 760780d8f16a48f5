import { describe, expect, test } from "vitest";
import { dec, formatPct, formatUsd, pctFigure } from "../../src/domain/money.js";
import { endsAtLoss, marginLineText, marginPercent, priceRangeLine, signedMoney } from "../../src/render/figures.js";
import { marginRows } from "../../src/plan/impact/margins.js";
import { credit, imageGeneration, imageModel, model } from "../plan/fixtures.js";

describe("one presentation of figures (issue #13)", () => {
  test("money to the cent from a dollar up, four significant digits below: never $0.1, $6.1 or $57", () => {
    const cases: [string, string][] = [
      ["0.1", "$0.10"],
      ["6.1", "$6.10"],
      ["57", "$57.00"],
      ["0.04", "$0.04"],
      ["0.008", "$0.008"],
      ["0.042", "$0.042"],
      ["0.0005394", "$0.0005394"],
      ["0.160539", "$0.1605"],
      ["0.99995", "$1.00"],
      ["1234.565", "$1234.57"],
      ["-0.25", "-$0.25"],
      ["0", "$0.00"],
    ];
    expect(cases.map(([v]) => [v, formatUsd(v)])).toEqual(cases);
  });

  test("percentages have two decimals everywhere and round half-up: 98.125 % is 98.13 %", () => {
    expect(formatPct("98.125")).toBe("98.13 %");
    expect(pctFigure(dec("0.98125"))).toBe("98.13");
    expect(formatPct("60")).toBe("60.00 %");
    expect(pctFigure(dec("0.6"))).toBe("60.00");
  });

  test("a negative margin carries a sign and a word, readable without colour", () => {
    expect(marginPercent("-10")).toBe("-10.00 % (loss)");
    expect(marginPercent("10")).toBe("10.00 %");
    expect(signedMoney("0.2")).toBe("+$0.20");
    expect(signedMoney("-0.05")).toBe("-$0.05");
  });
});

describe("the margin table shows the price dimension (issue #10) in the one presentation (issue #13)", () => {
  test("dall-e-3 HD 1024x1792: the loss at its worst price, the cheapest price named, figures by the money rule", () => {
    const dalle = imageModel("dall-e-3", "0.040", {
      available_sizes: ["1024x1024", "1024x1792"],
      image_prices: [
        { size: "1024x1024", quality: "standard", cost_per_image: "0.04" },
        { size: "1024x1792", quality: "hd", cost_per_image: "0.12" },
      ],
    });
    const [row] = marginRows([imageModel("dall-e-3", "0.040"), imageGeneration()], [dalle, imageGeneration()]);
    expect(marginLineText(row!)).toBe(
      "  image_generation x dall-e-3: cost $0.04 -> $0.12, charge $0.10, margin 60.00 % -> -20.00 % (loss), markup 150.00 % -> -16.67 % (loss)",
    );
    expect(endsAtLoss(row!)).toBe(true);
    expect(priceRangeLine(row!)).toBe("at the worst price: image_prices[1024x1792 hd]; cheapest: cost_per_image (cost $0.04, margin 60.00 %)");
  });

  test("a token operation on a model with tiers and batch carries both its dimensions and its minimum charge", () => {
    const op = credit("content_generation", { unit: "tokens", tokens_per_credit: 100, min_credits: 3, price_per_credit_usd: "0.01" });
    const sonnet = (rate: string) =>
      model("claude-sonnet-4-5", {
        output_token_rate: "15",
        batch_output_token_rate: "7.5",
        context_tiers: [{ above_input_tokens: 200000, input_token_rate: "6", output_token_rate: rate }],
      });
    const [row] = marginRows([sonnet("22.5"), op], [sonnet("30"), op]);
    expect(row).toMatchObject({ per: "per_1m_output_tokens", after: { min_charge: "0.03", min_charge_tokens: 300 } });
    expect(marginLineText(row!)).toContain("cost $22.50 -> $30.00, charge $100.00, margin 77.50 % -> 70.00 %");
    expect(marginLineText(row!)).toContain("minimum $0.03 per call up to 300 tokens");
    expect(priceRangeLine(row!)).toBe(
      "at the worst price: context_tiers[>200000].output_token_rate; cheapest: batch_output_token_rate (cost $7.50, margin 92.50 %)",
    );
  });
});
