import {
  accountContributions,
  effectiveValues,
  globalContributions,
  mergeLayers,
  originFromResource,
  type OriginOf,
} from "../../domain/effective.js";
import { INTEGRATION_MODEL, isIntegrationType, shadowsOf } from "../../domain/inheritance.js";
import { dec, pctFigure, type Dec } from "../../domain/money.js";
import type { FieldValue, JsonValue, Resource } from "../../domain/resources.js";
import { isSecret } from "../../domain/resources.js";
import type { Audience, UsageAggregate } from "../../domain/usage.js";
import type { Change } from "../change.js";

/*
 * Blast radius (SPEC §7, issue #13): whom a change reaches, two ways, side by side.
 *
 * By configuration, exactly as `resolve` resolves (domain/effective.ts):
 * every account's effective configuration (Global -> Account) is merged
 * before and after the change, and a changed global default reaches the
 * accounts whose effective value of it changes, per integration and per field
 * (an account overriding runware.quality still inherits dalle's and bria's
 * quality from image_quality). A model's price or deactivation reaches the
 * accounts whose effective model of some integration it is, and the users whose
 * ai_settings names it; a credit rule (price, terms, deactivation, deletion)
 * reaches every account, since any account may run the operation.
 *
 * By usage: the last N days of credit_usage_log: the accounts with calls the
 * change touches (a model's calls, an operation's calls, or for a default the
 * reached accounts' calls on the model that default gives them), the calls,
 * and their share of the window's billed revenue (recorded credits x live price).
 *
 * Pure: desired, live, the plan's changes, the accounts, the audience and the
 * usage aggregates in; data out.
 */

/** Slugs listed per item at most; `count` always has the full number. */
export const MAX_LISTED_ACCOUNTS = 100;

export interface AccountList {
  count: number;
  /** Sorted, at most MAX_LISTED_ACCOUNTS. */
  accounts: string[];
}

export interface UsageReach {
  /** Accounts with calls the change touches in the window. */
  accounts: AccountList;
  calls: number;
  /** Their share of the window's billed revenue, two decimals; null when the window has none. */
  revenue_share_pct: string | null;
}

export interface DefaultChangeReach {
  /** The global column, e.g. openai_model. */
  field: string;
  before: JsonValue | null;
  after: JsonValue | null;
  /** Accounts whose effective value of the field changes for at least one integration. */
  reaches: AccountList;
  /** Accounts whose overrides keep every integration's value as it is. */
  shielded: AccountList;
  /** Reached accounts that keep their own value for some integrations: which (e.g. "runware.quality"). */
  partly_shielded: { account: string; keeps: string[] }[];
  /** Users of the reached accounts (null when the users were not read). */
  users: number | null;
  usage: UsageReach | null;
}

export interface PriceChangeReach {
  address: string;
  /** The price fields that move; `is_active` for a (de)activation, `deleted` / `created` for the whole rule or model. */
  fields: string[];
  /** For a model: accounts whose effective model of some integration it is, or with a user whose ai_settings names it; for a credit rule: every account. */
  reaches: AccountList;
  basis: "effective-model" | "all-accounts";
  /** Users reached: every user of an account reached through its integrations, plus users whose ai_settings names the model. */
  users: number | null;
  usage: UsageReach | null;
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
  /** null when the users were not read. */
  users_total: number | null;
  /** The usage window the `usage` figures come from; null without usage. */
  usage_days: number | null;
  defaults: DefaultChangeReach[];
  prices: PriceChangeReach[];
  broken_overrides: BrokenOverride[];
}

const PRICE_FIELDS: Record<string, readonly string[]> = {
  model: ["input_token_rate", "output_token_rate", "cost_per_image", "is_active"],
  credit: ["price_per_credit_usd", "credits", "min_credits", "tokens_per_credit", "unit", "is_active"],
};

function listOf(slugs: Iterable<string>): AccountList {
  const sorted = [...new Set(slugs)].sort();
  return { count: sorted.length, accounts: sorted.slice(0, MAX_LISTED_ACCOUNTS) };
}

const plain = (v: FieldValue | undefined): JsonValue | null => (v === undefined || isSecret(v) ? null : v);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

interface World {
  global: Resource | undefined;
  /** Integration types config declares beyond the seed's five (issue #10): resolved like them. */
  declared: Resource[];
  models: Map<string, Resource>;
  /** address -> override resource. */
  overrides: Map<string, Resource>;
  /** account -> its account-setting and account-integration resources. */
  byAccount: Map<string, Resource[]>;
}

function worldOf(resources: readonly Resource[], accountRows: Map<string, Resource>): World {
  const byAccount = new Map<string, Resource[]>();
  for (const r of accountRows.values()) {
    const slug = r.key.account ?? "";
    const list = byAccount.get(slug);
    if (list) list.push(r);
    else byAccount.set(slug, [r]);
  }
  return {
    global: resources.find((r) => r.kind === "integration"),
    declared: resources.filter((r) => r.kind === "integration-type"),
    models: new Map(resources.filter((r) => r.kind === "model").map((r) => [r.key.model_id ?? r.address, r])),
    overrides: new Map([...accountRows].filter(([, r]) => r.kind === "account-integration")),
    byAccount,
  };
}

