import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { DIALECTS } from "../helpers/db.js";
import { API_KEYS, createWorkspace, type Workspace } from "../helpers/workspace.js";

describe.each(DIALECTS)("cfgsync resolve on %s", (dialect) => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await createWorkspace(dialect);
    await ws.prepareDatabase();
    await ws.db.query(`INSERT INTO app_user (id, account_id, email) VALUES (1, 1, 'ada@example.com')`);
    await ws.db.query(
      `INSERT INTO user_settings (user_id, account_id, key, value, updated_at) VALUES (1, 1, 'table_settings', '{"records_per_page": 50}', '2026-01-01T00:00:00Z')`,
    );
  });
  afterEach(async () => ws.dispose());

  test("prints each value with its origin, like git config --show-origin, and never an API key", async () => {
    const r = await ws.cli(["resolve", "--account", "acme", "--user", "1"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^file:config\/accounts\/acme\.yaml:\d+:\d+\s+integration\.openai\.model=gpt-4o$/m);
    expect(r.stdout).toMatch(/^file:config\/integrations\.yaml:\d+:\d+\s+integration\.anthropic\.model=claude-3-5-sonnet-20241022$/m);
    expect(r.stdout).toMatch(/^database:user_settings#\d+\s+settings\.table_settings=\{"records_per_page":50\}$/m);
    for (const key of Object.values(API_KEYS)) expect(r.stdout).not.toContain(key);
  });

  test("--json gives entries with key, value, origin and layer", async () => {
    const r = await ws.cli(["resolve", "--account", "acme", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { account: string; entries: { key: string; value: unknown; origin: string; layer: string }[] };
    expect(out.account).toBe("acme");
    expect(out.entries.find((e) => e.key === "integration.openai.temperature")).toMatchObject({ value: 0.4, layer: "account" });
    expect(out.entries.find((e) => e.key === "settings.content.tone")).toMatchObject({ value: "friendly", layer: "account" });
  });

  test("an unknown account is a user error, exit 1, no stack", async () => {
    const r = await ws.cli(["resolve", "--account", "nope"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/account "nope" does not exist in the database/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
