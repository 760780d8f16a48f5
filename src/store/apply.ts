import { UserError } from "../domain/diagnostic.js";
import { isSecret, KIND_ORDER, type FieldValue, type Resource, type ResourceKind } from "../domain/resources.js";
import { stateDigest } from "../domain/digest.js";
import { batchDeleteStatements } from "./batch-delete.js";
import { batchInsertStatements } from "./batch-insert.js";
import { batchUpdateStatements } from "./batch-update.js";
import { assertConverged } from "./converged.js";
import { NOT_NULL_COLUMNS, type SecretResolver } from "./columns.js";
import type { Dialect } from "./database-url.js";
import type { DriverTransaction, DriverTransactions } from "./driver-transaction.js";
import { acquireApplyLock, lockHolder, type HolderRecord } from "./lock.js";
import type { Db, PrismaValues, Tx } from "./prisma-client.js";
import { readLiveState } from "./read-live.js";
import { JsonText, timestampParam, type SqlColumn, type Statement } from "./sql-values.js";
import { accountIdResolver, KIND_TABLES, type KindTable } from "./tables.js";
import type { ApplyRequest, RevisionRecord } from "./types.js";

/** Generous: a large catalog on a slow link must not be cut off mid-apply. */
const TRANSACTION_TIMEOUT_MS = 120_000;
const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
export interface ApplyContext {
  db: Db;
  dialect: Dialect;
  prisma: PrismaValues;
  /** Where the bulk statements go: the driver transaction behind Prisma's (see driver-transaction.ts). */
  transactions: DriverTransactions;
  /** Where the lock's holder is published for waiters (see lock.ts). */
  holderRecord: HolderRecord;
}

