import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { applyComputedPlan } from "../app/flow.js";
import { UserError } from "../domain/diagnostic.js";
import { heldBack } from "../domain/restore.js";
import { assertPlanHasNoErrors, changeList, decideCycle, type CycleOutcome, type LastSynced, type SyncMode } from "./cycle.js";
import { fetchRevision } from "./git.js";
import { lockWorkdir, scrubStoredCredentials } from "./workdir.js";
import { planThroughSession, type StoreSession } from "../app/store-session.js";

export interface ReconcilerOptions {
  repo: string;
  ref: string;
  workdir: string;
  /** The configuration directory inside the repository. */
  configPath: string;
  mode: SyncMode;
  allowDestroy: boolean;
  databaseUrl: string;
  environment?: string;
  env: Readonly<Record<string, string | undefined>>;
  gitTimeoutMs: number;
  lockTimeoutMs: number;
  cwd: string;
  /** The clock (handed in: tests start it elsewhere): each cycle plans as of its now, so scheduled entries apply as they come due. */
  clock?: () => Date;
}

export interface Reconciler {
  cycle(signal: AbortSignal): Promise<CycleOutcome>;
  /** The commit of the cycle in progress or last run (null before the first fetch). */
  currentCommit(): string | null;
  lastSynced(): LastSynced | undefined;
}

/**
 * One reconcile cycle: fetch the ref, validate, plan, then apply (apply mode)
 * or report (detect mode). Git may be aborted by shutdown; once planning has
 * started the cycle runs to its end, so an apply (one transaction) is never
 * cut in half. The cycle holds the work directory's lock: a second sync
 * process sharing it skips its cycle instead of racing on git.
 */
export function createReconciler(opts: ReconcilerOptions, session: StoreSession): Reconciler {
  const workdir = resolve(opts.cwd, opts.workdir);
  assertInside(workdir, opts.configPath);
  // Only cfgsync's own folder of checkouts: a --workdir elsewhere says nothing about its neighbours.
  if (basename(dirname(workdir)) === ".cfgsync") scrubStoredCredentials(dirname(workdir));
  let last: LastSynced | undefined;
  let commit: string | null = null;

  async function reconcile(signal: AbortSignal): Promise<CycleOutcome> {
    const fetched = await fetchRevision({ repo: opts.repo, ref: opts.ref, workdir, timeoutMs: opts.gitTimeoutMs, signal, cwd: opts.cwd, env: opts.env });
    commit = fetched;
    // Diagnostics name files relative to the repository root: config/models/openai.yaml:12.
    const flow = {
      configDir: opts.configPath,
      cwd: workdir,
      env: opts.env,
      databaseUrl: opts.databaseUrl,
      now: (opts.clock ?? (() => new Date()))(),
      ...(opts.environment !== undefined ? { environment: opts.environment } : {}),
    };
    const result = await planThroughSession(session, flow);
    const { plan } = result;
    assertPlanHasNoErrors(plan);
    const hold = (await session.use((store) => store.readHold())) ?? undefined;
    // A restore holds this commit back: nothing is applied, the log says so every cycle.
    if (opts.mode === "apply" && hold && heldBack(hold, fetched)) return { status: "held", commit: fetched, summary: plan.summary, hold };
    const decision = decideCycle({ plan, commit: fetched, last, mode: opts.mode });
    const newCommit = last?.commit !== fetched;
    const held = hold ? { hold } : {};

    if (decision === "report") {
      return { status: "out-of-sync", commit: fetched, summary: plan.summary, changes: changeList(plan), ...held };
    }
    if (decision === "in-sync") {
      if (opts.mode === "apply") last = { commit: fetched, configDigest: plan.config_digest, stateDigest: plan.state_digest };
      return { status: "in-sync", commit: fetched, summary: plan.summary, stateDigest: plan.state_digest, newCommit, ...held };
    }
    // Shutdown asked before the transaction began: stop here, nothing written. Once begun, it finishes.
    signal.throwIfAborted();
    let revision;
    try {
      revision = await session.use(() => applyComputedPlan(result, { ...flow, allowDestroy: opts.allowDestroy, lockTimeoutMs: opts.lockTimeoutMs }));
    } catch (err) {
      // Another apply (a second sync, a CI job) committed between our plan and our lock: ours is stale by design.
      if (err instanceof UserError && err.code === "plan.stale") return { status: "skipped", commit: fetched, reason: "lost-apply-race", detail: {} };
      // A restore committed between our read of the hold and our lock: held from now on.
      if (err instanceof UserError && err.code === "hold.refused") {
        const now = await session.use((store) => store.readHold());
        if (now) return { status: "held", commit: fetched, summary: plan.summary, hold: now };
      }
      throw err;
    }
    last = { commit: fetched, configDigest: plan.config_digest, stateDigest: plan.state_digest };
    // A new commit that changes nothing writes nothing: no transaction, no revision.
    if (!revision) return { status: "in-sync", commit: fetched, summary: plan.summary, stateDigest: plan.state_digest, newCommit };
    return { status: "applied", commit: fetched, summary: plan.summary, revision: revision.id, ...(revision.released_hold ? { releasedHold: revision.released_hold } : {}) };
  }

  return {
    currentCommit: () => commit,
    lastSynced: () => last,
    async cycle(signal) {
      commit = null;
      const lock = await lockWorkdir(workdir);
      if (!lock.acquired) return { status: "skipped", commit: null, reason: "workdir-locked", detail: { workdir, holder: lock.holder } };
      try {
        return await reconcile(signal);
      } finally {
        await lock.release();
      }
    },
  };
}

/** --config-path names a directory of the repository, not a way out of it. */
function assertInside(workdir: string, configPath: string): void {
  const rel = relative(workdir, resolve(workdir, configPath));
  if (isAbsolute(configPath) || rel.startsWith("..") || isAbsolute(rel)) {
    throw new UserError("sync.config-path", `--config-path ${configPath} must be a directory inside the repository`);
  }
}
