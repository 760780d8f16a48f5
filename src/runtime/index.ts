import { UserError } from "../domain/diagnostic.js";
import type { JsonValue } from "../domain/resources.js";
import { jsonFromSql, timestampFromSql } from "../store/sql-values.js";
import { openRuntimeDb, whenMigrated, type SqlDb } from "./db.js";
import {
  accountContributions,
  globalContributions,
  mergeLayers,
  userContributions,
  type EffectiveConfig,
} from "./effective.js";
import { cleanOverrideConfig, requireIntegrationType } from "./override-validation.js";
import {
  readAccount,
  readAccountResources,
  readCatalog,
  readDeclaredIntegrations,
  readGlobal,
  readSettingsSchemas,
  readUserSettings,
  requireUserOfAccount,
} from "./read.js";
import { declaredIntegration } from "../domain/inheritance.js";
import { settingsKey } from "../schema/documents.js";
import { jsonCopy, stripApiKeys } from "./sanitize.js";
import { SettingsValidator } from "./settings-validation.js";

/*
 * The library the platform imports (`cfgsync/runtime`): effective settings
 * and the seed's save flows, on the same database cfgsync applies to.
 */

export type { EffectiveConfig, EffectiveEntry, Origin } from "./effective.js";
export { effectiveValues, formatOrigin } from "./effective.js";
export { stripApiKeys } from "./sanitize.js";

export interface UserSettingRecord {
  id: number;
  user_id: number;
  account_id: number;
  key: string;
  value: JsonValue;
  created_at: string;
  updated_at: string;
}

export interface IntegrationOverrideRecord {
  id: number;
  account_id: number;
  integration_type: string;
  config: Record<string, JsonValue>;
  updated_at: string;
}

export interface Runtime {
  /** Global -> Account -> User, later wins, each value with its origin. */
  resolveEffectiveConfig(who: { accountId: number; userId?: number }): Promise<EffectiveConfig>;
  /** Validate against the live schema, strip API keys, create or update (user, account, key) atomically. */
  saveUserSetting(input: { userId: number; accountId: number; key: string; value: unknown }): Promise<UserSettingRecord>;
  /** Strip API keys, refuse anything but the type's override fields, create or replace (account, type). */
  saveIntegrationOverride(input: { accountId: number; integrationType: string; config: unknown }): Promise<IntegrationOverrideRecord>;
  close(): Promise<void>;
}

/** The resolved effective configuration from the database alone (what the platform sees right now). */
export async function resolveFromDatabase(db: SqlDb, who: { accountId: number; userId?: number }): Promise<EffectiveConfig> {
  const account = await readAccount(db, { id: who.accountId });
  if (who.userId !== undefined) await requireUserOfAccount(db, who.userId, account.id);
  const [global, declared, stored, userRows] = await Promise.all([
    readGlobal(db),
    readDeclaredIntegrations(db),
    readAccountResources(db, account),
    who.userId === undefined ? Promise.resolve([]) : readUserSettings(db, who.userId, account.id),
  ]);
  return mergeLayers([
    ...globalContributions(
      global,
      (r) =>
        r.kind === "integration-type"
          ? { layer: "global", kind: "database", table: "integration_type_settings" }
          : { layer: "global", kind: "database", table: "global_integration_settings", id: 1 },
      declared,
    ),
    ...accountContributions(stored.resources, (r) => {
      const table = r.kind === "account-setting" ? "account_settings" : "integration_settings";
      const id = stored.rowIds.get(r.address);
      return id === undefined ? { layer: "account", kind: "database", table } : { layer: "account", kind: "database", table, id };
    }),
    ...userContributions(userRows),
  ]);
}

// Parameters are bound by the SqlDb (sql-values.ts): Dates as Prisma's stored form; PostgreSQL needs the casts.
const jsonb = (db: SqlDb, n: number) => (db.dialect === "sqlite" ? `$${n}` : `$${n}::jsonb`);
const ts = (db: SqlDb, n: number) => (db.dialect === "sqlite" ? `$${n}` : `$${n}::timestamp`);
const timestampOut = (v: unknown) => timestampFromSql(v).toISOString();

