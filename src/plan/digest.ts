import { canonicalJson, resourceEntry, sha256 } from "../domain/digest.js";
import type { Resource } from "../domain/resources.js";
import type { Plan } from "./types.js";

export { canonicalJson, secretDigest, sha256, stateDigest } from "../domain/digest.js";

/** Digest of the desired state (secrets by digest of their values), for stale-plan detection. */
export function configDigest(resources: readonly Resource[]): string {
  return sha256(canonicalJson(resources.map(resourceEntry).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** Digest of what a plan will do (its diagnostics aside), recorded with the revision it becomes. */
export function planDigest(plan: Plan): string {
  return sha256(canonicalJson({ ...plan, diagnostics: [] }));
}
