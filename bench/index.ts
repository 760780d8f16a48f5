import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Dialect } from "../src/store/database-url.js";
import { formatTable, formatVerdict, verdictOf, type Verdict } from "./report.js";
import { runBench, type BenchOptions, type BenchResults } from "./run.js";
import { defaultCliDir, formatE2e, runE2e } from "./e2e.js";
import { SCENARIOS, type ScenarioName } from "./repos.js";
import { DEFAULT_PG_ADMIN_URL, ScratchDatabases } from "./scratch.js";

/*
 * `npm run bench`: cfgsync's plan/apply engine against a per-row upsert loop,
 * on SQLite and PostgreSQL, then the revenue replay. Prints a table and a
 * verdict per dialect and writes everything to bench-results.json.
 *
 *   --sizes 100,1000,10000   resources per run (default)
 *   --dialects sqlite,postgresql
 *   --quick                  sizes 100,1000
 *   --revenue-rows N         usage-log rows of the revenue replay (default 1,000,000)
 *   --no-revenue             skip the revenue replay
 *   --no-warmup              skip the untimed warm-up pass
 *   --out FILE               results JSON (default bench-results.json)
 *
 * End to end (the real CLI on generated repositories, against the floor):
 *   --scenarios models10k,accounts2k,resources50k   (default all; --quick: models10k)
 *   --no-e2e / --e2e-only    skip the end-to-end section / run only it
 *   --cli DIR                the cfgsync install to spawn (default this checkout)
 *   --repeat N               end to end: runs of each read-only phase and floor, interleaved, median kept (default 3)
 *
 * PostgreSQL scratch databases are created on CFGSYNC_BENCH_PG_URL.
 */

const USAGE =
  "usage: npm run bench -- [--quick] [--sizes 100,1000,10000] [--dialects sqlite,postgresql] [--revenue-rows N | --no-revenue] [--no-warmup] [--out FILE]\n" +
  `         [--scenarios ${Object.keys(SCENARIOS).join(",")}] [--no-e2e | --e2e-only] [--cli DIR] [--repeat N]`;
const DIALECTS: Dialect[] = ["sqlite", "postgresql"];

class UsageError extends Error {}

function positiveInts(flag: string, text: string): number[] {
  const values = text.split(",").map((s) => Number(s.trim().replace(/_/g, "")));
  if (values.length === 0 || values.some((n) => !Number.isInteger(n) || n < 10)) {
    throw new UsageError(`${flag} takes integers >= 10, comma-separated (got "${text}")`);
  }
  return values;
}

