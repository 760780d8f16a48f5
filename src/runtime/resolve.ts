import { UserError } from "../domain/diagnostic.js";
import type { DesiredState } from "../domain/state.js";
import type { SqlDb } from "./db.js";
import {
  accountContributions,
  globalContributions,
  mergeLayers,
  originFromResource,
  overlayAccountResources,
  userContributions,
  type EffectiveConfig,
} from "./effective.js";
import { readAccount, readAccountResources, readDeclaredIntegrations, readGlobal, readUserSettings, requireUserOfAccount } from "./read.js";

/**
 * `cfgsync resolve`: the effective configuration as config/ declares it, on
 * top of the database. The global layer and every account row config manages
 * come from config (origin file:line); rows config does not manage (saved by
 * the platform) and user settings come from the database. After an apply this
 * is exactly what the runtime library resolves.
 */
export async function resolveWithConfig(
  desired: DesiredState,
  db: SqlDb,
  who: { account: string; userId?: number },
): Promise<EffectiveConfig> {
  const account = await readAccount(db, { slug: who.account }).catch((err: unknown) => {
    if (err instanceof UserError) {
      throw new UserError("resolve.unknown-account", `account "${who.account}" does not exist in the database`, {
        suggestions: ["accounts are created by the platform; check the slug"],
      });
    }
    throw err;
  });
  if (who.userId !== undefined) await requireUserOfAccount(db, who.userId, account.id);
  const declaredGlobal = desired.resources.find((r) => r.kind === "integration");
  const [storedGlobal, storedDeclared, stored, userRows] = await Promise.all([
    declaredGlobal ? Promise.resolve(undefined) : readGlobal(db),
    declaredGlobal ? Promise.resolve([]) : readDeclaredIntegrations(db),
    readAccountResources(db, account),
    who.userId === undefined ? Promise.resolve([]) : readUserSettings(db, who.userId, account.id),
  ]);
  const accountResources = overlayAccountResources(account.slug, desired.resources, stored.resources);
  return mergeLayers([
    ...globalContributions(
      declaredGlobal ?? storedGlobal,
      (r, field) =>
        r.kind === "integration-type"
          ? originFromResource("global", "integration_type_settings")(r, field)
          : originFromResource("global", "global_integration_settings", () => 1)(r, field),
      declaredGlobal ? desired.resources.filter((r) => r.kind === "integration-type") : storedDeclared,
    ),
    ...accountContributions(
      accountResources,
      (r, field) =>
        originFromResource("account", r.kind === "account-setting" ? "account_settings" : "integration_settings", (x) => stored.rowIds.get(x.address))(r, field),
    ),
    ...userContributions(userRows),
  ]);
}
