import { resourceEntries, sequenceDigest } from "../domain/digest.js";
import { toDecimalString } from "../domain/money.js";
import { fieldType, isSecret, type JsonValue, type Resource, type ResourceKind } from "../domain/resources.js";
import type { Change, Plan } from "./types.js";

export { canonicalJson, secretDigester, sha256, stateDigest } from "../domain/digest.js";

/** Digest of the desired state (secrets by digest of their values), for stale-plan detection; a resource at a time. */
export function configDigest(resources: readonly Resource[]): string {
  return sequenceDigest(resourceEntries(resources));
}

/**
 * Digest of what a plan will do (its diagnostics aside), recorded with the
 * revision it becomes: the plan's header (which holds the digests of the
 * configuration and of the database state it was planned from), then each
 * change on its own, so a 50k-change plan is never one string. The margin
 * rows are left out: they are worked out from those two states, and a first
 * apply of 10k models has 100k of them.
 */
export function planDigest(plan: Plan): string {
  const { changes, impact, diagnostics: _diagnostics, ...header } = plan;
  const { margins: _margins, ...otherImpact } = impact;
  function* parts() {
    yield header;
    yield "changes";
    yield* changes;
    yield otherImpact;
  }
  return sequenceDigest(parts());
}

/**
 * Digest of a plan's change set: what an apply of it would do, and nothing
 * else. Per change its address and action; per field its name, whether it
 * drifted, and the values before and after (decimals canonical, secrets by the
 * digest of their values, which the plan itself never carries). Unmanaged
 * rows (never touched), source lines, impact figures, diagnostics and the
 * digest of the whole database are left out, so the same changes planned
 * from another commit or against a database that moved elsewhere digest the
 * same: the reviewed-plan check of `apply --expect-changes`.
 */
export function changesDigest(changes: readonly Change[], desired: readonly Resource[], live: readonly Resource[]): string {
  const desiredByAddress = new Map(desired.map((r) => [r.address, r]));
  const liveByAddress = new Map(live.map((r) => [r.address, r]));
  const secret = (r: Resource | undefined, name: string): string | null => {
    const value = r?.fields[name];
    return isSecret(value) ? value.digest : null;
  };
  const entries = changes
    .filter((c) => c.action !== "unmanaged")
    .map((c) => ({
      address: c.address,
      action: c.action,
      fields: c.fields.map((f) =>
        "sensitive" in f && f.sensitive
          ? { name: f.name, drifted: f.drifted === true, before: secret(liveByAddress.get(c.address), f.name), after: secret(desiredByAddress.get(c.address), f.name) }
          : { name: f.name, drifted: f.drifted === true, before: canonicalValue(c.kind, f.name, f.before), after: canonicalValue(c.kind, f.name, f.after) },
      ),
    }));
  // Version 2: hashed a change at a time (version 1 hashed one string of all of them).
  return sequenceDigest([{ changes_digest_version: 2 }, ...entries]);
}

function canonicalValue(kind: ResourceKind, name: string, value: JsonValue | undefined): JsonValue {
  if (value === undefined || value === null) return null;
  if (fieldType(kind, name) === "decimal" && (typeof value === "string" || typeof value === "number")) return toDecimalString(value);
  return value;
}

/**
 * Digest of what a saved plan says it will do, over its changes and the
 * inputs they were computed from (config and state digests, summary). The
 * JSON form carries it (`content_digest`); apply recomputes it from the file
 * and from the plan it computes now, so an edited file is refused as
 * tampered instead of applied.
 */
export function planContentDigest(plan: Pick<Plan, "config_digest" | "state_digest" | "summary" | "changes" | "changes_digest" | "restore_of">): string {
  const { config_digest, state_digest, summary, changes, changes_digest, restore_of } = plan;
  // A change at a time, as every plan digest here: a 50k-change plan is never one string.
  function* parts() {
    // A restore's plan names its revision (plans of config/ digest as before).
    yield restore_of ? { config_digest, state_digest, summary, changes_digest, restore_of } : { config_digest, state_digest, summary, changes_digest };
    yield "changes";
    yield* changes;
  }
  return sequenceDigest(parts());
}
