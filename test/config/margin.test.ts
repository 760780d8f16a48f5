import { describe, expect, it } from "vitest";
import { computeMargins, meetsFloor } from "../../src/domain/margin.js";
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
    expect(row.figures).toEqual({ cost: "0.04", charge: "0.1", margin: "0.06", margin_pct: "60.00", markup_pct: "150.00" });
  });

  it("charges token operations per 1M tokens against the output rate, active models and operations only", () => {
    const rows = computeMargins(models, credits);
    expect(rows.map((r) => `${r.operation_type}/${r.model_id}`)).toEqual(["image_generation/dall-e-3", "linking/gpt-4o", "linking/gpt-5.2"]);
    expect(rows[2]!.figures).toMatchObject({ charge: "16.666667", cost: "14", margin_pct: "16.00" });
  });

  it("compares a floor exactly even when the charge has no finite decimal form", () => {
    const gpt4o = computeMargins(models, credits).find((r) => r.model_id === "gpt-4o")!;
    expect(meetsFloor(gpt4o, 40)).toBe(true); // (16.67 - 10) / 16.67 is exactly 40 %
    expect(meetsFloor(gpt4o, "40.0001")).toBe(false);
  });
});
