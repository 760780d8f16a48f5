import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command.js";
import { ExitCode } from "../domain/codes.js";
import type { Plan } from "../plan/types.js";
import type { AppliedRevision } from "../store/types.js";

interface RestoreResult {
  applied: boolean;
  revision: AppliedRevision | null;
  summary: Plan["summary"];
  restored_from: number;
}

export default class Restore extends BaseCommand {
  static override summary = "Return the database to the desired state a past revision applied, and hold Git back";
  static override description =
    "Plans a return to revision N's desired state (kept with the revision, API keys as digests only: a restore leaves keys as they are and warns when one differs). A normal plan: shown, asked at a terminal (--auto-approve otherwise), applied under the lock in one transaction and recorded as a revision that names N. --out saves the plan instead, for `cfgsync apply FILE`. The restore holds Git back: sync skips applying, and apply refuses, the commit Git was at, until `cfgsync hold release` or an apply of another commit. Exit 0 restored, 1 error, 75 lock held.";
  static override examples = [
    "<%= config.bin %> history",
    "<%= config.bin %> restore --revision 41",
    "<%= config.bin %> restore --revision 41 --out restore.json && cfgsync apply restore.json",
  ];
  static override flags = {
    revision: Flags.integer({ description: "the revision whose desired state to return to (`cfgsync history`)", required: true, min: 1 }),
    out: Flags.string({ description: "save the restore plan (JSON) for `cfgsync apply FILE` instead of applying" }),
    "auto-approve": Flags.boolean({ description: "apply without asking" }),
    "allow-destroy": Flags.boolean({ description: "allow deleting models and credit rules that revision did not have" }),
    "lock-timeout": Flags.integer({ description: "seconds to wait for another apply's lock", default: 30, min: 0 }),
    full: Flags.boolean({ description: "list every change of the plan (by default a kind with more than 50 changes is summarised)" }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<RestoreResult | Plan> {
    const { flags } = await this.parse(Restore);
    const flow = await import("../app/flow.js");
    const { planJsonChunks, planTextLines } = await import("../render/text.js");
    const { holdChangeLines, restoredLine } = await import("../render/restore.js");
    const { writeChunks, writeChunksToFile } = await import("../cli/output.js");
    const { wantsColor } = await import("../render/style.js");
    const { assertPlanHasNoErrors, hasChanges, planErrors } = await import("../plan/types.js");
    const { confirm } = await import("../cli/confirm.js");
    const json = this.jsonEnabled();
    const opts = {
      databaseUrl: this.databaseUrl(flags["database-url"]),
      env: process.env,
      revision: flags.revision,
      allowDestroy: flags["allow-destroy"],
      lockTimeoutMs: flags["lock-timeout"] * 1000,
      progress: this.progress(json),
    };
    const result = await flow.computeRestorePlan(opts);
    try {
      const { plan } = result;
      if (!json) await writeChunks(process.stdout, planTextLines(plan, { color: wantsColor(process.stdout, process.env), full: flags.full }), "\n");
      if (flags.out) {
        await writeChunksToFile(flags.out, planJsonChunks(plan));
        const errors = planErrors(plan).length > 0;
        if (!json) {
          process.stdout.write(
            errors
              ? `Saved the restore plan to ${flags.out}; it has errors and cannot be applied until they are fixed.\n`
              : `Saved the restore plan to ${flags.out} (changes ${plan.changes_digest}). Apply it with: cfgsync apply ${flags.out}\n`,
          );
        }
        this.exitWith(errors ? ExitCode.error : ExitCode.ok);
        return plan;
      }
      assertPlanHasNoErrors(plan);
      if (!flags["auto-approve"]) await confirm(`Restore revision ${flags.revision}'s configuration?`);
      const revision = await flow.applyComputedPlan(result, opts);
      if (!json) process.stdout.write([restoredLine(plan, revision?.id ?? null), ...holdChangeLines(revision)].join("\n") + "\n");
      return { applied: revision !== null && hasChanges(plan), revision, summary: plan.summary, restored_from: flags.revision };
    } finally {
      await result.store.close();
    }
  }
}
