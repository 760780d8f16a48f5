import { diagnostic, sortDiagnostics, type Diagnostic } from "../domain/diagnostic.js";
import { isSecret, type Resource } from "../domain/resources.js";
import type { DesiredState, LiveState } from "../domain/state.js";
import { changesDigest, configDigest, secretDigester, stateDigest } from "./digest.js";
import { diffResources } from "./diff.js";
import { planPolicyDiagnostics } from "./policy.js";
import { planImpact } from "./impact/margins.js";
import { pricingImpact, type Audience, type UsageWindow } from "./impact/index.js";
import { ACTIONS, type Action, type Plan } from "./types.js";
import { scheduledPolicyDiagnostics, scheduledSection } from "./schedule.js";
import { instantText } from "../domain/schedule.js";
import { appendAll } from "../domain/append.js";
import { describeHold, type Hold } from "../domain/restore.js";
import type { RestoreOf } from "./types.js";

export interface PlanInput {
  desired: DesiredState;
  live: LiveState;
  /** The environment to read `from_env` secrets from (handed in: the core never reads process.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** Diagnostics already found while loading the configuration (warnings, typically). */
  diagnostics?: Diagnostic[];
  /** Aggregated credit_usage_log of the revenue window, read at the edge. */
  usage?: UsageWindow;
  /** A `from_env` variable that is not set is an error rather than a key left untouched (CI's apply). */
  requireSecrets?: boolean;
  /** Users per account and their ai_settings models (blast radius), read at the edge. */
  audience?: Audience;
  /** The hold a restore put on Git, if one stands: the plan says so. */
  hold?: Hold | null;
  /** A restore's plan: the revision it returns to. */
  restoreOf?: RestoreOf;
  /**
   * The instant `desired` is the state of (desiredAt: due entries applied,
   * `desired.schedule` the ones still to come), handed in: the plan lists what
   * comes due after it. `at`: it was asked for (`plan --at`), not the clock's now.
   */
  asOf?: { instant: Date; at?: boolean };
}

/** Desired resources with each `from_env` secret's digest filled from the environment (keyed by the database's salt). */
export function resolveSecretDigests(resources: readonly Resource[], env: PlanInput["env"], secretSalt: string): Resource[] {
  const secretDigest = secretDigester(secretSalt);
  return resources.map((r) => {
    if (r.kind !== "integration" && r.kind !== "integration-type") return r;
    const fields = { ...r.fields };
    for (const [name, value] of Object.entries(fields)) {
      if (isSecret(value) && value.from_env) fields[name] = { ...value, digest: secretDigest(env[value.from_env]) };
    }
    return { ...r, fields };
  });
}

/**
 * What can be applied now, and what waits. Overrides of an account the
 * database lacks wait until the platform creates it (a sync applies them
 * then); a key whose variable is unset is left untouched (its field is not
 * written, not compared). Plan and apply both go through here, so what the
 * plan shows is what the apply writes.
 */
export function applicableDesired(desired: DesiredState, live: Pick<LiveState, "accounts" | "secretSalt">, env: PlanInput["env"]): Resource[] {
  const pending = new Set(desired.accounts.filter((a) => !live.accounts.has(a.slug)).map((a) => a.slug));
  return resolveSecretDigests(desired.resources, env, live.secretSalt)
    .filter((r) => !(typeof r.key.account === "string" && pending.has(r.key.account)))
    .map((r) => {
      const unset = Object.entries(r.fields).filter(([, v]) => isSecret(v) && v.from_env && !env[v.from_env]);
      if (!unset.length) return r;
      const fields = { ...r.fields };
      for (const [name] of unset) delete fields[name];
      return { ...r, fields };
    });
}

/** Why part of the desired state waits: pending accounts, unset (or, with requireSecrets, missing) keys. */
export function waitingDiagnostics(desired: DesiredState, live: Pick<LiveState, "accounts">, env: PlanInput["env"], requireSecrets = false): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ref of desired.secretRefs) {
    if (env[ref.name]) continue;
    out.push(
      requireSecrets
        ? diagnostic("error", "secret.required", `${ref.name} is not set: ${ref.field} of ${ref.address} needs it (--require-secrets)`, ref)
        : diagnostic("warning", "secret.unset", `${ref.name} is not set: ${ref.field} of ${ref.address} is left untouched`, ref),
    );
  }
  for (const account of desired.accounts) {
    if (!live.accounts.has(account.slug)) {
      out.push(
        diagnostic(
          "warning",
          "account.pending",
          `account '${account.slug}' does not exist in the database yet: its overrides wait until the platform creates it`,
          account,
        ),
      );
    }
  }
  return out;
}

/** desired + live -> Plan. Pure: everything it needs is handed in. */
export function buildPlan(input: PlanInput): Plan {
  const { desired, live, env } = input;
  const resources = applicableDesired(desired, live, env);
  const diagnostics: Diagnostic[] = [...(input.diagnostics ?? []), ...waitingDiagnostics(desired, live, env, input.requireSecrets)];

  const changes = diffResources(resources, live.resources, live.lastApplied);
  appendAll(diagnostics, planPolicyDiagnostics({ changes, desired, live }));
  if (input.hold) diagnostics.push(diagnostic("warning", "hold.on", `a restore holds Git back: ${describeHold(input.hold)}`));
  const scheduled = input.asOf && scheduledSection({ resources, pending: desired.schedule ?? [], asOf: input.asOf.instant.getTime(), usage: input.usage });
  appendAll(diagnostics, scheduledPolicyDiagnostics(scheduled, desired));

  const summary = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  for (const c of changes) summary[c.action] += 1;

  return {
    format_version: 1,
    ...(desired.environment ? { environment: desired.environment.name } : {}),
    config_digest: configDigest(resources),
    state_digest: stateDigest(live),
    changes_digest: changesDigest(changes, resources, live.resources),
    summary,
    ...(input.restoreOf ? { restore_of: input.restoreOf } : {}),
    changes,
    impact: {
      ...planImpact({ desired: resources, live: live.resources }),
      ...pricingImpact({ desired: resources, live: live.resources, changes, accounts: live.accounts.keys(), usage: input.usage, audience: input.audience }),
    },
    diagnostics: sortDiagnostics(diagnostics),
    ...(scheduled ? { scheduled } : {}),
    ...(input.asOf?.at ? { at: instantText(input.asOf.instant.getTime()) } : {}),
  };
}
