import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/db.js";
import { ROOT, runCli } from "../helpers/cli.js";
import { openDatabase } from "../../src/store/connect.js";

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
