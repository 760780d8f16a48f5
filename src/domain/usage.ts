import type { Resource } from "./resources.js";

/*
 * What the revenue replay needs from credit_usage_log, shared by its pure
 * core (plan/impact/revenue.ts) and the store's one aggregate query
 * (store/usage.ts): the per-call billing terms of token operations, the
 * window, and the shape of an aggregate row.
 */

/** The billing terms of a token operation: what the per-call credit formula needs. */
export interface TokenTerms {
  tokens_per_credit: number;
  min_credits: number;
}

export const termsKey = (t: TokenTerms) => `${t.tokens_per_credit}:${t.min_credits}`;

/**
 * One (account, operation, model) group of the usage window, as the database
 * sums it. Sums of money are exact decimal strings on both databases.
 */
export interface UsageAggregate {
  /** The account's slug (`#<id>` when the account row is gone). */
  account: string;
  operation_type: string;
  model_id: string | null;
  calls: number;
  /** Images generated (a call with no `images` counts as one). */
  images: number;
  /** tokens_used, or input + output when only the split is logged. */
  tokens: number;
  recorded_credits: number;
  /** Sum of the log's cost_usd, a decimal string. */
  recorded_cost_usd: string;
  /** Calls that log input_tokens AND output_tokens: the replay reprices these exactly. */
  split_calls: number;
  input_tokens: number;
  output_tokens: number;
  /** Sum of cost_usd over the split calls. */
  split_cost_usd: string;
  /** termsKey -> sum over calls of max(ceil(tokens / k), m). */
  token_credits: Record<string, number>;
}

/**
 * Who the runtime serves, for the blast radius: users per account and the
 * model each user (or account) names in its `ai_settings` setting.
 */
export interface Audience {
  /** account slug -> number of users. */
  users: Record<string, number>;
  /** Users whose own ai_settings names a model. */
  user_models: { account: string; user: number; model: string }[];
}

/** What a plan needs from credit_usage_log: read once, at the edge, before the pure plan is built. */
export interface UsageWindow {
  days: number;
  /** The window [since, until): instants, ISO 8601 UTC. */
  since: string;
  until: string;
  aggregates: UsageAggregate[];
}

/** The window start, `days` before `now` (handed in: the core never reads the clock). */
export function usageWindowStart(now: Date, days: number): string {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer, got ${days}`);
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

export const creditRules = (rs: readonly Resource[]) => rs.filter((r) => r.kind === "credit");
export const safeInt = (v: unknown): number | null => (typeof v === "number" && Number.isSafeInteger(v) ? v : null);

export function tokenTermsOf(rule: Resource): TokenTerms | null {
  const k = safeInt(rule.fields.tokens_per_credit);
  if (rule.fields.unit !== "tokens" || k === null || k < 1) return null;
  return { tokens_per_credit: k, min_credits: Math.max(0, safeInt(rule.fields.min_credits) ?? 0) };
}

/** The distinct token billing terms the live and desired rules use: what the reader must sum. */
export function tokenTermsOfRules(...sides: (readonly Resource[])[]): TokenTerms[] {
  const byKey = new Map<string, TokenTerms>();
  for (const side of sides) {
    for (const rule of creditRules(side)) {
      const t = tokenTermsOf(rule);
      if (t) byKey.set(termsKey(t), t);
    }
  }
  return [...byKey.values()].sort((a, b) => a.tokens_per_credit - b.tokens_per_credit || a.min_credits - b.min_credits);
}

