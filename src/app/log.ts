/**
 * Structured logs of the sync loop: one JSON object per line, for log
 * collectors. Callers pass only what is safe to print (commit, summary,
 * addresses, diagnostics): never a field value that could be a secret.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogFields {
  commit?: string | null;
  summary?: unknown;
  [key: string]: unknown;
}

export type Logger = (level: LogLevel, msg: string, fields?: LogFields) => void;

export function createJsonLogger(write: (line: string) => void, now: () => Date = () => new Date()): Logger {
  return (level, msg, fields = {}) => {
    write(JSON.stringify({ ts: now().toISOString(), level, msg, ...fields }, redactingReplacer) + "\n");
  };
}

/** Strings that carry a URL with credentials in it (https://user:token@host/...) lose the credentials. */
function redactingReplacer(_key: string, value: unknown): unknown {
  return typeof value === "string" ? redactUrlCredentials(value) : value;
}

/** `https://user:token@host/x` -> `https://***@host/x`, anywhere in a text (git's stderr repeats the URL). */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@");
}
