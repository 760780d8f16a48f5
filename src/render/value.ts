import { inert } from "../domain/inert.js";
import type { FieldChange, MarginRow } from "../plan/types.js";

/** One field value as a reader sees it; a sensitive field never has a value to show. */
export function displayValue(v: unknown): string {
  if (v === undefined) return "(none)";
  if (v === null) return "null";
  // JSON escapes C0 controls; inert also shows DEL, C1 and bidi controls as escapes.
  return inert(JSON.stringify(v));
}

export function displaySensitive(f: Extract<FieldChange, { sensitive: true }>): string {
  return f.changed ? "(sensitive value changed)" : "(sensitive value unchanged)";
}

export function isSensitive(f: FieldChange): f is Extract<FieldChange, { sensitive: true }> {
  return (f as { sensitive?: boolean }).sensitive === true;
}

export function marginChanged(row: MarginRow): boolean {
  return JSON.stringify(row.before) !== JSON.stringify(row.after);
}

