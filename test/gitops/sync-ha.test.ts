import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { API_KEYS, createWorkspace, type Workspace } from "../helpers/workspace.js";
import { commitAll, gitInit } from "./git-repo.js";
import { logLines, startCli, type RunningCli } from "./running-cli.js";

const setDalle3Cost = (cost: string) => (text: string) => text.replace(/(model_id: dall-e-3[\s\S]*?cost_per_image: )[0-9."]+/, `$1${cost}`);
const INTERVAL_MS = 2000;

describe("highly available sync on PostgreSQL", () => {
  let ws: Workspace;
  let dirs: string[] = [];
  let running: RunningCli[] = [];
  /** A sync process of its own (actor, work directory), against the shared database and repository. */
  const startSync = (actor: string) => {
    const cwd = mkdtempSync(join(tmpdir(), `cfgsync-ha-${actor}-`));
    dirs.push(cwd);
    const s = startCli(["sync", "--repo", ws.dir, "--ref", "main", "--interval", `${INTERVAL_MS}ms`], {
      cwd,
      env: { DATABASE_URL: ws.db.url, CFGSYNC_ACTOR: actor, ...API_KEYS },
    });
    running.push(s);
    return s;
  };
  const revisions = async () =>
    (await ws.db.query<{ id: number; actor: string; git_commit: string }>(`SELECT id, actor, git_commit FROM cfgsync_revision ORDER BY id`)).map((r) => ({
      id: Number(r.id),
      actor: r.actor,
      commit: r.git_commit,
    }));

  beforeEach(async () => {
    ws = await createWorkspace("postgresql");
    await ws.prepareDatabase();
    gitInit(ws.dir);
  });
  afterEach(async () => {
    // SIGTERM lets a cycle stop its git run; a git the process had started may still be finishing: retry the removal.
    for (const s of running) await s.stop("SIGTERM").catch(() => {});
    running = [];
    for (const d of dirs) rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    dirs = [];
    await ws?.dispose();
  });

  test("two sync processes on one database: one leads and applies, the other stands by; kill -9 the leader and the other takes over within one interval", { timeout: 90_000 }, async () => {
    const a = startSync("sync-a");
    await a.waitFor(/"msg":"leading/);
    await a.waitFor(/"msg":"applied"/);
    const b = startSync("sync-b");
    await b.waitFor(/"msg":"standing by/);
    expect(logLines(b.stdout()).find((l) => l.msg.startsWith("standing by"))?.leader).toMatch(/^pid \d+ on /);

    // A new commit: only the leader applies it; the standby keeps skipping.
    ws.edit("models/openai.yaml", setDalle3Cost("0.050"));
    const c2 = commitAll(ws.dir, "dall-e-3 at 0.05");
    await a.waitFor((t) => logLines(t).some((l) => l.msg === "applied" && l.commit === c2));
    await b.waitFor((t) => logLines(t).filter((l) => l.reason === "standby").length >= 2);
    expect(logLines(b.stdout()).filter((l) => l.msg.startsWith("applied"))).toEqual([]);

    // kill -9: no shutdown, the session just ends. The standby leads at once and applies the next commit.
    a.kill();
    const killedAt = Date.now();
    ws.edit("models/openai.yaml", setDalle3Cost("0.060"));
    const c3 = commitAll(ws.dir, "dall-e-3 at 0.06");
    const took = logLines(await b.waitFor(/"msg":"leading/, { timeoutMs: 20_000 })).find((l) => l.msg.startsWith("leading"))!;
    const takeoverMs = Date.parse(took.ts) - killedAt;
    await b.waitFor((t) => logLines(t).some((l) => l.msg === "applied" && l.commit === c3), { timeoutMs: 20_000 });
    console.log(`takeover after kill -9: ${takeoverMs} ms (interval ${INTERVAL_MS} ms)`);
    expect(takeoverMs).toBeLessThan(INTERVAL_MS);

    // Never two appliers: every revision before the kill is the leader's, every one after it the successor's.
    const recorded = await revisions();
    expect(recorded.map((r) => r.actor)).toEqual(["sync-a", "sync-a", "sync-b"]);
    expect(recorded.map((r) => r.commit).slice(1)).toEqual([c2, c3]);
    expect(b.stderr()).toBe("");
  });
});
