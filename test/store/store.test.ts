import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/db.js";
import { openDatabase } from "../../src/store/connect.js";
import { openPrismaBaseline } from "../../bench/prisma-baseline.js";
import { KIND_ORDER } from "../../src/domain/resources.js";
import type { Store } from "../../src/store/types.js";
import { naiveUpsertModels } from "../../bench/naive-store.js";
import { UserError } from "../../src/domain/diagnostic.js";
import { dec } from "../../src/domain/money.js";
import { stateDigest } from "../../src/plan/digest.js";
import {
  accountIntegration,
  accountSetting,
  asLive,
  credit,
  integration,
  model,
  request,
  SECRETS,
  settingsSchema,
} from "./fixtures.js";

async function seedRuntime(db: TestDatabase): Promise<void> {
  await db.query(`INSERT INTO account (slug, name, credits) VALUES ('acme', 'Acme', 100), ('globex', 'Globex', 5)`);
  await db.query(`INSERT INTO app_user (account_id, email) VALUES (1, 'ann@acme.test')`);
  await db.query(
    `INSERT INTO user_settings (user_id, account_id, key, value, updated_at) VALUES (1, 1, 'table_settings', '{"records_per_page": 50}', CURRENT_TIMESTAMP)`,
  );
  await db.query(
    `INSERT INTO credit_usage_log (account_id, operation_type, model_id, credits_used, cost_usd) VALUES (1, 'image_generation', 'dall-e-3', 5, '0.04')`,
  );
}

const runtimeSnapshot = async (db: TestDatabase) =>
  JSON.stringify(
    await Promise.all(
      ["account", "app_user", "user_settings", "credit_usage_log", "credit_transaction"].map((t) =>
        db.query(`SELECT * FROM ${t} ORDER BY id`),
      ),
    ),
    (_k, v) => (typeof v === "bigint" ? v.toString() : v),
  );

/** An invariant the layers above keep: a plain Error (a bug), never a UserError. */
async function bugRejection(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  expect(err).not.toBeInstanceOf(UserError);
  return err as Error;
}

