import { describe, expect, it } from "vitest";
import { describe_, errorsOf, lineOf, loadSampleWith } from "./sample.js";

/** Issue #13: credit operations and settings keys are declared in config, not enums in the code. */
describe("credit operations and settings keys are data", () => {
  const summarization = [
    "  - operation_type: summarization",
    "    display_name: Summaries",
    "    unit: tokens",
    "    tokens_per_credit: 250",
    "    min_credits: 1",
    "    price_per_credit_usd: 0.0100",
    "",
  ].join("\n");
  const seoSettings = ["  seo_settings:", "    type: object", "    properties:", "      meta_length: { type: integer, minimum: 50, maximum: 300 }", ""].join("\n");

  it("a new operation, its policy floor and a new settings key are a YAML change that validates", async () => {
    const loaded = await loadSampleWith({
      "credits.yaml": (t) => t + summarization,
      "settings-schemas.yaml": (t) => t + seoSettings,
      "policies.yaml": (t) => t + "  summarization:\n    min_margin_pct: 30\n    note: summaries run on the small models\n",
    });
    expect(errorsOf(loaded.diagnostics), describe_(loaded.diagnostics)).toEqual([]);
    const addresses = loaded.desired.resources.map((r) => r.address);
    expect(addresses).toContain("credit/summarization");
    expect(addresses.some((a) => a.endsWith("seo_settings"))).toBe(true);
    // The seed's seven operations and five keys stay the sample.
    expect(loaded.desired.resources.filter((r) => r.kind === "credit")).toHaveLength(8);
    expect(loaded.desired.resources.filter((r) => r.kind === "settings-schema")).toHaveLength(6);
  });

  it("a policy floor for an operation credits.yaml does not declare is an error at its key, with a suggestion", async () => {
    const loaded = await loadSampleWith({ "policies.yaml": (t) => t.replace("  linking:\n", "  linkin:\n") });
    const [e] = errorsOf(loaded.diagnostics).filter((d) => d.code === "policy.unknown-operation");
    expect(e, describe_(loaded.diagnostics)).toMatchObject({
      file: "config/policies.yaml",
      line: lineOf(loaded.text("policies.yaml"), "  linkin:"),
      col: 3,
      message: "min_margin_pct_by_operation names operation linkin, which credits.yaml does not declare; did you mean `linking`?",
    });
  });

  it("a name the platform could not store as a key is refused by the schema", async () => {
    const loaded = await loadSampleWith({ "credits.yaml": (t) => t + summarization.replace("summarization", "Summarize-It") });
    const errors = errorsOf(loaded.diagnostics);
    expect(errors.map((d) => d.file)).toContain("config/credits.yaml");
    expect(describe_(errors)).toMatch(/lowercase letters, digits and '_'/);
  });
});
