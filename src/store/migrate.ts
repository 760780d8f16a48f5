import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../domain/diagnostic.js";
import type { DatabaseTarget, Dialect } from "./database-url.js";
import { connectionFailed, isPermissionDenied, permissionDenied, safeMessage, translateDbError } from "./errors.js";
import { withPgSession, withSqliteSession } from "./raw-session.js";

/*
 * Applies the committed Prisma migrations with the raw driver, recording them in
 * Prisma's own `_prisma_migrations` table exactly as `prisma migrate deploy`
 * does (same columns, checksum = sha256 hex of the file), so the Prisma CLI
 * agrees about what is applied. We do not run the Prisma CLI at runtime: under
 * the JS engine @prisma/adapter-pg splits scripts on every `;`, cannot read
 * PostgreSQL catalog `name` columns (prisma/orm#27403) and `migrate resolve` is
 * unsupported.
 */

export interface Migration {
  name: string;
  sql: string;
  /** sha256 hex of the file's bytes: what Prisma stores and compares. */
  checksum: string;
}

/** Prisma's own advisory lock key for migrations, so a concurrent `prisma migrate deploy` waits for us too. */
const PRISMA_MIGRATE_LOCK = 72707369;

/** The package's root (dist/store/ sits two levels down; the bench compiles to bench/dist/src/store/): the first folder up with a package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export function migrationsDir(dialect: Dialect): string {
  return join(packageRoot(), "prisma", dialect, "migrations");
}

/** The committed migrations, oldest first (Prisma orders them by directory name). */
export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

// The table as Prisma's schema engine creates it, per provider.
const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const PG_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

