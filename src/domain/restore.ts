import type { PolicyDoc } from "../schema/documents.js";
import type { Resource } from "./resources.js";

/**
 * The desired state a revision applied, as the revision keeps it for
 * `cfgsync restore`: every resource config/ declared (no source positions),
 * secrets as `{ sensitive, digest, from_env }` only (the digest of the value
 * the apply saw, never the value), the account slugs its overrides named, and
 * the policy it was checked against.
 */
export interface DesiredSnapshot {
  snapshot_version: 1;
  resources: Resource[];
  /** The accounts its overrides named (an account the database lacks makes them wait, as in a plan). */
  accounts: { slug: string; file: string; line: number; col: number }[];
  policy?: PolicyDoc;
}

/**
 * The hold a restore puts on Git (one per database, or none). While it stands,
 * sync skips applying and `apply` refuses the commit Git was at (`git_commit`,
 * the newest Git apply before the restore); `cfgsync hold release`, or an
 * apply of another commit, ends it.
 */
export interface Hold {
  /** The restore's revision. */
  revision_id: number;
  /** The revision whose desired state the restore returned to. */
  restored_from: number;
  /** The commit that waits; null when no Git apply recorded one. */
  git_commit: string | null;
  actor: string;
  /** ISO time the hold began. */
  held_at: string;
}

/**
 * Whether an apply of `commit` must wait for the hold: it re-applies the
 * commit Git was at when the restore happened (or applies no commit at all,
 * e.g. config/ outside a Git checkout). An apply of any other commit is the
 * "next applied commit" and ends the hold.
 */
export function heldBack(hold: Hold, commit: string | null): boolean {
  return commit === null || commit === hold.git_commit;
}

export function describeHold(h: Hold): string {
  const commit = h.git_commit ? `commit ${h.git_commit.slice(0, 12)}` : "the configuration";
  return `revision ${h.revision_id} restored revision ${h.restored_from} (by ${h.actor}, since ${h.held_at}); ${commit} is not re-applied until \`cfgsync hold release\` or an apply of another commit`;
}
