import { dec, type Dec } from "../domain/money.js";
import type { Resource } from "../domain/resources.js";
import {
  termsKey,
  tokenTermsOfRules,
  usageWindowStart,
  type Audience,
  type TokenTerms,
  type UsageAggregate,
  type UsageWindow,
} from "../domain/usage.js";

/*
 * The usage-log reads behind the revenue replay and the blast radius: one
 * aggregate query over credit_usage_log, whatever its size, and two small
 * reads of who the runtime serves (users per account, their ai_settings).
 * Plain SQL through the connection's query function (the Store or the
 * runtime's SqlDb).
 *
 * The window is [since, until) on instants, on both databases:
 * - PostgreSQL keeps created_at as a UTC timestamp: two bound parameters.
 * - SQLite keeps it as text in whichever spelling the writer used (Prisma's ISO
 *   with an offset, 'Z', CURRENT_TIMESTAMP's 'YYYY-MM-DD HH:MM:SS', or a
 *   non-UTC offset such as +02:00). Every spelling starts with its local date,
 *   and an offset moves the instant by at most 14 hours, so: rows dated more
 *   than a day outside the window are skipped lexically (the index-friendly
 *   part), rows dated two days inside it are in, and only the rows near either
 *   edge are compared as instants with julianday(), which reads the offset.
 *
 * Sums of cost_usd are exact on both: PostgreSQL sums NUMERIC; SQLite keeps
 * the decimal as TEXT and would SUM it as a binary float, so the query sums the
 * integer part and the first 18 decimals as three integer columns (9 decimals
 * each, no overflow below 10^9 rows), and the rare value it cannot split
 * (exponent, sign, more decimals) is read back row by row and added in decimal.
 */

