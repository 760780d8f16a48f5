import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../domain/diagnostic.js";
import type { DatabaseTarget, Dialect } from "./database-url.js";
import { isPermissionDenied, permissionDenied, safeMessage } from "./errors.js";
import { ensureSecretSalt, hasSecretSalt } from "./secret-salt.js";
import { withSqlSession, type SqlDb } from "./sql-db.js";

/*
 * Applies the committed Prisma migrations through the driver (sql-db.ts), recording them in
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

async function tableExists(db: SqlDb, table: string): Promise<boolean> {
  return db.dialect === "sqlite"
    ? (await db.query(`SELECT 1 AS t FROM sqlite_master WHERE type = 'table' AND name = $1`, [table])).length > 0
    : Boolean((await db.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [`"${table}"`]))[0]?.t);
}

/** A deleted salt is put back (a migrations folder of an older version has no cfgsync_meta yet: nothing to do). */
async function saltMissing(db: SqlDb): Promise<boolean> {
  return (await tableExists(db, "cfgsync_meta")) && !(await hasSecretSalt(db));
}

async function appliedRows(db: SqlDb): Promise<AppliedRow[]> {
  return (await tableExists(db, "_prisma_migrations")) ? db.query<AppliedRow>(APPLIED_ROWS) : [];
}

/** Applies one migration in its own transaction and records it as Prisma does; false when another migrator got there first. */
async function applyMigration(conn: SqlDb, target: DatabaseTarget, migration: Migration): Promise<boolean> {
  // SQLite: BEGIN IMMEDIATE takes the write lock up front, so the re-check below sees every other migrator's work.
  return conn.transaction(
    async (tx) => {
      if (pending([migration], await tx.query<AppliedRow>(APPLIED_ROWS)).length === 0) return false;
      const startedAt = tx.dialect === "sqlite" ? sqliteNow() : (await tx.query<{ now: Date }>("SELECT now() AS now"))[0]?.now;
      try {
        await tx.script(migration.sql);
      } catch (err) {
        throw migrationFailed(target, migration.name, err);
      }
      await tx.execute(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
         VALUES ($1, $2, ${tx.dialect === "sqlite" ? "$5" : "clock_timestamp()"}, $3, NULL, NULL, $4, 1)`,
        tx.dialect === "sqlite"
          ? [randomUUID(), migration.checksum, migration.name, startedAt, sqliteNow()]
          : [randomUUID(), migration.checksum, migration.name, startedAt],
      );
      return true;
    },
    { begin: conn.dialect === "sqlite" ? "BEGIN IMMEDIATE" : "BEGIN" },
  );
}

async function migrateOn(conn: SqlDb, target: DatabaseTarget, migrations: Migration[]): Promise<string[]> {
  if (conn.dialect === "sqlite") {
    // WAL lets plans read while an apply writes, and survives a crash mid-transaction.
    await conn.query("PRAGMA journal_mode = WAL");
    // Up to date: read only, so a plan waits for no one (an apply may hold the write lock).
    if (pending(migrations, await appliedRows(conn)).length === 0 && !(await saltMissing(conn))) return [];
  } else {
    // A session lock held across all migrations: concurrent migrators run one after another.
    await conn.query(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK})`);
  }
  try {
    await conn.script(conn.dialect === "sqlite" ? SQLITE_MIGRATIONS_TABLE : PG_MIGRATIONS_TABLE);
    const applied: string[] = [];
    for (const migration of pending(migrations, await appliedRows(conn))) {
      if (await applyMigration(conn, target, migration)) applied.push(migration.name);
    }
    if (await saltMissing(conn)) await ensureSecretSalt(conn);
    return applied;
  } finally {
    // Closing the session would release it too; unlocking hands it over at once.
    if (conn.dialect === "postgresql") await conn.query(`SELECT pg_advisory_unlock(${PRISMA_MIGRATE_LOCK})`).catch(() => {});
  }
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
  // Nothing created: a missing SQLite file has no migrations applied.
  const rows =
    target.dialect === "sqlite" && !existsSync(target.file!) ? [] : await withSqlSession(target, { readonly: true }, appliedRows);
  const todo = pending(migrations, rows);
  const byName = new Map(migrations.map((m) => [m.name, m]));
  const done = rows.filter((r) => r.finished_at != null && r.rolled_back_at == null);
  return {
    applied: done.map((r) => r.migration_name).sort(),
    pending: todo,
    changed: done.filter((r) => byName.has(r.migration_name) && byName.get(r.migration_name)!.checksum !== r.checksum).map((r) => r.migration_name),
  };
}

/** Brings the database schema up to date. Idempotent; safe to run concurrently. */
export async function migrateDatabase(
  target: DatabaseTarget,
  opts: { dir?: string } = {},
): Promise<{ applied: string[] }> {
  const migrations = readMigrations(opts.dir ?? migrationsDir(target.dialect));
  if (migrations.length === 0) throw new Error(`no migrations found in ${opts.dir ?? migrationsDir(target.dialect)}`);
  // The busy timeout makes a second SQLite migrator (another process) wait for the first.
  const migrate = () => withSqlSession(target, { busyTimeoutMs: 30_000 }, (conn) => migrateOn(conn, target, migrations));
  return { applied: await (target.dialect === "sqlite" ? inTurn(target.file!, migrate) : migrate()) };
}

/**
 * SQLite migrators of one file in this process take turns. better-sqlite3 waits
 * for another connection's write lock synchronously, so a second migrator here
 * would block the event loop the first one needs to finish: a deadlock until
 * the busy timeout. Migrators in other processes just wait.
 */
const sqliteTurns = new Map<string, Promise<unknown>>();
function inTurn<T>(file: string, work: () => Promise<T>): Promise<T> {
  const turn = (sqliteTurns.get(file) ?? Promise.resolve()).then(work, work);
  const settled = turn.catch(() => {});
  sqliteTurns.set(file, settled);
  void settled.then(() => {
    if (sqliteTurns.get(file) === settled) sqliteTurns.delete(file);
  });
  return turn;
}
