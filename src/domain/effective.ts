import type { SourceRef } from "./diagnostic.js";
import { INTEGRATION_PROVIDERS, fieldType, isSecret, type FieldValue, type JsonValue, type Resource } from "./resources.js";
import { declaredBaseOf, GENERAL_FIELDS, globalBaseOf, overrideFieldsForModelType, overrideFieldsOf } from "./inheritance.js";

/*
 * Effective configuration (SPEC §2.5): Global -> Account -> User, later wins,
 * each value with where it came from, like `git config --show-origin`. The
 * merge is pure; `cfgsync resolve` feeds it config + database, the runtime
 * library feeds it the database alone, and both print the same values.
 *
 * Keys:
 *   integration.<general field>        the global singleton's general settings
 *   integration.<type>.<field>         a provider default, shadowed by the account's override of that type
 *   settings.<key>                     an account setting, shadowed by the user's setting of the same key
 * A user setting replaces the account setting of the same key as a whole (the
 * platform stores one JSON value per key): no deep merge. API keys are never
 * part of the effective configuration.
 */

export type Layer = "global" | "account" | "user";

export type Origin =
  | { layer: Layer; kind: "file"; file: string; line: number; col: number }
  | { layer: Layer; kind: "database"; table: string; id?: number };

export interface Contribution {
  key: string;
  value: JsonValue;
  origin: Origin;
}

export interface EffectiveEntry extends Contribution {
  /** Lower layers' values this one replaces, nearest first. */
  shadows: { value: JsonValue; origin: Origin }[];
}

export interface EffectiveConfig {
  entries: EffectiveEntry[];
}

const LAYER_RANK: Record<Layer, number> = { global: 0, account: 1, user: 2 };

/** Later layers win; within a layer, the last contribution for a key wins. */
export function mergeLayers(contributions: readonly Contribution[]): EffectiveConfig {
  const byKey = new Map<string, Contribution[]>();
  for (const c of [...contributions].sort((a, b) => LAYER_RANK[a.origin.layer] - LAYER_RANK[b.origin.layer])) {
    const list = byKey.get(c.key) ?? [];
    list.push(c);
    byKey.set(c.key, list);
  }
  const entries = [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, list]) => {
      const winner = list[list.length - 1]!;
      const shadows = list.slice(0, -1).reverse().map((c) => ({ value: c.value, origin: c.origin }));
      return { key, value: winner.value, origin: winner.origin, shadows };
    });
  return { entries };
}

/** key -> value, for callers that do not need origins. */
export function effectiveValues(config: EffectiveConfig): Record<string, JsonValue> {
  return Object.fromEntries(config.entries.map((e) => [e.key, e.value]));
}

/** `file:config/integrations.yaml:4:3` / `database:user_settings#12`. */
export function formatOrigin(o: Origin): string {
  if (o.kind === "file") return `file:${o.file}:${o.line}:${o.col}`;
  return `database:${o.table}${o.id !== undefined ? `#${o.id}` : ""}`;
}

/**
 * A field's value as the platform reads it: decimals that are model parameters
 * (temperature) as JSON numbers, secrets never.
 */
function platformValue(kind: Resource["kind"], field: string, v: FieldValue | undefined): JsonValue | undefined {
  if (v === null || v === undefined || isSecret(v)) return undefined;
  if (fieldType(kind, field) === "decimal" && (typeof v === "string" || typeof v === "number")) return Number(v);
  return v;
}

/** Where a field of a resource came from: its declaration in config, else the database row. */
export type OriginOf = (r: Resource, field: string) => Origin;

export function originFromResource(layer: Layer, table: string, id?: (r: Resource) => number | undefined): OriginOf {
  return (r, field) => {
    const at: SourceRef | undefined = r.fieldSources?.[field] ?? r.source;
    if (at) return { layer, kind: "file", file: at.file, line: at.line, col: at.col };
    const rowId = id?.(r);
    return rowId === undefined ? { layer, kind: "database", table } : { layer, kind: "database", table, id: rowId };
  };
}

/**
 * The global singleton's values: general settings and each provider's defaults
 * (with image quality/style inherited), then the integration types config
 * declares beyond the seed's five (issue #10), from their own rows.
 */
export function globalContributions(global: Resource | undefined, originOf: OriginOf, declared: readonly Resource[] = []): Contribution[] {
  const out: Contribution[] = [];
  const add = (from: Resource, key: string, field: string) => {
    const value = platformValue(from.kind, field, from.fields[field]);
    if (value !== undefined) out.push({ key, value, origin: originOf(from, field) });
  };
  if (global) {
    for (const field of GENERAL_FIELDS) add(global, `integration.${field}`, field);
    for (const type of INTEGRATION_PROVIDERS) {
      for (const field of overrideFieldsOf(type)) {
        const base = globalBaseOf(type, field);
        if (base) add(global, `integration.${type}.${field}`, base);
      }
    }
  }
  for (const r of declared) {
    if (r.kind !== "integration-type") continue;
    for (const field of overrideFieldsForModelType(String(r.fields.model_type))) {
      const base = declaredBaseOf(r, field);
      const key = `integration.${r.key.integration_type}.${field}`;
      if (base === "own") add(r, key, field);
      else if (base && global) add(global, key, base);
    }
  }
  return out;
}

/** An account's settings and integration overrides (only the fields it sets). */
export function accountContributions(resources: readonly Resource[], originOf: OriginOf): Contribution[] {
  const out: Contribution[] = [];
  for (const r of resources) {
    if (r.kind === "account-setting") {
      out.push({ key: `settings.${r.key.key}`, value: (r.fields.value ?? null) as JsonValue, origin: originOf(r, "value") });
    } else if (r.kind === "account-integration") {
      for (const [field, v] of Object.entries(r.fields)) {
        const value = platformValue("account-integration", field, v);
        if (value !== undefined) out.push({ key: `integration.${r.key.integration_type}.${field}`, value, origin: originOf(r, field) });
      }
    }
  }
  return out;
}

export interface UserSettingRow {
  id: number;
  key: string;
  value: JsonValue;
}

export function userContributions(rows: readonly UserSettingRow[]): Contribution[] {
  return rows.map((row) => ({
    key: `settings.${row.key}`,
    value: row.value,
    origin: { layer: "user", kind: "database", table: "user_settings", id: row.id },
  }));
}

/**
 * The resources an account has after config is applied: what config declares
 * for it replaces the row at the same address; rows config does not manage
 * (saved by the platform) stay. This is what `resolve` shows before an apply.
 */
export function overlayAccountResources(account: string, declared: readonly Resource[], stored: readonly Resource[]): Resource[] {
  const mine = (r: Resource) => (r.kind === "account-setting" || r.kind === "account-integration") && r.key.account === account;
  const byAddress = new Map(stored.filter(mine).map((r) => [r.address, r]));
  for (const r of declared.filter(mine)) byAddress.set(r.address, r);
  return [...byAddress.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
