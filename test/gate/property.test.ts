import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { applyComputedPlan, computePlan, openStore } from "../../src/app/flow.js";
import { loadConfig } from "../../src/config/load.js";
import { hasErrors } from "../../src/domain/diagnostic.js";
import { dec } from "../../src/domain/money.js";
import { canonicalJson } from "../../src/plan/digest.js";
import { hasChanges } from "../../src/plan/types.js";
import { INT32, MONEY_TEXT, PRINTABLE_NAME, STORABLE_TEXT } from "../../src/schema/fields.js";
import type { Store } from "../../src/store/connect.js";
import { ROOT } from "../helpers/cli.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/db.js";
import { API_KEYS } from "../helpers/workspace.js";

/*
 * The gate as a property (issue #8): generated strings (every plane, control
 * characters, quotes, backslashes, `$1`, `'`, lone surrogates) and numbers
 * go into model ids, names, notes and prices, setting keys and values and
 * integration override fields. For every input, either validate refuses it
 * with an error at file:line, or apply stores it and the plan after shows no
 * changes, every value read back byte for byte. In process (pure core +
 * store), on both databases; bounded, with the seed printed.
 */

const RUNS = Number(process.env.CFGSYNC_PROPERTY_RUNS ?? 75);
const SEED = Number(process.env.CFGSYNC_PROPERTY_SEED ?? Date.now() % 2 ** 31);

const hostile = fc.constantFrom("$1", "'", '"', "\\", "\\n", "\u0000", "\ud800", "\udc00x", "\u001b[2J", "\n::error::x", "::stop-commands::", "\u202e", "\u0085", "@here", "<b>|</b>", "😀", "\u{10ffff}", " ", "");
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.array(fc.oneof(hostile, fc.string({ maxLength: 4 })), { maxLength: 4 }).map((parts) => parts.join("")),
);
const decimalText = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 12 }))
  .map(([i, f, places]) => (places === 0 ? `${i}` : `${i}.${f.toString().padStart(places, "0").slice(0, places)}`));
const number = fc.oneof(fc.double({ noDefaultInfinity: false }), fc.integer(), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), decimalText.map(Number));
const price = fc.oneof(decimalText, number, text);
const jsonValue = fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.dictionary(text, fc.oneof(text, number), { maxKeys: 3 }), fc.array(fc.oneof(text, number), { maxLength: 3 }));

