import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command.js";

export default class History extends BaseCommand {
  static override summary = "List past applies (revisions), newest first";
  static override examples = ["<%= config.bin %> history", "<%= config.bin %> history --limit 5 --json"];
  static override flags = {
    limit: Flags.integer({ description: "how many revisions", default: 20 }),
    json: Flags.boolean({ description: "print revisions as JSON" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(History);
    const { openStore } = await import("../app/flow.js");
    const { renderHistoryText } = await import("../render/drift.js");
    const store = await openStore(this.databaseUrl(flags["database-url"]));
    try {
      const revisions = await store.history({ limit: flags.limit });
      process.stdout.write(flags.json ? JSON.stringify(revisions, null, 2) + "\n" : renderHistoryText(revisions));
    } finally {
      await store.close();
    }
  }
}
