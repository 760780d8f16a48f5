import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dialect } from "../src/store/database-url.js";
import { SCENARIOS, resourceCount, writeRepo, type ScenarioName } from "./repos.js";
import type { ScratchDatabases } from "./scratch.js";

/*
 * The end-to-end section of `npm run bench`: the real CLI, spawned as a user
 * runs it (text output, read to the end through a pipe), on generated
 * repositories, against the floor: a process that only parses every YAML file
 * with the same `yaml` library and reads every row (bench/floor.ts). Peak RSS
 * of each run comes from /usr/bin/time.
 */

export const PHASES = ["validate", "planFromEmpty", "applyFromEmpty", "noopPlan", "plan1pct", "apply1pct"] as const;
export type Phase = (typeof PHASES)[number];
const PHASE_LABEL: Record<Phase | "floorParse" | "floor", string> = {
  floorParse: "floor: parse every file",
  floor: "floor: parse + read every row",
  validate: "validate",
  planFromEmpty: "plan from empty",
  applyFromEmpty: "apply from empty",
  noopPlan: "no-op plan",
  plan1pct: "1 % change: plan",
  apply1pct: "1 % change: apply",
};

export interface RunResult {
  /** Wall time. */
  ms: number;
  /** CPU time (user + system) of the process: what the ratios compare, since wall time on a shared machine measures the neighbours too. */
  cpuMs: number | null;
  /** Peak resident set size, MB (null when /usr/bin/time is missing). */
  rssMb: number | null;
  code: number;
  /** Lines written to stdout. */
  lines: number;
  /** The first stderr line of a failed run. */
  error?: string;
}

export interface ScenarioResult {
  scenario: ScenarioName;
  dialect: Dialect;
  resources: number;
  files: number;
  floorParse: RunResult;
  floor: RunResult;
  phases: Record<Phase, RunResult>;
}

/** Medians of wall and CPU time. */
export interface StartupResult {
  versionMedianMs: number;
  versionMedianCpuMs: number | null;
  validateSampleMedianMs: number;
  validateSampleMedianCpuMs: number | null;
  /** Importing the libraries validate loads, and nothing else (bench/startup-floor.ts). */
  importFloorMedianMs: number;
  importFloorMedianCpuMs: number | null;
}

export interface E2eOptions {
  scenarios: ScenarioName[];
  dialects: Dialect[];
  /** The cfgsync install to measure (a directory with bin/run.js); default this checkout. */
  cliDir: string;
  scratch: ScratchDatabases;
  log?: (line: string) => void;
  /**
   * Runs of each phase that leaves the database as it found it (validate, the
   * plans) and of the floors, interleaved; each figure is the run of median
   * CPU (default 3): one run of each is at the mercy of a noisy machine.
   */
  repeat?: number;
}

const ROOT = join(import.meta.dirname, "..", "..", "..");
const FLOOR_SCRIPT = join(import.meta.dirname, "floor.js");
const STARTUP_FLOOR_SCRIPT = join(import.meta.dirname, "startup-floor.js");
const TIME = "/usr/bin/time";
const DUMMY_KEYS = {
  OPENAI_API_KEY: "sk-bench-openai-000000000000000000",
  ANTHROPIC_API_KEY: "sk-ant-bench-000000000000000000",
  DALLE_API_KEY: "sk-bench-dalle-000000000000000000",
  RUNWARE_API_KEY: "rw-bench-000000000000000000",
  BRIA_API_KEY: "bria-bench-000000000000000000",
};

export const defaultCliDir = () => ROOT;