/** Mostly values the gate should let through (with every character they may hold), sometimes anything. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<U>) => fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: any });
const printable = text.filter((s) => s.length > 0 && s.length <= 100 && PRINTABLE_NAME.test(s));
const storable = text.filter((s) => STORABLE_TEXT.test(s));
const moneyText = decimalText.filter((d) => MONEY_TEXT.test(d));
const safeJson = fc.oneof(storable, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.dictionary(printable, fc.oneof(storable, fc.integer()), { maxKeys: 3 }));

const input = fc.record({
  modelId: mostly(printable, text),
  displayName: mostly(printable, text),
  notes: mostly(storable, text),
  cost: mostly(moneyText, price),
  rate: mostly(moneyText, price),
  sortOrder: mostly(fc.integer({ min: INT32.min, max: INT32.max }), number),
  settingKey: mostly(printable, text),
  settingValue: mostly(safeJson, jsonValue),
  temperature: mostly(fc.constantFrom("0", "0.7", "1.25", "2", "0.0000000001"), fc.oneof(number, decimalText, text)),
  maxTokens: mostly(fc.integer({ min: 1, max: 16_384 }), number),
  style: mostly(printable, text),
});
type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;

function writeCase(configDir: string, c: Input): void {
  const model = { model_id: c.modelId, display_name: c.displayName, model_type: "image", is_active: false, cost_per_image: c.cost, input_token_rate: c.rate, sort_order: c.sortOrder, notes: c.notes, available_sizes: ["1024x1024"] };
  writeFileSync(join(configDir, "models", "google.yaml"), stringify({ apiVersion: "cfgsync/v1", kind: "ModelCatalog", provider: "google", models: [model] }));
  const account = {
    apiVersion: "cfgsync/v1",
    kind: "Account",
    account: "acme",
    settings: { [c.settingKey]: c.settingValue },
    integrations: { openai: { model: "gpt-4o", temperature: c.temperature, max_tokens: c.maxTokens }, dalle: { style: c.style } },
  };
  writeFileSync(join(configDir, "accounts", "acme.yaml"), stringify(account));
}


describe.each(DIALECTS)("property: validate refuses at file:line, or apply round-trips and converges (%s)", (dialect) => {
  let db: TestDatabase;
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cfgsync-prop-"));
    cpSync(join(ROOT, "config"), join(dir, "config"), { recursive: true });
    db = await createTestDatabase(dialect);
    if (dialect === "sqlite") await db.query("SELECT 1");
    store = await openStore(db.url);
    await store.migrate();
    await db.query(`INSERT INTO account (id, slug, name, credits) VALUES (1, 'acme', 'acme', 0), (2, 'globex', 'globex', 0)`);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  // SQLite's JSON columns are TEXT; PostgreSQL's jsonb comes back parsed.
  const asJson = (v: unknown) => (dialect === "sqlite" && typeof v === "string" ? (JSON.parse(v) as unknown) : v);

  test(`${RUNS} generated inputs (seed ${SEED})`, async () => {
    console.log(`property seed: ${SEED} (CFGSYNC_PROPERTY_SEED=${SEED} repeats this run)`);
    const opts = { configDir: "config", cwd: dir, databaseUrl: db.url, env: API_KEYS, revenueDays: 0, store } as const;
    const outcomes = { refused: 0, applied: 0 };
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(input, async (c) => {
        writeCase(join(dir, "config"), c);
        const loaded = await loadConfig("config", { cwd: dir });
        if (hasErrors(loaded.diagnostics)) {
          outcomes.refused++;
          for (const d of loaded.diagnostics) if (d.severity === "error") codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
          if (process.env.CFGSYNC_PROPERTY_DEBUG) console.log(loaded.diagnostics.filter((x) => x.severity === "error").map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`).join("\n"));
          for (const d of loaded.diagnostics.filter((x) => x.severity === "error")) {
            expect(d.file, d.message).toMatch(/^config\//);
            expect(d.line, `${d.file}: ${d.message}`).toBeGreaterThan(0);
          }
          return;
        }
        outcomes.applied++;
        const first = await computePlan(opts);
        await applyComputedPlan(first, { ...opts, allowDestroy: true });
        const after = await computePlan(opts);
        expect(hasChanges(after.plan), JSON.stringify(after.plan.changes).slice(0, 500)).toBe(false);
        const [row] = await db.query<Record<string, unknown>>(`SELECT model_id, display_name, notes, cost_per_image, input_token_rate, sort_order FROM ai_model_config WHERE provider = 'google'`);
        expect(row!.model_id).toBe(c.modelId);
        expect(row!.display_name).toBe(c.displayName);
        expect(row!.notes ?? null).toBe(c.notes);
        expect(dec(String(row!.cost_per_image)).eq(dec(String(c.cost)))).toBe(true);
        expect(dec(String(row!.input_token_rate)).eq(dec(String(c.rate)))).toBe(true);
        expect(Number(row!.sort_order)).toBe(c.sortOrder);
        // Read back with the plain driver, as the platform would.
        const [setting] = await db.query<Record<string, unknown>>(`SELECT key, value FROM account_settings WHERE account_id = 1`);
        expect(setting!.key).toBe(c.settingKey);
        // SQLite: the JSON text (a number's text comes back as a number: the column's affinity is NUMERIC).
        if (dialect === "sqlite") expect(String(setting!.value)).toBe(JSON.stringify(c.settingValue));
        else expect(canonicalJson(setting!.value)).toBe(canonicalJson(c.settingValue)); // jsonb keeps its own key order
        const overrides = await db.query<Record<string, unknown>>(`SELECT integration_type, config FROM integration_settings WHERE account_id = 1 ORDER BY integration_type`);
        expect(asJson(overrides.find((o) => o.integration_type === "dalle")!.config)).toEqual({ style: c.style });
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`property outcomes on ${dialect}: ${outcomes.refused} refused by validate, ${outcomes.applied} applied and converged; refusals: ${[...codes].map(([k, n]) => `${k} ${n}`).join(", ")}`);
    expect(outcomes.applied).toBeGreaterThan(0);
  }, 600_000);
});
