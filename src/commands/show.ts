import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command.js";
import type { Plan } from "../plan/types.js";

export default class Show extends BaseCommand {
  static override summary = "Render a saved plan (the artifact of `plan --out`) as text, Markdown or JSON";
  static override description =
    "Reads a plan saved by `cfgsync plan --out FILE` (a CI artifact, say) and prints it without touching config/ or the database: text as `plan` prints it, Markdown as the pull-request comment shows it, or the JSON itself.";
  static override examples = [
    "<%= config.bin %> show plan.json",
    "<%= config.bin %> show plan.json --format markdown > plan.md",
    "<%= config.bin %> show plan.json --format json",
  ];
  static override args = { file: Args.string({ description: "a plan saved by `cfgsync plan --out FILE`", required: true, ignoreStdin: true }) };
  static override flags = {
    format: Flags.string({ description: "output format", options: ["text", "markdown", "json"], default: "text" }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<Plan | undefined> {
    const { args, flags } = await this.parse(Show);
    const { readPlanFile } = await import("../plan/plan-file.js");
    const plan = await readPlanFile(args.file);
    if (this.jsonEnabled()) return plan;
    if (flags.format === "json") {
      const { renderPlanJson } = await import("../render/text.js");
      process.stdout.write(renderPlanJson(plan));
    } else if (flags.format === "markdown") {
      const { renderPlanMarkdown } = await import("../render/markdown.js");
      process.stdout.write(renderPlanMarkdown(plan, { maxChars: Number.MAX_SAFE_INTEGER }) + "\n");
    } else {
      const { renderPlanText } = await import("../render/text.js");
      const { wantsColor } = await import("../render/style.js");
      process.stdout.write(renderPlanText(plan, { color: wantsColor(process.stdout, process.env) }));
    }
    return undefined;
  }
}
