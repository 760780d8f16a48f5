import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/db.js";
import { openDatabase } from "../../src/store/connect.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
import { readLiveState } from "../../src/store/read-live.js";
import { openSqlDb } from "../../src/store/sql-db.js";
import { openPrismaBaseline, type PrismaBaseline } from "../../bench/prisma-baseline.js";
import { readLiveStateWithPrisma } from "./prisma-reference.js";
import type { Store } from "../../src/store/types.js";
import { KIND_ORDER } from "../../src/domain/resources.js";
import { stateDigest } from "../../src/plan/digest.js";
import { testSecretDigest as secretDigest } from "../helpers/secret-salt.js";
import { accountIntegration, accountSetting, credit, integration, integrationType, model, request, SECRETS, settingsSchema } from "./fixtures.js";

/*
 * readLive reads through the store's SqlDb; Prisma's findMany is the reference. The
 * two must produce the same LiveState for every kind of row and value, both
 * outside a transaction and inside one (where the driver read must see the
 * transaction's own uncommitted writes).
 */

const RICH_JSON = {
  nested: { list: [1, 2.5, -0.001, { deep: ["x", null, true, false] }], empty: {}, none: [] },
  unicode: "日本語 ✓ café \u00e9 😀 \"quoted\" \\ back\nslash",
  big: 12345678901234567890,
  tiny: 1e-7,
  zero: 0,
};

class Rollback extends Error {}

