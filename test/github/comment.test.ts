import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.js";
import { GITHUB_COMMENT_MAX_CHARS } from "../../src/render/markdown.js";
import { FakeGitHub } from "./fake-github.js";
import { PLAN_FIXTURES, brokenTables, largePlan } from "./plans.js";

const TOKEN = "ghs_comment0test0token0ZyXwVuTsRqPoNmLk";
const fake = new FakeGitHub(TOKEN);
const tmp = mkdtempSync(join(tmpdir(), "cfgsync-gh-comment-"));
const PLAN = join(PLAN_FIXTURES, "pricing-change.json");

beforeAll(async () => void (await fake.start()));
afterAll(async () => {
  await fake.stop();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

function comment(args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<CliResult> {
  return runCli(["github", "comment", ...args], {
    env: {
      GITHUB_TOKEN: TOKEN,
      GITHUB_REPOSITORY: "acme/config",
      GITHUB_API_URL: fake.url,
      GITHUB_RUN_ID: "4242",
      GITHUB_SERVER_URL: "https://github.example",
      ...env,
    },
    ...(input !== undefined ? { input } : {}),
    timeoutMs: 30_000,
  });
}

/** A clean user error: exit 1 (or `code`), a message, no stack trace, no token. */
function expectCleanError(result: CliResult, message: RegExp, code = 1): void {
  expect(result.code).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toContain("    at ");
  expect(result.stdout + result.stderr).not.toContain(TOKEN);
}

describe("cfgsync github comment", () => {
  it("creates one comment on the first run and prints its URL", async () => {
    const result = await comment(["--pr", "12", "--plan", PLAN, "--environment", "production"]);
    expect(result.stderr).toContain("Created the plan comment (production) on #12.");
    expect(result.code).toBe(0);
    expect(fake.comments).toHaveLength(1);
    const [created] = fake.comments;
    expect(result.stdout.trim()).toBe(created!.html_url);
    expect(created!.issue_number).toBe(12);
    expect(created!.body.startsWith("<!-- cfgsync:plan env=production -->\n## cfgsync plan for <code>production</code>")).toBe(true);
    expect(created!.body).toContain("| 2 | 3 | 1 | 1 | 1 |");
    expect(fake.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it("updates that same comment on the next run instead of adding another", async () => {
    fake.addComment(12, "LGTM, but check the margins");
    await comment(["--pr", "12", "--plan", PLAN, "--environment", "production"]);
    const first = fake.comments.find((c) => c.body.startsWith("<!-- cfgsync:plan"))!;
    const second = await comment(["--pr", "12", "--plan", join(PLAN_FIXTURES, "no-changes.json"), "--environment", "production"]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("Updated the plan comment");
    expect(second.stdout.trim()).toBe(first.html_url);
    expect(fake.comments).toHaveLength(2); // the human's comment and ours
    expect(fake.comments[0]!.body).toBe("LGTM, but check the margins");
    expect(first.body).toContain("**No changes.**");
    const writes = fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual(["POST /repos/acme/config/issues/12/comments", `PATCH /repos/acme/config/issues/comments/${first.id}`]);
  });

  it("finds its comment on a later page of a long discussion", async () => {
    for (let i = 0; i < 130; i++) fake.addComment(5, `comment ${i}`);
    await comment(["--pr", "5", "--plan", PLAN]);
    for (let i = 0; i < 20; i++) fake.addComment(5, `later comment ${i}`);
    const result = await comment(["--pr", "5", "--plan", PLAN]);
    expect(result.code).toBe(0);
    expect(fake.comments.filter((c) => c.body.startsWith("<!-- cfgsync:plan env=default -->"))).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === "GET" && r.query.get("page") === "2").length).toBeGreaterThan(0);
  });

  it("gives each environment its own comment", async () => {
    await comment(["--pr", "12", "--plan", PLAN, "--environment", "staging"]);
    await comment(["--pr", "12", "--plan", PLAN, "--environment", "production"]);
    await comment(["--pr", "12", "--plan", PLAN, "--environment", "staging"]);
    expect(fake.comments.map((c) => c.body.split("\n")[0])).toEqual([
      "<!-- cfgsync:plan env=staging -->",
      "<!-- cfgsync:plan env=production -->",
    ]);
  });

  it("does not mistake a reply quoting the plan comment for the plan comment", async () => {
    fake.addComment(12, "> <!-- cfgsync:plan env=default -->\n> ## cfgsync plan\n\nwhy this change?");
    await comment(["--pr", "12", "--plan", PLAN]);
    expect(fake.comments).toHaveLength(2);
    expect(fake.comments[0]!.body).toContain("why this change?");
  });

  it("posts a 200 KB plan as a summary under GitHub's limit, pointing at the workflow artifact", async () => {
    const file = join(tmp, "large-plan.json");
    writeFileSync(file, JSON.stringify(largePlan(200_000)));
    const result = await comment(["--pr", "3", "--plan", file, "--environment", "production"]);
    expect(result.code).toBe(0);
    const body = fake.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    expect(brokenTables(body)).toEqual([]);
    expect(body).toContain("the <code>cfgsync-plan</code> artifact of [workflow run 4242](https://github.example/acme/config/actions/runs/4242)");
  });

  it("reads the plan from stdin when --plan is not given", async () => {
    const { readFileSync } = await import("node:fs");
    const result = await comment(["--pr", "12"], {}, readFileSync(PLAN, "utf8"));
    expect(result.code).toBe(0);
    expect(fake.comments).toHaveLength(1);
  });

  it("asks for --plan when there is neither a file nor a piped plan", async () => {
    expectCleanError(await comment(["--pr", "12"]), /No plan given: pass --plan FILE/);
    expect(fake.requests).toHaveLength(0);
  });

  it("rejects a file that is not a plan, naming it", async () => {
    const file = join(tmp, "not-a-plan.json");
    writeFileSync(file, JSON.stringify({ hello: "world" }));
    expectCleanError(await comment(["--pr", "12", "--plan", file]), /not-a-plan\.json is not a cfgsync plan: format_version/);
    expectCleanError(await comment(["--pr", "12", "--plan", join(tmp, "missing.json")]), /Cannot read the plan .*missing\.json: no such file/);
  });

  it("fails cleanly without GITHUB_TOKEN", async () => {
    const result = await comment(["--pr", "12", "--plan", PLAN], { GITHUB_TOKEN: undefined });
    expectCleanError(result, /Error: GITHUB_TOKEN is not set/);
    expect(fake.requests).toHaveLength(0);
  });

  it("turns a 403 into a clean error naming the missing permission, exit 1, no token, no stack", async () => {
    fake.failWith({ status: 403, match: /\/issues\//, body: { message: "Resource not accessible by integration" } });
    const result = await comment(["--pr", "12", "--plan", PLAN]);
    expectCleanError(result, /GitHub refused listing the comments of pull request acme\/config#12 \(403: Resource not accessible by integration\)/);
    expect(result.stderr).toContain("pull-requests: write");
  });

  it("reports the rate limit with its reset time", async () => {
    fake.failWith({ status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1767225600" }, body: { message: "API rate limit exceeded" } });
    expectCleanError(await comment(["--pr", "12", "--plan", PLAN]), /rate limit was hit .* it resets at 2026-01-01T00:00:00.000Z/, 75);
  });

  it("reports a bad token, a missing pull request and a rejected comment cleanly", async () => {
    expectCleanError(await comment(["--pr", "12", "--plan", PLAN], { GITHUB_TOKEN: "ghs_not_the_right_one" }), /rejected the token \(401/);
    fake.failWith({ status: 404, match: /\/comments$/, body: { message: "Not Found" }, times: 1 });
    expectCleanError(await comment(["--pr", "999", "--plan", PLAN]), /found nothing while listing the comments of pull request acme\/config#999 \(404/);
    fake.failWith({ status: 422, match: /^POST /, body: { message: "Validation Failed", errors: [{ field: "body", code: "custom", message: "too long" }] } });
    expectCleanError(await comment(["--pr", "12", "--plan", PLAN]), /rejected the request as invalid while commenting on pull request acme\/config#12 \(422/);
  });

  it("refuses an environment name that could break out of the marker", async () => {
    expectCleanError(await comment(["--pr", "12", "--plan", PLAN, "--environment", "prod --> <b>"]), /Environment name .* is not allowed/, 64);
  });
});
