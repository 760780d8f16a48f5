import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, test } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";
import { DIALECTS } from "../helpers/db.js";
import { createWorkspace, type Workspace } from "../helpers/workspace.js";

/**
 * Environments (issue #14): config/environments/<name>.yaml overlays the one
 * config/. The sample's staging deactivates gpt-5.2; production is the base.
 */
const UNREACHABLE = "postgresql://nobody@127.0.0.1:1/nowhere";

describe.each(DIALECTS)("environments on %s", (dialect) => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await createWorkspace(dialect);
    await ws.prepareDatabase();
    const first = await ws.cli(["apply", "--auto-approve"]);
    expect(first.code, first.stderr).toBe(0);
  });
  afterEach(() => ws?.dispose());

  const isActive = async (model: string) => {
    const v = (await ws.db.query<{ v: unknown }>(`SELECT is_active AS v FROM ai_model_config WHERE model_id = '${model}'`))[0]!.v;
    return v === true || v === 1 || v === "1";
  };

  test("plan --env staging deactivates gpt-5.2 only there, naming the environment file's line; its database comes from database_url", { timeout: 120_000 }, async () => {
    const base = await ws.cli(["plan", "--detailed-exitcode"]);
    expect(base.code, base.stdout + base.stderr).toBe(0);
    expect(base.stdout).toContain("No changes.");

    // STAGING_DATABASE_URL (staging's database_url) wins over a DATABASE_URL left in the shell.
    const staging = { STAGING_DATABASE_URL: ws.db.url, DATABASE_URL: UNREACHABLE };
    const plan = await ws.cli(["plan", "--env", "staging", "--out", "staging.json"], { env: staging });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain("Environment staging");
    expect(plan.stdout).toContain("~ model/gpt-5.2  (config/models/openai.yaml:56)\n      ~ is_active: true -> false  (config/environments/staging.yaml:9)\n");
    expect(plan.stdout).toContain("Plan: 0 to create, 1 to update, 0 to delete, 0 drifted, 0 unmanaged.");
    expect(plan.stderr).not.toContain("environment.database-unset");
    const saved = JSON.parse(readFileSync(join(ws.dir, "staging.json"), "utf8")) as { environment: string; changes: { address: string; fields: { name: string; origin?: unknown }[] }[] };
    expect(saved.environment).toBe("staging");
    expect(saved.changes.map((c) => [c.address, c.fields])).toEqual([
      ["model/gpt-5.2", [{ name: "is_active", before: true, after: false, origin: { file: "config/environments/staging.yaml", line: 9 } }]],
    ]);

    // A staging plan is never applied as the base configuration's.
    const mismatch = await ws.cli(["apply", "staging.json"]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain("was made for environment staging; nothing was changed [plan.environment-mismatch]");
    expect(await isActive("gpt-5.2")).toBe(true);

    const applied = await ws.cli(["apply", "staging.json", "--env", "staging"], { env: staging });
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await isActive("gpt-5.2")).toBe(false);
    expect(await isActive("gpt-4.1")).toBe(true);

    // Production is the base configuration: it restores gpt-5.2, a base value (no environment line).
    // PRODUCTION_DATABASE_URL is not set: DATABASE_URL is used, with a warning.
    const production = await ws.cli(["plan", "--env", "production"]);
    expect(production.code, production.stdout + production.stderr).toBe(0);
    expect(production.stdout).toContain("      ~ is_active: false -> true\n");
    expect(production.stderr).toContain("PRODUCTION_DATABASE_URL (the database_url of environment production) is not set: using DATABASE_URL [environment.database-unset]");
  });
});

