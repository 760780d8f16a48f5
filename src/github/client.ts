import { Octokit } from "@octokit/rest";
import { UserError } from "../domain/diagnostic.js";
import { describeRequest, isRateLimited, retryDelayMs, toUserError } from "./errors.js";

/** What every GitHub call needs: an authenticated client and the repository it works on. */
export interface GitHubRepoClient {
  octokit: Octokit;
  owner: string;
  repo: string;
  baseUrl: string;
}

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";
/** One slow request must not hang a CI job; GitHub answers well within this. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/**
 * A rate-limited request is retried when GitHub asks for a wait up to this
 * long (secondary limits ask for about a minute); a longer wait fails at once
 * with the time to come back, rather than holding a CI runner for an hour.
 */
export const DEFAULT_MAX_RETRY_WAIT_MS = 90_000;
export const MAX_RATE_LIMIT_RETRIES = 3;

type Env = Record<string, string | undefined>;

/**
 * Builds an Octokit from the standard Actions variables (SPEC §6). Every
 * failed request surfaces as a UserError naming the operation and the fix,
 * with the token scrubbed from anything GitHub echoed back. The one retry is
 * GitHub's own instruction: a 403/429 rate limit with a short enough wait is
 * retried after it (at most MAX_RATE_LIMIT_RETRIES times); other failures are
 * not, and a CI step is re-run as a whole.
 */
export function gitHubClientFromEnv(
  env: Env,
  opts: { timeoutMs?: number; userAgent?: string; maxRetryWaitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): GitHubRepoClient {
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) {
    throw new UserError("github.token-missing", "GITHUB_TOKEN is not set: cfgsync needs a token to call the GitHub API.", {
      suggestions: [
        "In a workflow, pass it to the step: `env: { GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} }`.",
        "Locally, export a personal access token with pull request and checks access.",
      ],
    });
  }
  const { owner, repo } = parseRepository(env.GITHUB_REPOSITORY);
  const baseUrl = parseApiUrl(env.GITHUB_API_URL);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;

  const octokit = new Octokit({
    auth: token,
    baseUrl,
    userAgent: opts.userAgent ?? "cfgsync",
    // Octokit logs deprecations and request details to the console by default; the CLI owns its output.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    request: {
      // A fresh timeout per request (a signal passed once would time out the whole run).
      fetch: (url: string | URL, init?: RequestInit) =>
        globalThis.fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    },
  });
  const maxRetryWaitMs = opts.maxRetryWaitMs ?? retryWaitFromEnv(env) ?? DEFAULT_MAX_RETRY_WAIT_MS;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Registered first, so it runs inside the error hook and sees GitHub's raw answer.
  octokit.hook.wrap("request", async (request, options) => {
    for (let retries = 0; ; retries++) {
      try {
        return await request(options);
      } catch (error) {
        const wait = rateLimitWait(error);
        if (wait === undefined || maxRetryWaitMs === 0 || wait > maxRetryWaitMs || retries >= MAX_RATE_LIMIT_RETRIES) {
          if (wait !== undefined) Object.assign(error as object, { cfgsyncRetries: retries });
          throw error;
        }
        await sleep(wait);
      }
    }
  });
  octokit.hook.error("request", (error, options) => {
    const retries = (error as { cfgsyncRetries?: number }).cfgsyncRetries;
    throw toUserError(error, { what: describeRequest(options), baseUrl, timeoutMs, secrets: [token], ...(retries ? { retries } : {}) });
  });
  return { octokit, owner, repo, baseUrl };
}

function parseRepository(value: string | undefined): { owner: string; repo: string } {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value?.trim() ?? "");
  if (!match?.[1] || !match[2]) {
    throw new UserError(
      "github.repository-invalid",
      value
        ? `GITHUB_REPOSITORY must be "owner/repo", got "${value}".`
        : 'GITHUB_REPOSITORY is not set: cfgsync needs the repository as "owner/repo".',
      { suggestions: ["GitHub Actions sets it for every job; elsewhere, export GITHUB_REPOSITORY=owner/repo."] },
    );
  }
  return { owner: match[1], repo: match[2] };
}

function parseApiUrl(value: string | undefined): string {
  const raw = value?.trim() || DEFAULT_GITHUB_API_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError("github.api-url-invalid", `GITHUB_API_URL is not a URL: "${raw}".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UserError("github.api-url-invalid", `GITHUB_API_URL must be an http(s) URL, got "${raw}".`);
  }
  return raw.replace(/\/+$/, "");
}

/** The wait GitHub asks for when `error` is a rate limit (ms), else undefined. */
function rateLimitWait(error: unknown): number | undefined {
  const failure = error as { status?: number; message?: string; response?: { headers?: Record<string, string | number | undefined>; data?: unknown } };
  if (!failure?.response) return undefined;
  const headers = failure.response.headers ?? {};
  const data = failure.response.data as { message?: unknown } | undefined;
  const detail = typeof data?.message === "string" ? data.message : (failure.message ?? "");
  return isRateLimited(failure.status ?? 0, headers, detail) ? retryDelayMs(headers, Date.now()) : undefined;
}

/** CFGSYNC_GITHUB_MAX_RETRY_WAIT: seconds a rate-limited request may wait before its retry (0: never retry). */
function retryWaitFromEnv(env: Env): number | undefined {
  const raw = env.CFGSYNC_GITHUB_MAX_RETRY_WAIT?.trim();
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new UserError("github.retry-wait-invalid", `CFGSYNC_GITHUB_MAX_RETRY_WAIT must be a number of seconds, got "${raw}".`);
  }
  return seconds * 1000;
}
