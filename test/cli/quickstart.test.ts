import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gitInit } from "../gitops/git-repo.js";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { DIALECTS, createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { API_KEYS } from "../helpers/workspace.js";
import { ROOT, runCli, runCliInTerminal } from "../helpers/cli.js";

describe("the README quick start: two commands on a fresh clone", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cfgsync-qs-"));
    cpSync(join(ROOT, "config"), join(dir, "config"), { recursive: true });
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-wd`, { recursive: true, force: true });
  });

  test("`cfgsync apply`, answered at its prompt, works on the embedded SQLite default with no variables and no accounts", async () => {
    // Nothing exported: no DATABASE_URL, no provider keys.
    const bare = Object.fromEntries([...Object.keys(API_KEYS), "DATABASE_URL", "NO_COLOR"].map((k) => [k, undefined]));
    const applied = await runCliInTerminal(["apply"], { cwd: dir, env: bare, input: "yes\n" });
    expect(applied.code, applied.stdout).toBe(0);
    expect(applied.stdout).toContain("Apply these changes?");
    expect(applied.stdout).toMatch(/Applied: \d+ created, 0 updated, 0 deleted, 0 drift restored \(revision 1\)\./);
    // Accounts the database lacks are pending, keys without a variable are left untouched: warnings, not errors.
    expect(applied.stdout).toMatch(/config\/accounts\/acme\.yaml:\d+:\d+: .*warning.*: account 'acme' does not exist in the database yet: its overrides wait .*\[account\.pending\]/);
    expect(applied.stdout).toMatch(/config\/integrations\.yaml:\d+:\d+: .*warning.*: OPENAI_API_KEY is not set: .* is left untouched \[secret\.unset\]/);

    const cli = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { cwd: dir, env: { ...bare, ...env } });
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(0);
    const db = await import("better-sqlite3");
    const conn = new db.default(join(dir, "cfgsync.db"), { readonly: true });
    try {
      expect(conn.prepare("SELECT openai_api_key FROM global_integration_settings").get()).toEqual({ openai_api_key: null });
    } finally {
      conn.close();
    }
    // The workflow's apply runs with --require-secrets: an unset variable is an error there.
    const strict = await cli(["plan", "--require-secrets"]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/error: OPENAI_API_KEY is not set: .*\[secret\.required\]/);

    // Once the platform creates the account, its overrides are planned (and a sync applies them).
    expect((await cli(["db", "create-account", "acme"])).code).toBe(0);
    const next = await cli(["plan", "--detailed-exitcode"]);
    expect(next.code).toBe(2);
    expect(next.stdout).toContain("account/acme/");
    expect(next.stdout).not.toContain("account 'acme' does not exist");
    expect(next.stdout).toContain("account 'globex' does not exist");
    // The sync loop applies them (and, with the keys exported, the keys).
    gitInit(dir);
    const synced = await cli(["sync", "--repo", dir, "--workdir", join(dir, "..", `${basename(dir)}-wd`), "--once"], API_KEYS);
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    expect(synced.stdout).toContain('"msg":"applied"');
    const after = await cli(["plan", "--detailed-exitcode"], API_KEYS);
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain("account 'globex' does not exist");
  });

  test("without a terminal to ask on, an unapproved apply refuses and writes nothing", async () => {
    const cli = (args: string[]) => runCli(args, { cwd: dir, env: { DATABASE_URL: undefined } });
    const unapproved = await cli(["apply"]);
    expect(unapproved.code).toBe(1);
    expect(unapproved.stderr).toContain("refusing to apply without approval");
    expect((await cli(["plan", "--detailed-exitcode"])).code).toBe(2);
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
    expect(bad.code).toBe(64); // a bad argument is a usage error
    expect(bad.stderr).toContain("is not an account slug");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
