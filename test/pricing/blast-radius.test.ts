import { describe, expect, test } from "vitest";
import { INTEGRATION_FIELDS, address, type FieldValue, type Resource } from "../../src/domain/resources.js";
import { blastRadius } from "../../src/plan/impact/blast-radius.js";
import { diffResources } from "../../src/plan/diff.js";
import type { UsageAggregate } from "../../src/domain/usage.js";
import { credit, imageModel, model, usageAggregate } from "../plan/fixtures.js";

function global(fields: Record<string, FieldValue>): Resource {
  const base: Record<string, FieldValue> = Object.fromEntries(INTEGRATION_FIELDS.filter((f) => f.type !== "secret").map((f) => [f.name, null]));
  return { address: address.integration(), kind: "integration", key: { id: "1" }, fields: { ...base, openai_model: "gpt-4o-mini", dalle_model: "dall-e-3", dalle_size: "1024x1024", ...fields } };
}

function override(account: string, type: string, fields: Record<string, FieldValue>, source?: { file: string; line: number }): Resource {
  const all: Record<string, FieldValue> = { model: null, temperature: null, max_tokens: null, size: null, quality: null, style: null, ...fields };
  return {
    address: address.accountIntegration(account, type),
    kind: "account-integration",
    key: { account, integration_type: type },
    fields: all,
    ...(source ? { source: { ...source, col: 1 } } : {}),
  };
}

const catalog = () => [
  model("gpt-4o-mini", { output_token_rate: "0.6" }),
  model("gpt-4o", { output_token_rate: "10" }),
  model("gpt-4.1", { output_token_rate: "8" }),
  imageModel("dall-e-3", "0.04", { available_sizes: ["1024x1024", "1024x1792", "1792x1024"] }),
  imageModel("dall-e-2", "0.02", { available_sizes: ["256x256", "512x512", "1024x1024"] }),
];
const ACCOUNTS = ["acme", "globex", "initech", "umbrella"];

/** acme (in config) overrides the OpenAI model; initech (saved at runtime) only its temperature; umbrella a DALL-E size. */
function liveWorld(): Resource[] {
  return [
    ...catalog(),
    credit("image_generation", { unit: "image", credits: 5, min_credits: 5, price_per_credit_usd: "0.02" }),
    global({}),
    override("acme", "openai", { model: "gpt-4o" }),
    override("initech", "openai", { temperature: "0.2" }),
    override("umbrella", "dalle", { size: "1792x1024" }),
  ];
}

function radius(desired: Resource[], live: Resource[] = liveWorld()) {
  // acme's override is declared in config; the others are runtime rows config leaves alone (unmanaged).
  const lastApplied = new Map(desired.filter((r) => r.kind !== "account-integration" || r.key.account === "acme").map((r) => [r.address, r.fields]));
  const changes = diffResources(desired, live, lastApplied);
  return blastRadius({ desired, live, accounts: ACCOUNTS, changes });
}

/** Desired = live with `edit` applied, runtime-only overrides dropped (config does not declare them). */
function desiredWith(edit: (r: Resource) => Resource): Resource[] {
  return liveWorld()
    .filter((r) => r.kind !== "account-integration" || r.key.account === "acme")
    .map((r) => (r.key.account === "acme" ? { ...r, source: { file: "config/accounts/acme.yaml", line: 8, col: 3 } } : r))
    .map(edit);
}

const withFields = (r: Resource, addr: string, fields: Record<string, FieldValue>) => (r.address === addr ? { ...r, fields: { ...r.fields, ...fields } } : r);

