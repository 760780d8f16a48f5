import { inert } from "../domain/inert.js";
import { describeHold, type Hold } from "../domain/restore.js";
import { hasChanges, type Plan, type RestoreOf } from "../plan/types.js";

/** The first line of a restore's plan: which state it returns to, and what it never writes. */
export function restoreHeaderLine(r: RestoreOf): string {
  const commit = r.git_commit ? `commit ${r.git_commit.slice(0, 12)}, ` : "";
  return inert(
    `Restore of revision ${r.revision} (${commit}applied ${r.created_at}): returns the database to the desired state that revision applied; API keys are left as they are. Once applied, a hold keeps Git (sync, apply) from re-applying the current commit until \`cfgsync hold release\` or an apply of a new commit.`,
  );
}

export function holdStatusLine(hold: Hold | null): string {
  return hold ? inert(`Held: ${describeHold(hold)}.`) : "No hold: sync and apply apply Git.";
}

/** After an apply: the hold a restore put on, or the one an apply of a new commit ended. */
export function holdChangeLines(applied: { hold?: Hold; released_hold?: Hold } | null): string[] {
  if (!applied) return [];
  const lines: string[] = [];
  if (applied.hold) lines.push(inert(`Held: ${describeHold(applied.hold)}.`));
  if (applied.released_hold) {
    const h = applied.released_hold;
    lines.push(inert(`The hold ended: revision ${h.revision_id} (restore of revision ${h.restored_from}) held Git back since ${h.held_at}; this apply of a new commit lets Git win again.`));
  }
  return lines;
}

export function holdReleasedLine(released: Hold | null): string {
  if (!released) return "No hold to release: sync and apply apply Git.";
  return inert(
    `Released the hold of revision ${released.revision_id} (restore of revision ${released.restored_from}, since ${released.held_at}): the next sync cycle or apply brings Git's configuration back.`,
  );
}

/** What a restore did, in the past tense (it is recorded even when the rows already matched: its revision holds Git back). */
export function restoredLine(plan: Pick<Plan, "summary" | "restore_of">, revision: number | null): string {
  const from = plan.restore_of ? `revision ${plan.restore_of.revision}` : "the revision";
  if (revision === null) return `Nothing restored.`;
  if (!hasChanges(plan)) return `No changes: the database already holds ${from}'s configuration; revision ${revision} records the restore.`;
  const s = plan.summary;
  return `Restored ${from}: ${s.create} created, ${s.update} updated, ${s.delete} deleted, ${s.drift} drift restored (revision ${revision}).`;
}
