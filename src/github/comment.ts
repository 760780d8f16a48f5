import type { Octokit } from "@octokit/rest";
import { UserError } from "../domain/diagnostic.js";
import type { Plan } from "../plan/types.js";
import { GITHUB_COMMENT_MAX_CHARS, escapeInline, renderPlanMarkdown } from "../render/markdown.js";

export const DEFAULT_ENVIRONMENT = "default";

/**
 * The hidden first line that makes a comment "ours" for one environment, so
 * every run updates the same comment instead of adding another.
 */
export function planCommentMarker(environment: string): string {
  return `<!-- cfgsync:plan env=${environment} -->`;
}

/** An environment name ends up inside an HTML comment: keep it to a safe alphabet. */
export function checkEnvironmentName(environment: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(environment)) {
    throw new UserError(
      "usage.invalid-environment",
      `Environment name "${environment}" is not allowed: use letters, digits, ".", "_" and "-" (at most 63).`,
    );
  }
  return environment;
}

/** The whole comment body: marker + rendered plan, within GitHub's limit together. */
export function planCommentBody(plan: Plan, opts: { environment: string; artifactHint?: string }): string {
  const marker = planCommentMarker(opts.environment);
  const markdown = renderPlanMarkdown(plan, {
    environment: opts.environment,
    maxChars: GITHUB_COMMENT_MAX_CHARS - marker.length - 1,
    ...(opts.artifactHint !== undefined ? { artifactHint: opts.artifactHint } : {}),
  });
  return `${marker}\n${markdown}`;
}

export interface UpsertResult {
  action: "created" | "updated";
  id: number;
  url: string;
}

/** Updates this environment's plan comment on the pull request, or creates it. */
export async function upsertPlanComment(args: {
  octokit: Octokit;
  owner: string;
  repo: string;
  pr: number;
  body: string;
  environment: string;
}): Promise<UpsertResult> {
  const { octokit, owner, repo, pr, body } = args;
  const marker = planCommentMarker(args.environment);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: pr,
    per_page: 100,
  });
  // The marker must open the body: a reply quoting our comment ("> <!-- ...") is not ours.
  const existing = comments.find((c) => (c.body ?? "").trimStart().startsWith(marker));
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: "updated", id: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pr, body });
  return { action: "created", id: data.id, url: data.html_url };
}

/** Where the full plan lives when the comment had to be shortened: this workflow run's artifacts. */
export function artifactHintFromEnv(env: Record<string, string | undefined>, artifactName: string): string {
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  const { GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  const artifact = `the <code>${escapeInline(artifactName)}</code> artifact`;
  return repository && runId ? `${artifact} of [workflow run ${runId}](${server}/${repository}/actions/runs/${runId})` : `${artifact} of this workflow run`;
}
