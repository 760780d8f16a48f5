import type { SqlDb } from "../src/store/sql-db.js";
import { accountSlug } from "./synthetic.js";

const ROWS_PER_STATEMENT = 1000;

/**
 * Accounts are runtime-owned (cfgsync never creates them), so the bench puts
 * them in first, in bulk, with raw SQL: `bench-account-000000` upwards, the
 * slugs `syntheticDesired` refers to.
 */
export async function insertBenchAccounts(db: SqlDb, count: number): Promise<void> {
  for (let start = 0; start < count; start += ROWS_PER_STATEMENT) {
    const values: string[] = [];
    for (let i = start; i < Math.min(count, start + ROWS_PER_STATEMENT); i++) {
      values.push(`('${accountSlug(i)}', 'Bench account ${i}')`);
    }
    await db.execute(`INSERT INTO account (slug, name) VALUES ${values.join(", ")}`);
  }
}
