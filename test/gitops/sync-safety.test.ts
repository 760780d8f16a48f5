import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { APPLY_LOCK_KEY } from "../../src/store/lock.js";
import { DIALECTS } from "../helpers/db.js";
import { API_KEYS, createWorkspace, type Workspace } from "../helpers/workspace.js";
import { startGitHttpServer, type GitHttpServer } from "./git-http-server.js";
import { gitInit } from "./git-repo.js";
import { logLines, startCli } from "./running-cli.js";

const TOKEN = "ghp_sync0credential0token0DoNotStore";

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && readFileSync(f).includes(needle));
}

describe.each(DIALECTS)("cfgsync sync safety on %s", (dialect) => {
  let ws: Workspace;
  let server: GitHttpServer;
  let served: string;

  beforeEach(async () => {
    ws = await createWorkspace(dialect);
    await ws.prepareDatabase();
    gitInit(ws.dir);
    served = mkdtempSync(join(tmpdir(), "cfgsync-served-"));
    execFileSync("git", ["clone", "--quiet", "--bare", ws.dir, join(served, "config.git")]);
    server = await startGitHttpServer(served, "deploy", TOKEN);
  });
  afterEach(async () => {
    await server?.stop();
    rmSync(served, { recursive: true, force: true });
    await ws?.dispose();
  });

  const once = (repo: string, env: Record<string, string> = {}) => ws.cli(["sync", "--repo", repo, "--once", "--git-timeout", "20s"], { env });

  test(
    "credentials in the URL or the environment authenticate git but are never written to disk or logged; drift past the price guard is restored; a locked work dir is a normal skip",
    { timeout: 120_000 },
    async () => {
      // A checkout left by an older version, with the token in its .git/config.
      const old = join(ws.dir, ".cfgsync", "sync-0ld0ld0ld0ld", ".git");
      mkdirSync(old, { recursive: true });
      writeFileSync(join(old, "config"), `[remote "origin"]\n\turl = https://deploy:${TOKEN}@git.example/config.git\n`);

      const repoWithToken = `${server.url.replace("http://", `http://deploy:${TOKEN}@`)}/config.git`;
      const running = startCli(["sync", "--repo", repoWithToken, "--interval", "1h", "--git-timeout", "20s"], { cwd: ws.dir, env: { DATABASE_URL: ws.db.url, ...API_KEYS } });
      await running.waitFor(/"msg":"applied"/, { timeoutMs: 60_000 });
      // Not in the process's arguments either (others can read /proc/PID/cmdline).
      const cmdline = readFileSync(`/proc/${running.pid}/cmdline`, "utf8");
      expect(cmdline).toContain("sync --repo http://***@127.0.0.1");
      expect(cmdline).not.toContain(TOKEN);
      expect((await running.stop("SIGTERM")).code).toBe(0);
      const withUrl = { stdout: running.stdout(), stderr: running.stderr() };
      expect(logLines(withUrl.stdout).find((l) => l.level === "warn")!.msg).toContain("prefer CFGSYNC_GIT_TOKEN");
      expect(server.authorizations).toContain(`Basic ${Buffer.from(`deploy:${TOKEN}`).toString("base64")}`);
      expect(withUrl.stdout + withUrl.stderr).not.toContain(TOKEN);
      expect(filesContaining(join(ws.dir, ".cfgsync"), TOKEN)).toEqual([]);
      const workdirs = readdirSync(join(ws.dir, ".cfgsync")).filter((d) => d.startsWith("sync-") && !d.endsWith(".lock"));
      expect(workdirs).toHaveLength(2);
      expect(readFileSync(join(old, "config"), "utf8")).toContain("url = https://git.example/config.git");

      // A large price change made by hand: restored by the next cycle, not refused by max_price_change_pct.
      await ws.db.query("UPDATE ai_model_config SET output_token_rate = '99' WHERE model_id = 'gpt-4.1'");
      const withEnv = await once(`${server.url}/config.git`, { CFGSYNC_GIT_TOKEN: TOKEN, CFGSYNC_GIT_USERNAME: "deploy" });
      expect(withEnv.code, withEnv.stdout).toBe(0);
      const restored = logLines(withEnv.stdout).find((l) => l.msg === "applied")!;
      expect(restored).toMatchObject({ level: "info", summary: { drift: 1 } });
      expect(withEnv.stdout).not.toContain("max-price-change");
      expect(Number((await ws.db.query<{ v: string }>("SELECT output_token_rate AS v FROM ai_model_config WHERE model_id = 'gpt-4.1'"))[0]!.v)).toBe(8);
      // The same checkout: its name does not depend on the credentials.
      expect(readdirSync(join(ws.dir, ".cfgsync")).filter((d) => d.startsWith("sync-"))).toEqual(workdirs.sort());
      expect(filesContaining(join(ws.dir, ".cfgsync"), TOKEN)).toEqual([]);

      // Another sync process holds the work directory: this one skips its cycle, as a normal event.
      const workdir = join(ws.dir, ".cfgsync", workdirs.find((d) => d !== "sync-0ld0ld0ld0ld")!);
      writeFileSync(`${workdir}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), since: "2026-11-28T00:00:00Z" }));
      const skipped = await once(`${server.url}/config.git`, { CFGSYNC_GIT_TOKEN: TOKEN, CFGSYNC_GIT_USERNAME: "deploy" });
      expect(skipped.code).toBe(0);
      expect(logLines(skipped.stdout).find((l) => l.reason === "workdir-locked")).toMatchObject({
        level: "info",
        msg: "skipped: another sync process is using the work directory",
        holder: { pid: process.pid },
      });
      expect(existsSync(`${workdir}.lock`)).toBe(true);
      // A lock left by a process that is gone is taken over.
      writeFileSync(`${workdir}.lock`, JSON.stringify({ pid: 2 ** 22 + 1, host: hostname(), since: "2026-11-28T00:00:00Z" }));
      const taken = await once(`${server.url}/config.git`, { CFGSYNC_GIT_TOKEN: TOKEN, CFGSYNC_GIT_USERNAME: "deploy" });
      expect(logLines(taken.stdout).map((l) => l.msg)).toContain("in sync");
      expect(existsSync(`${workdir}.lock`)).toBe(false);
    },
  );
});

describe("cfgsync sync on postgresql: losing the apply race", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await createWorkspace("postgresql");
    await ws.prepareDatabase();
    gitInit(ws.dir);
  });
  afterEach(async () => ws?.dispose());

  test("another apply committing between our plan and our lock is a normal skip, not an error", { timeout: 90_000 }, async () => {
    // Hold the apply lock, as a running apply would.
    const holder = new pg.Client({ connectionString: ws.db.url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(${APPLY_LOCK_KEY})`);
      const sync = startCli(["sync", "--repo", ws.dir, "--workdir", join(ws.dir, "wd"), "--once", "--lock-timeout", "60"], {
        cwd: ws.dir,
        env: { DATABASE_URL: ws.db.url, ...API_KEYS },
      });
      // Wait until it has planned and polls for the lock (pg_stat_activity is the whole cluster's: this database's sessions only,
      // or another test's apply polling its own database ends the wait early).
      for (let i = 0; i < 300; i++) {
        const waiting = await holder.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_try_advisory_xact_lock%' AND pid <> pg_backend_pid() AND datname = current_database()");
        if (waiting.rowCount) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // "The other apply" commits a change, then releases the lock.
      await holder.query("INSERT INTO account (id, slug, name, credits) VALUES (99, 'latecomer', 'latecomer', 0)");
      await holder.query(`SELECT pg_advisory_unlock(${APPLY_LOCK_KEY})`);
      await sync.waitFor(/"msg":"stopped"/, { timeoutMs: 60_000 });
      const lines = logLines(sync.stdout());
      const skip = lines.find((l) => l.reason === "lost-apply-race");
      expect(skip, sync.stdout()).toMatchObject({ level: "info", msg: "skipped: another apply changed the database first; the next cycle plans again" });
      expect(lines.filter((l) => l.level === "error")).toEqual([]);
    } finally {
      await holder.end();
    }
  });
});
