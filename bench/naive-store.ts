import { KIND_TABLES } from "../src/store/tables.js";
import type { Resource } from "../src/domain/resources.js";
import type { PrismaBaseline } from "./prisma-baseline.js";

/**
 * The "seed-script approach" the bench compares against: one Prisma upsert per
 * model, awaited in turn. Not used by cfgsync.
 */
export async function naiveUpsertModels(baseline: PrismaBaseline, resources: Resource[]): Promise<void> {
  const table = KIND_TABLES.model;
  for (const r of resources) {
    if (r.kind !== "model") continue;
    const key = table.keyOf(r, () => 0) as { model_id: string };
    const values = table.valuesOf(r, () => null);
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) if (v !== null) data[k] = v;
    await baseline.db.aIModelConfig.upsert({ where: key, create: { ...key, ...data } as never, update: data as never });
  }
}
