import { sha256 } from "../domain/digest.js";
import type { Diagnostic } from "../domain/diagnostic.js";
import type { Plan } from "../plan/types.js";
import { renderDiagnosticsText, renderPlanText } from "../render/text.js";
import { makeStyle } from "../render/style.js";

/** What one watch run found: a plan, an invalid configuration, or a failure (database down, ...). */
export type RunResult =
  | { kind: "plan"; plan: Plan }
  | { kind: "invalid"; message: string; diagnostics: Diagnostic[] }
  | { kind: "failed"; message: string; diagnostics?: Diagnostic[]; hints?: string[] };

export function renderRunResult(result: RunResult, color: boolean): string {
  switch (result.kind) {
    case "plan":
      return renderPlanText(result.plan, { color });
    case "invalid":
      return [`${result.message}:`, ...renderDiagnosticsText(result.diagnostics, makeStyle(color)).map((l) => "  " + l)].join("\n") + "\n";
    case "failed":
      return (
        [
          `Error: ${result.message}`,
          ...renderDiagnosticsText(result.diagnostics ?? [], makeStyle(color)).map((l) => "  " + l),
          ...(result.hints ?? []).map((h) => `Hint: ${h}`),
        ].join("\n") + "\n"
      );
  }
}

const UNCHANGED: Record<RunResult["kind"], string> = {
  plan: "Plan unchanged.",
  invalid: "Still invalid; the diagnostics are unchanged.",
  failed: "Still failing with the same error.",
};

/**
 * Remembers the digest of the last output so that a run prints only what
 * changed: the new plan (or diagnostics), or one line saying nothing did.
 * The digest is of the uncoloured text: colour must not count as a change.
 */
export class ChangeReporter {
  #lastDigest: string | undefined;

  next(result: RunResult, color: boolean): { changed: boolean; text: string } {
    const digest = sha256(renderRunResult(result, false));
    const changed = digest !== this.#lastDigest;
    this.#lastDigest = digest;
    return { changed, text: changed ? renderRunResult(result, color) : UNCHANGED[result.kind] + "\n" };
  }
}

/** The line above each run's output: when, and which files set it off. */
export function runHeader(at: Date, changedFiles: readonly string[]): string {
  const time = at.toTimeString().slice(0, 8);
  if (!changedFiles.length) return `[${time}] planning`;
  const shown = changedFiles.slice(0, 5).join(", ");
  const more = changedFiles.length > 5 ? ` and ${changedFiles.length - 5} more` : "";
  return `[${time}] changed: ${shown}${more}`;
}