describe("environments without a database: validate and diff", () => {
  const dir = mkdtempSync(join(tmpdir(), "cfgsync-envs-"));
  cpSync(join(ROOT, "config"), join(dir, "config"), { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (args: string[]) => runCli(args, { cwd: dir, timeoutMs: 60_000 });

  test("diff compares two environments' desired states: exit 2 when they differ, 0 when not; an unknown environment is a usage error", { timeout: 120_000 }, async () => {
    const differ = await cli(["diff", "--env", "staging", "--env", "production"]);
    expect(differ.code, differ.stderr).toBe(2);
    expect(differ.stdout).toContain("staging -> production");
    expect(differ.stdout).toContain("  ~ model/gpt-5.2  (config/models/openai.yaml:56)\n      is_active: false (config/environments/staging.yaml:9) -> true\n");
    expect(differ.stdout).toContain("1 resource(s) differ in 1 field(s).");

    const same = await cli(["diff", "--env", "production", "--json"]);
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ left: "(base)", right: "production", same: true, differences: [], policy: [] });

    const unknown = await cli(["plan", "--env", "prod"]);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('unknown environment "prod": the environments of config are: production, staging [usage.unknown-environment]');
  });

  /** Writes config/environments/qa.yaml with these lines after its header, runs validate, and returns it with its lines about the environment file. */
  async function validateQa(lines: string[]) {
    writeFileSync(join(dir, "config/environments/qa.yaml"), ["apiVersion: cfgsync/v1", "kind: Environment", "name: qa", ...lines, ""].join("\n"));
    const result = await cli(["validate"]);
    return { ...result, envLines: result.stdout.split("\n").filter((l) => l.startsWith("config/environments/")) };
  }

  test("validate reports an unknown address, an unknown field and a bad value at the environment file's line", { timeout: 60_000 }, async () => {
    const result = await validateQa([
      "overrides:",
      "  model/gpt-9: { is_active: false }",
      "  credit/linking: { price_per_credit: 0.01 }",
      "  integration/global:",
      "    image_quality: ultra",
      "    openai_model: gpt-4o",
      "policies: { min_margin_pct: 0 }",
    ]);
    expect(result.code).toBe(1);
    expect(result.envLines).toEqual([
      "config/environments/qa.yaml:5:3: error: environment qa overrides model/gpt-9, which the base configuration does not declare; did you mean `model/gpt-4o`? [environment.unknown-address]",
      "config/environments/qa.yaml:6:21: error: environment qa: credit/linking has no field `price_per_credit` an environment may override; did you mean `price_per_credit_usd`? [environment.unknown-field]",
      'config/environments/qa.yaml:8:20: error: `image_quality` in the integration/global override of environment qa must be one of standard, hd (got `ultra`) [environment.invalid-value]',
    ]);

    // Overrides that are well-formed but break a rule in that environment only: validate names the environment.
    const rules = await validateQa(["overrides:", "  model/gpt-4.1: { is_active: false }"]);
    expect(rules.code).toBe(1);
    expect(rules.stdout).toContain("config/models/openai.yaml:17:17: error: in environment qa: model gpt-4.1 is a default but inactive; a default must be active [catalog.inactive-default]");

    // A settings schema an environment sets is held to the rule the file's is, at the override's line.
    const schema = await validateQa(["overrides:", "  settings-schema/table_settings: { schema: { type: 12 } }"]);
    expect(schema.code).toBe(1);
    expect(schema.stdout).toMatch(/^config\/environments\/qa\.yaml:5:45: error: in environment qa: settings schema table_settings is not a valid JSON Schema: schema is invalid: .* \[settings-schema\.invalid\]$/m);
    rmSync(join(dir, "config/environments/qa.yaml"));
  });

  test("inside an overridden value, validate names the key, the field and the override, and keys objects inherit are keys like any other", { timeout: 60_000 }, async () => {
    const result = await validateQa([
      "overrides:",
      "  model/gpt-4.1: { context_tiers: [ { above_input_tokens: 1, toString: 1, reference_id: 2 } ], toString: 3 }",
      "  integration/global: { openai_api_key: { from_env: lower, hasOwnProperty: 1 }, bria_api_key: {} }",
    ]);
    expect(result.code).toBe(1);
    expect(result.envLines).toEqual([
      "config/environments/qa.yaml:5:62: error: unknown field `toString` in `context_tiers` of the model/gpt-4.1 override of environment qa [environment.invalid-value]",
      "config/environments/qa.yaml:5:75: error: unknown field `reference_id` in `context_tiers` of the model/gpt-4.1 override of environment qa [environment.invalid-value]",
      "config/environments/qa.yaml:5:96: error: environment qa: model/gpt-4.1 has no field `toString` an environment may override [environment.unknown-field]",
      "config/environments/qa.yaml:6:53: error: `from_env` in `openai_api_key` of the integration/global override of environment qa must name an environment variable (A-Z, 0-9, _) [environment.invalid-value]",
      "config/environments/qa.yaml:6:60: error: unknown field `hasOwnProperty` in `openai_api_key` of the integration/global override of environment qa [environment.invalid-value]",
      "config/environments/qa.yaml:6:95: error: missing required field `from_env` in `bria_api_key` of the integration/global override of environment qa [environment.invalid-value]",
    ]);
    rmSync(join(dir, "config/environments/qa.yaml"));
  });
});
