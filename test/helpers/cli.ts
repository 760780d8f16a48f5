import { spawn } from "node:child_process";
import { join } from "node:path";

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

/** Runs the real, built CLI in a child process, bounded in time. */
export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return runProcess(process.execPath, [BIN, ...args], { ...opts, env: { ...process.env, NO_COLOR: "1", ...opts.env }, label: `cfgsync ${args.join(" ")}` });
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
    env: { ...process.env, TERM: "xterm-256color", ...opts.env },
    label: `cfgsync ${args.join(" ")} (terminal)`,
  });
}
