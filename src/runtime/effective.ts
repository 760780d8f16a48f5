import { formatOrigin, type EffectiveConfig } from "../domain/effective.js";

/*
 * The effective-configuration merge lives in domain/effective.ts (the plan's
 * blast radius resolves with it too); here are its two printed forms.
 */
export * from "../domain/effective.js";

/** Text like `git config --show-origin`: origin, tab, key=value. */
export function renderEffectiveText(config: EffectiveConfig): string {
  const rows = config.entries.map((e) => [formatOrigin(e.origin), `${e.key}=${typeof e.value === "string" ? e.value : JSON.stringify(e.value)}`] as const);
  const width = Math.max(0, ...rows.map(([o]) => o.length));
  return rows.map(([o, kv]) => `${o.padEnd(width)}\t${kv}`).join("\n") + (rows.length ? "\n" : "");
}

/** The stable JSON form: entries with origins as strings and as data. */
/** The effective configuration as the JSON `resolve --json` prints. */
export function effectiveJson(config: EffectiveConfig, subject: { account: string; user?: number }) {
  return {
    account: subject.account,
    ...(subject.user !== undefined ? { user: subject.user } : {}),
    entries: config.entries.map((e) => ({
      key: e.key,
      value: e.value,
      origin: formatOrigin(e.origin),
      layer: e.origin.layer,
      shadows: e.shadows.map((s) => ({ value: s.value, origin: formatOrigin(s.origin) })),
    })),
  };
}
