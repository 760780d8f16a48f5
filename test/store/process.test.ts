import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/db.js";
import { ROOT, runCli } from "../helpers/cli.js";
import { openDatabase } from "../../src/store/connect.js";
import { model, request } from "./fixtures.js";

/** Runs an ES module snippet against the built store (dist/) in a child process. */
function runNode(code: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}

const STORE = JSON.stringify(join(ROOT, "dist/store/connect.js"));

/** True while another connection holds the apply lock (advisory lock / SQLite write lock). */
async function applyLockHeld(db: TestDatabase): Promise<boolean> {
  if (db.dialect === "postgresql") {
    const rows = await db.query<{ n: string }>(`SELECT COUNT(*)::text AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`);
    return rows[0]!.n !== "0";
  }
  const { default: Database } = await import("better-sqlite3");
  const probe = new Database(db.url.slice("file:".length), { timeout: 0 });
  try {
    probe.exec("BEGIN IMMEDIATE");
    probe.exec("ROLLBACK");
    return false;
  } catch {
    return true;
  } finally {
    probe.close();
  }
}

describe.each(DIALECTS)("store in a process (%s)", (dialect) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("cfgsync db migrate applies, then reports up to date", async () => {
    const first = await runCli(["db", "migrate", "--database-url", db.url]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied \d+_init/);
    const second = await runCli(["db", "migrate", "--database-url", db.url, "--json"]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).applied).toEqual([]);
  });

  it("a script that opens, reads and closes the store exits promptly", async () => {
    const store = await openDatabase(db.url);
    await store.migrate();
    await store.close();
    const started = Date.now();
    const { exited } = runNode(
      `import { openDatabase } from ${STORE};
       const s = await openDatabase(${JSON.stringify(db.url)});
       console.log((await s.readLive()).resources.length);
       await s.close();`,
    );
    const result = await exited;
    expect(result.output.trim()).toBe("0");
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a process killed in the middle of an apply leaves the previous state intact", async () => {
    const store = await openDatabase(db.url);
    try {
      await store.migrate();
      await store.apply(request(await store.readLive(), { creates: [model("before", { input_token_rate: "1" })] }));
      const live = await store.readLive();
      const doomed = request(live, {
        creates: [model("doomed")],
        updates: [model("before", { input_token_rate: "99" })],
      });
      const { child, exited } = runNode(
        `import { openDatabase } from ${STORE};
         const s = await openDatabase(${JSON.stringify(db.url)});
         await s.apply(JSON.parse(process.env.CFGSYNC_TEST_REQUEST));`,
        { CFGSYNC_TEST_PAUSE_IN_APPLY_MS: "60000", CFGSYNC_TEST_REQUEST: JSON.stringify(doomed) },
      );
      const deadline = Date.now() + 20_000;
      while (!(await applyLockHeld(db))) {
        if (Date.now() > deadline) throw new Error("the child never took the apply lock");
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 500)); // let it write, then pause before commit
      child.kill("SIGKILL");
      expect((await exited).signal).toBe("SIGKILL");

      const after = await store.readLive();
      expect(after.resources.map((r) => [r.address, r.fields.input_token_rate])).toEqual([["model/before", "1"]]);
      expect((await store.history()).length).toBe(1);
      // The lock died with the process: the next apply goes through.
      await store.apply(request(after, { creates: [model("next")] }, { lockTimeoutMs: 5_000 }));
      expect((await store.readLive()).resources).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});

describe("openDatabase errors", () => {
  it("rejects an unsupported scheme with a UserError", async () => {
    await expect(openDatabase("mysql://u:p@h/db")).rejects.toMatchObject({ code: "db.unsupported-url" });
  });

  it("reports an unreachable PostgreSQL without its password", async () => {
    const err = await openDatabase("postgresql://cfgsync:s3cr3t-pw@127.0.0.1:1/nowhere").catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "db.unreachable" });
    expect((err as Error).message).not.toContain("s3cr3t-pw");
    expect((err as Error).message).toContain("postgresql://cfgsync:***@127.0.0.1:1/nowhere");
  });

  it("tells to migrate when the schema is missing", async () => {
    const db = await createTestDatabase("sqlite");
    try {
      const store = await openDatabase(db.url);
      await expect(store.readLive()).rejects.toMatchObject({ code: "db.not-migrated" });
      await store.close();
    } finally {
      await db.drop();
    }
  });
});
