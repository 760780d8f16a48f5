import { Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";

export default class GithubComment extends BaseCommand {
  static override summary = "Post the plan on a pull request as one comment, updated in place";
  static override description =
    "Renders a saved plan (`cfgsync plan --out plan.json`) as Markdown and creates or updates this environment's sticky comment on the pull request. Reads GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL. Prints the comment URL.";
  static override examples = [
    "<%= config.bin %> github comment --pr 12 --plan plan.json",
    "<%= config.bin %> plan --json | <%= config.bin %> github comment --pr 12 --environment staging",
  ];
  static override flags = {
    pr: Flags.integer({ description: "pull request number", required: true, min: 1 }),
    plan: Flags.string({ description: "saved plan JSON (default: read from stdin)" }),
    environment: Flags.string({ description: "environment the plan is for; one comment per environment", default: "default" }),
    "artifact-name": Flags.string({ description: "workflow artifact holding the full plan", default: "cfgsync-plan" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(GithubComment);
    const { readPlanInput } = await import("../../github/plan-input.js");
    const { gitHubClientFromEnv } = await import("../../github/client.js");
    const { artifactHintFromEnv, checkEnvironmentName, planCommentBody, upsertPlanComment } = await import("../../github/comment.js");
    const environment = checkEnvironmentName(flags.environment);
    const plan = await readPlanInput(flags.plan, process.stdin);
    const body = planCommentBody(plan, { environment, artifactHint: artifactHintFromEnv(process.env, flags["artifact-name"]) });
    const github = gitHubClientFromEnv(process.env, { userAgent: this.config.userAgent });
    const comment = await upsertPlanComment({ ...github, pr: flags.pr, body, environment });
    process.stderr.write(`${comment.action === "created" ? "Created" : "Updated"} the plan comment (${environment}) on #${flags.pr}.\n`);
    process.stdout.write(`${comment.url}\n`);
  }
}
