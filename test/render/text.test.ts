import { describe, expect, test } from "vitest";
import { buildPlan } from "../../src/plan/build.js";
import { planContentDigest } from "../../src/plan/digest.js";
import { FIXED_SECRET_SALT, fixedSecretDigest as secretDigest } from "../helpers/secret-salt.js";
import { renderPlanJson, renderPlanText } from "../../src/render/text.js";
import { renderPlanMarkdown } from "../../src/render/markdown.js";
import type { FieldValue, Resource } from "../../src/domain/resources.js";
import type { DesiredState, LiveState } from "../../src/domain/state.js";
import { imageGeneration, imageModel, model } from "../plan/fixtures.js";
import type { Plan } from "../../src/plan/types.js";

function integration(secret: string | null, fromEnv?: string): Resource {
  return {
    address: "integration/global",
    kind: "integration",
    key: { id: "1" },
    fields: { openai_api_key: { sensitive: true, digest: secret, ...(fromEnv ? { from_env: fromEnv } : {}) }, openai_model: "gpt-4o-mini" },
  };
}

/** A plan with every action: create, update (price), delete, drift, unmanaged and a changed secret. */
export function samplePlan() {
  const src = (line: number) => ({ file: "config/models/openai.yaml", line, col: 5 });
  const desired: DesiredState = {
    resources: [
      { ...imageModel("dall-e-3", "0.05"), source: src(21) },
      { ...model("gpt-5.3", { output_token_rate: "20" }), source: src(40) },
      { ...model("gpt-4o", { sort_order: 3 }), source: src(30) },
      imageGeneration(),
      integration(null, "OPENAI_API_KEY"),
    ],
    accounts: [],
    secretRefs: [{ name: "OPENAI_API_KEY", address: "integration/global", field: "openai_api_key", file: "config/integrations.yaml", line: 4, col: 14 }],
  };
  const liveResources = [imageModel("dall-e-3", "0.04"), model("gpt-4o", { sort_order: 9 }), model("gpt-3.5"), model("legacy"), imageGeneration(), integration(secretDigest("sk-live-key-000"))];
  const applied = new Map<string, Record<string, FieldValue>>([
    ["model/dall-e-3", imageModel("dall-e-3", "0.04").fields],
    ["model/gpt-4o", model("gpt-4o", { sort_order: 3 }).fields],
    ["model/gpt-3.5", model("gpt-3.5").fields],
  ]);
  const live: LiveState = { resources: liveResources, lastApplied: applied, accounts: new Map(), secretSalt: FIXED_SECRET_SALT };
  const usage = {
    days: 30,
    since: "2026-10-26T00:00:00.000Z",
    until: "2026-11-25T00:00:00.000Z",
    aggregates: [
      {
        account: "acme",
        operation_type: "image_generation",
        model_id: "dall-e-3",
        calls: 100,
        images: 120,
        tokens: 0,
        recorded_credits: 600,
        recorded_cost_usd: "4.8",
        split_calls: 0,
        input_tokens: 0,
        output_tokens: 0,
        split_cost_usd: "0",
        token_credits: {},
      },
    ],
  };
  return buildPlan({ desired, live, env: { OPENAI_API_KEY: "sk-proj-new-secret-value-123456" }, usage });
}

describe("text and JSON renderers", () => {
  test("text plan groups by kind, shows margins, revenue replay and a summary (golden)", async () => {
    await expect(renderPlanText(samplePlan())).toMatchFileSnapshot("../fixtures/golden/plan.txt");
  });

  test("JSON plan is the stable SPEC §5 form (golden)", async () => {
    await expect(renderPlanJson(samplePlan())).toMatchFileSnapshot("../fixtures/golden/plan.json");
  });

  test("no renderer prints a secret value", () => {
    const plan = samplePlan();
    for (const out of [renderPlanText(plan), renderPlanJson(plan), renderPlanText(plan, { color: true })]) {
      expect(out).not.toContain("sk-proj-new-secret-value-123456");
      expect(out).not.toContain("sk-live-key-000");
    }
    expect(renderPlanText(plan)).toContain("openai_api_key: (sensitive value changed)");
  });

  test("colour codes appear only when asked for", () => {
    expect(renderPlanText(samplePlan())).not.toContain("\x1b[");
    expect(renderPlanText(samplePlan(), { color: true })).toContain("\x1b[");
  });

  test("summary counts each action", () => {
    expect(samplePlan().summary).toEqual({ create: 1, update: 2, delete: 1, drift: 1, unmanaged: 1 });
  });
});

