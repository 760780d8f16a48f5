import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, DIALECTS, type TestDatabase } from "../helpers/db.js";
import { ROOT } from "../helpers/cli.js";
import { migrationsDir, readMigrations } from "../../src/store/migrate.js";
import { openDatabase } from "../../src/store/connect.js";
// @ts-expect-error plain ESM script without types
import { GENERATED_MIGRATIONS, INIT_MIGRATION, MIGRATIONS, migrationMatches } from "../../scripts/migrations.mjs";

const run = promisify(execFile);

describe("committed migrations", () => {
  it.each(DIALECTS)("%s: every generated migration equals what prisma migrate diff generates between its schema snapshots", async (dialect) => {
    const committed = readMigrations(migrationsDir(dialect));
    expect(committed.map((m) => m.name)).toEqual(MIGRATIONS);
    for (const name of GENERATED_MIGRATIONS as string[]) {
      // Prisma runs only for a migration whose schemas or SQL changed since it was generated (prisma/migrations.verified.json).
      expect(migrationMatches(dialect, name, committed.find((m) => m.name === name)?.sql ?? ""), name).toBe(true);
    }
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

  /** Migrates through a store of its own, as `cfgsync db migrate` does. */
  async function migrate() {
    const store = await openDatabase(db.url);
    return store.migrate().finally(() => store.close());
  }

  it("applies each migration once and is idempotent", async () => {
    expect(await migrate()).toEqual({ applied: MIGRATIONS });
    expect(await migrate()).toEqual({ applied: [] });
    const rows = await db.query<{ migration_name: string; checksum: string; applied_steps_count: number | bigint }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations"`,
    );
    const committed = readMigrations(migrationsDir(dialect));
    expect(rows).toHaveLength(MIGRATIONS.length);
    for (const row of rows) {
      expect(row.checksum).toBe(committed.find((m) => m.name === row.migration_name)!.checksum);
      expect(Number(row.applied_steps_count)).toBe(1);
    }
    expect(rows.map((r) => r.migration_name)).toContain(INIT_MIGRATION);
    expect(await db.query(`SELECT COUNT(*) AS n FROM ai_model_config`)).toHaveLength(1);
  });

  it("concurrent migrators apply each migration exactly once", async () => {
    const results = await Promise.all([migrate(), migrate(), migrate()]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual([...MIGRATIONS].sort());
    expect(await db.query(`SELECT migration_name FROM "_prisma_migrations"`)).toHaveLength(MIGRATIONS.length);
  });

  it("prisma migrate status agrees the database is up to date", async () => {
    await migrate();
    const result = await run(join(ROOT, "node_modules/.bin/prisma"), ["migrate", "status"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, CFGSYNC_PRISMA_PROVIDER: dialect, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      timeout: 60_000,
    }).catch((err: { stdout: string; stderr: string; code: number }) => err);
    expect(result.stdout + result.stderr).toMatch(/Database schema is up to date/);
  });
});

import { join } from "node:path";
