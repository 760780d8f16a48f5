import { KIND_ORDER, type FieldType, type FieldValue, type Resource, type ResourceKind } from "../domain/resources.js";
import type { LiveState } from "../domain/state.js";
import { markRead, type DriverReader, type DriverResult } from "./driver-reads.js";
import type { Queryable } from "./prisma-client.js";
import { quoteName } from "./sql-values.js";
import { KIND_TABLES, type Column } from "./tables.js";

type Rows = Record<string, unknown>[];
type TableName = ResourceKind | "accounts" | "lastApplied";

/** One findMany per table, whatever the row count. */
function prismaReaders(q: Queryable) {
  return {
    accounts: () => q.account.findMany({ select: { id: true, slug: true } }) as Promise<Rows>,
    lastApplied: () => q.cfgsyncResourceState.findMany({ select: { address: true, fields: true } }) as Promise<Rows>,
    model: () => q.aIModelConfig.findMany() as Promise<Rows>,
    credit: () => q.creditCostConfig.findMany() as Promise<Rows>,
    integration: () => q.globalIntegrationSettings.findMany() as Promise<Rows>,
    "integration-type": () => q.integrationTypeSettings.findMany() as Promise<Rows>,
    "settings-schema": () => q.settingsSchema.findMany() as Promise<Rows>,
    "account-setting": () => q.accountSettings.findMany() as Promise<Rows>,
    "account-integration": () => q.integrationSettings.findMany() as Promise<Rows>,
  } satisfies Record<TableName, () => Promise<Rows>>;
}

/** `sequential`: an interactive transaction's one connection takes one statement at a time. */
async function readAll<N extends string>(readers: Record<N, () => Promise<Rows>>, sequential: boolean): Promise<Record<N, Rows>> {
  const names = Object.keys(readers) as N[];
  const results = {} as Record<N, Rows>;
  if (sequential) {
    for (const name of names) results[name] = await readers[name]();
  } else {
    const all = await Promise.all(names.map((name) => readers[name]()));
    names.forEach((name, i) => (results[name] = all[i]!));
  }
  return results;
}

/*
 * The driver path. Each table's SELECT lists the columns tables.ts maps (keys
 * and written columns, nothing else), and each value is converted as Prisma's
 * result mapper converts its field type, so toResource sees what findMany
 * would have handed it. What the adapters return: SQLite integers (and so
 * booleans, stored 1/0) as decimal strings, JSON as its TEXT; PostgreSQL int4
 * and boolean as JS values, jsonb as its text, NUMERIC as its text (Prisma
 * makes a Decimal of it; toResource canonicalises either the same way).
 */

/** Prisma's Boolean mapping: JS boolean, 1, or "1"/"true"/"0"/"false" text. */
function toBool(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v === 1;
  if (v === "1" || v === "true" || v === "TRUE") return true;
  if (v === "0" || v === "false" || v === "FALSE") return false;
  throw new Error(`expected a boolean, got ${typeof v}: ${String(v)}`);
}

const CONVERT: Record<FieldType, (v: unknown) => unknown> = {
  string: (v) => v,
  date: (v) => v,
  secret: (v) => v,
  decimal: (v) => v,
  int: (v) => Math.trunc(Number(v)),
  bool: toBool,
  // Prisma parses JSON from its text with JSON.parse, as here.
  json: (v) => JSON.parse(String(v)) as unknown,
};

/** Table and columns of each driver read, from tables.ts: no column list written twice. */
const DRIVER_TABLES: Record<Exclude<TableName, "accounts">, { table: string; columns: Column[] }> = {
  lastApplied: {
    table: "cfgsync_resource_state",
    columns: [
      { name: "address", type: "string" },
      { name: "fields", type: "json" },
    ],
  },
  ...(Object.fromEntries(
    KIND_ORDER.map((kind) => [kind, { table: KIND_TABLES[kind].table, columns: [...KIND_TABLES[kind].keyColumns, ...KIND_TABLES[kind].columns] }]),
  ) as Record<ResourceKind, { table: string; columns: Column[] }>),
};

const selectSql = ({ table, columns }: { table: string; columns: Column[] }) =>
  `SELECT ${columns.map((c) => quoteName(c.name)).join(", ")} FROM ${quoteName(table)}`;

function toRows(result: DriverResult, columns: Column[]): Rows {
  const convert = result.columnNames.map((name) => {
    const type = columns.find((c) => c.name === name)?.type;
    if (!type) throw new Error(`unexpected column ${name}`);
    return CONVERT[type];
  });
  return result.rows.map((values) => {
    const row: Record<string, unknown> = {};
    result.columnNames.forEach((name, i) => {
      const v = values[i];
      row[name] = v === null || v === undefined ? null : convert[i]!(v);
    });
    return row;
  });
}

function driverReaders(driver: DriverReader) {
  return Object.fromEntries(
    Object.entries(DRIVER_TABLES).map(([name, spec]) => [name, async () => toRows(await driver.query(selectSql(spec)), spec.columns)]),
  ) as Record<keyof typeof DRIVER_TABLES, () => Promise<Rows>>;
}

const byAddress = (a: Resource, b: Resource) =>
  KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

/** The live state from rows as findMany returns them. */
function toLiveState(results: Record<TableName, Rows>): LiveState {
  const accounts = new Map<string, number>();
  const slugById = new Map<number, string>();
  for (const row of results.accounts) {
    accounts.set(String(row.slug), Number(row.id));
    slugById.set(Number(row.id), String(row.slug));
  }

  const resources: Resource[] = [];
  for (const kind of KIND_ORDER) {
    for (const row of results[kind]) {
      const resource = KIND_TABLES[kind].toResource(row, (id) => slugById.get(id));
      if (resource) resources.push(resource);
    }
  }
  resources.sort(byAddress);

  const lastApplied = new Map<string, Record<string, FieldValue>>();
  for (const row of results.lastApplied) {
    lastApplied.set(String(row.address), (row.fields ?? {}) as Record<string, FieldValue>);
  }
  return { resources, lastApplied, accounts };
}

/** The live state read through Prisma's findMany: the reference the driver path must equal (and its fallback). */
export async function readLiveStateWithPrisma(q: Queryable, opts: { sequential: boolean }): Promise<LiveState> {
  return toLiveState(await readAll(prismaReaders(q), opts.sequential));
}

/**
 * Reads the live state in the same normalised shape as the desired state, one
 * statement per table. `sequential`: inside an interactive transaction (`q` is
 * its `tx`), whose one connection takes one statement at a time; outside one,
 * the tables are read concurrently.
 */
export async function readLiveState(q: Queryable, opts: { sequential: boolean }): Promise<LiveState> {
  // The accounts go through Prisma (a few small rows), carrying the marker that finds q's driver connection.
  const marked = markRead(`SELECT "id", "slug" FROM "account"`);
  const accounts = await q.$queryRawUnsafe<Rows>(marked.sql);
  const driver = marked.take();
  // Not a tracked adapter (see connect.ts): findMany reads the same rows, only slower.
  const rest = driver ? await readAll(driverReaders(driver), opts.sequential) : await readAll(prismaReaders(q), opts.sequential);
  return toLiveState({ ...rest, accounts });
}
