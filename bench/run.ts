import { planErrors } from "../src/app/flow.js";
import type { DesiredState } from "../src/domain/state.js";
import { plannedWrites, revisionOf } from "../src/plan/apply-request.js";
import { buildPlan, resolveSecretDigests } from "../src/plan/build.js";
import type { Plan } from "../src/plan/types.js";
import { benchRevenue, type RevenueBenchResult } from "./revenue-bench.js";
import { openDatabase } from "../src/store/connect.js";
import { parseDatabaseUrl, type Dialect } from "../src/store/database-url.js";
import { openSqlDb } from "../src/store/sql-db.js";
import { openPrismaBaseline } from "./prisma-baseline.js";
import type { Store } from "../src/store/types.js";
import { insertBenchAccounts } from "./accounts.js";
import { naiveUpsertAll } from "./naive.js";
import { ScratchDatabases } from "./scratch.js";
import { syntheticDesired } from "./synthetic.js";

/*
 * The engine bench: for each dialect and size, cfgsync's own plan + apply
 * against a per-row upsert loop (the seed-script approach) on fresh scratch
 * databases. It measures and reports; judging the numbers is report.ts's job.
 */

export interface BenchOptions {
  dialects: Dialect[];
  /** Resources per run: a tenth models, the rest one override per account. */
  sizes: number[];
  /** Usage-log rows of the revenue replay; null skips it. */
  revenueRows: number | null;
  /** One untimed pass at the smallest size per dialect first (JIT, module loading, pools). */
  warmup: boolean;
  /** Where to create and drop the PostgreSQL scratch databases. */
  pgAdminUrl?: string;
  /** Scratch databases are tracked here; the caller may drop them on an interrupt. */
  scratch?: ScratchDatabases;
  log?: (line: string) => void;
}

export interface Timing {
  ms: number;
  roundTrips: number;
}

/** An engine plan + apply, split the way `cfgsync apply` does the work. */
export interface EngineTiming extends Timing {
  readMs: number;
  /** buildPlan + plannedWrites. */
  planMs: number;
  applyMs: number;
  /** create + update + delete + drift in the plan that was applied. */
  changes: number;
}

export interface SizeResult {
  resources: number;
  models: number;
  accounts: number;
  applyFromEmpty: EngineTiming;
  /** readLive + buildPlan on the applied database; ms is the median of NOOP_RUNS. */
  noopPlan: Timing & { changes: number; runs: number };
  change1pct: EngineTiming;
  naiveFromEmpty: Timing;
  naiveChange1pct: Timing;
  /** naive ms / cfgsync ms. */
  ratio: { fromEmpty: number; change1pct: number };
  /** Pending changes of an untimed plan after each write phase: 0 means the database matches the desired state. */
  followUpChanges: { apply: number; change1pct: number; naive: number; naiveChange1pct: number };
}

export interface DialectResult {
  dialect: Dialect;
  sizes: SizeResult[];
  revenue?: RevenueBenchResult;
}

export interface BenchResults {
  startedAt: string;
  node: string;
  platform: string;
  options: { dialects: Dialect[]; sizes: number[]; revenueRows: number | null; warmup: boolean };
  dialects: DialectResult[];
}

const NOOP_RUNS = 5;
const EMPTY_ENV = {};
const bumped = { every: 100, by: "42.5" };

