import { dec, pctFigure, usdFigure, type Dec } from "../../domain/money.js";
import type { Resource } from "../../domain/resources.js";
import { creditRules, safeInt as int, termsKey, tokenTermsOf, type UsageAggregate } from "../../domain/usage.js";

export { termsKey, tokenTermsOfRules, usageWindowStart, type TokenTerms, type UsageAggregate } from "../../domain/usage.js";

/*
 * Revenue impact (SPEC §7, issue #13): the last N days of credit_usage_log,
 * [now - N days, now), as they happened and as they would be at the new prices.
 *
 * Before = what was recorded: the credits charged x the live price per credit,
 * and the log's cost_usd (the seed defines cost as the sum of cost_usd).
 *
 * After = each call repriced under the desired config:
 * - credits (SPEC §2.3): token operations max(ceil(tokens / tokens_per_credit),
 *   min_credits) per call, image operations max(credits, min_credits) per image;
 *   revenue = credits x price_per_credit_usd;
 * - provider cost, by one of three methods, counted per call in the output:
 *   `token_counts`: the call logs input_tokens and output_tokens: exactly
 *     input x input_token_rate + output x output_token_rate (per 1M);
 *   `image_counts`: image operations: images x cost_per_image;
 *   `scaled`: a token call without the split: its recorded cost_usd x the
 *     change of the rate it paid. That rate is the blend of the input and
 *     output rates its recorded cost implies (cost / tokens lies between the
 *     two; outside, the nearer end); with equal rates, the output rate.
 *
 * Calls that cannot be compared stay out of the margin and are counted apart:
 * `unbilled` (no active rule on either side), `billing_stops` (the rule is
 * deactivated or deleted: its revenue goes, its calls remain),
 * `billing_starts`, `no_price_after` (the model is deleted or deactivated, or
 * has no rate for the unit: not a saving) and `unpriced` (a model the live
 * catalog cannot price either: nothing to reprice from).
 *
 * ceil() is per call, so sums of tokens are not enough: the reader sums
 * max(ceil(t / k), m) in the database for each (k, m) the rules use.
 */

export type CostMethod = "token_counts" | "image_counts" | "scaled";
export const COST_METHODS: readonly CostMethod[] = ["token_counts", "image_counts", "scaled"];

export type LineStatus = "compared" | "unbilled" | "billing_starts" | "billing_stops" | "no_price_after" | "unpriced";
/** The statuses kept apart from the margin, in display order. */
export const APART: readonly Exclude<LineStatus, "compared">[] = ["billing_stops", "billing_starts", "no_price_after", "unpriced", "unbilled"];

export interface RevenueFigures {
  credits: number;
  revenue: string;
  /** null when the call cannot be priced on that side. */
  cost: string | null;
  margin: string | null;
  margin_pct: string | null;
}

export interface RevenueLine {
  operation_type: string;
  model_id: string | null;
  unit: "image" | "tokens" | null;
  calls: number;
  /** Images for image operations, tokens for token operations. */
  units: number;
  /** Accounts with calls in this line. */
  accounts: number;
  status: LineStatus;
  /** Whether the rule or the model's prices differ between live and desired. */
  changed: boolean;
  /** null when the operation has no active rule on that side (not billed). */
  before: RevenueFigures | null;
  after: RevenueFigures | null;
  /** Calls whose "after" cost each method priced. */
  cost_methods: Record<CostMethod, number>;
}

export interface RevenueTotals {
  revenue: string;
  cost: string;
  margin: string;
  margin_pct: string | null;
}

export interface ApartTotals {
  status: Exclude<LineStatus, "compared">;
  calls: number;
  revenue_before: string | null;
  revenue_after: string | null;
  cost_before: string;
}

export interface RevenueImpact {
  days: number;
  since: string;
  until: string;
  basis: { before: "recorded"; after: "repriced" };
  /** Every call in the window. */
  calls: number;
  /** Calls in the margin comparison (billed and priced on both sides). */
  compared_calls: number;
  lines: RevenueLine[];
  /** Over the compared calls only. */
  totals: { before: RevenueTotals; after: RevenueTotals; change: { revenue: string; cost: string; margin: string } };
  /** Calls kept out of the margin, by why. */
  apart: ApartTotals[];
  /** Compared calls per method of the "after" cost. */
  cost_methods: Record<CostMethod, number>;
  /** The log as recorded, every call: credits charged and the exact sum of cost_usd. */
  recorded: { credits: number; cost: string };
}

