import { Flags } from "@oclif/core";
import { BaseCommand, environmentFlag } from "../cli/base-command.js";

export default class Sync extends BaseCommand {
  static override summary = "GitOps reconcile loop: fetch the repository, plan, apply or report drift, on an interval";
  static override description =
    "Every --interval (±10 % jitter; exponential backoff after failures) fetches --ref of --repo into a work directory, validates the configuration at --config-path, plans against the database and, in apply mode, applies (as `apply --auto-approve`; deletes need --allow-destroy) or, in detect mode, reports what is out of sync without writing. A cycle whose commit is unchanged and whose plan is empty only logs \"in sync\". Logs one JSON object per line on stdout. SIGINT/SIGTERM let the current cycle finish (an apply is one transaction), then exit 0. --once runs one cycle: exit 0 in sync or applied, 2 when detect mode finds changes, 1 on error. Without --once, failures are retried with backoff; only one no retry can fix (a work directory holding other files, git missing) exits 1. On PostgreSQL, sync processes sharing a database elect a leader (a session advisory lock): the others stand by and take over as soon as its session ends. While a `cfgsync restore` holds Git back, the held commit is not applied (logged as `held`).";
  static override examples = [
    "<%= config.bin %> sync --repo https://github.com/acme/platform-config.git --ref main --interval 60s",
    "<%= config.bin %> sync --repo ../platform-config --mode detect --once",
  ];
  static override flags = {
    env: environmentFlag(),
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
    const { runSync } = await import("../sync/run.js");
    if (flags.env !== undefined) {
      // The fetched commit's config/environments/ is checked each cycle; here only the name's form.
      const { ENVIRONMENT_NAME } = await import("../schema/document-kinds.js");
      const { UserError } = await import("../domain/diagnostic.js");
      if (!ENVIRONMENT_NAME.test(flags.env)) throw new UserError("usage.unknown-environment", `"${flags.env.slice(0, 63)}" is not an environment name (lowercase letters, digits, '_' or '-')`);
    }
    const { clockFromEnv } = await import("../cli/test-hooks.js");
    const code = await runSync({
      repo: flags.repo,
      ref: flags.ref,
      interval: flags.interval,
      mode: flags.mode as "apply" | "detect",
      workdir: flags.workdir,
      configPath: flags["config-path"],
      once: flags.once,
      allowDestroy: flags["allow-destroy"],
      maxBackoff: flags["max-backoff"],
      gitTimeout: flags["git-timeout"],
      lockTimeoutMs: flags["lock-timeout"] * 1000,
      databaseUrl: this.databaseUrl(flags["database-url"]),
      ...(flags.env !== undefined ? { environment: flags.env } : {}),
      env: process.env,
      cwd: process.cwd(),
      write: (line) => process.stdout.write(line),
      clock: clockFromEnv(process.env),
    });
    this.exitWith(code);
  }
}
