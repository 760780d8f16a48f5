import { Flags } from "@oclif/core";
import { BaseCommand } from "../../cli/base-command.js";
import { ExitCode, formatDiagnosticLine } from "../../domain/diagnostic.js";

export default class GithubCheck extends BaseCommand {
  static override summary = "Validate config/ and report it as a GitHub check run with annotations";
  static override description =
    "Runs the same checks as `cfgsync validate` and creates a check run with one annotation per diagnostic, on the pull request's head commit (from GITHUB_EVENT_PATH) on pull_request events, else on GITHUB_SHA. Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH and GITHUB_SHA. Exits 1 when the configuration is invalid.";
  static override examples = ["<%= config.bin %> github check", "<%= config.bin %> github check --name 'cfgsync validate'"];
  static override flags = {
    name: Flags.string({ description: "name of the check run", default: "cfgsync validate" }),
    sha: Flags.string({ description: "commit to attach the check run to (default: the pull request head, else $GITHUB_SHA)" }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(GithubCheck);
    const { loadConfig } = await import("../../config/load.js");
    const { gitHubClientFromEnv } = await import("../../github/client.js");
    const { defaultCheckSha, publishCheckRun, requireSha } = await import("../../github/check.js");
    const github = gitHubClientFromEnv(process.env, { userAgent: this.config.userAgent });
    const sha = requireSha(flags.sha ?? defaultCheckSha(process.env));
    const { diagnostics } = await loadConfig(flags["config-dir"], { cwd: process.cwd(), checkEnvironments: true });
    const run = await publishCheckRun({ ...github, sha, name: flags.name, diagnostics });
    for (const d of diagnostics) process.stderr.write(formatDiagnosticLine(d) + "\n");
    process.stdout.write(`${run.url}\n`);
    if (run.conclusion === "failure") this.exitWith(ExitCode.error);
  }
}
