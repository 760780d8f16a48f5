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
}

/** The request options Octokit hands to its hooks (route template plus parameters). */
type RequestOptions = { method?: string; url?: string } & Record<string, unknown>;

/** Routes cfgsync calls, as a reader would name them; matched on the concrete path. */
const OPERATIONS: Array<[method: string, path: RegExp, describe: (m: string[]) => string]> = [
  ["GET", /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/, (m) => `listing the comments of pull request ${m[1]}/${m[2]}#${m[3]}`],
  ["POST", /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/, (m) => `commenting on pull request ${m[1]}/${m[2]}#${m[3]}`],
  ["PATCH", /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/, (m) => `updating comment ${m[3]} in ${m[1]}/${m[2]}`],
  ["POST", /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/, (m) => `creating a check run in ${m[1]}/${m[2]}`],
  ["PATCH", /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/, (m) => `updating check run ${m[3]} in ${m[1]}/${m[2]}`],
];

/**
 * A reader's description of a request. Octokit hands hooks either a route
 * template with its parameters or (paginate, later pages) an absolute URL:
 * both are reduced to the concrete path before matching.
 */
export function describeRequest(options: RequestOptions): string {
  const method = (options.method ?? "GET").toUpperCase();
  const path = (options.url ?? "")
    .replace(/\{(\w+)\}/g, (whole, name: string) => (options[name] === undefined ? whole : encodeURIComponent(String(options[name]))))
    .replace(/\?.*$/, "")
    .replace(/^.*?(?=\/repos\/)/, "");
  for (const [m, pattern, describe] of OPERATIONS) {
    const match = m === method ? pattern.exec(path) : null;
    if (match) return describe([...match].map(decodeURIComponent));
  }
  return `calling ${method} ${path}`;
}

/** The workflow permission an endpoint needs, named the way a workflow file spells it. */
function permissionFor(what: string): string {
  return /check run/.test(what) ? "checks: write" : "pull-requests: write";
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
  if (status === 429 || (status === 403 && isRateLimited(headers, detail))) {
    return make("github.rate-limited", `GitHub's API rate limit was hit while ${ctx.what}; ${whenToRetry(headers)}.`, [
      "Re-run the job after that time.",
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

function isRateLimited(headers: Record<string, string | number | undefined>, detail: string): boolean {
  return String(headers["x-ratelimit-remaining"]) === "0" || /rate limit/i.test(detail);
}

function whenToRetry(headers: Record<string, string | number | undefined>): string {
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return `retry after ${retryAfter} s`;
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