const MILLION = dec(1_000_000);
const usd = usdFigure;
const pctOf = (margin: Dec, revenue: Dec) => (revenue.isZero() ? null : pctFigure(margin.div(revenue)));
const noMethods = (): Record<CostMethod, number> => ({ token_counts: 0, image_counts: 0, scaled: 0 });

function decField(r: Resource | undefined, name: string): Dec | null {
  const v = r?.fields[name];
  return typeof v === "string" || typeof v === "number" ? dec(v) : null;
}

interface Side {
  rules: Map<string, Resource>;
  models: Map<string, Resource>;
}

function sideOf(resources: readonly Resource[]): Side {
  return {
    rules: new Map(creditRules(resources).map((r) => [r.key.operation_type ?? r.address, r])),
    models: new Map(resources.filter((r) => r.kind === "model").map((r) => [r.key.model_id ?? r.address, r])),
  };
}

const activeRule = (side: Side, op: string) => {
  const rule = side.rules.get(op);
  return rule && rule.fields.is_active !== false && decField(rule, "price_per_credit_usd") !== null ? rule : undefined;
};
const activeModel = (side: Side, id: string | null) => {
  const model = id === null ? undefined : side.models.get(id);
  return model && model.fields.is_active !== false ? model : undefined;
};

/** The fields that decide a line's price, to tell whether the change under review touches it. */
const RULE_FIELDS = ["unit", "credits", "min_credits", "tokens_per_credit", "price_per_credit_usd", "is_active"];
const MODEL_FIELDS = ["model_type", "input_token_rate", "output_token_rate", "cost_per_image", "is_active"];
const priceOf = (r: Resource | undefined, fields: readonly string[]) => (r ? JSON.stringify(fields.map((f) => r.fields[f] ?? null)) : "none");

/** One (operation, model) line: the account groups summed. */
type Group = Omit<UsageAggregate, "account"> & { accounts: number };

function groupLines(aggregates: readonly UsageAggregate[]): Group[] {
  const byKey = new Map<string, Group>();
  for (const a of aggregates) {
    const key = `${a.operation_type}\0${a.model_id ?? ""}`;
    const g = byKey.get(key);
    if (!g) {
      const { account: _account, ...rest } = a;
      byKey.set(key, { ...rest, token_credits: { ...a.token_credits }, accounts: 1 });
      continue;
    }
    g.calls += a.calls;
    g.images += a.images;
    g.tokens += a.tokens;
    g.recorded_credits += a.recorded_credits;
    g.recorded_cost_usd = dec(g.recorded_cost_usd).plus(dec(a.recorded_cost_usd)).toFixed();
    g.split_calls += a.split_calls;
    g.input_tokens += a.input_tokens;
    g.output_tokens += a.output_tokens;
    g.split_cost_usd = dec(g.split_cost_usd).plus(dec(a.split_cost_usd)).toFixed();
    for (const [k, v] of Object.entries(a.token_credits)) g.token_credits[k] = (g.token_credits[k] ?? 0) + v;
    g.accounts += 1;
  }
  return [...byKey.values()].sort((a, b) => cmp(a.operation_type, b.operation_type) || cmp(a.model_id ?? "", b.model_id ?? ""));
}

/** Credits the desired rule charges for a group; null when it cannot say (not billed). */
function creditsAfter(g: Group, rule: Resource): number | null {
  if (rule.fields.unit === "image") return Math.max(int(rule.fields.credits) ?? 0, int(rule.fields.min_credits) ?? 0) * g.images;
  const terms = tokenTermsOf(rule);
  const summed = terms ? g.token_credits[termsKey(terms)] : undefined;
  return summed ?? null;
}

