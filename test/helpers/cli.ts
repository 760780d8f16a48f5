import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { format } from "node:util";

export const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "run.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

/**
 * Runs a process with `env` as its whole environment (undefined entries
 * dropped), collects its output and kills it after `timeoutMs`: the one
 * child-process runner of the tests (the CLI, the CLI at a terminal, a
 * workflow step's bash).
 */
export function runProcess(command: string, args: string[], opts: RunOptions & { label: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
    const child = spawn(command, args, { cwd: opts.cwd ?? ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${opts.label} timed out\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/**
 * Runs the real, built CLI: bin/run.js's own function (dist/cli/main.js) in
 * this test process, with the arguments, environment, working directory,
 * stdin and output a child process would have; in a child process when
 * another run is in progress here (races between processes stay races), for
 * the commands below, or for every run with CFGSYNC_TEST_CLI=process.
 * In-process, a run costs no Node start-up, no oclif load and no module
 * compile after the first: most of what a CLI test used to spend.
 * test/cli/in-process.test.ts checks the two give the same results.
 *
 * What an in-process run cannot be: a hang that only a live handle would
 * cause (the run ends when its promise does; the child-process suites and
 * CFGSYNC_TEST_CLI=process still see one), and a lock the test process itself
 * holds (better-sqlite3 waits synchronously: hold none across a runCli).
 * Needs vitest's `forks` pool (process.chdir).
 */
export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  if (inProcessRun !== undefined || process.env.CFGSYNC_TEST_CLI === "process" || needsProcess(args, cliEnv(opts))) return runCliProcess(args, opts);
  return runCliInProcess(args, opts);
}

/** The CLI in a child process, bounded in time. */
export function runCliProcess(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], { ...opts, env: cliEnv(opts), label: `cfgsync ${args.join(" ")}` });
}

/** A CLI run's whole environment: the test process's own (not one an in-process run has set), no colour, the call's. */
const cliEnv = (opts: RunOptions) => ({ ...testProcessEnv(), NO_COLOR: "1", ...opts.env });

/**
 * In a child process: long-running commands (sync, watch: signals, loops);
 * what bin/run.js or oclif's plugins answer (version, help, a topic's or the
 * root's command list, completion); and runs with a variable that oclif's
 * debug output reads once, when it loads.
 */
const PROCESS_ONLY = new Set(["sync", "watch", "version", "--version", "-v", "help", "autocomplete"]);
const TOPICS = new Set(
  Object.keys((JSON.parse(readFileSync(join(ROOT, "oclif.manifest.json"), "utf8")) as { commands: object }).commands)
    .filter((id) => id.includes(":"))
    .map((id) => id.split(":")[0]!),
);
const READ_AT_LOAD = ["DEBUG", "CLI_FLAGS_DEBUG"];
const needsProcess = (args: string[], env: Record<string, string | undefined>) =>
  args.length === 0 ||
  PROCESS_ONLY.has(args[0]!) ||
  (args.length === 1 && TOPICS.has(args[0]!)) ||
  args.includes("--help") ||
  args.includes("-h") ||
  READ_AT_LOAD.some((name) => env[name] !== undefined);
let inProcessRun: Promise<CliResult> | undefined;
/** process.env as it was before the in-process run in progress set the run's own. */
let outsideEnv: NodeJS.ProcessEnv | undefined;
/** The environment a child process of the tests inherits: the test process's own, even while an in-process run has set another. */
export const testProcessEnv = (): NodeJS.ProcessEnv => outsideEnv ?? process.env;

type Writer = typeof process.stdout.write;

/** One in-process run, with the process's globals as a child's would be and put back afterwards. */
export async function runCliInProcess(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  if (inProcessRun !== undefined) throw new Error("another in-process CLI run is in progress");
  const run = runInProcess(args, { ...opts, env: cliEnv(opts) });
  inProcessRun = run;
  return run.finally(() => (inProcessRun = undefined));
}

async function runInProcess(args: string[], opts: RunOptions): Promise<CliResult> {
  const { runCommandLine } = (await import(pathToFileURL(join(ROOT, "dist", "cli", "main.js")).href)) as typeof import("../../src/cli/main.js");
  const out = { stdout: "", stderr: "" };
  /** What puts the test process back as it was, in order. */
  const restore: (() => void)[] = [];
  const capture = (stream: NodeJS.WriteStream, key: "stdout" | "stderr") => {
    const write = Object.getOwnPropertyDescriptor(stream, "write");
    const isTTY = Object.getOwnPropertyDescriptor(stream, "isTTY");
    stream.write = ((chunk: string | Uint8Array, encoding?: unknown, cb?: () => void) => {
      out[key] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const done = typeof encoding === "function" ? (encoding as () => void) : cb;
      if (done) process.nextTick(done);
      return true;
    }) as Writer;
    Object.defineProperty(stream, "isTTY", { value: false, configurable: true, writable: true });
    // oclif's flush() waits for a 'drain' that the capture never emits: its listener goes with the run.
    const drainListeners = new Set(stream.listeners("drain"));
    restore.push(() => {
      for (const listener of stream.listeners("drain")) if (!drainListeners.has(listener)) stream.removeListener("drain", listener as () => void);
      if (write) Object.defineProperty(stream, "write", write);
      else delete (stream as { write?: Writer }).write;
      if (isTTY) Object.defineProperty(stream, "isTTY", isTTY);
      else delete (stream as { isTTY?: boolean }).isTTY;
    });
  };
  const savedEnv = (outsideEnv = { ...process.env });
  setEnv(opts.env ?? {});
  restore.push(() => (setEnv(savedEnv), (outsideEnv = undefined)));
  const savedCwd = process.cwd();
  process.chdir(opts.cwd ?? ROOT);
  restore.push(() => process.chdir(savedCwd));
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;
  restore.push(() => (process.exitCode = savedExitCode));
  // A child's stdin: the input, then end of file (not a terminal).
  const stdin = Object.getOwnPropertyDescriptor(process, "stdin")!;
  Object.defineProperty(process, "stdin", { value: Readable.from(opts.input ? [Buffer.from(opts.input)] : [], { objectMode: false }), configurable: true, enumerable: true });
  restore.push(() => Object.defineProperty(process, "stdin", stdin));
  capture(process.stdout, "stdout");
  capture(process.stderr, "stderr");
  // vitest takes over `console` in its workers; oclif prints warnings (and help) with it.
  const consoleMethods = { log: "stdout", info: "stdout", debug: "stdout", warn: "stderr", error: "stderr" } as const;
  for (const [method, key] of Object.entries(consoleMethods)) {
    const original = console[method as keyof typeof consoleMethods];
    console[method as keyof typeof consoleMethods] = (...items: unknown[]) => void (out[key] += format(...items) + "\n");
    restore.push(() => (console[method as keyof typeof consoleMethods] = original));
  }
  // oclif keeps what it read from stdin for the rest of the process: a run must not see the last run's.
  const forgetStdin = () => delete (globalThis as { oclif?: { stdinCache?: unknown } }).oclif?.stdinCache;
  forgetStdin();
  restore.push(forgetStdin);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`cfgsync ${args.join(" ")} (in-process) timed out after ${timeoutMs} ms\n${out.stdout}\n${out.stderr}`)), timeoutMs);
    });
    const { code } = await Promise.race([runCommandLine(args, pathToFileURL(BIN).href), timedOut]);
    return { code, ...out };
  } finally {
    clearTimeout(timer);
    for (const undo of restore.reverse()) undo();
  }
}

/** Makes process.env exactly `env` (undefined entries dropped), in place. */
function setEnv(env: Record<string, string | undefined>): void {
  for (const key of Object.keys(process.env)) if (!(key in env) || env[key] === undefined) delete process.env[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) process.env[key] = value;
}

/**
 * Runs the real CLI on a pseudo-terminal (util-linux `script`), as a person
 * at a terminal would: stdin and stdout are TTYs. `input` is typed ahead.
 */
export function runCliInTerminal(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  return runProcess("script", ["-qec", command, "/dev/null"], {
    ...opts,
    env: { ...testProcessEnv(), TERM: "xterm-256color", ...opts.env },
    label: `cfgsync ${args.join(" ")} (terminal)`,
  });
}
