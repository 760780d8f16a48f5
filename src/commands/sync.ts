import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command.js";
import { ExitCode, type ExitCodeValue } from "../domain/codes.js";

export default class Sync extends BaseCommand {
  static override summary = "GitOps reconcile loop: fetch the repository, plan, apply or report drift, on an interval";
  static override description =
    "Every --interval (±10 % jitter; exponential backoff after failures) fetches --ref of --repo into a work directory, validates the configuration at --config-path, plans against the database and, in apply mode, applies (as `apply --auto-approve`; deletes need --allow-destroy) or, in detect mode, reports what is out of sync without writing. A cycle whose commit is unchanged and whose plan is empty only logs \"in sync\". Logs one JSON object per line on stdout. SIGINT/SIGTERM let the current cycle finish (an apply is one transaction), then exit 0. --once runs one cycle: exit 0 in sync or applied, 2 when detect mode finds changes, 1 on error. Without --once, failures are retried with backoff; only one no retry can fix (a work directory holding other files, git missing) exits 1.";
  static override examples = [
    "<%= config.bin %> sync --repo https://github.com/acme/platform-config.git --ref main --interval 60s",
    "<%= config.bin %> sync --repo ../platform-config --mode detect --once",
  ];
  static override flags = {
    repo: Flags.string({ description: "Git repository holding the configuration: URL or path" }),
    ref: Flags.string({ description: "branch, tag or commit to follow", default: "main" }),
    interval: Flags.string({ description: "time between cycles (e.g. 30s, 5m)", default: "60s" }),
    mode: Flags.string({ description: "apply: make the database match; detect: only report", options: ["apply", "detect"], default: "apply" }),
    workdir: Flags.string({ description: "where the checkout lives between cycles (default: .cfgsync/sync-<repo digest>)" }),
    "config-path": Flags.string({ description: "configuration directory inside the repository", default: "config" }),
    once: Flags.boolean({ description: "run one cycle and exit" }),
    "allow-destroy": Flags.boolean({ description: "allow deleting models and credit rules removed from the configuration" }),
    "max-backoff": Flags.string({ description: "longest wait between retries after failures", default: "10m" }),
    "git-timeout": Flags.string({ description: "limit for each git command", default: "2m" }),
    "lock-timeout": Flags.integer({ description: "seconds to wait for another apply's lock", default: 30 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Sync);
    const { UserError } = await import("../domain/diagnostic.js");
    const { parseDurationAtLeast } = await import("../app/duration.js");
    const { createJsonLogger, redactUrlCredentials } = await import("../app/log.js");
    const { defaultWorkdir } = await import("../sync/workdir.js");
    const { createReconciler } = await import("../sync/reconciler.js");
    const { StoreSession } = await import("../app/store-session.js");
    const { abortableSleep, runLoop, runOnce } = await import("../sync/loop.js");
    const { stopOnSignals } = await import("../app/shutdown.js");

    if (!flags.repo) {
      throw new UserError("sync.repo-missing", "cfgsync sync needs --repo: the Git repository that holds the configuration", {
        suggestions: ["cfgsync sync --repo https://github.com/ORG/REPO.git --ref main", "cfgsync sync --repo ./path/to/local/clone --once"],
      });
    }
    const intervalMs = parseDurationAtLeast(flags.interval, "interval", 100);
    const maxBackoffMs = parseDurationAtLeast(flags["max-backoff"], "max-backoff", 100);
    const gitTimeoutMs = parseDurationAtLeast(flags["git-timeout"], "git-timeout", 1000);
    const mode = flags.mode as "apply" | "detect";
    const cwd = process.cwd();
    const log = createJsonLogger((line) => process.stdout.write(line));
    const session = new StoreSession(this.databaseUrl(flags["database-url"]));
    const reconciler = createReconciler(
      {
        repo: flags.repo,
        ref: flags.ref,
        workdir: flags.workdir ?? defaultWorkdir(flags.repo, cwd),
        configPath: flags["config-path"],
        mode,
        allowDestroy: flags["allow-destroy"],
        databaseUrl: this.databaseUrl(flags["database-url"]),
        // Revisions name who applied: the loop, unless the operator says otherwise.
        env: { ...process.env, CFGSYNC_ACTOR: process.env.CFGSYNC_ACTOR ?? "cfgsync-sync" },
        gitTimeoutMs,
        lockTimeoutMs: flags["lock-timeout"] * 1000,
        cwd,
      },
      session,
    );
    const shutdown = stopOnSignals((sig) => log("info", "stopping: the current cycle finishes first", { signal: sig, commit: reconciler.currentCommit() }));
    log("info", "sync started", { repo: redactUrlCredentials(flags.repo), ref: flags.ref, mode, interval_ms: intervalMs, once: flags.once });
    if (redactUrlCredentials(flags.repo) !== flags.repo) {
      // Other users can read a process's arguments: hide the credentials there too (Linux rewrites the command line).
      process.title = redactUrlCredentials(process.argv.join(" "));
      log("warn", "the repository URL carries credentials: cfgsync keeps them out of disk and logs, but prefer CFGSYNC_GIT_TOKEN or a git credential helper", {
        repo: redactUrlCredentials(flags.repo),
      });
    }
    let code: ExitCodeValue = ExitCode.ok;
    try {
      const deps = { cycle: (s: AbortSignal) => reconciler.cycle(s), log, mode, signal: shutdown.signal, currentCommit: () => reconciler.currentCommit() };
      if (flags.once) code = await runOnce(deps);
      else code = await runLoop({ ...deps, schedule: { intervalMs, maxBackoffMs, jitterRatio: 0.1 }, random: Math.random, sleep: abortableSleep });
    } finally {
      await session.close();
      shutdown.dispose();
    }
    log("info", "stopped", { commit: reconciler.lastSynced()?.commit ?? reconciler.currentCommit() });
    this.exitWith(code);
  }
}