describe("blast radius (SPEC §7)", () => {
  test("a changed default model reaches every account without an override of it; an override shields", () => {
    const r = radius(desiredWith((x) => withFields(x, "integration/global", { openai_model: "gpt-4.1" })));
    expect(r.accounts_total).toBe(4);
    expect(r.defaults).toEqual([
      {
        field: "openai_model",
        before: "gpt-4o-mini",
        after: "gpt-4.1",
        reaches: { count: 3, accounts: ["globex", "initech", "umbrella"] },
        shielded: { count: 1, accounts: ["acme"] },
        partly_shielded: [],
        users: null,
        usage: null,
      },
    ]);
    expect(r.broken_overrides).toEqual([]);
  });

  test("a new default image model breaks an inherited size override that the new model does not offer", () => {
    const r = radius(desiredWith((x) => withFields(x, "integration/global", { dalle_model: "dall-e-2" })));
    expect(r.defaults[0]).toMatchObject({ field: "dalle_model", reaches: { count: 4 } });
    expect(r.broken_overrides).toEqual([
      {
        account: "umbrella",
        address: "account/umbrella/integration/dalle",
        field: "size",
        value: "1792x1024",
        reason: "size 1792x1024 is not offered by dall-e-2 (256x256, 512x512, 1024x1024)",
        source: "database",
      },
    ]);
  });

  test("deactivating a model breaks the overrides that name it, with where each is declared", () => {
    const r = radius(desiredWith((x) => withFields(x, "model/gpt-4o", { is_active: false })));
    expect(r.broken_overrides).toEqual([
      {
        account: "acme",
        address: "account/acme/integration/openai",
        field: "model",
        value: "gpt-4o",
        reason: "model gpt-4o is inactive",
        source: { file: "config/accounts/acme.yaml", line: 8 },
      },
    ]);
  });

  test("deleting a model breaks overrides saved at runtime that config never sees", () => {
    const live = [...liveWorld(), override("globex", "openai", { model: "gpt-4o" })];
    const desired = desiredWith((x) => x).filter((x) => x.address !== "model/gpt-4o");
    const lastApplied = new Map([...desired, ...catalog()].filter((r) => r.kind !== "account-integration" || r.key.account === "acme").map((r) => [r.address, r.fields]));
    const changes = diffResources(desired, live, lastApplied);
    const r = blastRadius({ desired, live, accounts: ACCOUNTS, changes });
    expect(r.broken_overrides.map((b) => [b.account, b.reason, b.source])).toEqual([
      ["acme", "model gpt-4o is not in the catalog", { file: "config/accounts/acme.yaml", line: 8 }],
      ["globex", "model gpt-4o is not in the catalog", "database"],
    ]);
  });

  test("a model's price reaches the accounts whose effective model it is; a credit price reaches every account", () => {
    const r = radius(
      desiredWith((x) =>
        withFields(withFields(x, "model/gpt-4o", { output_token_rate: "12" }), "credit/image_generation", { price_per_credit_usd: "0.025" }),
      ),
    );
    expect(r.prices).toEqual([
      { address: "model/gpt-4o", fields: ["output_token_rate"], reaches: { count: 1, accounts: ["acme"] }, basis: "effective-model", users: null, usage: null },
      { address: "credit/image_generation", fields: ["price_per_credit_usd"], reaches: { count: 4, accounts: ACCOUNTS }, basis: "all-accounts", users: null, usage: null },
    ]);
  });

  test("a model's price reaches the accounts whose declared integration type (issue #10) runs it, as resolve resolves", () => {
    const gemini = model("gemini-2.5-pro", { provider: "google", output_token_rate: "10" });
    const google: Resource = {
      address: address.integrationType("google"),
      kind: "integration-type",
      key: { integration_type: "google" },
      fields: { provider: "google", model_type: "text", model: "gemini-2.5-pro", temperature: null, max_tokens: null, size: null },
    };
    const live = [...liveWorld(), gemini, google];
    const desired = desiredWith((x) => x).concat([withFields(gemini, gemini.address, { output_token_rate: "12" }), google]);
    const r = radius(desired, live);
    expect(r.prices).toEqual([
      { address: "model/gemini-2.5-pro", fields: ["output_token_rate"], reaches: { count: 4, accounts: ACCOUNTS }, basis: "effective-model", users: null, usage: null },
    ]);
  });

  test("no change, no radius", () => {
    expect(radius(desiredWith((x) => x))).toEqual({ accounts_total: 4, users_total: null, usage_days: null, defaults: [], prices: [], broken_overrides: [] });
  });

  test("an image override shields only its own integration: image_quality reaches globex through dalle and bria (issue #13)", () => {
    // globex overrides runware's quality only; resolve gives it dalle's and bria's quality from image_quality.
    const live = [...liveWorld(), override("globex", "runware", { model: "runware:100@1", quality: "hd" })];
    live.splice(live.findIndex((r) => r.address === "integration/global"), 1, global({ image_quality: "standard", image_style: "photorealistic" }));
    const desired = live
      .filter((r) => r.kind !== "account-integration" || r.key.account === "acme")
      .map((r) => withFields(r, "integration/global", { image_quality: "hd", image_style: "illustration" }));
    const lastApplied = new Map(desired.filter((r) => r.kind !== "account-integration" || r.key.account === "acme").map((r) => [r.address, r.fields]));
    const r = blastRadius({ desired, live, accounts: ACCOUNTS, changes: diffResources(desired, live, lastApplied) });
    const quality = r.defaults.find((d) => d.field === "image_quality")!;
    expect(quality.reaches).toEqual({ count: 4, accounts: ACCOUNTS });
    expect(quality.shielded).toEqual({ count: 0, accounts: [] });
    expect(quality.partly_shielded).toEqual([{ account: "globex", keeps: ["runware.quality"] }]);
    // image_style shares the logic: globex sets no style, so all of it moves.
    expect(r.defaults.find((d) => d.field === "image_style")).toMatchObject({ reaches: { count: 4 }, partly_shielded: [] });
  });

  test("a model's price reaches users whose ai_settings names it, and the accounts that used it, side by side (issue #13)", () => {
    const desired = desiredWith((x) => withFields(x, "model/gpt-4.1", { output_token_rate: "9" }));
    const live = liveWorld();
    const lastApplied = new Map(desired.filter((r) => r.kind !== "account-integration" || r.key.account === "acme").map((r) => [r.address, r.fields]));
    const usage = {
      days: 30,
      aggregates: [
        usageRow("acme", "content_generation", "gpt-4.1", 40, 400),
        usageRow("globex", "content_generation", "gpt-4.1", 60, 600),
        usageRow("umbrella", "content_generation", "gpt-4o-mini", 100, 1000),
      ],
    };
    const audience = { users: { acme: 2, globex: 3, initech: 1, umbrella: 1 }, user_models: [{ account: "initech", user: 7, model: "gpt-4.1" }] };
    const r = blastRadius({ desired, live, accounts: ACCOUNTS, changes: diffResources(desired, live, lastApplied), usage, audience });
    expect(r.users_total).toBe(7);
    expect(r.prices).toEqual([
      {
        address: "model/gpt-4.1",
        fields: ["output_token_rate"],
        // No account's integration uses gpt-4.1: initech is reached through its user's ai_settings.
        reaches: { count: 1, accounts: ["initech"] },
        basis: "effective-model",
        users: 1,
        // content_generation revenue is recorded credits x $0.01 when the rule exists; here only image_generation is a rule, so no revenue.
        usage: { accounts: { count: 2, accounts: ["acme", "globex"] }, calls: 100, revenue_share_pct: null },
      },
    ]);
  });

  test("deactivating a credit rule is in the blast radius, with the usage it stops billing (issue #13)", () => {
    const desired = desiredWith((x) => withFields(x, "credit/image_generation", { is_active: false }));
    const live = liveWorld();
    const lastApplied = new Map(desired.filter((r) => r.kind !== "account-integration" || r.key.account === "acme").map((r) => [r.address, r.fields]));
    const usage = { days: 30, aggregates: [usageRow("acme", "image_generation", "dall-e-3", 3, 15), usageRow("globex", "image_generation", "dall-e-3", 1, 5)] };
    const r = blastRadius({ desired, live, accounts: ACCOUNTS, changes: diffResources(desired, live, lastApplied), usage });
    expect(r.prices).toEqual([
      {
        address: "credit/image_generation",
        fields: ["is_active"],
        reaches: { count: 4, accounts: ACCOUNTS },
        basis: "all-accounts",
        users: null,
        usage: { accounts: { count: 2, accounts: ["acme", "globex"] }, calls: 4, revenue_share_pct: "100.00" },
      },
    ]);
  });
});

function usageRow(account: string, operation_type: string, model_id: string, calls: number, credits: number): UsageAggregate {
  return usageAggregate({ account, operation_type, model_id, calls, recorded_credits: credits });
}
