import { parseDurationAtLeast } from "../app/duration.js";
import { createJsonLogger, redactUrlCredentials } from "../app/log.js";
import { stopOnSignals } from "../app/shutdown.js";
import { StoreSession } from "../app/store-session.js";
import { ExitCode, type ExitCodeValue } from "../domain/codes.js";
import { UserError } from "../domain/diagnostic.js";
import { abortableSleep, runLoop, runOnce } from "./loop.js";
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
  let code: ExitCodeValue = ExitCode.ok;
  try {
    const deps = { cycle: (s: AbortSignal) => reconciler.cycle(s), log, mode, signal: shutdown.signal, currentCommit: () => reconciler.currentCommit() };
    if (req.once) code = await runOnce(deps);
    else code = await runLoop({ ...deps, schedule: { intervalMs, maxBackoffMs, jitterRatio: 0.1 }, random: Math.random, sleep: abortableSleep });
  } finally {
    await session.close();
    shutdown.dispose();
  }
  log("info", "stopped", { commit: reconciler.lastSynced()?.commit ?? reconciler.currentCommit() });
  return code;
}
