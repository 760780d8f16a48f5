import { Octokit } from "@octokit/rest";
import { UserError } from "../domain/diagnostic.js";
import { describeRequest, toUserError } from "./errors.js";

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

type Env = Record<string, string | undefined>;

/**
 * Builds an Octokit from the standard Actions variables (SPEC §6). Every
 * failed request surfaces as a UserError naming the operation and the fix,
 * with the token scrubbed from anything GitHub echoed back. No retries:
 * @octokit/rest has no retry plugin, and a CI step is re-run as a whole.
 */
export function gitHubClientFromEnv(
  env: Env,
  opts: { timeoutMs?: number; userAgent?: string } = {},
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
  octokit.hook.error("request", (error, options) => {
    throw toUserError(error, { what: describeRequest(options), baseUrl, timeoutMs, secrets: [token] });
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
