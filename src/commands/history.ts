import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command.js";
import type { RevisionRecord } from "../store/types.js";

export default class History extends BaseCommand {
  static override summary = "List past applies (revisions), newest first";
  static override examples = ["<%= config.bin %> history", "<%= config.bin %> history --limit 5 --json"];
  static override flags = {
    limit: Flags.integer({ description: "how many revisions", default: 20 }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<RevisionRecord[]> {
    const { flags } = await this.parse(History);
    const { renderHistoryText } = await import("../render/drift.js");
    const revisions = await this.withStore(this.databaseUrl(flags["database-url"]), (store) => store.history({ limit: flags.limit }));
    if (!this.jsonEnabled()) process.stdout.write(renderHistoryText(revisions));
    return revisions;
  }
}
