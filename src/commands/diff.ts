import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command.js";
import { ExitCode, UserError } from "../domain/diagnostic.js";
import type { DesiredComparison } from "../plan/compare.js";

export default class Diff extends BaseCommand {
  static override summary = "Compare two environments' desired states";
  static override description =
    "Builds the desired state of each environment (config/ with config/environments/NAME.yaml overlaid; one --env compares it with the base configuration) and lists every field that differs, each overridden value with its file and line. Needs no database. Exit 0: the same; 2: they differ; 1: invalid configuration.";
  static override examples = [
    "<%= config.bin %> diff --env staging --env production",
    "<%= config.bin %> diff --env staging            # staging against the base configuration",
    "<%= config.bin %> diff --env staging --env production --json",
  ];
  static override enableJsonFlag = true;
  static override flags = {
    env: Flags.string({ description: "environment to compare (twice: the first against the second; once: against the base configuration)", multiple: true, required: true }),
  };

  async run(): Promise<DesiredComparison> {
    const { flags } = await this.parse(Diff);
    if (flags.env.length > 2) {
      throw new UserError("usage.invalid-flag", `diff compares two environments; got ${flags.env.length} --env flags`, {
        suggestions: ["cfgsync diff --env staging --env production"],
      });
    }
    const { checkEnvironment } = await import("../app/environment.js");
    const { loadValidConfig } = await import("../app/flow.js");
    const { compareDesired } = await import("../plan/compare.js");
    const configDir = flags["config-dir"];
    const names: (string | undefined)[] = flags.env.length === 1 ? [undefined, flags.env[0]] : flags.env;
    const sides = [];
    for (const name of names) {
      const environment = name === undefined ? undefined : await checkEnvironment(configDir, name);
      const loaded = await loadValidConfig(configDir, undefined, undefined, environment);
      sides.push({ name: environment ?? "(base)", desired: loaded.desired });
    }
    const comparison = compareDesired(sides[0]!, sides[1]!);
    if (!this.jsonEnabled()) {
      const { renderComparisonText } = await import("../render/compare.js");
      const { wantsColor } = await import("../render/style.js");
      process.stdout.write(renderComparisonText(comparison, wantsColor(process.stdout, process.env)));
    }
    this.exitWith(comparison.same ? ExitCode.ok : ExitCode.changes);
    return comparison;
  }
}
