import { Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";

export default class GithubComment extends BaseCommand {
  static override summary = "Post the plan on a pull request as one comment, updated in place";
  static override description =
    "Renders a saved plan (`cfgsync plan --out plan.json`) as Markdown and creates or updates this environment's sticky comment on the pull request: only a comment written by the token's own identity is updated. The comment's hidden metadata records the environment, the head commit and the plan's change-set digest, which the apply job checks after the merge (`cfgsync github reviewed-plan`). Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL and, for the head commit, GITHUB_EVENT_PATH. Prints the comment URL.";
  static override examples = [
    "<%= config.bin %> github comment --pr 12 --plan plan.json",
    "<%= config.bin %> plan --json | <%= config.bin %> github comment --pr 12 --environment staging",
    "<%= config.bin %> github comment --pr 12 --plan plan-staging.json --env staging   # staging's section of the one comment",
  ];
  static override flags = {
    pr: Flags.integer({ description: "pull request number", required: true, min: 1 }),
    plan: Flags.string({ description: "saved plan JSON (default: read from stdin)" }),
    environment: Flags.string({ description: "environment the plan is for; one comment per environment", default: "default" }),
    env: Flags.string({
      description: "environment of the plan (`plan --env NAME`): its section of the one comment that holds a section per environment (default: the plan's own environment, if any)",
      exclusive: ["environment"],
    }),
    "artifact-name": Flags.string({ description: "workflow artifact holding the full plan", default: "cfgsync-plan" }),
    "head-sha": Flags.string({ description: "pull request head commit the plan was made for (default: from the pull_request event payload)" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(GithubComment);
    const { readPlanInput } = await import("../../github/plan-input.js");
    const { artifactHintFromEnv, checkEnvironmentName, planCommentBody, upsertEnvironmentSection, upsertPlanComment } = await import("../../github/comment.js");
    const { pullRequestHeadSha } = await import("../../github/check.js");
    const { gitHubSession } = await import("../../github/identity.js");
    const plan = await readPlanInput(flags.plan, process.stdin);
    const section = flags.env ?? plan.environment;
    if (flags.env !== undefined && plan.environment !== undefined && flags.env !== plan.environment) {
      const { UserError } = await import("../../domain/diagnostic.js");
      throw new UserError("plan.environment-mismatch", `the plan was made for environment ${plan.environment}, not ${flags.env}; nothing was posted`, {
        suggestions: [`Post it with --env ${plan.environment}, or plan ${flags.env}: cfgsync plan --env ${flags.env} --out plan.json`],
      });
    }
    const environment = checkEnvironmentName(section ?? flags.environment);
    const headSha = flags["head-sha"] ?? pullRequestHeadSha(process.env);
    const body = (maxChars?: number) =>
      planCommentBody(plan, {
        environment,
        artifactHint: artifactHintFromEnv(process.env, flags["artifact-name"]),
        ...(headSha ? { headSha } : {}),
        ...(maxChars !== undefined ? { maxChars } : {}),
      });
    const { client, identity } = await gitHubSession(process.env, { userAgent: this.config.userAgent });
    const comment =
      section === undefined
        ? await upsertPlanComment({ client, identity, pr: flags.pr, body: body(), environment })
        : await upsertEnvironmentSection({ client, identity, pr: flags.pr, environment, render: body });
    process.stderr.write(`${comment.action === "created" ? "Created" : "Updated"} the plan comment (${environment}) on #${flags.pr}.\n`);
    process.stdout.write(`${comment.url}\n`);
  }
}
