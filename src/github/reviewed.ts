import type { Plan } from "../plan/types.js";
import { GITHUB_COMMENT_MAX_CHARS, renderPlanMarkdown } from "../render/markdown.js";
import type { GitHubRepoClient } from "./client.js";
import { listPullRequestComments, ownMarkedComments, type ListedComment } from "./comment.js";
import type { TokenIdentity } from "./identity.js";
import { formatMarker } from "./marker.js";

type RepoClient = Pick<GitHubRepoClient, "octokit" | "owner" | "repo">;

/**
 * What was reviewed for a commit on the default branch: the change-set digest
 * the apply job may apply, and where it was shown. `changes_digest` is null
 * when nothing was reviewed (no pull request, no plan comment for its last
 * head commit); then only an empty plan applies.
 */
export interface ReviewedPlan {
  environment: string;
  sha: string;
  changes_digest: string | null;
  /** "pull-request": the sticky plan comment of the PR's head; "re-plan": a refused re-plan posted for this commit, approved by re-running the job. */
  source: "pull-request" | "re-plan" | null;
  pr: number | null;
  head_sha: string | null;
  url: string | null;
  /** Why this digest (or none), in a sentence. */
  reason: string;
}

interface PullRequestOfCommit {
  number: number;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { sha: string };
}

/** The pull request that brought `sha` in: the merged one whose merge commit it is, else the only merged one. */
export async function pullRequestOfCommit(client: RepoClient, sha: string): Promise<PullRequestOfCommit | undefined> {
  const { octokit, owner, repo } = client;
  const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, per_page: 100 });
  const merged = (data as PullRequestOfCommit[]).filter((pr) => pr.merged_at);
  return merged.find((pr) => pr.merge_commit_sha?.toLowerCase() === sha.toLowerCase()) ?? (merged.length === 1 ? merged[0] : undefined);
}

/**
 * Finds the plan reviewed for commit `sha` in `environment`, trusting only
 * comments the token's own identity wrote:
 * 1. a re-plan cfgsync posted for this very commit after refusing it (the
 *    person who re-runs the job approves what it showed), newest first;
 * 2. else the sticky plan comment of the merged pull request, provided it was
 *    made for the pull request's last head commit.
 */
export async function findReviewedPlan(args: { client: RepoClient; identity: TokenIdentity; sha: string; environment: string }): Promise<ReviewedPlan> {
  const { client, identity, sha, environment } = args;
  const none = (reason: string, extra: Partial<ReviewedPlan> = {}): ReviewedPlan => ({
    environment,
    sha,
    changes_digest: null,
    source: null,
    pr: null,
    head_sha: null,
    url: null,
    reason,
    ...extra,
  });
  const pr = await pullRequestOfCommit(client, sha);
  if (!pr) return none(`no merged pull request brought ${short(sha)} in; nothing was reviewed`);
  const found = { pr: pr.number, head_sha: pr.head.sha };
  const ours = ownMarkedComments(await listPullRequestComments(client, pr.number), identity).filter(({ marker }) => marker.env === environment);

  const replan = ours.filter(({ marker }) => marker.kind === "unapplied" && marker.sha?.toLowerCase() === sha.toLowerCase() && marker.changes).at(-1);
  if (replan) {
    return {
      environment,
      sha,
      changes_digest: replan.marker.changes!,
      source: "re-plan",
      ...found,
      url: replan.comment.html_url,
      reason: `the re-plan of ${short(sha)} posted on #${pr.number} (approved by re-running the job)`,
    };
  }
  const sticky = ours.find(({ marker }) => marker.kind === "plan");
  if (!sticky) return none(`pull request #${pr.number} has no cfgsync plan comment for ${environment}`, found);
  const { marker, comment } = sticky;
  if (marker.head?.toLowerCase() !== pr.head.sha.toLowerCase()) {
    return none(
      `the plan on #${pr.number} was made for ${marker.head ? short(marker.head) : "an unknown commit"}, not for its last commit ${short(pr.head.sha)}`,
      { ...found, url: comment.html_url },
    );
  }
  if (!marker.changes) return none(`the plan comment on #${pr.number} carries no change-set digest`, { ...found, url: comment.html_url });
  return {
    environment,
    sha,
    changes_digest: marker.changes,
    source: "pull-request",
    ...found,
    url: comment.html_url,
    reason: `the plan reviewed on #${pr.number} for ${short(pr.head.sha)}`,
  };
}

