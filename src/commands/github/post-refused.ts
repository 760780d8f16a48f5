import { Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";
import { ExitCode } from "../../domain/diagnostic.js";

export default class GithubPostRefused extends BaseCommand {
  static override summary = "Post a re-plan that `apply --expect-changes` refused on the pull request and the commit";
  static override description =
    "After `cfgsync apply --expect-changes DIGEST --refused-out plan.json` refused a plan whose changes differ from the reviewed ones, posts that plan as a comment on the merged pull request and as a failed check run on the commit, saying why nothing was applied and that re-running the job applies exactly this plan. Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL and, for a link to the run, GITHUB_SERVER_URL and GITHUB_RUN_ID.";
  static override examples = ['<%= config.bin %> github post-refused --plan plan.json --sha "$GITHUB_SHA" --environment production'];
  static override flags = {
    plan: Flags.string({ description: "the refused plan (apply --refused-out FILE)", required: true }),
    sha: Flags.string({ description: "the commit whose apply was refused (default: $GITHUB_SHA)" }),
    environment: Flags.string({ description: "environment of the apply", default: "default" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(GithubPostRefused);
    const { readPlanFile } = await import("../../plan/plan-file.js");
    const { requireSha } = await import("../../github/check.js");
    const { checkEnvironmentName } = await import("../../github/comment.js");
    const { gitHubSession } = await import("../../github/identity.js");
    const { findReviewedPlan, postRefusedPlan } = await import("../../github/reviewed.js");
    const environment = checkEnvironmentName(flags.environment);
    const sha = requireSha(flags.sha ?? process.env.GITHUB_SHA);
    const plan = await readPlanFile(flags.plan);
    const { client, identity } = await gitHubSession(process.env, { userAgent: this.config.userAgent });
    const reviewed = await findReviewedPlan({ client, identity, sha, environment });
    const { GITHUB_SERVER_URL: server = "https://github.com", GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = process.env;
    const runUrl = repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined;
    const posted = await postRefusedPlan({ client, identity, sha, environment, plan, reviewed, ...(runUrl ? { runUrl } : {}) });
    if (posted.comment) process.stdout.write(`${posted.comment.url}\n`);
    if (posted.checkRun) process.stdout.write(`${posted.checkRun.url}\n`);
    for (const failure of posted.failures) process.stderr.write(`Could not post ${failure}\n`);
    if (!posted.comment && !posted.checkRun) this.exitWith(ExitCode.error);
  }
}
