import { isExit, reportError } from "./errors.js";

export interface CommandLineOutcome {
  code: number;
  /** The command ended with oclif's exit (an error, or `this.exit`): oclif would have called process.exit. */
  exited: boolean;
}

/**
 * The command line after bin/run.js's `--version` fast path: oclif runs the
 * command; its exit, and any error that escaped a command (unknown command,
 * oclif's plugins), become the exit code, reported as every other error is
 * (64 for usage). Returns the outcome instead of exiting, so the tests run
 * this same function in-process (test/helpers/cli.ts).
 */
export async function runCommandLine(argv: string[], binUrl: string): Promise<CommandLineOutcome> {
  const { flush, run } = await import("@oclif/core");
  try {
    await run(argv, binUrl);
    await flush();
    return { code: Number(process.exitCode ?? 0), exited: false };
  } catch (err) {
    // A command's own errors were reported by BaseCommand (oclif's exit carries the code).
    if (isExit(err)) return { code: (err as { oclif?: { exit?: number } }).oclif?.exit ?? 1, exited: true };
    return { code: reportError(err, { json: argv.includes("--json"), env: process.env }), exited: false };
  }
}
