import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createWorkspace, type Workspace } from "../helpers/workspace.js";
import { git, gitInit } from "./git-repo.js";
import { logLines, startCli } from "./running-cli.js";

describe("cfgsync sync errors", () => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await createWorkspace("sqlite");
    gitInit(ws.dir);
  });
  afterEach(async () => ws?.dispose());

  test("--once with a ref that does not exist: a JSON error line and exit 1", async () => {
    const r = await ws.cli(["sync", "--repo", ws.dir, "--ref", "no-such-branch", "--workdir", join(ws.dir, "wd"), "--once"]);
    expect(r.code).toBe(1);
    const error = logLines(r.stdout).find((l) => l.level === "error");
    expect(error).toMatchObject({ code: "sync.ref-not-found", msg: expect.stringContaining("no-such-branch") });
    expect(r.stderr).toBe("");
  });

  test("--once with an unreachable repository: a JSON error line and exit 1", async () => {
    const r = await ws.cli(["sync", "--repo", join(ws.dir, "not-a-repo"), "--workdir", join(ws.dir, "wd"), "--once"]);
    expect(r.code).toBe(1);
    expect(logLines(r.stdout).find((l) => l.level === "error")).toMatchObject({ code: "sync.repo-unreachable" });
  });

  test("credentials in a repository URL never reach the logs", async () => {
    const r = await ws.cli(["sync", "--repo", "https://bot:ghp_TOPSECRET@127.0.0.1:9/org/repo.git", "--workdir", join(ws.dir, "wd"), "--once", "--git-timeout", "10s"]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain("ghp_TOPSECRET");
    expect(logLines(r.stdout).find((l) => l.level === "error")).toMatchObject({ code: "sync.repo-unreachable" });
  });

  test("the backoff after failures never exceeds --max-backoff, jitter included", { timeout: 60_000 }, async () => {
    const s = startCli(["sync", "--repo", join(ws.dir, "not-a-repo"), "--workdir", join(ws.dir, "wd"), "--interval", "1s", "--max-backoff", "1s"], {
      cwd: ws.dir,
      env: { DATABASE_URL: ws.db.url },
    });
    try {
      const text = await s.waitFor((t) => logLines(t).filter((l) => l.level === "error").length >= 3);
      const waits = logLines(text).filter((l) => l.level === "error").map((l) => l.retry_in_ms as number);
      expect(waits.length).toBeGreaterThanOrEqual(3);
      for (const ms of waits) expect(ms).toBeLessThanOrEqual(1000);
    } finally {
      await s.stop("SIGTERM");
    }
  });

  test("missing --repo, a bare-number interval: clear usage errors, exit 64, no stack", async () => {
    const missing = await ws.cli(["sync", "--once"]);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toMatch(/needs --repo/);
    const interval = await ws.cli(["sync", "--repo", ws.dir, "--interval", "60"]);
    expect(interval.code).toBe(64);
    expect(interval.stderr).toMatch(/--interval "60" is not a duration/);
    expect(missing.stderr + interval.stderr).not.toMatch(/\n\s+at /);
  });

  test("a work directory holding other files is refused, not overwritten, and ends the loop with exit 1", async () => {
    for (const once of [["--once"], ["--interval", "1s"]]) {
      const r = await ws.cli(["sync", "--repo", ws.dir, "--workdir", join(ws.dir, "config"), ...once], { timeoutMs: 30_000 });
      expect(r.code).toBe(1);
      expect(logLines(r.stdout).find((l) => l.level === "error")).toMatchObject({ code: "sync.workdir-not-empty" });
    }
    expect(git(ws.dir, ["status", "--porcelain"])).toBe("");
  });
});
