import { UserError } from "../domain/diagnostic.js";
import { isSecret, KIND_ORDER, type FieldValue, type Resource, type ResourceKind } from "../domain/resources.js";
import { stateDigest } from "../plan/digest.js";
import { batchUpdateStatements } from "./batch-update.js";
import { NOT_NULL_COLUMNS, type SecretResolver } from "./columns.js";
import type { Dialect } from "./database-url.js";
import { acquireApplyLock } from "./lock.js";
import type { Db, PrismaValues, Tx } from "./prisma-client.js";
import { readLiveState } from "./read-live.js";
import { accountIdResolver, KIND_TABLES, type KindTable } from "./tables.js";
import type { ApplyRequest, RevisionRecord } from "./types.js";

/** Generous: a large catalog on a slow link must not be cut off mid-apply. */
const TRANSACTION_TIMEOUT_MS = 120_000;
const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
/** Prisma does not split a long `in` list itself and refuses more than 999 SQLite parameters. */
const IN_LIST_CHUNK = 400;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface ApplyContext {
  db: Db;
  dialect: Dialect;
  prisma: PrismaValues;
}

function missingSecret(name: string, where: string): UserError {
  return new UserError("apply.missing-secret", `environment variable ${name} is not set (needed by ${where})`, {
    suggestions: [`export ${name}=... in the environment that runs the apply`],
  });
}

/** Plaintext for a desired secret field: the env value its `from_env` names. */
function secretResolver(r: Resource, secrets: Record<string, string>): SecretResolver {
  return (field, value) => {
    if (value === null || value === undefined) return null;
    if (!isSecret(value)) throw new Error(`${r.address} ${field}: a secret field must be a reference, never a value`);
    if (value.from_env === undefined) return null;
    const plaintext = secrets[value.from_env];
    if (plaintext === undefined) throw missingSecret(value.from_env, `${r.address} ${field}`);
    return plaintext;
  };
}

/** Every secret the request references must be present before anything is written. */
export function checkSecrets(req: ApplyRequest): void {
  for (const r of [...req.creates, ...req.updates]) {
    for (const [field, value] of Object.entries(r.fields)) {
      if (isSecret(value) && value.from_env !== undefined && req.secrets[value.from_env] === undefined) {
        throw missingSecret(value.from_env, `${r.address} ${field}`);
      }
    }
  }
}

/** What last-applied state records: secrets as their digests only. */
function redactSecrets(fields: Record<string, FieldValue>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = isSecret(v) ? { sensitive: true, digest: v.digest, ...(v.from_env ? { from_env: v.from_env } : {}) } : v;
  }
  return out;
}

/** A bug, not a user error: refuse to record anything holding a secret's plaintext. */
function assertNoSecretValues(secrets: Record<string, string>, records: unknown): void {
  const text = JSON.stringify(records) ?? "";
  for (const [name, value] of Object.entries(secrets)) {
    if (value.length >= 4 && text.includes(value)) {
      throw new Error(`refusing to record the value of ${name} in the revision or resource state`);
    }
  }
}

function groupByKind(resources: Resource[]): Map<ResourceKind, Resource[]> {
  const groups = new Map<ResourceKind, Resource[]>();
  for (const kind of KIND_ORDER) groups.set(kind, []);
  for (const r of resources) groups.get(r.kind)!.push(r);
  return groups;
}

/** Prisma's generic delegate surface, enough for the bulk operations below. */
interface BulkDelegate {
  createMany(args: { data: Record<string, unknown>[] }): Promise<unknown>;
  deleteMany(args: { where: Record<string, unknown> }): Promise<unknown>;
  upsert(args: { where: Record<string, unknown>; create: Record<string, unknown>; update: Record<string, unknown> }): Promise<unknown>;
}
const delegate = (tx: Tx, table: KindTable) => tx[table.delegate] as unknown as BulkDelegate;

/** Row data for Prisma: no key for nulls in nullable Json (NULL), JsonNull in NOT NULL Json. */
function prismaData(ctx: ApplyContext, table: KindTable, values: Record<string, unknown>): Record<string, unknown> {
  const notNull = NOT_NULL_COLUMNS[table.table] ?? new Set<string>();
  const data: Record<string, unknown> = {};
  for (const c of table.columns) {
    const v = values[c.name];
    if (v === null || v === undefined) {
      if (c.type === "json" && notNull.has(c.name)) data[c.name] = ctx.prisma.JsonNull;
      // A NOT NULL column without a value takes its default; a nullable one is NULL.
      else if (!notNull.has(c.name) && c.type !== "json") data[c.name] = null;
      continue;
    }
    data[c.name] = v;
  }
  return data;
}

interface PreparedRow {
  resource: Resource;
  key: Record<string, unknown>;
  values: Record<string, unknown>;
}

