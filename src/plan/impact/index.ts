import type { Resource } from "../../domain/resources.js";
import type { Change } from "../change.js";
import { blastRadius, type BlastRadius } from "./blast-radius.js";
import type { Audience, UsageWindow } from "../../domain/usage.js";
import { replayRevenue, type RevenueImpact } from "./revenue.js";

export type { Audience, UsageWindow } from "../../domain/usage.js";

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
  audience?: Audience | undefined;
}): { revenue?: RevenueImpact; blast_radius: BlastRadius } {
  // An empty log says nothing about usage: the reach by usage is left out rather than shown as zero.
  const usage = input.usage && input.usage.aggregates.length > 0 ? input.usage : undefined;
  const blast_radius = blastRadius({ ...input, usage });
  if (!usage) return { blast_radius };
  return { revenue: replayRevenue({ ...usage, live: input.live, desired: input.desired }), blast_radius };
}
