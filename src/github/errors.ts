import { UserError, type Code } from "../domain/diagnostic.js";

/** The parts of an Octokit request error we read; duck-typed so any thrown value can be mapped. */
interface HttpFailure {
  status?: number;
  message?: string;
  name?: string;
  cause?: unknown;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

export interface FailureContext {
  /** What cfgsync was doing, e.g. "creating a comment on acme/config#12". */
  what: string;
  baseUrl: string;
  timeoutMs: number;
  /** Values that must never reach the output, whatever GitHub echoes back. */
  secrets: string[];
  /** Rate-limit retries already made before giving up. */
  retries?: number;
}

/** The request options Octokit hands to its hooks (route template plus parameters). */
type RequestOptions = { method?: string; url?: string } & Record<string, unknown>;

/**
 * Routes cfgsync calls, as a reader would name them; matched on the part of
 * the path after the repository (`/repos/OWNER/REPO` or, on later pages of a
 * paginated list, `/repositories/ID`). `repo` is "owner/repo" or "repository ID".
 */
const OPERATIONS: Array<[method: string, path: RegExp, describe: (repo: string, m: string[]) => string]> = [
  ["GET", /^\/issues\/(\d+)\/comments$/, (repo, m) => `listing the comments of pull request ${repo}#${m[1]}`],
  ["POST", /^\/issues\/(\d+)\/comments$/, (repo, m) => `commenting on pull request ${repo}#${m[1]}`],
  ["PATCH", /^\/issues\/comments\/(\d+)$/, (repo, m) => `updating comment ${m[1]} in ${repo}`],
  ["POST", /^\/check-runs$/, (repo) => `creating a check run in ${repo}`],
  ["PATCH", /^\/check-runs\/(\d+)$/, (repo, m) => `updating check run ${m[1]} in ${repo}`],
  ["GET", /^\/commits\/([^/]+)\/pulls$/, (repo, m) => `finding the pull request of commit ${m[1]} in ${repo}`],
];

/** Requests that are not about one repository. */
const GLOBAL_OPERATIONS: Array<[method: string, path: RegExp, what: string]> = [
  ["GET", /^\/user$/, "asking GitHub who the token belongs to (GET /user)"],
  ["POST", /^\/graphql$/, "asking GitHub's GraphQL API who the token belongs to"],
];

const REPOSITORY_PREFIX = /^\/(?:repos\/([^/]+)\/([^/]+)|repositories\/(\d+))(\/.*)$/;

/**
 * A reader's description of a request. Octokit hands hooks either a route
 * template with its parameters or (paginate, later pages) an absolute URL,
 * which GitHub writes as `/repositories/ID/...`: both are reduced to the
 * concrete path before matching.
 */
export function describeRequest(options: RequestOptions): string {
  const method = (options.method ?? "GET").toUpperCase();
  const path = (options.url ?? "")
    .replace(/\{(\w+)\}/g, (whole, name: string) => (options[name] === undefined ? whole : encodeURIComponent(String(options[name]))))
    .replace(/\?.*$/, "")
    .replace(/^[a-z]+:\/\/[^/]+/i, "")
    .replace(/^.*?(?=\/(?:repos|repositories)\/)/, "")
    .replace(/^\/api(?:\/v3)?(?=\/)/, "");
  const scoped = REPOSITORY_PREFIX.exec(path);
  if (scoped) {
    const repo = scoped[3] ? `repository ${scoped[3]}` : `${decodeURIComponent(scoped[1]!)}/${decodeURIComponent(scoped[2]!)}`;
    for (const [m, pattern, describe] of OPERATIONS) {
      const match = m === method ? pattern.exec(scoped[4]!) : null;
      if (match) return describe(repo, [...match].map(decodeURIComponent));
    }
  }
  for (const [m, pattern, what] of GLOBAL_OPERATIONS) if (m === method && pattern.test(path)) return what;
  return `calling ${method} ${path}`;
}

/** The workflow permission an endpoint needs, named the way a workflow file spells it. */
function permissionFor(what: string): string {
  if (/check run/.test(what)) return "checks: write";
  if (/finding the pull request/.test(what)) return "contents: read, pull-requests: read";
  return "pull-requests: write";
}

/** Maps any failure of a GitHub request to a UserError that says what to do. */
export function toUserError(err: unknown, ctx: FailureContext): UserError {
  const failure = (typeof err === "object" && err !== null ? err : { message: String(err) }) as HttpFailure;
  const scrub = (text: string): string => ctx.secrets.reduce((t, s) => (s ? t.split(s).join("***") : t), text);
  const make = (code: Code, message: string, suggestions: string[] = []) =>
    new UserError(code, scrub(message), { suggestions: suggestions.map(scrub) });

  if (isTimeout(failure)) {
    return make("github.timeout", `GitHub did not answer within ${ctx.timeoutMs / 1000} s while ${ctx.what} (${ctx.baseUrl}).`);
  }
  // Octokit reports a request that got no response (DNS, refused, reset) as status 500 without a response.
  if (!failure.response) {
    return make(
      "github.unreachable",
      `Could not reach GitHub at ${ctx.baseUrl} while ${ctx.what}: ${failure.message ?? "network error"}.`,
      ["Check GITHUB_API_URL and the network; on GitHub Enterprise, GITHUB_API_URL is https://HOST/api/v3."],
    );
  }
  const status = failure.status ?? 0;
  const headers = failure.response.headers ?? {};
  const detail = gitHubMessage(failure.response.data) ?? failure.message ?? "";
  const said = detail ? `: ${detail}` : "";

  if (status === 401) {
    return make("github.unauthorized", `GitHub rejected the token (401${said}) while ${ctx.what}.`, [
      "GITHUB_TOKEN is invalid or expired; in a workflow use ${{ secrets.GITHUB_TOKEN }}.",
    ]);
  }
  if (isRateLimited(status, headers, detail)) {
    const retried = ctx.retries ? ` (retried ${ctx.retries} time${ctx.retries === 1 ? "" : "s"})` : "";
    return make("github.rate-limited", `GitHub's API rate limit was hit while ${ctx.what}${retried}; ${whenToRetry(headers)}.`, [
      "Re-run the job after that time; CFGSYNC_GITHUB_MAX_RETRY_WAIT (seconds) sets how long cfgsync itself may wait.",
    ]);
  }
  if (status === 403) {
    return make("github.forbidden", `GitHub refused ${ctx.what} (403${said}).`, [
      `The token lacks permission: give the workflow job \`permissions: { ${permissionFor(ctx.what)} }\`. Pull requests from forks get a read-only token.`,
    ]);
  }
  if (status === 404) {
    return make("github.not-found", `GitHub found nothing while ${ctx.what} (404${said}).`, [
      "Check GITHUB_REPOSITORY and the pull request number; a token without access to a private repository also gets 404.",
    ]);
  }
  if (status === 422) {
    return make("github.invalid-request", `GitHub rejected the request as invalid while ${ctx.what} (422${said}${validationErrors(failure.response.data)}).`);
  }
  return make("github.http-error", `GitHub answered ${status} while ${ctx.what}${said}.`);
}

function isTimeout(f: HttpFailure): boolean {
  const names = [f.name, (f.cause as { name?: string } | undefined)?.name];
  return names.includes("TimeoutError") || names.includes("AbortError");
}

/**
 * GitHub's primary limit (x-ratelimit-remaining: 0), its secondary limits
 * ("You have exceeded a secondary rate limit", formerly "abuse detection
 * mechanism") and any 403/429 that says when to come back (retry-after).
 */
export function isRateLimited(status: number, headers: Record<string, string | number | undefined>, detail: string): boolean {
  if (status !== 403 && status !== 429) return false;
  if (status === 429) return true;
  return String(headers["x-ratelimit-remaining"]) === "0" || headers["retry-after"] !== undefined || /rate limit|abuse/i.test(detail);
}

/**
 * How long GitHub asks us to wait before retrying a rate-limited request, in
 * ms: retry-after, else the reset time of the primary limit, else GitHub's
 * advice for secondary limits (at least a minute). `now` is handed in.
 */
export function retryDelayMs(headers: Record<string, string | number | undefined>, now: number): number {
  const retryAfter = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(headers["x-ratelimit-reset"]);
  if (String(headers["x-ratelimit-remaining"]) === "0" && Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return 60_000;
}

function whenToRetry(headers: Record<string, string | number | undefined>): string {
  const retryAfter = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) return `GitHub asks to retry after ${retryAfter} s`;
  const reset = Number(headers["x-ratelimit-reset"]);
  if (Number.isFinite(reset) && reset > 0) return `it resets at ${new Date(reset * 1000).toISOString()}`;
  return "the reset time was not given";
}

function gitHubMessage(data: unknown): string | undefined {
  if (typeof data === "object" && data !== null && typeof (data as { message?: unknown }).message === "string") {
    return (data as { message: string }).message;
  }
  return typeof data === "string" && data.length > 0 && data.length < 300 ? data : undefined;
}

/** GitHub's 422 body lists what was wrong: `errors: [{ field, code, message }]`. */
function validationErrors(data: unknown): string {
  const errors = (data as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return "";
  const parts = errors.map((e) =>
    typeof e === "string"
      ? e
      : [(e as { field?: string }).field, (e as { message?: string }).message ?? (e as { code?: string }).code]
          .filter(Boolean)
          .join(" "),
  );
  return ` — ${parts.join("; ")}`;
}
