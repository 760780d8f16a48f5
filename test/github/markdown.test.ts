import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GITHUB_COMMENT_MAX_CHARS, escapeInline, renderPlanMarkdown } from "../../src/render/markdown.js";
import type { Plan } from "../../src/plan/types.js";
import { PLAN_FIXTURES, brokenTables, largePlan, planFixture } from "./plans.js";

const fixture = () => planFixture("pricing-change.json");

describe("renderPlanMarkdown", () => {
  it("matches the golden comment for a pricing change (vitest -u rewrites it; CI fails when it is missing)", async () => {
    const markdown = renderPlanMarkdown(fixture(), { environment: "production" });
    await expect(markdown).toMatchFileSnapshot(join(PLAN_FIXTURES, "pricing-change.md"));
  });

  it("heads the comment with the environment and a summary table of every action", () => {
    const markdown = renderPlanMarkdown(fixture(), { environment: "production" });
    expect(markdown).toMatch(/^## cfgsync plan for <code>production<\/code>/);
    expect(markdown).toContain("| create | update | delete | drift | unmanaged |\n| ---: | ---: | ---: | ---: | ---: |\n| 2 | 3 | 1 | 1 | 1 |");
  });

  it("groups changes by kind in collapsible sections, in the kinds' order, with counts", () => {
    const markdown = renderPlanMarkdown(fixture());
    const summaries = [...markdown.matchAll(/<details><summary><b>(.*?)<\/b>: (.*?)<\/summary>/g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(summaries).toEqual([
      "Models: 1 create, 1 update, 1 delete",
      "Credit costs: 1 update",
      "Integration settings: 1 update",
      "Settings schemas: 1 unmanaged",
      "Account settings: 1 create",
      "Account integration overrides: 1 drift",
    ]);
    expect(markdown).toContain("| <code>cost_per_image</code> | <code>0.040</code> | <code>0.050</code> |");
    expect(markdown).toContain("(<code>config/models/openai.yaml:21</code>)");
  });

  it("shows a sensitive field only as changed or unchanged, never a value", () => {
    const plan = fixture();
    // Even if a saved plan carried a value next to the sensitive flag, it must not be printed.
    const integration = plan.changes.find((c) => c.address === "integration/global")!;
    integration.fields[0] = { ...integration.fields[0], before: "sk-live-OLDSECRET", after: "sk-live-NEWSECRET" } as never;
    const markdown = renderPlanMarkdown(plan);
    expect(markdown).toContain("| <code>openai_api_key</code> | (sensitive) | (sensitive) changed |");
    expect(markdown).toContain("| <code>anthropic_api_key</code> | (sensitive) | (sensitive) unchanged |");
    expect(markdown).not.toMatch(/SECRET|sk-live/);
  });

  it("escapes pipes, HTML, backticks and Markdown in cells so a value cannot break its table", () => {
    const markdown = renderPlanMarkdown(fixture());
    expect(brokenTables(markdown)).toEqual([]);
    expect(markdown).not.toContain("<b>bold</b>");
    expect(markdown).toContain(
      "<code>friendly &#124; &lt;b&gt;bold&lt;/b&gt; \\`tick\\` \\*star\\* \\_under\\_ \\[link\\](x)\\\\nsecond line</code>",
    );
    expect(escapeInline("a|b")).toBe("a&#124;b");
    expect(escapeInline("snake_case_name")).toBe("snake_case_name");
  });

  it("marks drifted fields and shows absent values as (none)", () => {
    const markdown = renderPlanMarkdown(fixture());
    expect(markdown).toContain("| <code>temperature</code> (drifted) | <code>0.9</code> | <code>0.4</code> |");
    expect(markdown).toContain("| <code>is_active</code> | <i>(none)</i> | <code>false</code> |");
  });

  it("shows the margin table, before -> after, and flags a negative margin", () => {
    const markdown = renderPlanMarkdown(fixture());
    expect(markdown).toContain("### Margin impact");
    expect(markdown).toContain("| operation | model | per | cost | charge | margin | margin % | markup % | minimum per call |");
    expect(markdown).toContain(
      "| <code>image_generation</code> | <code>dall-e-3</code> | image | $0.04 → $0.05 | $0.10 → $0.125 | $0.06 → $0.075 | 60.00 % | 150.00 % | - |",
    );
    // A loss is marked in words as well as by its sign, before and after alike.
    expect(markdown).toContain("| -$58.33 (loss) → - | -350.00 % (loss) → - | -77.78 % (loss) → - |");
  });

  it("flags a margin that becomes negative", () => {
    const plan = fixture();
    plan.impact.margins = [
      {
        operation_type: "linking",
        model_id: "gpt-5.2",
        unit: "tokens",
        per: "per_1m_output_tokens",
        before: { cost: "14", charge: "16.666667", margin: "2.666667", margin_pct: "16.00", markup_pct: "19.05", min_charge: "0.005", min_charge_tokens: 300 },
        after: { cost: "18", charge: "16.666667", margin: "-1.333333", margin_pct: "-8.00", markup_pct: "-7.41", min_charge: "0.005", min_charge_tokens: 300 },
      },
    ];
    expect(renderPlanMarkdown(plan)).toContain("| $2.67 → -$1.33 (loss) | 16.00 % → -8.00 % (loss) | 19.05 % → -7.41 % (loss) | $0.005 per call up to 300 tokens |");
  });

  it("leaves out the margin section when there are no margin rows", () => {
    const plan: Plan = { ...fixture(), impact: { margins: [] } };
    expect(renderPlanMarkdown(plan)).not.toContain("Margin impact");
  });

  it("lists diagnostics with file:line, errors marked as errors", () => {
    const markdown = renderPlanMarkdown(fixture());
    expect(markdown).toContain("- ❌ **error** <code>config/credits.yaml:40:3</code>: margin of linking with gpt-5.2 is 16 % &lt; 40 %");
    expect(markdown).toContain("- ⚠️ **warning** <code>config/models/openai.yaml:30:5</code>: reference_id is deprecated; remove it");
  });

  it("says plainly when there is nothing to do", () => {
    const markdown = renderPlanMarkdown(planFixture("no-changes.json"), { environment: "staging" });
    expect(markdown).toContain("**No changes.**");
    expect(markdown).not.toContain("### Changes");
  });

  it("renders an 800 KB plan under GitHub's limit: summary, per-kind counts, artifact pointer, no half table", () => {
    const plan = largePlan(800_000);
    expect(JSON.stringify(plan).length).toBeGreaterThanOrEqual(800_000);
    // full: every change listed, so only the shorter renderings fit (by default a kind lists its first 50).
    const markdown = renderPlanMarkdown(plan, { environment: "production", artifactHint: "the `cfgsync-plan` artifact of run 42", full: true });
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    expect(brokenTables(markdown)).toEqual([]);
    expect(markdown).toContain("| create | update | delete | drift | unmanaged |");
    expect(markdown).toContain(`| ${plan.summary.create} | ${plan.summary.update} | 0 | ${plan.summary.drift} | 0 |`);
    expect(markdown).toContain("### Changes by kind");
    expect(markdown).toMatch(/\| Models \| \d+ \| \d+ \| 0 \| \d+ \| 0 \|/);
    expect(markdown).toContain("the `cfgsync-plan` artifact of run 42");
    expect(markdown).not.toContain("| name | before | after |");
  });

  it("drops field tables before anything else: a mid-size plan keeps its list of addresses", () => {
    const plan = largePlan(100_000);
    const full = renderPlanMarkdown(plan, { maxChars: Number.MAX_SAFE_INTEGER, full: true });
    expect(full.length).toBeGreaterThan(GITHUB_COMMENT_MAX_CHARS);
    const markdown = renderPlanMarkdown(plan, { artifactHint: "the artifact", full: true });
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    expect(brokenTables(markdown)).toEqual([]);
    expect(markdown).toContain("<code>model/bulk-model-0</code>");
    expect(markdown).not.toContain("| name | before | after |");
    expect(markdown).toContain("too large for one comment");
  });

  it("honours a smaller budget, and refuses one too small for even the summary", () => {
    const markdown = renderPlanMarkdown(fixture(), { maxChars: 2_000 });
    expect(markdown.length).toBeLessThanOrEqual(2_000);
    expect(brokenTables(markdown)).toEqual([]);
    expect(() => renderPlanMarkdown(fixture(), { maxChars: 100 })).toThrow(RangeError);
  });
});