async function rejection(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

const count = async (db: TestDatabase, table: string) =>
  Number((await db.query<{ n: number | bigint | string }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);

describe.each(DIALECTS)("store (%s)", (dialect) => {
  let db: TestDatabase;
  let store: Store;
  const extraStores: Store[] = [];
  const extraClosers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    db = await createTestDatabase(dialect, { migrated: true });
    store = await openDatabase(db.url);
  });
  afterEach(async () => {
    for (const s of [store, ...extraStores.splice(0)]) await s.close();
    for (const close of extraClosers.splice(0)) await close();
    await db.drop();
  });

  it("opens the right dialect and migrating again applies nothing", async () => {
    expect(store.dialect).toBe(dialect);
    expect(await store.migrate()).toEqual({ applied: [] });
  });

  it("reads an empty database as an empty live state", async () => {
    const live = await store.readLive();
    expect(live.resources).toEqual([]);
    expect(live.lastApplied.size).toBe(0);
    expect(live.accounts.size).toBe(0);
  });

  it("applies creates and reads back the same normalised resources", async () => {
    await seedRuntime(db);
    const desired = [
      model("gpt-4.1", { input_token_rate: "0.1", output_token_rate: "0.2", max_input_tokens: 1047576, is_default: true, release_date: "2025-04-14", notes: "n" }),
      model("dall-e-3", {
        model_type: "image",
        input_token_rate: null,
        output_token_rate: null,
        cost_per_image: "0.04",
        available_sizes: ["1024x1024", "1024x1792"],
      }),
      model("tiny", { input_token_rate: "0.0000001234", output_token_rate: "1234567890.0123456789" }),
      credit("image_generation", { unit: "image", credits: 5, min_credits: 5, tokens_per_credit: 50, price_per_credit_usd: "0.02" }),
      integration(),
      settingsSchema("table_settings", { type: "object", properties: { records_per_page: { type: "integer", minimum: 5 } } }),
      accountSetting("acme", "content.tone", "friendly"),
      accountSetting("acme", "limits", { max: 3, tags: ["a", null, true] }),
      accountIntegration("acme", "openai", { model: "gpt-4o", temperature: "0.4" }),
      accountIntegration("globex", "dalle", { size: "1792x1024" }),
    ];
    const before = await store.readLive();
    const revision = await store.apply(request(before, { creates: desired }));
    expect(revision.id).toBeGreaterThan(0);

    const live = await store.readLive();
    const expected = desired.map(asLive).sort((a, b) => 0 || a.address.localeCompare(b.address));
    const byAddress = new Map(live.resources.map((r) => [r.address, r]));
    for (const r of expected) expect(byAddress.get(r.address), r.address).toEqual(r);
    expect(live.resources).toHaveLength(desired.length);
    // Sorted by kind, then address.
    expect(live.resources.map((r) => r.kind)).toEqual(["model", "model", "model", "credit", "integration", "settings-schema", "account-setting", "account-setting", "account-integration", "account-integration"]);
    expect(live.resources.slice(0, 3).map((r) => r.address)).toEqual(["model/dall-e-3", "model/gpt-4.1", "model/tiny"]);

    // Decimals exact: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
    const gpt = byAddress.get("model/gpt-4.1")!;
    expect(dec(gpt.fields.input_token_rate as string).plus(dec(gpt.fields.output_token_rate as string)).toFixed()).toBe("0.3");
    expect(byAddress.get("model/dall-e-3")!.fields.cost_per_image).toBe("0.04");

    // The secret column holds the value; live state only its digest.
    const raw = await db.query<{ openai_api_key: string }>(`SELECT openai_api_key FROM global_integration_settings WHERE id = 1`);
    expect(raw[0]!.openai_api_key).toBe(SECRETS.OPENAI_API_KEY);
    expect(JSON.stringify([...live.resources, ...live.lastApplied])).not.toContain(SECRETS.OPENAI_API_KEY);
    const stateRows = await db.query(`SELECT * FROM cfgsync_resource_state`);
    expect(JSON.stringify(stateRows)).not.toContain(SECRETS.OPENAI_API_KEY);
    expect(stateRows).toHaveLength(desired.length);

    // Overrides store only the fields set, temperature as a JSON number.
    const cfg = await db.query<{ config: unknown }>(`SELECT config FROM integration_settings WHERE integration_type = 'openai'`);
    const config = typeof cfg[0]!.config === "string" ? JSON.parse(cfg[0]!.config) : cfg[0]!.config;
    expect(config).toEqual({ model: "gpt-4o", temperature: 0.4 });

    expect(live.accounts).toEqual(new Map([["acme", 1], ["globex", 2]]));
    expect(live.lastApplied.get("model/gpt-4.1")).toEqual(JSON.parse(JSON.stringify(desired[0]!.fields)));
  });

  it("applies updates and deletes in bulk", async () => {
    await seedRuntime(db);
    const models = Array.from({ length: 30 }, (_, i) => model(`m${String(i).padStart(2, "0")}`));
    const others = [integration(), settingsSchema("s", { a: 1 }), accountSetting("acme", "k", 1), accountIntegration("acme", "openai", { model: "gpt-4o" })];
    await store.apply(request(await store.readLive(), { creates: [...models, ...others] }));

    const updated = models.slice(0, 20).map((m, i) =>
      model(m.key.model_id!, {
        output_token_rate: `${i}.5`,
        is_active: i % 2 === 0,
        available_sizes: i === 0 ? ["256x256"] : null,
        notes: i === 1 ? "it's \"quoted\"" : null,
        release_date: "2024-01-0" + ((i % 9) + 1),
      }),
    );
    const updatedOthers = [
      integration({ openai_temperature: "0.25", image_quality: "hd", anthropic_api_key: { sensitive: true, digest: null } }),
      settingsSchema("s", { b: [1, 2] }),
      accountSetting("acme", "k", null),
      accountIntegration("acme", "openai", { model: "gpt-4.1", max_tokens: 1000, temperature: "1" }),
    ];
    const deleted = models.slice(25);
    const tripsBefore = store.roundTrips();
    await store.apply(request(await store.readLive(), { updates: [...updated, ...updatedOthers], deletes: deleted }));
    const applyTrips = store.roundTrips() - tripsBefore - 8;
    // 20 model updates are one statement, not twenty.
    expect(applyTrips).toBeLessThan(40);

    const live = await store.readLive();
    const byAddress = new Map(live.resources.map((r) => [r.address, r]));
    for (const r of [...updated, ...updatedOthers]) expect(byAddress.get(r.address), r.address).toEqual(asLive(r));
    for (const r of deleted) expect(byAddress.has(r.address)).toBe(false);
    for (const r of deleted) expect(live.lastApplied.has(r.address)).toBe(false);
    expect(live.resources.filter((r) => r.kind === "model")).toHaveLength(25);
    const raw = await db.query<{ anthropic_api_key: string | null }>(`SELECT anthropic_api_key FROM global_integration_settings`);
    expect(raw[0]!.anthropic_api_key).toBeNull();
  });

  it("refuses a stale plan and writes nothing", async () => {
    const req = request(await store.readLive(), { creates: [model("a")] });
    req.expectedStateDigest = "sha256:not-the-state";
    const err = await rejection(store.apply(req));
    expect(err.code).toBe("plan.stale");
    expect(await count(db, "ai_model_config")).toBe(0);
    expect(await count(db, "cfgsync_revision")).toBe(0);
    expect(await count(db, "cfgsync_resource_state")).toBe(0);
  });

  it("refuses a decimal the database cannot hold exactly, and writes nothing", async () => {
    const err = await rejection(
      store.apply(request(await store.readLive(), { creates: [model("a"), model("b", { cost_per_image: "0.00000000001" })] })),
    );
    expect(err.code).toBe("apply.decimal-range");
    expect(err.message).toContain("cost_per_image");
    expect(await count(db, "ai_model_config")).toBe(0);
  });

  // The plan leaves out pending accounts and unset keys (plan/build.ts); the store still refuses them, as bugs.
  it("refuses a missing account, naming it, and writes nothing", async () => {
    await seedRuntime(db);
    const err = await bugRejection(
      store.apply(request(await store.readLive(), { creates: [model("a"), accountSetting("ghost", "k", 1)] })),
    );
    expect(err.message).toContain('"ghost"');
    expect(await count(db, "ai_model_config")).toBe(0);
    expect(await count(db, "cfgsync_revision")).toBe(0);
  });

  it("refuses a secret whose environment variable is not set, naming it and the field, and writes nothing", async () => {
    const req = request(await store.readLive(), { creates: [model("a"), integration()] });
    delete (req.secrets as Record<string, string>).ANTHROPIC_API_KEY;
    const err = await bugRejection(store.apply(req));
    expect(err.message).toContain("ANTHROPIC_API_KEY");
    expect(err.message).toContain("integration/global anthropic_api_key");
    expect(err.message).not.toContain(SECRETS.OPENAI_API_KEY);
    expect(await count(db, "ai_model_config")).toBe(0);
    expect(await count(db, "global_integration_settings")).toBe(0);
  });

  it("refuses to record a key's plaintext that reached a recorded value; a key that is itself open config text is no leak", async () => {
    const leaking = request(await store.readLive(), { creates: [model("a"), integration()] });
    leaking.revision.changes = [{ address: "integration/global", note: `copied ${SECRETS.OPENAI_API_KEY} by mistake` }];
    const err = await bugRejection(store.apply(leaking));
    expect(err.message).toBe("refusing to record the value of OPENAI_API_KEY in the revision or resource state");
    expect(await count(db, "ai_model_config")).toBe(0);
    // A weak key equal to a model's display name: the text is the configuration's own, so the apply goes through.
    const weak = request(await store.readLive(), { creates: [model("a", { display_name: "OPENAI-KEY" }), integration()] }, { secrets: { ...SECRETS, OPENAI_API_KEY: "OPENAI-KEY" } });
    await store.apply(weak);
    expect(await count(db, "ai_model_config")).toBe(1);
  });

  it("serialises two concurrent applies: one wins, the other is refused, the result is one request entirely", async () => {
    const other = await openDatabase(db.url);
    extraStores.push(other);
    const live = await store.readLive();
    const a = request(live, { creates: [model("a1"), model("a2"), credit("x")] });
    const b = request(live, { creates: [model("b1"), credit("y")] });
    const results = await Promise.allSettled([store.apply(a), other.apply(b)]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(UserError);
    expect(["plan.stale", "lock.held"]).toContain((refused[0]!.reason as UserError).code);
    const addresses = (await store.readLive()).resources.map((r) => r.address).sort();
    const winner = results[0]!.status === "fulfilled" ? a : b;
    expect(addresses).toEqual(winner.creates.map((r) => r.address).sort());
    expect(await count(db, "cfgsync_revision")).toBe(1);
  });

  it("times out waiting for the lock with lock.held", async () => {
    const other = await openDatabase(db.url);
    extraStores.push(other);
    const live = await store.readLive();
    // Hold the lock: an apply paused inside its transaction.
    let paused!: () => void;
    const inside = new Promise<void>((r) => (paused = r));
    const first = store.apply(request(live, { creates: [model("a")] }), {
      pausedInApply: async () => {
        paused();
        await new Promise((r) => setTimeout(r, 1500));
      },
    });
    await inside;
    const err = await rejection(other.apply(request(live, { creates: [model("b")] }, { lockTimeoutMs: 200 })));
    expect(err.code).toBe("lock.held");
    await first;
    expect((await store.readLive()).resources.map((r) => r.address)).toEqual(["model/a"]);
  });

  it("reads live state in a constant number of round trips, whatever the row count", async () => {
    const trips = async () => {
      const before = store.roundTrips();
      await store.readLive();
      return store.roundTrips() - before;
    };
    await store.apply(request(await store.readLive(), { creates: Array.from({ length: 10 }, (_, i) => model(`m${i}`)) }));
    const with10 = await trips();
    const more = Array.from({ length: 990 }, (_, i) => model(`n${i}`, { available_sizes: ["1x1"], notes: "x".repeat(20) }));
    await store.apply(request(await store.readLive(), { creates: more }));
    const with1000 = await trips();
    expect((await store.readLive()).resources).toHaveLength(1000);
    expect(with1000).toBe(with10);
    // One statement per table (accounts, last-applied state, each resource kind's) and the secret salt.
    expect(with10).toBeLessThanOrEqual(KIND_ORDER.length + 3);
    // And a bulk update of all 1000 rows is a handful of statements.
    const before = store.roundTrips();
    const live = await store.readLive();
    await store.apply(request(live, { updates: live.resources.map((r) => ({ ...r, fields: { ...r.fields, sort_order: 7 } })) }));
    expect(store.roundTrips() - before).toBeLessThan(40);
    expect((await store.readLive()).resources.every((r) => r.fields.sort_order === 7)).toBe(true);
  });

  it("never changes runtime-owned tables", async () => {
    await seedRuntime(db);
    const before = await runtimeSnapshot(db);
    const first = [model("a"), integration(), accountSetting("acme", "k", "v"), accountIntegration("acme", "openai", { model: "m" })];
    await store.apply(request(await store.readLive(), { creates: first }));
    await store.apply(request(await store.readLive(), { updates: [accountSetting("acme", "k", "w")], deletes: [first[3]!] }));
    expect(await runtimeSnapshot(db)).toBe(before);
  });

  it("lists revisions newest first, without secret values", async () => {
    await store.apply(request(await store.readLive(), { creates: [integration()] }));
    await store.apply(request(await store.readLive(), { creates: [model("a")] }, {}));
    const history = await store.history();
    expect(history.map((r) => r.id)).toEqual([2, 1]);
    expect(history[0]).toMatchObject({ actor: "test", git_commit: "abc123", summary: { create: 1, update: 0, delete: 0 } });
    expect(history[0]!.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await store.history({ limit: 1 })).toHaveLength(1);
    const text = JSON.stringify(history);
    for (const v of Object.values(SECRETS)) expect(text).not.toContain(v);
  });

  it("state digest read after an apply matches the digest computed inside the next apply", async () => {
    await store.apply(request(await store.readLive(), { creates: [model("a")] }));
    const live = await store.readLive();
    expect(stateDigest(live)).toBe(stateDigest(await store.readLive()));
    await store.apply(request(live, { deletes: [live.resources[0]!] }));
    expect((await store.readLive()).resources).toEqual([]);
  });

  it("bulk-written rows read back through Prisma as Prisma's own writes do (DateTime format, JSON text)", async () => {
    await seedRuntime(db);
    const started = Date.now();
    await store.apply(
      request(await store.readLive(), {
        creates: [model("bulk", { available_sizes: ["1024x1024"], notes: "n" }), accountIntegration("acme", "openai", { model: "gpt-4o", temperature: "0.4" })],
      }),
    );
    // A row Prisma writes itself, to compare the stored formats against.
    const baseline = await openPrismaBaseline(db.url);
    extraClosers.push(() => baseline.close());
    await naiveUpsertModels(baseline, [model("by-prisma")]);
    const prisma = baseline.db;
    const inWindow = (d: Date) => d.getTime() >= started - 1000 && d.getTime() <= Date.now() + 1000;
    const models = await prisma.aIModelConfig.findMany({ orderBy: { model_id: "asc" } });
    for (const m of models) expect(inWindow(m.created_at) && inWindow(m.updated_at), m.model_id).toBe(true);
    expect(models.find((m) => m.model_id === "bulk")!.available_sizes).toEqual(["1024x1024"]);
    const override = await prisma.integrationSettings.findFirstOrThrow();
    expect(override.config).toEqual({ model: "gpt-4o", temperature: 0.4 });
    expect(inWindow(override.updated_at)).toBe(true);
    const [revision] = await prisma.cfgsyncRevision.findMany();
    expect(inWindow(revision!.created_at)).toBe(true);
    const states = await prisma.cfgsyncResourceState.findMany();
    expect(states.map((r) => r.revision_id)).toEqual([revision!.id, revision!.id]);
    for (const r of states) expect(inWindow(r.updated_at)).toBe(true);
    if (dialect === "sqlite") {
      const stored = await db.query<{ model_id: string; kind: string; at: string }>(
        `SELECT model_id, typeof(created_at) AS kind, created_at AS at FROM ai_model_config ORDER BY model_id`,
      );
      const prismaFormat = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;
      for (const row of stored) expect([row.model_id, row.kind, prismaFormat.test(row.at)]).toEqual([row.model_id, "text", true]);
    }
  });

  it("the naive per-row upsert baseline writes the same rows, one statement per model", async () => {
    const models = Array.from({ length: 5 }, (_, i) => model(`m${i}`, { cost_per_image: "0.011", available_sizes: ["1x1"] }));
    const baseline = await openPrismaBaseline(db.url);
    extraClosers.push(() => baseline.close());
    await naiveUpsertModels(baseline, models);
    expect(baseline.roundTrips()).toBeGreaterThanOrEqual(5);
    expect((await store.readLive()).resources).toEqual(models.map(asLive));
  });
});
