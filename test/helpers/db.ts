import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
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
  /** Replaces the (fresh) database by a copy of the migrated template: what `cfgsync db migrate` would leave. */
  migrate(): Promise<void>;
  drop(): Promise<void>;
}

/*
 * Migrating is the slow part of a fresh database (a CLI process, dozens of DDL
 * statements), so the global setup migrates one template per dialect per run
 * (test/templates.ts) and tests copy it: the SQLite file, or PostgreSQL's
 * CREATE DATABASE ... TEMPLATE.
 */
export const TEMPLATE_ENV = { sqlite: "CFGSYNC_TEST_TEMPLATE_SQLITE", postgresql: "CFGSYNC_TEST_TEMPLATE_PG" } as const;

function template(dialect: Dialect): string {
  const name = process.env[TEMPLATE_ENV[dialect]];
  if (!name) throw new Error(`no migrated template database (${TEMPLATE_ENV[dialect]}): is test/global-setup.ts the globalSetup?`);
  return name;
}

/** A fresh database of its own: a temp SQLite file or a new PostgreSQL database; empty, or migrated from the template. */
export async function createTestDatabase(dialect: Dialect, opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "cfgsync-db-"));
    const file = join(dir, "test.db");
    if (opts.migrated) copyFileSync(template("sqlite"), file);
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
      async migrate() {
        db?.close();
        db = undefined;
        copyFileSync(template("sqlite"), file);
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
  await admin.query(`CREATE DATABASE ${name}${opts.migrated ? ` TEMPLATE ${template("postgresql")}` : ""}`);
  await admin.end();
  const url = adminUrl().replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const newPool = () => {
    const p = new pg.Pool({ connectionString: url, max: 2 });
    // DROP DATABASE ... WITH (FORCE) terminates idle clients; that is expected, not a test failure.
    p.on("error", () => {});
    return p;
  };
  let pool = newPool();
  return {
    dialect,
    url,
    async query(sql, params = []) {
      return (await pool.query(sql, params)).rows;
    },
    async migrate() {
      await pool.end();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.query(`CREATE DATABASE ${name} TEMPLATE ${template("postgresql")}`);
      } finally {
        await c.end();
      }
      pool = newPool();
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
