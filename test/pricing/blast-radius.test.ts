import { describe, expect, test } from "vitest";
import { INTEGRATION_FIELDS, address, type FieldValue, type Resource } from "../../src/domain/resources.js";
import { blastRadius } from "../../src/plan/impact/blast-radius.js";
import { diffResources } from "../../src/plan/diff.js";
import { credit, imageModel, model } from "../plan/fixtures.js";

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
      { address: "model/gpt-4o", fields: ["output_token_rate"], reaches: { count: 1, accounts: ["acme"] }, basis: "effective-model" },
      { address: "credit/image_generation", fields: ["price_per_credit_usd"], reaches: { count: 4, accounts: ACCOUNTS }, basis: "all-accounts" },
    ]);
  });

  test("no change, no radius", () => {
    expect(radius(desiredWith((x) => x))).toEqual({ accounts_total: 4, defaults: [], prices: [], broken_overrides: [] });
  });
});
