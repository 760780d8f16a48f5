import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { writeRepo } from "../../bench/repos.js";
import { runCliProcess } from "../helpers/cli.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { API_KEYS } from "../helpers/workspace.js";

/*
 * Issue #11: a 10k-model catalog crashed the text renderer ("Maximum call stack
 * size exceeded"). 20k generated models, through the real CLI with
 * text output, applied from empty and planned again: in a process of its own,
 * with Node's default stack and heap, as a user runs it.
 */
describe("20,000 models through the CLI on SQLite, text output", () => {
  let dir: string;
  let db: TestDatabase;
  const cli = (args: string[]) => runCliProcess(args, { cwd: dir, env: { ...API_KEYS, DATABASE_URL: db.url, CFGSYNC_ACTOR: "test" }, timeoutMs: 150_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cfgsync-scale-"));
    // Two catalogs: 20k models in one file would pass the 5 MB per-file limit.
    writeRepo(dir, { models: 20_000, providerFiles: 2, accounts: 0, settingsPerAccount: 0 });
    db = await createTestDatabase("sqlite");
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("apply from empty shows counts and the first 50 models, records a bounded revision; the next plan has no changes", { timeout: 240_000 }, async () => {
    expect((await cli(["db", "create-account", "acme", "globex"])).code).toBe(0);
    const applied = await cli(["apply", "--auto-approve"]);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^  20,0\d\d create; the first 50 \(cfgsync plan --full for all\):$/m);
    expect(applied.stdout.match(/^  \+ model\//gm)).toHaveLength(50);
    expect(applied.stdout).toMatch(/Applied: 200\d\d created, 0 updated, 0 deleted, 0 drift restored \(revision 1\)\./);
    // Not a progress line in sight: the output is piped.
    expect(applied.stdout + applied.stderr).not.toContain("reading files");

    const [revision] = await db.query<{ changes: string }>("SELECT changes FROM cfgsync_revision");
    const changes = JSON.parse(revision!.changes) as { total: number; listed: unknown[]; by_kind: Record<string, Record<string, number>> };
    expect(changes.total).toBeGreaterThan(20_000);
    expect(changes.listed).toHaveLength(1000);
    expect(changes.by_kind.model!.create).toBeGreaterThan(20_000);
    expect(revision!.changes.length).toBeLessThan(1_000_000);

    const replanned = await cli(["plan", "--detailed-exitcode"]);
    expect(replanned.stderr).toBe("");
    expect(replanned.code).toBe(0);
    expect(replanned.stdout).toContain("No changes.");
  });
});
