import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command.js";

export default class Export extends BaseCommand {
  static override summary = "Write the database's configuration as config/ YAML (adopt an existing database)";
  static override description =
    "Reads the live catalog, integration defaults, credit rules, settings schemas and account overrides and writes YAML that validates and plans to no changes. API keys are written as from_env references, never as values.";
  static override examples = ["<%= config.bin %> export --out config"];
  static override flags = {
    out: Flags.string({ description: "directory to write into", required: true }),
    force: Flags.boolean({ description: "overwrite files that exist" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Export);
    const { exportLiveState } = await import("../export/to-yaml.js");
    const { schemaHrefFrom, writeExport } = await import("../export/write.js");
    const { formatDiagnosticLine } = await import("../domain/diagnostic.js");
    const live = await this.withStore(this.databaseUrl(flags["database-url"]), (store) => store.readLive());
    const { files, skipped } = exportLiveState(live, schemaHrefFrom(flags.out));
    const written = await writeExport(flags.out, files, { force: flags.force });
    process.stdout.write(written.map((f) => `wrote ${f}\n`).join("") + `Exported ${written.length} file(s) to ${flags.out}.\n`);
    for (const d of skipped) process.stderr.write(formatDiagnosticLine(d) + "\n");
    if (skipped.length) this.exitWith(1);
  }
}
