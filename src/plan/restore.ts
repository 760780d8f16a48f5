import { diagnostic, type Diagnostic } from "../domain/diagnostic.js";
import type { DesiredSnapshot } from "../domain/restore.js";
import { isSecret, type FieldValue, type Resource } from "../domain/resources.js";
import type { DesiredState, LiveState } from "../domain/state.js";
import { resolveSecretDigests } from "./build.js";

/**
 * What a revision keeps of the desired state it applied (see DesiredSnapshot):
 * secrets by the digest of the value the apply saw (keyed by the database's
 * secret salt; null when its variable was unset), never the value; no source positions (they belong to a commit).
 */
export function desiredSnapshot(desired: DesiredState, env: Readonly<Record<string, string | undefined>>, secretSalt: string): DesiredSnapshot {
  const resources = resolveSecretDigests(desired.resources, env, secretSalt).map(({ address, kind, key, fields }) => ({ address, kind, key, fields }));
  if (!desired.policy) return { snapshot_version: 1, resources, accounts: desired.accounts };
  const { source: _source, ...policy } = desired.policy;
  return { snapshot_version: 1, resources, accounts: desired.accounts, policy };
}

/**
 * The desired state a restore plans towards: revision N's, with every API key
 * left out. A restore has only the digest of a key, never the key, so it cannot
 * put one back: a key that changed since revision N stays as it is, and the
 * plan says so (restore.secret-untouched). The policy's protected resources
 * still hold; its max_price_change_pct does not, since the restore returns to
 * prices an apply already made (the guard is for new prices from Git).
 */
export function restoredDesired(snapshot: DesiredSnapshot, revisionId: number, live: Pick<LiveState, "resources">): { desired: DesiredState; diagnostics: Diagnostic[] } {
  const liveByAddress = new Map(live.resources.map((r) => [r.address, r]));
  const diagnostics: Diagnostic[] = [];
  const resources: Resource[] = snapshot.resources.map((r) => {
    const fields: Record<string, FieldValue> = {};
    for (const [name, value] of Object.entries(r.fields)) {
      if (!isSecret(value)) {
        fields[name] = value;
        continue;
      }
      const now = liveByAddress.get(r.address)?.fields[name];
      const liveDigest = isSecret(now) ? now.digest : null;
      if (value.digest !== liveDigest) {
        diagnostics.push(
          diagnostic(
            "warning",
            "restore.secret-untouched",
            `${name} of ${r.address} ${value.digest === null ? "was not managed by revision " + revisionId : "differs from the key revision " + revisionId + " applied"}: a restore never writes API keys, so it is left as it is`,
          ),
        );
      }
    }
    return { ...r, fields };
  });
  const desired: DesiredState = { resources, accounts: snapshot.accounts, secretRefs: [] };
  if (snapshot.policy) {
    const { max_price_change_pct: _guard, ...policy } = snapshot.policy;
    desired.policy = policy;
  }
  return { desired, diagnostics };
}
