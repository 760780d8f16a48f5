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
  for (const [i, annotations] of rest.entries()) {
    await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: run.id,
      ...(i === rest.length - 1 ? completion : {}),
      output: { ...output, annotations },
    });
  }
  return {
    id: run.id,
    url: run.html_url ?? "",
    conclusion,
    annotations: batches.reduce((n, b) => n + b.length, 0),
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
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
