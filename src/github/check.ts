import { readFileSync } from "node:fs";
import type { Octokit } from "@octokit/rest";
import { UserError, formatDiagnosticLine, hasErrors, sortDiagnostics, type Diagnostic } from "../domain/diagnostic.js";
import { GITHUB_COMMENT_MAX_CHARS } from "../render/markdown.js";

/** GitHub accepts at most this many annotations per check-run request; more go in later updates. */
export const ANNOTATIONS_PER_REQUEST = 50;

export type Conclusion = "success" | "failure";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "failure" | "warning";
  message: string;
  title: string;
}

export interface CheckRunResult {
  id: number;
  url: string;
  conclusion: Conclusion;
  annotations: number;
}

/** One annotation per diagnostic that names a file; GitHub cannot place the others. */
export function toAnnotations(diagnostics: readonly Diagnostic[]): CheckAnnotation[] {
  return sortDiagnostics(diagnostics).flatMap((d) => {
    if (!d.file) return [];
    const line = d.line ?? 1;
    const annotation: CheckAnnotation = {
      path: d.file,
      start_line: line,
      end_line: line,
      annotation_level: d.severity === "error" ? "failure" : "warning",
      message: d.message,
      title: d.code,
    };
    // GitHub accepts columns only for a single-line annotation; ours always are.
    if (d.col !== undefined) {
      annotation.start_column = d.col;
      annotation.end_column = d.col;
    }
    return [annotation];
  });
}

/** The check run's summary: counts, plus the diagnostics that have no file to sit on. */
export function checkOutput(diagnostics: readonly Diagnostic[]): { title: string; summary: string } {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const title = errors > 0 ? `${errors} error(s), ${warnings} warning(s)` : warnings > 0 ? `valid, ${warnings} warning(s)` : "valid";
  const unplaced = diagnostics.filter((d) => !d.file).map((d) => `- ${formatDiagnosticLine(d)}`);
  let summary = `cfgsync validation: ${title}.`;
  if (unplaced.length > 0) summary += `\n\nNot tied to a file:\n${unplaced.join("\n")}`;
  // The summary shares the comment's size limit; dropping whole lines keeps it readable.
  while (summary.length > GITHUB_COMMENT_MAX_CHARS) summary = summary.slice(0, summary.lastIndexOf("\n"));
  return { title, summary };
}

/**
 * Creates a completed check run for `sha` with every diagnostic as an
 * annotation. Over 50 annotations, the run is created in progress with the
 * first batch, later batches are added by updates, and the last update
 * completes it: the check never shows a conclusion with annotations missing.
 * When a later batch fails, the run is still completed (failure if the
 * configuration has errors, else neutral) with a summary saying how many
 * annotations are missing, then the error is reported: a check run is never
 * left in progress.
 */
export async function publishCheckRun(args: {
  octokit: Octokit;
  owner: string;
  repo: string;
  sha: string;
  name: string;
  diagnostics: readonly Diagnostic[];
}): Promise<CheckRunResult> {
  const { octokit, owner, repo } = args;
  const conclusion: Conclusion = hasErrors(args.diagnostics) ? "failure" : "success";
  const output = checkOutput(args.diagnostics);
  const batches = chunk(toAnnotations(args.diagnostics), ANNOTATIONS_PER_REQUEST);
  const total = batches.reduce((n, b) => n + b.length, 0);
  const [first = [], ...rest] = batches;
  const completion = { status: "completed" as const, conclusion };

  const { data: run } = await octokit.rest.checks.create({
    owner,
    repo,
    name: args.name,
    head_sha: args.sha,
    ...(rest.length === 0 ? completion : { status: "in_progress" as const }),
    output: { ...output, annotations: first },
  });
  let sent = first.length;
  try {
    for (const [i, annotations] of rest.entries()) {
      await octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: run.id,
        ...(i === rest.length - 1 ? completion : {}),
        output: { ...output, annotations },
      });
      sent += annotations.length;
    }
  } catch (err) {
    const missing = `Only ${sent} of ${total} annotations could be attached (${err instanceof Error ? err.message : String(err)}); run \`cfgsync validate\` for the full list.`;
    await octokit.rest.checks
      .update({
        owner,
        repo,
        check_run_id: run.id,
        status: "completed",
        conclusion: conclusion === "failure" ? "failure" : "neutral",
        output: { title: output.title, summary: `${missing}\n\n${output.summary}`.slice(0, GITHUB_COMMENT_MAX_CHARS) },
      })
      .catch(() => {
        // The original failure is the one to report; GitHub is not answering either way.
      });
    throw err;
  }
  return { id: run.id, url: run.html_url ?? "", conclusion, annotations: total };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}


/**
 * The commit a check run belongs on by default. On pull_request events
 * GITHUB_SHA is the temporary merge commit, which the pull request never
 * shows: the head commit from the event payload (GITHUB_EVENT_PATH) is.
 */
export function defaultCheckSha(env: Record<string, string | undefined>): string | undefined {
  return pullRequestHeadSha(env) ?? env.GITHUB_SHA;
}

/** The head commit of the pull request this workflow run is for, if it is for one. */
export function pullRequestHeadSha(env: Record<string, string | undefined>): string | undefined {
  if (!/^pull_request(_target|_review|_review_comment)?$/.test(env.GITHUB_EVENT_NAME ?? "") || !env.GITHUB_EVENT_PATH) return undefined;
  let event: { pull_request?: { head?: { sha?: unknown } } };
  try {
    event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as typeof event;
  } catch (err) {
    throw new UserError("github.event-unreadable", `Cannot read the event payload GITHUB_EVENT_PATH=${env.GITHUB_EVENT_PATH}: ${(err as Error).message}.`, {
      suggestions: ["Pass --sha COMMIT."],
    });
  }
  const sha = event.pull_request?.head?.sha;
  return typeof sha === "string" ? sha : undefined;
}

/** The commit a check run is attached to: GitHub needs its full SHA. */
export function requireSha(sha: string | undefined): string {
  if (!sha) {
    throw new UserError("github.sha-missing", "GITHUB_SHA is not set: a check run is attached to a commit.", {
      suggestions: ["GitHub Actions sets it for every job; elsewhere pass --sha COMMIT."],
    });
  }
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(sha)) {
    throw new UserError("github.sha-invalid", `"${sha}" is not a full commit SHA (40 hexadecimal characters).`);
  }
  return sha;
}
