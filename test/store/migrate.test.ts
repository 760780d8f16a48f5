import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/db.js";
import { ROOT } from "../helpers/cli.js";
import { migrateDatabase, migrationsDir, readMigrations } from "../../src/store/migrate.js";
import { parseDatabaseUrl } from "../../src/store/database-url.js";
// @ts-expect-error plain ESM script without types
import { generatedInitSql, INIT_MIGRATION } from "../../scripts/migrations.mjs";

const run = promisify(execFile);

describe("committed migrations", () => {
  it.each(DIALECTS)("%s: the init migration equals what prisma migrate diff generates from the schema", async (dialect) => {
    const committed = readMigrations(migrationsDir(dialect));
    expect(committed.map((m) => m.name)).toContain(INIT_MIGRATION);
    expect(committed.find((m) => m.name === INIT_MIGRATION)?.sql).toBe(generatedInitSql(dialect));
  });
});

describe.each(DIALECTS)("migrate (%s)", (dialect) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("applies the init migration once and is idempotent", async () => {
    const target = parseDatabaseUrl(db.url);
    const shipped = readMigrations(migrationsDir(dialect));
    expect(shipped[0]!.name).toBe(INIT_MIGRATION);
    expect(await migrateDatabase(target)).toEqual({ applied: shipped.map((m) => m.name) });
    expect(await migrateDatabase(target)).toEqual({ applied: [] });
    const rows = await db.query<{ migration_name: string; checksum: string; applied_steps_count: number | bigint }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, Number(r.applied_steps_count)])).toEqual(shipped.map((m) => [m.name, m.checksum, 1]));
    expect(await db.query(`SELECT COUNT(*) AS n FROM ai_model_config`)).toHaveLength(1);
  });

  it("concurrent migrators apply each migration exactly once", async () => {
    const target = parseDatabaseUrl(db.url);
    const results = await Promise.all([migrateDatabase(target), migrateDatabase(target), migrateDatabase(target)]);
    const shipped = readMigrations(migrationsDir(dialect)).map((m) => m.name);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(shipped);
    expect(await db.query(`SELECT migration_name FROM "_prisma_migrations"`)).toHaveLength(shipped.length);
  });

  it("prisma migrate status agrees the database is up to date", async () => {
    await migrateDatabase(parseDatabaseUrl(db.url));
    const result = await run(join(ROOT, "node_modules/.bin/prisma"), ["migrate", "status"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, CFGSYNC_PRISMA_PROVIDER: dialect, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      timeout: 60_000,
    }).catch((err: { stdout: string; stderr: string; code: number }) => err);
    expect(result.stdout + result.stderr).toMatch(/Database schema is up to date/);
  });
});

import { join } from "node:path";
