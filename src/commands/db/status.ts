import { BaseCommand } from "../../cli/base-command.js";
import { ExitCode } from "../../domain/diagnostic.js";

export default class DbStatus extends BaseCommand {
  static override summary = "List the migrations the database still needs (exit 2 when some are pending)";
  static override description =
    "Reads Prisma's _prisma_migrations table, as `prisma migrate status` does, and compares it with the migrations this cfgsync ships. Writes nothing (an SQLite file that does not exist is not created). Exit 0: up to date; 2: migrations pending (`cfgsync db migrate --dry-run` prints their SQL); 1: error.";
  static override examples = ["<%= config.bin %> db status", "<%= config.bin %> db status --json"];
  static override enableJsonFlag = true;

  async run(): Promise<{ database: string; up_to_date: boolean; applied: string[]; pending: string[]; changed: string[] }> {
    const { flags } = await this.parse(DbStatus);
    const { parseDatabaseUrl } = await import("../../store/database-url.js");
    const { migrationStatus } = await import("../../store/migrate.js");
    const target = parseDatabaseUrl(this.databaseUrl(flags["database-url"]));
    const status = await migrationStatus(target);
    const pending = status.pending.map((m) => m.name);
    if (!this.jsonEnabled()) {
      const lines = [`Database ${target.display}: ${status.applied.length} migration(s) applied, ${pending.length} pending.`];
      for (const name of pending) lines.push(`  pending  ${name}`);
      for (const name of status.changed) lines.push(`  changed  ${name} (its file differs from what was applied)`);
      lines.push(pending.length ? "Run `cfgsync db migrate` to apply them (`--dry-run` prints the SQL)." : "The schema is up to date.");
      process.stdout.write(lines.join("\n") + "\n");
    }
    this.exitWith(pending.length ? ExitCode.changes : ExitCode.ok);
    return { database: target.display, up_to_date: pending.length === 0, applied: status.applied, pending, changed: status.changed };
  }
}
