import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { API_KEYS, createWorkspace, type Workspace } from "../helpers/workspace.js";
import { FakeGitHub } from "./fake-github.js";
import { isSectionedComment, parseMarker, parseSections } from "../../src/github/marker.js";
import { runJob, type JobRun, type Step } from "./workflow-runner.js";

/**
 * The delivery path end to end: the workflow's own steps (pull request job,
 * then apply job after the merge) run as the Actions runner would, against
 * the fake GitHub and a real PostgreSQL database (production's kind), the
 * pull request job reading it through a read-only role. Reviewed plan or
 * nothing. (The same rule from a terminal, on both databases: test/cli/reviewed-apply.test.ts.)
 */
const TOKEN = "ghs_delivery0test0token0QwErTyUiOpAsDf";
const fake = new FakeGitHub(TOKEN);
const shim = mkdtempSync(join(tmpdir(), "cfgsync-npx-"));

beforeAll(async () => {
  await fake.start();
  // `npx cfgsync ...` in the steps runs this checkout's built CLI.
  writeFileSync(join(shim, "npx"), `#!/bin/sh\n[ "$1" = cfgsync ] || { echo "npx $1: not in this test" >&2; exit 127; }\nshift\nexec "${process.execPath}" "${join(ROOT, "bin", "run.js")}" "$@"\n`);
  chmodSync(join(shim, "npx"), 0o755);
});
afterAll(async () => {
  await fake.stop();
  rmSync(shim, { recursive: true, force: true });
});

/** Checkout, setup, install and the test suite are what the runner already is; everything else runs. */
const skip = (step: Step) => /npm ci|npm test|schema --check|validate --format/.test(step.run ?? "");
const sha = (n: number) => n.toString(16).padStart(40, "a");
const setPrice = (model: string, field: string, value: string) => (text: string) =>
  text.replace(new RegExp(`(model_id: ${model}\\n[\\s\\S]*?${field}: )[0-9."]+`), `$1${value}`);

