import { resolve } from "node:path";
import { UserError, hasErrors } from "../domain/diagnostic.js";
import type { LoadedConfig, LiveState } from "../domain/state.js";
import type { Resource } from "../domain/resources.js";
import { NO_PROGRESS, type Progress } from "../domain/progress.js";
import { applicableDesired, buildPlan, type PlanInput } from "../plan/build.js";
import { plannedWrites, revisionOf } from "../plan/apply-request.js";
import { assertPlanHasNoErrors, type Plan } from "../plan/types.js";
import { readPlanFile, type SavedPlan } from "../plan/plan-file.js";
import { planContentDigest } from "../plan/digest.js";
import type { AppliedRevision, ApplyHooks, Store } from "../store/types.js";
import type { DesiredSnapshot } from "../domain/restore.js";
import { desiredSnapshot, restoredDesired } from "../plan/restore.js";
import { DEFAULT_REVENUE_DAYS } from "../plan/impact/index.js";
import { readAudience, readUsageWindow } from "../store/usage.js";
import { ciRunUrl, currentActor, gitCommit } from "./context.js";
import { desiredAt, scheduledStates } from "../domain/schedule.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface FlowOptions {
  configDir: string;
  databaseUrl: string;
  env: Env;
  cwd?: string;
  /** Revenue replay window in days (default 30); 0 turns the replay off. */
  revenueDays?: number;
  /** The clock, handed in (tests pin it). */
  now?: Date;
  /** Plan as of this instant instead of now (`plan --at`): the scheduled entries due then apply. */
  at?: Date;
  /** An unset `from_env` variable is a plan error instead of a key left untouched. */
  requireSecrets?: boolean;
  /** Where long phases report (the CLI shows them on a terminal). */
  progress?: Progress;
  /** The environment overlaid on config/ (`--env`; config/environments/<name>.yaml). */
  environment?: string;
}

/** Loads and validates config/; invalid configuration stops here with every diagnostic. */
export async function loadValidConfig(configDir: string, cwd?: string, progress?: Progress, environment?: string): Promise<LoadedConfig> {
  const { loadConfig } = await import("../config/load.js");
  const loaded = await loadConfig(configDir, { ...(cwd ? { cwd } : {}), ...(progress ? { progress } : {}), ...(environment !== undefined ? { environment } : {}) });
  if (hasErrors(loaded.diagnostics)) {
    throw new UserError("config.invalid", `the configuration in ${configDir} is invalid`, {
      diagnostics: loaded.diagnostics,
      suggestions: ["Run `cfgsync validate` for the full report."],
    });
  }
  return loaded;
}

/**
 * Opens the database. The embedded SQLite default migrates itself; a server
 * database is migrated explicitly (`cfgsync db migrate`), as operators expect.
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  const { openDatabase } = await import("../store/connect.js");
  const store = await openDatabase(databaseUrl);
  if (store.dialect === "sqlite") await store.migrate();
  return store;
}

export interface PlanResult {
  plan: Plan;
  loaded: LoadedConfig;
  live: LiveState;
  store: Store;
  /** A restore's plan: the desired state revision N kept, kept again by the restore's revision. */
  restoredSnapshot?: DesiredSnapshot;
}

/**
 * Reads config and database and computes the plan. The caller closes the store;
 * a long-running caller (watch, sync) hands in an open one to reuse.
 */
export async function computePlan(opts: FlowOptions & { store?: Store }): Promise<PlanResult> {
  const now = opts.now ?? new Date();
  const asOf = opts.at ?? now;
  // From here on the desired state is the one at `asOf`: scheduled entries due by then applied, the rest pending.
  const written = await loadValidConfig(opts.configDir, opts.cwd, opts.progress, opts.environment);
  const loaded: LoadedConfig = { ...written, desired: desiredAt(written.desired, asOf.getTime()) };
  return planAgainstDatabase(opts, async () => () => ({
    loaded,
    // The revenue replay prices the scheduled states too.
    priced: [...loaded.desired.resources, ...scheduledStates(loaded.desired)],
    input: { env: opts.env, requireSecrets: opts.requireSecrets ?? false, asOf: { instant: asOf, at: opts.at !== undefined } },
  }));
}

/**
 * The plan of `cfgsync restore --revision N`: revision N's desired state (as
 * it kept it) against the database now, API keys left out (restoredDesired).
 * No config/ is read. The caller closes the store.
 */
