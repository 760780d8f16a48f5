import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/domain/diagnostic.js";
import { gitHubClientFromEnv } from "../../src/github/client.js";
import { FakeGitHub } from "./fake-github.js";

const TOKEN = "ghs_client0test0token0AbCdEfGhIjKlMnOpQr";
const fake = new FakeGitHub(TOKEN);
const env = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/config", GITHUB_API_URL: fake.url });

beforeAll(async () => void (await fake.start()));
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

/** Runs a request and returns the UserError it must fail with. */
async function failure(request: Promise<unknown>): Promise<UserError> {
  const err = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  const userError = err as UserError;
  expect(userError.message + userError.suggestions.join(" ")).not.toContain(TOKEN);
  return userError;
}

const listComments = (github = gitHubClientFromEnv(env())) =>
  github.octokit.rest.issues.listComments({ owner: github.owner, repo: github.repo, issue_number: 7 });

describe("gitHubClientFromEnv", () => {
  it("requires GITHUB_TOKEN, with a message saying how to pass it", () => {
    expect(() => gitHubClientFromEnv({ ...env(), GITHUB_TOKEN: undefined })).toThrow(/GITHUB_TOKEN is not set/);
    expect(() => gitHubClientFromEnv({ ...env(), GITHUB_TOKEN: "  " })).toThrow(UserError);
  });

  it("requires GITHUB_REPOSITORY as owner/repo", () => {
    expect(() => gitHubClientFromEnv({ ...env(), GITHUB_REPOSITORY: undefined })).toThrow(/GITHUB_REPOSITORY is not set/);
    expect(() => gitHubClientFromEnv({ ...env(), GITHUB_REPOSITORY: "just-a-name" })).toThrow(/must be "owner\/repo"/);
  });

  it("defaults the API URL to api.github.com and rejects one that is not a URL", () => {
    expect(gitHubClientFromEnv({ ...env(), GITHUB_API_URL: undefined }).baseUrl).toBe("https://api.github.com");
    expect(gitHubClientFromEnv({ ...env(), GITHUB_API_URL: "https://ghe.example/api/v3/" }).baseUrl).toBe("https://ghe.example/api/v3");
    expect(() => gitHubClientFromEnv({ ...env(), GITHUB_API_URL: "not a url" })).toThrow(/GITHUB_API_URL is not a URL/);
  });

  it("sends the token and talks to GITHUB_API_URL", async () => {
    const { data } = await listComments();
    expect(data).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: "GET", path: "/repos/acme/config/issues/7/comments", authorization: `token ${TOKEN}` });
  });
});