/** The rate a token call without the split paid: its cost per token placed between the input and output rates. */
function blendWeight(costPerToken: Dec | null, input: Dec, output: Dec): Dec {
  if (output.eq(input) || costPerToken === null) return dec(1);
  const w = costPerToken.minus(input).div(output.minus(input));
  return w.lt(0) ? dec(0) : w.gt(1) ? dec(1) : w;
}

/** The group's provider cost under the desired catalog, with the calls each method priced; null when it cannot be priced. */
function costAfter(g: Group, unit: "image" | "tokens" | null, live: Resource | undefined, desired: Resource | undefined): { cost: Dec; methods: Record<CostMethod, number> } | null {
  const methods = noMethods();
  if (!desired) return null;
  if (unit === "image") {
    const each = desired.fields.model_type === "image" ? decField(desired, "cost_per_image") : null;
    if (each === null) return null;
    methods.image_counts = g.calls;
    return { cost: each.times(g.images), methods };
  }
  if (desired.fields.model_type !== "text") return null;
  const outAfter = decField(desired, "output_token_rate");
  if (outAfter === null) return null;
  const inAfter = decField(desired, "input_token_rate") ?? outAfter;
  let cost = dec(g.input_tokens).times(inAfter).plus(dec(g.output_tokens).times(outAfter)).div(MILLION);
  methods.token_counts = g.split_calls;
  const restCalls = g.calls - g.split_calls;
  if (restCalls > 0) {
    const restCost = dec(g.recorded_cost_usd).minus(dec(g.split_cost_usd));
    const outBefore = live?.fields.model_type === "text" ? decField(live, "output_token_rate") : null;
    if (outBefore === null) return null;
    const inBefore = decField(live, "input_token_rate") ?? outBefore;
    const restTokens = Math.max(0, g.tokens - g.input_tokens - g.output_tokens);
    const w = blendWeight(restTokens > 0 ? restCost.times(MILLION).div(restTokens) : null, inBefore, outBefore);
    const rateBefore = inBefore.plus(outBefore.minus(inBefore).times(w));
    const rateAfter = inAfter.plus(outAfter.minus(inAfter).times(w));
    if (rateBefore.isZero() && !restCost.isZero()) return null;
    cost = cost.plus(rateBefore.isZero() ? dec(0) : restCost.times(rateAfter).div(rateBefore));
    methods.scaled = restCalls;
  }
  return { cost, methods };
}

function figures(credits: number, revenue: Dec, cost: Dec | null): RevenueFigures {
  const margin = cost === null ? null : revenue.minus(cost);
  return {
    credits,
    revenue: usd(revenue),
    cost: cost === null ? null : usd(cost),
    margin: margin === null ? null : usd(margin),
    margin_pct: margin === null ? null : pctOf(margin, revenue),
  };
}

interface Replayed {
  line: RevenueLine;
  revenueBefore: Dec | null;
  revenueAfter: Dec | null;
  costBefore: Dec;
  costAfter: Dec | null;
}

function replayLine(g: Group, before: Side, after: Side): Replayed {
  const ruleB = activeRule(before, g.operation_type);
  const ruleA = activeRule(after, g.operation_type);
  const unitField = (ruleA ?? ruleB ?? after.rules.get(g.operation_type) ?? before.rules.get(g.operation_type))?.fields.unit;
  const unit = unitField === "image" || unitField === "tokens" ? unitField : null;
  const modelB = activeModel(before, g.model_id);
  const modelA = activeModel(after, g.model_id);

  const costBefore = dec(g.recorded_cost_usd);
  const revenueBefore = ruleB ? decField(ruleB, "price_per_credit_usd")!.times(g.recorded_credits) : null;
  const creditsA = ruleA ? creditsAfter(g, ruleA) : null;
  const revenueAfter = ruleA && creditsA !== null ? decField(ruleA, "price_per_credit_usd")!.times(creditsA) : null;
  const priced = costAfter(g, unit, modelB, modelA);

  let status: LineStatus;
  if (revenueBefore === null && revenueAfter === null) status = "unbilled";
  else if (revenueAfter === null) status = "billing_stops";
  else if (revenueBefore === null) status = "billing_starts";
  else if (!priced) status = modelB && costAfter(g, unit, modelB, modelB) ? "no_price_after" : "unpriced";
  else status = "compared";

  const changed =
    priceOf(before.rules.get(g.operation_type), RULE_FIELDS) !== priceOf(after.rules.get(g.operation_type), RULE_FIELDS) ||
    (g.model_id !== null && priceOf(before.models.get(g.model_id), MODEL_FIELDS) !== priceOf(after.models.get(g.model_id), MODEL_FIELDS));
  return {
    line: {
      operation_type: g.operation_type,
      model_id: g.model_id,
      unit,
      calls: g.calls,
      units: unit === "image" ? g.images : g.tokens,
      accounts: g.accounts,
      status,
      changed,
      before: revenueBefore === null ? null : figures(g.recorded_credits, revenueBefore, costBefore),
      after: revenueAfter === null || creditsA === null ? null : figures(creditsA, revenueAfter, priced?.cost ?? null),
      cost_methods: priced?.methods ?? noMethods(),
    },
    revenueBefore,
    revenueAfter,
    costBefore,
    costAfter: priced?.cost ?? null,
  };
}