/** What the reader needs of a connection: the dialect and a raw query. The Store or the runtime's SqlDb both fit. */
export interface RawQuery {
  dialect: "sqlite" | "postgresql";
  query(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>;
}

const TOKENS = "COALESCE(tokens_used, input_tokens + output_tokens, 0)";
const SPLIT = "(input_tokens IS NOT NULL AND output_tokens IS NOT NULL)";
const SPLIT_COST = `CASE WHEN ${SPLIT} THEN cost_usd END`;

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The WHERE clause of the window and its parameters. */
export function windowCondition(dialect: RawQuery["dialect"], since: Date, until: Date): { sql: string; params: unknown[] } {
  if (dialect === "postgresql") {
    return { sql: "created_at >= $1::timestamp AND created_at < $2::timestamp", params: [since.toISOString().replace("Z", ""), until.toISOString().replace("Z", "")] };
  }
  const first = Date.parse(dayOf(since.getTime()));
  const last = Date.parse(dayOf(until.getTime()));
  return {
    sql:
      "created_at >= ? AND created_at < ? AND ((created_at >= ? AND created_at < ?)" +
      " OR (julianday(created_at) >= julianday(?) AND julianday(created_at) < julianday(?)))",
    params: [dayOf(first - DAY), dayOf(last + 2 * DAY), dayOf(first + 2 * DAY), dayOf(last - DAY), since.toISOString(), until.toISOString()],
  };
}

/* SQLite's exact decimal sum: integer part + two 9-digit slices of the fraction. */
const text = (expr: string) => `CAST(${expr} AS TEXT)`;
const plainDecimal = (c: string) =>
  `(${c} NOT GLOB '*[^0-9.]*' AND ${c} GLOB '*[0-9]*' AND ${c} NOT GLOB '*.*.*' AND (instr(${c}, '.') = 0 OR length(${c}) - instr(${c}, '.') <= 18))`;
function sqliteExactSum(expr: string, alias: string): string {
  const c = text(expr);
  const whole = `CAST(CASE WHEN instr(${c}, '.') > 0 THEN substr(${c}, 1, instr(${c}, '.') - 1) ELSE ${c} END AS INTEGER)`;
  const frac = `substr(CASE WHEN instr(${c}, '.') > 0 THEN substr(${c}, instr(${c}, '.') + 1) ELSE '' END || '000000000000000000', 1, 18)`;
  const when = (v: string) => `SUM(CASE WHEN ${plainDecimal(c)} THEN ${v} END)`;
  return [
    `${when(whole)} AS ${alias}_w`,
    `${when(`CAST(substr(${frac}, 1, 9) AS INTEGER)`)} AS ${alias}_h`,
    `${when(`CAST(substr(${frac}, 10, 9) AS INTEGER)`)} AS ${alias}_l`,
    `SUM(CASE WHEN ${c} IS NOT NULL AND NOT ${plainDecimal(c)} THEN 1 ELSE 0 END) AS ${alias}_odd`,
  ].join(",\n  ");
}
function sqliteSumValue(row: Record<string, unknown>, alias: string): Dec {
  const n = (k: string) => dec(String(row[`${alias}_${k}`] ?? 0));
  return n("w").plus(n("h").div(1e9)).plus(n("l").div("1e18"));
}

/**
 * The one aggregate query over the usage window. Terms are validated integers
 * inlined as literals (they are our own config values, never user text); the
 * window's bounds are bound parameters.
 */
export function usageAggregateSql(dialect: RawQuery["dialect"], terms: readonly TokenTerms[], where: string): string {
  const termColumns = terms.map((t, i) => {
    const k = t.tokens_per_credit;
    const m = t.min_credits;
    if (!Number.isSafeInteger(k) || k < 1 || !Number.isSafeInteger(m) || m < 0) throw new RangeError(`bad token terms ${termsKey(t)}`);
    // Integer division rounds down in both dialects: ceil(t / k) = (t + k - 1) / k for t >= 0.
    const ceil = `((${TOKENS} + ${k - 1}) / ${k})`;
    return `,\n  SUM(CASE WHEN ${ceil} < ${m} THEN ${m} ELSE ${ceil} END) AS t${i}`;
  });
  const sqlite = dialect === "sqlite";
  const costs = sqlite
    ? `${sqliteExactSum("cost_usd", "cost")},\n  ${sqliteExactSum(SPLIT_COST, "split_cost")}`
    : `CAST(SUM(cost_usd) AS TEXT) AS cost,\n  CAST(SUM(${SPLIT_COST}) AS TEXT) AS split_cost`;
  // NOT INDEXED: SQLite has no range statistics and picks the created_at index, whose row-by-row lookups
  // measured 2-3x slower than a scan for 7- and 30-day windows over 60 days of 1M rows (see bench/).
  const grouped =
    `SELECT account_id, operation_type, model_id, COUNT(*) AS calls,\n` +
    `  SUM(COALESCE(images, 1)) AS images,\n` +
    `  SUM(${TOKENS}) AS tokens,\n` +
    `  SUM(credits_used) AS recorded_credits,\n` +
    `  SUM(CASE WHEN ${SPLIT} THEN 1 ELSE 0 END) AS split_calls,\n` +
    `  SUM(CASE WHEN ${SPLIT} THEN input_tokens ELSE 0 END) AS input_tokens,\n` +
    `  SUM(CASE WHEN ${SPLIT} THEN output_tokens ELSE 0 END) AS output_tokens,\n` +
    `  ${costs}` +
    termColumns.join("") +
    `\nFROM credit_usage_log${sqlite ? " NOT INDEXED" : ""}\nWHERE ${where}\nGROUP BY account_id, operation_type, model_id`;
  return `SELECT a.slug AS account_slug, g.*\nFROM (${grouped}) g\nLEFT JOIN account a ON a.id = g.account_id`;
}

const groupKey = (accountId: unknown, op: unknown, model: unknown) => `${String(accountId)}\0${String(op)}\0${model == null ? "" : String(model)}`;

/** Usage in [since, until), summed per (account, operation, model), with the per-call credit sums for each of `terms`. */
export async function readUsageAggregates(db: RawQuery, window: { since: string; until: string }, terms: readonly TokenTerms[] = []): Promise<UsageAggregate[]> {
  const since = new Date(window.since);
  const until = new Date(window.until);
  if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime())) throw new RangeError(`not a window: ${window.since} .. ${window.until}`);
  const cond = windowCondition(db.dialect, since, until);
  const rows = await db.query(usageAggregateSql(db.dialect, terms, cond.sql), cond.params);
  const sqlite = db.dialect === "sqlite";
  const sum = (row: Record<string, unknown>, alias: string): Dec => (sqlite ? sqliteSumValue(row, alias) : dec(row[alias] == null ? "0" : String(row[alias])));
  const odd = sqlite ? await oddCosts(db, cond, rows) : new Map<string, { cost: Dec; split: Dec }>();
  return rows.map((row) => {
    const extra = odd.get(groupKey(row.account_id, row.operation_type, row.model_id));
    return {
      account: row.account_slug == null ? `#${String(row.account_id)}` : String(row.account_slug),
      operation_type: String(row.operation_type),
      model_id: row.model_id == null ? null : String(row.model_id),
      calls: Number(row.calls),
      images: Number(row.images ?? 0),
      tokens: Number(row.tokens ?? 0),
      recorded_credits: Number(row.recorded_credits ?? 0),
      recorded_cost_usd: sum(row, "cost").plus(extra?.cost ?? 0).toFixed(),
      split_calls: Number(row.split_calls ?? 0),
      input_tokens: Number(row.input_tokens ?? 0),
      output_tokens: Number(row.output_tokens ?? 0),
      split_cost_usd: sum(row, "split_cost").plus(extra?.split ?? 0).toFixed(),
      token_credits: Object.fromEntries(terms.map((t, i) => [termsKey(t), Number(row[`t${i}`] ?? 0)])),
    };
  });
}

