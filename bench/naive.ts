import type { Resource } from "../src/domain/resources.js";
import { naiveUpsertModels } from "./naive-store.js";
import { KIND_TABLES } from "../src/store/tables.js";
import type { PrismaBaseline } from "./prisma-baseline.js";

/**
 * The seed-script baseline over the bench's resources: one awaited Prisma
 * upsert per row, with its own Prisma client. Models go through
 * `naiveUpsertModels`; account overrides upsert on (account_id,
 * integration_type). Account ids are looked up once, in bulk, which is kinder
 * to the baseline than a seed script's usual lookup per row.
 */
export async function naiveUpsertAll(baseline: PrismaBaseline, resources: Resource[]): Promise<void> {
  await naiveUpsertModels(baseline, resources);
  const db = baseline.db;
  const overrides = resources.filter((r) => r.kind === "account-integration");
  if (overrides.length === 0) return;
  const accountIds = new Map((await db.account.findMany({ select: { id: true, slug: true } })).map((a) => [a.slug, a.id]));
  const table = KIND_TABLES["account-integration"];
  for (const r of overrides) {
    const key = table.keyOf(r, (slug, addr) => {
      const id = accountIds.get(slug);
      if (id === undefined) throw new Error(`account ${slug} (needed by ${addr}) is not in the bench database`);
      return id;
    }) as { account_id: number; integration_type: string };
    const { config } = table.valuesOf(r, () => null) as { config: object };
    await db.integrationSettings.upsert({
      where: { account_id_integration_type: key },
      create: { ...key, config },
      update: { config },
    });
  }
}
