import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";

export type Dialect = "sqlite" | "postgresql";
export const DIALECTS: Dialect[] = ["sqlite", "postgresql"];

const adminUrl = () => process.env.CFGSYNC_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  dialect: Dialect;
  url: string;
  /** Runs SQL directly with the driver (out-of-band edits, fixtures, assertions). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, empty database of its own: a temp SQLite file or a new PostgreSQL database. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "cfgsync-db-"));
    const file = join(dir, "test.db");
    const { default: Database } = await import("better-sqlite3");
    let db: InstanceType<typeof Database> | undefined;
    const open = () => (db ??= new Database(file, { timeout: 10_000 }));
    return {
      dialect,
      url: `file:${file}`,
      async query(sql, params = []) {
        const stmt = open().prepare(sql);
        return (stmt.reader ? stmt.all(...(params as never[])) : (stmt.run(...(params as never[])), [])) as never;
      },
      async drop() {
        db?.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `cfgsync_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = adminUrl().replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // DROP DATABASE ... WITH (FORCE) terminates idle clients; that is expected, not a test failure.
  pool.on("error", () => {});
  return {
    dialect,
    url,
    async query(sql, params = []) {
      return (await pool.query(sql, params)).rows;
    },
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
