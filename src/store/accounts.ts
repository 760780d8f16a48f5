import { UserError } from "../domain/diagnostic.js";
import type { SqlDb } from "./sql-db.js";

/*
 * Accounts are the platform's runtime rows: cfgsync reads them and never
 * applies them. `cfgsync db create-account` creates them for local trials of
 * config/accounts/*.yaml against a fresh database.
 */

export interface CreatedAccount {
  slug: string;
  /** The new row's id; undefined when the account existed already (left as it was). */
  id?: number;
}

const SLUG = /^[a-z0-9][a-z0-9._-]*$/;

/** Creates each account that does not exist yet; every slug is checked before anything is written. */
export async function createAccounts(db: SqlDb, slugs: readonly string[], name?: string): Promise<CreatedAccount[]> {
  const bad = slugs.find((s) => !SLUG.test(s));
  if (bad) throw new UserError("usage.invalid-slug", `'${bad}' is not an account slug (lowercase letters, digits, '.', '_' or '-')`);
  const out: CreatedAccount[] = [];
  for (const slug of slugs) {
    const rows = await db.query<{ id: unknown }>(
      "INSERT INTO account (slug, name, credits, created_at) VALUES ($1, $2, 0, $3) ON CONFLICT (slug) DO NOTHING RETURNING id",
      [slug, name ?? slug, new Date()],
    );
    out.push(rows[0] ? { slug, id: Number(rows[0].id) } : { slug });
  }
  return out;
}
