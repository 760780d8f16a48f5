import type { Resource } from "../../domain/resources.js";
import type { Change } from "../change.js";
import { blastRadius, type BlastRadius } from "./blast-radius.js";
import type { UsageWindow } from "../../domain/usage.js";
import { replayRevenue, type RevenueImpact } from "./revenue.js";

export type { UsageWindow } from "../../domain/usage.js";

export type { BlastRadius } from "./blast-radius.js";
export type { RevenueImpact, UsageAggregate } from "./revenue.js";

export const DEFAULT_REVENUE_DAYS = 30;

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
