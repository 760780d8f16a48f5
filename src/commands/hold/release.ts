import { BaseCommand } from "../../cli/base-command.js";
import type { Hold } from "../../domain/restore.js";

export default class HoldRelease extends BaseCommand {
  static override summary = "End a restore's hold: sync and apply apply Git again";
  static override description =
    "Deletes the hold a `cfgsync restore` put on; the next sync cycle (or apply) plans Git's configuration against the restored database and applies it. Nothing else is changed. Exit 0, also when there was no hold.";
  static override examples = ["<%= config.bin %> hold release", "<%= config.bin %> hold release --json"];
  static override enableJsonFlag = true;

  async run(): Promise<{ released: Hold | null }> {
    const { flags } = await this.parse(HoldRelease);
    const { holdReleasedLine } = await import("../../render/restore.js");
    const released = await this.withStore(this.databaseUrl(flags["database-url"]), (store) => store.releaseHold());
    if (!this.jsonEnabled()) process.stdout.write(holdReleasedLine(released) + "\n");
    return { released };
  }
}
