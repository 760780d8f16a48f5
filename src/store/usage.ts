import { dec } from "../domain/money.js";
import type { Resource } from "../domain/resources.js";
import { termsKey, tokenTermsOfRules, usageWindowStart, type TokenTerms, type UsageAggregate, type UsageWindow } from "../domain/usage.js";

/*
 * The usage-log read behind the revenue replay: one aggregate query over
 * credit_usage_log, whatever its size (see plan/impact/revenue.ts for what
 * the replay does with it).
 */

/** What the reader needs of a connection: the dialect and a raw query. The Store or the runtime's SqlDb both fit. */
export interface RawQuery {
  dialect: "sqlite" | "postgresql";
  query(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
}

/**
 * The one aggregate query over the usage window. Terms are validated integers
 * inlined as literals (they are our own config values, never user text); the
 * window start is the only parameter.
 */
export function usageAggregateSql(dialect: RawQuery["dialect"], terms: readonly TokenTerms[]): string {
  const tokens = "COALESCE(tokens_used, 0)";
  const termColumns = terms.map((t, i) => {
    const k = t.tokens_per_credit;
    const m = t.min_credits;
    if (!Number.isSafeInteger(k) || k < 1 || !Number.isSafeInteger(m) || m < 0) throw new RangeError(`bad token terms ${termsKey(t)}`);
    // Integer division rounds down in both dialects: ceil(t / k) = (t + k - 1) / k for t >= 0.
    const ceil = `((${tokens} + ${k - 1}) / ${k})`;
    return `,\n  SUM(CASE WHEN ${ceil} < ${m} THEN ${m} ELSE ${ceil} END) AS t${i}`;
  });
  const sqlite = dialect === "sqlite";
  // SQLite keeps cost_usd as decimal TEXT and would SUM it as a binary float: sum exact nano-dollars instead.
  const recordedCost = sqlite
    ? "CAST(SUM(CAST(ROUND(CAST(cost_usd AS REAL) * 1000000000) AS INTEGER)) AS TEXT)"
    : "CAST(SUM(cost_usd) AS TEXT)";
  // SQLite stores timestamps as text in whichever spelling the writer used (Prisma's ISO with offset, 'Z',
  // CURRENT_TIMESTAMP's 'YYYY-MM-DD HH:MM:SS'). All start with the date, so whole days compare lexically;
  // only the window's first day needs julianday() to compare exactly.
  // NOT INDEXED: SQLite has no range statistics and picks the created_at index, whose row-by-row lookups
  // measured 2-3x slower than a scan for 7- and 30-day windows over 60 days of 1M rows (see bench.ts).
  const window = sqlite
    ? "created_at >= ? AND (created_at >= ? OR julianday(created_at) >= julianday(?))"
    : "created_at >= $1::timestamp";
  return (
    `SELECT operation_type, model_id, COUNT(*) AS calls,\n` +
    `  SUM(COALESCE(images, 1)) AS images,\n` +
    `  SUM(${tokens}) AS tokens,\n` +
    `  SUM(credits_used) AS recorded_credits,\n` +
    `  ${recordedCost} AS recorded_cost` +
    termColumns.join("") +
    `\nFROM credit_usage_log${sqlite ? " NOT INDEXED" : ""}\nWHERE ${window}\nGROUP BY operation_type, model_id`
  );
}

/** Usage since `sinceIso`, summed per (operation, model), with the per-call credit sums for each of `terms`. */
export async function readUsageAggregates(db: RawQuery, sinceIso: string, terms: readonly TokenTerms[] = []): Promise<UsageAggregate[]> {
  const since = new Date(sinceIso);
  if (Number.isNaN(since.getTime())) throw new RangeError(`not a timestamp: ${sinceIso}`);
  const iso = since.toISOString();
  const firstDay = iso.slice(0, 10);
  const nextDay = new Date(Date.parse(firstDay) + 86_400_000).toISOString().slice(0, 10);
  const params = db.dialect === "sqlite" ? [firstDay, nextDay, iso] : [iso.replace("Z", "")];
  const rows = await db.query(usageAggregateSql(db.dialect, terms), params);
  return rows.map((row) => {
    const recorded = row.recorded_cost == null ? "0" : String(row.recorded_cost);
    return {
      operation_type: String(row.operation_type),
      model_id: row.model_id == null ? null : String(row.model_id),
      calls: Number(row.calls),
      images: Number(row.images ?? 0),
      tokens: Number(row.tokens ?? 0),
      recorded_credits: Number(row.recorded_credits ?? 0),
      recorded_cost_usd: db.dialect === "sqlite" ? dec(recorded).div(1_000_000_000).toFixed() : dec(recorded).toFixed(),
      token_credits: Object.fromEntries(terms.map((t, i) => [termsKey(t), Number(row[`t${i}`] ?? 0)])),
    };
  });
}

/** The usage window for a plan: one aggregate query, whatever the log's size. */
export async function readUsageWindow(
  db: RawQuery,
  live: readonly Resource[],
  desired: readonly Resource[],
  opts: { now: Date; days: number },
): Promise<UsageWindow> {
  const days = opts.days;
  const since = usageWindowStart(opts.now, days);
  return { days, since, aggregates: await readUsageAggregates(db, since, tokenTermsOfRules(live, desired)) };
}
