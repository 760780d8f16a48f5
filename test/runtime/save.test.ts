import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createRuntime, type Runtime } from "../../src/runtime/index.js";
import { DIALECTS, type TestDatabase } from "../helpers/db.js";
import { migratedDatabase, seedPlatform } from "./seed.js";

describe.each(DIALECTS)("runtime save flows on %s", (dialect) => {
  let db: TestDatabase;
  let runtime: Runtime;

  beforeEach(async () => {
    db = await migratedDatabase(dialect);
    await seedPlatform(db);
    runtime = await createRuntime({ databaseUrl: db.url, clock: () => new Date("2026-02-01T12:00:00.000Z") });
  });
  afterEach(async () => {
    await runtime.close();
    await db.drop();
  });

  test("saveUserSetting creates, then updates the same row, and returns it", async () => {
    const first = await runtime.saveUserSetting({ userId: 1, accountId: 1, key: "table_settings", value: { records_per_page: 50 } });
    expect(first).toMatchObject({ user_id: 1, account_id: 1, key: "table_settings", value: { records_per_page: 50 } });
    expect(first.updated_at).toBe("2026-02-01T12:00:00.000Z");
    const second = await runtime.saveUserSetting({ userId: 1, accountId: 1, key: "table_settings", value: { records_per_page: 20, sort_direction: "asc" } });
    expect(second.id).toBe(first.id);
    expect(second.value).toEqual({ records_per_page: 20, sort_direction: "asc" });
    const rows = await db.query(`SELECT id FROM user_settings`);
    expect(rows).toHaveLength(1);
  });

  test("20 concurrent saves of one key leave exactly one row, holding one of the values", async () => {
    const values = Array.from({ length: 20 }, (_, i) => ({ records_per_page: 10 + i }));
    const saved = await Promise.all(values.map((value) => runtime.saveUserSetting({ userId: 2, accountId: 1, key: "table_settings", value })));
    expect(new Set(saved.map((s) => s.id)).size).toBe(1);
    const rows = await db.query<{ value: unknown }>(`SELECT value FROM user_settings WHERE user_id = 2 AND account_id = 1 AND key = 'table_settings'`);
    expect(rows).toHaveLength(1);
    const stored = typeof rows[0]!.value === "string" ? JSON.parse(rows[0]!.value) : rows[0]!.value;
    expect(values).toContainEqual(stored);
  });

  test("20 concurrent saves from separate runtimes (separate connections) still make one row", async () => {
    const runtimes = await Promise.all(Array.from({ length: 4 }, () => createRuntime({ databaseUrl: db.url, poolSize: 5 })));
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          runtimes[i % runtimes.length]!.saveUserSetting({ userId: 1, accountId: 1, key: "ai_settings", value: { temperature: i / 10 } }),
        ),
      );
    } finally {
      await Promise.all(runtimes.map((r) => r.close()));
    }
    expect(await db.query(`SELECT id FROM user_settings WHERE key = 'ai_settings'`)).toHaveLength(1);
  });

  test("saveUserSetting rejects a value the live schema refuses, and writes nothing", async () => {
    await expect(runtime.saveUserSetting({ userId: 1, accountId: 1, key: "table_settings", value: { records_per_page: 1000 } })).rejects.toThrow(
      /table_settings.*records_per_page must be <= 500/,
    );
    await expect(runtime.saveUserSetting({ userId: 1, accountId: 1, key: "table_settings", value: { colour: "red" } })).rejects.toThrow(
      /must NOT have additional properties \(colour\)/,
    );
    expect(await db.query(`SELECT id FROM user_settings`)).toHaveLength(0);
  });

  test("saveUserSetting refuses an unknown key with a did-you-mean", async () => {
    await expect(runtime.saveUserSetting({ userId: 1, accountId: 1, key: "table_setting", value: {} })).rejects.toThrow(
      /unknown settings key "table_setting"; did you mean `table_settings`\?/,
    );
  });

  test("saveUserSetting validates against the schema that is live now, not one cached earlier", async () => {
    await runtime.saveUserSetting({ userId: 1, accountId: 1, key: "table_settings", value: { records_per_page: 400 } });
    const stricter = { type: "object", properties: { records_per_page: { type: "integer", maximum: 100 } } };
    await db.query(`UPDATE settings_schema SET schema = ${db.dialect === "postgresql" ? "$1::jsonb" : "?"} WHERE key = 'table_settings'`, [JSON.stringify(stricter)]);
    await expect(runtime.saveUserSetting({ userId: 1, accountId: 1, key: "table_settings", value: { records_per_page: 400 } })).rejects.toThrow(/must be <= 100/);
  });

  test("saveUserSetting strips API-key fields at any depth before validating and saving", async () => {
    const saved = await runtime.saveUserSetting({
      userId: 1,
      accountId: 1,
      key: "ai_settings",
      value: { model: "gpt-4o", openai_api_key: "sk-abc", nested: { apiKey: "x", API_KEY: "y", keep: 1 }, list: [{ api_key: "z" }] },
    });
    expect(saved.value).toEqual({ model: "gpt-4o", nested: { keep: 1 }, list: [{}] });
    expect(JSON.stringify(await db.query(`SELECT value FROM user_settings`))).not.toMatch(/sk-abc|api_?key/i);
  });

  test("saveUserSetting refuses a user of another account", async () => {
    await expect(runtime.saveUserSetting({ userId: 3, accountId: 1, key: "table_settings", value: {} })).rejects.toThrow(/user 3 does not belong to account 1/);
  });

  test("saveIntegrationOverride strips API keys silently, saves allowed fields, get-or-creates one row", async () => {
    const first = await runtime.saveIntegrationOverride({ accountId: 1, integrationType: "openai", config: { model: "gpt-4o", temperature: 0.3, api_key: "sk-nope" } });
    expect(first.config).toEqual({ model: "gpt-4o", temperature: 0.3 });
    const second = await runtime.saveIntegrationOverride({ accountId: 1, integrationType: "openai", config: { max_tokens: 1000 } });
    expect(second.id).toBe(first.id);
    expect(second.config).toEqual({ max_tokens: 1000 });
    expect(await db.query(`SELECT id FROM integration_settings`)).toHaveLength(1);
  });

  test("saveIntegrationOverride rejects unknown fields, wrong types and models that do not fit", async () => {
    await expect(runtime.saveIntegrationOverride({ accountId: 1, integrationType: "openai", config: { modle: "gpt-4o" } })).rejects.toThrow(
      /modle is not an override field of openai.*did you mean `model`/,
    );
    await expect(runtime.saveIntegrationOverride({ accountId: 1, integrationType: "openai", config: { temperature: 5 } })).rejects.toThrow(/temperature is invalid: Too big: expected number to be <=2/);
    await expect(runtime.saveIntegrationOverride({ accountId: 1, integrationType: "openai", config: { model: "dall-e-3" } })).rejects.toThrow(
      /dall-e-3 \(openai, image\) does not fit openai, which takes openai text models/,
    );
    await expect(runtime.saveIntegrationOverride({ accountId: 1, integrationType: "dalle", config: { model: "gpt-image-1" } })).rejects.toThrow(/inactive/);
    await expect(runtime.saveIntegrationOverride({ accountId: 1, integrationType: "dalle", config: { size: "256x256" } })).rejects.toThrow(
      /size 256x256 is not offered by dall-e-3/,
    );
    await expect(runtime.saveIntegrationOverride({ accountId: 1, integrationType: "dale", config: {} })).rejects.toThrow(/did you mean `dalle`/);
    expect(await db.query(`SELECT id FROM integration_settings`)).toHaveLength(0);
  });
});

describe.each(DIALECTS)("runtime on an unmigrated %s database", (dialect) => {
  test("says the schema is missing and how to fix it", async () => {
    const { createTestDatabase } = await import("../helpers/db.js");
    const db = await createTestDatabase(dialect);
    await db.query("SELECT 1");
    const runtime = await createRuntime({ databaseUrl: db.url });
    try {
      await expect(runtime.resolveEffectiveConfig({ accountId: 1 })).rejects.toThrow(/has no cfgsync schema yet/);
    } finally {
      await runtime.close();
      await db.drop();
    }
  });
});
