import { UserError } from "../domain/diagnostic.js";
import { KINDS, isSecret, type FieldValue, type Resource, type ResourceKind } from "../domain/resources.js";
import type { LiveState } from "../domain/state.js";
import { canonicalJson, planDigest } from "./digest.js";
import type { Plan } from "./types.js";

export interface PlannedWrites {
  creates: Resource[];
  updates: Resource[];
  deletes: Resource[];
  managedState: { upsert: { address: string; kind: ResourceKind; fields: Record<string, FieldValue> }[]; remove: string[] };
}

/** What the tool remembers of a resource: its fields, secrets as digests only. */
export function stateRecordFields(r: Resource): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(r.fields)) {
    fields[name] = isSecret(value) ? { sensitive: true, digest: value.digest } : value;
  }
  return fields;
}

/**
 * Plan -> the rows to write. Pure. Deletes of models and credit rules need
 * --allow-destroy; adoption (recording last-applied state of resources that
 * already match) rides along with every apply.
 */
export function plannedWrites(plan: Plan, desired: readonly Resource[], live: LiveState, opts: { allowDestroy: boolean }): PlannedWrites {
  const liveByAddress = new Map(live.resources.map((r) => [r.address, r]));
  const desiredByAddress = new Map(desired.map((r) => [r.address, r]));
  const writes: PlannedWrites = { creates: [], updates: [], deletes: [], managedState: { upsert: [], remove: [] } };

  const guarded = plan.changes.filter((c) => c.action === "delete" && KINDS[c.kind].destroyNeedsFlag);
  if (guarded.length && !opts.allowDestroy) {
    throw new UserError(
      "apply.destroy-refused",
      `the plan deletes ${guarded.length} resource(s) (${guarded.map((c) => c.address).join(", ")}); nothing was changed`,
      { suggestions: ["Pass --allow-destroy if the deletion is intended, or restore them in config/."] },
    );
  }

  for (const change of plan.changes) {
    if (change.action === "unmanaged") continue;
    if (change.action === "delete") {
      const have = liveByAddress.get(change.address);
      if (have) writes.deletes.push(have);
      writes.managedState.remove.push(change.address);
      continue;
    }
    const want = desiredByAddress.get(change.address);
    if (!want) continue;
    (liveByAddress.has(change.address) ? writes.updates : writes.creates).push(want);
  }

  for (const want of desired) {
    const fields = stateRecordFields(want);
    const applied = live.lastApplied.get(want.address);
    if (!applied || canonicalJson(applied) !== canonicalJson(fields)) {
      writes.managedState.upsert.push({ address: want.address, kind: want.kind, fields });
    }
  }
  // Managed once, now gone from both config and database: forget it.
  for (const address of live.lastApplied.keys()) {
    if (!desiredByAddress.has(address) && !liveByAddress.has(address)) writes.managedState.remove.push(address);
  }
  return writes;
}

/**
 * A revision lists at most this many changes field by field. A larger apply (a
 * 50k-resource first apply) records counts by kind and action, the first
 * changes and, with the revision, the plan digest: the revision row stays a
 * few hundred KB instead of tens of MB.
 */
export const REVISION_LISTED_CHANGES = 1000;

/** A plan's changes as a revision records them: the plan already carries no secret values. */
export function redactedChanges(plan: Plan): unknown {
  const applied = plan.changes.filter((c) => c.action !== "unmanaged");
  if (applied.length <= REVISION_LISTED_CHANGES) return applied;
  const byKind: Record<string, Record<string, number>> = {};
  for (const c of applied) {
    const counts = (byKind[c.kind] ??= {});
    counts[c.action] = (counts[c.action] ?? 0) + 1;
  }
  return { total: applied.length, by_kind: byKind, listed: applied.slice(0, REVISION_LISTED_CHANGES) };
}

/** The audit record an apply of this plan leaves (SPEC §3: who, which commit, what). */
export function revisionOf(plan: Plan, by: { actor: string; git_commit: string | null }) {
  return {
    actor: by.actor,
    git_commit: by.git_commit,
    plan_digest: planDigest(plan),
    config_digest: plan.config_digest,
    state_digest: plan.state_digest,
    summary: plan.summary,
    changes: redactedChanges(plan),
  };
}
