import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { address, type FieldValue, type Resource } from "../src/domain/resources.js";
import { parseDatabaseUrl } from "../src/store/database-url.js";
import { migrateDatabase } from "../src/store/migrate.js";
import { openSqlDb, type SqlDb } from "../src/store/sql-db.js";
import { replayRevenue, tokenTermsOfRules, usageWindowStart } from "../src/plan/impact/revenue.js";
import { readUsageAggregates } from "../src/store/usage.js";

/*
 * Bench of the revenue replay: seeds N usage rows spread over 60 days (bulk,
 * generated inside the database) and times the 30-day replay. Refuses a
 * database whose credit_usage_log already has rows: it is for scratch
 * databases only.
 */

const OPERATIONS: [string, "image" | "tokens", number, number, string][] = [
  // operation, unit, tokens_per_credit, min_credits, price (Appendix A)
  ["clustering", "tokens", 150, 2, "0.01"],
  ["content_generation", "tokens", 100, 3, "0.01"],
  ["idea_generation", "tokens", 200, 1, "0.01"],
  ["image_generation", "image", 50, 5, "0.02"],
  ["image_prompt_extraction", "tokens", 100, 2, "0.01"],
  ["linking", "tokens", 300, 1, "0.005"],
  ["optimization", "tokens", 200, 1, "0.005"],
];
const TEXT_MODELS: [string, string][] = [["gpt-4.1", "8"], ["gpt-4o-mini", "0.6"], ["gpt-4o", "10"], ["claude-3-5-sonnet-20241022", "15"]];
const IMAGE_MODELS: [string, string][] = [["dall-e-3", "0.04"], ["dall-e-2", "0.02"], ["runware:100@1", "0.009"], ["bria-2.3", "0.015"]];

function rules(imagePrice: string, contentPerCredit: number): Resource[] {
  const res = (kind: Resource["kind"], addr: string, key: Record<string, string>, fields: Record<string, FieldValue>): Resource => ({ address: addr, kind, key, fields });
  return [
    ...TEXT_MODELS.map(([id, out]) => res("model", address.model(id), { model_id: id }, { model_type: "text", output_token_rate: out, is_active: true })),
    ...IMAGE_MODELS.map(([id, cost]) => res("model", address.model(id), { model_id: id }, { model_type: "image", cost_per_image: cost, is_active: true })),
    ...OPERATIONS.map(([op, unit, perCredit, min, price]) =>
      res("credit", address.credit(op), { operation_type: op }, {
        unit,
        credits: unit === "image" ? 5 : null,
        tokens_per_credit: op === "content_generation" ? contentPerCredit : perCredit,
        min_credits: min,
        price_per_credit_usd: op === "image_generation" ? imagePrice : price,
        is_active: true,
      }),
    ),
  ];
}

const SECONDS_60_DAYS = 60 * 86_400;

