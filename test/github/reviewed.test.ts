import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.js";
import { FakeGitHub } from "./fake-github.js";
import { PLAN_FIXTURES } from "./plans.js";
import { parseMarker } from "../../src/github/marker.js";
import { isOwnComment } from "../../src/github/identity.js";

/**
 * Whose comments count: only those the token's own identity wrote, whether
 * the token is a person's (GET /user) or Actions' installation token (GraphQL
 * viewer, or github-actions[bot] when that is refused too).
 */
const TOKEN = "ghs_reviewed0test0token0ZxCvBnMaSdFgHj";
const fake = new FakeGitHub(TOKEN);
const tmp = mkdtempSync(join(tmpdir(), "cfgsync-gh-reviewed-"));
const HEAD = "1".repeat(40);
const MERGE = "2".repeat(40);
const DIGEST = "sha256:" + "d".repeat(64);

beforeAll(async () => void (await fake.start()));
afterAll(async () => {
  await fake.stop();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

function cfgsync(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const event = join(tmp, "event.json");
  writeFileSync(event, JSON.stringify({ pull_request: { number: 12, head: { sha: HEAD } } }));
  return runCli(args, {
    env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/config", GITHUB_API_URL: fake.url, GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event, GITHUB_ACTIONS: undefined, ...env },
    timeoutMs: 30_000,
  });
}
const plan = (name: string, patch: Record<string, unknown> = {}) => {
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(join(PLAN_FIXTURES, "pricing-change.json"), "utf8")), ...patch }));
  return file;
};

describe("isOwnComment", () => {
  it("matches a person by login and a bot by its slug, never a person named like the bot", () => {
    expect(isOwnComment({ login: "Octo", type: "User" }, { login: "octo", bot: false })).toBe(true);
    expect(isOwnComment({ login: "github-actions[bot]", type: "Bot" }, { login: "github-actions", bot: true })).toBe(true);
    expect(isOwnComment({ login: "github-actions", type: "User" }, { login: "github-actions[bot]", bot: true })).toBe(false);
    expect(isOwnComment({ login: "mallory", type: "User" }, { login: "octo", bot: false })).toBe(false);
    expect(isOwnComment(null, { login: "octo", bot: false })).toBe(false);
  });
});

