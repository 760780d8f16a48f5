import { Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";

export default class GithubReviewedPlan extends BaseCommand {
  static override summary = "Find the change-set digest reviewed for a commit on the default branch";
  static override description =
    "The apply job's first step after a merge: finds the merged pull request of --sha, and on it the plan comment cfgsync wrote (only comments by the token's own identity count) for the pull request's last head commit, or a re-plan cfgsync posted for this commit after refusing it (re-running the job approves it). Prints the reviewed change-set digest (`none` when nothing was reviewed) for `cfgsync apply --expect-changes`; --json prints where it was found. Reads GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL.";
  static override examples = [
    '<%= config.bin %> github reviewed-plan --sha "$GITHUB_SHA" --environment production',
    '<%= config.bin %> apply --auto-approve --expect-changes "$(<%= config.bin %> github reviewed-plan --sha "$GITHUB_SHA")"',
  ];
  static override flags = {
    sha: Flags.string({ description: "the commit being applied (default: $GITHUB_SHA)" }),
    environment: Flags.string({ description: "environment the plan was reviewed for", default: "default" }),
    json: Flags.boolean({ description: "print the digest with the pull request, head commit and comment URL as JSON" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(GithubReviewedPlan);
    const { requireSha } = await import("../../github/check.js");
    const { checkEnvironmentName } = await import("../../github/comment.js");
    const { gitHubSession } = await import("../../github/identity.js");
    const { findReviewedPlan } = await import("../../github/reviewed.js");
    const environment = checkEnvironmentName(flags.environment);
    const sha = requireSha(flags.sha ?? process.env.GITHUB_SHA);
    const { client, identity } = await gitHubSession(process.env, { userAgent: this.config.userAgent });
    const reviewed = await findReviewedPlan({ client, identity, sha, environment });
    process.stderr.write(`${reviewed.changes_digest ? "Reviewed" : "Nothing reviewed"}: ${reviewed.reason}.\n`);
    process.stdout.write(flags.json ? JSON.stringify(reviewed, null, 2) + "\n" : `${reviewed.changes_digest ?? "none"}\n`);
  }
}
