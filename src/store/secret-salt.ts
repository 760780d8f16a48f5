import { randomBytes } from "node:crypto";
import { UserError } from "../domain/diagnostic.js";
import type { SqlDb } from "./sql-db.js";

/*
 * The per-database salt of secret digests (see domain/digest.ts secretDigester).
 * Migration 20261129011000_secret_salt writes it; `db migrate` also puts it back
 * should the row ever be deleted. It never leaves the database: plans, logs and
 * revisions carry only digests keyed by it.
 */

const KEY = "secret_salt";

async function saltOf(db: SqlDb): Promise<unknown> {
  return (await db.query<{ value: unknown }>(`SELECT "value" FROM "cfgsync_meta" WHERE "key" = $1`, [KEY]))[0]?.value;
}

const usable = (salt: unknown): salt is string => typeof salt === "string" && salt.length >= 32;

export async function hasSecretSalt(db: SqlDb): Promise<boolean> {
  return usable(await saltOf(db));
}

export async function readSecretSalt(db: SqlDb): Promise<string> {
  const salt = await saltOf(db);
  if (!usable(salt)) {
    throw new UserError("db.not-migrated", `the database ${db.target.display} has no secret salt (cfgsync_meta.secret_salt)`, {
      suggestions: ["run: cfgsync db migrate (it writes a new salt; API keys are compared afresh)"],
    });
  }
  return salt;
}

/** Writes a fresh random salt unless one exists (idempotent, safe under concurrent migrators). */
export async function ensureSecretSalt(db: SqlDb): Promise<void> {
  await db.execute(`INSERT INTO "cfgsync_meta" ("key", "value") VALUES ($1, $2) ON CONFLICT ("key") DO NOTHING`, [
    KEY,
    randomBytes(32).toString("hex"),
  ]);
}
