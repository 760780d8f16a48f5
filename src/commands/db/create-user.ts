import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";
import { UserError } from "../../domain/diagnostic.js";

export default class DbCreateUser extends BaseCommand {
  static override summary = "Create a user of an account (local trials: the platform owns users in production)";
  static override description =
    "Users are runtime rows that cfgsync reads but never applies. To try `cfgsync resolve --account SLUG --user ID` on a fresh database, create the account (`db create-account`) and a user of it; the command prints the user's id.";
  static override examples = [
    "<%= config.bin %> db create-user --account acme ada@example.com",
    "<%= config.bin %> resolve --account acme --user 1",
  ];
  static override args = { email: Args.string({ description: "the user's email (unique)", required: true, ignoreStdin: true }) };
  static override flags = { account: Flags.string({ description: "slug of the user's account", required: true }) };
  static override enableJsonFlag = true;

  async run(): Promise<{ id: number; account: string; email: string; created: boolean }> {
    const { args, flags } = await this.parse(DbCreateUser);
    const db = await this.openRuntimeDb(flags["database-url"]);
    try {
      const account = (await db.query<{ id: number }>("SELECT id FROM account WHERE slug = $1", [flags.account]))[0];
      if (!account) {
        throw new UserError("resolve.unknown-account", `account "${flags.account}" does not exist in the database`, {
          suggestions: [`create it first: cfgsync db create-account ${flags.account}`],
        });
      }
      const created = await db.query<{ id: number }>(
        "INSERT INTO app_user (account_id, email, created_at) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id",
        [account.id, args.email, new Date()],
      );
      let id = created[0]?.id;
      if (id === undefined) {
        const existing = (await db.query<{ id: number; account_id: number }>("SELECT id, account_id FROM app_user WHERE email = $1", [args.email]))[0]!;
        if (Number(existing.account_id) !== Number(account.id)) {
          throw new UserError("db.user-exists", `a user with email ${args.email} exists in another account`);
        }
        id = existing.id;
      }
      id = Number(id);
      if (!this.jsonEnabled()) {
        process.stdout.write(
          `${created[0] ? "created" : "exists:"} user ${id} (${args.email}) of account ${flags.account}\n` +
            `Try: cfgsync resolve --account ${flags.account} --user ${id}\n`,
        );
      }
      return { id, account: flags.account, email: args.email, created: Boolean(created[0]) };
    } finally {
      await db.close();
    }
  }
}