/** Create-or-update in ONE statement on the unique index: concurrent saves of one key can never make two rows. */
export async function upsertUserSetting(
  db: SqlDb,
  row: { userId: number; accountId: number; key: string; value: JsonValue },
  now: Date,
): Promise<UserSettingRecord> {
  const [saved] = await db.query(
    `INSERT INTO user_settings (user_id, account_id, key, value, created_at, updated_at)
     VALUES ($1, $2, $3, ${jsonb(db, 4)}, ${ts(db, 5)}, ${ts(db, 5)})
     ON CONFLICT (user_id, account_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
     RETURNING id, user_id, account_id, key, value, created_at, updated_at`,
    [row.userId, row.accountId, row.key, JSON.stringify(row.value), now],
  );
  if (!saved) throw new Error("upsert of user_settings returned no row");
  return {
    id: Number(saved.id),
    user_id: Number(saved.user_id),
    account_id: Number(saved.account_id),
    key: String(saved.key),
    value: jsonFromSql(db.dialect, saved.value) as JsonValue,
    created_at: timestampOut(saved.created_at),
    updated_at: timestampOut(saved.updated_at),
  };
}

export async function upsertIntegrationOverride(
  db: SqlDb,
  row: { accountId: number; integrationType: string; config: Record<string, JsonValue> },
  now: Date,
): Promise<IntegrationOverrideRecord> {
  const [saved] = await db.query(
    `INSERT INTO integration_settings (account_id, integration_type, config, updated_at)
     VALUES ($1, $2, ${jsonb(db, 3)}, ${ts(db, 4)})
     ON CONFLICT (account_id, integration_type) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at
     RETURNING id, account_id, integration_type, config, updated_at`,
    [row.accountId, row.integrationType, JSON.stringify(row.config), now],
  );
  if (!saved) throw new Error("upsert of integration_settings returned no row");
  return {
    id: Number(saved.id),
    account_id: Number(saved.account_id),
    integration_type: String(saved.integration_type),
    config: jsonFromSql(db.dialect, saved.config) as Record<string, JsonValue>,
    updated_at: timestampOut(saved.updated_at),
  };
}

function requireId(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) throw new UserError("runtime.invalid-id", `${name} must be a positive integer id`);
  return v;
}

export async function createRuntime(opts: { databaseUrl: string; poolSize?: number; clock?: () => Date }): Promise<Runtime> {
  const db = await openRuntimeDb(opts.databaseUrl, opts.poolSize !== undefined ? { poolSize: opts.poolSize } : {});
  const clock = opts.clock ?? (() => new Date());
  const validator = new SettingsValidator();
  return {
    resolveEffectiveConfig: (who) =>
      whenMigrated(opts.databaseUrl, () =>
        resolveFromDatabase(db, { accountId: requireId("accountId", who.accountId), ...(who.userId !== undefined ? { userId: requireId("userId", who.userId) } : {}) }),
      ),

    saveUserSetting: (input) =>
      whenMigrated(opts.databaseUrl, async () => {
        const userId = requireId("userId", input.userId);
        const accountId = requireId("accountId", input.accountId);
        if (typeof input.key !== "string" || !settingsKey.safeParse(input.key).success) {
          throw new UserError("settings.key-missing", "a settings key is required: lowercase letters, digits and '_', at most 100 characters");
        }
        // One copy: the object validated below is the object stored.
        const { value } = stripApiKeys(jsonCopy(input.value, `the value for "${input.key}"`, "settings.not-json"));
        validator.validate(input.key, value, await readSettingsSchemas(db));
        await requireUserOfAccount(db, userId, accountId);
        return upsertUserSetting(db, { userId, accountId, key: input.key, value }, clock());
      }),

    saveIntegrationOverride: (input) =>
      whenMigrated(opts.databaseUrl, async () => {
        const accountId = requireId("accountId", input.accountId);
        const type = String(input.integrationType);
        const [catalog, global, declared] = await Promise.all([readCatalog(db), readGlobal(db), readDeclaredIntegrations(db)]);
        const target = requireIntegrationType(type, declared);
        const globalModel = declaredIntegration(type, declared)?.fields.model ?? global?.fields[`${type}_model`];
        const config = cleanOverrideConfig(type, target, input.config, catalog, typeof globalModel === "string" ? globalModel : null);
        await readAccount(db, { id: accountId });
        return upsertIntegrationOverride(db, { accountId, integrationType: type, config }, clock());
      }),

    close: () => db.close(),
  };
}
