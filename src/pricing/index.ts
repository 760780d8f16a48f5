import type { Resource } from "../domain/resources.js";
import type { Change } from "../plan/types.js";
import { blastRadius, type BlastRadius } from "./blast-radius.js";
import { readUsageAggregates, replayRevenue, tokenTermsOfRules, usageWindowStart, type RawQuery, type RevenueImpact, type UsageAggregate } from "./revenue.js";

export type { BlastRadius } from "./blast-radius.js";
export type { RawQuery, RevenueImpact, UsageAggregate } from "./revenue.js";
export { renderImpactMarkdown, renderImpactText } from "./render.js";

export const DEFAULT_REVENUE_DAYS = 30;

/** What a plan needs from credit_usage_log: read once, at the edge, before the pure plan is built. */
export interface UsageWindow {
  days: number;
  since: string;
  aggregates: UsageAggregate[];
}

/** The usage window for a plan: one aggregate query, whatever the log's size. */
export async function readUsageWindow(
  db: RawQuery,
  live: readonly Resource[],
  desired: readonly Resource[],
  opts: { now: Date; days?: number },
): Promise<UsageWindow> {
  const days = opts.days ?? DEFAULT_REVENUE_DAYS;
  const since = usageWindowStart(opts.now, days);
  return { days, since, aggregates: await readUsageAggregates(db, since, tokenTermsOfRules(live, desired)) };
}

/** The plan's revenue and blast-radius impact. Pure. Revenue only when the log has rows in the window. */
export function pricingImpact(input: {
  desired: readonly Resource[];
  live: readonly Resource[];
  changes: readonly Change[];
  accounts: Iterable<string>;
  usage?: UsageWindow | undefined;
}): { revenue?: RevenueImpact; blast_radius: BlastRadius } {
  const blast_radius = blastRadius(input);
  const usage = input.usage;
  if (!usage || usage.aggregates.length === 0) return { blast_radius };
  return { revenue: replayRevenue({ ...usage, live: input.live, desired: input.desired }), blast_radius };
}
