import { Flags } from "@oclif/core";
import { BaseCommand, environmentFlag } from "../cli/base-command.js";
import { ExitCode } from "../domain/diagnostic.js";
import type { ReportFormat, ValidationReport } from "../config/report.js";

export default class Validate extends BaseCommand {
  static override summary = "Check config/: schema, cross-references, policies and secrets";
  static override description =
    "Parses every YAML file under the configuration directory, checks each document against its JSON Schema and the catalog, integration, credit, account and policy rules, and scans for plaintext secrets. Needs no database. Exits 0 when valid (warnings allowed), 1 otherwise.";
  static override examples = [
    "<%= config.bin %> validate",
    "<%= config.bin %> validate --config-dir path/to/config --json",
    "<%= config.bin %> validate --format github",
    "<%= config.bin %> validate --env production   # also the rules on config/ with production's overrides",
  ];
  static override flags = {
    env: environmentFlag(),
    format: Flags.string({ description: "output format", options: ["text", "json", "github"], default: "text" }),
  };

  static override enableJsonFlag = true;

  async run(): Promise<ValidationReport | undefined> {
    const { flags } = await this.parse(Validate);
    const { loadConfig } = await import("../config/load.js");
    const { renderReport, validationReport } = await import("../config/report.js");
    const environment = flags.env === undefined ? undefined : await (await import("../app/environment.js")).checkEnvironment(flags["config-dir"], flags.env);
    const { diagnostics } = await loadConfig(flags["config-dir"], {
      progress: this.progress(this.jsonEnabled() || flags.format !== "text"),
      ...(environment !== undefined ? { environment } : { checkEnvironments: true }),
    });
    const report = validationReport(diagnostics);
    this.exitWith(report.valid ? ExitCode.ok : ExitCode.error);
    if (this.jsonEnabled()) return report;
    const { makeStyle, paintSeverity, wantsColor } = await import("../render/style.js");
    const paint = paintSeverity(makeStyle(wantsColor(process.stdout, process.env)));
    process.stdout.write(renderReport(report, flags.format as ReportFormat, flags["config-dir"], paint));
    return undefined;
  }
}
