import { appendAll } from "../../domain/append.js";
import { diagnosticId, type Diagnostic } from "../../domain/diagnostic.js";
import type { Resource } from "../../domain/resources.js";
import type { DesiredState } from "../../domain/state.js";
import type { DocumentKind } from "../../schema/document-kinds.js";
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
 * each entry's instant (an `alone` rule on the resources an entry changes at
 * that instant only: a 10k-model catalog is not re-read per instant).
 */
const SCHEDULED_STATE_RULES: readonly Rule[] = [moneyFitsColumn, priceCeilings, minimumMargins, globalDefaults, accountOverrides];

/**
 * Runs the rules whose documents are all complete (`incomplete`: kinds with a
 * document that failed) on a desired state as written, then those a scheduled
 * value can move on the state at each instant an entry takes effect. The
 * returned function is called on one state after another, all built from the
 * same documents (the base state, then each environment's), and judges each
 * later state only where it can differ from the first:
 * - a rule that read nothing but the documents on the first state gives the
 *   same verdict on every other, so that verdict is reused (which rules those
 *   are is observed, not declared);
 * - an `alone` rule's verdict is the first state's, less what it said of the
 *   resources this state replaces, plus what it says of their replacements
 *   (an environment overlays a few resources of thousands).
 */
export function ruleRunner(
  docs: RuleContext["docs"],
  today: string,
  incomplete: ReadonlySet<DocumentKind> = new Set(),
  rules: readonly Rule[] = RULES,
): (desired: DesiredState) => Diagnostic[] {
  const complete = (rule: Rule) => !rule.needs.some((k) => incomplete.has(k));
  const active = rules.filter(complete);
  const again = SCHEDULED_STATE_RULES.filter((rule) => active.includes(rule));
  const docsOnly = new Map<Rule, Diagnostic[]>();
  let first: { ctx: RuleContext; verdicts: Map<Rule, Diagnostic[]> } | undefined;
  return (desired) => {
    const models = new Map<string, Resource>(desired.resources.filter((r) => r.kind === "model").map((r) => [r.key.model_id ?? r.address, r]));
    const ctx: RuleContext = { docs, desired, today, models };
    const verdicts = new Map<Rule, Diagnostic[]>();
    // What this state replaces of the first state's resources, worked out once for every alone rule.
    const swapped = first && swappedResources(first.ctx.desired.resources, desired.resources);
    /** The rule's verdict, kept for the next states when it read nothing but the documents. */
    const check = (rule: Rule): Diagnostic[] => {
      const known = docsOnly.get(rule) ?? (rule.alone && first && swapped ? judgedAgain(rule, first.ctx, first.verdicts.get(rule)!, ctx, swapped) : undefined);
      if (known) return known;
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
    for (const rule of active) {
      const verdict = check(rule);
      verdicts.set(rule, verdict);
      appendAll(found, verdict);
    }
    first ??= { ctx, verdicts };
    return [
      ...found,
      ...scheduledStateDiagnostics(ctx, found, (state, changed) =>
        again.flatMap((rule) => rule.check(rule.alone ? withResources(state, state.desired.resources.filter((r) => changed.has(r.address))) : state)),
      ),
    ];
  };
}

const withResources = (ctx: RuleContext, resources: readonly Resource[]): RuleContext => ({ ...ctx, desired: { ...ctx.desired, resources: [...resources] } });

/** The resources a state holds in place of the first state's, and the ones they replace, position by position. */
interface Swapped {
  replaced: Resource[];
  replacements: Resource[];
}

/** Undefined when the states do not line up resource for resource. */
function swappedResources(before: readonly Resource[], now: readonly Resource[]): Swapped | undefined {
  if (before.length !== now.length) return undefined;
  const swapped: Swapped = { replaced: [], replacements: [] };
  now.forEach((r, i) => {
    if (r !== before[i]) swapped.replaced.push(before[i]!), swapped.replacements.push(r);
  });
  return swapped;
}

/**
 * An `alone` rule's verdict on `ctx`, from its verdict on the first state:
 * the resources `ctx` holds in place of the first state's are judged (the
 * ones they replace too, to take back what was said of them).
 */
function judgedAgain(rule: Rule, firstCtx: RuleContext, firstVerdict: readonly Diagnostic[], ctx: RuleContext, { replaced, replacements }: Swapped): Diagnostic[] {
  if (replaced.length === 0) return [...firstVerdict];
  const takenBack = new Map<string, number>();
  for (const d of rule.check(withResources(firstCtx, replaced))) takenBack.set(diagnosticId(d), (takenBack.get(diagnosticId(d)) ?? 0) + 1);
  const kept = firstVerdict.filter((d) => {
    const n = takenBack.get(diagnosticId(d)) ?? 0;
    if (n > 0) takenBack.set(diagnosticId(d), n - 1);
    return n === 0;
  });
  return [...kept, ...rule.check(withResources(ctx, replacements))];
}