/** `integration.<type>.model`: the model of an integration, seeded or declared. */
const INTEGRATION_MODEL_KEY = /^integration\.[^.]+\.model$/;

const isAccountRow = (r: Resource) => r.kind === "account-integration" || r.kind === "account-setting";

/**
 * The account rows in force after the apply: the live rows, with those config
 * declares replaced and those the plan deletes removed. Rows config never
 * managed (saved by the platform at runtime) stay: they are exactly what
 * `validate` cannot see (and what `resolve` shows).
 */
function accountRowsAfter(desired: readonly Resource[], live: readonly Resource[], changes: readonly Change[]): Map<string, Resource> {
  const after = new Map(live.filter(isAccountRow).map((r) => [r.address, r]));
  for (const r of desired) if (isAccountRow(r)) after.set(r.address, r);
  for (const c of changes) if ((c.kind === "account-integration" || c.kind === "account-setting") && c.action === "delete") after.delete(c.address);
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

/* ------------------------------------------------------------ resolving */

const ORIGIN: OriginOf = originFromResource("global", "global_integration_settings");

/** Effective Global -> Account values of every account in a world, as `resolve` merges them. */
function effectiveByAccount(world: World, accounts: readonly string[]): Map<string, Record<string, JsonValue>> {
  const global = globalContributions(world.global, ORIGIN, world.declared);
  const out = new Map<string, Record<string, JsonValue>>();
  for (const slug of accounts) {
    const own = accountContributions(world.byAccount.get(slug) ?? [], originFromResource("account", "account"));
    out.set(slug, effectiveValues(mergeLayers([...global, ...own])));
  }
  return out;
}

/** The effective keys a global field feeds: one per (integration, field) it is the base of; itself when it is universal. */
function keysOf(globalField: string): { key: string; label: string; type: string | null }[] {
  const shadows = shadowsOf(globalField);
  if (shadows.length) return shadows.map(({ type, field }) => ({ key: `integration.${type}.${field}`, label: `${type}.${field}`, type }));
  return [{ key: `integration.${globalField}`, label: globalField, type: null }];
}

/** The model an account's ai_settings setting names (account layer), if any. */
function accountAiModel(values: Record<string, JsonValue>): string | null {
  const v = values["settings.ai_settings"];
  const m = v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, JsonValue>).model : undefined;
  return typeof m === "string" ? m : null;
}

/* ---------------------------------------------------------------- usage */

interface UsageIndex {
  rows: readonly UsageAggregate[];
  /** Recorded credits x live price of each row; 0 when not billed. */
  revenue: Dec[];
  total: Dec;
}

function usageIndex(aggregates: readonly UsageAggregate[], live: readonly Resource[]): UsageIndex {
  const prices = new Map<string, Dec>();
  for (const r of live) {
    const p = r.fields.price_per_credit_usd;
    if (r.kind === "credit" && r.fields.is_active !== false && (typeof p === "string" || typeof p === "number")) prices.set(r.key.operation_type ?? "", dec(p));
  }
  const revenue = aggregates.map((a) => (prices.get(a.operation_type) ?? dec(0)).times(a.recorded_credits));
  return { rows: aggregates, revenue, total: revenue.reduce((s, v) => s.plus(v), dec(0)) };
}

function usageReach(index: UsageIndex | undefined, touches: (row: UsageAggregate) => boolean): UsageReach | null {
  if (!index) return null;
  const accounts = new Set<string>();
  let calls = 0;
  let revenue = dec(0);
  index.rows.forEach((row, i) => {
    if (!touches(row)) return;
    accounts.add(row.account);
    calls += row.calls;
    revenue = revenue.plus(index.revenue[i]!);
  });
  return { accounts: listOf(accounts), calls, revenue_share_pct: index.total.isZero() ? null : pctFigure(revenue.div(index.total)) };
}

/* ------------------------------------------------------------------ main */

