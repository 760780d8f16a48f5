import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dialect } from "../src/store/database-url.js";

export const DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export interface ScratchDatabase {
  dialect: Dialect;
  url: string;
  /** Removes the database; safe to call twice. */
  drop(): Promise<void>;
}

/**
 * Throwaway databases for the bench: a temp SQLite file, or a fresh PostgreSQL
 * database `cfgsync_bench_<random>` created on the admin URL. Every one made
 * is remembered so `dropAll` can clean up after a failure or an interrupt.
 */
export class ScratchDatabases {
  private readonly open = new Set<ScratchDatabase>();

  constructor(private readonly pgAdminUrl: string = DEFAULT_PG_ADMIN_URL) {}

  async create(dialect: Dialect): Promise<ScratchDatabase> {
    const db = dialect === "sqlite" ? this.sqlite() : await this.postgres();
    this.open.add(db);
    return db;
  }

  async dropAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const db of [...this.open]) await db.drop().catch((err: unknown) => errors.push(err));
    if (errors.length) throw new AggregateError(errors, `could not drop ${errors.length} bench database(s)`);
  }

  private sqlite(): ScratchDatabase {
    const dir = mkdtempSync(join(tmpdir(), "cfgsync-bench-"));
    const db: ScratchDatabase = {
      dialect: "sqlite",
      url: `file:${join(dir, "bench.db")}`,
      drop: async () => {
        rmSync(dir, { recursive: true, force: true });
        this.open.delete(db);
      },
    };
    return db;
  }

  private async postgres(): Promise<ScratchDatabase> {
    const name = `cfgsync_bench_${randomBytes(6).toString("hex")}`;
    await this.admin(`CREATE DATABASE ${name}`);
    const url = new URL(this.pgAdminUrl);
    url.pathname = `/${name}`;
    const db: ScratchDatabase = {
      dialect: "postgresql",
      url: url.toString(),
      drop: async () => {
        // FORCE: a client still connected (a failed phase) must not keep the database alive.
        await this.admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        this.open.delete(db);
      },
    };
    return db;
  }

  private async admin(sql: string): Promise<void> {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: this.pgAdminUrl, connectionTimeoutMillis: 10_000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query(sql);
    } finally {
      await client.end().catch(() => {});
    }
  }
}
