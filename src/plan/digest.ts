import { createHash } from "node:crypto";
import type { LiveState } from "../domain/state.js";
import type { FieldValue, Resource } from "../domain/resources.js";

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function sha256(text: string | Buffer): string {
  return "sha256:" + createHash("sha256").update(text).digest("hex");
}

/** Digest of a secret's value: what plans, state records and revisions carry instead of it. */
export function secretDigest(value: string | null | undefined): string | null {
  return value ? sha256("cfgsync-secret\0" + value) : null;
}

function resourceEntry(r: Pick<Resource, "address" | "fields">): [string, Record<string, FieldValue>] {
  return [r.address, r.fields];
}

/** Digest of what a plan read from the database: live rows and last-applied records. */
export function stateDigest(live: LiveState): string {
  const resources = live.resources.map(resourceEntry).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const lastApplied = [...live.lastApplied.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const accounts = [...live.accounts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256(canonicalJson({ resources, lastApplied, accounts }));
}

/** Digest of the desired state (secrets by digest of their values), for stale-plan detection. */
export function configDigest(resources: readonly Resource[]): string {
  return sha256(canonicalJson(resources.map(resourceEntry).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}