function totals(revenue: Dec, cost: Dec): RevenueTotals {
  const margin = revenue.minus(cost);
  return { revenue: usd(revenue), cost: usd(cost), margin: usd(margin), margin_pct: pctOf(margin, revenue) };
}

/** The replay itself: pure decimal arithmetic over the aggregates. */
export function replayRevenue(input: {
  aggregates: readonly UsageAggregate[];
  live: readonly Resource[];
  desired: readonly Resource[];
  days: number;
  since: string;
  until: string;
}): RevenueImpact {
  const before = sideOf(input.live);
  const after = sideOf(input.desired);
  const replayed = groupLines(input.aggregates).map((g) => replayLine(g, before, after));

  const sum = { rb: dec(0), ra: dec(0), cb: dec(0), ca: dec(0) };
  const methods = noMethods();
  const apart = new Map<Exclude<LineStatus, "compared">, { calls: number; rb: Dec | null; ra: Dec | null; cb: Dec }>();
  let compared = 0;
  for (const r of replayed) {
    const status = r.line.status;
    if (status === "compared") {
      compared += r.line.calls;
      sum.rb = sum.rb.plus(r.revenueBefore!);
      sum.ra = sum.ra.plus(r.revenueAfter!);
      sum.cb = sum.cb.plus(r.costBefore);
      sum.ca = sum.ca.plus(r.costAfter!);
      for (const m of COST_METHODS) methods[m] += r.line.cost_methods[m];
      continue;
    }
    const acc = apart.get(status) ?? { calls: 0, rb: null, ra: null, cb: dec(0) };
    acc.calls += r.line.calls;
    if (r.revenueBefore) acc.rb = (acc.rb ?? dec(0)).plus(r.revenueBefore);
    if (r.revenueAfter) acc.ra = (acc.ra ?? dec(0)).plus(r.revenueAfter);
    acc.cb = acc.cb.plus(r.costBefore);
    apart.set(status, acc);
  }
  const recordedCost = input.aggregates.reduce((s, g) => s.plus(dec(g.recorded_cost_usd)), dec(0));
  return {
    days: input.days,
    since: input.since,
    until: input.until,
    basis: { before: "recorded", after: "repriced" },
    calls: replayed.reduce((n, r) => n + r.line.calls, 0),
    compared_calls: compared,
    lines: replayed.map((r) => r.line),
    totals: {
      before: totals(sum.rb, sum.cb),
      after: totals(sum.ra, sum.ca),
      change: {
        revenue: usd(sum.ra.minus(sum.rb)),
        cost: usd(sum.ca.minus(sum.cb)),
        margin: usd(sum.ra.minus(sum.ca).minus(sum.rb.minus(sum.cb))),
      },
    },
    apart: APART.filter((s) => apart.has(s)).map((status) => {
      const a = apart.get(status)!;
      return { status, calls: a.calls, revenue_before: a.rb && usd(a.rb), revenue_after: a.ra && usd(a.ra), cost_before: usd(a.cb) };
    }),
    cost_methods: methods,
    recorded: { credits: input.aggregates.reduce((n, g) => n + g.recorded_credits, 0), cost: recordedCost.toFixed() },
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
