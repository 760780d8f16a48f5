import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";

export default class DbCreateAccount extends BaseCommand {
  static override summary = "Create an account row (local trials: the platform owns accounts in production)";
  static override description =
    "Accounts are runtime rows that cfgsync reads but never applies. To try config/accounts/*.yaml against a fresh database, create the accounts they name first.";
  static override examples = ["<%= config.bin %> db create-account acme globex"];
  static override strict = false;
  static override args = { slug: Args.string({ description: "account slug(s)", required: true, ignoreStdin: true }) };
  static override flags = { name: Flags.string({ description: "display name (default: the slug)" }) };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(DbCreateAccount);
    const accounts = await this.withStore(this.databaseUrl(flags["database-url"]), (store) => store.createAccounts(argv as string[], flags.name));
    for (const account of accounts) {
      process.stdout.write(account.id !== undefined ? `created account ${account.slug} (id ${account.id})\n` : `account ${account.slug} exists\n`);
    }
  }
}
