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
  /** Stable machine-readable code, e.g. `yaml.duplicate-key`, `schema.unknown-field`. */
  code: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
}

export function diagnostic(
  severity: Severity,
  code: string,
  message: string,
  at?: Partial<SourceRef>,
): Diagnostic {
  const d: Diagnostic = { severity, code, message };
  if (at?.file !== undefined) d.file = at.file;
  if (at?.line !== undefined) d.line = at.line;
  if (at?.col !== undefined) d.col = at.col;
  return d;
}

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

/** The one diagnostic line: `config/models/openai.yaml:12:5: error: message [code]`. */
export function formatDiagnosticLine(d: Diagnostic): string {
  const where = formatLocation(d);
  return `${where ? where + ": " : ""}${d.severity}: ${d.message} [${d.code}]`;
}

/** Exit codes are part of the interface (SPEC §4). */
export const ExitCode = {
  ok: 0,
  error: 1,
  /** plan --detailed-exitcode with changes; drift found. */
  changes: 2,
} as const;

/**
 * The one error type for problems a user can cause and fix. The CLI prints it
 * without a stack trace; anything else reaching the top is a bug.
 */
export class UserError extends Error {
  readonly code: string;
  readonly diagnostics: Diagnostic[];
  readonly exitCode: number;
  readonly suggestions: string[];

  constructor(
    code: string,
    message: string,
    opts: { diagnostics?: Diagnostic[]; exitCode?: number; suggestions?: string[] } = {},
  ) {
    super(message);
    this.name = "UserError";
    this.code = code;
    this.diagnostics = opts.diagnostics ?? [];
    this.exitCode = opts.exitCode ?? ExitCode.error;
    this.suggestions = opts.suggestions ?? [];
  }
}
