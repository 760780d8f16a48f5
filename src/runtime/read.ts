import { UserError } from "../domain/diagnostic.js";
import type { JsonValue, Resource } from "../domain/resources.js";
import { KIND_TABLES } from "../store/tables.js";
import { boolFromSql, jsonFromSql } from "../store/sql-values.js";
import type { SqlDb } from "./db.js";
import type { CatalogModel } from "./override-validation.js";
import type { UserSettingRow } from "./effective.js";

/*
 * The runtime's reads: a handful of indexed lookups per call, rows mapped to
 * the same normalised Resources the store produces (so `resolve` and the
 * runtime merge identical values).
 */

type Row = Record<string, unknown>;

/**
 * The runtime never compares or returns API keys (effective settings leave
 * them out, domain/effective.ts), so it reads no salt and digests nothing: a
 * key reads as unset here.
 */
const KEYS_LEFT_OUT = () => null;
const noAccounts = { slugOf: () => undefined, digestSecret: KEYS_LEFT_OUT };

export interface AccountRow {
  id: number;
  slug: string;
}

export async function readAccount(db: SqlDb, by: { id: number } | { slug: string }): Promise<AccountRow> {
  const [row] =
    "id" in by
      ? await db.query(`SELECT id, slug FROM account WHERE id = $1`, [by.id])
      : await db.query(`SELECT id, slug FROM account WHERE slug = $1`, [by.slug]);
  if (!row) {
    const which = "id" in by ? `id ${by.id}` : `"${by.slug}"`;
    throw new UserError("runtime.unknown-account", `account ${which} does not exist in the database`);
  }
  return { id: Number(row.id), slug: String(row.slug) };
}

/** The user, checked to belong to the account (the seed's ViewSet takes both from the authenticated request). */
export async function requireUserOfAccount(db: SqlDb, userId: number, accountId: number): Promise<void> {
  const [row] = await db.query(`SELECT account_id FROM app_user WHERE id = $1`, [userId]);
  if (!row) throw new UserError("runtime.unknown-user", `user ${userId} does not exist in the database`);
  if (Number(row.account_id) !== accountId) {
    throw new UserError("runtime.user-account-mismatch", `user ${userId} does not belong to account ${accountId}`);
  }
}

/** The global singleton (id = 1) as a Resource; undefined before the first apply. */
export async function readGlobal(db: SqlDb): Promise<Resource | undefined> {
  const [row] = await db.query(`SELECT * FROM global_integration_settings WHERE id = 1`);
  return row ? KIND_TABLES.integration.toResource(row, noAccounts) : undefined;
}

/** The integration types config declared beyond the seed's five (their own rows), as Resources. */
export async function readDeclaredIntegrations(db: SqlDb): Promise<Resource[]> {
  const rows = await db.query(`SELECT * FROM integration_type_settings ORDER BY integration_type`);
  return rows.flatMap((row) => KIND_TABLES["integration-type"].toResource(row, noAccounts) ?? []);
}

export interface StoredAccountResources {
  resources: Resource[];
  /** address -> row id, for origins like `database:account_settings#7`. */
  rowIds: Map<string, number>;
}

/** An account's settings and integration overrides, as Resources. */
export async function readAccountResources(db: SqlDb, account: AccountRow): Promise<StoredAccountResources> {
  const ctx = { slugOf: (id: number) => (id === account.id ? account.slug : undefined), digestSecret: KEYS_LEFT_OUT };
  const [settings, integrations] = await Promise.all([
    db.query(`SELECT id, account_id, key, value FROM account_settings WHERE account_id = $1`, [account.id]),
    db.query(`SELECT id, account_id, integration_type, config FROM integration_settings WHERE account_id = $1`, [account.id]),
  ]);
  const resources: Resource[] = [];
  const rowIds = new Map<string, number>();
  const add = (r: Resource | undefined, row: Row) => {
    if (!r) return;
    resources.push(r);
    rowIds.set(r.address, Number(row.id));
  };
  for (const row of settings) add(KIND_TABLES["account-setting"].toResource({ ...row, value: jsonFromSql(db.dialect, row.value) }, ctx), row);
  for (const row of integrations) add(KIND_TABLES["account-integration"].toResource({ ...row, config: jsonFromSql(db.dialect, row.config) }, ctx), row);
  return { resources, rowIds };
}

export async function readUserSettings(db: SqlDb, userId: number, accountId: number): Promise<UserSettingRow[]> {
  const rows = await db.query(`SELECT id, key, value FROM user_settings WHERE user_id = $1 AND account_id = $2 ORDER BY key`, [userId, accountId]);
  return rows.map((r) => ({ id: Number(r.id), key: String(r.key), value: jsonFromSql(db.dialect, r.value) as JsonValue }));
}

/** key -> schema of every settings schema that is live. A small table, read whole. */
export async function readSettingsSchemas(db: SqlDb): Promise<Map<string, unknown>> {
  const rows = await db.query(`SELECT key, schema FROM settings_schema`);
  return new Map(rows.map((r) => [String(r.key), jsonFromSql(db.dialect, r.schema)]));
}

export async function readCatalog(db: SqlDb): Promise<Map<string, CatalogModel>> {
  const rows = await db.query(`SELECT model_id, model_type, provider, is_active, available_sizes, max_output_tokens FROM ai_model_config`);
  return new Map(
    rows.map((r) => [
      String(r.model_id),
      {
        model_id: String(r.model_id),
        model_type: String(r.model_type),
        provider: String(r.provider),
        is_active: boolFromSql(r.is_active),
        available_sizes: r.available_sizes == null ? null : jsonFromSql(db.dialect, r.available_sizes),
        max_output_tokens: r.max_output_tokens == null ? null : Number(r.max_output_tokens),
      },
    ]),
  );
}
