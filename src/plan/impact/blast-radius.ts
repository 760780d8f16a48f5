import type { FieldValue, JsonValue, Resource } from "../../domain/resources.js";
import { isSecret } from "../../domain/resources.js";
import type { Change } from "../change.js";
import { INTEGRATION_MODEL, isIntegrationType, shadowsOf } from "../../domain/inheritance.js";

/*
 * Blast radius (SPEC §7): which accounts a change of a global default or a
 * base price reaches, and which account overrides it breaks. An account
 * without an override for a field inherits the global value, so it is reached
 * by every change of that field; an override shields it. Pure: desired, live
 * and the plan's changes in, data out.
 */

/** Slugs listed per item at most; `count` always has the full number. */
export const MAX_LISTED_ACCOUNTS = 100;

export interface AccountList {
  count: number;
  /** Sorted, at most MAX_LISTED_ACCOUNTS. */
  accounts: string[];
}

export interface DefaultChangeReach {
  /** The global column, e.g. openai_model. */
  field: string;
  before: JsonValue | null;
  after: JsonValue | null;
  /** Accounts whose effective value changes (they have no override of it). */
  reaches: AccountList;
  /** Accounts whose override keeps their value as it is. */
  shielded: AccountList;
}

export interface PriceChangeReach {
  address: string;
  fields: string[];
  /** For a model: accounts whose effective model of some integration is it; for a credit rule: every account. */
  reaches: AccountList;
  basis: "effective-model" | "all-accounts";
}

export interface BrokenOverride {
  account: string;
  /** account/<slug>/integration/<type> */
  address: string;
  field: string;
  value: JsonValue | null;
  reason: string;
  /** Where the override is declared: a config file, or the database (saved at runtime). */
  source: { file: string; line: number } | "database";
}

export interface BlastRadius {
  accounts_total: number;
  defaults: DefaultChangeReach[];
  prices: PriceChangeReach[];
  broken_overrides: BrokenOverride[];
}

const PRICE_FIELDS: Record<string, readonly string[]> = {
  model: ["input_token_rate", "output_token_rate", "cost_per_image"],
  credit: ["price_per_credit_usd", "credits", "min_credits", "tokens_per_credit", "unit"],
};

function listOf(slugs: Iterable<string>): AccountList {
  const sorted = [...new Set(slugs)].sort();
  return { count: sorted.length, accounts: sorted.slice(0, MAX_LISTED_ACCOUNTS) };
}

const plain = (v: FieldValue | undefined): JsonValue | null => (v === undefined || isSecret(v) ? null : v);
const isSet = (v: FieldValue | undefined) => v !== null && v !== undefined;

interface World {
  global: Resource | undefined;
  models: Map<string, Resource>;
  /** address -> override resource. */
  overrides: Map<string, Resource>;
}

function worldOf(resources: readonly Resource[], overrides: Map<string, Resource>): World {
  return {
    global: resources.find((r) => r.kind === "integration"),
    models: new Map(resources.filter((r) => r.kind === "model").map((r) => [r.key.model_id ?? r.address, r])),
    overrides,
  };
}

/**
 * The overrides in force after the apply: the live rows, with those config
 * declares replaced and those the plan deletes removed. Overrides config never
 * managed (saved by the platform at runtime) stay: they are exactly what
 * `validate` cannot see.
 */
function overridesAfter(desired: readonly Resource[], live: readonly Resource[], changes: readonly Change[]): Map<string, Resource> {
  const after = new Map(live.filter((r) => r.kind === "account-integration").map((r) => [r.address, r]));
  for (const r of desired) if (r.kind === "account-integration") after.set(r.address, r);
  for (const c of changes) if (c.kind === "account-integration" && c.action === "delete") after.delete(c.address);
  return after;
}

/** Why an override is unusable in a world, or null when it is fine. */
function overrideProblem(world: World, override: Resource, field: string): string | null {
  const type = override.key.integration_type ?? "";
  if (!isIntegrationType(type)) return null;
  const want = INTEGRATION_MODEL[type];
  if (field === "model") {
    const id = override.fields.model;
    if (typeof id !== "string") return null;
    const model = world.models.get(id);
    if (!model) return `model ${id} is not in the catalog`;
    if (model.fields.is_active === false) return `model ${id} is inactive`;
    if (model.fields.model_type !== want.modelType) return `model ${id} is a ${String(model.fields.model_type)} model, ${type} needs a ${want.modelType} model`;
    if (model.fields.provider !== want.provider) return `model ${id} is a ${String(model.fields.provider)} model, ${type} needs a ${want.provider} model`;
    return null;
  }
  if (field === "size") {
    const size = override.fields.size;
    if (typeof size !== "string") return null;
    const modelId = typeof override.fields.model === "string" ? override.fields.model : plain(world.global?.fields[`${type}_model`]);
    const model = typeof modelId === "string" ? world.models.get(modelId) : undefined;
    const sizes = model?.fields.available_sizes;
    if (!Array.isArray(sizes)) return null;
    return sizes.includes(size) ? null : `size ${size} is not offered by ${String(modelId)} (${sizes.join(", ")})`;
  }
  return null;
}

