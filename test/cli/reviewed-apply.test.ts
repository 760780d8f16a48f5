import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { DIALECTS } from "../helpers/db.js";
import { createWorkspace, type Workspace } from "../helpers/workspace.js";

/**
 * From a terminal: `apply --expect-changes DIGEST` applies a re-plan only when
 * its change set is the reviewed one; drift is restored past the price guard,
 * which measures what Git changed.
 */
describe.each(DIALECTS)("reviewed apply and drift restore on %s", (dialect) => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await createWorkspace(dialect);
    await ws.prepareDatabase();
    const first = await ws.cli(["apply", "--auto-approve"]);
    expect(first.code, first.stderr).toBe(0);
  });
  afterEach(() => ws?.dispose());

  const column = async (model: string, name: string) =>
    Number((await ws.db.query<Record<string, unknown>>(`SELECT ${name} AS v FROM ai_model_config WHERE model_id = '${model}'`))[0]!.v);
  const digestOf = (file: string) => (JSON.parse(readFileSync(join(ws.dir, file), "utf8")) as { changes_digest: string }).changes_digest;

  test("a price changed by hand is drift: planned and restored, never blocked by max_price_change_pct; only the reviewed change set applies", { timeout: 120_000 }, async () => {
    // Out of band: 8 -> 99, far beyond the policy's 50 %. Git never changed.
    await ws.db.query("UPDATE ai_model_config SET output_token_rate = '99' WHERE model_id = 'gpt-4.1'");
    const plan = await ws.cli(["plan", "--out", "plan.json"]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/! model\/gpt-4\.1/);
    expect(plan.stdout).toMatch(/output_token_rate: "?99"? -> "?8"?/);
    expect(plan.stdout + plan.stderr).not.toContain("max_price_change");
    const reviewed = digestOf("plan.json");
    expect(plan.stdout).toContain(`Saved the plan to plan.json (changes ${reviewed}). Apply it with: cfgsync apply plan.json`);

    // Something else moves before the apply: the re-plan is not the reviewed one, nothing is applied.
    await ws.db.query("UPDATE ai_model_config SET sort_order = 999 WHERE model_id = 'gpt-4o'");
    const refused = await ws.cli(["apply", "--auto-approve", "--expect-changes", reviewed, "--refused-out", "refused.json"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`differ from the reviewed ones (${reviewed})`);
    expect(refused.stderr).toContain("nothing was changed");
    expect(await column("gpt-4.1", "output_token_rate")).toBe(99);
    expect(await column("gpt-4o", "sort_order")).toBe(999);
    const replan = digestOf("refused.json");
    expect(replan).not.toBe(reviewed);

    // Approving the re-plan: its digest, after reading it.
    const applied = await ws.cli(["apply", "--auto-approve", "--expect-changes", replan]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await column("gpt-4.1", "output_token_rate")).toBe(8);
    expect(await column("gpt-4o", "sort_order")).toBe(30);

    // Git's own change beyond the limit is still refused, at the YAML line; its saved plan is not offered for apply.
    ws.edit("models/openai.yaml", (t) => t.replace("input_token_rate: 2.00", "input_token_rate: 0.50"));
    const guarded = await ws.cli(["plan", "--out", "guarded.json"]);
    expect(guarded.code).toBe(1);
    expect(guarded.stdout + guarded.stderr).toMatch(/config\/models\/openai\.yaml:\d+:1: error: model\/gpt-4\.1: input_token_rate \(USD per 1M input tokens\) changes from 2 to 0\.5 \(75\.00 %\)/);
    expect(guarded.stdout).toContain("Saved the plan to guarded.json; it has errors and cannot be applied");
    expect(guarded.stdout).not.toContain("Apply it with");
    expect(existsSync(join(ws.dir, "guarded.json"))).toBe(true);
  });
});
