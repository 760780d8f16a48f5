import { BaseCommand } from "../../cli/base-command.js";
import type { Hold } from "../../domain/restore.js";

export default class HoldStatus extends BaseCommand {
  static override summary = "Show whether a restore holds Git back: since when, which revision, which commit waits";
  static override description = "Exit 0 either way. `cfgsync hold release` ends the hold; so does an apply of a commit other than the one that waits.";
  static override examples = ["<%= config.bin %> hold status", "<%= config.bin %> hold status --json"];
  static override enableJsonFlag = true;

  async run(): Promise<{ hold: Hold | null }> {
    const { flags } = await this.parse(HoldStatus);
    const { holdStatusLine } = await import("../../render/restore.js");
    const hold = await this.withStore(this.databaseUrl(flags["database-url"]), (store) => store.readHold());
    if (!this.jsonEnabled()) process.stdout.write(holdStatusLine(hold) + "\n");
    return { hold };
  }
}