export function blastRadius(input: {
  desired: readonly Resource[];
  live: readonly Resource[];
  /** Every account in the database (slugs): accounts without any override are reached too. */
  accounts: Iterable<string>;
  changes: readonly Change[];
  /** Users per account and their ai_settings models; without it user counts are null. */
  audience?: Audience | undefined;
  /** The usage window; without it the usage side is null. */
  usage?: { days: number; aggregates: readonly UsageAggregate[] } | undefined;
}): BlastRadius {
  const accounts = [...new Set(input.accounts)].sort();
  const audience = input.audience;
  const usersOf = (slugs: Iterable<string>) => (audience ? [...slugs].reduce((n, s) => n + (audience.users[s] ?? 0), 0) : null);
  const liveRows = new Map(input.live.filter(isAccountRow).map((r) => [r.address, r]));
  const before = worldOf(input.live, liveRows);
  const afterRows = accountRowsAfter(input.desired, input.live, input.changes);
  const after = worldOf(input.desired.some((r) => r.kind === "integration") ? input.desired : [...input.desired, ...input.live.filter((r) => r.kind === "integration")], afterRows);
  // Models the desired state no longer declares are gone only if the plan deletes them.
  const deleted = new Set(input.changes.filter((c) => c.action === "delete").map((c) => c.address));
  for (const [id, m] of before.models) {
    if (!after.models.has(id) && !deleted.has(m.address)) after.models.set(id, m);
  }
  const index = input.usage ? usageIndex(input.usage.aggregates, input.live) : undefined;
  let effective: { before: Map<string, Record<string, JsonValue>>; after: Map<string, Record<string, JsonValue>> } | undefined;
  const resolved = () => (effective ??= { before: effectiveByAccount(before, accounts), after: effectiveByAccount(after, accounts) });

  const defaults: DefaultChangeReach[] = [];
  const prices: PriceChangeReach[] = [];
  for (const change of input.changes) {
    if (change.action === "unmanaged") continue;
    if (change.kind === "integration") {
      if (change.action === "create") continue;
      for (const f of change.fields) {
        if ("sensitive" in f && f.sensitive) continue;
        defaults.push(defaultReach(f.name, (f as { before?: JsonValue }).before, (f as { after?: JsonValue }).after));
      }
      continue;
    }
    const watched = PRICE_FIELDS[change.kind];
    if (!watched) continue;
    const moved =
      change.action === "delete" ? ["deleted"] : change.action === "create" ? ["created"] : change.fields.filter((f) => watched.includes(f.name)).map((f) => f.name);
    if (!moved.length || (change.action === "create" && change.kind === "model")) continue;
    if (change.kind === "credit") {
      const op = change.address.slice("credit/".length);
      prices.push({ address: change.address, fields: moved, reaches: listOf(accounts), basis: "all-accounts", users: usersOf(accounts), usage: usageReach(index, (row) => row.operation_type === op) });
      continue;
    }
    prices.push(modelReach(change.address, change.address.slice("model/".length), moved));
  }

  function defaultReach(field: string, b: JsonValue | undefined, a: JsonValue | undefined): DefaultChangeReach {
    const { before: eb, after: ea } = resolved();
    const keys = keysOf(field);
    const reached: string[] = [];
    const shielded: string[] = [];
    const partly: { account: string; keeps: string[] }[] = [];
    /** account -> the models its reached integrations used before (for the usage side). */
    const usedModels = new Map<string, Set<string> | "all">();
    for (const slug of accounts) {
      const vb = eb.get(slug)!;
      const va = ea.get(slug)!;
      const moved = keys.filter((k) => !same(vb[k.key], va[k.key]));
      if (!moved.length) {
        shielded.push(slug);
        continue;
      }
      reached.push(slug);
      const keeps = keys.filter((k) => !moved.includes(k)).map((k) => k.label);
      if (keeps.length) partly.push({ account: slug, keeps });
      if (moved.some((k) => k.type === null)) usedModels.set(slug, "all");
      else {
        const models = new Set<string>();
        for (const k of moved) {
          const m = vb[`integration.${k.type}.model`];
          if (typeof m === "string") models.add(m);
        }
        usedModels.set(slug, models);
      }
    }
    return {
      field,
      before: b ?? null,
      after: a ?? null,
      reaches: listOf(reached),
      shielded: listOf(shielded),
      partly_shielded: partly.slice(0, MAX_LISTED_ACCOUNTS),
      users: usersOf(reached),
      usage: usageReach(index, (row) => {
        const used = usedModels.get(row.account);
        return used === "all" || (used !== undefined && row.model_id !== null && used.has(row.model_id));
      }),
    };
  }

  function modelReach(address: string, modelId: string, moved: string[]): PriceChangeReach {
    const { before: eb, after: ea } = resolved();
    const viaIntegration = new Set<string>();
    for (const slug of accounts) {
      for (const values of [eb.get(slug)!, ea.get(slug)!]) {
        const usesIt = Object.entries(values).some(([key, v]) => INTEGRATION_MODEL_KEY.test(key) && v === modelId) || accountAiModel(values) === modelId;
        if (usesIt) viaIntegration.add(slug);
      }
    }
    const viaUsers = (audience?.user_models ?? []).filter((u) => u.model === modelId);
    const reached = new Set([...viaIntegration, ...viaUsers.map((u) => u.account)]);
    const users = audience ? (usersOf(viaIntegration) ?? 0) + viaUsers.filter((u) => !viaIntegration.has(u.account)).length : null;
    return { address, fields: moved, reaches: listOf(reached), basis: "effective-model", users, usage: usageReach(index, (row) => row.model_id === modelId) };
  }

  const broken: BrokenOverride[] = [];
  for (const [addr, override] of after.overrides) {
    const was = before.overrides.get(addr);
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

  return {
    accounts_total: accounts.length,
    users_total: audience ? usersOf(accounts) : null,
    usage_days: input.usage?.days ?? null,
    defaults,
    prices,
    broken_overrides: broken,
  };
}
