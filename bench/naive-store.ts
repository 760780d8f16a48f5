import { KIND_TABLES } from "../src/store/tables.js";
import type { Resource } from "../src/domain/resources.js";
import type { Store } from "../src/store/types.js";
import { storeClient } from "../src/store/connect.js";

/**
 * The "seed-script approach" the bench compares against: one Prisma upsert per
 * model, awaited in turn, with the same client the store uses. Not used by cfgsync.
 */
export async function naiveUpsertModels(store: Store, resources: Resource[]): Promise<void> {
  const db = storeClient(store);
  const table = KIND_TABLES.model;
  for (const r of resources) {
    if (r.kind !== "model") continue;
    const key = table.keyOf(r, () => 0) as { model_id: string };
    const values = table.valuesOf(r, () => null);
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) if (v !== null) data[k] = v;
    await db.aIModelConfig.upsert({ where: key, create: { ...key, ...data } as never, update: data as never });
  }
}
