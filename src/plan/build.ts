import { diagnostic, sortDiagnostics, type Diagnostic } from "../domain/diagnostic.js";
import { isSecret, type Resource } from "../domain/resources.js";
import type { DesiredState, LiveState } from "../domain/state.js";
import { changesDigest, configDigest, secretDigest, stateDigest } from "./digest.js";
import { diffResources } from "./diff.js";
import { planPolicyDiagnostics } from "./policy.js";
import { planImpact } from "./impact/margins.js";
import { pricingImpact, type UsageWindow } from "./impact/index.js";
import { ACTIONS, type Action, type Plan } from "./types.js";

export interface PlanInput {
  desired: DesiredState;
  live: LiveState;
  /** The environment to read `from_env` secrets from (handed in: the core never reads process.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** Diagnostics already found while loading the configuration (warnings, typically). */
  diagnostics?: Diagnostic[];
  /** Aggregated credit_usage_log of the revenue window, read at the edge. */
  usage?: UsageWindow;
}

/** Desired resources with each `from_env` secret's digest filled from the environment. */
export function resolveSecretDigests(resources: readonly Resource[], env: PlanInput["env"]): Resource[] {
  return resources.map((r) => {
    if (r.kind !== "integration") return r;
    const fields = { ...r.fields };
    for (const [name, value] of Object.entries(fields)) {
      if (isSecret(value) && value.from_env) fields[name] = { ...value, digest: secretDigest(env[value.from_env]) };
    }
    return { ...r, fields };
  });
}

/** desired + live -> Plan. Pure: everything it needs is handed in. */
export function buildPlan(input: PlanInput): Plan {
  const { desired, live, env } = input;
  const resources = resolveSecretDigests(desired.resources, env);
  const diagnostics: Diagnostic[] = [...(input.diagnostics ?? [])];

  for (const ref of desired.secretRefs) {
    if (!env[ref.name]) {
      diagnostics.push(
        diagnostic("warning", "secret.env-missing", `${ref.name} is not set: ${ref.field} cannot be compared and is left as it is; apply needs it`, ref),
      );
    }
  }
  for (const account of desired.accounts) {
    if (!live.accounts.has(account.slug)) {
      diagnostics.push(
        diagnostic("error", "account.missing", `account '${account.slug}' does not exist in the database (accounts are created by the platform, not by cfgsync)`, account),
      );
    }
  }

  const changes = diffResources(resources, live.resources, live.lastApplied);
  diagnostics.push(...planPolicyDiagnostics({ changes, desired, live }));

  const summary = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  for (const c of changes) summary[c.action] += 1;

  return {
    format_version: 1,
    config_digest: configDigest(resources),
    state_digest: stateDigest(live),
    changes_digest: changesDigest(changes, resources, live.resources),
    summary,
    changes,
    impact: {
      ...planImpact({ desired: resources, live: live.resources }),
      ...pricingImpact({ desired: resources, live: live.resources, changes, accounts: live.accounts.keys(), usage: input.usage }),
    },
    diagnostics: sortDiagnostics(diagnostics),
  };
}
