import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { DIALECTS, createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { API_KEYS } from "../helpers/workspace.js";
import { runCli } from "../helpers/cli.js";

describe("the README quick start", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cfgsync-qs-"));
    cpSync(join(ROOT, "config"), join(dir, "config"), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("on the embedded default database: validate, create the sample accounts, plan, apply, plan again", async () => {
    const env = { ...API_KEYS, DATABASE_URL: undefined };
    const cli = (args: string[]) => runCli(args, { cwd: dir, env });
    expect((await cli(["validate"])).code).toBe(0);
    const created = await cli(["db", "create-account", "acme", "globex"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("created account acme");
    expect((await cli(["db", "create-account", "acme"])).stdout).toContain("account acme exists");
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(2);
    // Without a terminal to ask on, an unapproved apply refuses and writes nothing.
    const unapproved = await cli(["apply"]);
    expect(unapproved.code).toBe(1);
    expect(unapproved.stderr).toContain("refusing to apply without approval");
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(2);
    const applied = await cli(["apply", "--auto-approve"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
  });
});

describe.each(DIALECTS)("db create-account on %s", (dialect) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(dialect);
  });
  afterEach(async () => db.drop());

  test("creates runtime account rows once; a bad slug is a clean error", async () => {
    const env = { DATABASE_URL: db.url };
    expect((await runCli(["db", "migrate"], { env })).code).toBe(0);
    expect((await runCli(["db", "create-account", "acme"], { env })).code).toBe(0);
    expect(await db.query("SELECT slug FROM account")).toEqual([{ slug: "acme" }]);
    const bad = await runCli(["db", "create-account", "Not A Slug"], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("is not an account slug");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