export async function computeRestorePlan(opts: Omit<FlowOptions, "configDir"> & { revision: number; store?: Store }): Promise<PlanResult> {
  return planAgainstDatabase(opts, async (store) => {
    const found = await store.revisionState(opts.revision);
    if (!found) {
      throw new UserError("restore.unknown-revision", `this database recorded no revision ${opts.revision}; nothing was changed`, {
        suggestions: ["Run `cfgsync history` for the revisions it recorded."],
      });
    }
    if (!found.state) {
      throw new UserError(
        "restore.no-state",
        `revision ${opts.revision} kept no desired state (recorded before cfgsync kept them, or larger than a revision keeps); it cannot be restored, nothing was changed`,
        { suggestions: ["Restore a later revision (`cfgsync history`), or revert the commit in Git and apply."] },
      );
    }
    const state = found.state;
    return (live) => {
      const { desired, diagnostics } = restoredDesired(state, found.id, live);
      return {
        loaded: { desired, diagnostics, filesDigest: "" },
        priced: desired.resources,
        // API keys are out of the desired state: nothing reads a variable.
        input: { env: {}, restoreOf: { revision: found.id, git_commit: found.git_commit, created_at: found.created_at } },
        restoredSnapshot: state,
      };
    };
  });
}

/** What a plan is made of besides the database's side: the desired state and how to plan it. */
interface DesiredForPlan {
  loaded: LoadedConfig;
  /** The desired resources whose prices the revenue replay reads. */
  priced: readonly Resource[];
  input: Pick<PlanInput, "env" | "requireSecrets" | "asOf" | "restoreOf">;
  restoredSnapshot?: DesiredSnapshot;
}

/**
 * What every plan does with the database: open it (unless handed one), read
 * the live state, the usage window, the audience and the hold, and build the
 * plan. `prepare` is given the store before the live state is read (a restore
 * looks up its revision first) and returns the desired state as of the live
 * state (a restore leaves the database's keys as they are). A store opened
 * here is closed when anything fails.
 */
async function planAgainstDatabase(
  opts: Pick<FlowOptions, "databaseUrl" | "revenueDays" | "now" | "progress"> & { store?: Store },
  prepare: (store: Store) => Promise<(live: LiveState) => DesiredForPlan>,
): Promise<PlanResult> {
  const progress = opts.progress ?? NO_PROGRESS;
  const store = opts.store ?? (await openStore(opts.databaseUrl));
  try {
    const desiredFor = await prepare(store);
    progress.phase("reading the database");
    const live = await store.readLive();
    progress.advance(live.resources.length);
    const { loaded, priced, input, restoredSnapshot } = desiredFor(live);
    const usage =
      opts.revenueDays === 0
        ? undefined
        : await readUsageWindow(store, live.resources, priced, { now: opts.now ?? new Date(), days: opts.revenueDays ?? DEFAULT_REVENUE_DAYS });
    const audience = await readAudience(store);
    const hold = await store.readHold();
    progress.phase("planning", loaded.desired.resources.length);
    const plan = buildPlan({ ...input, desired: loaded.desired, live, diagnostics: loaded.diagnostics, audience, hold, ...(usage ? { usage } : {}) });
    progress.advance(loaded.desired.resources.length);
    progress.done();
    return { plan, loaded, live, store, ...(restoredSnapshot ? { restoredSnapshot } : {}) };
  } catch (err) {
    progress.done();
    if (!opts.store) await store.close();
    throw err;
  }
}

export { planErrors } from "../plan/types.js";

export async function readSavedPlan(file: string): Promise<SavedPlan> {
  const plan = await readPlanFile(file);
  // The digests are what make a saved plan safe to apply: without them it is no plan to apply.
  if (!plan.config_digest || !plan.state_digest) {
    throw new UserError("plan.no-digests", `${file} has no config_digest/state_digest: it cannot be checked against the database, so it is not applied`);
  }
  // The content digest covers the changes and their inputs: an edited file no longer matches it.
  if (!plan.content_digest || plan.content_digest !== planContentDigest(plan)) {
    throw new UserError("plan.tampered", `the saved plan ${file} was edited after \`cfgsync plan --out\` wrote it (its content digest does not match); nothing was changed`, {
      suggestions: ["Run `cfgsync plan --out` again and review the new plan; never edit a saved plan."],
    });
  }
  return plan;
}

