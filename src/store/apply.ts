import { UserError } from "../domain/diagnostic.js";
import { isSecret, KIND_ORDER, type FieldValue, type Resource, type ResourceKind } from "../domain/resources.js";
import { stateDigest } from "../domain/digest.js";
import { batchDeleteStatements } from "./batch-delete.js";
import { batchInsertStatements } from "./batch-insert.js";
import { batchUpdateStatements } from "./batch-update.js";
import type { SecretResolver } from "./columns.js";
import { assertConverged } from "./converged.js";
import { acquireApplyLock, lockHolder, type HolderRecord } from "./lock.js";
import { readLiveState } from "./read-live.js";
import type { SqlDb } from "./sql-db.js";
import { JsonText, quoteName as q, timestampParam, type SqlColumn, type Statement } from "./sql-values.js";
import { accountIdResolver, KIND_TABLES, type KindTable } from "./tables.js";
import type { AppliedRevision, ApplyHooks, ApplyRequest, RevisionRecord } from "./types.js";
import { checkHold, encodeSnapshot, putHold } from "./restore.js";

const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

/** Where the apply runs, and where its lock's holder is published for waiters (see lock.ts). */
export interface ApplyContext {
  db: SqlDb;
  holderRecord: HolderRecord;
  hooks?: ApplyHooks;
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

/** The non-secret values the request writes or removes: what configuration and database already hold in the open. */
function openValuesText(req: ApplyRequest): string {
  const open = (fields: Record<string, FieldValue>) => Object.values(fields).filter((v) => !isSecret(v));
  const written = JSON.stringify([...req.creates, ...req.updates, ...req.deletes, ...req.managedState.upsert].map((r) => open(r.fields)));
  if (!req.desiredState) return written;
  // The kept desired state is configuration text throughout, but for its secret fields (digests).
  const openFields = (fields: Record<string, FieldValue>) => Object.fromEntries(Object.entries(fields).filter(([, v]) => !isSecret(v)));
  return written + JSON.stringify({ ...req.desiredState, resources: req.desiredState.resources.map((r) => ({ ...r, fields: openFields(r.fields) })) });
}

/**
 * A bug, not a user error: refuse to record anything holding a secret's
 * plaintext. Secret fields are recorded as digests, so plaintext could only
 * arrive inside some other value; a key that is itself text the configuration
 * or database holds in a non-secret field (a weak key such as "openai") is no
 * leak, and not refused.
 */
function assertNoSecretValues(secrets: Record<string, string>, recorded: readonly string[], openText: () => string): void {
  let open: string | undefined;
  for (const [name, value] of Object.entries(secrets)) {
    // The open values are serialised only when a key's text is found, not on every apply (megabytes at 10k models).
    if (value.length >= 4 && recorded.some((text) => text.includes(value)) && !(open ??= openText()).includes(value)) {
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

interface PreparedRow {
  resource: Resource;
  key: Record<string, unknown>;
  values: Record<string, unknown>;
}

async function run(tx: SqlDb, statements: Statement[]): Promise<void> {
  for (const stmt of statements) await tx.execute(stmt.sql, stmt.params);
}

const stampColumns = (names: readonly string[]): SqlColumn[] => names.map((name) => ({ name, type: "timestamp" }));

async function writeKind(
  tx: SqlDb,
  table: KindTable,
  rows: { creates: PreparedRow[]; updates: PreparedRow[]; deletes: PreparedRow[] },
  /** The apply's clock reading as a `timestampParam`. */
  stamp: string,
): Promise<void> {
  const dialect = tx.dialect;
  await run(tx, batchDeleteStatements(dialect, table.table, table.keyColumns, rows.deletes.map((r) => r.key)));
  const stamps = Object.fromEntries(table.createdStamps.map((name) => [name, stamp]));
  // Each row's value of a column as `{ ...r.key, ...r.values, ...stamps }` holds it, without building that object per row.
  const valueOf = (r: PreparedRow, column: string): unknown =>
    Object.hasOwn(stamps, column) ? stamps[column] : Object.hasOwn(r.values, column) ? r.values[column] : r.key[column];
  const inserts = (prepared: PreparedRow[]) =>
    batchInsertStatements(dialect, table.table, [...table.keyColumns, ...table.columns, ...stampColumns(table.createdStamps)], prepared, valueOf);
  if (table.kind === "integration") {
    // The singleton is one row (id = 1) whether it is created or updated.
    const set = [...table.columns.map((c) => c.name), ...table.createdStamps].map((n) => `${q(n)} = excluded.${q(n)}`).join(", ");
    for (const stmt of inserts([...rows.updates, ...rows.creates])) {
      await tx.execute(`${stmt.sql} ON CONFLICT (${q("id")}) DO UPDATE SET ${set}`, stmt.params);
    }
    return;
  }
  await run(tx, batchUpdateStatements(dialect, table.table, table.keyColumns, table.columns, rows.updates, stamp));
  await run(tx, inserts(rows.creates));
}

const sqlColumns = (types: Record<string, SqlColumn["type"]>): SqlColumn[] => Object.entries(types).map(([name, type]) => ({ name, type }));

const REVISION_COLUMNS = sqlColumns({
  created_at: "timestamp", git_commit: "string", actor: "string", plan_digest: "string",
  config_digest: "string", state_digest: "string", summary: "json", changes: "json",
  desired_state: "string", restored_from: "int",
});

const STATE_COLUMNS = sqlColumns({ address: "string", kind: "string", fields: "json", revision_id: "int", updated_at: "timestamp" });

/**
 * Applies a plan's changes in one transaction under the apply lock: re-reads the
 * live state, refuses if it is not the state the plan saw, writes in bulk,
 * records last-applied state and a revision. All or nothing.
 */
export async function applyChanges(ctx: ApplyContext, req: ApplyRequest): Promise<AppliedRevision> {
  checkSecrets(req);
  // Serialised once, here: the scan for secret values sees exactly the text that is written.
  const summaryText = JSON.stringify(req.revision.summary ?? null);
  const changesText = JSON.stringify(req.revision.changes ?? null);
  const stateRows = req.managedState.upsert.map((u) => ({ address: u.address, kind: u.kind, fields: JSON.stringify(redactSecrets(u.fields)) }));
  const { summary: _s, changes: _c, ...revisionScalars } = req.revision;
  const desiredText = req.desiredState ? JSON.stringify(req.desiredState) : null;
  assertNoSecretValues(
    req.secrets,
    [JSON.stringify(revisionScalars), summaryText, changesText, ...stateRows.map((r) => r.fields), ...(desiredText ? [desiredText] : [])],
    () => openValuesText(req),
  );
  // Compressed before the lock is taken: a large state costs the waiters nothing.
  const desiredState = desiredText === null ? null : await encodeSnapshot(desiredText);
  const lockTimeoutMs = req.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const holder = lockHolder(req.holder ?? { actor: req.revision.actor });

  try {
    return await applyInTransaction(ctx, req, {
      lockTimeoutMs,
      holder,
      summaryText,
      changesText,
      stateRows,
      revisionScalars: { ...revisionScalars, desired_state: desiredState, restored_from: req.restore?.from ?? null },
    });
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
    holder: ReturnType<typeof lockHolder>;
    summaryText: string;
    changesText: string;
    stateRows: { address: string; kind: ResourceKind; fields: string }[];
    revisionScalars: Omit<ApplyRequest["revision"], "summary" | "changes"> & { desired_state: string | null; restored_from: number | null };
  },
): Promise<AppliedRevision> {
  const { lockTimeoutMs, holder, summaryText, changesText, stateRows, revisionScalars } = prepared;
  return ctx.db.transaction(
    async (tx) => {
      await acquireApplyLock(tx, lockTimeoutMs, holder, ctx.holderRecord);
      // A restore puts the hold on below; any other apply meets it here, before the stale check says less.
      const releasedHold = req.restore ? null : await checkHold(tx, req.revision.git_commit);

      const live = await readLiveState(tx);
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
      const stamp = timestampParam(tx.dialect, now);
      for (const { table, rows } of prepared) await writeKind(tx, table, rows, stamp);
      if (req.creates.length || req.updates.length) assertConverged(await readLiveState(tx), [...req.creates, ...req.updates]);

      const [insertRevision] = batchInsertStatements(tx.dialect, "cfgsync_revision", REVISION_COLUMNS, [
        { ...revisionScalars, created_at: stamp, summary: new JsonText(summaryText), changes: new JsonText(changesText) },
      ]);
      const [inserted] = await tx.query<{ id: unknown }>(`${insertRevision!.sql} RETURNING "id"`, insertRevision!.params);
      const revisionId = Number(inserted!.id);
      const hold = req.restore ? await putHold(tx, { revision_id: revisionId, restored_from: req.restore.from, actor: req.revision.actor }, now) : null;

      const touched = [...req.managedState.remove, ...stateRows.map((r) => r.address)].map((address) => ({ address }));
      await run(tx, batchDeleteStatements(tx.dialect, "cfgsync_resource_state", [STATE_COLUMNS[0]!], touched));
      await run(
        tx,
        batchInsertStatements(
          tx.dialect,
          "cfgsync_resource_state",
          STATE_COLUMNS,
          stateRows.map((r) => ({ ...r, fields: new JsonText(r.fields), revision_id: revisionId, updated_at: stamp })),
        ),
      );

      await ctx.hooks?.pausedInApply?.();

      // What Prisma would have returned for the row: the stored JSON read back, not the objects handed in.
      const { desired_state, ...scalars } = revisionScalars;
      return {
        ...toRevisionRecord({
          id: revisionId,
          created_at: now,
          ...scalars,
          summary: JSON.parse(summaryText) as unknown,
          changes: JSON.parse(changesText) as unknown,
        }),
        kept_desired_state: desired_state !== null,
        ...(hold ? { hold } : {}),
        ...(releasedHold ? { released_hold: releasedHold } : {}),
      };
    },
  );
}

/** The revision as callers see it: created_at as ISO text. */
export function toRevisionRecord(row: Omit<RevisionRecord, "created_at"> & { created_at: Date }): RevisionRecord {
  return { ...row, created_at: row.created_at.toISOString() };
}
