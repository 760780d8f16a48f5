import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase } from "../src/store/connect.js";
import { TEMPLATE_ENV } from "./helpers/db.js";
import { SECRET_SALT_ENV } from "./helpers/secret-salt.js";

/** Migrates one template database per dialect for this run; tests copy it (helpers/db.ts). Returns the teardown. */
export async function createTemplates(adminUrl: string): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), "cfgsync-template-"));
  const file = join(dir, "template.db");
  const name = `cfgsync_tpl_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  // Both templates share one random salt, so fixtures can compute the secret digests a test database reads back.
  const salt = randomBytes(32).toString("hex");
  for (const url of [`file:${file}`, adminUrl.replace(/\/[^/?]*(\?|$)/, `/${name}$1`)]) {
    const store = await openDatabase(url);
    try {
      await store.migrate();
      await store.query(`UPDATE "cfgsync_meta" SET "value" = $1 WHERE "key" = 'secret_salt'`, [salt]);
    } finally {
      await store.close();
    }
  }
  process.env[SECRET_SALT_ENV] = salt;
  // The WAL is checkpointed into the file on close: a plain copy of template.db is the whole database.
  process.env[TEMPLATE_ENV.sqlite] = file;
  process.env[TEMPLATE_ENV.postgresql] = name;
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
}