describe("delivery on postgresql: the plan reviewed is the plan applied", () => {
  const dialect = "postgresql";
  let ws: Workspace;
  let planDatabaseUrl: string;
  let dropRole: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    fake.reset();
    fake.identity = { kind: "installation", bot: { login: "github-actions[bot]", type: "Bot" }, viewer: "answers" };
    ws = await createWorkspace(dialect);
    await ws.prepareDatabase();
    const first = await ws.cli(["apply", "--auto-approve"]);
    expect(first.code, first.stderr).toBe(0);
    {
      // The pull request job's credential: a role that can read and nothing else.
      const role = `cfgsync_ro_${Date.now().toString(36)}`;
      const database = new URL(ws.db.url).pathname.slice(1);
      await ws.db.query(`CREATE ROLE ${role} LOGIN`);
      await ws.db.query(`GRANT CONNECT ON DATABASE ${database} TO ${role}`);
      await ws.db.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
      await ws.db.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
      const url = new URL(ws.db.url);
      url.username = role;
      url.password = "";
      planDatabaseUrl = url.toString();
      dropRole = async () => {
        await ws.db.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`);
        await ws.db.query(`REVOKE ALL ON SCHEMA public FROM ${role}`);
        await ws.db.query(`REVOKE ALL ON DATABASE ${database} FROM ${role}`);
        await ws.db.query(`DROP ROLE ${role}`);
      };
    }
  });
  afterEach(async () => {
    await dropRole?.();
    dropRole = undefined;
    await ws?.dispose();
  });

  const runner = { env: { PATH: `${shim}:${process.env.PATH}`, GITHUB_API_URL: "", NO_COLOR: "1", CFGSYNC_GITHUB_MAX_RETRY_WAIT: "0" } };
  const secrets = () => ({
    GITHUB_TOKEN: TOKEN,
    CFGSYNC_PLAN_DATABASE_URL: planDatabaseUrl,
    // Staging's read-only credential: the same database here (its plan adds staging's overrides).
    CFGSYNC_PLAN_DATABASE_URL_STAGING: planDatabaseUrl,
    CFGSYNC_DATABASE_URL: ws.db.url,
    ...API_KEYS,
  });

  /** The validate job for pull request `pr` at head commit `head`, on the workspace's config as it is now. */
  async function pullRequestJob(pr: number, head: string): Promise<JobRun> {
    const run = await runJob("validate", {
      cwd: ws.dir,
      secrets: secrets(),
      github: {
        event_name: "pull_request",
        sha: sha(9000 + pr),
        ref: `refs/pull/${pr}/merge`,
        repository: "acme/config",
        event: { pull_request: { number: pr, head: { sha: head, repo: { full_name: "acme/config" } } } },
      },
      env: { ...runner.env, GITHUB_API_URL: fake.url },
      skip,
    });
    expect(run.failed, run.steps.map((s) => s.stderr).join("\n")).toBe(false);
    return run;
  }

  function merge(pr: number, head: string, mergeSha: string): void {
    fake.pulls.push({ number: pr, head: { sha: head }, merge_commit_sha: mergeSha, merged_at: "2026-11-28T12:00:00Z", commits: [head] });
  }

  function applyJob(mergeSha: string): Promise<JobRun> {
    return runJob("apply", {
      cwd: ws.dir,
      secrets: secrets(),
      github: { event_name: "push", sha: mergeSha, ref: "refs/heads/main", repository: "acme/config", event: {}, run_id: "77" },
      env: { ...runner.env, GITHUB_API_URL: fake.url },
      skip,
    });
  }

  const revisions = async () => Number((await ws.db.query<{ n: number | string }>("SELECT count(*) AS n FROM cfgsync_revision"))[0]!.n);
  const column = async (model: string, name: string) =>
    String((await ws.db.query<Record<string, unknown>>(`SELECT ${name} AS v FROM ai_model_config WHERE model_id = '${model}'`))[0]!.v);
  /** The pull request's one plan comment (a section per environment) and production's section marker in it. */
  const stickyOf = (pr: number) => fake.comments.find((c) => c.issue_number === pr && isSectionedComment(c.body))!;
  const productionMarker = (pr: number) => parseSections(stickyOf(pr).body).find((s) => s.marker.env === "production")!.marker;
  const refusedOf = (pr: number) => fake.comments.filter((c) => c.issue_number === pr && parseMarker(c.body)?.kind === "unapplied");

  test(
    "unchanged plan: applied; drift or another merge between review and merge: nothing applied, re-plan posted on the PR and the commit, exit 1; re-run after review applies it",
    { timeout: 300_000 },
    async () => {
      // 1. A reviewed price change, merged with nothing else moving: applied.
      ws.edit("models/openai.yaml", setPrice("dall-e-3", "cost_per_image", "0.05"));
      await pullRequestJob(1, sha(1));
      const sticky = productionMarker(1);
      expect(sticky).toMatchObject({ kind: "plan", env: "production", head: sha(1) });
      expect(parseSections(stickyOf(1).body).map((s) => s.marker.env)).toEqual(["production", "staging"]);
      expect(sticky.changes).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(stickyOf(1).user.login).toBe("github-actions[bot]");
      merge(1, sha(1), sha(101));
      const before = await revisions();
      const applied = await applyJob(sha(101));
      expect(applied.failed, applied.steps.map((s) => s.stdout + s.stderr).join("\n")).toBe(false);
      expect(applied.step("reviewed-plan").outputs.changes).toBe(sticky.changes);
      expect(applied.step("post-refused").outcome).toBe("skipped");
      expect(Number(await column("dall-e-3", "cost_per_image"))).toBeCloseTo(0.05);
      expect(await revisions()).toBe(before + 1);
      expect(refusedOf(1)).toEqual([]);
      expect(fake.checkRuns).toEqual([]);

      // 2. Reviewed, then a row drifts before the merge: the merge applies nothing.
      ws.edit("models/openai.yaml", setPrice("gpt-4o", "sort_order", "31"));
      await pullRequestJob(2, sha(2));
      await ws.db.query("UPDATE ai_model_config SET max_output_tokens = 1 WHERE model_id = 'gpt-4.1'");
      merge(2, sha(2), sha(102));
      const refused = await applyJob(sha(102));
      expect(refused.failed).toBe(true);
      expect(refused.step("cfgsync apply").outcome).toBe("failure");
      expect(refused.step("cfgsync apply").code).toBe(1);
      expect(refused.step("cfgsync apply").stderr).toMatch(/differ from the reviewed ones .*nothing was changed/);
      expect(await column("gpt-4o", "sort_order")).not.toBe("31");
      expect(await column("gpt-4.1", "max_output_tokens")).toBe("1");
      expect(await revisions()).toBe(before + 1);
      // The new plan is shown where the PR and the commit show it.
      expect(refused.step("post-refused").outcome).toBe("success");
      const [posted] = refusedOf(2);
      expect(posted!.body).toContain("cfgsync applied nothing to <code>production</code>");
      expect(posted!.body).toContain("gpt-4.1");
      expect(parseMarker(posted!.body)).toMatchObject({ kind: "unapplied", env: "production", sha: sha(102) });
      expect(parseMarker(posted!.body)!.changes).not.toBe(productionMarker(2).changes);
      expect(fake.checkRuns).toHaveLength(1);
      expect(fake.checkRuns[0]).toMatchObject({ head_sha: sha(102), name: "cfgsync apply (production)", status: "completed", conclusion: "failure" });

      // A person reviews the posted plan and re-runs the job: exactly that plan is applied.
      const rerun = await applyJob(sha(102));
      expect(rerun.failed, rerun.steps.map((s) => s.stdout + s.stderr).join("\n")).toBe(false);
      expect(rerun.step("reviewed-plan").stderr).toContain("re-plan");
      expect(await column("gpt-4o", "sort_order")).toBe("31");
      expect(await column("gpt-4.1", "max_output_tokens")).not.toBe("1");
      expect(await revisions()).toBe(before + 2);

      // 3. Another merge between review and merge: #3 is reviewed; #4 merges first but its
      // apply never runs (a cancelled pending run); #3's merge commit carries both changes.
      ws.edit("models/openai.yaml", setPrice("gpt-4o", "sort_order", "33"));
      await pullRequestJob(3, sha(3));
      ws.edit("models/openai.yaml", setPrice("gpt-4o-mini", "sort_order", "22"));
      merge(4, sha(4), sha(104));
      merge(3, sha(3), sha(103));
      const other = await applyJob(sha(103));
      expect(other.failed).toBe(true);
      expect(other.step("cfgsync apply").code).toBe(1);
      expect(await revisions()).toBe(before + 2);
      expect(await column("gpt-4o", "sort_order")).toBe("31");
      expect(await column("gpt-4o-mini", "sort_order")).toBe("20");
      expect(refusedOf(3)).toHaveLength(1);
      expect(refusedOf(3)[0]!.body).toContain("gpt-4o-mini");
      expect(fake.checkRuns.map((r) => r.head_sha)).toEqual([sha(102), sha(103)]);
    },
  );
});
