import { parseDurationAtLeast } from "../app/duration.js";
import { createJsonLogger, redactUrlCredentials, type Logger } from "../app/log.js";
import { stopOnSignals } from "../app/shutdown.js";
import { StoreSession } from "../app/store-session.js";
import { ExitCode, type ExitCodeValue } from "../domain/codes.js";
import { UserError } from "../domain/diagnostic.js";
import { abortableSleep, runLoop, runOnce } from "./loop.js";
import type { CycleOutcome } from "./cycle.js";
import { parseDatabaseUrl } from "../store/database-url.js";
import { openLeadership, type SyncLeadership } from "../store/leader.js";
import { createReconciler } from "./reconciler.js";
import { defaultWorkdir } from "./workdir.js";

/** What `cfgsync sync` is asked, as its flags say it (durations still as text). */
export interface SyncRequest {
  repo: string | undefined;
  ref: string;
  interval: string;
  mode: "apply" | "detect";
  workdir: string | undefined;
  configPath: string;
  once: boolean;
  allowDestroy: boolean;
  maxBackoff: string;
  gitTimeout: string;
  lockTimeoutMs: number;
  databaseUrl: string;
  /** The environment overlaid each cycle (`--env`), from the fetched commit's config/environments/. */
  environment?: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Where the JSON log lines go. */
  write: (line: string) => void;
  /** The clock each cycle plans by (default: the system's). */
  clock?: () => Date;
}

/**
 * The GitOps loop, wired: a store session kept across cycles, the reconciler,
 * graceful shutdown on SIGINT/SIGTERM, one JSON log line per event. Resolves
 * to the exit code (see sync/loop.ts).
 */
export async function runSync(req: SyncRequest): Promise<ExitCodeValue> {
  if (!req.repo) {
    throw new UserError("sync.repo-missing", "cfgsync sync needs --repo: the Git repository that holds the configuration", {
      suggestions: ["cfgsync sync --repo https://github.com/ORG/REPO.git --ref main", "cfgsync sync --repo ./path/to/local/clone --once"],
    });
  }
  const intervalMs = parseDurationAtLeast(req.interval, "interval", 100);
  const maxBackoffMs = parseDurationAtLeast(req.maxBackoff, "max-backoff", 100);
  const gitTimeoutMs = parseDurationAtLeast(req.gitTimeout, "git-timeout", 1000);
  const { mode, cwd } = req;
  const log = createJsonLogger(req.write);
  const session = new StoreSession(req.databaseUrl);
  const reconciler = createReconciler(
    {
      repo: req.repo,
      ref: req.ref,
      workdir: req.workdir ?? defaultWorkdir(req.repo, cwd),
      configPath: req.configPath,
      mode,
      allowDestroy: req.allowDestroy,
      databaseUrl: req.databaseUrl,
      ...(req.environment !== undefined ? { environment: req.environment } : {}),
      // Revisions name who applied: the loop, unless the operator says otherwise.
      env: { ...req.env, CFGSYNC_ACTOR: req.env.CFGSYNC_ACTOR ?? "cfgsync-sync" },
      gitTimeoutMs,
      lockTimeoutMs: req.lockTimeoutMs,
      cwd,
      ...(req.clock ? { clock: req.clock } : {}),
    },
    session,
  );
  const shutdown = stopOnSignals((sig) => log("info", "stopping: the current cycle finishes first", { signal: sig, commit: reconciler.currentCommit() }));
  log("info", "sync started", { repo: redactUrlCredentials(req.repo), ref: req.ref, mode, interval_ms: intervalMs, once: req.once });
  if (redactUrlCredentials(req.repo) !== req.repo) {
    // Other users can read a process's arguments: hide the credentials there too (Linux rewrites the command line).
    process.title = redactUrlCredentials(process.argv.join(" "));
    log("warn", "the repository URL carries credentials: cfgsync keeps them out of disk and logs, but prefer CFGSYNC_GIT_TOKEN or a git credential helper", {
      repo: redactUrlCredentials(req.repo),
    });
  }
  const leading = leadershipOf(req.databaseUrl, log);
  let code: ExitCodeValue = ExitCode.ok;
  try {
    const cycle = async (s: AbortSignal): Promise<CycleOutcome> => (await leading.standsBy()) ?? reconciler.cycle(s);
    const deps = { cycle, log, mode, signal: shutdown.signal, currentCommit: () => reconciler.currentCommit() };
    if (req.once) code = await runOnce(deps);
    else code = await runLoop({ ...deps, schedule: { intervalMs, maxBackoffMs, jitterRatio: 0.1 }, random: Math.random, sleep: leading.sleep });
  } finally {
    await leading.close();
    await session.close();
    shutdown.dispose();
  }
  log("info", "stopped", { commit: reconciler.lastSynced()?.commit ?? reconciler.currentCommit() });
  return code;
}

/**
 * On PostgreSQL, the sync loops sharing a database elect one leader (see
 * store/leader.ts): a standby's cycle is skipped, and its wait between cycles
 * ends early the moment it takes over from a leader that died. On SQLite (one
 * host, one file) every loop cycles and the apply lock serialises the applies.
 */
function leadershipOf(databaseUrl: string, log: Logger) {
  if (parseDatabaseUrl(databaseUrl).dialect !== "postgresql") {
    return { standsBy: async () => null, sleep: abortableSleep, close: async () => {} };
  }
  let leadership: SyncLeadership | undefined;
  let wasLeader: boolean | undefined;
  return {
    /** null when this process leads (the cycle runs), else the standby's skip. */
    async standsBy(): Promise<CycleOutcome | null> {
      leadership ??= await openLeadership(parseDatabaseUrl(databaseUrl));
      const { leader, holder } = await leadership.lead();
      if (leader !== wasLeader) {
        if (leader) log("info", "leading: this process plans and applies; other sync processes on this database stand by", {});
        else log("info", "standing by: another sync process leads; this one takes over when its session ends", { leader: holder });
      }
      wasLeader = leader;
      return leader ? null : { status: "skipped", commit: null, reason: "standby", detail: { leader: holder } };
    },
    /** The interval, cut short when this standby becomes the leader. */
    async sleep(ms: number, signal: AbortSignal): Promise<void> {
      if (!leadership) return abortableSleep(ms, signal);
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        await Promise.race([abortableSleep(ms, stop.signal), leadership.becameLeader()]);
      } finally {
        stop.abort();
        signal.removeEventListener("abort", onAbort);
      }
    },
    async close() {
      await leadership?.close();
    },
  };
}
