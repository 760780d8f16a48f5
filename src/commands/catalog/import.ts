import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";

export default class CatalogImport extends BaseCommand {
  static override summary = "Write or update the model catalog from a public price list";
  static override description =
    "Reads a LiteLLM model price map (model_prices_and_context_window.json or an extract) and writes config/models/<provider>.yaml: per-token prices become per 1M, converted from each number's text; models already in the catalog keep their hand-set fields and the files keep their comments; new models come in inactive. Entries the catalog has no place for are skipped with the reason. Running it twice changes nothing.";
  static override examples = [
    "<%= config.bin %> catalog import model_prices_and_context_window.json --format litellm",
    "<%= config.bin %> catalog import prices.json --format litellm --provider openai --provider anthropic --json",
  ];
  static override args = { file: Args.string({ description: "the reference price list (JSON)", required: true, ignoreStdin: true }) };
  static override flags = {
    format: Flags.string({ description: "format of FILE", options: ["litellm"], required: true }),
    provider: Flags.string({ description: "import only this provider's entries (repeatable)", multiple: true }),
    "dry-run": Flags.boolean({ description: "report what would change without writing" }),
    json: Flags.boolean({ description: "print the report as JSON" }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(CatalogImport);
    const { importCatalog } = await import("../../app/catalog.js");
    const { renderImportText } = await import("../../render/catalog.js");
    const { report, written } = await importCatalog({
      configDir: flags["config-dir"],
      file: args.file,
      providers: flags.provider,
      dryRun: flags["dry-run"],
    });
    process.stdout.write(
      flags.json ? JSON.stringify({ ...report, written: flags["dry-run"] ? [] : written }, null, 2) + "\n" : renderImportText(report, { dryRun: flags["dry-run"] }),
    );
  }
}
