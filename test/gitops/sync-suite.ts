import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Dialect } from "../helpers/db.js";
import { API_KEYS, createWorkspace, type Workspace } from "../helpers/workspace.js";
import { commitAll, gitInit } from "./git-repo.js";
import { logLines, startCli, type RunningCli } from "./running-cli.js";

const setDalle3Cost = (cost: string) => (text: string) => text.replace(/(model_id: dall-e-3[\s\S]*?cost_per_image: )[0-9."]+/, `$1${cost}`);
const expectNoSecrets = (text: string) => {
  for (const key of Object.values(API_KEYS)) expect(text).not.toContain(key);
};

/** The sync loop on one database (sync.sqlite.test.ts, sync.postgresql.test.ts: the two run side by side). */
export function syncSuite(dialect: Dialect): void {
  describe(`cfgsync sync on ${dialect}`, () => {
    let ws: Workspace;
    let workdir: string;
    let sync: RunningCli | undefined;
    const revisions = async () => Number((await ws.db.query<{ n: number | string }>("SELECT count(*) AS n FROM cfgsync_revision"))[0]!.n);
    const dalle3Cost = async () => Number((await ws.db.query<{ c: string | number }>("SELECT cost_per_image AS c FROM ai_model_config WHERE model_id = 'dall-e-3'"))[0]?.c);
    const gpt4oSortOrder = async () => Number((await ws.db.query<{ s: number }>("SELECT sort_order AS s FROM ai_model_config WHERE model_id = 'gpt-4o'"))[0]?.s);
    const startSync = (extra: string[]) =>
      (sync = startCli(["sync", "--repo", ws.dir, "--ref", "main", "--workdir", workdir, "--interval", "1s", ...extra], {
        cwd: ws.dir,
        env: { DATABASE_URL: ws.db.url, ...API_KEYS },
      }));

    beforeEach(async () => {
      ws = await createWorkspace(dialect);
      await ws.prepareDatabase();
      gitInit(ws.dir);
      workdir = mkdtempSync(join(tmpdir(), "cfgsync-sync-wd-"));
      rmSync(workdir, { recursive: true });
    });
    afterEach(async () => {
      sync?.kill();
      sync = undefined;
      rmSync(workdir, { recursive: true, force: true });
      await ws?.dispose();
    });

    test("apply mode: applies the first commit, stays quiet (no revision) while nothing changes, applies a new commit, restores an out-of-band edit, exits 0 on SIGTERM", { timeout: 120_000 }, async () => {
      const s = startSync(["--mode", "apply"]);
      const first = logLines(await s.waitFor(/"msg":"applied"/));
      const appliedLine = first.find((l) => l.msg === "applied")!;
      expect(appliedLine.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(appliedLine.summary).toMatchObject({ update: 0, delete: 0 });
      expect(await revisions()).toBe(1);
      expect(await dalle3Cost()).toBeCloseTo(0.04);

      // Nothing changed: two "in sync" cycles, no new revision.
      let from = s.mark();
      await s.waitFor((t) => logLines(t).filter((l) => l.msg === "in sync").length >= 2, { from });
      expect(await revisions()).toBe(1);
      const revisionCommit = (await ws.db.query<{ git_commit: string }>("SELECT git_commit FROM cfgsync_revision"))[0]!.git_commit;
      expect(revisionCommit).toBe(appliedLine.commit);

      // A commit appears: it is applied and recorded with its sha.
      ws.edit("models/openai.yaml", setDalle3Cost("0.050"));
      const sha = commitAll(ws.dir, "raise dall-e-3 price");
      from = s.mark();
      const second = logLines(await s.waitFor(/"msg":"applied"/, { from })).find((l) => l.msg === "applied")!;
      expect(second).toMatchObject({ commit: sha, summary: { update: 1, create: 0, delete: 0 } });
      expect(await dalle3Cost()).toBeCloseTo(0.05);
      expect(await revisions()).toBe(2);

      // An out-of-band edit is drift, restored on the next cycle.
      from = s.mark();
      await ws.db.query("UPDATE ai_model_config SET sort_order = 999 WHERE model_id = 'gpt-4o'");
      const restored = logLines(await s.waitFor(/"msg":"applied"/, { from })).find((l) => l.msg === "applied")!;
      expect(restored).toMatchObject({ commit: sha, summary: { drift: 1 } });
      expect(await gpt4oSortOrder()).not.toBe(999);

      const stopped = await s.stop("SIGTERM");
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(10_000);
      expect(logLines(s.stdout()).at(-1)).toMatchObject({ level: "info", msg: "stopped" });
      expect(s.stderr()).toBe("");
      expectNoSecrets(s.stdout());
      for (const line of s.stdout().trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
    });

    test("detect mode: reports an out-of-band edit without restoring it or recording a revision", { timeout: 120_000 }, async () => {
      const applied = await ws.cli(["apply", "--auto-approve"]);
      expect(applied.code, applied.stderr).toBe(0);
      await ws.db.query("UPDATE ai_model_config SET sort_order = 999 WHERE model_id = 'gpt-4o'");

      const s = startSync(["--mode", "detect"]);
      const text = await s.waitFor((t) => logLines(t).filter((l) => l.level === "warn").length >= 2);
      const report = logLines(text).find((l) => l.level === "warn")!;
      expect(report.msg).toMatch(/drift detected; not restored/);
      expect(report.summary).toMatchObject({ drift: 1 });
      expect(report.changes).toEqual([{ address: "model/gpt-4o", action: "drift", fields: ["sort_order"] }]);
      expect(await gpt4oSortOrder()).toBe(999);
      expect(await revisions()).toBe(1);

      const stopped = await s.stop("SIGINT");
      expect(stopped.code).toBe(0);

      const once = await ws.cli(["sync", "--repo", ws.dir, "--workdir", workdir, "--mode", "detect", "--once"]);
      expect(once.code, once.stdout + once.stderr).toBe(2);
      expect(logLines(once.stdout).map((l) => l.msg)).toContain("drift detected; not restored (detect mode)");
    });

    test("SIGTERM in the middle of the first cycle exits 0 and leaves the database untouched or fully applied, never half", { timeout: 60_000 }, async () => {
      const s = startSync(["--mode", "apply"]);
      await s.waitFor(/"msg":"sync started"/);
      await new Promise((r) => setTimeout(r, 300));
      const stopped = await s.stop("SIGTERM");
      expect(stopped.code).toBe(0);
      expect(stopped.ms).toBeLessThan(10_000);
      const models = Number((await ws.db.query<{ n: number | string }>("SELECT count(*) AS n FROM ai_model_config"))[0]!.n);
      if ((await revisions()) === 0) expect(models).toBe(0);
      else expect((await ws.cli(["plan", "--detailed-exitcode"])).code).toBe(0);
      expect(logLines(s.stdout()).at(-1)).toMatchObject({ msg: "stopped" });
    });

    test("an invalid commit is logged with file:line and retried; the fix is applied", { timeout: 120_000 }, async () => {
      ws.edit("credits.yaml", (t) => t + "\noperations: [unclosed\n");
      const bad = commitAll(ws.dir, "break credits.yaml");
      const s = startSync(["--mode", "apply"]);
      const failed = logLines(await s.waitFor(/"level":"error"/)).find((l) => l.level === "error")!;
      expect(failed).toMatchObject({ code: "config.invalid", commit: bad, failures: 1 });
      expect(failed.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ file: "config/credits.yaml", line: expect.any(Number) })]));
      expect(await revisions()).toBe(0);

      ws.edit("credits.yaml", (t) => t.replace("\noperations: [unclosed\n", ""));
      const good = commitAll(ws.dir, "fix credits.yaml");
      const applied = logLines(await s.waitFor(/"msg":"applied"/, { timeoutMs: 30_000 })).find((l) => l.msg === "applied")!;
      expect(applied.commit).toBe(good);
      expect(await revisions()).toBe(1);
      expect((await s.stop()).code).toBe(0);
    });
  });
}
