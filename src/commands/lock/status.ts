import { BaseCommand } from "../../cli/base-command.js";
import type { LockStatus } from "../../domain/lock.js";

export default class LockStatusCommand extends BaseCommand {
  static override summary = "Show whether an apply holds the lock, and who: actor, host, pid or CI run, since when";
  static override description =
    "Exit 0 either way. A holder record without a held lock is what a holder that died leaves behind: `cfgsync lock release --force` clears it.";
  static override examples = ["<%= config.bin %> lock status", "<%= config.bin %> lock status --json"];
  static override enableJsonFlag = true;

  async run(): Promise<LockStatus> {
    const { flags } = await this.parse(LockStatusCommand);
    const { parseDatabaseUrl } = await import("../../store/database-url.js");
    const { readLockStatus } = await import("../../store/lock.js");
    const { renderLockStatus } = await import("../../render/lock.js");
    const status = await readLockStatus(parseDatabaseUrl(this.databaseUrl(flags["database-url"])));
    if (!this.jsonEnabled()) process.stdout.write(renderLockStatus(status) + "\n");
    return status;
  }
}