async function writeKind(
  ctx: ApplyContext,
  tx: Tx,
  table: KindTable,
  rows: { creates: PreparedRow[]; updates: PreparedRow[]; deletes: PreparedRow[] },
): Promise<void> {
  const d = delegate(tx, table);
  for (const keys of chunks(rows.deletes.map((r) => r.key), IN_LIST_CHUNK)) {
    const where =
      table.keyColumns.length === 1
        ? { [table.keyColumns[0]!.name]: { in: keys.map((k) => k[table.keyColumns[0]!.name]) } }
        : { OR: keys };
    await d.deleteMany({ where });
  }
  if (table.kind === "integration") {
    // The singleton is one row (id = 1) whether it is created or updated.
    for (const row of [...rows.updates, ...rows.creates]) {
      const data = prismaData(ctx, table, row.values);
      await d.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
    }
    return;
  }
  if (rows.updates.length > 0) {
    const nowIso = new Date().toISOString().replace("Z", "+00:00");
    for (const stmt of batchUpdateStatements(ctx.dialect, table.table, table.keyColumns, table.columns, rows.updates, nowIso)) {
      await tx.$executeRawUnsafe(stmt.sql, ...stmt.params);
    }
  }
  if (rows.creates.length > 0) {
    await d.createMany({ data: rows.creates.map((r) => ({ ...r.key, ...prismaData(ctx, table, r.values) })) });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Applies a plan's changes in one transaction under the apply lock: re-reads the
 * live state, refuses if it is not the state the plan saw, writes in bulk,
 * records last-applied state and a revision. All or nothing.
 */
export async function applyChanges(ctx: ApplyContext, req: ApplyRequest): Promise<RevisionRecord> {
  checkSecrets(req);
  assertNoSecretValues(req.secrets, [req.revision, req.managedState]);
  const lockTimeoutMs = req.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;

  return ctx.db.$transaction(
    async (tx) => {
      await acquireApplyLock(tx, ctx.dialect, lockTimeoutMs);

      const live = await readLiveState(tx, { sequential: true });
      const actual = stateDigest(live);
      if (actual !== req.expectedStateDigest) {
        throw new UserError("plan.stale", "the database changed since the plan was made; the plan is stale", {
          suggestions: ["run cfgsync plan again and review the new plan"],
        });
      }

      // Everything is resolved (accounts, secrets) before the first write.
      const accountId = accountIdResolver(live.accounts);
      const prepare = (r: Resource, withValues: boolean): PreparedRow => {
        const table = KIND_TABLES[r.kind];
        return {
          resource: r,
          key: table.keyOf(r, accountId),
          values: withValues ? table.valuesOf(r, secretResolver(r, req.secrets)) : {},
        };
      };
      const creates = groupByKind(req.creates);
      const updates = groupByKind(req.updates);
      const deletes = groupByKind(req.deletes);
      const prepared = KIND_ORDER.map((kind) => ({
        table: KIND_TABLES[kind],
        rows: {
          creates: creates.get(kind)!.map((r) => prepare(r, true)),
          updates: updates.get(kind)!.map((r) => prepare(r, true)),
          deletes: deletes.get(kind)!.map((r) => prepare(r, false)),
        },
      }));

      for (const { table, rows } of prepared) await writeKind(ctx, tx, table, rows);

      const created = await tx.cfgsyncRevision.create({
        data: {
          created_at: new Date(),
          actor: req.revision.actor,
          git_commit: req.revision.git_commit,
          plan_digest: req.revision.plan_digest,
          config_digest: req.revision.config_digest,
          state_digest: req.revision.state_digest,
          summary: (req.revision.summary ?? ctx.prisma.JsonNull) as never,
          changes: (req.revision.changes ?? ctx.prisma.JsonNull) as never,
        },
      });

      const touched = [...req.managedState.remove, ...req.managedState.upsert.map((u) => u.address)];
      for (const addresses of chunks(touched, IN_LIST_CHUNK)) {
        await tx.cfgsyncResourceState.deleteMany({ where: { address: { in: addresses } } });
      }
      if (req.managedState.upsert.length > 0) {
        await tx.cfgsyncResourceState.createMany({
          data: req.managedState.upsert.map((u) => ({
            address: u.address,
            kind: u.kind,
            fields: redactSecrets(u.fields) as never,
            revision_id: created.id,
          })),
        });
      }

      const pauseMs = Number(process.env.CFGSYNC_TEST_PAUSE_IN_APPLY_MS ?? 0);
      if (pauseMs > 0) {
        // Test hook: the writes are done and the transaction is open; a test kills the process here.
        process.stderr.write("cfgsync: paused in apply (CFGSYNC_TEST_PAUSE_IN_APPLY_MS)\n");
        await sleep(pauseMs);
      }

      return toRevisionRecord(created);
    },
    { maxWait: lockTimeoutMs + 5_000, timeout: TRANSACTION_TIMEOUT_MS },
  );
}

export function toRevisionRecord(row: {
  id: number;
  created_at: Date;
  git_commit: string | null;
  actor: string;
  plan_digest: string;
  config_digest: string;
  state_digest: string;
  summary: unknown;
  changes: unknown;
}): RevisionRecord {
  return {
    id: row.id,
    created_at: row.created_at.toISOString(),
    git_commit: row.git_commit,
    actor: row.actor,
    plan_digest: row.plan_digest,
    config_digest: row.config_digest,
    state_digest: row.state_digest,
    summary: row.summary,
    changes: row.changes,
  };
}