/** Spawns node with `args`, reads stdout to the end (counting lines), and measures wall time and peak RSS. */
export function timed(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<RunResult> {
  const rssFile = join(tmpdir(), `cfgsync-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const hasTime = (() => {
    try {
      readFileSync(TIME);
      return true;
    } catch {
      return false;
    }
  })();
  const [cmd, argv] = hasTime ? [TIME, ["-f", "%M %U %S", "-o", rssFile, process.execPath, ...args]] : [process.execPath, args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, argv, { cwd: opts.cwd, env: { ...process.env, NO_COLOR: "1", ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
    let lines = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssMb: number | null = null;
      let cpuMs: number | null = null;
      if (hasTime) {
        // "Command exited with non-zero status N" may come first; the figures are the last line.
        const [kb, user, sys] = readFileSync(rssFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
        rssMb = Number.isFinite(kb) ? kb! / 1024 : null;
        cpuMs = Number.isFinite(user) && Number.isFinite(sys) ? (user! + sys!) * 1000 : null;
        rmSync(rssFile, { force: true });
      }
      const result: RunResult = { ms, cpuMs, rssMb, code: code ?? -1, lines };
      if (code !== 0) result.error = stderr.split("\n").find((l) => l.trim() && !l.startsWith("Command exited")) ?? `exit ${code}`;
      resolve(result);
    });
  });
}

async function prepareDatabase(url: string, dialect: Dialect, accounts: string[], cli: (args: string[]) => Promise<RunResult>): Promise<void> {
  const migrated = await cli(["db", "migrate"]);
  if (migrated.code !== 0) throw new Error(`db migrate failed: ${migrated.error}`);
  const values = (from: number, to: number) =>
    accounts
      .slice(from, to)
      .map((slug, i) => `(${from + i + 1}, '${slug}', '${slug}')`)
      .join(", ");
  if (dialect === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(url.slice("file:".length));
    for (let i = 0; i < accounts.length; i += 1000) db.exec(`INSERT INTO account (id, slug, name) VALUES ${values(i, i + 1000)}`);
    db.close();
    return;
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (let i = 0; i < accounts.length; i += 1000) await client.query(`INSERT INTO account (id, slug, name) VALUES ${values(i, i + 1000)}`);
  await client.end();
}

/** One scenario on one database: every phase through the CLI, and the floor. */
export async function runScenario(scenario: ScenarioName, dialect: Dialect, opts: E2eOptions): Promise<ScenarioResult> {
  const log = opts.log ?? (() => {});
  const shape = SCENARIOS[scenario];
  const dir = mkdtempSync(join(tmpdir(), `cfgsync-e2e-${scenario}-`));
  const db = await opts.scratch.create(dialect);
  const bin = join(opts.cliDir, "bin", "run.js");
  const env = { DATABASE_URL: db.url, CFGSYNC_ACTOR: "bench", ...DUMMY_KEYS };
  const cli = (args: string[]) => timed([bin, ...args], { cwd: dir, env });
  try {
    const { configDir, accounts } = writeRepo(dir, shape);
    await prepareDatabase(db.url, dialect, accounts, cli);
    const files = readdirSync(configDir, { recursive: true }).filter((f) => /\.ya?ml$/.test(String(f))).length;
    const repeat = Math.max(1, opts.repeat ?? 3);
    const phases = {} as Record<Phase, RunResult>;
    const report = (phase: Phase, r: RunResult) =>
      log(`  ${scenario} ${dialect} ${PHASE_LABEL[phase]}: ${r.ms.toFixed(0)} ms wall, ${r.cpuMs?.toFixed(0) ?? "?"} ms CPU, ${r.rssMb?.toFixed(0) ?? "?"} MB${r.code ? ` (exit ${r.code}: ${r.error})` : ""}`);
    const step = async (phase: Phase, args: string[]) => {
      const r = await cli(args);
      phases[phase] = r;
      report(phase, r);
      return r;
    };
    /** Phases that write nothing, `repeat` times in turn with `alongside` (the floor they are compared with): the median run of each. */
    const readOnly = async (steps: [Phase, string[]][], alongside: { args: string[]; runs: RunResult[] }[] = []) => {
      const runs = new Map<Phase, RunResult[]>(steps.map(([phase]) => [phase, []]));
      for (let i = 0; i < repeat; i++) {
        for (const [phase, args] of steps) runs.get(phase)!.push(await cli(args));
        for (const other of alongside) other.runs.push(await timed(other.args, { cwd: dir }));
      }
      for (const [phase] of steps) report(phase, (phases[phase] = medianRun(runs.get(phase)!)));
    };
    const floorParseRuns = { args: [FLOOR_SCRIPT, configDir], runs: [] as RunResult[] };
    await readOnly([["validate", ["validate"]], ["planFromEmpty", ["plan"]]], [floorParseRuns]);
    const applied = await step("applyFromEmpty", ["apply", "--auto-approve"]);
    // A build that cannot render the plan as text still gets its database filled, so the later phases measure something.
    if (applied.code !== 0) await cli(["apply", "--auto-approve", "--json"]);
    const floorRuns = { args: [FLOOR_SCRIPT, configDir, db.url], runs: [] as RunResult[] };
    await readOnly([["noopPlan", ["plan"]]], [floorRuns]);
    const floorParse = medianRun(floorParseRuns.runs);
    const floor = medianRun(floorRuns.runs);
    log(`  ${scenario} ${dialect} floor: ${cpu(floorParse).toFixed(0)} ms CPU parse, ${cpu(floor).toFixed(0)} ms CPU parse + rows (medians of ${repeat})`);
    writeRepo(dir, shape, { changed: true });
    await readOnly([["plan1pct", ["plan"]]]);
    const applied1 = await step("apply1pct", ["apply", "--auto-approve"]);
    if (applied1.code !== 0) await cli(["apply", "--auto-approve", "--json"]);
    return { scenario, dialect, resources: resourceCount(shape), files, floorParse, floor, phases };
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `cfgsync --version`, `validate` of the sample config/ and the start-up floor, run in turn: medians of several runs. */
export async function measureStartup(cliDir: string, runs = 7): Promise<StartupResult> {
  const bin = join(cliDir, "bin", "run.js");
  const middle = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const commands = [[bin, "--version"], [bin, "validate", "--config-dir", join(ROOT, "config")], [STARTUP_FLOOR_SCRIPT]];
  const runsOf: RunResult[][] = commands.map(() => []);
  for (let i = 0; i < runs; i++) for (const [k, args] of commands.entries()) runsOf[k]!.push(await timed(args, { cwd: ROOT }));
  const [version, validate, floor] = runsOf.map((rs) => {
    const cpu = rs.map((r) => r.cpuMs).filter((v): v is number => v !== null);
    return { wall: middle(rs.map((r) => r.ms)), cpu: cpu.length ? middle(cpu) : null };
  }) as [{ wall: number; cpu: number | null }, { wall: number; cpu: number | null }, { wall: number; cpu: number | null }];
  return {
    versionMedianMs: version.wall,
    versionMedianCpuMs: version.cpu,
    validateSampleMedianMs: validate.wall,
    validateSampleMedianCpuMs: validate.cpu,
    importFloorMedianMs: floor.wall,
    importFloorMedianCpuMs: floor.cpu,
  };
}

export async function runE2e(opts: E2eOptions): Promise<{ scenarios: ScenarioResult[]; startup: StartupResult }> {
  const log = opts.log ?? (() => {});
  const startup = await measureStartup(opts.cliDir);
  log(startupLine(startup));
  const scenarios: ScenarioResult[] = [];
  for (const scenario of opts.scenarios) for (const dialect of opts.dialects) scenarios.push(await runScenario(scenario, dialect, opts));
  return { scenarios, startup };
}

/** Targets from issue #11: ratio to the floor, per scenario and phase. */
export const E2E_TARGETS: Partial<Record<ScenarioName, Partial<Record<Phase, number>>>> = {
  models10k: { noopPlan: 1.5, applyFromEmpty: 2, validate: 1.3 },
  accounts2k: { validate: 1.3, noopPlan: 1.5 },
};
export const RSS_LIMIT_MB = 1024;

/** What a phase's ratio is taken against: validate reads no database. */
const floorOf = (r: ScenarioResult, phase: Phase) => (phase === "validate" ? r.floorParse : r.floor);

const cpu = (r: RunResult) => r.cpuMs ?? r.ms;

/** The run of median CPU time (the lower middle of an even count). */
function medianRun(runs: RunResult[]): RunResult {
  return [...runs].sort((a, b) => cpu(a) - cpu(b))[Math.floor((runs.length - 1) / 2)]!;
}

/** A phase's CPU time over its floor's (wall time when CPU time is unknown). */
export function ratio(r: ScenarioResult, phase: Phase): number {
  return cpu(r.phases[phase]) / cpu(floorOf(r, phase));
}

const COLUMNS = ["wall ms", "CPU ms", "x floor", "RSS MB"];
const WIDTH = 9;
/** Exit 2 is plan --detailed-exitcode's "changes"; anything else but 0 is a failed run. */
const failed = (r: RunResult) => r.code !== 0 && r.code !== 2;
const cell = (r: RunResult, floor?: RunResult) => {
  return [
    r.ms.toFixed(0),
    failed(r) ? `exit ${r.code}` : r.cpuMs === null ? "?" : r.cpuMs.toFixed(0),
    floor && !failed(r) ? `${(cpu(r) / cpu(floor)).toFixed(2)}x` : "",
    r.rssMb === null ? "?" : r.rssMb.toFixed(0),
  ]
    .map((c) => c.padStart(WIDTH))
    .join("");
};

function startupLine(s: StartupResult): string {
  const both = (wall: number, cpuMs: number | null) => `${wall.toFixed(0)} ms wall${cpuMs === null ? "" : ` (${cpuMs.toFixed(0)} ms CPU)`}`;
  return (
    `cfgsync --version: median ${both(s.versionMedianMs, s.versionMedianCpuMs)} (target <= 150 ms); ` +
    `validate of the sample: median ${both(s.validateSampleMedianMs, s.validateSampleMedianCpuMs)} (target <= 300 ms; ` +
    `importing the libraries it loads, alone: ${both(s.importFloorMedianMs, s.importFloorMedianCpuMs)})`
  );
}

/** One table per scenario: a row per phase, per dialect ms, ratio to the floor and peak RSS (MB). */
export function formatE2e(results: { scenarios: ScenarioResult[]; startup: StartupResult }): string {
  const out: string[] = [
    startupLine(results.startup),
    "x floor: CPU time over the floor's CPU time (validate: the parse floor; the rest: parse + rows, measured after the apply from empty)",
  ];
  const names = [...new Set(results.scenarios.map((s) => s.scenario))];
  for (const name of names) {
    const rows = results.scenarios.filter((s) => s.scenario === name);
    const first = rows[0]!;
    const shape = SCENARIOS[name];
    out.push(
      "",
      `${name}: ${shape.models.toLocaleString("en")} generated models in ${Math.min(shape.providerFiles, 5)} file(s), ${shape.accounts.toLocaleString("en")} account files; ` +
        `${first.resources.toLocaleString("en")} generated resources, ${first.files.toLocaleString("en")} YAML files`,
      "".padEnd(30) + rows.map((r) => r.dialect.padEnd(WIDTH * COLUMNS.length)).join("  "),
      "phase".padEnd(30) + rows.map(() => COLUMNS.map((c) => c.padStart(WIDTH)).join("")).join("  "),
    );
    out.push(PHASE_LABEL.floorParse.padEnd(30) + rows.map((r) => cell(r.floorParse)).join("  "));
    out.push(PHASE_LABEL.floor.padEnd(30) + rows.map((r) => cell(r.floor)).join("  "));
    for (const phase of PHASES) {
      const target = E2E_TARGETS[name]?.[phase];
      const verdicts = target ? rows.map((r) => (failed(r.phases[phase]) ? "FAILED" : ratio(r, phase) <= target ? "ok" : "MISSED")) : [];
      out.push(
        PHASE_LABEL[phase].padEnd(30) +
          rows.map((r) => cell(r.phases[phase], floorOf(r, phase))).join("  ") +
          (target ? `   target <= ${target}x: ${verdicts.join(", ")}` : ""),
      );
    }
    const peak = rows.flatMap((r) => PHASES.map((p) => r.phases[p].rssMb ?? 0)).reduce((a, b) => Math.max(a, b), 0);
    out.push(`peak RSS ${peak.toFixed(0)} MB (limit ${RSS_LIMIT_MB} MB): ${peak < RSS_LIMIT_MB ? "ok" : "MISSED"}`);
  }
  return out.join("\n");
}