function positiveCount(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes an integer >= 1 (got "${text}")`);
  return n;
}

export interface BenchArgs extends BenchOptions {
  out: string;
  /** Run the engine section. */
  engine: boolean;
  /** End-to-end scenarios to run (empty: none). */
  scenarios: ScenarioName[];
  cliDir: string;
  /** End to end: runs of each read-only phase and floor, interleaved; the median is kept. */
  repeat: number;
}

export function parseBenchArgs(argv: string[], env: Readonly<Record<string, string | undefined>>): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string" },
      dialects: { type: "string" },
      quick: { type: "boolean", default: false },
      "revenue-rows": { type: "string" },
      "no-revenue": { type: "boolean", default: false },
      "no-warmup": { type: "boolean", default: false },
      out: { type: "string", default: "bench-results.json" },
      scenarios: { type: "string" },
      "no-e2e": { type: "boolean", default: false },
      "e2e-only": { type: "boolean", default: false },
      cli: { type: "string" },
      repeat: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) throw new UsageError("");
  if (values.quick && values.sizes) throw new UsageError("--quick and --sizes are exclusive");
  const sizes = values.sizes ? positiveInts("--sizes", values.sizes) : values.quick ? [100, 1_000] : [100, 1_000, 10_000];
  const dialects = (values.dialects ?? DIALECTS.join(",")).split(",").map((d) => d.trim());
  const unknown = dialects.filter((d) => !DIALECTS.includes(d as Dialect));
  if (unknown.length) throw new UsageError(`unknown dialect(s) ${unknown.join(", ")} (expected ${DIALECTS.join(", ")})`);
  if (values["no-revenue"] && values["revenue-rows"]) throw new UsageError("--revenue-rows and --no-revenue are exclusive");
  const revenueRows = values["no-revenue"] ? null : values["revenue-rows"] ? positiveInts("--revenue-rows", values["revenue-rows"])[0]! : 1_000_000;
  if (values["no-e2e"] && (values["e2e-only"] || values.scenarios)) throw new UsageError("--no-e2e excludes --e2e-only and --scenarios");
  const scenarioNames = values["no-e2e"] ? [] : (values.scenarios ?? (values.quick ? "models10k" : Object.keys(SCENARIOS).join(","))).split(",").map((s) => s.trim());
  const unknownScenarios = scenarioNames.filter((s) => !(s in SCENARIOS));
  if (unknownScenarios.length) throw new UsageError(`unknown scenario(s) ${unknownScenarios.join(", ")} (expected ${Object.keys(SCENARIOS).join(", ")})`);
  return {
    engine: !values["e2e-only"],
    scenarios: scenarioNames as ScenarioName[],
    cliDir: values.cli ? resolve(values.cli) : defaultCliDir(),
    repeat: values.repeat ? positiveCount("--repeat", values.repeat) : 3,
    sizes,
    dialects: [...new Set(dialects)] as Dialect[],
    revenueRows,
    warmup: !values["no-warmup"],
    pgAdminUrl: env.CFGSYNC_BENCH_PG_URL ?? DEFAULT_PG_ADMIN_URL,
    out: values.out,
  };
}

export function formatResults(results: BenchResults): { text: string; verdicts: Verdict[] } {
  const verdicts = results.dialects.map(verdictOf);
  const blocks = results.dialects.map((d, i) => `${formatTable(d)}\n\n${formatVerdict(verdicts[i]!)}`);
  return { text: blocks.join("\n\n"), verdicts };
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseBenchArgs>;
  try {
    opts = parseBenchArgs(process.argv.slice(2), process.env);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${message ? `${message}\n` : ""}${USAGE}\n`);
    return 2;
  }
  if (!(globalThis as { gc?: unknown }).gc) process.stderr.write("note: run with node --expose-gc for a GC between phases\n");

  const scratch = new ScratchDatabases(opts.pgAdminUrl);
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: dropping the bench databases\n`);
    scratch.dropAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  const started = process.hrtime.bigint();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const results: BenchResults | undefined = opts.engine ? await runBench({ ...opts, scratch, log }) : undefined;
  const { text, verdicts } = results ? formatResults(results) : { text: "", verdicts: [] };
  if (results) process.stdout.write(`\n${text}\n`);
  for (const r of results?.dialects ?? []) {
    if (r.revenue) {
      const rev = r.revenue;
      process.stdout.write(
        `\n${r.dialect} revenue replay: ${rev.rows.toLocaleString("en")} rows, query ${rev.queryMs.toFixed(0)} ms + replay ${rev.replayMs.toFixed(1)} ms (seed ${rev.seedMs.toFixed(0)} ms)`,
      );
    }
  }
  const e2e = opts.scenarios.length ? await runE2e({ scenarios: opts.scenarios, dialects: opts.dialects, cliDir: opts.cliDir, scratch, log, repeat: opts.repeat }) : undefined;
  if (e2e) process.stdout.write(`\n\nEnd to end: the CLI (${opts.cliDir}), text output, against the floor\n${formatE2e(e2e)}\n`);
  const file = resolve(opts.out);
  writeFileSync(file, `${JSON.stringify({ ...results, verdicts, e2e }, null, 2)}\n`);
  process.stdout.write(`\n\nresults written to ${file} (${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(0)} s)\n`);
  // Performance targets inform; a database left unlike the desired state or growing round trips is a bug.
  return verdicts.every((v) => v.converged && v.noopPlan.constant) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
