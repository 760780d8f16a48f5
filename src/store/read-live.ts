import { KIND_ORDER, type FieldType, type FieldValue, type Resource, type ResourceKind } from "../domain/resources.js";
import type { LiveState } from "../domain/state.js";
import type { Row, SqlDb } from "./sql-db.js";
import { boolFromSql, jsonFromSql, quoteName } from "./sql-values.js";
import { KIND_TABLES, type Column } from "./tables.js";
import { secretDigester } from "../domain/digest.js";
import { readSecretSalt } from "./secret-salt.js";

/*
 * The live state, one SELECT per table whatever the row count. Each SELECT
 * lists the columns tables.ts maps (keys and written columns, nothing else),
 * and each value is decoded by its field type, so toResource sees the same
 * values on both dialects.
 */

export type TableName = ResourceKind | "accounts" | "lastApplied";

const DECODE: Record<FieldType, (v: unknown, db: SqlDb) => unknown> = {
  string: (v) => v,
  date: (v) => v,
  secret: (v) => v,
  decimal: (v) => v,
  int: (v) => Math.trunc(Number(v)),
  bool: boolFromSql,
  json: (v, db) => jsonFromSql(db.dialect, v),
};

/** Table and columns of each read, from tables.ts: no column list written twice. */
const READS: Record<TableName, { table: string; columns: Column[] }> = {
  accounts: {
    table: "account",
    columns: [
      { name: "id", type: "int" },
      { name: "slug", type: "string" },
    ],
  },
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

async function readTable(db: SqlDb, { table, columns }: { table: string; columns: Column[] }): Promise<Row[]> {
  const rows = await db.query(`SELECT ${columns.map((c) => quoteName(c.name)).join(", ")} FROM ${quoteName(table)}`);
  for (const row of rows) {
    for (const c of columns) {
      const v = row[c.name];
      row[c.name] = v === null || v === undefined ? null : DECODE[c.type](v, db);
    }
  }
  return rows;
}

const byAddress = (a: Resource, b: Resource) =>
  KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);

/** The live state from each table's decoded rows. */
export function toLiveState(results: Record<TableName, Row[]>, secretSalt: string): LiveState {
  const accounts = new Map<string, number>();
  const slugById = new Map<number, string>();
  for (const row of results.accounts) {
    accounts.set(String(row.slug), Number(row.id));
    slugById.set(Number(row.id), String(row.slug));
  }

  const ctx = { slugOf: (id: number) => slugById.get(id), digestSecret: secretDigester(secretSalt) };
  const resources: Resource[] = [];
  for (const kind of KIND_ORDER) {
    for (const row of results[kind]) {
      const resource = KIND_TABLES[kind].toResource(row, ctx);
      if (resource) resources.push(resource);
    }
  }
  resources.sort(byAddress);

  const lastApplied = new Map<string, Record<string, FieldValue>>();
  for (const row of results.lastApplied) {
    lastApplied.set(String(row.address), (row.fields ?? {}) as Record<string, FieldValue>);
  }
  return { resources, lastApplied, accounts, secretSalt };
}

/**
 * Reads the live state in the same normalised shape as the desired state, one
 * statement per table. On a pool the tables are read concurrently; inside a
 * transaction (`db` is its connection) the driver sends them one after another.
 */
export async function readLiveState(db: SqlDb): Promise<LiveState> {
  const names = Object.keys(READS) as TableName[];
  const [salt, ...rows] = await Promise.all([readSecretSalt(db), ...names.map((name) => readTable(db, READS[name]))]);
  return toLiveState(Object.fromEntries(names.map((name, i) => [name, rows[i]!])) as Record<TableName, Row[]>, salt as string);
}