/** Check run name of the apply of one environment. */
export function applyCheckName(environment: string): string {
  return `cfgsync apply (${environment})`;
}

export interface PostedReplan {
  comment?: { id: number; url: string; action: "created" | "updated" };
  checkRun?: { id: number; url: string };
  /** What could not be posted (the other place still shows the plan). */
  failures: string[];
}

/**
 * Shows a refused re-plan where people look: a comment on the merged pull
 * request (one per commit and environment, updated on re-runs) and a failed
 * check run on the commit. The comment's marker carries the commit and the
 * change-set digest: re-running the job approves exactly that plan.
 */
export async function postRefusedPlan(args: {
  client: RepoClient;
  identity: TokenIdentity;
  sha: string;
  environment: string;
  plan: Plan;
  reviewed: ReviewedPlan;
  runUrl?: string;
}): Promise<PostedReplan> {
  const { client, identity, sha, environment, plan, reviewed } = args;
  const { octokit, owner, repo } = client;
  const intro = refusalText({ sha, environment, reviewed, plan, ...(args.runUrl ? { runUrl: args.runUrl } : {}) });
  const marker = formatMarker({ kind: "unapplied", env: environment, sha: sha.toLowerCase(), ...(plan.changes_digest ? { changes: plan.changes_digest } : {}) });
  const budget = GITHUB_COMMENT_MAX_CHARS - marker.length - intro.length - 4;
  const body = `${marker}\n${intro}\n\n${renderPlanMarkdown(plan, { environment, maxChars: budget })}`;
  const posted: PostedReplan = { failures: [] };

  if (reviewed.pr !== null) {
    try {
      const ours = ownMarkedComments(await listPullRequestComments(client, reviewed.pr), identity);
      const existing: ListedComment | undefined = ours.find(
        ({ marker: m }) => m.kind === "unapplied" && m.env === environment && m.sha?.toLowerCase() === sha.toLowerCase(),
      )?.comment;
      const { data } = existing
        ? await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body })
        : await octokit.rest.issues.createComment({ owner, repo, issue_number: reviewed.pr, body });
      posted.comment = { id: data.id, url: data.html_url, action: existing ? "updated" : "created" };
    } catch (err) {
      posted.failures.push(`the comment on #${reviewed.pr}: ${(err as Error).message}`);
    }
  }
  try {
    const { data } = await octokit.rest.checks.create({
      owner,
      repo,
      name: applyCheckName(environment),
      head_sha: sha,
      status: "completed",
      conclusion: "failure",
      output: { title: `Not applied: the plan differs from the reviewed one`, summary: body.slice(0, GITHUB_COMMENT_MAX_CHARS) },
    });
    posted.checkRun = { id: data.id, url: data.html_url ?? "" };
  } catch (err) {
    posted.failures.push(`the check run on ${short(sha)}: ${(err as Error).message}`);
  }
  return posted;
}

function refusalText(args: { sha: string; environment: string; reviewed: ReviewedPlan; plan: Plan; runUrl?: string }): string {
  const { sha, environment, reviewed } = args;
  const why = reviewed.changes_digest
    ? `The plan for ${short(sha)} differs from ${reviewed.reason}${reviewed.url ? ` ([reviewed plan](${reviewed.url}))` : ""}: the database or the configuration changed between review and merge (drift, or another merge).`
    : `Nothing reviewed was found: ${reviewed.reason}.`;
  const rerun = args.runUrl ? `re-run [the apply job](${args.runUrl})` : "re-run the apply job";
  return [
    `### :no_entry: cfgsync applied nothing to <code>${environment}</code>`,
    "",
    why,
    "",
    `Review the plan below. To apply exactly this plan, ${rerun}: it applies only while the plan is still this one (changes \`${args.plan.changes_digest ?? "unknown"}\`); if it changed again, it is posted here again.`,
  ].join("\n");
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
