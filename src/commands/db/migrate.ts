import { Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";

export default class DbMigrate extends BaseCommand {
  static override summary = "Bring the database schema up to date";
  static override description =
    "Applies the pending migrations shipped with cfgsync (prisma/<provider>/migrations), each in its own transaction, and records them in Prisma's _prisma_migrations table. Safe to run repeatedly and concurrently. --dry-run prints the SQL it would run and changes nothing. Exits 1 on error.";
  static override examples = [
    "<%= config.bin %> db migrate",
    "<%= config.bin %> db migrate --dry-run",
    "<%= config.bin %> db migrate --database-url postgresql://cfgsync@db.internal/cfgsync",
  ];
  static override flags = {
    "dry-run": Flags.boolean({ description: "print the SQL of the pending migrations; apply nothing" }),
  };
  static override enableJsonFlag = true;

  async run(): Promise<{ database: string; applied: string[] } | { database: string; pending: { name: string; sql: string }[] }> {
    const { flags } = await this.parse(DbMigrate);
    const { parseDatabaseUrl } = await import("../../store/database-url.js");
    const { migrateDatabase, migrationStatus } = await import("../../store/migrate.js");
    const target = parseDatabaseUrl(this.databaseUrl(flags["database-url"]));
    if (flags["dry-run"]) {
      const { pending } = await migrationStatus(target);
      if (!this.jsonEnabled()) {
        if (pending.length === 0) process.stdout.write(`-- Database ${target.display} is up to date: nothing to run.\n`);
        for (const m of pending) process.stdout.write(`-- migration ${m.name} (not applied: --dry-run)\n${m.sql.trimEnd()}\n\n`);
      }
      return { database: target.display, pending: pending.map((m) => ({ name: m.name, sql: m.sql })) };
    }
    const { applied } = await migrateDatabase(target);
    if (!this.jsonEnabled()) {
      for (const name of applied) process.stdout.write(`applied ${name}\n`);
      process.stdout.write(
        applied.length === 0
          ? `Database ${target.display} is up to date.\n`
          : `Database ${target.display} is up to date (${applied.length} migration(s) applied).\n`,
      );
    }
    return { database: target.display, applied };
  }
}
