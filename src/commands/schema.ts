import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command.js";
import { ExitCode } from "../domain/diagnostic.js";

export default class Schema extends BaseCommand {
  static override summary = "Write the JSON Schemas of the configuration documents (schemas/*.json)";
  static override description =
    "Generates one JSON Schema per document kind from the zod schemas, for editors (yaml-language-server) and for validation. With --check, writes nothing and exits 1 if the files are stale.";
  static override examples = ["<%= config.bin %> schema", "<%= config.bin %> schema --check"];
  static override flags = {
    check: Flags.boolean({ description: "fail (exit 1) if the schema files are missing or stale; write nothing" }),
    "out-dir": Flags.string({ description: "directory of the schema files (default: the package's schemas/)" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Schema);
    const { packageSchemasDir } = await import("../schema/files.js");
    const { checkSchemaFiles, writeSchemaFiles } = await import("../schema/json-schema.js");
    const dir = flags["out-dir"] ?? packageSchemasDir();
    if (flags.check) {
      const stale = (await checkSchemaFiles(dir)).filter((s) => s.status === "missing" || s.status === "stale");
      for (const s of stale) process.stdout.write(`${s.status}: ${s.file}\n`);
      process.stdout.write(stale.length ? `schemas are stale; run \`cfgsync schema\` to regenerate\n` : "schemas are current\n");
      if (stale.length) this.exitWith(ExitCode.error);
      return;
    }
    const changed = await writeSchemaFiles(dir);
    process.stdout.write(changed.length ? changed.map((f) => `wrote ${f}\n`).join("") : "schemas are current\n");
  }
}
