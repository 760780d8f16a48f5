import { Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";
import { UserError } from "../../domain/diagnostic.js";

export default class LockRelease extends BaseCommand {
  static override summary = "Free the apply lock of a holder that died (needs --force)";
  static override description = [
    "The lock dies with its holder on both databases; what stays behind is the holder record, which this clears.",
    "PostgreSQL: the advisory lock belongs to the holder's session. A session still open (a hung client, a lost network) keeps it: --force ends that session with pg_terminate_backend (its transaction rolls back, nothing half-applied stays; needs the privilege to signal that backend).",
    "SQLite: the write lock is a file lock of a live process on this machine; nothing can take it from that process, so release refuses and names the process to stop. A process that died already freed it: release clears its record.",
  ].join("\n\n");
  static override examples = ["<%= config.bin %> lock status", "<%= config.bin %> lock release --force"];
  static override flags = {
    force: Flags.boolean({ description: "really release: end the holder's PostgreSQL session, clear its record" }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<{ released: string }> {
    const { flags } = await this.parse(LockRelease);
    const { parseDatabaseUrl } = await import("../../store/database-url.js");
    const { readLockStatus, releaseLock } = await import("../../store/lock.js");
    const { renderLockStatus } = await import("../../render/lock.js");
    const target = parseDatabaseUrl(this.databaseUrl(flags["database-url"]));
    if (!flags.force) {
      const status = await readLockStatus(target);
      throw new UserError("lock.release-refused", `not released without --force. ${renderLockStatus(status)}`);
    }
    const { released, status } = await releaseLock(target);
    if (!this.jsonEnabled()) {
      process.stdout.write(
        released === "session"
          ? `Ended the PostgreSQL session (pid ${status.session!.pid}) that held the lock; its transaction rolled back.\n`
          : released === "record"
            ? `The lock was free; cleared the record its last holder left: ${renderLockStatus(status)}\n`
            : "The lock is free and nobody left a record: nothing to release.\n",
      );
    }
    return { released };
  }
}
