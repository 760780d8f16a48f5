import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.js";
import { FakeGitHub } from "./fake-github.js";
import { GITHUB_COMMENT_MAX_CHARS } from "../../src/render/markdown.js";
import { PLAN_FIXTURES, brokenTables, largePlan } from "./plans.js";

/**
 * Environments on a pull request (issue #14): one sticky comment, one section
 * per environment, each with its own review metadata; the apply of each
 * environment finds its own reviewed digest.
 */
const TOKEN = "ghs_envsec0test0token0QwErTyUiOpAsDfGh";
const fake = new FakeGitHub(TOKEN);
const tmp = mkdtempSync(join(tmpdir(), "cfgsync-gh-envs-"));
const HEAD = "1".repeat(40);
const MERGE = "2".repeat(40);
const STAGING = "sha256:" + "a".repeat(64);
const PRODUCTION = "sha256:" + "b".repeat(64);

beforeAll(async () => void (await fake.start()));
afterAll(async () => {
  await fake.stop();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

function cfgsync(args: string[]): Promise<CliResult> {
  const event = join(tmp, "event.json");
  writeFileSync(event, JSON.stringify({ pull_request: { number: 12, head: { sha: HEAD } } }));
  return runCli(args, {
    env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/config", GITHUB_API_URL: fake.url, GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event, GITHUB_ACTIONS: undefined },
    timeoutMs: 30_000,
  });
}
const plan = (name: string, patch: Record<string, unknown>) => {
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(join(PLAN_FIXTURES, "pricing-change.json"), "utf8")), ...patch }));
  return file;
};

describe("cfgsync github comment --env: one comment, a section per environment", () => {
  it("keeps each environment's section (and review metadata) in one comment, updated in place; reviewed-plan reads each", { timeout: 180_000 }, async () => {
    const staging = plan("staging", { environment: "staging", changes_digest: STAGING });
    const fixture = JSON.parse(readFileSync(join(PLAN_FIXTURES, "pricing-change.json"), "utf8")) as { changes: { fields: Record<string, unknown>[] }[] };
    fixture.changes[0]!.fields[0]!.origin = { file: "config/environments/production.yaml", line: 7 };
    const production = plan("production", { environment: "production", changes_digest: PRODUCTION, changes: fixture.changes });
    fake.addComment(12, "a person's comment");
    expect((await cfgsync(["github", "comment", "--pr", "12", "--plan", staging, "--env", "staging"])).code).toBe(0);
    // The plan's own environment names its section when --env is not given.
    const second = await cfgsync(["github", "comment", "--pr", "12", "--plan", production]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain("Updated the plan comment (production) on #12.");
    const again = await cfgsync(["github", "comment", "--pr", "12", "--plan", plan("staging2", { environment: "staging", changes_digest: STAGING, summary: { create: 0, update: 0, delete: 0, drift: 0, unmanaged: 0 }, changes: [] })]);
    expect(again.code, again.stderr).toBe(0);

    expect(fake.comments).toHaveLength(2);
    const body = fake.comments[1]!.body;
    const lines = body.split("\n");
    expect(lines[0]).toBe("<!-- cfgsync:environments -->");
    expect(lines.filter((l) => l.startsWith("<!-- cfgsync:plan"))).toEqual([
      `<!-- cfgsync:plan env=staging head=${HEAD} changes=${STAGING} -->`,
      `<!-- cfgsync:plan env=production head=${HEAD} changes=${PRODUCTION} -->`,
    ]);
    expect(body).toContain("## cfgsync plan for <code>staging</code>");
    expect(body).toContain("## cfgsync plan for <code>production</code>");
    expect(body.indexOf("for <code>staging</code>")).toBeLessThan(body.indexOf("for <code>production</code>"));
    expect(body.match(/\*\*No changes\.\*\*/g)).toHaveLength(1);
    // An overridden value names the environment file's line under the field.
    expect(body).toContain("<code>cost_per_image</code><br><sub>from <code>config/environments/production.yaml:7</code></sub>"); // staging's section was replaced, production's kept

    // A plan posted under another environment's name is refused.
    const wrong = await cfgsync(["github", "comment", "--pr", "12", "--plan", staging, "--env", "production"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("the plan was made for environment staging, not production; nothing was posted [plan.environment-mismatch]");

    fake.pulls.push({ number: 12, head: { sha: HEAD }, merge_commit_sha: MERGE, merged_at: "2026-11-28T12:00:00Z", commits: [HEAD] });
    for (const [env, digest] of [["staging", STAGING], ["production", PRODUCTION]] as const) {
      const reviewed = await cfgsync(["github", "reviewed-plan", "--sha", MERGE, "--environment", env]);
      expect(reviewed.code, reviewed.stderr).toBe(0);
      expect(reviewed.stdout.trim()).toBe(digest);
    }
  });

  it("keeps two large environments' sections within GitHub's limit, each with its marker", { timeout: 180_000 }, async () => {
    for (const env of ["production", "staging"]) {
      const file = join(tmp, `large-${env}.json`);
      writeFileSync(file, JSON.stringify({ ...largePlan(200_000), environment: env, changes_digest: env === "staging" ? STAGING : PRODUCTION }));
      const result = await cfgsync(["github", "comment", "--pr", "7", "--plan", file]);
      expect(result.code, result.stderr).toBe(0);
    }
    const body = fake.comments[0]!.body;
    expect(fake.comments).toHaveLength(1);
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    expect(brokenTables(body)).toEqual([]);
    expect(body.split("\n").filter((l) => l.startsWith("<!-- cfgsync:plan"))).toEqual([
      `<!-- cfgsync:plan env=production head=${HEAD} changes=${PRODUCTION} -->`,
      `<!-- cfgsync:plan env=staging head=${HEAD} changes=${STAGING} -->`,
    ]);
  });
});