export function shapeOf(resources: number): { models: number; accounts: number } {
  const models = Math.max(1, Math.round(resources / 10));
  return { models, accounts: Math.max(0, resources - models) };
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

function pendingChanges(plan: Plan): number {
  const s = plan.summary;
  return s.create + s.update + s.delete + s.drift;
}

async function timed<T>(store: { roundTrips(): number }, work: () => Promise<T>): Promise<Timing & { value: T }> {
  gc();
  const before = store.roundTrips();
  const start = process.hrtime.bigint();
  const value = await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { value, ms, roundTrips: store.roundTrips() - before };
}

const elapsedMs = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

/** What `cfgsync apply` does once config is loaded: readLive, buildPlan, plannedWrites, one store.apply. */
async function engineApply(store: Store, desired: DesiredState): Promise<EngineTiming> {
  let readMs = 0;
  let planMs = 0;
  let applyMs = 0;
  let changes = 0;
  const { ms, roundTrips } = await timed(store, async () => {
    let t = process.hrtime.bigint();
    const live = await store.readLive();
    readMs = elapsedMs(t);
    t = process.hrtime.bigint();
    const plan = buildPlan({ desired, live, env: EMPTY_ENV });
    const errors = planErrors(plan);
    if (errors.length) throw new Error(`bench plan has errors: ${errors.map((d) => d.message).join("; ")}`);
    const writes = plannedWrites(plan, resolveSecretDigests(desired.resources, EMPTY_ENV, live.secretSalt), live, { allowDestroy: false });
    planMs = elapsedMs(t);
    changes = pendingChanges(plan);
    t = process.hrtime.bigint();
    await store.apply({
      ...writes,
      secrets: {},
      revision: revisionOf(plan, { actor: "bench", git_commit: null }),
      expectedStateDigest: plan.state_digest,
    });
    applyMs = elapsedMs(t);
  });
  return { ms, roundTrips, readMs, planMs, applyMs, changes };
}

async function planOnly(store: Store, desired: DesiredState): Promise<Plan> {
  return buildPlan({ desired, live: await store.readLive(), env: EMPTY_ENV });
}

/** A migrated scratch database holding the bench's accounts, with a store open on it and its pool warm. */
async function preparedStore(scratch: ScratchDatabases, dialect: Dialect, accounts: number) {
  const db = await scratch.create(dialect);
  const store = await openDatabase(db.url);
  try {
    await store.migrate();
    const sql = await openSqlDb(parseDatabaseUrl(db.url));
    await insertBenchAccounts(sql, accounts).finally(() => sql.close());
    await store.readLive();
  } catch (err) {
    await store.close();
    throw err;
  }
  return {
    store,
    url: db.url,
    async dispose() {
      await store.close();
      await db.drop();
    },
  };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function benchSize(scratch: ScratchDatabases, dialect: Dialect, resources: number): Promise<SizeResult> {
  const { models, accounts } = shapeOf(resources);
  const desired = syntheticDesired({ models, accounts });
  const changed = syntheticDesired({ models, accounts, priceBump: bumped });

  const engine = await preparedStore(scratch, dialect, accounts);
  let applyFromEmpty: EngineTiming, noopPlan: SizeResult["noopPlan"], change1pct: EngineTiming, afterChange: number;
  try {
    const { store } = engine;
    applyFromEmpty = await engineApply(store, desired);
    const noops: (Timing & { value: Plan })[] = [];
    for (let i = 0; i < NOOP_RUNS; i++) noops.push(await timed(store, () => planOnly(store, desired)));
    const rts = new Set(noops.map((n) => n.roundTrips));
    if (rts.size !== 1) throw new Error(`no-op plan round trips vary between runs: ${[...rts].join(", ")}`);
    noopPlan = {
      ms: median(noops.map((n) => n.ms)),
      roundTrips: noops[0]!.roundTrips,
      changes: pendingChanges(noops[0]!.value),
      runs: NOOP_RUNS,
    };
    change1pct = await engineApply(store, changed);
    afterChange = pendingChanges(await planOnly(store, changed));
  } finally {
    await engine.dispose();
  }

  const naive = await preparedStore(scratch, dialect, accounts);
  let naiveFromEmpty: Timing, naiveChange1pct: Timing, afterNaive: number, afterNaiveChange: number;
  try {
    const { store } = naive;
    const baseline = await openPrismaBaseline(naive.url);
    try {
      naiveFromEmpty = await timed(baseline, () => naiveUpsertAll(baseline, desired.resources));
      afterNaive = pendingChanges(await planOnly(store, desired));
      // A seed script has no plan: it re-upserts every row whatever changed.
      naiveChange1pct = await timed(baseline, () => naiveUpsertAll(baseline, changed.resources));
      afterNaiveChange = pendingChanges(await planOnly(store, changed));
    } finally {
      await baseline.close();
    }
  } finally {
    await naive.dispose();
  }

  const strip = (t: Timing): Timing => ({ ms: t.ms, roundTrips: t.roundTrips });
  return {
    resources,
    models,
    accounts,
    applyFromEmpty,
    noopPlan,
    change1pct,
    naiveFromEmpty: strip(naiveFromEmpty),
    naiveChange1pct: strip(naiveChange1pct),
    ratio: { fromEmpty: naiveFromEmpty.ms / applyFromEmpty.ms, change1pct: naiveChange1pct.ms / change1pct.ms },
    followUpChanges: { apply: noopPlan.changes, change1pct: afterChange, naive: afterNaive, naiveChange1pct: afterNaiveChange },
  };
}

/** Runs every phase for every dialect and size; scratch databases are dropped even when a phase fails. */
export async function runBench(opts: BenchOptions): Promise<BenchResults> {
  const log = opts.log ?? (() => {});
  const scratch = opts.scratch ?? new ScratchDatabases(opts.pgAdminUrl);
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    options: { dialects: opts.dialects, sizes: opts.sizes, revenueRows: opts.revenueRows, warmup: opts.warmup },
    dialects: [],
  };
  try {
    for (const dialect of opts.dialects) {
      const result: DialectResult = { dialect, sizes: [] };
      if (opts.warmup) {
        log(`${dialect}: warm-up`);
        await benchSize(scratch, dialect, Math.min(100, ...opts.sizes));
      }
      for (const size of opts.sizes) {
        log(`${dialect}: ${size.toLocaleString("en")} resources`);
        result.sizes.push(await benchSize(scratch, dialect, size));
      }
      if (opts.revenueRows !== null) {
        const db = await scratch.create(dialect);
        try {
          result.revenue = await benchRevenue(db.url, { rows: opts.revenueRows, log });
        } finally {
          await db.drop();
        }
      }
      results.dialects.push(result);
    }
  } finally {
    await scratch.dropAll();
  }
  return results;
}
