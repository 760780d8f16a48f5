import type { LiveState } from "../../src/domain/state.js";
import { toLiveState, type TableName } from "../../src/store/read-live.js";
import type { PrismaBaseline } from "../../bench/prisma-baseline.js";

type Rows = Record<string, unknown>[];

/** The live state as Prisma's findMany reads it: the reference the store's own reads must equal. */
export async function readLiveStateWithPrisma({ db: q }: PrismaBaseline): Promise<LiveState> {
  const readers: Record<TableName, () => Promise<Rows>> = {
    accounts: () => q.account.findMany({ select: { id: true, slug: true } }) as Promise<Rows>,
    lastApplied: () => q.cfgsyncResourceState.findMany({ select: { address: true, fields: true } }) as Promise<Rows>,
    model: () => q.aIModelConfig.findMany() as Promise<Rows>,
    credit: () => q.creditCostConfig.findMany() as Promise<Rows>,
    integration: () => q.globalIntegrationSettings.findMany() as Promise<Rows>,
    "integration-type": () => q.integrationTypeSettings.findMany() as Promise<Rows>,
    "settings-schema": () => q.settingsSchema.findMany() as Promise<Rows>,
    "account-setting": () => q.accountSettings.findMany() as Promise<Rows>,
    "account-integration": () => q.integrationSettings.findMany() as Promise<Rows>,
  };
  const names = Object.keys(readers) as TableName[];
  const rows = await Promise.all(names.map((n) => readers[n]()));
  const salt = await q.cfgsyncMeta.findUniqueOrThrow({ where: { key: "secret_salt" } });
  return toLiveState(Object.fromEntries(names.map((n, i) => [n, rows[i]!])) as Record<TableName, Rows>, salt.value);
}
