import { dec, type Dec } from "../../domain/money.js";
import type { Resource } from "../../domain/resources.js";
import { creditRules, safeInt as int, termsKey, tokenTermsOf, type UsageAggregate } from "../../domain/usage.js";

export { termsKey, tokenTermsOfRules, usageWindowStart, type TokenTerms, type UsageAggregate } from "../../domain/usage.js";

/*
 * Revenue impact (SPEC §7): replay the last N days of credit_usage_log under
 * the live prices (before) and the desired prices (after).
 *
 * Charge (SPEC §2.3): token operations max(ceil(tokens / tokens_per_credit),
 * min_credits) credits per call; image operations max(credits, min_credits)
 * per image; revenue = credits x price_per_credit_usd.
 *
 * Provider cost is repriced from the catalog on BOTH sides (live catalog
 * before, desired catalog after): image = cost_per_image x images; tokens =
 * tokens / 1M x output_token_rate, the same conservative side as the margin
 * table. Replaying "before" too (rather than taking the log's cost_usd) makes
 * before and after differ only by the change under review: a plan with no
 * price change shows identical columns. The log's own figures are kept as
 * `recorded` (credits actually charged, cost actually logged) for reference.
 *
 * ceil() is per call, so sums of tokens are not enough. The reader asks the
 * database, in the one aggregate query, for SUM(max(ceil(t / k), m)) for every
 * (tokens_per_credit k, min_credits m) pair that the live or desired rules use:
 * exact, and the result has one row per (operation, model) whatever the row count.
 */

export interface RevenueFigures {
  credits: number;
  revenue: string;
  /** null when the model has no price for the unit on that side (unknown or removed model). */
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
  /** null when the operation has no active rule on that side (not billed). */
  before: RevenueFigures | null;
  after: RevenueFigures | null;
}

export interface RevenueTotals {
  revenue: string;
  cost: string;
  margin: string;
  margin_pct: string | null;
  /** Calls whose cost could not be priced (counted in revenue, not in cost). */
  unpriced_calls: number;
}

export interface RevenueImpact {
  days: number;
  since: string;
  cost_basis: "catalog";
  calls: number;
  lines: RevenueLine[];
  totals: { before: RevenueTotals; after: RevenueTotals; change: { revenue: string; cost: string; margin: string } };
  recorded: { credits: number; cost: string };
}

const MILLION = dec(1_000_000);
const usd = (v: Dec) => v.toDecimalPlaces(6).toFixed();
const pctOf = (margin: Dec, revenue: Dec) => (revenue.isZero() ? null : margin.div(revenue).times(100).toDecimalPlaces(2).toFixed(2));

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

interface Priced {
  figures: RevenueFigures;
  revenue: Dec;
  cost: Dec | null;
}

/** One group under one side's prices; null when the operation is not billed there. */
function price(group: UsageAggregate, side: Side): Priced | null {
  const rule = side.rules.get(group.operation_type);
  if (!rule || rule.fields.is_active === false) return null;
  const perCredit = decField(rule, "price_per_credit_usd");
  if (perCredit === null) return null;
  const model = group.model_id === null ? undefined : side.models.get(group.model_id);

  let credits: number;
  let cost: Dec | null;
  if (rule.fields.unit === "image") {
    credits = Math.max(int(rule.fields.credits) ?? 0, int(rule.fields.min_credits) ?? 0) * group.images;
    const each = model?.fields.model_type === "image" ? decField(model, "cost_per_image") : null;
    cost = each === null ? null : each.times(group.images);
  } else {
    const terms = tokenTermsOf(rule);
    const summed = terms ? group.token_credits[termsKey(terms)] : undefined;
    if (summed === undefined) return null;
    credits = summed;
    const rate = model?.fields.model_type === "text" ? decField(model, "output_token_rate") : null;
    cost = rate === null ? null : rate.times(group.tokens).div(MILLION);
  }
  const revenue = perCredit.times(credits);
  const margin = cost === null ? null : revenue.minus(cost);
  return {
    revenue,
    cost,
    figures: {
      credits,
      revenue: usd(revenue),
      cost: cost === null ? null : usd(cost),
      margin: margin === null ? null : usd(margin),
      margin_pct: margin === null ? null : pctOf(margin, revenue),
    },
  };
}

function totalsOf(priced: { p: Priced | null; calls: number }[]): { figures: RevenueTotals; revenue: Dec; cost: Dec } {
  let revenue = dec(0);
  let cost = dec(0);
  let unpriced = 0;
  for (const { p, calls } of priced) {
    if (!p) continue;
    revenue = revenue.plus(p.revenue);
    if (p.cost === null) unpriced += calls;
    else cost = cost.plus(p.cost);
  }
  const margin = revenue.minus(cost);
  return {
    revenue,
    cost,
    figures: { revenue: usd(revenue), cost: usd(cost), margin: usd(margin), margin_pct: pctOf(margin, revenue), unpriced_calls: unpriced },
  };
}

/** The replay itself: pure decimal arithmetic over the aggregates. */
export function replayRevenue(input: {
  aggregates: readonly UsageAggregate[];
  live: readonly Resource[];
  desired: readonly Resource[];
  days: number;
  since: string;
}): RevenueImpact {
  const before = sideOf(input.live);
  const after = sideOf(input.desired);
  const groups = [...input.aggregates].sort(
    (a, b) => cmp(a.operation_type, b.operation_type) || cmp(a.model_id ?? "", b.model_id ?? ""),
  );
  const rows = groups.map((g) => {
    const b = price(g, before);
    const a = price(g, after);
    const unitField = (after.rules.get(g.operation_type) ?? before.rules.get(g.operation_type))?.fields.unit;
    const unit = unitField === "image" || unitField === "tokens" ? unitField : null;
    const line: RevenueLine = {
      operation_type: g.operation_type,
      model_id: g.model_id,
      unit,
      calls: g.calls,
      units: unit === "image" ? g.images : g.tokens,
      before: b?.figures ?? null,
      after: a?.figures ?? null,
    };
    return { line, b, a, calls: g.calls };
  });
  const tb = totalsOf(rows.map((r) => ({ p: r.b, calls: r.calls })));
  const ta = totalsOf(rows.map((r) => ({ p: r.a, calls: r.calls })));
  let recordedCost = dec(0);
  for (const g of groups) recordedCost = recordedCost.plus(dec(g.recorded_cost_usd || "0"));
  return {
    days: input.days,
    since: input.since,
    cost_basis: "catalog",
    calls: groups.reduce((n, g) => n + g.calls, 0),
    lines: rows.map((r) => r.line),
    totals: {
      before: tb.figures,
      after: ta.figures,
      change: {
        revenue: usd(ta.revenue.minus(tb.revenue)),
        cost: usd(ta.cost.minus(tb.cost)),
        margin: usd(ta.revenue.minus(ta.cost).minus(tb.revenue.minus(tb.cost))),
      },
    },
    recorded: { credits: groups.reduce((n, g) => n + g.recorded_credits, 0), cost: usd(recordedCost) },
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
