import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { ROOT, testProcessEnv } from "../helpers/cli.js";

const BIN = join(ROOT, "bin", "run.js");

/** A long-running cfgsync (watch, sync) whose output is read as it comes. */
export interface RunningCli {
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Where the output ends now: pass it to waitFor to look only at what comes next. */
  mark(): number;
  /** Polls stdout (from `from` on) until `test` holds; returns the text it was found in. */
  waitFor(test: RegExp | ((text: string) => boolean), opts?: { from?: number; timeoutMs?: number }): Promise<string>;
  /** Sends a signal and waits for the exit (SIGKILL after the timeout, and the promise rejects). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  /** Kills it if still running (afterEach). */
  kill(): void;
}

export function startCli(args: string[], opts: { cwd: string; env?: Record<string, string | undefined> }): RunningCli {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...testProcessEnv(), NO_COLOR: "1", ...opts.env })) if (v !== undefined) env[k] = v;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  child.stdin.end();
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve((exit = { code, signal }))),
  );
  const describe = () => `cfgsync ${args.join(" ")}\n--- stdout ---\n${stdout.slice(-6000)}\n--- stderr ---\n${stderr.slice(-3000)}`;

  return {
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    mark: () => stdout.length,
    async waitFor(test, { from = 0, timeoutMs = 30_000 } = {}) {
      const holds = (t: string) => (typeof test === "function" ? test(t) : test.test(t));
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = stdout.slice(from);
        if (holds(text)) return text;
        if (exit) throw new Error(`exited (${exit.code ?? exit.signal}) before the expected output ${test}\n${describe()}`);
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${test}\n${describe()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(signal = "SIGTERM", timeoutMs = 15_000) {
      const started = Date.now();
      if (!exit) child.kill(signal);
      const timer = new Promise<never>((_, reject) =>
        setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`did not exit within ${timeoutMs}ms of ${signal}\n${describe()}`));
        }, timeoutMs).unref(),
      );
      const result = await Promise.race([exited, timer]);
      return { ...result, ms: Date.now() - started };
    },
    kill() {
      if (!exit) child.kill("SIGKILL");
    },
  };
}

/** The JSON log lines of `cfgsync sync` (one object per line). */
export function logLines(text: string): { ts: string; level: string; msg: string; commit?: string | null; [k: string]: unknown }[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}
