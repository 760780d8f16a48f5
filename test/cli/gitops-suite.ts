import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ROOT } from "../helpers/cli.js";
import type { Dialect } from "../helpers/db.js";
import { API_KEYS, createWorkspace, runtimeSnapshot, seedRuntimeRows, type Workspace } from "../helpers/workspace.js";

const SECRET_VALUES = Object.values(API_KEYS);
const expectNoSecrets = (text: string) => {
  for (const s of SECRET_VALUES) expect(text).not.toContain(s);
};
const expectNoStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);

/** A model of the sample catalog and how its price is written, to edit in tests. */
const PRICE_FILE = "models/openai.yaml";
const setCost = (modelId: string, cost: string) => (text: string) =>
  text.replace(new RegExp(`(model_id: ${modelId}\\n[\\s\\S]*?cost_per_image: )[0-9."]+`), `$1${cost}`);
const setDalle3Cost = (cost: string) => setCost("dall-e-3", cost);

/** The plan/apply behaviours, run once per database by gitops.<dialect>.test.ts (two files run in parallel). */
export function planAndApplySuite(dialect: Dialect): void {
describe(`plan and apply through the CLI on ${dialect}`, () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await createWorkspace(dialect);
    await ws.prepareDatabase();
    await seedRuntimeRows(ws.db);
  });
  afterEach(async () => {
    await ws?.dispose();
  });

  test("apply on an empty database, then plan shows no changes (exit 0 with --detailed-exitcode)", async () => {
    const first = await ws.cli(["plan", "--detailed-exitcode"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(2);
    expect(first.stdout).toMatch(/Plan: \d+ to create, 0 to update, 0 to delete/);

    const applied = await ws.cli(["apply", "--auto-approve"]);
    expect(applied.code, applied.stderr).toBe(0);
    // The last line says what was done, in the past tense.
    expect(applied.stdout.trim().split("\n").at(-1)).toMatch(/^Applied: \d+ created, 0 updated, 0 deleted, 0 drift restored \(revision 1\)\.$/);

    const again = await ws.cli(["plan", "--detailed-exitcode"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes.");

    const models = await ws.db.query<{ n: number | string }>("SELECT count(*) AS n FROM ai_model_config");
    expect(Number(models[0]!.n)).toBeGreaterThan(10);
    const keyRow = await ws.db.query<{ openai_api_key: string }>("SELECT openai_api_key FROM global_integration_settings WHERE id = 1");
    expect(keyRow[0]!.openai_api_key).toBe(API_KEYS.OPENAI_API_KEY);

    const secondApply = await ws.cli(["apply", "--auto-approve"]);
    expect(secondApply.code).toBe(0);
    expect(secondApply.stdout).toContain("Nothing to do");
  });

  test("an out-of-band UPDATE is drift: drift exits 2 naming row and field, apply restores it, runtime rows untouched", async () => {
    expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
    const runtimeBefore = await runtimeSnapshot(ws.db);
    await ws.db.query("UPDATE ai_model_config SET sort_order = 999 WHERE model_id = 'gpt-4o'");

    const drift = await ws.cli(["drift"]);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain("model/gpt-4o");
    expect(drift.stdout).toContain("sort_order");

    const plan = await ws.cli(["plan", "--json"]);
    const change = JSON.parse(plan.stdout).changes.find((c: { address: string }) => c.address === "model/gpt-4o");
    expect(change.action).toBe("drift");

    expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
    const row = await ws.db.query<{ sort_order: number }>("SELECT sort_order FROM ai_model_config WHERE model_id = 'gpt-4o'");
    expect(row[0]!.sort_order).not.toBe(999);
    expect((await ws.cli(["drift"])).code).toBe(0);
    expect(await runtimeSnapshot(ws.db)).toBe(runtimeBefore);
  });

  test("removing a model from YAML plans a delete; apply without --allow-destroy refuses and changes nothing", async () => {
    expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
    ws.edit(PRICE_FILE, (t) => t.replace(/\n  - model_id: dall-e-2\n[\s\S]*?(?=\n  - model_id:|\n*$)/, "\n"));
    const plan = await ws.cli(["plan"]);
    expect(plan.stdout).toContain("- model/dall-e-2");

    const refused = await ws.cli(["apply", "--auto-approve"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("--allow-destroy");
    expectNoStack(refused.stderr);
    expect(await ws.db.query("SELECT model_id FROM ai_model_config WHERE model_id = 'dall-e-2'")).toHaveLength(1);

    const allowed = await ws.cli(["apply", "--auto-approve", "--allow-destroy"]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await ws.db.query("SELECT model_id FROM ai_model_config WHERE model_id = 'dall-e-2'")).toHaveLength(0);
  });

  test("a saved plan is applied as made, and refused as stale after a database change", async () => {
    const planFile = join(ws.dir, "plan.json");
    expect((await ws.cli(["plan", "--out", planFile])).code).toBe(0);
    expect((await ws.cli(["apply", planFile])).code).toBe(0);

    ws.edit(PRICE_FILE, setDalle3Cost("0.045"));
    const planned = await ws.cli(["plan", "--out", planFile]);
    expect(planned.code).toBe(0);
    // The saved artifact renders without config/ or the database: as the plan printed it, as Markdown, as JSON.
    const shown = await ws.cli(["show", planFile, "--database-url", "file:/nonexistent/dir/x.db", "--config-dir", "/nonexistent"]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(planned.stdout.startsWith(shown.stdout)).toBe(true);
    expect(shown.stdout).toContain("cost_per_image");
    const markdown = await ws.cli(["show", planFile, "--format", "markdown"]);
    expect(markdown.stdout).toMatch(/model\/dall-e-3/);
    expect(markdown.stdout).toContain("|");
    const json = await ws.cli(["show", planFile, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse((await import("node:fs")).readFileSync(planFile, "utf8")));
    await ws.db.query("UPDATE ai_model_config SET sort_order = 77 WHERE model_id = 'gpt-4o'");
    const stale = await ws.cli(["apply", planFile]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("stale");
    expectNoStack(stale.stderr);
    const cost = await ws.db.query<{ cost_per_image: unknown }>("SELECT cost_per_image FROM ai_model_config WHERE model_id = 'dall-e-3'");
    expect(Number(cost[0]!.cost_per_image)).toBe(0.04);

    // And stale after a config change.
    expect((await ws.cli(["plan", "--out", planFile])).code).toBe(0);
    ws.edit(PRICE_FILE, setDalle3Cost("0.046"));
    const staleConfig = await ws.cli(["apply", planFile]);
    expect(staleConfig.code).toBe(1);
    expect(staleConfig.stderr).toContain("configuration changed");
  });

  test("a price change beyond the policy's max_price_change_pct fails the plan, naming resource, numbers and file:line", async () => {
    expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
    ws.edit(PRICE_FILE, setCost("dall-e-2", "0.035"));
    const plan = await ws.cli(["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toMatch(/config\/models\/openai\.yaml:\d+:\d+: error: model\/dall-e-2: cost_per_image \(provider cost per image, USD\) changes from 0\.02 to 0\.035 \(75\.00 %\)/);
    // In a workflow: the same error as an annotation on the config line.
    const github = await ws.cli(["plan", "--format", "github"]);
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(/^::error file=config\/models\/openai\.yaml,line=\d+,col=\d+,title=policy\.max-price-change::model\/dall-e-2: cost_per_image \(provider cost per image, USD\) changes from 0\.02 to 0\.035/m);
    const refused = await ws.cli(["apply", "--auto-approve"]);
    expect(refused.code).toBe(1);
    const row = await ws.db.query<{ cost_per_image: unknown }>("SELECT cost_per_image FROM ai_model_config WHERE model_id = 'dall-e-2'");
    expect(Number(row[0]!.cost_per_image)).toBe(0.02);
  });

  test("two applies at once never interleave: the final state is one config entirely", async () => {
    const other = await createWorkspace(dialect);
    try {
      other.edit(PRICE_FILE, (t) => setCost("dall-e-2", "0.022")(setDalle3Cost("0.043")(t)));
      ws.edit(PRICE_FILE, (t) => setCost("dall-e-2", "0.021")(setDalle3Cost("0.041")(t)));
      const env = { DATABASE_URL: ws.db.url };
      const [a, b] = await Promise.all([
        ws.cli(["apply", "--auto-approve"]),
        other.cli(["apply", "--auto-approve"], { env }),
      ]);
      expect([a.code, b.code]).toContain(0);
      for (const r of [a, b]) if (r.code !== 0) expect(r.stderr).toMatch(/stale|lock/);
      const costs = await ws.db.query<{ model_id: string; cost_per_image: unknown }>(
        "SELECT model_id, cost_per_image FROM ai_model_config WHERE model_id IN ('dall-e-3', 'dall-e-2') ORDER BY model_id",
      );
      const pair = costs.map((c) => Number(c.cost_per_image));
      expect([[0.021, 0.041], [0.022, 0.043]]).toContainEqual(pair);
    } finally {
      await other.dispose();
    }
  });

  test("a process killed mid-apply leaves the old state entirely", async () => {
    expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
    ws.edit(PRICE_FILE, setDalle3Cost("0.045"));
    const before = await ws.db.query("SELECT model_id, cost_per_image FROM ai_model_config ORDER BY model_id");
    const child = spawn(process.execPath, [join(ROOT, "bin/run.js"), "apply", "--auto-approve"], {
      cwd: ws.dir,
      env: { ...process.env, ...API_KEYS, DATABASE_URL: ws.db.url, CFGSYNC_TEST_PAUSE_IN_APPLY_MS: "20000", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise((r) => child.on("exit", r));
    // The test hook announces when the writes are done and the transaction is still open.
    for (let i = 0; i < 200 && !stderr.includes("paused in apply"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stderr).toContain("paused in apply");
    child.kill("SIGKILL");
    await exited;
    await new Promise((r) => setTimeout(r, 300));
    expect(await ws.db.query("SELECT model_id, cost_per_image FROM ai_model_config ORDER BY model_id")).toEqual(before);
    const revisions = await ws.db.query<{ n: unknown }>("SELECT count(*) AS n FROM cfgsync_revision");
    expect(Number(revisions[0]!.n)).toBe(1);
    // The lock died with the process: the next apply goes through.
    const next = await ws.cli(["apply", "--auto-approve", "--lock-timeout", "5"]);
    expect(next.code, next.stderr).toBe(0);
    expect(await ws.db.query("SELECT model_id, cost_per_image FROM ai_model_config ORDER BY model_id")).not.toEqual(before);
  });

  test("plan text, JSON, history and errors never contain a secret value", async () => {
    const outputs: string[] = [];
    const collect = async (args: string[], env?: Record<string, string | undefined>) => {
      const r = await ws.cli(args, env ? { env } : {});
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    await collect(["plan"]);
    await collect(["plan", "--json"]);
    await collect(["apply", "--auto-approve"]);
    await collect(["history"]);
    await collect(["history", "--json"]);
    await collect(["plan", "--json"], { OPENAI_API_KEY: "sk-test-rotated-1111111111111111SECRET" });
    // An unset variable: refused under --require-secrets (CI), else that key is left untouched with a warning.
    const required = await collect(["apply", "--auto-approve", "--require-secrets"], { OPENAI_API_KEY: undefined });
    expect(required.code).toBe(1);
    expect(required.stderr).toMatch(/OPENAI_API_KEY is not set.*\[secret\.required\]/);
    const untouched = await collect(["apply", "--auto-approve"], { OPENAI_API_KEY: undefined });
    expect(untouched.code, untouched.stderr).toBe(0);
    expect(untouched.stdout).toMatch(/warning: OPENAI_API_KEY is not set: .* is left untouched \[secret\.unset\]/);
    const kept = await ws.db.query<{ openai_api_key: string }>("SELECT openai_api_key FROM global_integration_settings WHERE id = 1");
    expect(kept[0]!.openai_api_key).toBe(API_KEYS.OPENAI_API_KEY);
    await ws.db.query("UPDATE global_integration_settings SET openai_api_key = 'sk-test-oob-2222222222222222SECRET'");
    await collect(["drift"]);
    await collect(["drift", "--json"]);
    const all = outputs.join("\n");
    expectNoSecrets(all);
    expect(all).not.toContain("sk-test-rotated-1111111111111111SECRET");
    expect(all).not.toContain("sk-test-oob-2222222222222222SECRET");
    expect(all).toContain("sensitive");
    const stored = JSON.stringify(await ws.db.query("SELECT * FROM cfgsync_revision")) + JSON.stringify(await ws.db.query("SELECT * FROM cfgsync_resource_state"));
    expectNoSecrets(stored);
  }, 180_000);

  test("export of a hand-seeded database round-trips to YAML that validates and plans to no changes", async () => {
    const q = (sql: string) => ws.db.query(sql);
    const t = dialect === "postgresql" ? "true" : "1";
    const f = dialect === "postgresql" ? "false" : "0";
    await q(`INSERT INTO ai_model_config (model_id, display_name, model_type, provider, input_token_rate, output_token_rate, max_input_tokens, max_output_tokens, supports_json_mode, supports_vision, supports_tools, is_active, is_default, sort_order, updated_at)
             VALUES ('gpt-4o-mini', 'GPT-4o mini', 'text', 'openai', '0.15', '0.60', 128000, 16384, ${t}, ${t}, ${t}, ${t}, ${t}, 1, CURRENT_TIMESTAMP)`);
    await q(`INSERT INTO ai_model_config (model_id, display_name, model_type, provider, cost_per_image, available_sizes, supports_json_mode, supports_vision, supports_tools, is_active, is_default, sort_order, updated_at)
             VALUES ('dall-e-3', 'DALL-E 3', 'image', 'openai', '0.040', '["1024x1024","1792x1024"]', ${f}, ${f}, ${f}, ${t}, ${t}, 2, CURRENT_TIMESTAMP)`);
    await q(`INSERT INTO credit_cost_config (operation_type, display_name, unit, credits, tokens_per_credit, min_credits, price_per_credit_usd, is_active, updated_at)
             VALUES ('image_generation', 'Image generation', 'image', 5, 50, 5, '0.02', ${t}, CURRENT_TIMESTAMP)`);
    await q(`INSERT INTO global_integration_settings (id, openai_api_key, openai_model, openai_temperature, openai_max_tokens, dalle_model, dalle_size, default_text_provider, default_image_service, image_quality, max_in_article_images, desktop_image_size, updated_at)
             VALUES (1, '${API_KEYS.OPENAI_API_KEY}', 'gpt-4o-mini', '0.7', 8192, 'dall-e-3', '1024x1024', 'openai', 'openai', 'standard', 2, '1024x1024', CURRENT_TIMESTAMP)`);
    const slug = ws.accountSlugs()[0]!;
    await q(`INSERT INTO account_settings (account_id, key, value, updated_at) VALUES (1, 'content.tone', '"friendly"', CURRENT_TIMESTAMP)`);
    await q(`INSERT INTO integration_settings (account_id, integration_type, config, updated_at) VALUES (1, 'openai', '{"model":"gpt-4o-mini","temperature":0.4}', CURRENT_TIMESTAMP)`);

    const out = join(ws.dir, "exported");
    const exported = await ws.cli(["export", "--out", out]);
    expect(exported.code, exported.stderr).toBe(0);
    expectNoSecrets(exported.stdout);

    const validate = await ws.cli(["validate", "--config-dir", out]);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    const plan = await ws.cli(["plan", "--config-dir", out, "--detailed-exitcode"]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain("No changes.");
    expect(slug).toBeTruthy();
  });
});
}
