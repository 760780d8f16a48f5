import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";
import { ExitCode, UserError } from "../../domain/diagnostic.js";

const OUTPUTS = ["text", "json", "markdown"] as const;

export default class CatalogCompare extends BaseCommand {
  static override summary = "Compare the catalog's prices with a public price list";
  static override description =
    "For every configured model the reference prices: each price difference (field, ours, theirs, ratio), unit mistakes (a ratio that is a power of 1,000, such as a per-token price typed into a per-1M field), models the reference deprecates, and configured models it lacks. Exit 0 when nothing differs, 2 when something does, 1 on error. `--format` names the input format (litellm) and, given again, the output (text, json, markdown).";
  static override examples = [
    "<%= config.bin %> catalog compare model_prices_and_context_window.json --format litellm",
    "<%= config.bin %> catalog compare prices.json --format litellm --format markdown",
    "<%= config.bin %> catalog compare prices.json --format litellm --json",
  ];
  static override args = { file: Args.string({ description: "the reference price list (JSON)", required: true, ignoreStdin: true }) };
  static override flags = {
    format: Flags.string({
      description: "input format of FILE (litellm), and optionally the output format (text, json, markdown)",
      options: ["litellm", ...OUTPUTS],
      multiple: true,
      required: true,
    }),
    json: Flags.boolean({ description: "print the comparison as JSON (same as --format json)" }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(CatalogCompare);
    if (!flags.format.includes("litellm")) {
      throw new UserError("catalog.format", "name the reference's format: --format litellm");
    }
    const outputs = flags.format.filter((f) => f !== "litellm");
    if (outputs.length > 1) throw new UserError("catalog.format", `one output format at a time (got ${outputs.join(", ")})`);
    const output = flags.json ? "json" : (outputs[0] ?? "text");
    const { compareWithReference } = await import("../../app/catalog.js");
    const { hasDifferences } = await import("../../domain/price-reference.js");
    const { renderCompareMarkdown, renderCompareText } = await import("../../render/catalog.js");
    const report = await compareWithReference({ configDir: flags["config-dir"], file: args.file });
    process.stdout.write(
      output === "json" ? JSON.stringify(report, null, 2) + "\n" : output === "markdown" ? renderCompareMarkdown(report) : renderCompareText(report),
    );
    if (hasDifferences(report)) this.exitWith(ExitCode.changes);
  }
}