describe("cfgsync github comment: the sticky comment is found only among the token's own comments", () => {
  it("leaves a planted comment with the same marker alone, and records head commit and change-set digest", async () => {
    const planted = fake.addComment(12, `<!-- cfgsync:plan env=production head=${HEAD} changes=${DIGEST} -->\n## cfgsync plan\n\n**No changes.**`, { login: "mallory", type: "User" });
    const result = await cfgsync(["github", "comment", "--pr", "12", "--plan", plan("p", { changes_digest: "sha256:" + "e".repeat(64) }), "--environment", "production"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Created the plan comment");
    expect(planted.body).toContain("**No changes.**");
    const ours = fake.comments.find((c) => c.id !== planted.id)!;
    expect(ours.user.login).toBe("cfgsync-bot");
    expect(parseMarker(ours.body)).toEqual({ kind: "plan", env: "production", head: HEAD, changes: "sha256:" + "e".repeat(64) });
    expect(fake.requests.filter((r) => r.method === "PATCH")).toEqual([]);
  });

  it("with Actions' installation token: GET /user is refused, the GraphQL viewer names the bot; with that refused too, github-actions[bot]", async () => {
    fake.identity = { kind: "installation", bot: { login: "github-actions[bot]", type: "Bot" }, viewer: "answers" };
    const first = await cfgsync(["github", "comment", "--pr", "12", "--plan", plan("p"), "--environment", "production"]);
    expect(first.code, first.stderr).toBe(0);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`).slice(0, 2)).toEqual(["GET /user", "POST /graphql"]);
    fake.addComment(12, "<!-- cfgsync:plan env=production -->\nplanted by a person called github-actions", { login: "github-actions", type: "User" });

    fake.identity = { kind: "installation", bot: { login: "github-actions[bot]", type: "Bot" }, viewer: "refused" };
    const second = await cfgsync(["github", "comment", "--pr", "12", "--plan", plan("p"), "--environment", "production"], { GITHUB_ACTIONS: "true" });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain("Updated the plan comment");
    expect(fake.comments.filter((c) => c.user.login === "github-actions[bot]")).toHaveLength(1);
    expect(fake.comments.find((c) => c.user.login === "github-actions")!.body).toContain("planted by a person");

    // Outside Actions, a token that says nothing about itself is refused rather than guessed.
    const third = await cfgsync(["github", "comment", "--pr", "12", "--plan", plan("p")]);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain("GitHub did not say who the token belongs to");
  });

  it("says in the title when the plan was made against an empty database", async () => {
    const base = JSON.parse(readFileSync(join(PLAN_FIXTURES, "pricing-change.json"), "utf8")) as { changes: Array<{ action: string }> };
    const creates = base.changes.filter((c) => c.action === "create");
    const file = plan("empty", { changes: creates, summary: { create: creates.length, update: 0, delete: 0, drift: 0, unmanaged: 0 } });
    const result = await cfgsync(["github", "comment", "--pr", "12", "--plan", file, "--environment", "production"]);
    expect(result.code, result.stderr).toBe(0);
    expect(fake.comments[0]!.body).toContain("## cfgsync plan for <code>production</code>, against an empty database");
    await cfgsync(["github", "comment", "--pr", "12", "--plan", plan("p"), "--environment", "production"]);
    expect(fake.comments[0]!.body).not.toContain("against an empty database");
  });
});

describe("cfgsync github reviewed-plan", () => {
  const reviewed = () => cfgsync(["github", "reviewed-plan", "--sha", MERGE, "--environment", "production", "--json"]);
  const merged = () => fake.pulls.push({ number: 12, head: { sha: HEAD }, merge_commit_sha: MERGE, merged_at: "2026-11-28T12:00:00Z", commits: [HEAD] });
  const json = (r: CliResult) => JSON.parse(r.stdout) as { changes_digest: string | null; reason: string; pr: number | null; source: string | null };

  it("finds the digest of the plan reviewed for the pull request's last head, trusting only its own comments", async () => {
    // No pull request: nothing reviewed.
    let result = await cfgsync(["github", "reviewed-plan", "--sha", MERGE, "--environment", "production"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("none");
    expect(result.stderr).toContain("no merged pull request brought 2222222 in");

    merged();
    // Only a planted comment: not ours, so nothing reviewed.
    fake.addComment(12, `<!-- cfgsync:plan env=production head=${HEAD} changes=${DIGEST} -->\nlooks reviewed`, { login: "mallory", type: "User" });
    expect(json(await reviewed())).toMatchObject({ changes_digest: null, pr: 12 });

    // Ours, but made for an older head commit: not what was merged.
    const ours = fake.addComment(12, `<!-- cfgsync:plan env=production head=${"3".repeat(40)} changes=${DIGEST} -->\nplan`, fake.ownUser);
    result = await reviewed();
    expect(json(result)).toMatchObject({ changes_digest: null });
    expect(json(result).reason).toContain("not for its last commit 1111111");

    ours.body = `<!-- cfgsync:plan env=production head=${HEAD} changes=${DIGEST} -->\nplan`;
    expect(json(await reviewed())).toMatchObject({ changes_digest: DIGEST, source: "pull-request", pr: 12 });

    // A refused re-plan posted for this commit wins: re-running the job approves it.
    const replan = "sha256:" + "f".repeat(64);
    fake.addComment(12, `<!-- cfgsync:unapplied env=production sha=${MERGE} changes=${replan} -->\nnot applied`, fake.ownUser);
    expect(json(await reviewed())).toMatchObject({ changes_digest: replan, source: "re-plan" });
    expect(fake.requests.every((r) => r.method === "GET" || r.path === "/graphql")).toBe(true);
  });
});
