import type { Diagnostic } from "../../domain/diagnostic.js";
import type { DocumentKind } from "../../schema/documents.js";
import { accountOverrides } from "./accounts.js";
import { modelDates, modelDefaults, modelProviderMatchesFile, modelTypeFields, uniqueModelIds } from "./catalog.js";
import { creditOperations } from "./credits.js";
import { jsonValuesStorable, moneyFitsColumn } from "./fields.js";
import { fileNames, singletonDocuments, uniqueAccounts } from "./documents.js";
import { globalDefaults } from "./integrations.js";
import { minimumMargins, policyOperations, priceCeilings, protectedAddresses } from "./policy.js";
import { scheduledEntries, scheduledStateDiagnostics } from "./schedule.js";
import { settingsSchemasCompile } from "./settings-schemas.js";
import type { Rule, RuleContext } from "./types.js";

export type { Rule, RuleContext } from "./types.js";

/** Every cross-file rule, in the order a reader would fix things: structure, catalog, references, policy. */
export const RULES: readonly Rule[] = [
  singletonDocuments,
  fileNames,
  uniqueAccounts,
  uniqueModelIds,
  moneyFitsColumn,
  jsonValuesStorable,
  modelProviderMatchesFile,
  modelTypeFields,
  modelDates,
  modelDefaults,
  globalDefaults,
  accountOverrides,
  creditOperations,
  settingsSchemasCompile,
  policyOperations,
  minimumMargins,
  priceCeilings,
  protectedAddresses,
  scheduledEntries,
];

/**
 * Runs the rules whose documents are all complete (`incomplete`: kinds with a
 * document that failed) on the desired state as written, then on the state at
 * each instant a scheduled entry takes effect.
 */
export function runRules(
  ctx: RuleContext,
  incomplete: ReadonlySet<DocumentKind> = new Set(),
  rules: readonly Rule[] = RULES,
): Diagnostic[] {
  const run = (c: RuleContext) => rules.filter((rule) => !rule.needs.some((k) => incomplete.has(k))).flatMap((rule) => rule.check(c));
  const found = run(ctx);
  return [...found, ...scheduledStateDiagnostics(ctx, found, run)];
}
