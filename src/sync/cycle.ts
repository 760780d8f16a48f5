import { UserError, formatDiagnosticLine, type Code, type Diagnostic } from "../domain/diagnostic.js";
import { hasChanges, type Action, type Plan } from "../plan/types.js";

export { assertPlanHasNoErrors } from "../plan/types.js";
import type { LogFields, LogLevel } from "../app/log.js";
import type { Hold } from "../domain/restore.js";

export type SyncMode = "apply" | "detect";

/** What the loop last brought the database to: the commit it synced and the plan it saw. */
export interface LastSynced {
  commit: string;
  configDigest: string;
  stateDigest: string;
}

/**
 * What a cycle does with a fresh plan. Pure.
 * - in-sync: nothing to do. When the commit is the one already synced and the
 *   plan is empty, not even an apply is attempted (no transaction, no revision).
 * - apply: changes (or a new commit whose rows cfgsync must start managing).
 * - report: detect mode never writes; it says what is out of sync.
 */
export type CycleDecision = "in-sync" | "apply" | "report";

export function decideCycle(input: { plan: Pick<Plan, "summary">; commit: string; last: LastSynced | undefined; mode: SyncMode }): CycleDecision {
  const changes = hasChanges(input.plan);
  if (input.mode === "detect") return changes ? "report" : "in-sync";
  if (changes) return "apply";
  return input.last?.commit === input.commit ? "in-sync" : "apply";
}

export type CycleOutcome =
  | { status: "in-sync"; commit: string; summary: Plan["summary"]; stateDigest: string; newCommit: boolean; hold?: Hold }
  | { status: "applied"; commit: string; summary: Plan["summary"]; revision: number; releasedHold?: Hold }
  | { status: "out-of-sync"; commit: string; summary: Plan["summary"]; changes: { address: string; action: Action; fields: string[] }[]; hold?: Hold }
  /** A restore holds Git back (see domain/restore.ts): this commit is not applied until the hold ends. */
  | { status: "held"; commit: string; summary: Plan["summary"]; hold: Hold }
  /** Someone else is doing the work this cycle would do: not a failure, the next cycle tries again. */
  | { status: "skipped"; commit: string | null; reason: SkipReason; detail: LogFields };

export type SkipReason = "workdir-locked" | "lost-apply-race" | "standby";

const SKIP_MESSAGE: Record<SkipReason, string> = {
  standby: "skipped: standing by; another sync process leads and applies",
  "workdir-locked": "skipped: another sync process is using the work directory",
  "lost-apply-race": "skipped: another apply changed the database first; the next cycle plans again",
};

/** A plan with errors is a failed cycle, reported with its diagnostics (file:line). */
/** Only what is safe to print: addresses, actions and field names, never values. */
export function changeList(plan: Pick<Plan, "changes">): { address: string; action: Action; fields: string[] }[] {
  return plan.changes.filter((c) => c.action !== "unmanaged").map((c) => ({ address: c.address, action: c.action, fields: c.fields.map((f) => f.name) }));
}

export interface LogEntry {
  level: LogLevel;
  msg: string;
  fields: LogFields;
}

export function outcomeLogEntry(outcome: CycleOutcome, mode: SyncMode): LogEntry {
  switch (outcome.status) {
    case "in-sync":
      return {
        level: "info",
        msg: "in sync",
        fields: { commit: outcome.commit, summary: outcome.summary, state_digest: outcome.stateDigest, mode, new_commit: outcome.newCommit, ...holdField(outcome.hold) },
      };
    case "applied":
      return {
        level: "info",
        msg: outcome.releasedHold ? "applied; a new commit ended the restore's hold" : "applied",
        fields: { commit: outcome.commit, summary: outcome.summary, revision: outcome.revision, mode, ...(outcome.releasedHold ? { hold_released: outcome.releasedHold } : {}) },
      };
    case "held":
      return {
        level: "warn",
        msg: "held: a restore holds Git back; this commit is not applied until `cfgsync hold release` or a new commit",
        fields: { commit: outcome.commit, summary: outcome.summary, mode, hold: { ...outcome.hold } },
      };
    case "skipped":
      return { level: "info", msg: SKIP_MESSAGE[outcome.reason], fields: { commit: outcome.commit, reason: outcome.reason, mode, ...outcome.detail } };
    case "out-of-sync":
      return {
        level: "warn",
        msg: outcome.summary.drift ? "drift detected; not restored (detect mode)" : "changes pending; not applied (detect mode)",
        fields: { commit: outcome.commit, summary: outcome.summary, changes: outcome.changes, mode, ...holdField(outcome.hold) },
      };
  }
}

const holdField = (hold: Hold | undefined): LogFields => (hold ? { hold: { ...hold } } : {});

/**
 * Failures that no retry can fix: the loop stops (exit 1) instead of backing
 * off forever. Everything else (network, invalid commit, lock, database) may
 * be fixed by the next commit or by time.
 */
const PERMANENT = new Set<Code>(["sync.workdir-not-empty", "sync.git-missing", "sync.config-path"]);

export function isPermanentFailure(err: unknown): boolean {
  return err instanceof UserError && PERMANENT.has(err.code);
}

/** A failed cycle as a log entry: the user's problem with its code and diagnostics, or a bug. */
export function failureLogEntry(err: unknown, context: { commit?: string | null; failures: number; retryInMs?: number }): LogEntry {
  const base: LogFields = { commit: context.commit ?? null, failures: context.failures };
  if (context.retryInMs !== undefined) base.retry_in_ms = context.retryInMs;
  if (err instanceof UserError) {
    const fields: LogFields = { ...base, code: err.code };
    if (err.diagnostics.length) fields.diagnostics = err.diagnostics.map(diagnosticFields);
    if (err.suggestions.length) fields.hints = err.suggestions;
    return { level: "error", msg: err.message, fields };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { level: "error", msg: `internal error: ${message}`, fields: { ...base, code: "internal" } };
}

/** Structured for machines, plus the one diagnostic line (formatDiagnosticLine) for people reading the log. */
function diagnosticFields(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.file ? { file: d.file } : {}),
    ...(d.line ? { line: d.line } : {}),
    ...(d.col ? { col: d.col } : {}),
    text: formatDiagnosticLine(d),
  };
}
