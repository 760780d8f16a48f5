import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runCli, type CliResult } from "./cli.js";
import { createTestDatabase, type Dialect, type TestDatabase } from "./db.js";

/** Dummy provider keys: recognisable, so tests can assert they never appear in any output. */
export const API_KEYS = {
  OPENAI_API_KEY: "sk-test-openai-0000000000000000SECRET",
  ANTHROPIC_API_KEY: "sk-ant-test-0000000000000000SECRET",
  DALLE_API_KEY: "sk-test-dalle-0000000000000000SECRET",
  RUNWARE_API_KEY: "rw-test-0000000000000000SECRET",
  BRIA_API_KEY: "bria-test-0000000000000000SECRET",
};

/** A copy of the sample config/ and a database of its own, with the CLI bound to both. */
export interface Workspace {
  dir: string;
  configDir: string;
  db: TestDatabase;
  cli(args: string[], opts?: { env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<CliResult>;
  edit(relPath: string, change: (text: string) => string): void;
  accountSlugs(): string[];
  /** Migrates (a copy of the migrated template) and creates the accounts the sample config overrides (they are runtime rows). */
  prepareDatabase(): Promise<void>;
  dispose(): Promise<void>;
}

export async function createWorkspace(dialect: Dialect): Promise<Workspace> {
  const dir = mkdtempSync(join(tmpdir(), "cfgsync-ws-"));
  const configDir = join(dir, "config");
  cpSync(join(ROOT, "config"), configDir, { recursive: true });
  const db = await createTestDatabase(dialect);
  const ws: Workspace = {
    dir,
    configDir,
    db,
    cli: (args, opts = {}) =>
      runCli(args, { cwd: dir, env: { DATABASE_URL: db.url, ...API_KEYS, CFGSYNC_ACTOR: "test", ...opts.env }, timeoutMs: opts.timeoutMs ?? 60_000 }),
    edit(relPath, change) {
      const file = join(configDir, relPath);
      const before = readFileSync(file, "utf8");
      const after = change(before);
      if (after === before) throw new Error(`edit of ${relPath} changed nothing`);
      writeFileSync(file, after);
    },
    accountSlugs: () =>
      readdirSync(join(configDir, "accounts"))
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => f.replace(/\.yaml$/, "")),
    async prepareDatabase() {
      await db.migrate();
      for (const [i, slug] of ws.accountSlugs().entries()) {
        await db.query(`INSERT INTO account (id, slug, name, credits) VALUES (${i + 1}, '${slug}', '${slug}', 100)`);
      }
    },
    async dispose() {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return ws;
}

/** Runtime-owned rows that an apply must never touch. */
export async function seedRuntimeRows(db: TestDatabase): Promise<void> {
  await db.query(`INSERT INTO app_user (id, account_id, email) VALUES (1, 1, 'ada@example.com')`);
  await db.query(`INSERT INTO user_settings (user_id, account_id, key, value, updated_at) VALUES (1, 1, 'table_settings', '{"records_per_page": 50}', '2026-01-01T00:00:00Z')`);
  await db.query(
    `INSERT INTO credit_usage_log (account_id, operation_type, model_id, credits_used, cost_usd, created_at) VALUES (1, 'image_generation', 'dall-e-3', 5, '0.04', '2026-01-01T00:00:00Z')`,
  );
}

export async function runtimeSnapshot(db: TestDatabase): Promise<string> {
  const tables = ["account", "app_user", "user_settings", "credit_usage_log", "credit_transaction"];
  const parts: unknown[] = [];
  for (const t of tables) parts.push(await db.query(`SELECT * FROM ${t} ORDER BY id`));
  return JSON.stringify(parts);
}
