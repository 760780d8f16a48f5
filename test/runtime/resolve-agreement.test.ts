import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { applyComputedPlan, computePlan, loadValidConfig } from "../../src/app/flow.js";
import type { LoadedConfig } from "../../src/domain/state.js";
import { openRuntimeDb, type SqlDb } from "../../src/runtime/db.js";
import { effectiveValues, formatOrigin, renderEffectiveText } from "../../src/runtime/effective.js";
import { createRuntime, type Runtime } from "../../src/runtime/index.js";
import { resolveWithConfig } from "../../src/runtime/resolve.js";
import { ROOT } from "../helpers/cli.js";
import { DIALECTS, type TestDatabase } from "../helpers/db.js";
import { API_KEYS } from "../helpers/workspace.js";
import { insert, migratedDatabase } from "./seed.js";

const CONFIG_DIR = join(ROOT, "config");

/** A small deterministic generator, so a failure names a reproducible case. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe.each(DIALECTS)("resolve (config + database) and the runtime (database) agree on %s", (dialect) => {
  let db: TestDatabase;
  let runtime: Runtime;
  let sql: SqlDb;
  let loaded: LoadedConfig;

  beforeEach(async () => {
    db = await migratedDatabase(dialect);
    loaded = await loadValidConfig(CONFIG_DIR, ROOT);
    // Config's accounts plus accounts config knows nothing about (their overrides are saved at runtime).
    const slugs = [...loaded.desired.accounts.map((a) => a.slug), "initech", "umbrella", "hooli"];
    for (const [i, slug] of slugs.entries()) await insert(db, "account", { id: i + 1, slug, name: slug });
    for (let u = 1; u <= slugs.length * 2; u++) await insert(db, "app_user", { id: u, account_id: Math.ceil(u / 2), email: `u${u}@test` });
    const opts = { configDir: CONFIG_DIR, cwd: ROOT, databaseUrl: db.url, env: { ...API_KEYS } };
    const planned = await computePlan(opts);
    try {
      await applyComputedPlan(planned, { ...opts, allowDestroy: false });
    } finally {
      await planned.store.close();
    }
    runtime = await createRuntime({ databaseUrl: db.url });
    sql = await openRuntimeDb(db.url);
  });
  afterEach(async () => {
    await runtime?.close();
    await sql?.close();
    await db.drop();
  });

  test("for every generated account and user, every key has the same value", async () => {
    const random = rng(dialect === "sqlite" ? 7 : 11);
    const accounts = await db.query<{ id: number; slug: string }>(`SELECT id, slug FROM account ORDER BY id`);
    const users = await db.query<{ id: number; account_id: number }>(`SELECT id, account_id FROM app_user ORDER BY id`);
    // Runtime writes: overrides for the accounts config does not manage, and user settings everywhere.
    for (const a of accounts.slice(2)) {
      if (random() < 0.8) await runtime.saveIntegrationOverride({ accountId: Number(a.id), integrationType: "openai", config: { model: random() < 0.5 ? "gpt-4.1" : "gpt-4o", temperature: Math.round(random() * 10) / 10 } });
      if (random() < 0.8) await runtime.saveIntegrationOverride({ accountId: Number(a.id), integrationType: "dalle", config: { size: "1024x1792" } });
      await insert(db, "account_settings", { account_id: Number(a.id), key: "content.tone", value: JSON.stringify("formal"), updated_at: "2026-01-01T00:00:00.000Z" });
    }
    for (const u of users) {
      if (random() < 0.7) await runtime.saveUserSetting({ userId: Number(u.id), accountId: Number(u.account_id), key: "table_settings", value: { records_per_page: 5 + Math.floor(random() * 100) } });
    }

    let compared = 0;
    for (const a of accounts) {
      for (const userId of [undefined, ...users.filter((u) => Number(u.account_id) === Number(a.id)).map((u) => Number(u.id))]) {
        const fromConfig = await resolveWithConfig(loaded.desired, sql, { account: String(a.slug), ...(userId ? { userId } : {}) });
        const fromDb = await runtime.resolveEffectiveConfig({ accountId: Number(a.id), ...(userId ? { userId } : {}) });
        expect(effectiveValues(fromConfig), `${a.slug} user ${userId}`).toEqual(effectiveValues(fromDb));
        compared += fromDb.entries.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  test("origins: config file:line for declared values, the database row for runtime-saved ones; no API key anywhere", async () => {
    await runtime.saveUserSetting({ userId: 1, accountId: 1, key: "table_settings", value: { records_per_page: 25 } });
    const config = await resolveWithConfig(loaded.desired, sql, { account: "acme", userId: 1 });
    const byKey = new Map(config.entries.map((e) => [e.key, e]));
    expect(byKey.get("integration.openai.model")?.value).toBe("gpt-4o");
    expect(formatOrigin(byKey.get("integration.openai.model")!.origin)).toMatch(/^file:config\/accounts\/acme\.yaml:\d+:\d+$/);
    expect(formatOrigin(byKey.get("integration.openai.model")!.shadows[0]!.origin)).toMatch(/^file:config\/integrations\.yaml:\d+:\d+$/);
    expect(byKey.get("integration.openai.temperature")?.value).toBe(0.4);
    expect(byKey.get("integration.anthropic.model")?.value).toBe("claude-3-5-sonnet-20241022");
    expect(formatOrigin(byKey.get("settings.table_settings")!.origin)).toMatch(/^database:user_settings#\d+$/);

    const live = await runtime.resolveEffectiveConfig({ accountId: 1, userId: 1 });
    expect(formatOrigin(live.entries.find((e) => e.key === "integration.openai.model")!.origin)).toMatch(/^database:integration_settings#\d+$/);
    const text = renderEffectiveText(config) + JSON.stringify(live);
    for (const key of Object.values(API_KEYS)) expect(text).not.toContain(key);
    expect(text).not.toMatch(/api_key/);
  });
});
