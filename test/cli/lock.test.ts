import { spawn } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { DIALECTS } from "../helpers/db.js";
import { API_KEYS, createWorkspace, type Workspace } from "../helpers/workspace.js";

const CI = { GITHUB_SERVER_URL: "https://github.example", GITHUB_REPOSITORY: "org/config", GITHUB_RUN_ID: "4242", CFGSYNC_ACTOR: "ci-bot" };
const RUN_URL = "https://github.example/org/config/actions/runs/4242";

/** An apply paused inside its transaction (the lock held) until killed. */
function pausedApply(ws: Workspace) {
  const child = spawn(process.execPath, [join(ROOT, "bin", "run.js"), "apply", "--auto-approve"], {
    cwd: ws.dir,
    env: { ...process.env, NO_COLOR: "1", DATABASE_URL: ws.db.url, ...API_KEYS, ...CI, CFGSYNC_TEST_PAUSE_IN_APPLY_MS: "60000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const paused = new Promise<void>((resolve, reject) => {
    child.stderr.on("data", () => stderr.includes("paused in apply") && resolve());
    child.on("close", () => reject(new Error(`apply ended before pausing: ${stderr}`)));
  });
  const killed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  return { child, paused, kill: async () => (child.kill("SIGKILL"), await killed) };
}

describe.each(DIALECTS)("the apply lock names its holder (%s)", (dialect) => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await createWorkspace(dialect);
    await ws.prepareDatabase();
  });
  afterEach(async () => ws?.dispose());

  test("a waiter and `lock status` say who, where and since when; a holder that died leaves a record `lock release --force` clears", async () => {
    const holder = pausedApply(ws);
    try {
      await holder.paused;
      const waiter = await ws.cli(["apply", "--auto-approve", "--lock-timeout", "1"]);
      expect(waiter.code).toBe(75);
      const holderText = new RegExp(`another apply holds the lock: ci-bot \\(${RUN_URL}, pid ${holder.child.pid} on [^)]+\\) since \\d{4}-\\d\\d-\\d\\dT[^ ]+ \\(\\d+ s ago\\); waited 1 s \\[lock\\.held\\]`);
      expect(waiter.stderr).toMatch(holderText);

      const status = await ws.cli(["lock", "status", "--json"]);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ held: true, holder: { actor: "ci-bot", pid: holder.child.pid, run_url: RUN_URL } });
      expect((await ws.cli(["lock", "status"])).stdout).toMatch(/^The apply lock is held by ci-bot /);

      const unguarded = await ws.cli(["lock", "release"]);
      expect(unguarded.code).toBe(1);
      expect(unguarded.stderr).toContain("[lock.release-refused]");
    } finally {
      await holder.kill();
    }

    // The lock died with its holder (PostgreSQL notices the closed connection a moment later); its record stayed.
    for (let i = 0; i < 40 && JSON.parse((await ws.cli(["lock", "status", "--json"])).stdout).held; i++) await new Promise((r) => setTimeout(r, 250));
    const stale = await ws.cli(["lock", "status"]);
    expect(stale.stdout).toMatch(/^The apply lock is free, but ci-bot .* left its record: that holder died mid-apply/);
    const released = await ws.cli(["lock", "release", "--force"]);
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toContain("cleared the record");
    expect((await ws.cli(["lock", "status"])).stdout).toBe("The apply lock is free.\n");
    // Nothing half-applied: the next apply creates everything.
    const applied = await ws.cli(["apply", "--auto-approve"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Applied: \d+ created/);
  });

  test("a live holder: PostgreSQL ends its session on --force; SQLite refuses, naming the process", async () => {
    if (dialect === "postgresql") {
      // Another database's apply (same cluster, same key) is not this database's lock: never reported, never ended.
      const elsewhere = new pg.Client({ connectionString: process.env.CFGSYNC_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" });
      await elsewhere.connect();
      try {
        await elsewhere.query("SELECT pg_advisory_lock($1)", [String(0x63666773796e63n)]);
        expect(JSON.parse((await ws.cli(["lock", "status", "--json"])).stdout)).toMatchObject({ held: false });
        expect((await ws.cli(["lock", "release", "--force"])).stdout).toContain("nothing to release");
        expect((await elsewhere.query("SELECT 1 AS alive")).rows).toEqual([{ alive: 1 }]);
      } finally {
        await elsewhere.end().catch(() => {});
      }
      const session = new pg.Client({ connectionString: ws.db.url });
      session.on("error", () => {});
      await session.connect();
      try {
        await session.query("SELECT pg_advisory_lock($1)", [String(0x63666773796e63n)]);
        expect(JSON.parse((await ws.cli(["lock", "status", "--json"])).stdout)).toMatchObject({ held: true, holder: null });
        const released = await ws.cli(["lock", "release", "--force"]);
        expect(released.code, released.stderr).toBe(0);
        expect(released.stdout).toMatch(/Ended the PostgreSQL session \(pid \d+\)/);
        expect(JSON.parse((await ws.cli(["lock", "status", "--json"])).stdout)).toMatchObject({ held: false });
      } finally {
        await session.end().catch(() => {});
      }
      return;
    }
    const holder = pausedApply(ws);
    try {
      await holder.paused;
      const refused = await ws.cli(["lock", "release", "--force"]);
      expect(refused.code).toBe(75);
      expect(refused.stderr).toMatch(new RegExp(`a live process holds the SQLite database's write lock: ci-bot .*pid ${holder.child.pid}.*\\[lock\\.held\\]`));
    } finally {
      await holder.kill();
    }
  });

  test("singleton tables hold one row (id = 1)", async () => {
    for (const table of ["global_integration_settings", "cfgsync_lock"]) {
      await expect(ws.db.query(`INSERT INTO ${table} (id) VALUES (2)`)).rejects.toThrow();
      await ws.db.query(`INSERT INTO ${table} (id) VALUES (1)`);
      await expect(ws.db.query(`UPDATE ${table} SET id = 3 WHERE id = 1`)).rejects.toThrow();
    }
  });
});
