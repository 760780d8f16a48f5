import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command.js";
import { ExitCode } from "../domain/diagnostic.js";

export default class Plan extends BaseCommand {
  static override summary = "Show what applying config/ would change in the database";
  static override description =
    "Diffs the desired state (YAML) against the live database and the last applied state: create, update, delete, drift (changed outside Git) and unmanaged rows, with the margin impact of price changes.";
  static override examples = [
    "<%= config.bin %> plan",
    "<%= config.bin %> plan --out plan.json",
    "<%= config.bin %> plan --json --detailed-exitcode",
  ];
  static override flags = {
    out: Flags.string({ description: "save the plan (JSON) for `cfgsync apply FILE`" }),
    json: Flags.boolean({ description: "print the plan as JSON" }),
    "detailed-exitcode": Flags.boolean({ description: "exit 2 when there are changes, 0 when there are none" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Plan);
    const { computePlan, planErrors } = await import("../app/flow.js");
    const { renderPlanJson, renderPlanText } = await import("../render/text.js");
    const { wantsColor } = await import("../render/style.js");
    const { hasChanges } = await import("../plan/types.js");
    const { plan, store } = await computePlan({ configDir: flags["config-dir"], databaseUrl: this.databaseUrl(flags["database-url"]), env: process.env });
    await store.close();
    if (flags.out) {
      const { writeFile } = await import("node:fs/promises");
      await writeFile(flags.out, renderPlanJson(plan));
    }
    process.stdout.write(flags.json ? renderPlanJson(plan) : renderPlanText(plan, { color: wantsColor(process.stdout, process.env) }));
    if (flags.out && !flags.json) {
      process.stdout.write(
        planErrors(plan).length
          ? `Saved the plan to ${flags.out}; it has errors and cannot be applied: fix them, then plan again.\n`
          : `Saved the plan to ${flags.out} (changes ${plan.changes_digest}). Apply it with: cfgsync apply ${flags.out}\n`,
      );
    }
    if (planErrors(plan).length) this.exitWith(ExitCode.error);
    if (flags["detailed-exitcode"] && hasChanges(plan)) this.exitWith(ExitCode.changes);
  }
}
