import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT, runProcess, type CliResult } from "../helpers/cli.js";

/**
 * Runs the `run:` steps of a job of .github/workflows/config.yml the way the
 * Actions runner does (bash -e, step env with `${{ }}` expressions
 * evaluated, `if:` conditions, step outputs through $GITHUB_OUTPUT), so a
 * test exercises the workflow's own command sequence rather than a copy of
 * it. `uses:` steps and the steps `skip` names are left out (checkout, setup,
 * install and test steps: the test runs inside a built checkout already).
 */
export const WORKFLOW_FILE = join(ROOT, ".github", "workflows", "config.yml");

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
export interface Job {
  if?: string;
  environment?: string;
  needs?: string | string[];
  concurrency?: { group: string; "cancel-in-progress": boolean };
  permissions?: Record<string, string>;
  services?: Record<string, { image: string; env?: Record<string, string> }>;
  env?: Record<string, string>;
  steps: Step[];
}
export interface Workflow {
  on: { pull_request: { paths: string[] }; push: { branches: string[]; paths: string[] } };
  permissions: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export function loadWorkflow(): Workflow {
  return parse(readFileSync(WORKFLOW_FILE, "utf8")) as Workflow;
}

export interface StepResult {
  name: string;
  outcome: "success" | "failure" | "skipped";
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the step wrote to $GITHUB_OUTPUT. */
  outputs: Record<string, string>;
}

export interface JobRun {
  steps: StepResult[];
  failed: boolean;
  /** The result of the step whose command contains `command`. */
  step(command: string): StepResult;
}

export interface RunJobOptions {
  /** The checkout the steps run in. */
  cwd: string;
  secrets: Record<string, string>;
  /** The `github` context: event, sha, repository, ... (GITHUB_* variables are derived from it). */
  github: { event_name: string; sha: string; ref: string; repository: string; event: unknown; server_url?: string; run_id?: string };
  /** Extra environment of the runner (PATH, GITHUB_API_URL, ...). */
  env: Record<string, string | undefined>;
  /** Steps not to run (by the command they run). */
  skip: (step: Step) => boolean;
  timeoutMs?: number;
}

export async function runJob(jobName: string, opts: RunJobOptions): Promise<JobRun> {
  const job = loadWorkflow().jobs[jobName];
  if (!job) throw new Error(`no job ${jobName}`);
  const scratch = mkdtempSync(join(tmpdir(), "cfgsync-runner-"));
  const eventPath = join(scratch, "event.json");
  writeFileSync(eventPath, JSON.stringify(opts.github.event));
  const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
  const results: StepResult[] = [];
  let failed = false;
  const runnerEnv: Record<string, string | undefined> = {
    ...opts.env,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: opts.github.event_name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: opts.github.sha,
    GITHUB_REF: opts.github.ref,
    GITHUB_REPOSITORY: opts.github.repository,
    GITHUB_SERVER_URL: opts.github.server_url ?? "https://github.example",
    GITHUB_RUN_ID: opts.github.run_id ?? "1",
  };
  const jobEnv: Record<string, string> = {};
  const context = () => ({ github: opts.github, secrets: opts.secrets, env: jobEnv, steps, job: { status: failed ? "failure" : "success" } });
  for (const [k, v] of Object.entries(job.env ?? {})) jobEnv[k] = interpolate(v, context(), opts.cwd);

  for (const [i, step] of job.steps.entries()) {
    const name = step.name ?? step.run ?? step.uses ?? `step ${i}`;
    if (!step.run || opts.skip(step)) continue;
    const condition = step.if ?? "success()";
    const run = Boolean(evaluate(stripBraces(condition), context(), opts.cwd));
    if (!run) {
      results.push({ name, outcome: "skipped", code: null, stdout: "", stderr: "", outputs: {} });
      if (step.id) steps[step.id] = { outputs: {}, outcome: "skipped" };
      continue;
    }
    const outputFile = join(scratch, `output-${i}`);
    writeFileSync(outputFile, "");
    const env: Record<string, string | undefined> = { ...runnerEnv, ...jobEnv, GITHUB_OUTPUT: outputFile };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = interpolate(v, context(), opts.cwd);
    const result = await bash(step.run, { cwd: opts.cwd, env, timeoutMs: opts.timeoutMs ?? 120_000 });
    const outcome = result.code === 0 ? "success" : "failure";
    if (outcome === "failure") failed = true;
    const outputs = parseOutputs(readFileSync(outputFile, "utf8"));
    results.push({ name, outcome, ...result, outputs });
    if (step.id) steps[step.id] = { outputs, outcome };
  }
  return {
    steps: results,
    failed,
    step(command: string) {
      const index = job.steps.filter((s) => s.run && !opts.skip(s)).findIndex((s) => s.run!.includes(command));
      const found = index >= 0 ? results[index] : undefined;
      if (!found) throw new Error(`no step running ${command}; ran ${results.map((r) => r.name).join(", ")}`);
      return found;
    },
  };
}

/** What the runner does for `run:` without `shell:`: bash -e {file}. */
function bash(script: string, opts: { cwd: string; env: Record<string, string | undefined>; timeoutMs: number }): Promise<CliResult> {
  return runProcess("bash", ["--noprofile", "--norc", "-e", "-c", script], { ...opts, label: `step: ${script}` });
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

type Context = Record<string, unknown>;

function stripBraces(expr: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(expr);
  return m ? m[1]! : expr;
}

/** "text ${{ expr }} text" with each expression evaluated. */
function interpolate(value: string, ctx: Context, cwd: string): string {
  return String(value).replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => {
    const v = evaluate(expr, ctx, cwd);
    return v === undefined || v === null ? "" : String(v);
  });
}

/**
 * The subset of the Actions expression language the workflow uses: context
 * paths, 'strings', ==, !=, !, &&, ||, parentheses and the status and
 * hashFiles functions.
 */
export function evaluate(expr: string, ctx: Context, cwd: string): unknown {
  const tokens = expr.match(/'(?:[^']|'')*'|&&|\|\||==|!=|!|\(|\)|,|[A-Za-z_][\w.-]*(?:\.[\w-]+)*|\S/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`expected ${t} in ${expr}`);
  };
  const truthy = (v: unknown) => v !== undefined && v !== null && v !== false && v !== "" && v !== 0;
  const or = (): unknown => {
    let left = and();
    while (peek() === "||") {
      next();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): unknown => {
    let left = equality();
    while (peek() === "&&") {
      next();
      const right = equality();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const equality = (): unknown => {
    const left = unary();
    const op = peek();
    if (op === "==" || op === "!=") {
      next();
      const right = unary();
      const same = String(left ?? "").toLowerCase() === String(right ?? "").toLowerCase();
      return op === "==" ? same : !same;
    }
    return left;
  };
  const unary = (): unknown => {
    if (peek() === "!") {
      next();
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): unknown => {
    const t = next();
    if (t === undefined) throw new Error(`unexpected end of ${expr}`);
    if (t === "(") {
      const v = or();
      expect(")");
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === "true" || t === "false") return t === "true";
    if (peek() === "(") {
      next();
      const args: unknown[] = [];
      while (peek() !== ")") {
        args.push(or());
        if (peek() === ",") next();
      }
      expect(")");
      return call(t, args);
    }
    return t.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), ctx);
  };
  const call = (name: string, args: unknown[]): unknown => {
    const status = (ctx.job as { status: string }).status;
    switch (name) {
      case "success":
        return status === "success";
      case "failure":
        return status === "failure";
      case "always":
        return true;
      case "cancelled":
        return false;
      case "hashFiles":
        return args.some((a) => globExists(cwd, String(a))) ? "some-hash" : "";
      default:
        throw new Error(`function ${name} is not supported by the test runner`);
    }
  };
  const value = or();
  if (pos !== tokens.length) throw new Error(`cannot parse ${expr}`);
  return value;
}

/** Whether a file matches `pattern` (a path, or a file name with `*` in the working directory). */
function globExists(cwd: string, pattern: string): boolean {
  if (!pattern.includes("*")) return existsSync(join(cwd, pattern));
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return readdirSync(cwd).some((f) => re.test(f));
}
