import { Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";

export default class GithubComment extends BaseCommand {
  static override summary = "Post the plan on a pull request as one comment, updated in place";
  static override description =
    "Renders a saved plan (`cfgsync plan --out plan.json`) as Markdown and creates or updates this environment's sticky comment on the pull request: only a comment written by the token's own identity is updated. The comment's hidden metadata records the environment, the head commit and the plan's change-set digest, which the apply job checks after the merge (`cfgsync github reviewed-plan`). Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL and, for the head commit, GITHUB_EVENT_PATH. Prints the comment URL.";
  static override examples = [
    "<%= config.bin %> github comment --pr 12 --plan plan.json",
    "<%= config.bin %> plan --json | <%= config.bin %> github comment --pr 12 --environment staging",
  ];
  static override flags = {
    pr: Flags.integer({ description: "pull request number", required: true, min: 1 }),
    plan: Flags.string({ description: "saved plan JSON (default: read from stdin)" }),
    environment: Flags.string({ description: "environment the plan is for; one comment per environment", default: "default" }),
    "artifact-name": Flags.string({ description: "workflow artifact holding the full plan", default: "cfgsync-plan" }),
    "head-sha": Flags.string({ description: "pull request head commit the plan was made for (default: from the pull_request event payload)" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(GithubComment);
    const { readPlanInput } = await import("../../github/plan-input.js");
    const { artifactHintFromEnv, checkEnvironmentName, planCommentBody, upsertPlanComment } = await import("../../github/comment.js");
    const { pullRequestHeadSha } = await import("../../github/check.js");
    const { gitHubSession } = await import("../../github/identity.js");
    const environment = checkEnvironmentName(flags.environment);
    const plan = await readPlanInput(flags.plan, process.stdin);
    const headSha = flags["head-sha"] ?? pullRequestHeadSha(process.env);
    const body = planCommentBody(plan, {
      environment,
      artifactHint: artifactHintFromEnv(process.env, flags["artifact-name"]),
      ...(headSha ? { headSha } : {}),
    });
    const { client, identity } = await gitHubSession(process.env, { userAgent: this.config.userAgent });
    const comment = await upsertPlanComment({ client, identity, pr: flags.pr, body, environment });
    process.stderr.write(`${comment.action === "created" ? "Created" : "Updated"} the plan comment (${environment}) on #${flags.pr}.\n`);
    process.stdout.write(`${comment.url}\n`);
  }
}
