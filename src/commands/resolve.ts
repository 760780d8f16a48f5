import { Flags } from "@oclif/core";
import { BaseCommand, environmentFlag } from "../cli/base-command.js";

export default class Resolve extends BaseCommand {
  static override summary = "Show the effective configuration of an account (and user), each value with its origin";
  static override description =
    "Merges Global -> Account -> User (later wins) like the platform does, from config/ and the database, and prints every value with where it comes from (file:line, or the database row), like `git config --show-origin`.";
  static override examples = [
    "<%= config.bin %> resolve --account acme",
    "<%= config.bin %> resolve --account acme --user 42 --json",
  ];
  static override flags = {
    env: environmentFlag(),
    account: Flags.string({ description: "account slug", required: true }),
    user: Flags.integer({ description: "user id: adds the user's own settings", min: 1 }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Resolve);
    const { loadValidConfig } = await import("../app/flow.js");
    const { openRuntimeDb, whenMigrated } = await import("../runtime/db.js");
    const { resolveWithConfig } = await import("../runtime/resolve.js");
    const { effectiveJson, renderEffectiveText } = await import("../runtime/effective.js");
    const target = await this.target(flags);
    const loaded = await loadValidConfig(flags["config-dir"], undefined, undefined, target.environment);
    const url = target.databaseUrl;
    const db = await openRuntimeDb(url);
    try {
      const who = { account: flags.account, ...(flags.user !== undefined ? { userId: flags.user } : {}) };
      const config = await whenMigrated(url, () => resolveWithConfig(loaded.desired, db, who));
      const subject = { account: flags.account, ...(flags.user !== undefined ? { user: flags.user } : {}) };
      if (this.jsonEnabled()) return effectiveJson(config, subject);
      process.stdout.write(renderEffectiveText(config));
      return undefined;
    } finally {
      await db.close();
    }
  }
}
