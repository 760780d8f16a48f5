import type { FieldValue, Resource, ResourceKind } from "../domain/resources.js";
import type { LiveState } from "../domain/state.js";
import type { RevisionRecord } from "../domain/revision.js";

import type { CreatedAccount } from "./accounts.js";
import type { DesiredSnapshot, Hold } from "../domain/restore.js";
import type { RevisionState } from "./restore.js";
export type { RevisionRecord } from "../domain/revision.js";
export type { CreatedAccount } from "./accounts.js";

/** The database as the rest of cfgsync sees it. */
export interface Store {
  dialect: "sqlite" | "postgresql";
  migrate(): Promise<{ applied: string[] }>;
  /** Everything a plan needs, in bulk: one query per table, whatever the row count. */
  readLive(): Promise<LiveState>;
  /** `hooks`: what a test injects (a pause with the writes done and the transaction open). */
  apply(req: ApplyRequest, hooks?: ApplyHooks): Promise<AppliedRevision>;
  history(opts?: { limit?: number }): Promise<RevisionRecord[]>;
  /** A revision with the desired state it kept (restore); null when there is no such revision. */
  revisionState(id: number): Promise<RevisionState | null>;
  /** The hold a restore put on Git, if one stands. */
  readHold(): Promise<Hold | null>;
  /** Ends the hold (`cfgsync hold release`); returns the one it ended. */
  releaseHold(): Promise<Hold | null>;
  /** Round trips made so far (tests and bench prove reads grow with tables, not rows). */
  roundTrips(): number;
  /** Creates the accounts that do not exist yet (local trials: the platform owns accounts). */
  createAccounts(slugs: readonly string[], name?: string): Promise<CreatedAccount[]>;
  /** A read-only aggregate query (revenue replay); parameters are bound, never interpolated. */
  query(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Hooks a test injects (nothing in the store reads the environment for them): `pausedInApply` runs with the writes done and the transaction open. */
export interface ApplyHooks {
  pausedInApply?: () => Promise<void>;
}

/** What an apply recorded, and what it did to the hold. */
export interface AppliedRevision extends RevisionRecord {
  /** False when the desired state was larger than a revision keeps (restore to it is refused). */
  kept_desired_state: boolean;
  /** A restore: the hold it put on. */
  hold?: Hold;
  /** An apply of a new commit: the hold it ended. */
  released_hold?: Hold;
}

export interface ApplyRequest {
  creates: Resource[];
  updates: Resource[];
  deletes: Resource[];
  managedState: { upsert: { address: string; kind: ResourceKind; fields: Record<string, FieldValue> }[]; remove: string[] };
  /** Environment variable name -> value, for the api-key columns. */
  secrets: Record<string, string>;
  revision: {
    actor: string;
    git_commit: string | null;
    plan_digest: string;
    config_digest: string;
    state_digest: string;
    summary: unknown;
    changes: unknown;
  };
  /** The desired state the plan came from, kept (compressed) with the revision for `cfgsync restore`. */
  desiredState?: DesiredSnapshot;
  /** A restore of that revision: recorded as restored_from, and it puts the hold on. */
  restore?: { from: number };
  /** Refused as stale (code plan.stale) when the state read under the lock differs. */
  expectedStateDigest: string;
  lockTimeoutMs?: number;
  /** Who takes the lock, for waiters and `cfgsync lock status` (default: the revision's actor). */
  holder?: { actor: string; run_url?: string };
}
