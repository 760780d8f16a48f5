import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { DIALECTS } from "../helpers/db.js";
import { createWorkspace, type Workspace } from "../helpers/workspace.js";

describe.each(DIALECTS)("database tooling on %s", (dialect) => {
  let ws: Workspace;
  beforeEach(async () => {
    ws = await createWorkspace(dialect);
  });
  afterEach(async () => ws?.dispose());

  test("db status lists pending migrations (exit 2) and writes nothing; migrate --dry-run prints their SQL and applies none", async () => {
    const before = await ws.cli(["db", "status"]);
    expect(before.code, before.stderr).toBe(2);
    expect(before.stdout).toMatch(/0 migration\(s\) applied, \d+ pending\.\n  pending  \d+_init\n  pending  \d+_singleton_rows\n/);
    if (dialect === "sqlite") expect(existsSync(ws.db.url.slice("file:".length))).toBe(false);

    const dry = await ws.cli(["db", "migrate", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^-- migration \d+_init \(not applied: --dry-run\)\n/);
    expect(dry.stdout).toContain('CREATE TABLE "ai_model_config"');
    expect(dry.stdout).toContain("singleton");
    expect((await ws.cli(["db", "status"])).code).toBe(2);

    expect((await ws.cli(["db", "migrate"])).code).toBe(0);
    const after = await ws.cli(["db", "status", "--json"]);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ up_to_date: true, pending: [], changed: [] });
    expect((await ws.cli(["db", "migrate", "--dry-run"])).stdout).toContain("is up to date: nothing to run");
  });

  test("db create-user gives `resolve --user` a user to resolve", async () => {
    await ws.prepareDatabase();
    const created = await ws.cli(["db", "create-user", "--account", "acme", "ada@example.com"]);
    expect(created.code, created.stderr).toBe(0);
    const id = /created user (\d+) \(ada@example\.com\) of account acme/.exec(created.stdout)?.[1];
    expect(id).toBeDefined();
    expect((await ws.cli(["db", "create-user", "--account", "acme", "ada@example.com"])).stdout).toContain(`exists: user ${id}`);
    const resolved = await ws.cli(["resolve", "--account", "acme", "--user", id!]);
    expect(resolved.code, resolved.stderr).toBe(0);
    const unknown = await ws.cli(["resolve", "--account", "acme", "--user", "999"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("cfgsync db create-user");
    const noAccount = await ws.cli(["db", "create-user", "--account", "nope", "x@example.com"]);
    expect(noAccount.code).toBe(1);
    expect(noAccount.stderr).toContain("cfgsync db create-account nope");
  });

  test.runIf(dialect === "postgresql")("the Prisma CLI picks the provider from DATABASE_URL and agrees: `prisma migrate status`", async () => {
    expect((await ws.cli(["db", "migrate"])).code).toBe(0);
    const env = { ...process.env, DATABASE_URL: ws.db.url, CFGSYNC_PRISMA_PROVIDER: undefined, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
    const { stdout } = await promisify(execFile)(join(ROOT, "node_modules", ".bin", "prisma"), ["migrate", "status"], { cwd: ROOT, env, timeout: 60_000 });
    expect(stdout).toContain("PostgreSQL database");
    expect(stdout).toMatch(/\d+ migrations found/);
    expect(stdout).toContain("Database schema is up to date!");
  });
});
