import { appendAll } from "../../domain/append.js";
import type { Diagnostic } from "../../domain/diagnostic.js";
import type { Resource } from "../../domain/resources.js";
import type { DesiredState } from "../../domain/state.js";
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
 * The rules whose verdict a scheduled value can change (an entry sets prices
 * and limits, never identity, activity or defaults), run again on the state at
 * each entry's instant. `alone`: the rule judges each resource by itself, so
 * only the resources an entry changes at that instant are judged again (a
 * 10k-model catalog is not re-read per instant).
 */
const SCHEDULED_STATE_RULES: readonly { rule: Rule; alone: boolean }[] = [
  { rule: moneyFitsColumn, alone: true },
  { rule: priceCeilings, alone: true },
  { rule: minimumMargins, alone: false },
  { rule: globalDefaults, alone: false },
  { rule: accountOverrides, alone: false },
];

/**
 * Runs the rules whose documents are all complete (`incomplete`: kinds with a
 * document that failed) on a desired state as written, then those a scheduled
 * value can move on the state at each instant an entry takes effect. The
 * returned function is called on one state after another, all built from the
 * same documents (the base state, then each environment's): a rule that read
 * nothing but the documents on the first state gives the same verdict on every
 * other, so that verdict is reused. Which rules those are is observed, not
 * declared: a rule that reads the state is run on each.
 */
export function ruleRunner(
  docs: RuleContext["docs"],
  today: string,
  incomplete: ReadonlySet<DocumentKind> = new Set(),
  rules: readonly Rule[] = RULES,
): (desired: DesiredState) => Diagnostic[] {
  const complete = (rule: Rule) => !rule.needs.some((k) => incomplete.has(k));
  const active = rules.filter(complete);
  const again = SCHEDULED_STATE_RULES.filter(({ rule }) => active.includes(rule));
  const docsOnly = new Map<Rule, Diagnostic[]>();
  return (desired) => {
    const models = new Map<string, Resource>(desired.resources.filter((r) => r.kind === "model").map((r) => [r.key.model_id ?? r.address, r]));
    const ctx: RuleContext = { docs, desired, today, models };
    /** The rule's verdict, kept for the next states when it read nothing but the documents. */
    const check = (rule: Rule): Diagnostic[] => {
      let readState = false;
      const watched: RuleContext = {
        docs,
        get desired() {
          return (readState = true), desired;
        },
        get today() {
          return (readState = true), today;
        },
        get models() {
          return (readState = true), models;
        },
      };
      const verdict = rule.check(watched);
      if (!readState) docsOnly.set(rule, verdict);
      return verdict;
    };
    const found: Diagnostic[] = [];
    for (const rule of active) appendAll(found, docsOnly.get(rule) ?? check(rule));
    return [
      ...found,
      ...scheduledStateDiagnostics(ctx, found, (state, changed) =>
        again.flatMap(({ rule, alone }) =>
          rule.check(alone ? { ...state, desired: { ...state.desired, resources: state.desired.resources.filter((r) => changed.has(r.address)) } } : state),
        ),
      ),
    ];
  };
}
