import { KIND_ORDER, type FieldValue, type Resource, type ResourceKind } from "../domain/resources.js";
import type { LiveState } from "../domain/state.js";
import type { Queryable } from "./prisma-client.js";
import { KIND_TABLES } from "./tables.js";

type Rows = Record<string, unknown>[];

/** One findMany per table, whatever the row count. */
function readTables(q: Queryable) {
  return {
    accounts: () => q.account.findMany({ select: { id: true, slug: true } }) as Promise<Rows>,
    lastApplied: () => q.cfgsyncResourceState.findMany({ select: { address: true, fields: true } }) as Promise<Rows>,
    model: () => q.aIModelConfig.findMany() as Promise<Rows>,
    credit: () => q.creditCostConfig.findMany() as Promise<Rows>,
    integration: () => q.globalIntegrationSettings.findMany() as Promise<Rows>,
    "settings-schema": () => q.settingsSchema.findMany() as Promise<Rows>,
    "account-setting": () => q.accountSettings.findMany() as Promise<Rows>,
    "account-integration": () => q.integrationSettings.findMany() as Promise<Rows>,
  } satisfies Record<ResourceKind | "accounts" | "lastApplied", () => Promise<Rows>>;
}

const byAddress = (a: Resource, b: Resource) =>
  KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

/**
 * Reads the live state in the same normalised shape as the desired state.
 * `sequential`: inside an interactive transaction, whose one connection takes
 * one statement at a time; outside one, the tables are read concurrently.
 */
export async function readLiveState(q: Queryable, opts: { sequential: boolean }): Promise<LiveState> {
  const readers = readTables(q);
  const names = Object.keys(readers) as (keyof typeof readers)[];
  const results: Partial<Record<keyof typeof readers, Rows>> = {};
  if (opts.sequential) {
    for (const name of names) results[name] = await readers[name]();
  } else {
    const all = await Promise.all(names.map((name) => readers[name]()));
    names.forEach((name, i) => (results[name] = all[i]));
  }

  const accounts = new Map<string, number>();
  const slugById = new Map<number, string>();
  for (const row of results.accounts ?? []) {
    accounts.set(String(row.slug), Number(row.id));
    slugById.set(Number(row.id), String(row.slug));
  }

  const resources: Resource[] = [];
  for (const kind of KIND_ORDER) {
    for (const row of results[kind] ?? []) {
      const resource = KIND_TABLES[kind].toResource(row, (id) => slugById.get(id));
      if (resource) resources.push(resource);
    }
  }
  resources.sort(byAddress);

  const lastApplied = new Map<string, Record<string, FieldValue>>();
  for (const row of results.lastApplied ?? []) {
    lastApplied.set(String(row.address), (row.fields ?? {}) as Record<string, FieldValue>);
  }
  return { resources, lastApplied, accounts };
}