async function seed(db: SqlDb, rows: number, now: Date): Promise<void> {
  const [existing] = await db.query(`SELECT COUNT(*) AS n FROM credit_usage_log`);
  if (Number(existing?.n ?? 0) > 0) throw new Error("credit_usage_log is not empty: the bench only seeds a scratch database");
  await db.query(`INSERT INTO account (slug, name) SELECT 'bench', 'Bench' WHERE NOT EXISTS (SELECT 1 FROM account WHERE slug = 'bench')`);
  const [account] = await db.query(`SELECT id FROM account WHERE slug = 'bench'`);
  const accountId = Number(account!.id);
  const ops = OPERATIONS.map(([op]) => `'${op}'`);
  const text = TEXT_MODELS.map(([id]) => `'${id}'`);
  const image = IMAGE_MODELS.map(([id]) => `'${id}'`);
  // One statement generates every row: i picks the operation and model, a hash of i the tokens and the age.
  const pick = (list: string[], expr: string) => `CASE ${expr} ${list.map((v, j) => `WHEN ${j} THEN ${v}`).join(" ")} END`;
  const isImage = `(i % 7) = 3`;
  const model = `CASE WHEN ${isImage} THEN ${pick(image, "((i / 7) % 4)")} ELSE ${pick(text, "((i / 7) % 4)")} END`;
  const tokens = `CASE WHEN ${isImage} THEN NULL ELSE 50 + ((i * 7919) % 4950) END`;
  const images = `CASE WHEN ${isImage} THEN 1 + (i % 3) ELSE NULL END`;
  const age = `((i * 104729) % ${SECONDS_60_DAYS})`;
  if (db.dialect === "sqlite") {
    const base = now.toISOString();
    await db.query(
      `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${rows})
       INSERT INTO credit_usage_log (account_id, operation_type, model_id, credits_used, cost_usd, tokens_used, images, created_at)
       SELECT ${accountId}, ${pick(ops, "(i % 7)")}, ${model}, 5, '0.01', ${tokens}, ${images},
              strftime('%Y-%m-%dT%H:%M:%S.000+00:00', '${base}', '-' || ${age} || ' seconds')
       FROM s`,
    );
    await db.query(`ANALYZE`);
  } else {
    await db.query(
      `INSERT INTO credit_usage_log (account_id, operation_type, model_id, credits_used, cost_usd, tokens_used, images, created_at)
       SELECT ${accountId}, ${pick(ops, "(i % 7)")}, ${model}, 5, 0.01, ${tokens}, ${images},
              ('${now.toISOString().replace("Z", "")}'::timestamp - ${age} * interval '1 second')
       FROM generate_series(1::bigint, ${rows}::bigint) AS g(i)`,
    );
    await db.query(`ANALYZE credit_usage_log`);
  }
}

export interface RevenueBenchResult {
  dialect: string;
  rows: number;
  seedMs: number;
  queryMs: number;
  replayMs: number;
  groups: number;
  callsInWindow: number;
}

export async function benchRevenue(url: string, opts: { rows?: number; days?: number; log?: (line: string) => void } = {}): Promise<RevenueBenchResult> {
  const rows = opts.rows ?? 1_000_000;
  const days = opts.days ?? 30;
  const log = opts.log ?? ((line: string) => process.stdout.write(line + "\n"));
  const target = parseDatabaseUrl(url);
  await migrateDatabase(target);
  const db = await openSqlDb(target);
  try {
    const now = new Date();
    let t = performance.now();
    await seed(db, rows, now);
    const seedMs = performance.now() - t;

    const live = rules("0.02", 100);
    const desired = rules("0.025", 120);
    const since = usageWindowStart(now, days);
    const until = now.toISOString();
    t = performance.now();
    const aggregates = await readUsageAggregates(db, { since, until }, tokenTermsOfRules(live, desired));
    const queryMs = performance.now() - t;
    t = performance.now();
    const impact = replayRevenue({ aggregates, live, desired, days, since, until });
    const replayMs = performance.now() - t;

    const result = { dialect: db.dialect, rows, seedMs, queryMs, replayMs, groups: aggregates.length, callsInWindow: impact.calls };
    log(
      `revenue replay on ${db.dialect}: ${rows.toLocaleString("en")} log rows (seeded in ${seedMs.toFixed(0)} ms); ` +
        `${days}-day window = ${impact.calls.toLocaleString("en")} calls in ${aggregates.length} groups; ` +
        `query ${queryMs.toFixed(0)} ms, replay ${replayMs.toFixed(1)} ms; ` +
        `revenue $${impact.totals.before.revenue} -> $${impact.totals.after.revenue}`,
    );
    return result;
  } finally {
    await db.close();
  }
}

// `node bench/dist/bench/revenue-bench.js URL [ROWS]`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [url, rows] = process.argv.slice(2);
  if (!url) {
    process.stderr.write("usage: node bench/dist/bench/revenue-bench.js DATABASE_URL [ROWS]\n");
    process.exit(1);
  }
  benchRevenue(url, rows ? { rows: Number(rows) } : {}).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
