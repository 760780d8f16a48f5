import { UserError } from "../domain/diagnostic.js";
import type { Plan } from "../plan/types.js";
import type { GitHubRepoClient } from "./client.js";
import { isOwnComment, type CommentAuthor, type TokenIdentity } from "./identity.js";
import { ENVIRONMENTS_MARKER, formatMarker, isSectionedComment, parseMarker, parseSections, type Marker } from "./marker.js";
import { GITHUB_COMMENT_MAX_CHARS, escapeInline, renderPlanMarkdown } from "../render/markdown.js";

export const DEFAULT_ENVIRONMENT = "default";

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

/** A commit the metadata names: a full SHA, or nothing. */
function fullSha(sha: string | undefined): string | undefined {
  return sha && /^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(sha) ? sha.toLowerCase() : undefined;
}

/**
 * The whole comment body: marker + rendered plan, within GitHub's limit
 * together. The marker records what was reviewed: the environment, the pull
 * request head commit the plan was made for and the plan's change-set digest.
 */
export function planCommentBody(plan: Plan, opts: { environment: string; headSha?: string; artifactHint?: string; maxChars?: number }): string {
  const head = fullSha(opts.headSha);
  const marker = formatMarker({
    kind: "plan",
    env: opts.environment,
    ...(head ? { head } : {}),
    ...(plan.changes_digest ? { changes: plan.changes_digest } : {}),
  });
  const markdown = renderPlanMarkdown(plan, {
    environment: opts.environment,
    emptyDatabase: plannedAgainstEmptyDatabase(plan),
    maxChars: (opts.maxChars ?? GITHUB_COMMENT_MAX_CHARS) - marker.length - 1,
    ...(opts.artifactHint !== undefined ? { artifactHint: opts.artifactHint } : {}),
  });
  return `${marker}\n${markdown}`;
}

/**
 * Whether the plan was made against a database holding none of the rows the
 * configuration manages: everything is created, nothing else is there (the
 * PR job's migrated dry-run database when no target database is configured).
 */
export function plannedAgainstEmptyDatabase(plan: Pick<Plan, "changes">): boolean {
  return plan.changes.length > 0 && plan.changes.every((c) => c.action === "create");
}

export interface UpsertResult {
  action: "created" | "updated";
  id: number;
  url: string;
}

/** A comment as the REST API lists it: enough to tell whose and which it is. */
export interface ListedComment {
  id: number;
  body?: string | null;
  html_url: string;
  user?: CommentAuthor | null;
  created_at?: string;
}

/** Every comment of a pull request, oldest first. */
export async function listPullRequestComments(client: Pick<GitHubRepoClient, "octokit" | "owner" | "repo">, pr: number): Promise<ListedComment[]> {
  const { octokit, owner, repo } = client;
  return octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pr, per_page: 100 });
}

/**
 * cfgsync's comments: written by the token's identity and opening with a
 * marker (oldest first). The sectioned comment (one section per environment)
 * yields each section's marker, flagged `section`.
 */
export function ownMarkedComments(
  comments: readonly ListedComment[],
  identity: TokenIdentity,
): Array<{ comment: ListedComment; marker: Marker; section?: true }> {
  return comments.flatMap((comment) => {
    if (!isOwnComment(comment.user, identity)) return [];
    if (isSectionedComment(comment.body)) return parseSections(comment.body!).map(({ marker }) => ({ comment, marker, section: true as const }));
    const marker = parseMarker(comment.body);
    return marker ? [{ comment, marker }] : [];
  });
}

/**
 * Updates this environment's plan comment on the pull request, or creates it.
 * Only a comment written by the token's own identity is updated: a comment
 * anyone else planted with the same marker is left alone.
 */
export async function upsertPlanComment(args: {
  client: Pick<GitHubRepoClient, "octokit" | "owner" | "repo">;
  identity: TokenIdentity;
  pr: number;
  body: string;
  environment: string;
}): Promise<UpsertResult> {
  const { octokit, owner, repo } = args.client;
  const { pr, body } = args;
  const ours = ownMarkedComments(await listPullRequestComments(args.client, pr), args.identity);
  const existing = ours.find(({ marker, section }) => !section && marker.kind === "plan" && marker.env === args.environment)?.comment;
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: "updated", id: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pr, body });
  return { action: "created", id: data.id, url: data.html_url };
}

/** A section longer than this share is cut down to a stub when the sections together would not fit. */
const STUB = "<sub>This plan was shortened to make room for the other environments' sections: see its workflow artifact.</sub>";

/**
 * Puts this environment's plan into the pull request's one sectioned comment
 * (`github comment --env NAME`), keeping every other environment's section,
 * or creates the comment. Each section opens with its own marker (the
 * environment, head commit and change-set digest the apply job checks). The
 * new section gets the room the others leave, and at least an equal share:
 * when they do not fit together, the other sections are cut to their
 * heading and marker (the plan artifacts keep them whole).
 */
export async function upsertEnvironmentSection(args: {
  client: Pick<GitHubRepoClient, "octokit" | "owner" | "repo">;
  identity: TokenIdentity;
  pr: number;
  environment: string;
  render: (maxChars: number) => string;
}): Promise<UpsertResult> {
  const { octokit, owner, repo } = args.client;
  const ours = ownMarkedComments(await listPullRequestComments(args.client, args.pr), args.identity);
  const existing = ours.find(({ section }) => section)?.comment;
  const others = existing ? parseSections(existing.body!).filter(({ marker }) => marker.env !== args.environment) : [];
  const separator = "\n\n";
  const overhead = ENVIRONMENTS_MARKER.length + 1 + separator.length * others.length + 1;
  const room = GITHUB_COMMENT_MAX_CHARS - overhead;
  const share = Math.floor(room / (others.length + 1));
  const othersLength = others.reduce((n, s) => n + s.text.length, 0);
  const section = args.render(Math.max(share, room - othersLength));
  const kept = others.map((s) => {
    if (othersLength + section.length <= room) return s.text;
    const [markerLine, ...rest] = s.text.split("\n");
    const heading = rest.find((l) => l.startsWith("## ")) ?? "## cfgsync plan";
    return [markerLine, heading, "", STUB].join("\n");
  });
  const order = existing ? parseSections(existing.body!).map(({ marker }) => marker.env) : [];
  const sections = new Map(others.map((s, i) => [s.marker.env, kept[i]!]));
  sections.set(args.environment, section.trimEnd());
  const envs = [...order.filter((e) => sections.has(e)), ...(order.includes(args.environment) ? [] : [args.environment])];
  const body = `${ENVIRONMENTS_MARKER}\n${[...new Set(envs)].map((e) => sections.get(e)).join(separator)}\n`;
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: "updated", id: data.id, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: args.pr, body });
  return { action: "created", id: data.id, url: data.html_url };
}

/** Where the full plan lives when the comment had to be shortened: this workflow run's artifacts. */
export function artifactHintFromEnv(env: Record<string, string | undefined>, artifactName: string): string {
  const server = env.GITHUB_SERVER_URL ?? "https://github.com";
  const { GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  const artifact = `the <code>${escapeInline(artifactName)}</code> artifact`;
  return repository && runId ? `${artifact} of [workflow run ${runId}](${server}/${repository}/actions/runs/${runId})` : `${artifact} of this workflow run`;
}
