import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { UserError } from "../domain/diagnostic.js";
import { describeHold, heldBack, type DesiredSnapshot, type Hold } from "../domain/restore.js";
import type { SqlDb } from "./sql-db.js";
import { timestampFromSql, timestampParam } from "./sql-values.js";

/*
 * What a revision keeps for `cfgsync restore` (its desired state, compressed)
 * and the hold a restore puts on Git (the `cfgsync_hold` row, one or none).
 */

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The largest desired state a revision keeps, compressed and in base64 (16 MiB:
 * about 20 times the 0.84 MB of the 50k-resource bench repository, resources50k). A larger one is not kept
 * (the column stays NULL) and restoring to that revision is refused
 * (restore.no-state), so no apply ever writes a row of hundreds of MB.
 */
export const MAX_STORED_STATE_CHARS = 16 * 1024 * 1024;

/** The desired state as the revision stores it: gzip of its JSON, in base64; null when larger than kept. */
export async function encodeSnapshot(json: string, maxChars = MAX_STORED_STATE_CHARS): Promise<string | null> {
  const text = (await gzipAsync(Buffer.from(json, "utf8"))).toString("base64");
  return text.length <= maxChars ? text : null;
}

export async function decodeSnapshot(text: string): Promise<DesiredSnapshot> {
  const snapshot = JSON.parse((await gunzipAsync(Buffer.from(text, "base64"))).toString("utf8")) as DesiredSnapshot;
  if (snapshot?.snapshot_version !== 1 || !Array.isArray(snapshot.resources)) throw new Error("a revision's desired state has an unknown shape");
  return snapshot;
}

export interface RevisionState {
  id: number;
  created_at: string;
  git_commit: string | null;
  restored_from: number | null;
  /** Null: the revision kept no desired state (too large, or recorded before restore existed). */
  state: DesiredSnapshot | null;
}

/** One revision's desired state; null when the revision does not exist. */
export async function readRevisionState(db: SqlDb, id: number): Promise<RevisionState | null> {
  const [row] = await db.query(`SELECT "id", "created_at", "git_commit", "restored_from", "desired_state" FROM "cfgsync_revision" WHERE "id" = $1`, [id]);
  if (!row) return null;
  return {
    id: Number(row.id),
    created_at: timestampFromSql(row.created_at).toISOString(),
    git_commit: row.git_commit == null ? null : String(row.git_commit),
    restored_from: row.restored_from == null ? null : Number(row.restored_from),
    state: row.desired_state == null ? null : await decodeSnapshot(String(row.desired_state)),
  };
}

const HOLD_COLUMNS = `"revision_id", "restored_from", "git_commit", "actor", "held_at"`;

function holdOf(row: Record<string, unknown> | undefined): Hold | null {
  if (!row) return null;
  return {
    revision_id: Number(row.revision_id),
    restored_from: Number(row.restored_from),
    git_commit: row.git_commit == null ? null : String(row.git_commit),
    actor: String(row.actor),
    held_at: timestampFromSql(row.held_at).toISOString(),
  };
}

export async function readHold(db: SqlDb): Promise<Hold | null> {
  return holdOf((await db.query(`SELECT ${HOLD_COLUMNS} FROM "cfgsync_hold" WHERE "id" = 1`))[0]);
}

/** Ends the hold; returns the hold it ended (null: there was none). */
export async function releaseHold(db: SqlDb): Promise<Hold | null> {
  return holdOf((await db.query(`DELETE FROM "cfgsync_hold" WHERE "id" = 1 RETURNING ${HOLD_COLUMNS}`))[0]);
}

/**
 * Under the apply lock, before anything is written: an apply of the commit a
 * hold names (or of no commit) is refused; an apply of another commit ends the
 * hold, in the same transaction. Returns the hold it ended.
 */
export async function checkHold(tx: SqlDb, commit: string | null): Promise<Hold | null> {
  const hold = await readHold(tx);
  if (!hold) return null;
  if (heldBack(hold, commit)) {
    throw new UserError("hold.refused", `a restore holds Git back, so this apply is refused; nothing was changed: ${describeHold(hold)}`, {
      suggestions: ["Run `cfgsync hold release` to let Git win again, or merge a fix and apply that commit (it ends the hold)."],
    });
  }
  await tx.execute(`DELETE FROM "cfgsync_hold" WHERE "id" = 1`);
  return hold;
}

/**
 * A restore's revision puts the hold on (or renews it): the commit that waits
 * is the one the newest Git apply (not a restore) recorded.
 */
export async function putHold(tx: SqlDb, hold: Omit<Hold, "git_commit" | "held_at">, at: Date): Promise<Hold> {
  const [last] = await tx.query(`SELECT "git_commit" FROM "cfgsync_revision" WHERE "restored_from" IS NULL ORDER BY "id" DESC LIMIT 1`);
  const commit = last?.git_commit == null ? null : String(last.git_commit);
  await tx.execute(
    `INSERT INTO "cfgsync_hold" ("id", ${HOLD_COLUMNS}) VALUES (1, $1, $2, $3, $4, $5)
     ON CONFLICT ("id") DO UPDATE SET "revision_id" = excluded."revision_id", "restored_from" = excluded."restored_from",
       "git_commit" = excluded."git_commit", "actor" = excluded."actor", "held_at" = excluded."held_at"`,
    [hold.revision_id, hold.restored_from, commit, hold.actor, timestampParam(tx.dialect, at)],
  );
  return { ...hold, git_commit: commit, held_at: at.toISOString() };
}