/** SQLite: the cost_usd values the integer sums could not split, read back and added as decimals. */
async function oddCosts(db: RawQuery, cond: { sql: string; params: unknown[] }, rows: Record<string, unknown>[]): Promise<Map<string, { cost: Dec; split: Dec }>> {
  const out = new Map<string, { cost: Dec; split: Dec }>();
  if (!rows.some((r) => Number(r.cost_odd ?? 0) > 0)) return out;
  const c = text("cost_usd");
  const odd = await db.query(
    `SELECT account_id, operation_type, model_id, ${c} AS cost, ${SPLIT} AS split FROM credit_usage_log WHERE ${cond.sql} AND cost_usd IS NOT NULL AND NOT ${plainDecimal(c)}`,
    cond.params,
  );
  for (const r of odd) {
    let v: Dec;
    try {
      v = dec(String(r.cost).trim());
    } catch {
      throw new RangeError(`credit_usage_log.cost_usd holds ${JSON.stringify(r.cost)}, which is not a decimal`);
    }
    const key = groupKey(r.account_id, r.operation_type, r.model_id);
    const acc = out.get(key) ?? { cost: dec(0), split: dec(0) };
    acc.cost = acc.cost.plus(v);
    if (Number(r.split)) acc.split = acc.split.plus(v);
    out.set(key, acc);
  }
  return out;
}

/** Users per account and the model each user's ai_settings names (two small grouped reads). */
export async function readAudience(db: RawQuery): Promise<Audience> {
  const counts = await db.query(`SELECT a.slug AS slug, COUNT(*) AS n FROM app_user u JOIN account a ON a.id = u.account_id GROUP BY a.slug`, []);
  const settings = await db.query(
    `SELECT a.slug AS slug, s.user_id AS user_id, s.value AS value FROM user_settings s JOIN account a ON a.id = s.account_id WHERE s.key = 'ai_settings'`,
    [],
  );
  const user_models: Audience["user_models"] = [];
  for (const row of settings) {
    const model = modelOfSetting(row.value);
    if (model !== null) user_models.push({ account: String(row.slug), user: Number(row.user_id), model });
  }
  user_models.sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : a.user - b.user));
  return { users: Object.fromEntries(counts.map((r) => [String(r.slug), Number(r.n)])), user_models };
}

/** `model` of an ai_settings value (JSON text on SQLite, parsed on PostgreSQL); null when it names none. */
export function modelOfSetting(value: unknown): string | null {
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  const model = v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>).model : undefined;
  return typeof model === "string" && model.length > 0 ? model : null;
}

/** The usage window for a plan: [now - days, now), one aggregate query, whatever the log's size. */
export async function readUsageWindow(
  db: RawQuery,
  live: readonly Resource[],
  desired: readonly Resource[],
  opts: { now: Date; days: number },
): Promise<UsageWindow> {
  const days = opts.days;
  const since = usageWindowStart(opts.now, days);
  const until = opts.now.toISOString();
  return { days, since, until, aggregates: await readUsageAggregates(db, { since, until }, tokenTermsOfRules(live, desired)) };
}
