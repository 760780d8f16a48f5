import { Flags } from "@oclif/core";
import { BaseCommand, environmentFlag } from "../cli/base-command.js";
import { ExitCode } from "../domain/diagnostic.js";
import type { Plan as PlanValue } from "../plan/types.js";

export default class Plan extends BaseCommand {
  static override summary = "Show what applying config/ would change in the database";
  static override description =
    "Diffs the desired state (YAML) against the live database and the last applied state: create, update, delete, drift (changed outside Git) and unmanaged rows, with the margin impact of price changes.";
  static override examples = [
    "<%= config.bin %> plan",
    "<%= config.bin %> plan --out plan.json",
    "<%= config.bin %> plan --env staging   # config/ with config/environments/staging.yaml overlaid",
    "<%= config.bin %> plan --json --detailed-exitcode",
    "<%= config.bin %> plan --format github   # policy errors as annotations on the config lines",
    "<%= config.bin %> plan --at 2027-01-01T00:00:00Z   # as of that instant: the scheduled prices due by then apply",
  ];
  static override enableJsonFlag = true;
  static override flags = {
    env: environmentFlag(),
    out: Flags.string({ description: "save the plan (JSON) for `cfgsync apply FILE`" }),
    format: Flags.string({
      description: "text, or github: the text plan preceded by workflow commands that annotate the config lines of its errors and warnings",
      options: ["text", "github"],
      default: "text",
    }),
    "detailed-exitcode": Flags.boolean({ description: "exit 2 when there are changes, 0 when there are none" }),
    "require-secrets": Flags.boolean({ description: "an unset `from_env` variable is an error (CI), not a key left untouched" }),
    full: Flags.boolean({ description: "list every change; by default a kind with more than 50 changes shows counts and the first 50 (JSON is always complete)" }),
    at: Flags.string({
      description: "plan as of this instant (a timestamp with a zone, e.g. 2027-01-01T00:00:00Z): the scheduled entries due by then apply; such a plan is shown, never applied",
    }),
  };

  async run(): Promise<PlanValue> {
    const { flags } = await this.parse(Plan);
    const { computePlan, planErrors } = await import("../app/flow.js");
    const { planJsonChunks, planTextLines } = await import("../render/text.js");
    const { wantsColor } = await import("../render/style.js");
    const { hasChanges } = await import("../plan/types.js");
    const { writeChunks, writeChunksToFile } = await import("../cli/output.js");
    const target = await this.target(flags);
    const { clockFromEnv } = await import("../cli/test-hooks.js");
    // Only with --at: the instant is checked by the zod declaration of effective_from.
    const at = flags.at === undefined ? undefined : (await import("../cli/instant.js")).parseInstantFlag(flags.at, "at");
    const { plan, store } = await computePlan({
      now: clockFromEnv(process.env)(),
      ...(at !== undefined ? { at } : {}),
      configDir: flags["config-dir"],
      databaseUrl: target.databaseUrl,
      ...(target.environment ? { environment: target.environment } : {}),
      env: process.env,
      requireSecrets: flags["require-secrets"],
      progress: this.progress(this.jsonEnabled()),
    });
    await store.close();
    const errors = planErrors(plan).length > 0;
    if (flags.out) await writeChunksToFile(flags.out, planJsonChunks(plan));
    if (!this.jsonEnabled()) {
      if (flags.format === "github") {
        const { githubCommand } = await import("../config/report.js");
        await writeChunks(process.stdout, plan.diagnostics.map(githubCommand));
      }
      await writeChunks(process.stdout, planTextLines(plan, { color: wantsColor(process.stdout, process.env), full: flags.full }), "\n");
      if (flags.out) {
        process.stdout.write(
          errors
            ? `Saved the plan to ${flags.out}; it has errors and cannot be applied until they are fixed.\n`
            : `Saved the plan to ${flags.out} (changes ${plan.changes_digest}). Apply it with: cfgsync apply ${flags.out}\n`,
        );
      }
    }
    this.exitWith(errors ? ExitCode.error : flags["detailed-exitcode"] && hasChanges(plan) ? ExitCode.changes : ExitCode.ok);
    return plan;
  }
}
