import { Args, Flags } from "@oclif/core";
import { BaseCommand, environmentFlag } from "../cli/base-command.js";
import type { Plan } from "../plan/types.js";
import type { AppliedRevision } from "../store/types.js";

interface ApplyResult {
  applied: boolean;
  revision: AppliedRevision | null;
  summary: Plan["summary"];
}

export default class Apply extends BaseCommand {
  static override summary = "Apply config/ to the database: one transaction, under a lock, recorded";
  static override description =
    "Applies a saved plan (refused as stale if the configuration or the database changed since) or a fresh one. Interactive runs show the plan and ask; CI passes --auto-approve or a saved plan. A saved restore plan (`cfgsync restore --revision N --out FILE`) is planned again from revision N and applied as the restore. While a restore holds Git back, an apply of the held commit is refused (`cfgsync hold release` first); an apply of another commit ends the hold.";
  static override examples = [
    "<%= config.bin %> apply",
    "<%= config.bin %> apply plan.json",
    "<%= config.bin %> apply --auto-approve --allow-destroy",
  ];
  static override args = { file: Args.string({ description: "a plan saved by `cfgsync plan --out FILE`", ignoreStdin: true }) };
  static override flags = {
    env: environmentFlag(),
    "auto-approve": Flags.boolean({ description: "apply without asking" }),
    "allow-destroy": Flags.boolean({ description: "allow deleting models and credit rules removed from config/" }),
    "lock-timeout": Flags.integer({ description: "seconds to wait for another apply's lock", default: 30, min: 0 }),
    "require-secrets": Flags.boolean({ description: "refuse when a `from_env` variable is unset (CI), instead of leaving that key untouched" }),
    "expect-changes": Flags.string({
      description: "apply only if the plan's change-set digest is this one (the reviewed plan's `changes_digest`; `none`: only a plan without changes)",
    }),
    "refused-out": Flags.string({ description: "save the fresh plan here when --expect-changes refuses it (for `cfgsync github post-refused`)" }),
    full: Flags.boolean({ description: "list every change of the plan shown before applying (by default a kind with more than 50 changes is summarised)" }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<ApplyResult> {
    const { args, flags } = await this.parse(Apply);
    const flow = await import("../app/flow.js");
    const { appliedLine, planJsonChunks, planTextLines } = await import("../render/text.js");
    const { writeChunks, writeChunksToFile } = await import("../cli/output.js");
    const { wantsColor } = await import("../render/style.js");
    const { assertPlanHasNoErrors, hasChanges } = await import("../plan/types.js");
    const { applyHooksFromEnv, clockFromEnv } = await import("../cli/test-hooks.js");
    const target = await this.target(flags);
    const { confirm } = await import("../cli/confirm.js");
    const opts = {
      configDir: flags["config-dir"],
      databaseUrl: target.databaseUrl,
      ...(target.environment ? { environment: target.environment } : {}),
      env: process.env,
      allowDestroy: flags["allow-destroy"],
      lockTimeoutMs: flags["lock-timeout"] * 1000,
      requireSecrets: flags["require-secrets"],
      progress: this.progress(this.jsonEnabled()),
      hooks: applyHooksFromEnv(process.env),
      // Applies what is due now; there is no --at (a future state is planned with `plan --at`, never applied early).
      now: clockFromEnv(process.env)(),
    };
    const json = this.jsonEnabled();
    const reviewed = await import("../plan/reviewed.js");
    const expected = flags["expect-changes"] === undefined ? undefined : reviewed.parseExpectedChanges(flags["expect-changes"]);
    const saved = args.file ? await flow.readSavedPlan(args.file) : undefined;
    // A saved restore plan is checked against the restore planned again, not against config/.
    const result = saved?.restore_of ? await flow.computeRestorePlan({ ...opts, revision: saved.restore_of.revision }) : await flow.computePlan(opts);
    try {
      if (saved) flow.assertNotStale(saved, result.plan, args.file!);
      if (!json) await writeChunks(process.stdout, planTextLines(result.plan, { color: wantsColor(process.stdout, process.env), full: flags.full }), "\n");
      if (expected !== undefined) {
        try {
          reviewed.assertChangesReviewed(result.plan, expected);
        } catch (err) {
          if (flags["refused-out"]) await writeChunksToFile(flags["refused-out"], planJsonChunks(result.plan));
          throw err;
        }
      }
      assertPlanHasNoErrors(result.plan);
      if (!saved && !flags["auto-approve"] && hasChanges(result.plan)) await confirm();
      const revision = await flow.applyComputedPlan(result, opts);
      if (!json) {
        const { holdChangeLines, restoredLine } = await import("../render/restore.js");
        const done = result.plan.restore_of ? restoredLine(result.plan, revision?.id ?? null) : appliedLine(result.plan, revision?.id ?? null);
        process.stdout.write([done, ...holdChangeLines(revision)].join("\n") + "\n");
      }
      return { applied: revision !== null && hasChanges(result.plan), revision, summary: result.plan.summary };
    } finally {
      await result.store.close();
    }
  }
}