test("the revenue replay appears in text and JSON with before and after figures", () => {
  const plan = samplePlan();
  expect(plan.impact.revenue).toBeDefined();
  expect(renderPlanText(plan)).toMatch(/[Rr]evenue/);
  expect(JSON.parse(renderPlanJson(plan)).impact.revenue.lines[0]).toMatchObject({ operation_type: "image_generation", model_id: "dall-e-3" });
});

test("the Markdown plan (PR comment) shows margin, revenue and blast radius sections (golden)", async () => {
  const md = renderPlanMarkdown(samplePlan(), { environment: "production" });
  expect(md).toContain("Margin");
  expect(md).toContain("Revenue");
  expect(md).not.toContain("sk-proj-new-secret-value-123456");
  await expect(md).toMatchFileSnapshot("../fixtures/golden/plan.md");
});

describe("large plans stay readable and never crash the renderers", () => {
  /** A plan creating `n` models on an empty database, and changing a price every 100th of them on a full one. */
  const manyModels = (n: number, price = (i: number) => `0.0${(i % 4) + 1}`) =>
    Array.from({ length: n }, (_, i) => imageModel(`m-${String(i).padStart(6, "0")}`, price(i)));
  const fromEmpty = (n: number) =>
    buildPlan({ desired: { resources: [...manyModels(n), imageGeneration()], accounts: [], secretRefs: [] }, live: { resources: [], lastApplied: new Map(), accounts: new Map(), secretSalt: FIXED_SECRET_SALT }, env: {} });

  test("a kind with more than 50 changes shows counts by action and the first 50; --full lists all", () => {
    const plan = fromEmpty(120);
    const text = renderPlanText(plan);
    expect(text).toContain("  120 create; the first 50 (cfgsync plan --full for all):");
    expect(text.match(/^  \+ model\//gm)).toHaveLength(50);
    expect(text).toContain("... and 70 more models changes");
    const full = renderPlanText(plan, { full: true });
    expect(full.match(/^  \+ model\//gm)).toHaveLength(120);
    expect(full).not.toContain("--full for all");
    const md = renderPlanMarkdown(plan, { maxChars: Number.MAX_SAFE_INTEGER });
    expect(md).toContain("120 create");
    expect(md.match(/\*\*create\*\* <code>model\//g)).toHaveLength(50);
    expect(md).toContain("… and 70 more");
    expect(renderPlanMarkdown(plan, { maxChars: Number.MAX_SAFE_INTEGER, full: true }).match(/\*\*create\*\* <code>model\//g)).toHaveLength(120);
  });

  test("the margin table keeps the rows whose figures move, capped with a count; unmoved rows are not even in the plan", () => {
    const live = [...manyModels(300), imageGeneration()];
    const desired = [...manyModels(300, (i) => (i % 100 === 0 ? "0.05" : `0.0${(i % 4) + 1}`)), imageGeneration()];
    const lastApplied = new Map(live.map((r) => [r.address, r.fields]));
    const plan = buildPlan({ desired: { resources: desired, accounts: [], secretRefs: [] }, live: { resources: live, lastApplied, accounts: new Map(), secretSalt: FIXED_SECRET_SALT }, env: {} });
    expect(plan.impact.margins.map((m) => m.model_id)).toEqual(["m-000000", "m-000100", "m-000200"]);
    const all = fromEmpty(80).impact.margins;
    expect(all).toHaveLength(80);
    const text = renderPlanText(fromEmpty(80));
    expect(text.match(/^  image_generation x /gm)).toHaveLength(50);
    expect(text).toContain("... and 30 more operation x model margins that move");
  });

  test("a plan of 110k text lines renders in full as text, Markdown and JSON (no spread into a call); the JSON pieces are JSON.stringify's text", () => {
    const plan = fromEmpty(11_000);
    const full = renderPlanText(plan, { full: true });
    expect(full.split("\n").length).toBeGreaterThan(110_000);
    expect(full).toContain("Plan: 11001 to create");
    expect(renderPlanMarkdown(plan, { full: true }).length).toBeLessThanOrEqual(65_535);
    // JSON.stringify's text of the plan with the digest of its own content (the gate's saved-plan integrity).
    const whole = (p: Plan) => JSON.stringify({ ...p, content_digest: planContentDigest(p) }, null, 2) + "\n";
    expect(renderPlanJson(plan)).toBe(whole(plan));
    expect(renderPlanJson(samplePlan())).toBe(whole(samplePlan()));
  });
});