describe("GitHub failures become user errors", () => {
  it("401: the token is rejected", async () => {
    const err = await failure(listComments(gitHubClientFromEnv({ ...env(), GITHUB_TOKEN: "ghs_wrong" })));
    expect(err.code).toBe("github.unauthorized");
    expect(err.message).toBe("GitHub rejected the token (401: Bad credentials) while listing the comments of pull request acme/config#7.");
    expect(err.message).not.toContain("ghs_wrong");
  });

  it("403 with x-ratelimit-remaining: 0: the rate limit, with its reset time", async () => {
    fake.failWith({
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1767225600" },
      body: { message: "API rate limit exceeded" },
    });
    const err = await failure(listComments());
    expect(err.code).toBe("github.rate-limited");
    expect(err.message).toContain("rate limit was hit while listing the comments of pull request acme/config#7");
    expect(err.message).toContain("it resets at 2026-01-01T00:00:00.000Z");
  });

  it("403/429 rate limits are retried after the wait GitHub asks for (retry-after, secondary-limit and abuse wording)", async () => {
    const waits: number[] = [];
    const github = gitHubClientFromEnv(env(), { sleep: async (ms) => void waits.push(ms) });
    fake.failWith({ status: 403, times: 1, headers: { "retry-after": "2" }, body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." } });
    fake.failWith({ status: 403, times: 1, body: { message: "You have triggered an abuse detection mechanism. Please wait a few minutes before you try again." } });
    fake.failWith({ status: 429, times: 1, headers: { "retry-after": "0" }, body: { message: "Too many requests" } });
    const { data } = await listComments(github);
    expect(data).toEqual([]);
    expect(waits).toEqual([2000, 60_000, 0]);
    expect(fake.requests).toHaveLength(4);
  });

  it("a rate limit asking for a longer wait than allowed, or still there after the retries, is a clear rate-limit error", async () => {
    fake.failWith({ status: 403, times: 1, headers: { "retry-after": "3600" }, body: { message: "You have triggered an abuse detection mechanism." } });
    const slept: number[] = [];
    let err = await failure(listComments(gitHubClientFromEnv(env(), { sleep: async (ms) => void slept.push(ms) })));
    expect(err.code).toBe("github.rate-limited");
    expect(err.message).toBe("GitHub's API rate limit was hit while listing the comments of pull request acme/config#7; GitHub asks to retry after 3600 s.");
    expect(slept).toEqual([]);

    fake.failWith({ status: 429, headers: { "retry-after": "1" }, body: { message: "Too many requests" } });
    err = await failure(listComments(gitHubClientFromEnv(env(), { sleep: async (ms) => void slept.push(ms) })));
    expect(err.message).toContain("(retried 3 times); GitHub asks to retry after 1 s");
    expect(slept).toEqual([1000, 1000, 1000]);
    expect(() => gitHubClientFromEnv({ ...env(), CFGSYNC_GITHUB_MAX_RETRY_WAIT: "soon" })).toThrow(/CFGSYNC_GITHUB_MAX_RETRY_WAIT must be a number/);
  });

  it("an error on a later page names the operation, though GitHub addresses it as /repositories/<id>/...", async () => {
    for (let i = 0; i < 150; i++) fake.addComment(7, `comment ${i}`);
    fake.failWith({ status: 502, match: /^GET \/repositories\// });
    const github = gitHubClientFromEnv(env());
    const err = await failure(github.octokit.paginate(github.octokit.rest.issues.listComments, { owner: "acme", repo: "config", issue_number: 7, per_page: 100 }));
    expect(err.message).toBe("GitHub answered 502 while listing the comments of pull request repository 987654#7: fake failure 502.");
  });

  it("403 otherwise: the permission the workflow must grant", async () => {
    fake.failWith({ status: 403, headers: { "x-ratelimit-remaining": "4999" }, body: { message: "Resource not accessible by integration" } });
    const err = await failure(listComments());
    expect(err.code).toBe("github.forbidden");
    expect(err.message).toContain("(403: Resource not accessible by integration)");
    expect(err.suggestions.join(" ")).toContain("pull-requests: write");
  });

  it("403 on a check run names the checks permission", async () => {
    fake.failWith({ status: 403, body: { message: "Resource not accessible by integration" } });
    const github = gitHubClientFromEnv(env());
    const err = await failure(github.octokit.rest.checks.create({ owner: "acme", repo: "config", name: "x", head_sha: "a".repeat(40) }));
    expect(err.message).toContain("creating a check run in acme/config");
    expect(err.suggestions.join(" ")).toContain("checks: write");
  });

  it("404: repository or pull request not found", async () => {
    fake.failWith({ status: 404, body: { message: "Not Found" } });
    const err = await failure(listComments());
    expect(err.code).toBe("github.not-found");
    expect(err.suggestions.join(" ")).toContain("GITHUB_REPOSITORY");
  });

  it("422: the validation errors GitHub listed", async () => {
    fake.failWith({ status: 422, body: { message: "Validation Failed", errors: [{ field: "body", message: "body is too long" }] } });
    const err = await failure(listComments());
    expect(err.code).toBe("github.invalid-request");
    expect(err.message).toContain("(422: Validation Failed — body body is too long)");
  });

  it("scrubs the token even when the server echoes it back", async () => {
    fake.failWith({ status: 422, body: { message: `bad token ${TOKEN}` } });
    const err = await failure(listComments());
    expect(err.message).toContain("bad token ***");
  });

  it("a refused connection: GitHub could not be reached", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const err = await failure(listComments(gitHubClientFromEnv({ ...env(), GITHUB_API_URL: `http://127.0.0.1:${port}` })));
    expect(err.code).toBe("github.unreachable");
    expect(err.message).toContain(`Could not reach GitHub at http://127.0.0.1:${port} while listing the comments`);
  });

  it("a server that never answers: a timeout, not a hang", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const github = gitHubClientFromEnv({ ...env(), GITHUB_API_URL: url }, { timeoutMs: 300 });
      const err = await failure(listComments(github));
      expect(err.code).toBe("github.timeout");
      expect(err.message).toContain("did not answer within 0.3 s");
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });
});
