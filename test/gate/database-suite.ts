import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createRuntime } from "../../src/runtime/index.js";
import { ROOT } from "../helpers/cli.js";
import { createTestDatabase, type Dialect } from "../helpers/db.js";
import { API_KEYS, createWorkspace, seedRuntimeRows, type Workspace } from "../helpers/workspace.js";

/*
 * Issue #8's reproductions that involve a database, through the real CLI
 * (or the runtime API), once per dialect (gate.<dialect>.test.ts).
 */
const noBug = (r: { stdout: string; stderr: string }) => expect(r.stdout + r.stderr).not.toMatch(/This is a bug|internal error|\n\s+at .+:\d+:\d+\)/);
const parseJson = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

export function gateSuite(dialect: Dialect): void {
  describe(`#8 reproductions on ${dialect}`, () => {
    let ws: Workspace;
    beforeEach(async () => {
      ws = await createWorkspace(dialect);
      await ws.prepareDatabase();
    });
    afterEach(async () => {
      await ws?.dispose();
    });

    test("1, 3, 6: plan and apply refuse what validate refuses; money is stored exactly as written and converges", async () => {
      ws.edit("accounts/acme.yaml", (s) => s.replace("  content.tone: friendly\n", `  content.tone: friendly\n  meta: "\\x73k-ant-api03-${"Q".repeat(10)}abcdefghij0123456789"\n`));
      ws.edit("models/openai.yaml", (s) => s.replace("max_input_tokens: 1047576", "max_input_tokens: 2147483648"));
      for (const args of [["plan", "--json"], ["apply", "--auto-approve"]]) {
        const r = await ws.cli(args);
        expect(r.code, r.stderr).toBe(1);
        noBug(r);
        expect(r.stdout + r.stderr).not.toContain("Qabcdefghij0123456789");
      }
      expect(await ws.db.query("SELECT id FROM cfgsync_revision")).toEqual([]);
      ws.edit("accounts/acme.yaml", (s) => s.replace(/  meta: .*\n/, ""));
      ws.edit("models/openai.yaml", (s) => s.replace("max_input_tokens: 2147483648", "max_input_tokens: 2147483647").replace("input_token_rate: 2.00", "input_token_rate: 12345678.123456789").replace("output_token_rate: 8.00", "output_token_rate: 0.0000000001"));
      const applied = await ws.cli(["apply", "--auto-approve"]);
      expect(applied.code, applied.stderr).toBe(0);
      const [row] = await ws.db.query<Record<string, unknown>>("SELECT input_token_rate, output_token_rate, max_input_tokens FROM ai_model_config WHERE model_id = 'gpt-4.1'");
      expect(String(row!.input_token_rate)).toMatch(/^12345678\.1234567890*$/);
      expect(String(row!.output_token_rate)).toMatch(/^0\.00000000010*$/);
      expect(Number(row!.max_input_tokens)).toBe(2147483647);
      const again = await ws.cli(["plan", "--detailed-exitcode"]);
      expect(again.code, again.stdout).toBe(0);
    });

    test("5: a hostile row in the database cannot forge workflow commands or reach the terminal", async () => {
      const evil = "evil\n::stop-commands::x\n::error title=forged::owned\u001b[2J\u009b31m\u202e";
      await ws.db.query(
        `INSERT INTO ai_model_config (model_id, display_name, model_type, provider, sort_order, updated_at) VALUES (${dialect === "postgresql" ? "$1, $2" : "?, ?"}, 'text', 'openai', 0, CURRENT_TIMESTAMP)`,
        [evil, evil],
      );
      for (const args of [["plan"], ["drift"]]) {
        const r = await ws.cli(args);
        const out = r.stdout + r.stderr;
        expect(out.split("\n").filter((l) => l.startsWith("::"))).toEqual([]);
        expect(out).not.toMatch(/[\u001b\u009b\u202e]/);
        noBug(r);
      }
      const plan = await ws.cli(["plan"]);
      expect(plan.stdout).toContain("model/evil\\n::stop-commands::x\\n::error title=forged::owned\\x1b[2J\\x9b31m\\u202e");
    });

    test("10: export builds paths from validated slugs, refuses a hostile row, and writes $schema paths that resolve", async () => {
      await ws.db.query(`INSERT INTO account (id, slug, name, credits) VALUES (99, '../../../x', 'evil', 0)`);
      await ws.db.query(
        `INSERT INTO account_settings (account_id, key, value, updated_at) VALUES (99, 'k', ${dialect === "postgresql" ? "'1'::jsonb" : "'1'"}, CURRENT_TIMESTAMP)`,
      );
      expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
      const out = join(ws.dir, "a", "b", "exp");
      const r = await ws.cli(["export", "--out", "a/b/exp"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/skipped 1 account row\(s\) of "\.\.\/\.\.\/\.\.\/x": not a valid slug/);
      noBug(r);
      expect(existsSync(join(ws.dir, "a", "x.yaml"))).toBe(false);
      expect(existsSync(join(ws.dir, "x.yaml"))).toBe(false);
      expect(readdirSync(join(ws.dir, "a"))).toEqual(["b"]);
      // Every $schema reference resolves from where its file was written.
      for (const rel of ["credits.yaml", "models/openai.yaml", "accounts/acme.yaml"]) {
        const file = join(out, rel);
        const href = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(file, "utf8"))![1]!;
        expect(existsSync(resolve(join(file, ".."), href)), `${rel}: ${href}`).toBe(true);
        expect(resolve(join(file, ".."), href).startsWith(join(ROOT, "schemas"))).toBe(true);
      }
      // What export wrote validates and plans to no changes.
      const plan = await ws.cli(["plan", "--detailed-exitcode", "--config-dir", "a/b/exp"]);
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    });

    test("11, 12: the runtime refuses prototype keys and out-of-range overrides; what it saves, export writes and validate accepts", async () => {
      expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
      await seedRuntimeRows(ws.db);
      const runtime = await createRuntime({ databaseUrl: ws.db.url });
      try {
        const hostile = JSON.parse('{"enabled":true,"rules":[{"__proto__":{"trigger":"schedule","action":"queue_tasks"}}]}');
        await expect(runtime.saveUserSetting({ userId: 1, accountId: 1, key: "planner_automation", value: hostile })).rejects.toThrow(
          /rules\/0\/__proto__: the key "__proto__" is not allowed/,
        );
        for (const key of ["constructor", "prototype"]) {
          await expect(runtime.saveUserSetting({ userId: 1, accountId: 1, key: "planner_automation", value: { enabled: true, [key]: 1 } })).rejects.toThrow(/is not allowed/);
        }
        await expect(runtime.saveUserSetting({ userId: 1, accountId: 1, key: "table_settings", value: { records_per_page: Number.NaN } })).rejects.toThrow(/not a finite number/);
        expect(await ws.db.query("SELECT id FROM user_settings WHERE key = 'planner_automation'")).toEqual([]);
        await expect(runtime.saveIntegrationOverride({ accountId: 1, integrationType: "openai", config: { max_tokens: 2_000_000 } })).rejects.toThrow(/max_tokens is invalid/);
        await expect(runtime.saveIntegrationOverride({ accountId: 1, integrationType: "openai", config: { model: "gpt-4o\n::error::x" } })).rejects.toThrow(/model is invalid/);
        // The loop: a valid runtime save -> export -> validate accepts it and plans to no changes.
        await expect(runtime.saveIntegrationOverride({ accountId: 1, integrationType: "openai", config: { max_tokens: 1_000_000, model: "gpt-4o" } })).rejects.toThrow(
          /max_tokens 1000000 exceeds gpt-4o's max_output_tokens 16384/,
        );
        await runtime.saveIntegrationOverride({ accountId: 1, integrationType: "openai", config: { max_tokens: 16384, temperature: 1.5, model: "gpt-4o" } });
        const rows = await ws.db.query<{ config: unknown }>("SELECT config FROM integration_settings WHERE account_id = 1 AND integration_type = 'openai'");
        expect(parseJson(rows[0]!.config)).toEqual({ max_tokens: 16384, temperature: 1.5, model: "gpt-4o" });
      } finally {
        await runtime.close();
      }
      const exported = await ws.cli(["export", "--out", "exported"]);
      expect(exported.code, exported.stderr).toBe(0);
      const validated = await ws.cli(["validate", "--config-dir", "exported"]);
      expect(validated.code, validated.stdout).toBe(0);
    });

    test("7 (convergence): a value the database does not keep as written is refused, rolled back, no revision", async () => {
      expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
      // A trigger that rewrites display names: what apply writes is not what the database keeps.
      if (dialect === "postgresql") {
        await ws.db.query(`CREATE FUNCTION shout() RETURNS trigger AS $$ BEGIN NEW.display_name := upper(NEW.display_name); RETURN NEW; END $$ LANGUAGE plpgsql`);
        await ws.db.query(`CREATE TRIGGER shout BEFORE UPDATE ON ai_model_config FOR EACH ROW EXECUTE FUNCTION shout()`);
      } else {
        await ws.db.query(`CREATE TRIGGER shout AFTER UPDATE OF display_name ON ai_model_config BEGIN UPDATE ai_model_config SET display_name = upper(NEW.display_name) WHERE id = NEW.id AND display_name <> upper(NEW.display_name); END`);
      }
      ws.edit("models/openai.yaml", (s) => s.replace("display_name: GPT-4.1", "display_name: GPT-4.1 quiet"));
      const r = await ws.cli(["apply", "--auto-approve"]);
      expect(r.code).toBe(1);
      noBug(r);
      expect(r.stderr).toMatch(/model\/gpt-4\.1 display_name: the database stored "GPT-4\.1 QUIET" instead of "GPT-4\.1 quiet"; the apply was rolled back/);
      expect(await ws.db.query("SELECT id FROM cfgsync_revision")).toHaveLength(1);
      const [row] = await ws.db.query<{ display_name: string }>("SELECT display_name FROM ai_model_config WHERE model_id = 'gpt-4.1'");
      expect(row!.display_name).toBe("GPT-4.1");
    });

    test("14: a hand-edited saved plan is refused as tampered; an untouched one applies", async () => {
      const saved = await ws.cli(["plan", "--out", "plan.json"]);
      expect(saved.code, saved.stderr).toBe(0);
      const file = join(ws.dir, "plan.json");
      const original = readFileSync(file, "utf8");
      writeFileSync(file, JSON.stringify({ ...JSON.parse(original), changes: [] }, null, 2));
      const edited = await ws.cli(["apply", "plan.json"]);
      expect(edited.code).toBe(1);
      expect(edited.stderr).toMatch(/plan\.json was edited after `cfgsync plan --out` wrote it/);
      // Consistent forgery (digest recomputed over the edited content): the changes still differ from what would be applied.
      const { planContentDigest } = await import("../../src/plan/digest.js");
      const forged = { ...JSON.parse(original), changes: [] };
      writeFileSync(file, JSON.stringify({ ...forged, content_digest: planContentDigest(forged) }, null, 2));
      const forgedRun = await ws.cli(["apply", "plan.json"]);
      expect(forgedRun.code).toBe(1);
      expect(forgedRun.stderr).toMatch(/does not hold the changes/);
      expect(await ws.db.query("SELECT id FROM cfgsync_revision")).toEqual([]);
      writeFileSync(file, original);
      const applied = await ws.cli(["apply", "plan.json"]);
      expect(applied.code, applied.stderr).toBe(0);
    });

    test("secret digests are keyed by the database's salt: a copy of a plan or the state table cannot confirm a guessed key", async () => {
      const { createHash } = await import("node:crypto");
      const { secretDigester } = await import("../../src/domain/digest.js");
      const key = API_KEYS.OPENAI_API_KEY;
      expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
      const [{ value: salt }] = (await ws.db.query<{ value: string }>(`SELECT value FROM cfgsync_meta WHERE key = 'secret_salt'`)) as [{ value: string }];
      expect(salt).toMatch(/^[0-9a-f]{64}$/);
      const [state] = await ws.db.query<{ fields: unknown }>(`SELECT fields FROM cfgsync_resource_state WHERE address = 'integration/global'`);
      const stored = (parseJson(state!.fields) as Record<string, { digest: string }>).openai_api_key!.digest;
      expect(stored).toBe(secretDigester(salt)(key));
      expect(stored).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
      // An unkeyed digest (what a guess would be checked against) appears nowhere: not in state, plan file or output.
      const unkeyed = [createHash("sha256").update(key).digest("hex"), createHash("sha256").update(`cfgsync-secret\0${key}`).digest("hex")];
      ws.edit("integrations.yaml", (s) => s.replace(/temperature: [0-9.]+/, "temperature: 0.5"));
      const plan = await ws.cli(["plan", "--out", "plan.json", "--json"], { env: { OPENAI_API_KEY: `${key}-rotated` } });
      expect(plan.code, plan.stderr).toBe(0);
      const planFile = readFileSync(join(ws.dir, "plan.json"), "utf8");
      for (const text of [planFile, plan.stdout, JSON.stringify(await ws.db.query("SELECT * FROM cfgsync_resource_state"))]) {
        for (const digest of unkeyed) expect(text).not.toContain(digest);
        expect(text).not.toContain(salt);
        expect(text).not.toContain(key);
      }
      // A weak key that is also config text ("openai" is a provider name) is applied, not an internal error.
      const weak = await ws.cli(["apply", "--auto-approve"], { env: { OPENAI_API_KEY: "openai" } });
      expect(weak.code, weak.stderr).toBe(0);
      noBug(weak);
      // Another database's salt digests the same key differently.
      const other = await createTestDatabase(dialect);
      try {
        const migrated = await ws.cli(["db", "migrate"], { env: { DATABASE_URL: other.url } });
        expect(migrated.code, migrated.stderr).toBe(0);
        const [{ value: otherSalt }] = (await other.query<{ value: string }>(`SELECT value FROM cfgsync_meta WHERE key = 'secret_salt'`)) as [{ value: string }];
        expect(otherSalt).toMatch(/^[0-9a-f]{64}$/);
        expect(otherSalt).not.toBe(salt);
        expect(secretDigester(otherSalt)(key)).not.toBe(stored);
      } finally {
        await other.drop();
      }
    });

    test("upgrading drops the unkeyed digests recorded before the salt; a deleted salt is written anew", async () => {
      const { migrateDatabase, migrationsDir, readMigrations } = await import("../../src/store/migrate.js");
      const { parseDatabaseUrl } = await import("../../src/store/database-url.js");
      const { cpSync, mkdtempSync } = await import("node:fs");
      const { tmpdir } = await import("node:os");
      const old = await createTestDatabase(dialect);
      const dir = mkdtempSync(join(tmpdir(), "cfgsync-old-migrations-"));
      try {
        // A database of the version before the salt: every migration up to 20261128233000_catalog_dimensions.
        for (const m of readMigrations(migrationsDir(dialect)).filter((m) => m.name <= "20261128233000_catalog_dimensions")) {
          cpSync(join(migrationsDir(dialect), m.name), join(dir, m.name), { recursive: true });
        }
        await migrateDatabase(parseDatabaseUrl(old.url), { dir });
        const legacy = JSON.stringify({ openai_api_key: { sensitive: true, digest: "sha256:" + "ab".repeat(32) }, openai_model: "gpt-4o-mini" });
        await old.query(
          `INSERT INTO cfgsync_resource_state (address, kind, fields, revision_id, updated_at) VALUES ('integration/global', 'integration', ${dialect === "postgresql" ? "$1::jsonb" : "?"}, 1, CURRENT_TIMESTAMP)`,
          [legacy],
        );
        const migrated = await ws.cli(["db", "migrate"], { env: { DATABASE_URL: old.url } });
        expect(migrated.code, migrated.stderr).toBe(0);
        const [state] = await old.query<{ fields: unknown }>(`SELECT fields FROM cfgsync_resource_state`);
        expect(parseJson(state!.fields)).toEqual({ openai_model: "gpt-4o-mini" });
        expect(await old.query(`SELECT key FROM cfgsync_meta`)).toEqual([{ key: "secret_salt" }]);
        // A deleted salt: `db migrate` writes a new one (SQLite migrates on its own); PostgreSQL says to migrate.
        await old.query(`DELETE FROM cfgsync_meta`);
        const noSalt = await ws.cli(["plan"], { env: { DATABASE_URL: old.url } });
        noBug(noSalt);
        if (dialect === "postgresql") {
          expect(noSalt.code).toBe(1);
          expect(noSalt.stderr).toMatch(/no secret salt.*\[db\.not-migrated\]/s);
          expect((await ws.cli(["db", "migrate"], { env: { DATABASE_URL: old.url } })).code).toBe(0);
        } else {
          expect(noSalt.code, noSalt.stderr).toBe(0);
        }
        expect(await old.query(`SELECT key FROM cfgsync_meta`)).toEqual([{ key: "secret_salt" }]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await old.drop();
      }
    });

  });

  if (dialect === "postgresql") {
    describe("#8 PostgreSQL faults", () => {
      test("15: apply and db migrate as a read-only role: a message with what to do, exit 1, never a bug", async () => {
        const ws = await createWorkspace("postgresql");
        const fresh = await createTestDatabase("postgresql");
        const role = `cfgsync_ro_${Date.now().toString(36)}`;
        try {
          await ws.prepareDatabase();
          await ws.db.query(`CREATE ROLE ${role} LOGIN`);
          await ws.db.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
          const apply = await ws.cli(["apply", "--auto-approve"], { env: { DATABASE_URL: ws.db.url.replace("postgres@", `${role}@`) } });
          expect(apply.code).toBe(1);
          noBug(apply);
          expect(apply.stderr).toMatch(/refused: permission denied for table \w+; nothing was changed/);
          expect(apply.stderr).toMatch(/Hint: connect as a role that may write/);
          const migrate = await ws.cli(["db", "migrate"], { env: { DATABASE_URL: fresh.url.replace("postgres@", `${role}@`) } });
          expect(migrate.code).toBe(1);
          noBug(migrate);
          expect(migrate.stderr).toMatch(/permission denied for schema public/);
          expect(migrate.stderr).toMatch(/Hint: .*`db migrate` needs CREATE/);
        } finally {
          await ws.db.query(`DROP OWNED BY ${role}`).catch(() => {});
          await ws.dispose();
          await fresh.drop();
          const admin = await createTestDatabase("postgresql");
          await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
          await admin.drop();
        }
      });

      test("13: a connection terminated mid-apply is a clear error, exit 1, rolled back", async () => {
        const ws = await createWorkspace("postgresql");
        try {
          await ws.prepareDatabase();
          expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
          ws.edit("models/openai.yaml", (s) => s.replace("input_token_rate: 2.00", "input_token_rate: 2.10"));
          const child = spawn(process.execPath, [join(ROOT, "bin/run.js"), "apply", "--auto-approve"], {
            cwd: ws.dir,
            env: { ...process.env, ...API_KEYS, DATABASE_URL: ws.db.url, CFGSYNC_TEST_PAUSE_IN_APPLY_MS: "20000", NO_COLOR: "1" },
            stdio: ["ignore", "pipe", "pipe"],
          });
          let stderr = "";
          let stdout = "";
          child.stderr.on("data", (d) => (stderr += d));
          child.stdout.on("data", (d) => (stdout += d));
          const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
          for (let i = 0; i < 300 && !stderr.includes("paused in apply"); i++) await new Promise((r) => setTimeout(r, 100));
          expect(stderr).toContain("paused in apply");
          await ws.db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
          child.kill("SIGUSR2"); // the pause ends: the apply goes on, on the lost connection
          const code = await exited;
          expect(code, stdout + stderr).toBe(1);
          expect(stderr).toMatch(/connection to the database .* was lost/);
          expect(stderr).toMatch(/rolled back|nothing was changed/);
          noBug({ stdout, stderr });
          const [row] = await ws.db.query<{ input_token_rate: unknown }>("SELECT input_token_rate FROM ai_model_config WHERE model_id = 'gpt-4.1'");
          expect(String(row!.input_token_rate)).toMatch(/^2\.0*$/);
          expect(await ws.db.query("SELECT id FROM cfgsync_revision")).toHaveLength(1);
        } finally {
          await ws.dispose();
        }
      });

      test("15: db create-account on an unmigrated database says to migrate, exit 1, never a bug", async () => {
        const db = await createTestDatabase("postgresql");
        try {
          const dir = join(ROOT, "node_modules", ".cache");
          mkdirSync(dir, { recursive: true });
          const { runCli } = await import("../helpers/cli.js");
          const r = await runCli(["db", "create-account", "acme"], { cwd: dir, env: { DATABASE_URL: db.url } });
          expect(r.code).toBe(1);
          noBug(r);
          expect(r.stderr).toMatch(/cfgsync db migrate/);
        } finally {
          await db.drop();
        }
      });
    });
  }
}