/** A saved plan applies only to the configuration and database it was made from, as of now. */
export function assertNotStale(saved: Plan, fresh: Plan, file: string): void {
  if ((saved.environment ?? null) !== (fresh.environment ?? null)) {
    const made = saved.environment ? `environment ${saved.environment}` : "the base configuration (no --env)";
    throw new UserError("plan.environment-mismatch", `the saved plan ${file} was made for ${made}; nothing was changed`, {
      suggestions: [saved.environment ? `Run: cfgsync apply ${file} --env ${saved.environment}` : `Run: cfgsync apply ${file} (without --env)`],
    });
  }
  if (saved.at) {
    throw new UserError("plan.at-refused", `the saved plan ${file} shows the configuration as of ${saved.at} (plan --at), not now; nothing was changed`, {
      suggestions: ["Apply what is due now: `cfgsync apply`, or `cfgsync plan --out plan.json` (without --at) and apply that plan."],
    });
  }
  if (saved.config_digest !== fresh.config_digest) {
    throw new UserError("plan.stale", `the saved plan ${file} is stale: the configuration changed since it was made; nothing was changed`, {
      suggestions: ["Run `cfgsync plan --out` again and review the new plan."],
    });
  }
  if (saved.state_digest !== fresh.state_digest) {
    throw new UserError("plan.stale", `the saved plan ${file} is stale: the database changed since it was made; nothing was changed`, {
      suggestions: ["Run `cfgsync plan --out` again and review the new plan."],
    });
  }
  // Same inputs, so the same changes; anything else means the file does not say what would be applied.
  if (planContentDigest(saved) !== planContentDigest(fresh)) {
    throw new UserError("plan.tampered", `the saved plan ${file} does not hold the changes its configuration and database give; nothing was changed`, {
      suggestions: ["Run `cfgsync plan --out` again and review the new plan; never edit a saved plan."],
    });
  }
}

/** The values of the `from_env` variables that are set; an unset one leaves its key untouched (see applicableDesired). */
function secretsFromEnv(loaded: LoadedConfig, env: Env): Record<string, string> {
  return Object.fromEntries(loaded.desired.secretRefs.filter((ref) => env[ref.name]).map((ref) => [ref.name, env[ref.name]!]));
}

export interface ApplyOptions {
  allowDestroy: boolean;
  lockTimeoutMs?: number;
  /** Test hooks, injected at the command edge (see cli/test-hooks.ts). */
  hooks?: ApplyHooks;
}

/** Applies a computed plan: all or nothing, under the lock, recorded as a revision. */
export async function applyComputedPlan(result: PlanResult, opts: Omit<FlowOptions, "configDir"> & { configDir?: string } & ApplyOptions): Promise<AppliedRevision | null> {
  const { plan, loaded, live, store } = result;
  assertPlanHasNoErrors(plan);
  const restore = plan.restore_of;
  const secrets = secretsFromEnv(loaded, opts.env);
  const desired: Resource[] = applicableDesired(loaded.desired, live, opts.env);
  const writes = plannedWrites(plan, desired, live, { allowDestroy: opts.allowDestroy });
  // Nothing to write and nothing to adopt: no transaction, no revision (a sync loop stays quiet).
  // A restore is recorded all the same: its revision puts the hold on, even when the rows already match.
  if (isEmpty(writes) && !restore) return null;
  const runUrl = ciRunUrl(opts.env);
  const progress = opts.progress ?? NO_PROGRESS;
  progress.phase("writing", writes.creates.length + writes.updates.length + writes.deletes.length);
  const revision = await finishing(progress, store.apply({
    ...writes,
    secrets,
    // A restore records the commit of the state it returned to, and names its revision.
    revision: revisionOf(plan, {
      actor: currentActor(opts.env),
      git_commit: restore ? restore.git_commit : await gitCommit(resolve(opts.cwd ?? ".", opts.configDir ?? ".")),
    }),
    desiredState: result.restoredSnapshot ?? desiredSnapshot(loaded.desired, opts.env, live.secretSalt),
    ...(restore ? { restore: { from: restore.revision } } : {}),
    expectedStateDigest: plan.state_digest,
    holder: { actor: currentActor(opts.env), ...(runUrl ? { run_url: runUrl } : {}) },
    ...(opts.lockTimeoutMs !== undefined ? { lockTimeoutMs: opts.lockTimeoutMs } : {}),
  }, opts.hooks));
  progress.advance(writes.creates.length + writes.updates.length + writes.deletes.length);
  progress.done();
  return revision;
}

/** Ends the progress line when the work fails, so the error starts on a line of its own. */
async function finishing<T>(progress: Progress, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    progress.done();
    throw err;
  }
}

function isEmpty(w: ReturnType<typeof plannedWrites>): boolean {
  return !w.creates.length && !w.updates.length && !w.deletes.length && !w.managedState.upsert.length && !w.managedState.remove.length;
}