/** A bug, not a user error: the flow writes only keys whose variable is set (plan/build.ts applicableDesired). */
function missingSecret(name: string, where: string): Error {
  return new Error(`no value for ${name} (needed by ${where}): the apply request names a key whose variable is unset`);
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
function assertNoSecretValues(secrets: Record<string, string>, recorded: readonly string[]): void {
  for (const [name, value] of Object.entries(secrets)) {
    if (value.length >= 4 && recorded.some((text) => text.includes(value))) {
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

/** The singleton's Prisma delegate: one row, upserted. */
interface UpsertDelegate {
  upsert(args: { where: Record<string, unknown>; create: Record<string, unknown>; update: Record<string, unknown> }): Promise<unknown>;
}

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

async function run(driver: DriverTransaction, statements: Statement[]): Promise<void> {
  for (const stmt of statements) await driver.execute(stmt);
}

const stampColumns = (names: readonly string[]): SqlColumn[] => names.map((name) => ({ name, type: "timestamp" }));

async function writeKind(
  ctx: ApplyContext,
  tx: Tx,
  driver: DriverTransaction,
  table: KindTable,
  rows: { creates: PreparedRow[]; updates: PreparedRow[]; deletes: PreparedRow[] },
  /** The apply's clock reading as a `timestampParam`. */
  stamp: string,
): Promise<void> {
  await run(driver, batchDeleteStatements(ctx.dialect, table.table, table.keyColumns, rows.deletes.map((r) => r.key)));
  if (table.kind === "integration") {
    // The singleton is one row (id = 1) whether it is created or updated.
    const d = tx[table.delegate] as unknown as UpsertDelegate;
    for (const row of [...rows.updates, ...rows.creates]) {
      const data = prismaData(ctx, table, row.values);
      await d.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
    }
    return;
  }
  await run(driver, batchUpdateStatements(ctx.dialect, table.table, table.keyColumns, table.columns, rows.updates, stamp));
  const stamps = Object.fromEntries(table.createdStamps.map((name) => [name, stamp]));
  await run(
    driver,
    batchInsertStatements(
      ctx.dialect,
      table.table,
      [...table.keyColumns, ...table.columns, ...stampColumns(table.createdStamps)],
      rows.creates.map((r) => ({ ...r.key, ...r.values, ...stamps })),
    ),
  );
}

const REVISION_COLUMNS: SqlColumn[] = [
  { name: "created_at", type: "timestamp" },
  { name: "git_commit", type: "string" },
  { name: "actor", type: "string" },
  { name: "plan_digest", type: "string" },
  { name: "config_digest", type: "string" },
  { name: "state_digest", type: "string" },
  { name: "summary", type: "json" },
  { name: "changes", type: "json" },
];

const STATE_COLUMNS: SqlColumn[] = [
  { name: "address", type: "string" },
  { name: "kind", type: "string" },
  { name: "fields", type: "json" },
  { name: "revision_id", type: "int" },
  { name: "updated_at", type: "timestamp" },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Applies a plan's changes in one transaction under the apply lock: re-reads the
 * live state, refuses if it is not the state the plan saw, writes in bulk,
 * records last-applied state and a revision. All or nothing.
 */
export async function applyChanges(ctx: ApplyContext, req: ApplyRequest): Promise<RevisionRecord> {
  checkSecrets(req);
  // Serialised once, here: the scan for secret values sees exactly the text that is written.
  const summaryText = JSON.stringify(req.revision.summary ?? null);
  const changesText = JSON.stringify(req.revision.changes ?? null);
  const stateRows = req.managedState.upsert.map((u) => ({ address: u.address, kind: u.kind, fields: JSON.stringify(redactSecrets(u.fields)) }));
  const { summary: _s, changes: _c, ...revisionScalars } = req.revision;
  assertNoSecretValues(req.secrets, [JSON.stringify(revisionScalars), summaryText, changesText, ...stateRows.map((r) => r.fields)]);
  const lockTimeoutMs = req.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  // Test hook, read when the apply starts (a test may unset it while this apply runs).
  const pauseMs = Number(process.env.CFGSYNC_TEST_PAUSE_IN_APPLY_MS ?? 0);
  const holder = lockHolder(req.holder ?? { actor: req.revision.actor });

  try {
    return await applyInTransaction(ctx, req, { lockTimeoutMs, pauseMs, holder, summaryText, changesText, stateRows, revisionScalars });
  } finally {
    // The lock ended with the transaction; its record goes too (only ours: a later holder's stays).
    await ctx.holderRecord.clear(holder).catch(() => {});
  }
}

async function applyInTransaction(
  ctx: ApplyContext,
  req: ApplyRequest,
  prepared: {
    lockTimeoutMs: number;
    pauseMs: number;
    holder: ReturnType<typeof lockHolder>;
    summaryText: string;
    changesText: string;
    stateRows: { address: string; kind: ResourceKind; fields: string }[];
    revisionScalars: Omit<ApplyRequest["revision"], "summary" | "changes">;
  },
): Promise<RevisionRecord> {
  const { lockTimeoutMs, pauseMs, holder, summaryText, changesText, stateRows, revisionScalars } = prepared;
  return ctx.db.$transaction(
    async (tx) => {
      await acquireApplyLock(tx, ctx.dialect, lockTimeoutMs, holder, ctx.holderRecord);

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

      // One clock reading for every row the apply stamps, as Prisma would set @default(now()) / @updatedAt.
      const now = new Date();
      const stamp = timestampParam(ctx.dialect, now);
      const driver = await ctx.transactions.of(tx, ctx.dialect);
      for (const { table, rows } of prepared) await writeKind(ctx, tx, driver, table, rows, stamp);
      if (req.creates.length || req.updates.length) assertConverged(await readLiveState(tx, { sequential: true }), [...req.creates, ...req.updates]);

      const [insertRevision] = batchInsertStatements(ctx.dialect, "cfgsync_revision", REVISION_COLUMNS, [
        { ...revisionScalars, created_at: stamp, summary: new JsonText(summaryText), changes: new JsonText(changesText) },
      ]);
      const revisionId = Number(await driver.queryValue({ sql: `${insertRevision!.sql} RETURNING "id"`, params: insertRevision!.params }));

      const touched = [...req.managedState.remove, ...stateRows.map((r) => r.address)].map((address) => ({ address }));
      await run(driver, batchDeleteStatements(ctx.dialect, "cfgsync_resource_state", [STATE_COLUMNS[0]!], touched));
      await run(
        driver,
        batchInsertStatements(
          ctx.dialect,
          "cfgsync_resource_state",
          STATE_COLUMNS,
          stateRows.map((r) => ({ ...r, fields: new JsonText(r.fields), revision_id: revisionId, updated_at: stamp })),
        ),
      );

      if (pauseMs > 0) {
        // Test hook: the writes are done and the transaction is open; a test kills the process here.
        process.stderr.write("cfgsync: paused in apply (CFGSYNC_TEST_PAUSE_IN_APPLY_MS)\n");
        await sleep(pauseMs);
      }

      // What Prisma would have returned for the row: the stored JSON read back, not the objects handed in.
      return toRevisionRecord({
        id: revisionId,
        created_at: now,
        ...revisionScalars,
        summary: JSON.parse(summaryText) as unknown,
        changes: JSON.parse(changesText) as unknown,
      });
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
