import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";
import { UserError } from "../../domain/diagnostic.js";

export default class DbCreateAccount extends BaseCommand {
  static override summary = "Create an account row (local trials: the platform owns accounts in production)";
  static override description =
    "Accounts are runtime rows that cfgsync reads but never applies. To try config/accounts/*.yaml against a fresh database, create the accounts they name first.";
  static override examples = ["<%= config.bin %> db create-account acme globex"];
  static override strict = false;
  static override args = { slug: Args.string({ description: "account slug(s)", required: true }) };
  static override flags = { name: Flags.string({ description: "display name (default: the slug)" }) };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(DbCreateAccount);
    const slugs = argv as string[];
    const bad = slugs.find((s) => !/^[a-z0-9][a-z0-9._-]*$/.test(s));
    if (bad) throw new UserError("usage.invalid-slug", `'${bad}' is not an account slug (lowercase letters, digits, '.', '_' or '-')`);
    const db = await this.openRuntimeDb(flags["database-url"]);
    try {
      for (const slug of slugs) {
        const rows = await db.query<{ id: number }>(
          "INSERT INTO account (slug, name, credits, created_at) VALUES ($1, $2, 0, $3) ON CONFLICT (slug) DO NOTHING RETURNING id",
          [slug, flags.name ?? slug, new Date()],
        );
        process.stdout.write(rows.length ? `created account ${slug} (id ${rows[0]!.id})\n` : `account ${slug} exists\n`);
      }
    } finally {
      await db.close();
    }
  }
}