describe.each(DIALECTS)("readLive through the driver (%s)", (dialect) => {
  let db: TestDatabase;
  let store: Store;
  let prisma: PrismaBaseline;

  beforeEach(async () => {
    db = await createTestDatabase(dialect, { migrated: true });
    store = await openDatabase(db.url);
    prisma = await openPrismaBaseline(db.url);
  });
  afterEach(async () => {
    await prisma.close();
    await store.close();
    await db.drop();
  });

  async function writeRichRows(): Promise<void> {
    await db.query(`INSERT INTO account (slug, name, credits) VALUES ('acme', 'Acme', 1), ('globex', 'Globex', 2), ('ünï-cøde', 'U', 3), ('idle', 'Idle', 0)`);
    const creates = [
      model("decimals", { input_token_rate: "0.1", output_token_rate: "0.04", cost_per_image: "1234567.0000000001", available_sizes: ["256x256", "1024x1024"] }),
      model("bools-and-ints", {
        supports_json_mode: true, supports_vision: false, supports_tools: true, is_active: false, is_default: true,
        sort_order: -7, max_input_tokens: 2_000_000_000, max_output_tokens: 0, notes: RICH_JSON.unicode,
        release_date: "2024-02-29", deprecation_date: "2030-12-31", available_sizes: { nested: RICH_JSON.nested } as never,
      }),
      model("all-nulls", { input_token_rate: null, output_token_rate: null, available_sizes: null }),
      credit("tokens", { price_per_credit_usd: "0.0000000001", credits: 3, display_name: "Tokens" }),
      credit("images", { price_per_credit_usd: "9999999999.9999999999", is_active: false, credits: null, tokens_per_credit: null, min_credits: 0 }),
      integration({ openai_temperature: "0.040", anthropic_temperature: "1", anthropic_max_tokens: 100, image_style: "vivid" }),
      integrationType("google", {
        api_key: { sensitive: true, digest: secretDigest(SECRETS.OPENAI_API_KEY), from_env: "OPENAI_API_KEY" },
        temperature: "0.250",
        max_tokens: 4096,
      }),
      integrationType("flux", { provider: "runware", model_type: "image", model: "flux-dev", size: "1024x1024" }),
      settingsSchema("rich", RICH_JSON),
      settingsSchema("scalar", 42),
      settingsSchema("null", null),
      accountSetting("acme", "obj", RICH_JSON),
      accountSetting("acme", "str", "plain ✓"),
      accountSetting("globex", "bool", false),
      accountSetting("ünï-cøde", "num", 0.1),
      accountSetting("ünï-cøde", "null", null),
      accountIntegration("acme", "openai", { model: "gpt-4.1", temperature: "0.25", max_tokens: 1000 }),
      accountIntegration("globex", "dalle", { size: "1024x1024", quality: "hd", style: "natural" }),
      accountIntegration("ünï-cøde", "anthropic", {}),
    ];
    await store.apply(request(await store.readLive(), { creates }));
    // Rows no apply writes: non-canonical money, JSON text with spacing, overrides as strings.
    // (A second singleton row cannot exist: the database refuses it, see test/cli/lock.test.ts.)
    await db.query(
      `INSERT INTO ai_model_config (model_id, display_name, model_type, provider, input_token_rate, available_sizes, updated_at)
       VALUES ('by-hand', 'By hand', 'image', 'bria', '0.0400', ${dialect === "postgresql" ? "'[ 1, {\"a\" : [] } ]'::jsonb" : "'[ 1, {\"a\" : [] } ]'"}, CURRENT_TIMESTAMP)`,
    );
    await db.query(
      `INSERT INTO integration_settings (account_id, integration_type, config, updated_at)
       VALUES (2, 'runware', '{"model": "rw", "temperature": "0.50", "max_tokens": "12", "extra": [1]}', CURRENT_TIMESTAMP)`,
    );
  }

  // One statement per table: the accounts, the last-applied state and each resource kind's table.
  const STATEMENTS = KIND_ORDER.length + 3; // every table, accounts, last-applied records, the secret salt

  it("produces exactly the LiveState findMany produces, one statement per table", async () => {
    await writeRichRows();
    const before = store.roundTrips();
    const viaDriver = await store.readLive();
    expect(store.roundTrips() - before).toBe(STATEMENTS);
    const viaPrisma = await readLiveStateWithPrisma(prisma);

    expect(viaDriver.resources.length).toBeGreaterThan(15);
    expect(viaDriver.lastApplied.size).toBe(19);
    expect(viaDriver.accounts.size).toBe(4);
    expect(viaDriver).toStrictEqual(viaPrisma);
    expect([...viaDriver.lastApplied]).toStrictEqual([...viaPrisma.lastApplied]);
    expect([...viaDriver.accounts]).toStrictEqual([...viaPrisma.accounts]);
    expect(stateDigest(viaDriver)).toBe(stateDigest(viaPrisma));
    // Spot checks that the conversions did something.
    const decimals = viaDriver.resources.find((r) => r.address === "model/decimals")!;
    expect(decimals.fields.cost_per_image).toBe("1234567.0000000001");
    expect(decimals.fields.output_token_rate).toBe("0.04");
    expect(viaDriver.resources.find((r) => r.address === "model/bools-and-ints")!.fields.supports_tools).toBe(true);
    expect(viaDriver.resources.find((r) => r.address === "settings-schema/rich")!.fields.schema).toStrictEqual(RICH_JSON);
    expect(viaDriver.resources.find((r) => r.address === "integration-type/google")!.fields).toMatchObject({
      temperature: "0.25",
      max_tokens: 4096,
      api_key: { sensitive: true, digest: secretDigest(SECRETS.OPENAI_API_KEY) },
    });
  });

  it("reads inside a transaction on that transaction, seeing its uncommitted writes", async () => {
    await writeRichRows();
    const sql = await openSqlDb(parseDatabaseUrl(db.url));
    try {
      const write = async (tx: typeof sql) => {
        await tx.execute(
          `INSERT INTO ai_model_config (model_id, display_name, model_type, provider, input_token_rate, is_active, updated_at) VALUES ('in-tx', 'In tx', 'text', 'openai', '0.040', $1, $2)`,
          [true, new Date()],
        );
        await tx.execute(`DELETE FROM account_settings WHERE key = 'obj'`);
        const before = sql.roundTrips();
        const live = await readLiveState(tx);
        expect(sql.roundTrips() - before).toBe(STATEMENTS);
        expect(live.resources.find((r) => r.address === "model/in-tx")?.fields.input_token_rate).toBe("0.04");
        expect(live.resources.some((r) => r.address === "account/acme/setting/obj")).toBe(false);
        return live;
      };
      const outcome = sql.transaction(async (tx) => {
        await write(tx);
        throw new Rollback();
      });
      await expect(outcome).rejects.toBeInstanceOf(Rollback);
      const after = await store.readLive();
      expect(after.resources.some((r) => r.address === "model/in-tx")).toBe(false);
      expect(after).toStrictEqual(await readLiveStateWithPrisma(prisma));
      // Committed, what the transaction read is what Prisma reads afterwards.
      const inTx = await sql.transaction(write);
      expect(inTx).toStrictEqual(await readLiveStateWithPrisma(prisma));
    } finally {
      await sql.close();
    }
  });

  it("reads an empty database the same way", async () => {
    expect(await store.readLive()).toStrictEqual(await readLiveStateWithPrisma(prisma));
  });
});
