import { BaseCommand } from "../../cli/base-command.js";

export default class DbMigrate extends BaseCommand {
  static override summary = "Bring the database schema up to date";
  static override description =
    "Applies the pending migrations shipped with cfgsync (prisma/<provider>/migrations), each in its own transaction, and records them in Prisma's _prisma_migrations table. Safe to run repeatedly and concurrently. Exits 1 on error.";
  static override examples = [
    "<%= config.bin %> db migrate",
    "<%= config.bin %> db migrate --database-url postgresql://cfgsync@db.internal/cfgsync",
  ];
  static override enableJsonFlag = true;

  async run(): Promise<{ database: string; applied: string[] } | undefined> {
    const { flags } = await this.parse(DbMigrate);
    const { parseDatabaseUrl } = await import("../../store/database-url.js");
    const { migrateDatabase } = await import("../../store/migrate.js");
    const target = parseDatabaseUrl(this.databaseUrl(flags["database-url"]));
    const { applied } = await migrateDatabase(target);
    if (this.jsonEnabled()) return { database: target.display, applied };
    if (applied.length === 0) {
      process.stdout.write(`Database ${target.display} is up to date.\n`);
    } else {
      for (const name of applied) process.stdout.write(`applied ${name}\n`);
      process.stdout.write(`Database ${target.display} is up to date (${applied.length} migration(s) applied).\n`);
    }
    return undefined;
  }
}
