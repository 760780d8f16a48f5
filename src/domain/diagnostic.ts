import { inert, notACommand } from "./inert.js";
import { CODES, type Code, type ExitCodeValue } from "./codes.js";

export { ExitCode, type Code, type ExitCodeValue } from "./codes.js";

/** Where something is in the configuration repository. Lines and columns are 1-based. */
export interface SourceRef {
  file: string;
  line: number;
  col: number;
}

export type Severity = "error" | "warning";

/** One problem found in the configuration or the database, collected and reported together. */
export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code from the registry (codes.ts), e.g. `yaml.duplicate-key`. */
  code: Code;
  message: string;
  file?: string;
  line?: number;
  col?: number;
}

export function diagnostic(
  severity: Severity,
  code: Code,
  message: string,
  at?: Partial<SourceRef>,
): Diagnostic {
  const d: Diagnostic = { severity, code, message };
  if (at?.file !== undefined) d.file = at.file;
  if (at?.line !== undefined) d.line = at.line;
  if (at?.col !== undefined) d.col = at.col;
  return d;
}

/** What makes two diagnostics the same report (severity aside): where, which code, what it says. */
export const diagnosticId = (d: Diagnostic): string => `${d.file ?? ""}:${d.line ?? 0}:${d.col ?? 0}:${d.code}:${d.message}`;

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === "error");

/** Sorted by file, then line, then column: the order a reader fixes them in. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      (a.file ?? "").localeCompare(b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      a.message.localeCompare(b.message),
  );
}

export function formatLocation(d: Pick<Diagnostic, "file" | "line" | "col">): string {
  if (!d.file) return "";
  return d.line ? `${d.file}:${d.line}:${d.col ?? 1}` : d.file;
}

/**
 * The one diagnostic line: `config/models/openai.yaml:12:5: error: message [code]`,
 * used by validate, plan, CLI errors, github check and sync logs alike. A
 * terminal renderer may paint the severity word; the text stays the same.
 */
export function formatDiagnosticLine(d: Diagnostic, paint: (severity: Severity) => string = (s) => s): string {
  const where = inert(formatLocation(d));
  // Inert (no value can forge a line or drive a terminal), and never a workflow command at line start.
  return notACommand(`${where ? where + ": " : ""}${paint(d.severity)}: ${inert(d.message)} [${d.code}]`);
}

/**
 * The one error type for problems a user can cause and fix. The CLI prints it
 * without a stack trace; anything else reaching the top is a bug.
 */
export class UserError extends Error {
  readonly code: Code;
  readonly diagnostics: Diagnostic[];
  /** The registry's exit code for the code: one code, one exit code. */
  readonly exitCode: ExitCodeValue;
  /** What to do, specific to this occurrence; the registry's hint when none is given. */
  readonly suggestions: string[];

  constructor(code: Code, message: string, opts: { diagnostics?: Diagnostic[]; suggestions?: string[] } = {}) {
    super(message);
    this.name = "UserError";
    this.code = code;
    this.diagnostics = opts.diagnostics ?? [];
    this.exitCode = CODES[code].exit;
    this.suggestions = opts.suggestions?.length ? opts.suggestions : [CODES[code].hint];
  }
}