const APPLIED_ROWS = `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** Names of the migrations still to apply; refuses a database a failed `prisma migrate deploy` left half-done. */
function pending(migrations: Migration[], rows: AppliedRow[]): Migration[] {
  const failed = rows.find((r) => r.finished_at == null && r.rolled_back_at == null);
  if (failed) {
    throw new UserError("db.migration-failed", `migration ${failed.migration_name} failed earlier and was never completed`, {
      suggestions: ["inspect the database, then mark it rolled back (prisma migrate resolve) before migrating again"],
    });
  }
  const done = new Set(rows.filter((r) => r.finished_at != null && r.rolled_back_at == null).map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name));
}

function migrationFailed(target: DatabaseTarget, name: string, err: unknown): UserError {
  if (isPermissionDenied(err)) return permissionDenied(target, err);
  return new UserError("db.migration-failed", `migration ${name} failed and was rolled back: ${safeMessage(target, err)}`);
}

/** Prisma's SQLite rows hold ISO timestamps with an explicit offset. */
const sqliteNow = () => new Date().toISOString().replace("Z", "+00:00");

/** The migrations an SQLite database still lacks, read without taking the write lock. */
function sqlitePending(db: import("better-sqlite3").Database, migrations: Migration[]): Migration[] {
  return pending(migrations, sqliteAppliedRows(db));
}

function sqliteAppliedRows(db: import("better-sqlite3").Database): AppliedRow[] {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
  return table ? (db.prepare(APPLIED_ROWS).all() as AppliedRow[]) : [];
}

async function migrateSqlite(target: DatabaseTarget, migrations: Migration[]): Promise<string[]> {
  const { default: Database } = await import("better-sqlite3");
  let db: InstanceType<typeof Database>;
  try {
    // The busy timeout makes a second migrator (another process) wait for the first.
    db = new Database(target.file!, { timeout: 30_000 });
  } catch (err) {
    throw connectionFailed(target, err);
  }
  try {
    // WAL lets plans read while an apply writes, and survives a crash mid-transaction.
    db.pragma("journal_mode = WAL");
    // Up to date: read only, so a plan waits for no one (an apply may hold the write lock).
    if (sqlitePending(db, migrations).length === 0) return [];
    db.exec(SQLITE_MIGRATIONS_TABLE);
    const applied: string[] = [];
    for (const migration of migrations) {
      // better-sqlite3 is synchronous: each migration is one uninterrupted
      // BEGIN IMMEDIATE ... COMMIT, re-checking under the write lock.
      db.exec("BEGIN IMMEDIATE");
      try {
        const rows = db.prepare(APPLIED_ROWS).all() as AppliedRow[];
        if (pending([migration], rows).length === 0) {
          db.exec("ROLLBACK");
          continue;
        }
        const startedAt = sqliteNow();
        try {
          db.exec(migration.sql);
        } catch (err) {
          throw migrationFailed(target, migration.name, err);
        }
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
        ).run(randomUUID(), migration.checksum, sqliteNow(), migration.name, startedAt);
        db.exec("COMMIT");
        applied.push(migration.name);
      } catch (err) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw err;
      }
    }
    return applied;
  } finally {
    db.close();
  }
}

async function migratePostgres(target: DatabaseTarget, migrations: Migration[]): Promise<string[]> {
  return withPgSession(target, async (client) => {
    // A session lock held across all migrations: concurrent migrators run one after another.
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    await client.query(PG_MIGRATIONS_TABLE);
    const rows = (await client.query<AppliedRow>(APPLIED_ROWS)).rows;
    const applied: string[] = [];
    for (const migration of pending(migrations, rows)) {
      await client.query("BEGIN");
      try {
        const started = await client.query<{ now: Date }>("SELECT now() AS now");
        try {
          // No parameters: node-pg sends the whole script as one simple query.
          await client.query(migration.sql);
        } catch (err) {
          throw migrationFailed(target, migration.name, err);
        }
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, started.rows[0]?.now],
        );
        await client.query("COMMIT");
        applied.push(migration.name);
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      }
    }
    // Ending the session releases the advisory lock even if the unlock is never sent.
    return applied;
  });
}

export interface MigrationStatus {
  /** Applied and recorded, oldest first. */
  applied: string[];
  /** Shipped with this cfgsync and not applied yet, oldest first (with their SQL, for --dry-run). */
  pending: Migration[];
  /** Applied migrations whose file no longer matches the recorded checksum. */
  changed: string[];
}

/**
 * What `db migrate` would do, read without writing (no file created, no table,
 * no lock): the same `_prisma_migrations` rows Prisma's `migrate status` reads.
 */
export async function migrationStatus(target: DatabaseTarget, opts: { dir?: string } = {}): Promise<MigrationStatus> {
  const migrations = readMigrations(opts.dir ?? migrationsDir(target.dialect));
  const rows = target.dialect === "sqlite" ? await sqliteRows(target) : await pgRows(target);
  const todo = pending(migrations, rows);
  const byName = new Map(migrations.map((m) => [m.name, m]));
  const done = rows.filter((r) => r.finished_at != null && r.rolled_back_at == null);
  return {
    applied: done.map((r) => r.migration_name).sort(),
    pending: todo,
    changed: done.filter((r) => byName.has(r.migration_name) && byName.get(r.migration_name)!.checksum !== r.checksum).map((r) => r.migration_name),
  };
}

async function sqliteRows(target: DatabaseTarget): Promise<AppliedRow[]> {
  if (!existsSync(target.file!)) return [];
  return withSqliteSession(target, { readonly: true }, sqliteAppliedRows);
}

async function pgRows(target: DatabaseTarget): Promise<AppliedRow[]> {
  return withPgSession(target, async (client) => {
    const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
    return exists.rows[0]?.t ? (await client.query<AppliedRow>(APPLIED_ROWS)).rows : [];
  });
}

/** Brings the database schema up to date. Idempotent; safe to run concurrently. */
export async function migrateDatabase(
  target: DatabaseTarget,
  opts: { dir?: string } = {},
): Promise<{ applied: string[] }> {
  const migrations = readMigrations(opts.dir ?? migrationsDir(target.dialect));
  if (migrations.length === 0) throw new Error(`no migrations found in ${opts.dir ?? migrationsDir(target.dialect)}`);
  try {
    const applied =
      target.dialect === "sqlite" ? await migrateSqlite(target, migrations) : await migratePostgres(target, migrations);
    return { applied };
  } catch (err) {
    throw translateDbError(target, err);
  }
}