/** The model an account's integration of `type` uses in a world: its override, else the global default. */
function effectiveModel(world: World, account: string, type: string): string | null {
  const o = world.overrides.get(`account/${account}/integration/${type}`);
  if (typeof o?.fields.model === "string") return o.fields.model;
  const g = plain(world.global?.fields[`${type}_model`]);
  return typeof g === "string" ? g : null;
}

/**
 * Model id -> the accounts whose effective model of some integration it is, in
 * either world. Built once per plan: asked per changed model instead, it cost
 * accounts x integration types x changed models lookups (seconds at 10k accounts).
 */
function modelUsers(worlds: readonly World[], accounts: readonly string[]): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const slug of accounts) {
    const used = new Set<string>();
    for (const world of worlds) {
      for (const type of Object.keys(INTEGRATION_MODEL)) {
        const id = effectiveModel(world, slug, type);
        if (id !== null) used.add(id);
      }
    }
    for (const id of used) {
      const list = users.get(id);
      if (list) list.push(slug);
      else users.set(id, [slug]);
    }
  }
  return users;
}

export function blastRadius(input: {
  desired: readonly Resource[];
  live: readonly Resource[];
  /** Every account in the database (slugs): accounts without any override are reached too. */
  accounts: Iterable<string>;
  changes: readonly Change[];
}): BlastRadius {
  const accounts = [...new Set(input.accounts)].sort();
  const liveOverrides = new Map(input.live.filter((r) => r.kind === "account-integration").map((r) => [r.address, r]));
  const before = worldOf(input.live, liveOverrides);
  const afterOverrides = overridesAfter(input.desired, input.live, input.changes);
  const after = worldOf(input.desired.some((r) => r.kind === "integration") ? input.desired : [...input.desired, ...input.live.filter((r) => r.kind === "integration")], afterOverrides);
  // Models the desired state no longer declares are gone only if the plan deletes them.
  const deleted = new Set(input.changes.filter((c) => c.action === "delete").map((c) => c.address));
  for (const [id, m] of before.models) {
    if (!after.models.has(id) && !deleted.has(m.address)) after.models.set(id, m);
  }
  let users: Map<string, string[]> | undefined;

  const defaults: DefaultChangeReach[] = [];
  const prices: PriceChangeReach[] = [];
  for (const change of input.changes) {
    if (change.action === "unmanaged" || (change.action === "create" && change.kind !== "integration")) continue;
    if (change.kind === "integration") {
      for (const f of change.fields) {
        if ("sensitive" in f && f.sensitive) continue;
        const b = (f as { before?: JsonValue }).before;
        const a = (f as { after?: JsonValue }).after;
        const shielding = shadowsOf(f.name);
        const shielded = accounts.filter((slug) =>
          shielding.some(({ type, field }) => isSet(afterOverrides.get(`account/${slug}/integration/${type}`)?.fields[field])),
        );
        const shieldedSet = new Set(shielded);
        defaults.push({
          field: f.name,
          before: b ?? null,
          after: a ?? null,
          reaches: listOf(accounts.filter((s) => !shieldedSet.has(s))),
          shielded: listOf(shielded),
        });
      }
      continue;
    }
    const watched = PRICE_FIELDS[change.kind];
    if (!watched) continue;
    const moved = change.fields.filter((f) => watched.includes(f.name)).map((f) => f.name);
    if (!moved.length) continue;
    if (change.kind === "credit") {
      prices.push({ address: change.address, fields: moved, reaches: listOf(accounts), basis: "all-accounts" });
      continue;
    }
    const modelId = change.address.slice("model/".length);
    users ??= modelUsers([after, before], accounts);
    prices.push({ address: change.address, fields: moved, reaches: listOf(users.get(modelId) ?? []), basis: "effective-model" });
  }

  const broken: BrokenOverride[] = [];
  for (const [addr, override] of afterOverrides) {
    const was = liveOverrides.get(addr);
    if (!was) continue;
    for (const field of ["model", "size"]) {
      const now = overrideProblem(after, override, field);
      if (!now || overrideProblem(before, was, field) !== null) continue;
      broken.push({
        account: override.key.account ?? "",
        address: addr,
        field,
        value: plain(override.fields[field]),
        reason: now,
        source: override.source ? { file: override.source.file, line: override.source.line } : "database",
      });
    }
  }
  broken.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.field < b.field ? -1 : 1));

  return { accounts_total: accounts.length, defaults, prices, broken_overrides: broken };
}
