import { CODES, ExitCode, type Code, type ExitCodeValue } from "../domain/codes.js";
import { UserError, formatDiagnosticLine } from "../domain/diagnostic.js";
import { inert } from "../domain/inert.js";

/*
 * The CLI's error boundary, shared by every command (BaseCommand.catch) and by
 * the entry point (bin/run.js: unknown commands, errors of oclif's plugins).
 * Every error leaves as one of three things: a UserError with a registered
 * code, a usage error (exit 64), or an internal error (a bug, exit 1).
 */

interface OclifError extends Error {
  oclif?: { exit?: number };
  code?: string;
}

/** oclif's parser errors, by class name, as the registry's usage codes. */
const PARSE_ERRORS: Record<string, Code> = {
  NonExistentFlagsError: "usage.unknown-flag",
  RequiredArgsError: "usage.missing-argument",
  UnexpectedArgsError: "usage.unexpected-argument",
  FlagInvalidOptionError: "usage.invalid-flag",
  ArgInvalidOptionError: "usage.invalid-flag",
  FailedFlagValidationError: "usage.invalid-flag",
  ViolatedFlagConstraintError: "usage.invalid-flag",
  InvalidArgsSpecError: "usage.invalid-flag",
};

/** oclif's own way to stop: `this.exit(code)`, already reported. */
export function isExit(err: unknown): boolean {
  return err instanceof Error && (err as OclifError).code === "EEXIT";
}

/**
 * Any error, as what the user should see. oclif's errors carry `oclif.exit`:
 * they are about the command line (unknown flag, bad value, unknown command),
 * so they become usage errors; anything else unknown is a bug.
 */
export function toReportable(err: unknown): UserError | { internal: Error } {
  if (err instanceof UserError) return err;
  const e: OclifError = err instanceof Error ? err : new Error(String(err));
  if (e.oclif?.exit !== undefined) {
    const code = PARSE_ERRORS[e.constructor.name] ?? (/flag|Expected/i.test(e.message) ? "usage.invalid-flag" : "usage.unknown-command");
    return new UserError(code, oneLine(e.message));
  }
  return { internal: e };
}

/** oclif's messages span lines ("Parsing --x \n\tExpected ..."); one line reads better and greps. */
function oneLine(message: string): string {
  return message
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^See more help with/.test(l))
    .join(": ")
    .replace(/:\s*:/g, ":");
}

export function exitCodeOf(r: UserError | { internal: Error }): ExitCodeValue {
  return r instanceof UserError ? r.exitCode : ExitCode.error;
}

/** `{"error": {code, message, hint, doc, diagnostics?}}`: what every `--json` command prints on failure (stdout). */
export function errorJson(r: UserError | { internal: Error }): string {
  const err = r instanceof UserError ? r : new UserError("internal", `internal error: ${r.internal.message}`);
  const body = {
    error: {
      code: err.code,
      message: err.message,
      hint: err.suggestions.join(" "),
      doc: docUrl(err.code),
      ...(err.diagnostics.length ? { diagnostics: err.diagnostics } : {}),
    },
  };
  return JSON.stringify(body, null, 2) + "\n";
}

/** The text form (stderr): message, each diagnostic on the one diagnostic line format, the hint. */
export function errorText(r: UserError | { internal: Error }, env: Readonly<Record<string, string | undefined>>): string {
  if (!(r instanceof UserError)) {
    return (
      `internal error: ${inert(r.internal.message)}\nThis is a bug in cfgsync; please report it.` +
      (env.CFGSYNC_DEBUG ? `\n${r.internal.stack}` : " (set CFGSYNC_DEBUG=1 for a stack trace)") +
      "\n"
    );
  }
  const lines = [`Error: ${inert(r.message)} [${r.code}]`];
  for (const d of r.diagnostics) lines.push("  " + formatDiagnosticLine(d));
  for (const s of r.suggestions) lines.push(`Hint: ${inert(s)}`);
  return lines.join("\n") + "\n";
}

export function docUrl(code: Code): string {
  return `README.md${CODES[code].doc}`;
}

/** Writes the error where it belongs (JSON on stdout, text on stderr) and returns the exit code. */
export function reportError(err: unknown, opts: { json: boolean; env: Readonly<Record<string, string | undefined>> }): ExitCodeValue {
  const r = toReportable(err);
  if (opts.json) process.stdout.write(errorJson(r));
  else process.stderr.write(errorText(r, opts.env));
  return exitCodeOf(r);
}
